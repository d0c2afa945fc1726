"""Figures for the book, one module per chapter's figures; every name is re-exported here.

``from nnbook.plots import plot_loss_curves`` works for every figure function: this package
imports each of its public modules and re-exports the names in their ``__all__`` (a new
module, e.g. ``optimization.py`` for chapter 8, is picked up without editing this file).
Every figure function attaches a default text alternative computed from its data
(:func:`nnbook.figures.set_alt`), so ``show(fig)`` needs no explicit ``alt``. This package
imports matplotlib; ``nnbook`` loads it lazily.

Book: every chapter's figures.
"""
from __future__ import annotations

import importlib
import pkgutil

from ._style import CLASS_COLORS, COLORS, FIGSIZE

__all__: list[str] = ["COLORS", "CLASS_COLORS", "FIGSIZE"]
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("_") or _info.name == "part1":
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _name in getattr(_module, "__all__", ()):
        if _name in globals() and globals()[_name] is not getattr(_module, _name):
            raise ImportError(f"nnbook.plots: {_name!r} is defined in two modules")
        globals()[_name] = getattr(_module, _name)
        if _name not in __all__:
            __all__.append(_name)
del _info, _module, _name
