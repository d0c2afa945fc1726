"""The instructor workflow: student version, key, grading (nbgrader), student HTML build.

Most tests use ``tests/fixtures/exercises.ipynb``, a tiny chapter in the exact exercise markup
(one derivation, two coding exercises worth 1 and 2 points). One grading run of a folder of
made-up submissions (key, blank, partly solved, wrong, renamed) is shared by the tests.
The last tests run over the real chapters that have exercises.
"""
from __future__ import annotations

import ast
import copy
import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from nnbook.teach import markup
from nnbook.teach.__main__ import main
from nnbook.teach.course import ANSWER_STUB
from nnbook.teach.grade import find_submissions, grade_submissions
from nnbook.teach.html import (HIDE_EXTENSION, INSTRUCTOR_PAGES, build_student_html,
                               student_config, student_toc)
from nnbook.teach.leaks import exercise_key_lines, find_leaks
from nnbook.teach.student import make_student

# the module fixtures below grade notebooks once; keep these tests on one xdist worker
pytestmark = pytest.mark.xdist_group("teach")

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "exercises.ipynb"
NAME = "01_fixture"
POINTS = {"ex-fx-mse": 1.0, "ex-fx-relu-grad": 2.0}
CHAPTERS = [p for p in markup.chapter_notebooks(ROOT / "book")
            if any(markup.directive(c) and markup.directive(c)[0] == "exercise"
                   for c in markup.read_notebook(p).cells)]


# ---------------------------------------------------------------- helpers

def solution_only_lines(key) -> list[str]:
    """Solution lines that appear nowhere else in the key: a student must not see them."""
    answers = {id(c) for c in key.cells if markup.nbgrader_meta(c).get("solution")}
    elsewhere = "\n".join(c.source for c in key.cells if id(c) not in answers)
    return [line for line in markup.solution_lines(key) if not leaked([line], elsewhere)]


def leaked(lines: list[str], text: str) -> list[str]:
    """Lines found in ``text``: long lines anywhere, short ones as a whole line."""
    whole = {line.strip() for line in text.splitlines()}
    return [line for line in lines if (line in text if len(line) >= 8 else line in whole)]


def notebook_text(nb) -> str:
    return "\n".join(cell.source for cell in nb.cells)


def answer_cell(nb, label):
    return next(c for c in nb.cells if markup.nbgrader_meta(c).get("grade_id") == f"{label}-answer")


def solve(student, key, labels):
    """The student version with the key's answers typed in for ``labels`` (no markers)."""
    nb = copy.deepcopy(student)
    for label in labels:
        markers = (markup.BEGIN_SOLUTION, markup.END_SOLUTION)
        lines = answer_cell(key, label).source.splitlines()
        answer_cell(nb, label).source = "\n".join(l for l in lines if l.strip() not in markers)
    return nb


def write(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))


# ---------------------------------------------------------------- one grading run

@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("teach")
    book = tmp / "book"
    book.mkdir()
    shutil.copy(FIXTURE, book / f"{NAME}.ipynb")
    main(["student", "--book", str(book), "--out", str(tmp / "student"),
          "--key", str(tmp / "instructor")])
    key = markup.read_notebook(tmp / "instructor" / f"{NAME}.ipynb")
    student = markup.read_notebook(tmp / "student" / f"{NAME}.ipynb")

    subs = tmp / "submissions"
    write(key, subs / "key" / f"{NAME}.ipynb")
    write(student, subs / "blank" / f"{NAME}.ipynb")
    write(solve(student, key, ["ex-fx-mse"]), subs / "only_mse" / f"{NAME}.ipynb")
    write(solve(student, key, ["ex-fx-relu-grad"]), subs / "only_relu" / f"{NAME}.ipynb")
    wrong = copy.deepcopy(student)
    answer_cell(wrong, "ex-fx-mse").source = (
        "def my_mse(y_hat, y):\n    return np.sum((y - y_hat) ** 2)   # forgot the 1/n")
    answer_cell(wrong, "ex-fx-relu-grad").source = (
        "def my_relu_grad(x):\n    while True:   # never returns: the cell must time out\n"
        "        pass")
    write(wrong, subs / "wrong" / f"{NAME}.ipynb")
    # a flat, renamed file with everything answered: matched by its check cells
    everything = solve(student, key, list(POINTS))
    derivation = next(c for c in everything.cells if c.metadata.get("nnbook"))
    derivation.source = "σ' = σ(1 − σ) because…"
    write(everything, subs / "carol_homework1.ipynb")
    # the same answers from an editor that dropped every cell's metadata
    stripped = copy.deepcopy(everything)
    for cell in stripped.cells:
        cell.metadata = {}
    write(stripped, subs / "dave" / f"{NAME}.ipynb")

    out = tmp / "grades.csv"
    main(["grade", str(subs), "--book", str(book), "--out", str(out), "--timeout", "5"])
    with out.open(newline="") as f:
        rows = list(csv.DictReader(f))
    return {"key": key, "student": student, "rows": rows, "book": book, "tmp": tmp}


