"""Argument checks shared by the package's modules (private).

The package validates at its boundary: a bad argument raises ``ValueError`` whose message
names the argument and says what was expected. These helpers are the checks that several
modules need in exactly the same form.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike


#: Training stops as diverged when the loss exceeds this multiple of its value at the start.
DIVERGENCE_FACTOR = 1e4


class DivergenceWarning(RuntimeWarning):
    """Issued once when training diverges (the loss overflowed or exploded): lower η."""


def as_float(x: ArrayLike, name: str = "x", finite: bool = True) -> np.ndarray:
    """Return ``x`` as a floating array (float dtypes kept, booleans and integers -> float64).

    Complex numbers, strings and objects that are not numbers raise ``ValueError`` (a cast
    would drop the imaginary part with a warning, or parse text as numbers). With ``finite``
    (the default) NaN or ±inf raise ``ValueError`` too: data enter the package finite.
    """
    try:
        x = np.asarray(x)
        if x.dtype.kind != "f":  # like np.issubdtype(x.dtype, np.floating), ten times faster
            if x.dtype.kind not in "biuO":
                raise ValueError(f"{name} must hold real numbers, got dtype {x.dtype}")
            if x.dtype.kind == "O" and not all(_is_real(v) for v in x.flat):
                kinds = sorted({type(v).__name__ for v in x.flat if not _is_real(v)})
                raise ValueError(f"{name} must hold real numbers, got {', '.join(kinds)}")
            x = x.astype(np.float64)
    except (TypeError, ValueError) as error:  # ragged lists, None, objects that are not numbers
        if str(error).startswith(name):
            raise
        raise ValueError(f"{name} must be an array of real numbers ({error})") from None
    if finite:
        check_finite(x, name)
    return x


def check_finite(x: np.ndarray, name: str) -> None:
    """``ValueError`` naming ``name`` unless every entry of the array ``x`` is finite."""
    if x.dtype.kind in "fc" and not np.isfinite(x).all():
        bad = np.argwhere(~np.isfinite(x))
        where = tuple(int(i) for i in bad[0]) if x.ndim else ()
        raise ValueError(
            f"{name} must be finite, got {len(bad)} NaN or infinite entr"
            f"{'y' if len(bad) == 1 else 'ies'} (the first at index {where}: {x[where]!r})"
        )


def int_labels(labels: ArrayLike, name: str = "labels", n: int | None = None,
               k: int | None = None) -> np.ndarray:
    """Class labels as an int64 vector: the package's one rule for labels.

    Integers are accepted, and floats whose values are whole numbers (``2.0``, as data read
    from a text file often are); booleans, fractions, NaN/inf and other dtypes raise
    ``ValueError``. A column ``(n, 1)`` becomes a vector ``(n,)``. With ``n``: exactly ``n``
    labels; with ``k``: every label in ``[0, k)``; otherwise every label ``>= 0``.
    """
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1:
        raise ValueError(f"{name} must have shape (n,) or (n, 1), got {labels.shape}")
    if n is not None and labels.shape[0] != n:
        raise ValueError(f"{name} must have one entry per row ({n}), got {labels.shape[0]}")
    if labels.dtype.kind == "f":
        check_finite(labels, name)
        if np.any(labels != np.round(labels)):
            raise ValueError(f"{name} must be integer class indices, got non-integer values")
    elif labels.dtype.kind not in "iu":
        raise ValueError(f"{name} must be integer class indices, got dtype {labels.dtype}")
    labels = labels.astype(np.int64, copy=False)
    high = "" if k is None else f", {k - 1}"
    if labels.size and (labels.min() < 0 or (k is not None and labels.max() >= k)):
        raise ValueError(
            f"{name} must be in [0{high}]"
            + (" (class indices)" if k is None else f" (class indices, K = {k} classes)")
            + f", got values from {labels.min()} to {labels.max()}"
        )
    return labels


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
    try:
        dtype = np.dtype(dtype)
    except TypeError:  # an unknown name such as "floatt32"
        raise ValueError(f"dtype must be a floating type (e.g. np.float64), got {dtype!r}") from None
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


def check_rows(X: ArrayLike, d: int, dtype: np.dtype, name: str = "X", what: str = "inputs") -> np.ndarray:
    """A batch of rows ``(n, d)``, ``n >= 1``, of finite real numbers, cast to ``dtype``."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != d or X.shape[0] == 0:
        raise ValueError(f"{name} must have shape (n, {d}) with n >= 1 ({what} = {d}), got {X.shape}")
    if X.dtype.kind not in "iuf":  # real numbers (not bool, not complex)
        raise ValueError(f"{name} must hold real numbers, got dtype {X.dtype}")
    check_finite(X, name)
    return X.astype(dtype, copy=False)


def check_targets(y: ArrayLike, n: int, loss: str, d_out: int, dtype: np.dtype,
                  name: str = "y") -> np.ndarray:
    """Targets of a network with ``d_out`` outputs trained with ``loss``, in canonical form.

    ``"ce"``: class labels (see :func:`int_labels`) in ``[0, d_out)``, int64 ``(n,)``;
    ``"bce"``: labels 0/1 or targets in [0, 1], ``(n,)`` or ``(n, 1)`` -> float ``(n,)``;
    ``"mse"``: finite real targets ``(n, d_out)`` (``(n,)`` when ``d_out = 1``).
    """
    y = np.asarray(y)
    if loss == "ce":
        return int_labels(y, name, n=n, k=d_out)
    if loss == "mse":
        if y.shape == (n,) and d_out == 1:
            y = y[:, None]
        if y.shape != (n, d_out):
            raise ValueError(f"{name} must have shape ({n}, {d_out}) for loss='mse', got {y.shape}")
        if y.dtype.kind not in "iuf":  # real numbers (a complex cast would warn)
            raise ValueError(f"{name} must hold real numbers, got dtype {y.dtype}")
        check_finite(y, name)
        return y.astype(dtype, copy=False)
    if y.shape == (n, 1):
        y = y[:, 0]
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) or ({n}, 1) for loss={loss!r}, got {y.shape}")
    if y.dtype.kind not in "biuf":  # reals or booleans
        raise ValueError(f"{name} must hold labels 0/1 (or targets in [0, 1]) for loss='bce', got dtype {y.dtype}")
    check_finite(y, name)
    if not (y.min() >= 0 and y.max() <= 1):
        raise ValueError(f"{name} must hold labels 0/1 (or targets in [0, 1]) for loss='bce'")
    return y.astype(dtype)
