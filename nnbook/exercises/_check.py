"""Shared helpers for exercise checks: each failure says *what* is wrong, not just False.

A check raises :class:`ExerciseError` (an ``AssertionError``, so graders count it as a
failed test) with a message naming the exercise, the point where the answer went wrong,
and what was expected. On success it prints one line and returns ``True``.
"""
from __future__ import annotations

import functools
import json
import re
import traceback
from pathlib import Path
from typing import Any, Callable, NoReturn

import numpy as np


class ExerciseError(AssertionError):
    """Raised by an exercise check with a message that explains the mistake.

    In a notebook (IPython) it shows as that one line, not as a traceback through the
    package's check code, which tells a student nothing. When the student's own function
    crashed (the error has a ``__cause__``), the full traceback is shown, since its frames
    point into the student's code.
    """

    def _render_traceback_(self) -> list[str]:
        # IPython calls this to render the error (a list of lines, ANSI colours allowed).
        if self.__cause__ is not None:  # the student's crash: its frames, then this line
            cause = self.__cause__
            lines = traceback.format_exception(type(cause), cause, cause.__traceback__)
            return ["".join(lines[:1] + lines[2:]).rstrip()] + [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


def _chapter(exercise: str) -> str:
    """``"chapter 3"`` for a label ``ex-ch03-...``, else ``""``."""
    parts = exercise.split("-")
    number = parts[1][2:] if len(parts) > 1 and parts[1].startswith("ch") else ""
    return f"chapter {int(number)}" if number.isdigit() else ""


@functools.lru_cache(maxsize=None)
def _labels_in_order(chapter: int) -> tuple[str, ...]:
    """The exercise labels of chapter ``chapter`` in the book's order (read from the chapter
    notebook next to the package, in a clone); empty when the book is not there."""
    book = Path(__file__).resolve().parents[2] / "book"
    labels: list[str] = []
    for path in sorted(book.glob(f"{chapter:02d}_*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError):
            return ()
        for cell in cells:
            source = "".join(cell.get("source", []))
            if cell.get("cell_type") == "markdown" and re.match(r"\s*(`{3,}|:{3,})\{exercise\}", source):
                found = re.search(r"^:label:\s*(\S+)", source, flags=re.MULTILINE)
                if found:
                    labels.append(found.group(1))
    return tuple(labels)


def exercise_name(exercise: str) -> str:
    """How the book numbers ``exercise``: ``"exercise 3.2"`` (the second of chapter 3), or
    ``"this exercise of chapter 3"`` when the book's notebooks are not at hand."""
    chapter = _chapter(exercise)
    if not chapter:
        return "this exercise"
    number = int(chapter.split()[1])
    labels = _labels_in_order(number)
    if exercise in labels:
        return f"exercise {number}.{labels.index(exercise) + 1}"
    return f"this exercise of {chapter}"


def fail(exercise: str, message: str) -> NoReturn:
    """Raise :class:`ExerciseError` with ``message``, prefixed by the exercise label."""
    raise ExerciseError(f"[{exercise}] {message}")


def passed(exercise: str, message: str = "all checks passed") -> bool:
    """Print the one-line confirmation of a correct answer and return True."""
    print(f"[{exercise}] correct: {message}")
    return True


def call(exercise: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call the student's function, turning a crash into a readable failure."""
    if not callable(fn):
        fail(exercise, f"expected a function, got {type(fn).__name__}")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        name = getattr(fn, "__name__", "the function")
        error = ExerciseError(
            f"[{exercise}] {exercise_name(exercise)} is not done yet: replace `raise "
            f"NotImplementedError()` in {name} with your code, then run this cell again "
            f"(the function is not implemented yet)")
    except ExerciseError:
        raise
    except Exception as err:  # the student's code crashed: report how, with its traceback
        raise ExerciseError(f"[{exercise}] calling it raised {type(err).__name__}: {err}") from err
    raise error  # outside the except block: no "during handling" chain, one line in a notebook


def matches(got: Any, expected: Any, *, rtol: float = 1e-6, atol: float = 1e-8) -> bool:
    """True if ``got`` has the shape of ``expected`` and the same values (to recognize mistakes)."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def check_shape(exercise: str, name: str, got: Any, expected_shape: tuple) -> np.ndarray:
    """``got`` as an array, or a failure saying which shape it has and which was expected."""
    got = np.asarray(got)
    if got.shape != tuple(expected_shape):
        fail(exercise, f"{name} has shape {got.shape}, expected {tuple(expected_shape)}")
    return got


def check_close(exercise: str, name: str, got: Any, expected: Any, *, at: str = "",
                rtol: float = 1e-6, atol: float = 1e-8, hint: str = "") -> None:
    """Compare values; on mismatch name the first wrong entry and where it was evaluated."""
    expected = np.asarray(expected, dtype=float)
    got = check_shape(exercise, name, got, expected.shape)
    if not np.all(np.isfinite(got)):
        fail(exercise, f"{name} contains inf or nan{(' ' + at) if at else ''}")
    bad = ~np.isclose(got, expected, rtol=rtol, atol=atol)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
        where = f" at index {idx}" if idx else ""
        msg = (f"{name}{where} is {got[idx] if idx else got.item():.6g}, "
               f"expected {expected[idx] if idx else expected.item():.6g}")
        if at:
            msg += f" ({at})"
        if hint:
            msg += f". Hint: {hint}"
        fail(exercise, msg)