def scores(rows, student):
    return {r["exercise"]: float(r["score"]) for r in rows
            if r["student"] == student and r["kind"] == "coding"}


# ---------------------------------------------------------------- the student version

def test_student_version_has_no_solution_text(run):
    lines = solution_only_lines(run["key"])
    # the fixture marks a line of every solution; they must be among what is searched
    for marker in ("FIXTURE-DERIVATION-SECRET", "FIXTURE-MSE-SECRET", "FIXTURE-RELU-SECRET"):
        assert any(marker in line for line in lines), marker
    text = notebook_text(run["student"])
    assert leaked(lines, text) == []
    assert markup.BEGIN_SOLUTION not in text and "{solution" not in text


def test_student_version_keeps_statements_signatures_and_checks(run):
    key, student = run["key"], run["student"]
    gates = [c for c in key.cells if (markup.directive(c) or ("",))[0].startswith("solution-")]
    assert len(student.cells) == len(key.cells) - len(gates)
    for label in POINTS:
        stub = answer_cell(student, label).source
        signature = answer_cell(key, label).source.split(markup.BEGIN_SOLUTION)[0]
        assert stub.startswith(signature.rstrip())
        tail = [line.strip() for line in stub.splitlines()[-2:]]
        assert tail == markup.CODE_STUB.splitlines()
        check = lambda nb: next(c.source for c in nb.cells  # noqa: E731
                                if markup.nbgrader_meta(c).get("grade_id") == f"{label}-check")
        assert check(student) == check(key)
    derivation = [c for c in student.cells if c.metadata.get("nnbook")]
    assert [c.source for c in derivation] == [ANSWER_STUB]
    statements = [c.source for c in key.cells if (markup.directive(c) or ("",))[0] == "exercise"]
    assert statements == [c.source for c in student.cells
                          if (markup.directive(c) or ("",))[0] == "exercise"]
    assert student.cells[0].source == key.cells[0].source          # the Colab cell stays
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")


# ---------------------------------------------------------------- grading

def test_key_scores_full_marks(run):
    assert scores(run["rows"], "key") == POINTS


def test_blank_student_version_scores_zero(run):
    rows = [r for r in run["rows"] if r["student"] == "blank"]
    assert scores(rows, "blank") == {label: 0.0 for label in POINTS}
    assert all("NotImplementedError" in r["feedback"] for r in rows if r["kind"] == "coding")
    assert [r["feedback"] for r in rows if r["kind"] == "derivation"] == ["not answered"]


@pytest.mark.parametrize("student, solved", [("only_mse", "ex-fx-mse"),
                                             ("only_relu", "ex-fx-relu-grad")])
def test_one_solved_exercise_scores_exactly_its_points(run, student, solved):
    got = scores(run["rows"], student)
    assert got == {label: (POINTS[label] if label == solved else 0.0) for label in POINTS}


def test_wrong_answers_score_zero_and_the_csv_says_why(run):
    rows = {r["exercise"]: r for r in run["rows"] if r["student"] == "wrong"}
    assert float(rows["ex-fx-mse"]["score"]) == 0.0
    assert "ExerciseError" in rows["ex-fx-mse"]["feedback"]
    assert "divide by the number of elements" in rows["ex-fx-mse"]["feedback"]
    # the endless loop was interrupted after the timeout and scored 0; grading went on
    assert float(rows["ex-fx-relu-grad"]["score"]) == 0.0
    assert rows["ex-fx-relu-grad"]["feedback"].startswith("timed out")


