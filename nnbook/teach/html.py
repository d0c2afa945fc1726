"""Build the book without solutions (the student HTML edition).

The config is the book's ``_config.yml`` plus the extension :mod:`nnbook.teach.hide`,
written to a temporary file and passed to ``jupyter-book build --config``; the build
shares the main build's execution cache, so unchanged notebooks are not executed again.

Book: For instructors, "Hide solutions in a published build".
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from .._quiet_kernels import quiet_kernels

__all__ = ["HIDE_EXTENSION", "INSTRUCTOR_PAGES", "student_config", "student_toc", "build_student_html"]

HIDE_EXTENSION = "nnbook.teach.hide"
#: Pages of the book written for instructors (the grading guide): never in the student edition.
INSTRUCTOR_PAGES = ("book/instructors",)


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
    # The reference stays (students need it), its highlighted source pages do not: the package's
    # own code is what several coding exercises ask students to write (ex-ch01-dense is
    # dense_forward), so a [source] page would hand them the key.
    extensions = [e for e in extensions if e != "sphinx.ext.viewcode"]
    sphinx["extra_extensions"] = extensions
    # jupyter-book resolves local extensions next to the config file: make them absolute
    local = sphinx.get("local_extensions") or {}
    sphinx["local_extensions"] = {name: str((root / folder).resolve())
                                  for name, folder in local.items()}
    # sphinx-exercise's hide_solutions breaks gated solutions; the extension does the job
    sphinx.setdefault("config", {})["hide_solutions"] = False
    # the instructors' pages stay out (student_toc); the extension unlinks references to them
    sphinx["config"]["nnbook_instructor_pages"] = list(INSTRUCTOR_PAGES)
    config["exclude_patterns"] = list(config.get("exclude_patterns") or []) + [
        f"{page}.*" for page in INSTRUCTOR_PAGES]
    execute = config.setdefault("execute", {})
    if not execute.get("cache"):
        execute["cache"] = str(root / "_build" / ".jupyter_cache")
    return config


def _drop_pages(entries: list, pages: set[str]) -> list:
    kept = []
    for entry in entries:
        if isinstance(entry, dict) and str(entry.get("file", "")).removesuffix(".md") in pages:
            continue
        if isinstance(entry, dict):
            entry = dict(entry)
            for key in ("chapters", "sections", "parts"):
                if key in entry:
                    entry[key] = _drop_pages(entry[key], pages)
            if any(key in entry for key in ("chapters", "sections", "parts")) and not any(
                    entry.get(key) for key in ("chapters", "sections", "parts")) and "file" not in entry:
                continue  # a part left empty
        kept.append(entry)
    return kept


def student_toc(root: str | Path = ".") -> dict:
    """The book's ``_toc.yml`` without the instructors' pages (:data:`INSTRUCTOR_PAGES`)."""
    path = Path(root).resolve() / "_toc.yml"
    if not path.is_file():
        raise ValueError(f"root must be the book's folder (with _toc.yml), got {str(path.parent)!r}")
    toc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if str(toc.get("root", "")) in INSTRUCTOR_PAGES:
        raise ValueError("the book's root page cannot be an instructors' page")
    for key in ("parts", "chapters", "sections"):
        if key in toc:
            toc[key] = _drop_pages(toc[key], set(INSTRUCTOR_PAGES))
    return toc


def _jupyter_book() -> str:
    here = Path(sys.executable).parent / "jupyter-book"
    found = str(here) if here.exists() else shutil.which("jupyter-book")
    if not found:
        raise RuntimeError("jupyter-book is not installed: pip install 'jupyter-book<2'")
    return found


def build_student_html(root: str | Path = ".", out: str | Path = "_build/student",
                       args: tuple[str, ...] = ("-W", "--keep-going"), execute: bool = True) -> Path:
    """Build the student edition of the book in ``root`` and return its HTML folder
    (``<out>/_build/html``). ``args`` go to ``jupyter-book build``.

    The edition has no solution, and no instructors' page (the grading guide): the table
    of contents leaves them out and the references to them become plain text.

    Raises
    ------
    subprocess.CalledProcessError
        If the build fails (with ``-W``, also on a Sphinx warning).
    """
    root = Path(root).resolve()
    out = (root / out).resolve()
    with tempfile.TemporaryDirectory(prefix="nnbook-student-config-") as tmp:
        config = Path(tmp) / "_config_student.yml"
        settings = student_config(root)
        if not execute:
            settings["execute"]["execute_notebooks"] = "off"
        config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
        toc = Path(tmp) / "_toc_student.yml"
        toc.write_text(yaml.safe_dump(student_toc(root), sort_keys=False), encoding="utf-8")
        env = dict(os.environ)
        if not env.get("IPYTHONDIR"):  # kernels without ipykernel's TCP notice (_quiet_kernels)
            env["IPYTHONDIR"] = str(quiet_kernels(Path(tmp) / "ipython"))
            os.environ.pop("IPYTHONDIR", None)  # quiet_kernels set it for this process: undo
        subprocess.run([_jupyter_book(), "build", str(root), "--config", str(config),
                        "--toc", str(toc), "--path-output", str(out), *args], check=True, env=env)
    return out / "_build" / "html"
