"""What a student sees when a check fails in a notebook (issue 12): one clear line."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from nnbook.exercises import ExerciseError
from nnbook.exercises._check import call

ROOT = Path(__file__).resolve().parents[1]

BLANK = '''
def my_dense_backward(dz, cache):
    # YOUR CODE HERE
    raise NotImplementedError()
'''


def _number(label: str) -> str:
    """The book's number of an exercise, from the chapter's markup (as sphinx-exercise counts)."""
    from nnbook.teach import markup

    chapter = int(label.split("-")[1][2:])
    path = next(p for p in markup.chapter_notebooks(ROOT / "book") if p.stem.startswith(f"{chapter:02d}_"))
    labels = [ex.label for ex in markup.find_exercises(markup.read_notebook(path))]
    return f"{chapter}.{labels.index(label) + 1}"


def test_a_blank_answer_says_what_to_do_naming_the_exercise_and_function():
    namespace: dict = {}
    exec(BLANK, namespace)
    with pytest.raises(ExerciseError) as info:
        call("ex-ch03-dense-backward", namespace["my_dense_backward"], 1, 2)
    message = str(info.value)
    number = _number("ex-ch03-dense-backward")
    assert message.startswith(f"[ex-ch03-dense-backward] exercise {number} is not done yet"), message
    assert "replace `raise NotImplementedError()` in my_dense_backward" in message
    assert info.value.__cause__ is None and info.value.__context__ is None
    # a label the book does not have still names its chapter
    with pytest.raises(ExerciseError, match=r"this exercise of chapter 3 is not done yet"):
        call("ex-ch03-not-in-the-book", namespace["my_dense_backward"], 1, 2)


def _run(cells: list[str]) -> list[dict]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True)
    client.execute()
    return [o for c in nb.cells for o in c.outputs if o.output_type == "error"]


def test_in_a_notebook_a_blank_answer_is_one_line_and_a_crash_keeps_its_traceback():
    errors = _run([
        BLANK + "\nfrom nnbook.exercises._check import call\n"
                "call('ex-ch03-dense-backward', my_dense_backward, 1, 2)",
        "def broken(x):\n    return x.shape_typo\n"
        "call('ex-ch03-dense-backward', broken, 1)",
    ])
    blank, crash = errors
    assert blank.ename == "ExerciseError" and len(blank.traceback) == 1, blank.traceback
    assert "not done yet" in blank.traceback[0]
    # the student's own code crashed: the traceback shows where, in the student's cell
    assert crash.ename == "ExerciseError" and len(crash.traceback) > 1
    assert any("shape_typo" in line for line in crash.traceback)
