"""Figures for the book, one module per group of chapters; every name is re-exported here.

``from nnbook.plots import plot_loss_curves`` works for every figure function. This package
imports matplotlib; ``nnbook`` loads it lazily.

Book: every chapter's figures.
"""
from .part1 import *  # noqa: F401,F403
from .part1 import __all__ as _part1_all

__all__ = list(_part1_all)
