"""Read the exercise markup of a chapter notebook (the contract in ``book/instructors.md``).

An exercise is a ``{exercise}`` markdown cell with a ``:label:``; its answer is either a
``{solution}`` markdown cell (a derivation, marked by hand) or a code cell between
``{solution-start}`` / ``{solution-end}`` cells whose solution lines sit between
``### BEGIN SOLUTION`` and ``### END SOLUTION``, followed by a locked check cell worth
``points``. Answer and check cells carry nbgrader metadata with the grade ids
``<label>-answer`` and ``<label>-check``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

__all__ = [
    "BEGIN_SOLUTION", "END_SOLUTION", "CODE_STUB", "Exercise", "read_notebook",
    "nbgrader_meta", "directive", "find_exercises", "solution_lines", "chapter_notebooks",
]

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"

# ```{name} argument   (three or more backticks or colons, as MyST allows)
_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{(?P<name>[a-z-]+)\}[ \t]*(?P<arg>.*)$")
_LABEL = re.compile(r"^:label:\s*(\S+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Exercise:
    """One exercise of a chapter, as the grader sees it.

    ``kind`` is ``"coding"`` (graded by its check cell, worth ``points``) or
    ``"derivation"`` (a ``{solution}`` answer, read by the instructor; 0 points here).
    """

    label: str
    title: str
    kind: str
    points: float
    check_id: str | None


def read_notebook(path: str | Path) -> nbformat.NotebookNode:
    """The notebook at ``path``, as nbformat version 4."""
    return nbformat.read(str(path), as_version=4)


def nbgrader_meta(cell: nbformat.NotebookNode) -> dict:
    """The cell's ``nbgrader`` metadata, or ``{}``."""
    return dict(cell.get("metadata", {}).get("nbgrader", {}) or {})


def directive(cell: nbformat.NotebookNode) -> tuple[str, str] | None:
    """``(name, argument)`` of the MyST directive that opens a markdown cell, else None."""
    if cell.cell_type != "markdown" or not cell.source.strip():
        return None
    match = _DIRECTIVE.match(cell.source.strip().splitlines()[0])
    return (match["name"], match["arg"].strip()) if match else None


def _is_answer(cell) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("solution")) and not meta.get("grade")


def _is_check(cell) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def _where(path, index: int) -> str:
    return f"{Path(path).name if path else 'notebook'}, cell {index}"


