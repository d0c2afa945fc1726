"""Convolution: the article's integral, discretized in 1-D and for images, and pooling.

Book: chapter 6, Convolutional networks.

The article defines the convolution of two functions as
``(f * g)(t) = ∫ f(τ) g(t − τ) dτ``. On a grid of step ``dt`` the integral becomes a
Riemann sum, ``dt · Σ_k f[k] g[n − k]``: ``dt`` times the discrete convolution, which is
:func:`convolve`. Deep-learning libraries call "convolution" what is mathematically a
cross-correlation (the kernel is not flipped); :func:`conv2d_forward` follows them, and
:func:`flip_kernel` / :func:`conv2d_true` show the relation between the two.

Images are ``(N, C, H, W)`` (batch, channels, height, width), kernels ``(F, C, KH, KW)``.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validate import as_float, check_int, check_positive

__all__ = [
    "convolve",
    "convolve_integral",
    "conv_output_size",
    "conv2d_forward",
    "conv2d_backward",
    "flip_kernel",
    "conv2d_true",
    "maxpool_forward",
    "maxpool_backward",
    "avgpool_forward",
    "avgpool_backward",
    "flatten_forward",
    "flatten_backward",
]

_MODES = ("full", "same", "valid")


# ---------------------------------------------------------------------------
# 1-D: the article's integral, discretized
# ---------------------------------------------------------------------------
def convolve(f: np.ndarray, g: np.ndarray, mode: str = "full") -> np.ndarray:
    """(f * g)[n] = Σ_k f[k] g[n − k]: the discrete convolution of two 1-D sequences.

    Agrees with ``numpy.convolve`` (which it does not call). Every output is a dot product
    of the shorter sequence, reversed, with a window of the zero-padded longer one; all
    windows are taken at once as a strided view, so there is a single matrix-vector product.

    Parameters
    ----------
    f, g : array_like, shape (m,) and (k,)
        Non-empty 1-D sequences.
    mode : {"full", "same", "valid"}
        ``"full"``: every n where the sequences overlap, length ``m + k − 1``;
        ``"same"``: the centre, length ``max(m, k)``; ``"valid"``: only full overlap,
        length ``max(m, k) − min(m, k) + 1``.

    Returns
    -------
    ndarray, shape depends on ``mode`` (see above).

    Notes
    -----
    Book: chapter 6, Convolutional networks (from the integral to a sum).
    """
    f = as_float(f, "f")
    g = as_float(g, "g")
    for name, arr in (("f", f), ("g", g)):
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array, got shape {arr.shape}")
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, got {mode!r}")
    # Convolution is commutative: slide the shorter sequence (the kernel) over the longer.
    long_, short = (f, g) if f.size >= g.size else (g, f)
    m, k = long_.size, short.size
    padded = np.concatenate([np.zeros(k - 1, long_.dtype), long_, np.zeros(k - 1, long_.dtype)])
    windows = sliding_window_view(padded, k)  # (m + k − 1, k), windows[n, i] = padded[n + i]
    full = windows @ short[::-1]  # Σ_i padded[n + i] short[k − 1 − i] = Σ_j long[n − j] short[j]
    if mode == "full":
        return full
    if mode == "same":
        start = (k - 1) // 2
        return full[start : start + m]
    return full[k - 1 : m]


def convolve_integral(
    f: Callable[[np.ndarray], np.ndarray],
    g: Callable[[np.ndarray], np.ndarray],
    dt: float,
    support: tuple[float, float] = (-5.0, 5.0),
    g_support: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(f * g)(t) = ∫ f(τ) g(t − τ) dτ ≈ dt · Σ_k f(τ_k) g(t − τ_k): a Riemann sum on a grid.

    ``f`` is sampled at ``τ_k = a + k·dt`` (``k = 0, 1, …`` while ``τ_k ≤ b``) on
    ``support = (a, b)``, and ``g`` likewise on ``g_support = (c, d)`` (default: the
    same interval). Outside their supports both functions are taken to be zero. Then at
    ``t_n = a + c + n·dt`` the Riemann sum is exactly ``dt`` times the discrete convolution
    of the samples, ``dt · convolve(f(τ), g(τ))[n]``. As ``dt → 0`` it converges to the
    integral: like ``O(dt)`` where a function jumps, much faster for smooth functions.

    Parameters
    ----------
    f, g : callable
        Vectorized functions of a 1-D array of times.
    dt : float
        Grid step, ``> 0``.
    support, g_support : (float, float)
        Intervals ``(start, stop)`` outside which ``f`` (resp. ``g``) is zero.

    Returns
    -------
    t : ndarray, shape (n_f + n_g − 1,)
        The times ``t_n``.
    values : ndarray, shape (n_f + n_g − 1,)
        The Riemann sums at ``t_n``.

    Notes
    -----
    Book: chapter 6, Convolutional networks (the continuous convolution).
    """
    dt = check_positive(dt, "dt")
    grids = []
    for name, (a, b) in (("support", support), ("g_support", g_support or support)):
        if not (np.isfinite(a) and np.isfinite(b) and a < b):
            raise ValueError(f"{name} must be a finite interval (start, stop) with start < stop, got {(a, b)!r}")
        n = int(np.floor((b - a) / dt + 1e-9)) + 1
        grids.append(a + dt * np.arange(n))
    tau_f, tau_g = grids
    t = tau_f[0] + tau_g[0] + dt * np.arange(tau_f.size + tau_g.size - 1)
    values = dt * convolve(np.asarray(f(tau_f), dtype=float), np.asarray(g(tau_g), dtype=float))
    return t, values


