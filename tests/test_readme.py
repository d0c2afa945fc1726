"""The README's commands as a new user runs them (issue 12)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_command(tag: str) -> str:
    """The fenced block right after ``<!-- tag -->`` (as ``.ci/run`` reads it)."""
    lines = README.splitlines()
    start = lines.index(f"<!-- {tag} -->")
    fence = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
    end = next(i for i in range(fence + 1, len(lines)) if lines[i].startswith("```"))
    return "\n".join(lines[fence + 1:end]).strip()


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)


@pytest.mark.parametrize("has_sudo", [False, True], ids=["root-without-sudo", "user-with-sudo"])
def test_the_chromium_command_works_with_and_without_sudo(tmp_path, has_sudo):
    command = readme_command("command:chromium")
    bin_dir, log = tmp_path / "bin", tmp_path / "log"
    bin_dir.mkdir()
    _stub(bin_dir, "apt-get", f'echo "apt-get $*" >> {log}\n')
    if has_sudo:
        _stub(bin_dir, "sudo", f'echo "sudo" >> {log}\nexec "$@"\n')
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}
    result = subprocess.run(["/bin/bash", "-c", command], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert "apt-get install -y chromium" in calls and any(c.startswith("apt-get update") for c in calls)
    assert ("sudo" in calls) == has_sudo


def test_the_ci_script_reads_the_readme_commands():
    assert readme_command("command:build") and readme_command("command:test")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'readme_command "command:build"' in ci and 'readme_command "command:test"' in ci


def test_the_readme_says_browser_tests_skip_and_names_the_extras():
    assert "the browser tests are skipped" in README
    assert "that test is skipped" not in README
    assert "pip install -e '.[teach]'" in README and "pip install -e '.[widgets]'" in README
    assert "--save" in README and "bench/results.local.md" in README
