"""Repository-wide pytest setup.

* Headless matplotlib for the package tests, chosen in this process only: an
  ``MPLBACKEND`` environment variable would be inherited by the notebook kernels (nbval, the
  book build) and silently drop every inline figure.
* One BLAS thread: the book's matrices are small, and OpenBLAS threads fighting over two
  cores made training 10–20× slower. Set before NumPy is imported, and inherited by the
  kernels nbval starts for the notebooks.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
