"""Instructor tooling: student versions, instructor keys, grading, a student HTML build.

Command line (see ``book/instructors.md``)::

    python -m nnbook.teach student [CHAPTER ...]   # student/ (blank) and instructor/ (key)
    python -m nnbook.teach grade SUBMISSIONS       # grading/grades.csv
    python -m nnbook.teach html                    # the book without solutions
    python -m nnbook.teach list                    # the exercises per chapter
    python -m nnbook.teach leaks --html DIR        # no solution line in student artefacts

Built on nbgrader and nbformat, the package's optional ``teach`` extra
(``pip install -e '.[teach]'``; ``requirements.txt`` has them too), imported only when a
command runs: without them, the commands say which extra to install.
"""
from importlib import import_module

__all__ = ["make_student", "make_key", "grade_submissions", "find_exercises", "build_student_html",
           "find_leaks"]

_WHERE = {"make_student": "student", "make_key": "student", "grade_submissions": "grade",
          "find_exercises": "markup", "build_student_html": "html", "find_leaks": "leaks"}


def __getattr__(name: str):
    if name in _WHERE:
        try:
            module = import_module(f".{_WHERE[name]}", __name__)
        except ModuleNotFoundError as err:
            raise ModuleNotFoundError(
                f"nnbook.teach.{name} needs the package's 'teach' extra ({err.name} is not "
                f"installed): pip install -e '.[teach]'", name=err.name) from None
        return getattr(module, name)
    raise AttributeError(f"module 'nnbook.teach' has no attribute {name!r}")
