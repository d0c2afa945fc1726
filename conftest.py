"""Repository-wide pytest setup.

* Headless matplotlib for the package tests, chosen in this process only: an
  ``MPLBACKEND`` environment variable would be inherited by the notebook kernels (nbval, the
  book build) and silently drop every inline figure.
* One BLAS thread: the book's matrices are small, and OpenBLAS threads fighting over two
  cores made training 10–20× slower. Set before NumPy is imported, and inherited by the
  kernels nbval starts for the notebooks.
* Quiet kernels: a private IPython profile drops the kernel's "running over TCP without
  encryption" notice, which nobody running the tests can act on.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from nnbook._quiet_kernels import quiet_kernels  # noqa: E402

quiet_kernels()  # the kernels nbval starts print no TCP-encryption notice

import matplotlib  # noqa: E402

matplotlib.use("Agg")
