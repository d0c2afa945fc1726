"""Small data sets made in code or shipped with the package (never downloaded).

Every function that draws random numbers takes an explicit ``seed`` (or ``rng``), so the
same call always returns the same numbers. Inputs are rows: ``X`` has shape ``(n, d)``.
Classification labels are integer arrays of shape ``(n,)``.

Book: used throughout (two moons, spirals, XOR, a 1-D regression, handwritten digits).
"""
from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

import numpy as np

from ._validate import as_float, check_int, check_nonnegative, check_positive, int_labels

__all__ = [
    "make_moons",
    "make_spiral",
    "make_xor",
    "make_regression_1d",
    "make_noisy_sines",
    "load_digits",
    "train_test_split",
    "flip_labels",
    "one_hot",
]


def _check_labels(y: np.ndarray) -> np.ndarray:
    """``y`` as an int64 vector, or ``ValueError`` unless it holds class labels >= 0.

    The package's one rule for labels (``_validate.int_labels``): integers, or floats
    that are whole numbers.
    """
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of non-negative integer labels, got shape {y.shape}")
    return int_labels(y, "y")


def _real_array(a: np.ndarray, name: str) -> np.ndarray:
    """``a`` as an array of finite real numbers (any real dtype kept), or ``ValueError``."""
    a = np.asarray(a)
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold real numbers, got dtype {a.dtype}")
    return as_float(a, name) if a.dtype.kind == "f" else a


