"""A throw-away nbgrader course directory: where the student versions are made and graded.

nbgrader wants a course folder (``source/<assignment>/``, ``submitted/<student>/<assignment>/``)
and a gradebook database. Each run of ``nnbook.teach`` makes one in a temporary folder,
with one assignment per chapter (assignment id = notebook name, e.g. ``03_backpropagation``),
so no nbgrader setup or ``nbgrader_config.py`` is needed and none is read.
"""
from __future__ import annotations

import copy
import os
import re
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import nbformat
from sqlalchemy.exc import SAWarning
from traitlets.config import Config

from .._quiet_kernels import quiet_kernels
from .markup import CODE_STUB, directive, nbgrader_meta

try:
    from nbgrader.api import Gradebook
    from nbgrader.converters import Autograde, GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import Execute, NbGraderPreprocessor
except ImportError as err:  # an optional dependency: only instructors need it
    raise ModuleNotFoundError("nnbook.teach needs nbgrader, in the package's 'teach' extra: "
                              "pip install -e '.[teach]'", name=err.name) from err

__all__ = ["ANSWER_STUB", "prepare_source", "restore_metadata", "Course", "PassFail"]

ANSWER_STUB = "YOUR ANSWER HERE"


def prepare_source(nb: nbformat.NotebookNode, blank: bool = True) -> nbformat.NotebookNode:
    """The chapter as nbgrader takes it: gate cells dropped, derivation answers re-marked.

    nbgrader refuses a markdown answer cell that is not graded by hand, so the
    ``{solution}`` cell of a derivation loses its nbgrader metadata and is marked
    ``metadata.nnbook.answer = <label>`` instead; with ``blank`` (the source of the
    student version) its text becomes ``YOUR ANSWER HERE``, without it (a submission)
    the student's text stays. nbgrader then replaces the code between the solution
    markers. The ``{solution-start}``/``{solution-end}`` cells only matter to the HTML
    book and are removed.
    """
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        found = directive(cell)
        if found and found[0] in ("solution-start", "solution-end"):
            continue
        meta = nbgrader_meta(cell)
        if cell.cell_type == "markdown" and meta.get("solution") and not meta.get("grade"):
            del cell.metadata["nbgrader"]
            cell.metadata["nnbook"] = {"answer": meta.get("grade_id", "").removesuffix("-answer")}
            if blank:
                cell.source = ANSWER_STUB
        cells.append(cell)
    nb.cells = cells
    return nb


def _functions(source: str) -> set[str]:
    return set(re.findall(r"^def\s+(\w+)\s*\(", source, flags=re.MULTILINE))


def _after_statement(nb: nbformat.NotebookNode, label: str) -> list:
    """The markdown cell right after the statement of exercise ``label`` (a derivation's
    answer), if it is one: not a directive, or the exercise's own ``{solution}``."""
    label_line = re.compile(rf"^:label:\s*{re.escape(label)}\s*$", re.MULTILINE)
    for cell, after in zip(nb.cells, nb.cells[1:]):
        if (directive(cell) or ("",))[0] == "exercise" and label_line.search(cell.source):
            ok = after.cell_type == "markdown" and directive(after) in (None, ("solution", label))
            return [after] if ok else []
    return []


def restore_metadata(nb: nbformat.NotebookNode, source: nbformat.NotebookNode) -> int:
    """Give a submission back the exercise metadata it lost; return how many cells got it.

    Some editors, or a student retyping a cell, drop cell metadata, and nbgrader then
    scores a right answer zero. A check cell is recognized by its unchanged code, a code
    answer by the function it defines, a derivation answer as the markdown cell right
    after its exercise statement.
    """
    have = {nbgrader_meta(c).get("grade_id") for c in nb.cells} | {
        c.metadata.get("nnbook", {}).get("answer") for c in nb.cells}
    free = {id(c) for c in nb.cells if not nbgrader_meta(c) and not c.metadata.get("nnbook")}
    restored = 0
    for ref in source.cells:
        meta, label = nbgrader_meta(ref), ref.metadata.get("nnbook", {}).get("answer")
        if not (meta.get("grade_id") or label) or (meta.get("grade_id") or label) in have:
            continue
        if meta.get("grade"):  # a check cell
            found = [c for c in nb.cells if id(c) in free and c.cell_type == "code"
                     and c.source.strip() == ref.source.strip()]
        elif meta:  # a code answer
            found = [c for c in nb.cells if id(c) in free and c.cell_type == "code"
                     and _functions(ref.source) & _functions(c.source)]
        else:  # a derivation answer
            found = [c for c in _after_statement(nb, label) if id(c) in free]
        if found:
            if meta:
                found[0].metadata["nbgrader"] = copy.deepcopy(meta)
            else:
                found[0].metadata["nnbook"] = {"answer": label}
            free.discard(id(found[0]))
            restored += 1
    return restored