def test_renamed_flat_file_is_matched_by_its_check_cells(run):
    assert scores(run["rows"], "carol_homework1") == POINTS
    derivation = [r for r in run["rows"]
                  if r["student"] == "carol_homework1" and r["kind"] == "derivation"]
    assert [r["feedback"] for r in derivation] == ["answered: mark it by hand"]


def test_lost_cell_metadata_is_restored_before_grading(run):
    assert scores(run["rows"], "dave") == POINTS
    derivation = [r for r in run["rows"] if r["student"] == "dave" and r["kind"] == "derivation"]
    assert [r["feedback"] for r in derivation] == ["answered: mark it by hand"]


def test_csv_has_one_row_per_student_and_exercise(run):
    rows = run["rows"]
    assert list(rows[0]) == ["student", "chapter", "exercise", "kind", "score", "max_score",
                             "feedback"]
    labels = [ex.label for ex in markup.find_exercises(run["key"])]
    students = {r["student"] for r in rows}
    assert students == {"key", "blank", "only_mse", "only_relu", "wrong", "carol_homework1", "dave"}
    pairs = [(r["student"], r["exercise"]) for r in rows]
    assert sorted(pairs) == sorted((s, label) for s in students for label in labels)
    assert {r["chapter"] for r in rows} == {NAME}
    for r in rows:
        if r["kind"] == "coding":
            assert float(r["max_score"]) == POINTS[r["exercise"]]
        else:
            assert r["score"] == r["max_score"] == ""


def test_a_parallel_run_gives_the_same_table_and_reports_progress(run):
    lines: list[str] = []
    out = run["tmp"] / "parallel.csv"
    grade_submissions(run["tmp"] / "submissions", book=run["book"], out=out, timeout=5, jobs=2,
                      progress=lines.append)
    with out.open(newline="") as f:
        assert list(csv.DictReader(f)) == run["rows"]   # same rows, same order
    done = [line for line in lines if line.startswith("[")]
    n = len({(r["student"], r["chapter"]) for r in run["rows"]})
    assert len(done) == n and lines[0] == f"grading {n} notebooks, 2 at a time"
    assert sorted(int(re.match(r"\[(\d+)/", line).group(1)) for line in done) == list(range(1, n + 1))
    assert all(re.search(rf"/{n}\] \S+ {NAME}: [\d.]+/3 points \(\d+ s; \d+ s elapsed\)$", line)
               for line in done), done
    with pytest.raises(ValueError, match="jobs must be an integer >= 1"):
        grade_submissions(run["tmp"] / "submissions", book=run["book"], out=out, jobs=0)


def test_two_notebooks_for_one_chapter_is_an_error(tmp_path):
    key = markup.read_notebook(FIXTURE)
    write(key, tmp_path / "alice" / f"{NAME}.ipynb")
    write(key, tmp_path / "alice" / "copy.ipynb")
    with pytest.raises(ValueError, match="alice.*two notebooks"):
        find_submissions(tmp_path, {NAME: key})


def test_grading_needs_a_folder_and_positive_timeout(tmp_path):
    with pytest.raises(ValueError, match="submissions must be a folder"):
        find_submissions(tmp_path / "missing", {})
    (tmp_path / "book").mkdir()
    shutil.copy(FIXTURE, tmp_path / "book" / f"{NAME}.ipynb")
    (tmp_path / "subs").mkdir()
    with pytest.raises(ValueError, match="timeout"):
        grade_submissions(tmp_path / "subs", book=tmp_path / "book", timeout=0,
                          out=tmp_path / "g.csv")


# ---------------------------------------------------------------- the markup

def _broken(change):
    nb = markup.read_notebook(FIXTURE)
    change(nb)
    return nb


def _cell(nb, grade_id):
    return next(c for c in nb.cells if markup.nbgrader_meta(c).get("grade_id") == grade_id)


