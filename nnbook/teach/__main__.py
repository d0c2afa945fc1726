"""``python -m nnbook.teach``: the instructor's commands (see ``book/instructors.md``)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The teaching tools need the "teach" extra (nbgrader, nbformat, pyyaml); the package alone
# does not. Say so, instead of a bare ModuleNotFoundError.
TEACH_EXTRA = "pip install -e '.[teach]'  (or: pip install -r requirements.txt)"
_TEACH_MODULES = ("nbformat", "nbgrader", "yaml", "nbclient", "traitlets", "sqlalchemy")

try:
    from .markup import chapter_notebooks, find_exercises, read_notebook
except ModuleNotFoundError as _missing:  # checked again in main(), which says what to do
    if (_missing.name or "").split(".")[0] not in _TEACH_MODULES:
        raise
    _MISSING: ModuleNotFoundError | None = _missing
else:
    _MISSING = None


def _needs_extra(err: ModuleNotFoundError) -> SystemExit:
    return SystemExit(f"error: python -m nnbook.teach needs the package's 'teach' extra "
                      f"({(err.name or '').split('.')[0]} is not installed): {TEACH_EXTRA}")


def _chapters(book: str, wanted: list[str]) -> list[Path]:
    """Chapter notebooks by path, name or number prefix (``03``); default: all with exercises."""
    found = chapter_notebooks(book)
    if not wanted:
        chosen = [p for p in found if find_exercises(read_notebook(p), p)]
    else:
        chosen = []
        for item in wanted:
            path = Path(item)
            matches = [path] if path.suffix == ".ipynb" and path.is_file() else [
                p for p in found if p.stem == item or p.stem.startswith(f"{item}_")]
            if not matches:
                names = ", ".join(p.stem for p in found) or "none"
                raise SystemExit(f"error: no chapter {item!r} in {book} (chapters: {names})")
            chosen += matches
    if not chosen:
        raise SystemExit(f"error: no chapter notebooks with exercises in {book}")
    return chosen


def _list(args) -> None:
    for path in _chapters(args.book, args.chapters):
        for ex in find_exercises(read_notebook(path), path):
            points = f"{ex.points:g} pt" if ex.kind == "coding" else "by hand"
            print(f"{path.stem}\t{ex.label}\t{ex.kind}\t{points}\t{ex.title}")


def _student(args) -> None:
    from .student import make_key, make_student

    chapters = _chapters(args.book, args.chapters)
    for path in make_student(chapters, args.out):
        print(f"student version: {path}")
    for path in make_key(chapters, args.key):
        print(f"instructor key:  {path}")


def _key(args) -> None:
    from .student import make_key

    for path in make_key(_chapters(args.book, args.chapters), args.out):
        print(f"instructor key: {path}")


def _grade(args) -> None:
    from .grade import grade_submissions

    rows = grade_submissions(args.submissions, book=args.book, out=args.out,
                             timeout=args.timeout, workdir=args.keep, jobs=args.jobs,
                             progress=lambda line: print(line, flush=True))
    totals: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        if row.kind == "coding":
            total = totals.setdefault((row.student, row.chapter), [0.0, 0.0])
            total[0] += row.score
            total[1] += row.max_score
    for (student, chapter), (score, top) in sorted(totals.items()):
        print(f"{student}\t{chapter}\t{score:g}/{top:g}")
    print(f"wrote {len(rows)} rows (one per student, chapter and exercise) to {args.out}")


def _html(args) -> None:
    from .html import build_student_html

    from .leaks import find_leaks

    html = build_student_html(args.root, args.out, tuple(args.build_args or ("-W", "--keep-going")))
    leaks = find_leaks(Path(args.root) / "book", html=html)  # the same check as `teach leaks`
    for leak in leaks:
        print(f"LEAK {leak}")
    if leaks:
        sys.exit(f"error: {len(leaks)} solution lines are in the student edition {html}: do not publish it")
    print(f"student edition (no solutions, no instructors' page; leak check passed): {html / 'index.html'}")


def _leaks(args) -> None:
    from .leaks import find_leaks

    if not (args.html or args.notebooks or args.pdf):
        raise ValueError("give at least one of --html, --notebooks, --pdf")
    for name, path in (("html", args.html), ("notebooks", args.notebooks), ("pdf", args.pdf)):
        if path and not Path(path).exists():
            raise ValueError(f"--{name} {path} does not exist (build or make it first)")
    leaks = find_leaks(args.book, html=args.html, notebooks=args.notebooks, pdf=args.pdf)
    for leak in leaks:
        print(f"LEAK {leak}")
    if leaks:
        sys.exit(f"error: {len(leaks)} solution lines found in student artefacts")
    print("no solution line found in the student artefacts")


def _sync_launch(args) -> None:
    from .._launch import HOW_TO_SET, _config, repository, sync_launch

    changed = sync_launch(args.root, check=args.check)
    url, branch = repository(_config(args.root))
    where = f"{url} (branch {branch})" if url else "no repository"
    for path in changed:
        print(f"{'differs' if args.check else 'updated'}: {path}")
    print(f"{len(changed)} notebook(s) {'differ from' if args.check else 'updated to'} the Colab cell for {where}")
    if url is None:
        print(f"note: {HOW_TO_SET}")
    if args.check and changed:
        sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    """The command line ``python -m nnbook.teach {list,student,key,grade,html} ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m nnbook.teach",
        description="Student versions, instructor keys and grading for the book's exercises "
                    "(nbgrader underneath).")
    sub = parser.add_subparsers(dest="command", required=True)

    def chapters_arg(p):
        p.add_argument("chapters", nargs="*", metavar="CHAPTER",
                       help="chapter number (03), name (03_backpropagation) or notebook path; "
                            "default: every chapter with exercises")
        p.add_argument("--book", default="book", help="folder of the chapter notebooks (book)")

    p = sub.add_parser("list", help="list the exercises of each chapter")
    chapters_arg(p)
    p.set_defaults(run=_list)

    p = sub.add_parser("student", help="write the student version and the instructor key")
    chapters_arg(p)
    p.add_argument("--out", default="student", help="folder for the student notebooks (student)")
    p.add_argument("--key", default="instructor", help="folder for the key (instructor)")
    p.set_defaults(run=_student)

    p = sub.add_parser("key", help="write only the instructor key")
    chapters_arg(p)
    p.add_argument("--out", default="instructor", help="folder for the key (instructor)")
    p.set_defaults(run=_key)

    p = sub.add_parser("grade", help="autograde a folder of submissions into a CSV")
    p.add_argument("submissions", help="folder: <student>/<chapter>.ipynb, or "
                                       "<student>_<chapter>.ipynb files")
    p.add_argument("--book", default="book", help="folder of the chapter notebooks (book)")
    p.add_argument("--out", default="grading/grades.csv", help="CSV file (grading/grades.csv)")
    p.add_argument("--timeout", type=int, default=120,
                   help="seconds a cell may run before it is interrupted and fails (120)")
    p.add_argument("--jobs", "-j", type=int, default=1,
                   help="notebooks graded at a time, in parallel (1); at most one per CPU core")
    p.add_argument("--keep", metavar="DIR", default=None,
                   help="keep nbgrader's course folder (graded notebooks, gradebook) in DIR")
    p.set_defaults(run=_grade)

    p = sub.add_parser("html", help="build the book without solutions")
    p.add_argument("--root", default=".", help="the book's folder, with _config.yml (.)")
    p.add_argument("--out", default="_build/student",
                   help="build folder; the pages go to OUT/_build/html (_build/student)")
    p.add_argument("build_args", nargs=argparse.REMAINDER,
                   help="arguments for jupyter-book build after '--' (default: -W --keep-going)")
    p.set_defaults(run=_html)

    p = sub.add_parser("leaks", help="check that no solution line is in the student artefacts")
    p.add_argument("--book", default="book", help="folder of the chapter notebooks (book)")
    p.add_argument("--html", help="student HTML folder (e.g. _build/student/_build/html)")
    p.add_argument("--notebooks", help="folder of student notebooks (e.g. student)")
    p.add_argument("--pdf", help="student PDF file, if there is one")
    p.set_defaults(run=_leaks)

    p = sub.add_parser("sync-launch", help="rewrite each chapter's first (Colab) cell from "
                                            "repository.url in _config.yml")
    p.add_argument("--root", default=".", help="the book's folder, with _config.yml (.)")
    p.add_argument("--check", action="store_true", help="only report (exit 1 if a notebook differs)")
    p.set_defaults(run=_sync_launch)

    args = parser.parse_args(argv)
    if _MISSING is not None:
        raise _needs_extra(_MISSING)
    if getattr(args, "build_args", None) and args.build_args[0] == "--":
        args.build_args = args.build_args[1:]
    try:
        args.run(args)
    except ValueError as err:
        sys.exit(f"error: {err}")
    except ModuleNotFoundError as err:
        if (err.name or "").split(".")[0] not in _TEACH_MODULES:
            raise
        raise _needs_extra(err) from None


if __name__ == "__main__":
    main()