def find_exercises(nb: nbformat.NotebookNode, path: str | Path | None = None) -> list[Exercise]:
    """List a notebook's exercises in order, checking the markup on the way.

    Raises
    ------
    ValueError
        Naming the notebook cell and what is wrong: a duplicate label, an answer or check
        cell whose grade id does not name an exercise, solution markers missing or out of
        order, a check without points, an unbalanced ``{solution-start}``/``{solution-end}``.
    """
    order: list[str] = []
    titles: dict[str, str] = {}
    answers: dict[str, str] = {}  # label -> "code" | "markdown"
    checks: dict[str, tuple[str, float]] = {}
    grade_ids: set[str] = set()
    open_gate: str | None = None

    for i, cell in enumerate(nb.cells):
        found = directive(cell)
        if found and found[0] == "exercise":
            label = _LABEL.search(cell.source)
            if not label:
                raise ValueError(f"{_where(path, i)}: the {{exercise}} has no ':label:' line")
            label = label.group(1)
            if label in titles:
                raise ValueError(f"{_where(path, i)}: exercise label {label!r} is used twice")
            order.append(label)
            titles[label] = found[1]
        elif found and found[0] == "solution-start":
            if open_gate:
                raise ValueError(f"{_where(path, i)}: {{solution-start}} inside the open "
                                 f"{{solution-start}} of {open_gate!r}")
            open_gate = found[1]
        elif found and found[0] == "solution-end":
            if not open_gate:
                raise ValueError(f"{_where(path, i)}: {{solution-end}} without {{solution-start}}")
            open_gate = None

        meta = nbgrader_meta(cell)
        if not meta:
            continue
        gid = meta.get("grade_id", "")
        if gid in grade_ids:
            raise ValueError(f"{_where(path, i)}: grade_id {gid!r} is used twice")
        grade_ids.add(gid)
        if _is_answer(cell):
            label = gid.removesuffix("-answer")
            if not gid.endswith("-answer") or label not in titles:
                raise ValueError(f"{_where(path, i)}: answer cell grade_id {gid!r} should be "
                                 "'<label>-answer' of an exercise above it")
            if cell.cell_type == "code":
                _check_markers(cell.source, _where(path, i))
                if open_gate != label:
                    raise ValueError(f"{_where(path, i)}: the answer to {label!r} must sit "
                                     f"between {{solution-start}} {label} and {{solution-end}}")
            elif directive(cell) != ("solution", label):
                raise ValueError(f"{_where(path, i)}: a markdown answer must be a "
                                 f"{{solution}} {label} directive")
            answers[label] = cell.cell_type
        elif _is_check(cell):
            label = gid.removesuffix("-check")
            if not gid.endswith("-check") or label not in titles:
                raise ValueError(f"{_where(path, i)}: check cell grade_id {gid!r} should be "
                                 "'<label>-check' of an exercise above it")
            points = float(meta.get("points", 0) or 0)
            if points <= 0:
                raise ValueError(f"{_where(path, i)}: check cell {gid!r} needs 'points' > 0")
            if not meta.get("locked"):
                raise ValueError(f"{_where(path, i)}: check cell {gid!r} must be locked")
            if answers.get(label) != "code":
                raise ValueError(f"{_where(path, i)}: check cell {gid!r} has no code answer "
                                 "cell above it")
            checks[label] = (gid, points)
    if open_gate:
        raise ValueError(f"{path or 'notebook'}: {{solution-start}} {open_gate} is never closed")

    exercises = []
    for label in order:
        if label in checks:
            gid, points = checks[label]
            exercises.append(Exercise(label, titles[label], "coding", points, gid))
        elif answers.get(label) == "markdown":
            exercises.append(Exercise(label, titles[label], "derivation", 0.0, None))
        else:
            raise ValueError(f"{path or 'notebook'}: exercise {label!r} has neither a "
                             "{solution} cell nor a check cell")
    return exercises


def _check_markers(source: str, where: str) -> None:
    lines = [line.strip() for line in source.splitlines()]
    begins = [k for k, line in enumerate(lines) if line == BEGIN_SOLUTION]
    ends = [k for k, line in enumerate(lines) if line == END_SOLUTION]
    if not begins or len(begins) != len(ends) or any(
            b >= e for b, e in zip(begins, ends)) or any(
            e >= b for e, b in zip(ends, begins[1:])):
        raise ValueError(f"{where}: the solution lines must sit between "
                         f"'{BEGIN_SOLUTION}' and '{END_SOLUTION}' lines")


def solution_lines(nb: nbformat.NotebookNode) -> list[str]:
    """The stripped, non-empty lines of every solution: what a student must never see.

    Code lines between the markers of answer cells, and the body of ``{solution}`` cells
    (without their fence and option lines).
    """
    lines: list[str] = []
    for cell in nb.cells:
        if not _is_answer(cell):
            continue
        if cell.cell_type == "code":
            inside = False
            for line in cell.source.splitlines():
                if line.strip() in (BEGIN_SOLUTION, END_SOLUTION):
                    inside = line.strip() == BEGIN_SOLUTION
                elif inside and line.strip():
                    lines.append(line.strip())
        else:
            body = cell.source.strip().splitlines()[1:]
            lines += [line.strip() for line in body
                      if line.strip() and not line.strip().startswith(":")
                      and not re.fullmatch(r"`{3,}|:{3,}", line.strip())]
    return lines


def chapter_notebooks(book: str | Path = "book") -> list[Path]:
    """The chapter notebooks ``NN_slug.ipynb`` of a book folder, in order."""
    return sorted(Path(book).glob("[0-9][0-9]_*.ipynb"))