@contextmanager
def _grading_env() -> Iterator[None]:
    """PATH with this Python's scripts (nbgrader runs ``alembic`` to set up its database),
    kernels that do not print ipykernel's TCP notice (:mod:`nnbook._quiet_kernels`), and,
    unless set, one BLAS thread for the kernels, as the test suite uses (conftest.py):
    the book's matrices are small and BLAS threads only compete for the cores."""
    old = dict(os.environ)
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), old.get("PATH", "")])
    quiet_kernels()  # no "Kernel is running over TCP without encryption" per graded notebook
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(old)


class Course:
    """An nbgrader course in ``root``: add chapters, release them, autograde submissions."""

    def __init__(self, root: str | Path, timeout: int = 120):
        if timeout <= 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout}")
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.config = Config()
        self.config.CourseDirectory.root = str(self.root.resolve())
        self.config.CourseDirectory.db_url = f"sqlite:///{(self.root / 'gradebook.db').resolve()}"
        self.config.ClearSolutions.code_stub = {"python": CODE_STUB}
        self.config.ClearSolutions.text_stub = ANSWER_STUB
        self.config.Execute.timeout = int(timeout)  # seconds per cell; then interrupt
        self.config.Execute.interrupt_on_timeout = True
        self.config.Autograde.autograde_preprocessors = _autograde_preprocessors()

    def _run(self, converter, **ids) -> None:
        config = copy.deepcopy(self.config)
        for key, value in ids.items():
            setattr(config.CourseDirectory, key, value)
        app = converter(coursedir=CourseDirectory(config=config), config=config)
        app.force = True
        if converter is GenerateAssignment:
            app.create_assignment = True
        else:
            app.create_student = True
        with _grading_env(), warnings.catch_warnings():
            # nbgrader 0.9.6's gradebook code trips SQLAlchemy 2's session warnings
            warnings.simplefilter("ignore", SAWarning)
            app.start()  # raises NbGraderException (after logging why) on failure

    def release(self, name: str, nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
        """Register chapter ``name`` and return its student version (nbgrader's release)."""
        folder = self.root / "source" / name
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(prepare_source(nb), str(folder / f"{name}.ipynb"))
        self._run(GenerateAssignment, assignment_id=name)
        return nbformat.read(str(self.root / "release" / name / f"{name}.ipynb"), as_version=4)

    def autograde(self, name: str, student: str, submission: str | Path) -> Path:
        """Execute and score one student's notebook for chapter ``name``."""
        folder = self.root / "submitted" / student / name
        folder.mkdir(parents=True, exist_ok=True)
        nb = prepare_source(nbformat.read(str(submission), as_version=4), blank=False)
        source = self.root / "source" / name / f"{name}.ipynb"
        restore_metadata(nb, nbformat.read(str(source), as_version=4))
        nbformat.write(nb, str(folder / f"{name}.ipynb"))
        self._run(Autograde, assignment_id=name, student_id=student)
        return self.root / "autograded" / student / name / f"{name}.ipynb"

    def scores(self, name: str, student: str) -> dict[str, tuple[float, float]]:
        """``{check grade_id: (score, max_score)}`` of a graded submission."""
        with Gradebook(self.config.CourseDirectory.db_url) as gradebook:
            notebook = gradebook.find_submission_notebook(name, name, student)
            return {g.name: (float(g.score), float(g.max_score)) for g in notebook.grades}


class PassFail(NbGraderPreprocessor):
    """A check cell scores all its points if it ran without error, else none.

    The checks return True, which the notebook shows; nbgrader would try to read a shown
    value as partial credit, so it is dropped before scoring.
    """

    def preprocess_cell(
        self, cell: nbformat.NotebookNode, resources: dict, index: int
    ) -> tuple[nbformat.NotebookNode, dict]:
        """Drop the shown value of a check cell, so the cell scores all or nothing."""
        if nbgrader_meta(cell).get("grade") and cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.output_type != "execute_result"]
        return cell, resources


def _autograde_preprocessors() -> list:
    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    steps.insert(steps.index(Execute) + 1, PassFail)
    return steps