# ---------------------------------------------------------------------------
# 2-D convolution layer (cross-correlation, as in deep-learning libraries)
# ---------------------------------------------------------------------------
def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """out = ⌊(size + 2·padding − kernel) / stride⌋ + 1: positions of a kernel along one axis.

    ``size`` and ``kernel`` are integers >= 1, ``stride`` >= 1, ``padding`` >= 0; a
    ``ValueError`` names the argument otherwise, and says so when the kernel does not fit
    (the result would be < 1). Book: chapter 6, Convolutional networks.
    """
    size, kernel = check_int(size, "size"), check_int(kernel, "kernel")
    stride, padding = check_int(stride, "stride"), check_int(padding, "padding", 0)
    out = (size + 2 * padding - kernel) // stride + 1
    if out < 1:
        raise ValueError(
            f"kernel {kernel} must fit in the padded input of size {size} + 2·{padding} = "
            f"{size + 2 * padding} (increase padding or use a smaller kernel)"
        )
    return out


def _im2col(xp: np.ndarray, kh: int, kw: int, stride: int, oh: int, ow: int) -> np.ndarray:
    """Patches of the padded input as columns: (N, C·KH·KW, OH·OW).

    ``cols[n, (c, i, j), (r, s)] = xp[n, c, r·stride + i, s·stride + j]``. The loop runs
    over the KH·KW kernel offsets only; each iteration copies one strided block of every
    image at once, which is faster than transposing a 6-D sliding-window view.
    """
    n, c = xp.shape[:2]
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=xp.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = xp[:, :, i : i + stride * oh : stride, j : j + stride * ow : stride]
    return cols.reshape(n, c * kh * kw, oh * ow)


def conv2d_forward(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0
) -> tuple[np.ndarray, tuple]:
    """out[k, f, r, c] = b_f + Σ_{ch,u,v} w[f, ch, u, v] · x_pad[k, ch, s·r + u, s·c + v], s = stride.

    This is cross-correlation, as in deep-learning libraries: the kernel is not flipped
    (see :func:`conv2d_true` for the flipped, mathematical convolution). Computed as
    im2col + one matrix product: every patch of the zero-padded input becomes a column
    of length ``C·KH·KW``, and the ``F`` kernels, flattened to rows, multiply all columns
    of an image at once.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    w : ndarray, shape (F, C, KH, KW)
    b : ndarray, shape (F,)
    stride : int, >= 1
    padding : int, >= 0
        Zeros added on every side of the height and width axes.

    Returns
    -------
    out : ndarray, shape (N, F, OH, OW)
        ``OH = (H + 2·padding − KH) // stride + 1``, likewise ``OW``. Floating: float
        inputs keep their dtype, integer inputs are computed in float64.
    cache : tuple
        What :func:`conv2d_backward` needs.

    Notes
    -----
    Book: chapter 6, Convolutional networks.
    """
    # floating (integer images, e.g. uint8 pixels, would silently wrap around in the products)
    x, w, b = as_float(x, "x"), as_float(w, "w"), as_float(b, "b")
    if x.ndim != 4:
        raise ValueError(f"x must be a 4-D array (N, C, H, W), got shape {x.shape}")
    if w.ndim != 4:
        raise ValueError(f"w must be a 4-D array (F, C, KH, KW), got shape {w.shape}")
    n, c, h, wd = x.shape
    f, wc, kh, kw = w.shape
    if w.size == 0:
        raise ValueError(f"w must hold at least one kernel of at least one entry, got shape {w.shape}")
    if wc != c:
        raise ValueError(f"w must have as many channels as x: w has {wc} (w.shape[1]), x has {c} (x.shape[1])")
    if b.shape != (f,):
        raise ValueError(f"b must have shape (F,) = ({f},), got {b.shape}")
    stride = check_int(stride, "stride", 1)
    padding = check_int(padding, "padding", 0)
    if kh > h + 2 * padding or kw > wd + 2 * padding:
        raise ValueError(
            f"w's kernel ({kh}, {kw}) must fit in the padded input "
            f"({h + 2 * padding}, {wd + 2 * padding}) (increase padding or use a smaller kernel)"
        )
    oh = conv_output_size(h, kh, stride, padding)
    ow = conv_output_size(wd, kw, stride, padding)
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding))) if padding else x
    cols = _im2col(xp, kh, kw, stride, oh, ow)  # (N, C·KH·KW, OH·OW)
    w_rows = w.reshape(f, -1)  # (F, C·KH·KW)
    out = (w_rows @ cols).reshape(n, f, oh, ow)  # one batched matrix product
    out += b.reshape(1, f, 1, 1)
    cache = (x.shape, xp.shape, w, cols, stride, padding)
    return out, cache


