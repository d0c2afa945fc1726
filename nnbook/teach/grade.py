"""Grade a folder of submitted chapter notebooks with nbgrader and write a score table (CSV).

Book: For instructors, "Collect and grade".
"""
from __future__ import annotations

import csv
import re
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Callable

import nbformat

from .._validate import is_int
from .course import ANSWER_STUB, Course, prepare_source
from .markup import Exercise, chapter_notebooks, find_exercises, nbgrader_meta, read_notebook

__all__ = ["Score", "find_submissions", "grade_submissions", "write_csv"]


@dataclass(frozen=True)
class Score:
    """One row of the table: one student's result on one exercise of one chapter.

    ``score``/``max_score`` are the check's points for a coding exercise and ``None`` for a
    derivation (marked by hand; ``feedback`` says whether it was answered).
    """

    student: str
    chapter: str
    exercise: str
    kind: str
    score: float | None
    max_score: float | None
    feedback: str


def _check_ids(nb) -> set[str]:
    return {nbgrader_meta(c).get("grade_id") for c in nb.cells if nbgrader_meta(c).get("grade")}


def find_submissions(folder: str | Path, keys: dict[str, nbformat.NotebookNode]
                     ) -> tuple[list[tuple[str, str, Path]], list[str]]:
    """Match each submitted notebook to a student and a chapter.

    The chapter is the key whose check cells the notebook contains (so renamed files
    still match), else the key whose name is in the file name. The student is the
    first folder under ``folder`` (``alice/03_backpropagation.ipynb``), or, for a file
    directly in ``folder``, its name without the chapter name
    (``alice_03_backpropagation.ipynb`` and ``alice.ipynb`` are both ``alice``).

    Returns ``([(student, chapter, path), ...], [why each unmatched file was skipped])``.

    Raises
    ------
    ValueError
        If ``folder`` is not a folder, or a student has two notebooks for one chapter.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"submissions must be a folder of notebooks, got {str(folder)!r}")
    ids = {name: _check_ids(nb) for name, nb in keys.items()}
    found: dict[tuple[str, str], Path] = {}
    skipped = []
    for path in sorted(folder.rglob("*.ipynb")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue  # .ipynb_checkpoints and other hidden folders
        try:
            nb = read_notebook(path)
        except Exception as err:  # not a notebook at all: say so, go on
            skipped.append(f"{rel}: not a readable notebook ({err})")
            continue
        overlap = {name: len(ids[name] & _check_ids(nb)) for name in keys}
        chapter = max(overlap, key=overlap.get) if overlap and max(overlap.values()) else None
        if chapter is None:
            chapter = next((name for name in keys if name in path.stem), None)
        if chapter is None:
            skipped.append(f"{rel}: matches no chapter (no known check cells or chapter name)")
            continue
        if len(rel.parts) > 1:
            student = rel.parts[0]
        else:
            student = re.sub(rf"[-_. ]*{re.escape(chapter)}[-_. ]*", "", path.stem) or path.stem
        if (student, chapter) in found:
            raise ValueError(f"student {student!r} has two notebooks for {chapter}: "
                             f"{found[(student, chapter)]} and {path}")
        found[(student, chapter)] = path
    return [(s, c, p) for (s, c), p in sorted(found.items())], skipped


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _feedback(graded: Path, exercises: list[Exercise], timeout: int) -> dict[str, str]:
    """Per exercise: the check's error (its last line) or whether a derivation was answered."""
    nb = read_notebook(graded)
    notes = {}
    for cell in prepare_source(nb, blank=False).cells:
        meta = nbgrader_meta(cell)
        answer = cell.get("metadata", {}).get("nnbook", {}).get("answer")
        if answer:
            notes[answer] = ("not answered" if cell.source.strip() in ("", ANSWER_STUB)
                             else "answered: mark it by hand")
        elif meta.get("grade") and cell.cell_type == "code":
            label = meta["grade_id"].removesuffix("-check")
            notes[label] = ""
            for out in cell.get("outputs", []):
                if out.output_type == "error" and out.ename in ("KeyboardInterrupt",
                                                                "CellTimeoutError"):
                    notes[label] = f"timed out: a cell ran longer than {timeout} s and was stopped"
                    break
                if out.output_type == "error":
                    notes[label] = _one_line(f"{out.ename}: {out.evalue}")
                    break
                if out.output_type == "stream" and out.name == "stderr":
                    notes[label] = _one_line(f"the check wrote to stderr: {out.text}")
                    break
    missing = {"coding": "the check cell is missing from the notebook",
               "derivation": "no answer cell found"}
    return {ex.label: notes.get(ex.label, missing[ex.kind]) for ex in exercises}


