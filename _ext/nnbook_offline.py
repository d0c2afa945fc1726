"""Sphinx extension used by the book build: make every page work with no network.

* MathJax 3 is served from the build (copied from the pip package ``sphinx-mathjax-offline``
  into ``_build/html/mathjax``), not from a CDN.
* ``NNBOOK_STATIC_WIDGETS=1`` is set before the notebooks execute, so every knob made with
  :func:`nnbook.widgets.knob` renders as precomputed frames switched by a plain HTML/JS
  slider instead of an ipywidget that would need a kernel.
* One BLAS thread for the executing kernels: the book's matrices are small and OpenBLAS
  threads contending for few cores slowed training 10–20×.
"""
from __future__ import annotations

import os
import shutil
from importlib.metadata import distribution
from pathlib import Path

MATHJAX_DIST = "sphinx-mathjax-offline"


def mathjax_source() -> Path:
    path = Path(distribution(MATHJAX_DIST).locate_file(f"{MATHJAX_DIST}/static/mathjax"))
    if not (path / "tex-chtml.js").is_file():
        raise RuntimeError(f"MathJax not found in the {MATHJAX_DIST} package at {path}")
    return path


def copy_mathjax(app, exc) -> None:
    if exc is None and app.builder.format == "html":
        shutil.copytree(mathjax_source(), Path(app.outdir) / "mathjax", dirs_exist_ok=True)


def setup(app):
    os.environ["NNBOOK_STATIC_WIDGETS"] = "1"
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    mathjax_source()  # fail early, with a clear message, if the package is missing
    # Sphinx puts relative paths under _static/; "../" lands at the build root.
    app.config.mathjax_path = "../mathjax/tex-chtml.js"
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
