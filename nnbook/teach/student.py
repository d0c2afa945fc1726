"""Make the student version of chapters (solutions out, placeholders in, checks kept) and the key.

Book: For instructors, "Generate the student version".
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat

from .course import Course
from .markup import find_exercises, read_notebook

__all__ = ["make_student", "make_key"]


def _clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def make_student(notebooks: list[str | Path], out: str | Path = "student") -> list[Path]:
    """Write the student version of each chapter notebook to ``out/<name>.ipynb``.

    nbgrader's ``generate_assignment`` replaces the lines between ``### BEGIN SOLUTION``
    and ``### END SOLUTION`` by ``# YOUR CODE HERE`` / ``raise NotImplementedError()``,
    clears outputs and locks the check cells; the ``{solution}`` cells of derivations
    become ``YOUR ANSWER HERE`` cells and the ``{solution-start}``/``{solution-end}`` cells
    are removed. Everything else of the chapter (text, figures, knobs, checks) stays.

    Raises
    ------
    ValueError
        If a notebook's exercise markup is broken (see :func:`markup.find_exercises`).
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sources = [(Path(p), read_notebook(p)) for p in notebooks]
    for path, nb in sources:
        find_exercises(nb, path)  # fail on broken markup before writing anything
    written = []
    with tempfile.TemporaryDirectory(prefix="nnbook-teach-") as tmp:
        course = Course(tmp)
        for path, nb in sources:
            target = out / path.name
            nbformat.write(course.release(path.stem, nb), str(target))
            written.append(target)
    return written


def make_key(notebooks: list[str | Path], out: str | Path = "instructor") -> list[Path]:
    """Write the instructor key of each chapter to ``out/<name>.ipynb``: the full chapter
    with its solutions (outputs cleared), after checking its exercise markup."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in map(Path, notebooks):
        nb = read_notebook(path)
        find_exercises(nb, path)
        target = out / path.name
        nbformat.write(_clean(nb), str(target))
        written.append(target)
    return written