def _grade_one(course: Course, student: str, chapter: str, path: Path,
               exercises: list[Exercise], timeout: int) -> list[Score]:
    """Grade one submission in ``course`` (where ``chapter`` is released): its rows."""
    try:
        graded = course.autograde(chapter, student, path)
        scores = course.scores(chapter, student)
        notes = _feedback(graded, exercises, timeout)
    except Exception as err:  # a broken submission scores 0; grading goes on
        scores, notes = {}, {ex.label: f"could not grade {path.name}: {err}" for ex in exercises}
    rows = []
    for ex in exercises:
        if ex.kind == "coding":
            score, top = scores.get(ex.check_id, (0.0, ex.points))
        else:
            score = top = None
        rows.append(Score(student, chapter, ex.label, ex.kind, score, top, notes[ex.label]))
    return rows


def _grade_alone(task: tuple) -> tuple[list[Score], float]:
    """One submission in its own course folder (a worker of a parallel run): its rows and
    the seconds it took."""
    root, student, chapter, path, key, exercises, timeout = task
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nnbook-grade-") as tmp:
        course = Course(root or tmp, timeout=timeout)
        course.release(chapter, key)
        rows = _grade_one(course, student, chapter, path, exercises, timeout)
    return rows, time.perf_counter() - began


def _progress_line(k: int, n: int, rows: list[Score], start: float, took: float) -> str:
    coding = [r for r in rows if r.kind == "coding"]
    score = sum(r.score or 0.0 for r in coding)
    top = sum(r.max_score or 0.0 for r in coding)
    return (f"[{k}/{n}] {rows[0].student} {rows[0].chapter}: {score:g}/{top:g} points "
            f"({took:.0f} s; {time.perf_counter() - start:.0f} s elapsed)")


def grade_submissions(submissions: str | Path, book: str | Path = "book",
                      out: str | Path = "grading/grades.csv", timeout: int = 120,
                      workdir: str | Path | None = None, jobs: int = 1,
                      progress: Callable[[str], None] | None = print) -> list[Score]:
    """Autograde every notebook in ``submissions`` and write one CSV row per student,
    chapter and exercise.

    Each notebook is executed offline by nbgrader with the local ``python3`` kernel
    (``timeout`` seconds per cell, then the cell is interrupted and counts as failed);
    a check cell that runs without error scores its points. The keys are the chapter
    notebooks in ``book``. ``workdir`` keeps nbgrader's course folder (graded notebooks,
    gradebook) for inspection; by default it is temporary. ``jobs`` notebooks are graded
    at a time (each in its own course folder, ``workdir/<student>-<chapter>`` when kept);
    after each notebook ``progress`` gets one line: notebook k of n, the student, the
    chapter, the points, and the time (None: silent). The rows come out in the same order
    whatever ``jobs`` is.
    """
    if not is_int(jobs) or jobs < 1:
        raise ValueError(f"jobs must be an integer >= 1 (notebooks graded at a time), got {jobs!r}")
    if not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout}")
    keys = {path.stem: read_notebook(path) for path in chapter_notebooks(book)}
    exercises = {name: find_exercises(nb, name) for name, nb in keys.items()}
    keys = {name: nb for name, nb in keys.items() if exercises[name]}
    if not keys:
        raise ValueError(f"book must hold chapter notebooks with exercises, found none in {book}")
    matched, skipped = find_submissions(submissions, keys)
    say = progress or (lambda line: None)
    for reason in skipped:
        say(f"skipped {reason}")
    n, start = len(matched), time.perf_counter()
    say(f"grading {n} notebook{'s' if n != 1 else ''}, {jobs} at a time")

    results: dict[int, list[Score]] = {}
    if jobs == 1:
        with tempfile.TemporaryDirectory(prefix="nnbook-grade-") as tmp:
            course = Course(workdir or tmp, timeout=timeout)
            for chapter in sorted({c for _, c, _ in matched}):
                course.release(chapter, keys[chapter])
            for i, (student, chapter, path) in enumerate(matched):
                began = time.perf_counter()
                results[i] = _grade_one(course, student, chapter, path, exercises[chapter], timeout)
                say(_progress_line(i + 1, n, results[i], start, time.perf_counter() - began))
    else:
        tasks = [(str(Path(workdir) / f"{student}-{chapter}") if workdir else None, student,
                  chapter, path, keys[chapter], exercises[chapter], timeout)
                 for student, chapter, path in matched]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_grade_alone, task): i for i, task in enumerate(tasks)}
            for k, future in enumerate(as_completed(futures), start=1):
                i = futures[future]
                results[i], took = future.result()
                say(_progress_line(k, n, results[i], start, took))
    rows = [row for i in range(n) for row in results[i]]
    write_csv(rows, out)
    return rows


def write_csv(rows: list[Score], out: str | Path) -> Path:
    """Write the rows (long format: one row per student, chapter and exercise)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=[field.name for field in fields(Score)])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in asdict(row).items()})
    return out
