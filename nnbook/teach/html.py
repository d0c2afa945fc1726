"""Build the book without solutions (the student HTML edition).

The config is the book's ``_config.yml`` plus the extension :mod:`nnbook.teach.hide`,
written to a temporary file and passed to ``jupyter-book build --config``; the build
shares the main build's execution cache, so unchanged notebooks are not executed again.

Book: For instructors, "Hide solutions in a published build".
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

__all__ = ["HIDE_EXTENSION", "student_config", "build_student_html"]

HIDE_EXTENSION = "nnbook.teach.hide"


def student_config(root: str | Path = ".") -> dict:
    """The book's ``_config.yml`` with solutions removed, usable from any folder."""
    root = Path(root).resolve()
    path = root / "_config.yml"
    if not path.is_file():
        raise ValueError(f"root must be the book's folder (with _config.yml), got {str(root)!r}")
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sphinx = config.setdefault("sphinx", {})
    extensions = list(sphinx.get("extra_extensions") or [])
    if HIDE_EXTENSION not in extensions:
        extensions.append(HIDE_EXTENSION)
    sphinx["extra_extensions"] = extensions
    # jupyter-book resolves local extensions next to the config file: make them absolute
    local = sphinx.get("local_extensions") or {}
    sphinx["local_extensions"] = {name: str((root / folder).resolve())
                                  for name, folder in local.items()}
    # sphinx-exercise's hide_solutions breaks gated solutions; the extension does the job
    sphinx.setdefault("config", {})["hide_solutions"] = False
    execute = config.setdefault("execute", {})
    if not execute.get("cache"):
        execute["cache"] = str(root / "_build" / ".jupyter_cache")
    return config


def _jupyter_book() -> str:
    here = Path(sys.executable).parent / "jupyter-book"
    found = str(here) if here.exists() else shutil.which("jupyter-book")
    if not found:
        raise RuntimeError("jupyter-book is not installed: pip install 'jupyter-book<2'")
    return found


def build_student_html(root: str | Path = ".", out: str | Path = "_build/student",
                       args: tuple[str, ...] = ("-W", "--keep-going")) -> Path:
    """Build the student edition of the book in ``root`` and return its HTML folder
    (``<out>/_build/html``). ``args`` go to ``jupyter-book build``.

    Raises
    ------
    subprocess.CalledProcessError
        If the build fails (with ``-W``, also on a Sphinx warning).
    """
    root = Path(root).resolve()
    out = (root / out).resolve()
    with tempfile.TemporaryDirectory(prefix="nnbook-student-config-") as tmp:
        config = Path(tmp) / "_config_student.yml"
        config.write_text(yaml.safe_dump(student_config(root), sort_keys=False), encoding="utf-8")
        subprocess.run([_jupyter_book(), "build", str(root), "--config", str(config),
                        "--path-output", str(out), *args], check=True)
    return out / "_build" / "html"