@pytest.mark.parametrize("change, message", [
    (lambda nb: setattr(_cell(nb, "ex-fx-mse-answer"), "source",
                        _cell(nb, "ex-fx-mse-answer").source.replace(markup.END_SOLUTION, "")),
     "BEGIN SOLUTION"),
    (lambda nb: _cell(nb, "ex-fx-mse-check").metadata.nbgrader.pop("points"), "points"),
    (lambda nb: _cell(nb, "ex-fx-mse-answer").metadata.nbgrader.update(grade_id="ex-fx-mes-answer"),
     "ex-fx-mes-answer"),
    (lambda nb: nb.cells.remove(next(c for c in nb.cells
                                     if markup.directive(c) == ("solution-end", ""))),
     "never closed|inside the open"),
    (lambda nb: nb.cells.insert(6, copy.deepcopy(nb.cells[5])), "used twice"),
])
def test_broken_markup_is_reported_with_its_cell(change, message):
    with pytest.raises(ValueError, match=message):
        markup.find_exercises(_broken(change), "x.ipynb")


def test_fixture_markup_reads_as_expected():
    exercises = markup.find_exercises(markup.read_notebook(FIXTURE))
    assert [(e.label, e.kind, e.points) for e in exercises] == [
        ("ex-fx-sigmoid-derivative", "derivation", 0.0), ("ex-fx-mse", "coding", 1.0),
        ("ex-fx-relu-grad", "coding", 2.0)]


# ---------------------------------------------------------------- the student HTML build

def test_student_config_removes_solutions_and_downloads():
    config = student_config(ROOT)
    assert HIDE_EXTENSION in config["sphinx"]["extra_extensions"]
    assert config["sphinx"]["config"]["hide_solutions"] is False  # broken with gated solutions
    for folder in config["sphinx"].get("local_extensions", {}).values():
        assert Path(folder).is_absolute() and Path(folder).is_dir()


def test_student_toc_leaves_out_the_instructors_pages_only():
    toc, full = student_toc(ROOT), yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = lambda t: re.findall(r"'file': '([^']+)'", str(t))  # noqa: E731
    assert set(files(full)) - set(files(toc)) == set(INSTRUCTOR_PAGES)
    assert all(page in files(full) for page in INSTRUCTOR_PAGES)


def test_student_html_has_no_solution_text_and_no_instructors_page(tmp_path):
    """Build a small book (the fixture, not executed; an intro linking the grading guide;
    the guide itself, whose example is a key) with the student config and toc."""
    config = student_config(ROOT)
    config["execute"].update(execute_notebooks="off", cache=str(tmp_path / "cache"))
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config))
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: 01_fixture\n  - file: book/instructors\n")
    (tmp_path / "intro.md").write_text(
        "# Intro\n\n- **Students**: read the chapters.\n"
        "- **Instructors**: see {doc}`book/instructors` for the grading guide.\n")
    (tmp_path / "book").mkdir()
    key = markup.read_notebook(FIXTURE)
    example = "\n".join(markup.solution_lines(key))
    (tmp_path / "book" / "instructors.md").write_text(
        f"# For instructors\n\nAn example that is a key:\n\n```python\n{example}\n```\n")
    shutil.copy(FIXTURE, tmp_path / f"{NAME}.ipynb")
    html = build_student_html(tmp_path, "_build/student", ("-W", "-q"))
    page = (html / f"{NAME}.html").read_text(encoding="utf-8")
    assert "The derivative of ReLU" in page and "check_relu_grad" in page   # statements stay
    assert not (html / "book" / "instructors.html").exists()
    intro = (html / "intro.html").read_text(encoding="utf-8")
    assert "read the chapters" in intro and "Instructors" not in intro and "instructors.html" not in intro
    assert find_leaks(tmp_path, html=html) == []
    assert "launch-buttons" not in page and "download-notebook-button" not in page
    assert not (html / "_sources").exists()
    # the detector itself: the guide's example is found when the guide is published
    (tmp_path / "leaky").mkdir()
    shutil.copy(tmp_path / "book" / "instructors.md", tmp_path / "leaky" / "guide.md")
    leaks = find_leaks(tmp_path, html=tmp_path / "leaky")
    assert {leak.exercise for leak in leaks} == set(exercise_key_lines(key))