def make_moons(n: int, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles: class 0 on top, class 1 shifted down and right.

    Class 0 lies on ``(cos t, sin t)`` and class 1 on ``(1 - cos t, 1/2 - sin t)``,
    ``t`` in ``[0, π]``, plus Gaussian noise of standard deviation ``noise``; the rows are
    shuffled. No straight line separates the classes, so a network needs a hidden layer.

    Parameters
    ----------
    n : int
        Number of points (``n // 2`` in class 0, the rest in class 1), ``n >= 2``.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    seed : int
        Seed of the random generator.

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64, values 0 and 1

    Book: chapter 1, Structure of a network (and chapters 3–5).
    """
    n = check_int(n, "n", 2)
    noise = check_nonnegative(noise, "noise")
    rng = np.random.default_rng(seed)
    n0 = n // 2
    n1 = n - n0
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    X = np.concatenate(
        [
            np.column_stack([np.cos(t0), np.sin(t0)]),
            np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)]),
        ]
    )
    y = np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)])
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(n)
    return X[order], y[order]


def make_spiral(
    n: int, n_classes: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Interleaved spiral arms, one per class: ``x = r (sin θ, cos θ)``.

    Along arm ``k`` the radius ``r`` grows linearly from 0 to 1 while the angle ``θ`` runs
    over ``[4k, 4k + 4]`` (radians), with Gaussian noise of standard deviation ``noise``
    added to ``θ``. The rows are shuffled.

    Parameters
    ----------
    n : int
        Total number of points, split as evenly as possible between the classes.
    n_classes : int
        Number of arms (classes), ``>= 2``.
    noise, seed
        Angular noise and random seed.

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64, values ``0 .. n_classes - 1``

    Book: chapters 3 and 5 (a harder problem than the moons).
    """
    n_classes = check_int(n_classes, "n_classes", 2)
    n = check_int(n, "n", n_classes)
    noise = check_nonnegative(noise, "noise")
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes, dtype=np.int64), -(-n // n_classes))[:n]
    # position of each point along its own arm, in [0, 1]
    counts = np.bincount(y, minlength=n_classes)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(n) - starts[y]
    r = rank / np.maximum(counts[y] - 1, 1)
    theta = 4.0 * y + 4.0 * r + noise * rng.standard_normal(n)
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    order = rng.permutation(n)
    return X[order], y[order]


def make_xor(n: int, noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The XOR problem: four Gaussian blobs at ``(±1, ±1)``, label ``[x₁ > 0] XOR [x₂ > 0]``.

    The label is 1 when the blob centre has coordinates of opposite signs. A single neuron
    (a linear boundary) cannot separate the classes; one hidden layer can.

    Parameters
    ----------
    n : int
        Number of points, spread as evenly as possible over the four blobs (``n >= 4``).
    noise : float
        Standard deviation of the blobs.
    seed : int
        Seed of the random generator.

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64, values 0 and 1

    Book: chapter 1, Structure of a network (why hidden layers).
    """
    n = check_int(n, "n", 4)
    noise = check_nonnegative(noise, "noise")
    rng = np.random.default_rng(seed)
    centres = np.array([[1.0, 1.0], [-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0]])
    blob = np.arange(n) % 4
    X = centres[blob] + noise * rng.standard_normal((n, 2))
    y = (blob >= 2).astype(np.int64)
    order = rng.permutation(n)
    return X[order], y[order]


def make_regression_1d(
    n: int, noise: float = 0.1, seed: int = 0, low: float = -3.0, high: float = 3.0
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy samples of a sine wave: ``y = sin(x) + ε``, ``ε ~ N(0, noise²)``.

    ``x`` is drawn uniformly from ``[low, high]`` and the rows are sorted by ``x`` so that
    predictions can be drawn as a line. The noise-free target is ``np.sin``.

    Parameters
    ----------
    n : int
        Number of points.
    noise : float
        Standard deviation of the additive Gaussian noise.
    seed : int
        Seed of the random generator.
    low, high : float
        Interval of the inputs, ``low < high``.

    Returns
    -------
    X : ndarray, shape (n, 1), float64
    y : ndarray, shape (n, 1), float64

    Book: chapter 3, Backpropagation (MSE), and chapter 4, Overfitting.
    """
    n = check_int(n, "n")
    noise = check_nonnegative(noise, "noise")
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"low and high must be finite with low < high, got {low!r}, {high!r}")
    rng = np.random.default_rng(seed)
    X = np.sort(rng.uniform(low, high, size=n))[:, None]
    y = np.sin(X) + noise * rng.standard_normal((n, 1))
    return X, y


def make_noisy_sines(
    n: int, T: int, seed: int = 0, period: float = 20.0, noise: float = 0.1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Next-step prediction on noisy sines: ``s_t = sin(2πt/period + φ) + ε_t``, ``φ ~ U[0, 2π)``.

    Each of the ``n`` sequences has its own random phase φ and Gaussian noise ``ε_t`` with
    standard deviation ``noise``. The task is to predict ``s_{t+1}`` from ``s_1..s_t``.

    Returns
    -------
    x : ndarray, shape (n, T, 1)
        Inputs ``s_0 .. s_{T-1}`` (rows, as ``rnn_forward`` expects).
    y : ndarray, shape (n, T, 1)
        Targets: the next noisy values ``s_1 .. s_T``.
    clean : ndarray, shape (n, T)
        The noise-free next values, to compare a prediction with the signal itself.

    Book: chapter 7, Recurrent networks (training an RNN).
    """
    n = check_int(n, "n")
    T = check_int(T, "T")
    noise = check_nonnegative(noise, "noise")
    period = check_positive(period, "period")
    rng = np.random.default_rng(seed)
    t = np.arange(T + 1)
    clean = np.sin(2 * np.pi * t / period + rng.uniform(0, 2 * np.pi, size=(n, 1)))
    noisy = clean + noise * rng.standard_normal(clean.shape)
    return noisy[:, :-1, None], noisy[:, 1:, None], clean[:, 1:]


@lru_cache(maxsize=1)
def _read_digits() -> np.ndarray:
    source = resources.files("nnbook").joinpath("_data", "digits.csv.gz")
    with source.open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.int64)
    table.setflags(write=False)
    return table


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten 8×8 digits shipped with the package, pixels scaled to [0, 1].

    Each row of ``X`` is an image read row by row (``X[i].reshape(8, 8)``); the raw pixel
    values 0–16 are divided by 16. Read from ``nnbook/_data/digits.csv.gz`` (UCI optical
    recognition of handwritten digits, CC BY 4.0); nothing is downloaded.

    Returns
    -------
    X : ndarray, shape (1797, 64), float64, values in [0, 1]
    y : ndarray, shape (1797,), int64, values 0..9

    Book: chapter 6, Convolutional networks (and chapter 4).
    """
    table = _read_digits()
    X = table[:, :64] / 16.0
    y = table[:, 64].copy()
    return X, y


def train_test_split(
    X: np.ndarray, y: np.ndarray, test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the rows and hold out ``round(test_fraction · n)`` of them for testing.

    Parameters
    ----------
    X : ndarray, shape (n, ...)
    y : ndarray, shape (n, ...)
    test_fraction : float
        Fraction of the rows in the test set, in (0, 1); both parts must be non-empty.
    seed : int
        Seed of the shuffle.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarrays (rows of ``X`` and ``y``, same order)

    Book: chapter 4, Overfitting (training versus validation error).
    """
    X, y = _real_array(X, "X"), _real_array(y, "y")
    if X.ndim == 0 or y.ndim == 0 or X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of rows, got shapes {X.shape} and {y.shape}"
        )
    if not (0.0 < test_fraction < 1.0):
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    n = X.shape[0]
    if n < 2:
        raise ValueError(f"X must have at least 2 rows to split, got {n}")
    n_test = int(round(test_fraction * n))
    if n_test < 1 or n_test > n - 1:
        raise ValueError(
            f"test_fraction={test_fraction} of n={n} rows leaves an empty training or test set"
        )
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def flip_labels(
    y: np.ndarray,
    fraction: float,
    rng: np.random.Generator | int,
    n_classes: int | None = None,
) -> np.ndarray:
    """Label noise: give ``round(fraction · n)`` randomly chosen rows a different, random class.

    A flipped label is ``(y + k) mod K`` with ``k`` uniform in ``1 .. K-1``, so it always
    changes (for two classes, 0 ↔ 1). The input is not modified.

    Parameters
    ----------
    y : ndarray of int, shape (n,)
        Labels in ``0 .. K-1``.
    fraction : float
        Fraction of rows to corrupt, in [0, 1].
    rng : numpy.random.Generator or int
        Random generator (or a seed for one).
    n_classes : int, optional
        ``K``; by default ``max(y) + 1`` (at least 2).

    Returns
    -------
    ndarray of int, shape (n,)
        A new label array.

    Book: chapter 4, Overfitting (a network can memorise noisy labels).
    """
    y = _check_labels(y)
    if not (0.0 <= fraction <= 1.0):
        raise ValueError(f"fraction must be in [0, 1], got {fraction!r}")
    K = max(int(y.max()) + 1 if y.size else 2, 2) if n_classes is None else int(n_classes)
    if K < 2 or (y.size and y.max() >= K):
        raise ValueError(f"n_classes must be >= 2 and larger than every label, got {n_classes!r}")
    rng = np.random.default_rng(rng)
    n_flip = int(round(fraction * y.size))
    rows = rng.choice(y.size, size=n_flip, replace=False)
    noisy = y.copy()
    noisy[rows] = (y[rows] + rng.integers(1, K, size=n_flip)) % K
    return noisy


def one_hot(y: np.ndarray, n_classes: int | None = None) -> np.ndarray:
    """One-hot encoding: ``Y[i, k] = 1`` if ``y[i] == k`` else 0.

    Parameters
    ----------
    y : ndarray of int, shape (n,)
        Labels in ``0 .. K-1``.
    n_classes : int, optional
        ``K``; by default ``max(y) + 1``.

    Returns
    -------
    ndarray, shape (n, K), float64

    Book: chapter 3, Backpropagation (cross-entropy against one-hot targets).
    """
    y = _check_labels(y)
    K = (int(y.max()) + 1 if y.size else 0) if n_classes is None else int(n_classes)
    if y.size and y.max() >= K:
        raise ValueError(f"n_classes must be larger than every label, got {n_classes!r}")
    return (y[:, None] == np.arange(K)).astype(np.float64)
