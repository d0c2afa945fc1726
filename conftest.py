"""Repository-wide pytest setup.

* Headless matplotlib for the package tests.
* One BLAS thread: the book's matrices are small, and OpenBLAS threads fighting over two
  cores made training 10–20× slower. Set before NumPy is imported, and inherited by the
  kernels nbval starts for the notebooks.
"""
import os

os.environ.setdefault("MPLBACKEND", "Agg")
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