def conv2d_backward(dout: np.ndarray, cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dw = Σ_n dout_n · cols_nᵀ, db = Σ dout, dx = col2im(w_rowsᵀ · dout): gradients of conv2d.

    Parameters
    ----------
    dout : ndarray, shape (N, F, OH, OW)
        dJ/dout.
    cache : tuple
        From :func:`conv2d_forward`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    dw : ndarray, shape (F, C, KH, KW)
    db : ndarray, shape (F,)

    Notes
    -----
    col2im is the transpose of im2col: each input pixel receives the sum of the gradients
    of every patch that contains it. It is a scatter-add done as a loop over the KH·KW
    kernel offsets; each iteration adds one strided block for all images and channels,
    so the loop has 9 iterations for a 3x3 kernel, independent of the image size.

    Book: chapter 6, Convolutional networks.
    """
    x_shape, xp_shape, w, cols, stride, padding = cache
    n, c, h, wd = x_shape
    f, _, kh, kw = w.shape
    oh = conv_output_size(h, kh, stride, padding)
    ow = conv_output_size(wd, kw, stride, padding)
    dout = as_float(dout, "dout")
    if dout.shape != (n, f, oh, ow):
        raise ValueError(f"dout must have the forward output's shape {(n, f, oh, ow)}, got {dout.shape}")
    d3 = dout.reshape(n, f, oh * ow)
    db = dout.sum(axis=(0, 2, 3))
    # Per-image products then a sum: faster than tensordot, which would copy both operands.
    dw = (d3 @ cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)
    dcols = (w.reshape(f, -1).T @ d3).reshape(n, c, kh, kw, oh, ow)
    dxp = np.zeros(xp_shape, dtype=dcols.dtype)
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i : i + stride * oh : stride, j : j + stride * ow : stride] += dcols[:, :, i, j]
    dx = dxp[:, :, padding : padding + h, padding : padding + wd] if padding else dxp
    return dx, dw, db


def flip_kernel(w: np.ndarray) -> np.ndarray:
    """w_flipped[..., i, j] = w[..., KH − 1 − i, KW − 1 − j]: the kernel rotated by 180°.

    Cross-correlating with the flipped kernel is the mathematical convolution (and vice
    versa), because flipping turns ``x[r + i] w[i]`` into ``x[r + i] w[K − 1 − i]``,
    i.e. ``Σ_u x[u] w[(r + K − 1) − u]``, the discrete form of ``∫ f(τ) g(t − τ) dτ``.

    Book: chapter 6, Convolutional networks.
    """
    w = as_float(w, "w")
    if w.ndim < 2:
        raise ValueError(f"w must have at least 2 dimensions (…, KH, KW), got shape {w.shape}")
    return w[..., ::-1, ::-1]


def conv2d_true(
    x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None, stride: int = 1, padding: int = 0
) -> np.ndarray:
    """(x ∗ w)[t] = Σ_u x[u] · w[t − u]: the mathematical (flipped-kernel) 2-D convolution.

    Here ``t`` and ``u`` are pixel positions ``(row, column)``. Computed as
    ``conv2d_forward(x, flip_kernel(w), b, …)``; with stride 1 and padding ``p``,
    ``out[r, s] = (x ∗ w)[r + KH − 1 − p, s + KW − 1 − p]``, so ``p = K − 1`` gives the
    "full" convolution (as ``scipy.signal.convolve2d``) and ``p = 0`` its "valid" part.
    A single image ``x`` of shape ``(H, W)`` with a kernel ``w`` of shape ``(KH, KW)`` is
    accepted too and returns ``(OH, OW)``.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W) or (H, W)
    w : ndarray, shape (F, C, KH, KW) or (KH, KW)
    b : ndarray, shape (F,), optional (default zeros)

    Returns
    -------
    ndarray, shape (N, F, OH, OW) or (OH, OW)

    Notes
    -----
    Book: chapter 6, Convolutional networks.
    """
    x, w = as_float(x, "x"), as_float(w, "w")
    single = x.ndim == 2
    if single:
        if w.ndim != 2:
            raise ValueError(f"w must be 2-D (KH, KW) when x is a single 2-D image, got shape {w.shape}")
        x, w = x[None, None], w[None, None]
    if b is None:
        b = np.zeros(w.shape[0] if w.ndim == 4 else 1, dtype=np.result_type(x, w))
    out, _ = conv2d_forward(x, flip_kernel(w), b, stride=stride, padding=padding)
    return out[0, 0] if single else out


# Pooling and flattening live in nnbook.pool (one concept per module); they stay importable
# from here, as before.
from .pool import (  # noqa: E402
    avgpool_backward,
    avgpool_forward,
    flatten_backward,
    flatten_forward,
    maxpool_backward,
    maxpool_forward,
)