def test_leak_lines_skip_what_the_chapter_shows_anyway():
    key = markup.read_notebook(FIXTURE)
    lines = exercise_key_lines(key)
    assert set(lines) <= {"ex-fx-sigmoid-derivative", "ex-fx-mse", "ex-fx-relu-grad"}
    assert lines["ex-fx-mse"] and lines["ex-fx-relu-grad"]
    taught = copy.deepcopy(key)
    line = lines["ex-fx-mse"][0]
    taught.cells.insert(1, nbformat.v4.new_code_cell(f"# the chapter computes it too\n{line}"))
    assert line not in exercise_key_lines(taught).get("ex-fx-mse", [])


def test_gitignore_covers_every_folder_the_guide_writes(tmp_path):
    for folder in ("student", "instructor", "grading", "submissions"):
        probe = f"{folder}/alice/03_backpropagation.ipynb"
        result = subprocess.run(["git", "check-ignore", "--no-index", "-q", probe], cwd=ROOT)
        assert result.returncode == 0, f"{probe} is not ignored by .gitignore"
    guide = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
    assert "submissions/" in guide


# ---------------------------------------------------------------- the real chapters

def _only_imports(source: str) -> bool:
    try:
        body = ast.parse(source).body
    except SyntaxError:  # IPython magics
        return False
    return bool(body) and all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in body)


def _exercise_section(nb):
    """The chapter's import cells and its exercises: enough to grade the key quickly."""
    first = next(i for i, c in enumerate(nb.cells)
                 if (markup.directive(c) or ("",))[0] == "exercise")
    imports = [c for c in nb.cells[:first] if c.cell_type == "code" and _only_imports(c.source)]
    trimmed = copy.deepcopy(nb)
    trimmed.cells = copy.deepcopy(imports) + trimmed.cells[first:]
    return trimmed


@pytest.fixture(scope="module")
def chapters(tmp_path_factory):
    """Student versions of every real chapter, and the grading of their keys."""
    tmp = tmp_path_factory.mktemp("chapters")
    made, errors = {}, {}
    try:
        written = make_student(CHAPTERS, tmp / "student")
    except ValueError:  # broken markup somewhere: find which chapter, keep the others
        written = []
        for path in CHAPTERS:
            try:
                written += make_student([path], tmp / "student")
            except ValueError as err:
                errors[path.stem] = str(err)
    made = {p.stem: markup.read_notebook(p) for p in written}
    keys = {p.stem: markup.read_notebook(p) for p in CHAPTERS if p.stem in made}
    # Grade each key's exercise section (imports + exercises); a chapter whose exercises
    # need more of the chapter is graded again in full.
    book, subs = tmp / "book", tmp / "subs"
    for name, nb in keys.items():
        write(nb, book / f"{name}.ipynb")
        write(_exercise_section(nb), subs / "key" / f"{name}.ipynb")
    rows = grade_submissions(subs, book=book, out=tmp / "quick.csv", timeout=60) if keys else []
    short = {r.chapter for r in rows if r.kind == "coding" and r.score != r.max_score}
    if short:
        shutil.rmtree(subs)
        for name in short:
            write(keys[name], subs / "key" / f"{name}.ipynb")
        full = grade_submissions(subs, book=book, out=tmp / "full.csv", timeout=120)
        rows = [r for r in rows if r.chapter not in short] + full
    return {"made": made, "errors": errors, "keys": keys, "rows": rows, "student": tmp / "student"}


@pytest.mark.skipif(not CHAPTERS, reason="no chapter has exercises yet")
@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_real_chapter_student_version_and_key(chapters, path):
    name = path.stem
    assert name not in chapters["errors"], chapters["errors"].get(name)
    key, student = chapters["keys"][name], chapters["made"][name]
    lines = solution_only_lines(key)
    assert lines, f"{name}: no solution lines found"
    assert leaked(lines, notebook_text(student)) == []
    assert markup.BEGIN_SOLUTION not in notebook_text(student)
    # the general leak check (every exercise's non-trivial lines, normalized)
    assert [str(leak) for leak in find_leaks(ROOT / "book", notebooks=chapters["student"])
            if leak.artefact.endswith(f"{name}.ipynb")] == []
    coding = [ex for ex in markup.find_exercises(key) if ex.kind == "coding"]
    got = {r.exercise: (r.score, r.max_score, r.feedback)
           for r in chapters["rows"] if r.chapter == name and r.kind == "coding"}
    assert got == {ex.label: (ex.points, ex.points, "") for ex in coding}


