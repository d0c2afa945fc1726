"""The kernel's TCP notice stays out of the console (issue 12), measured on a real kernel."""
from __future__ import annotations

import os
from pathlib import Path
import subprocess
import sys

RUN = ("import nbformat; from nbclient import NotebookClient; "
       "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1 + 1')]); "
       "NotebookClient(nb, timeout=60, kernel_name='python3').execute()")


def _stderr(code: str, env: dict) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, check=True).stderr


def test_quiet_kernels_removes_the_tcp_notice_and_only_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "IPYTHONDIR"}
    loud = _stderr(RUN, env)
    quiet = _stderr(f"from nnbook._quiet_kernels import quiet_kernels; "
                    f"quiet_kernels({str(tmp_path)!r}); {RUN}", env)
    assert "running over TCP without encryption" in loud  # the notice exists without it ...
    assert "running over TCP without encryption" not in quiet, quiet  # ... and is gone with it


def test_quiet_kernels_leaves_a_chosen_ipythondir_alone(tmp_path, monkeypatch):
    from nnbook._quiet_kernels import quiet_kernels

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "mine"))
    assert quiet_kernels(tmp_path / "ours") is None
    assert os.environ["IPYTHONDIR"] == str(tmp_path / "mine")


def test_grading_prints_no_tcp_notice(tmp_path):
    import shutil

    fixture = Path(__file__).resolve().parent / "fixtures" / "exercises.ipynb"
    (tmp_path / "book").mkdir()
    (tmp_path / "subs" / "key").mkdir(parents=True)
    shutil.copy(fixture, tmp_path / "book" / "01_fixture.ipynb")
    shutil.copy(fixture, tmp_path / "subs" / "key" / "01_fixture.ipynb")
    env = {k: v for k, v in os.environ.items() if k != "IPYTHONDIR"}
    code = ("from nnbook.teach.grade import grade_submissions; "
            f"grade_submissions({str(tmp_path / 'subs')!r}, book={str(tmp_path / 'book')!r}, "
            f"out={str(tmp_path / 'g.csv')!r}, timeout=30)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            timeout=300, check=True)
    assert "[1/1] key 01_fixture" in result.stdout
    assert "running over TCP without encryption" not in result.stderr, result.stderr[-2000:]
