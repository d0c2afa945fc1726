"""Repository-wide pytest setup: headless matplotlib for the package tests.

Notebook tests (nbval) run in their own kernels and are unaffected.
"""
import os

os.environ.setdefault("MPLBACKEND", "Agg")
