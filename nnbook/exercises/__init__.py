"""Checks for the book's exercises, one module per chapter (``nnbook.exercises.chNN``).

Every check takes the student's answer (usually a function), raises
:class:`ExerciseError` with a specific message when it is wrong, and prints a one-line
confirmation when it is right. Adding exercises to a chapter: write ``check_*`` functions
in that chapter's module using the helpers in ``_check`` and list them in its ``__all__``.
"""
from importlib import import_module

from ._check import ExerciseError

__all__ = ["ExerciseError"]

_CHAPTERS = ("ch01", "ch02", "ch03", "ch04", "ch05", "ch06", "ch07", "ch08", "ch09", "ch10", "ch11", "ch12")

for _name in _CHAPTERS:
    try:
        _mod = import_module(f".{_name}", __name__)
    except ModuleNotFoundError as err:  # a chapter without exercises yet
        if err.name != f"{__name__}.{_name}":
            raise
        continue
    for _public in getattr(_mod, "__all__", []):
        globals()[_public] = getattr(_mod, _public)
        __all__.append(_public)
