"""Argument checks shared by the package's modules (private).

The package validates at its boundary: a bad argument raises ``ValueError`` whose message
names the argument and says what was expected. These helpers are the checks that several
modules need in exactly the same form.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def as_float(x: ArrayLike, name: str = "x") -> np.ndarray:
    """Return ``x`` as a floating array (float dtypes kept, booleans and integers -> float64).

    Complex numbers and strings raise ``ValueError`` (a cast would drop the imaginary part
    with a warning, or parse text as numbers).
    """
    x = np.asarray(x)
    if x.dtype.kind != "f":  # like np.issubdtype(x.dtype, np.floating), ten times faster
        if x.dtype.kind not in "biuO":
            raise ValueError(f"{name} must hold real numbers, got dtype {x.dtype}")
        x = x.astype(np.float64)
    return x


def is_int(value: Any) -> bool:
    """True for a Python or NumPy integer (``bool`` is not counted as one)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int(value: Any, name: str, minimum: int = 1) -> int:
    """``value`` as an ``int``, or ``ValueError`` unless it is an integer >= ``minimum``."""
    if not is_int(value) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _is_real(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def check_nonnegative(value: Any, name: str) -> float:
    """``value`` as a ``float``, or ``ValueError`` unless it is a finite real number >= 0."""
    if not _is_real(value) or not 0 <= value < np.inf:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def check_positive(value: Any, name: str) -> float:
    """``value`` as a ``float``, or ``ValueError`` unless it is a finite real number > 0."""
    if not _is_real(value) or not 0 < value < np.inf:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def check_unit_interval(value: Any, name: str) -> float:
    """``value`` as a ``float``, or ``ValueError`` unless it is a real number in [0, 1)."""
    if not _is_real(value) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)


def check_rng(rng: Any, name: str = "rng") -> None:
    """``ValueError`` unless ``rng`` is a ``numpy.random.Generator`` or None."""
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"{name} must be a numpy.random.Generator (e.g. np.random.default_rng(0)) or None, "
            f"got {type(rng).__name__}"
        )


def check_float_dtype(dtype: Any) -> np.dtype:
    """``dtype`` as a ``numpy.dtype``, or ``ValueError`` unless it is a floating type."""
    dtype = np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        raise ValueError(f"dtype must be a floating type (e.g. np.float64), got {dtype}")
    return dtype


def check_shape(arr: np.ndarray, shape: tuple[int, ...], name: str, meaning: str = "") -> None:
    """``ValueError`` unless ``arr.shape == shape``; ``meaning`` (e.g. "(H, H)") is quoted."""
    if np.shape(arr) != shape:
        what = f"{meaning} = {shape}" if meaning else f"{shape}"
        raise ValueError(f"{name} must have shape {what}, got {np.shape(arr)}")


def check_pair(X_val: Any, y_val: Any) -> None:
    """``ValueError`` unless validation inputs and targets are given together (or neither)."""
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together (or neither)")