@pytest.mark.book
@pytest.mark.skipif(not CHAPTERS, reason="no chapter has exercises yet")
def test_the_real_student_edition_has_no_key_line_and_no_instructors_page(tmp_path):
    """The whole book's student edition (notebooks not executed: the text and code are what
    can leak), searched for every exercise's solution lines, and the CLI's verdict."""
    html = build_student_html(ROOT, tmp_path / "student_html", ("-q",), execute=False)
    assert (html / "book" / "01_structure.html").is_file()
    assert not (html / "book" / "instructors.html").exists()
    assert "instructors.html" not in (html / "book" / "intro.html").read_text(encoding="utf-8")
    assert [str(leak) for leak in find_leaks(ROOT / "book", html=html)] == []
    main(["leaks", "--book", str(ROOT / "book"), "--html", str(html)])  # exits non-zero on a leak


@pytest.mark.parametrize("missing, command", [("nbformat", "['list']"),
                                              ("nbgrader", "['student', '01', '--out', OUT, '--key', OUT]")])
def test_without_the_teach_extra_the_command_says_what_to_install(missing, command, tmp_path):
    code = (f"import sys; sys.modules[{missing!r}] = None; OUT = {str(tmp_path)!r}; "
            f"from nnbook.teach.__main__ import main; main({command})")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert "pip install -e '.[teach]'" in result.stderr and "teach" in result.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".[teach]" in readme and ".[widgets]" in readme


def test_the_instructors_guide_itself_holds_no_key_line(tmp_path):
    # the guide is in the full book; its examples must not be any exercise's answer
    shutil.copy(ROOT / "book" / "instructors.md", tmp_path / "instructors.md")
    assert [str(leak) for leak in find_leaks(ROOT / "book", html=tmp_path)] == []


def test_the_leak_check_reads_a_pdf(tmp_path):
    pytest.importorskip("pypdf")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    label, lines = next(iter(exercise_key_lines(markup.read_notebook(CHAPTERS[0])).items()))
    for name, text in (("clean.pdf", "Exercise statements only."), ("leaky.pdf", lines[0])):
        fig = plt.figure(figsize=(8, 2))
        fig.text(0.02, 0.5, text, fontsize=10, family="monospace")
        fig.savefig(tmp_path / name)
        plt.close(fig)
    assert find_leaks(ROOT / "book", pdf=tmp_path / "clean.pdf") == []
    leaks = find_leaks(ROOT / "book", pdf=tmp_path / "leaky.pdf")
    assert [(leak.exercise, leak.line) for leak in leaks] == [(label, lines[0])]


@pytest.mark.skipif(not (ROOT / "_build" / "pdf" / "book-student.pdf").is_file(),
                    reason="no student PDF printed (tools/pdf.py writes _build/pdf/book-student.pdf)")
def test_the_printed_student_pdf_has_no_key_line():
    assert [str(leak) for leak in find_leaks(ROOT / "book",
                                             pdf=ROOT / "_build" / "pdf" / "book-student.pdf")] == []


def test_the_html_command_refuses_an_edition_with_a_key_line(tmp_path, capsys):
    config = student_config(ROOT)
    config["execute"].update(execute_notebooks="off", cache=str(tmp_path / "cache"))
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config))
    (tmp_path / "book").mkdir()
    shutil.copy(FIXTURE, tmp_path / "book" / f"{NAME}.ipynb")
    (tmp_path / "intro.md").write_text("# Intro\n\nThe fixture chapter.\n")
    toc = "format: jb-book\nroot: intro\nchapters:\n  - file: book/01_fixture\n"
    (tmp_path / "_toc.yml").write_text(toc)
    main(["html", "--root", str(tmp_path), "--out", "_build/clean", "--", "-W", "-q"])
    assert "leak check passed" in capsys.readouterr().out
    key_line = exercise_key_lines(markup.read_notebook(FIXTURE))["ex-fx-mse"][0]
    (tmp_path / "notes.md").write_text(f"# Notes\n\n```python\n{key_line}\n```\n")
    (tmp_path / "_toc.yml").write_text(toc + "  - file: notes\n")
    with pytest.raises(SystemExit, match="solution lines are in the student edition"):
        main(["html", "--root", str(tmp_path), "--out", "_build/leaky", "--", "-W", "-q"])
