"""Pooling and flattening: the layers between a convolution and a dense classifier.

Max pooling keeps the largest value of each ``size × size`` window (its backward pass routes
the gradient to that entry), average pooling their mean (its backward spreads the gradient
evenly), and flattening turns ``(N, C, H, W)`` feature maps into rows ``(N, C·H·W)``. Every
layer is a pair ``<name>_forward(...) -> (out, cache)``, ``<name>_backward(dout, cache)``.

Book: chapter 6, Convolutional networks (pooling).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import as_float, check_int

__all__ = [
    "maxpool_forward",
    "maxpool_backward",
    "avgpool_forward",
    "avgpool_backward",
    "flatten_forward",
    "flatten_backward",
]


# ---------------------------------------------------------------------------
# Pooling and flattening
# ---------------------------------------------------------------------------
def _check_pool(x: np.ndarray, size: Any, stride: Any) -> tuple[int, int, int, int]:
    if x.ndim != 4:
        raise ValueError(f"x must be a 4-D array (N, C, H, W), got shape {x.shape}")
    size = check_int(size, "size", 1)
    stride = check_int(stride, "stride", 1)
    h, w = x.shape[2:]
    if size > h or size > w:
        raise ValueError(f"size must be at most the input's height and width ({h}, {w}), got {size}")
    return size, stride, (h - size) // stride + 1, (w - size) // stride + 1


def _window_views(x: np.ndarray, size: int, stride: int, oh: int, ow: int):
    """Yield (k, view) for each window offset (i, j), k = i·size + j (row-major).

    ``view[n, c, r, s] = x[n, c, r·stride + i, s·stride + j]``: offset (i, j) of every window
    at once, as a strided view (writing to it writes to ``x``).
    """
    for i in range(size):
        for j in range(size):
            yield i * size + j, x[:, :, i : i + stride * oh : stride, j : j + stride * ow : stride]


def maxpool_forward(x: np.ndarray, size: int = 2, stride: int = 2) -> tuple[np.ndarray, tuple]:
    """out[n, c, r, s] = max_{0≤i,j<size} x[n, c, r·stride + i, s·stride + j].

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    size : int
        Window side.
    stride : int
        Step between windows (``stride < size`` gives overlapping windows).

    Returns
    -------
    out : ndarray, shape (N, C, OH, OW), ``OH = (H − size) // stride + 1``
    cache : tuple

    Notes
    -----
    A running maximum over the size² window offsets (a loop of 4 steps for 2x2 windows,
    each on whole strided blocks, not on pixels), remembering which offset won. Ties are
    routed deterministically: the strict ``>`` keeps the first maximum of the window in
    row-major order, and only that element receives the gradient.
    Book: chapter 6, Convolutional networks.
    """
    x = as_float(x, "x")
    size, stride, oh, ow = _check_pool(x, size, stride)
    out, arg = None, np.zeros((x.shape[0], x.shape[1], oh, ow), dtype=np.intp)
    for k, view in _window_views(x, size, stride, oh, ow):
        if out is None:
            out = view.copy()
            continue
        better = view > out
        np.copyto(out, view, where=better)
        arg[better] = k
    cache = (x.shape, x.dtype, arg, size, stride)
    return out, cache


def maxpool_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """dx[n, c, u, v] = Σ dout[n, c, r, s] over the windows (r, s) whose maximum is x[n, c, u, v].

    Parameters
    ----------
    dout : ndarray, shape (N, C, OH, OW)
    cache : tuple
        From :func:`maxpool_forward`.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)

    Notes
    -----
    Each output's gradient goes to the input position of its (first) maximum; the loop
    over window offsets adds, for offset k, the gradients of the windows won at k. With
    overlapping windows an input can win several windows and its gradients add up.
    Book: chapter 6, Convolutional networks.
    """
    x_shape, dtype, arg, size, stride = cache
    dout = as_float(dout, "dout")
    if dout.shape != arg.shape:
        raise ValueError(f"dout must have the forward output's shape {arg.shape}, got {dout.shape}")
    oh, ow = arg.shape[2:]
    dx = np.zeros(x_shape, dtype=np.result_type(dtype, dout.dtype))
    for k, view in _window_views(dx, size, stride, oh, ow):
        view += np.where(arg == k, dout, 0)
    return dx


def avgpool_forward(x: np.ndarray, size: int = 2, stride: int = 2) -> tuple[np.ndarray, tuple]:
    """out[n, c, r, s] = (1 / size²) Σ_{0≤i,j<size} x[n, c, r·stride + i, s·stride + j].

    Shapes as :func:`maxpool_forward`. Book: chapter 6, Convolutional networks.
    """
    x = as_float(x, "x")
    size, stride, oh, ow = _check_pool(x, size, stride)
    total = sum(view for _, view in _window_views(x, size, stride, oh, ow))
    return total / (size * size), (x.shape, size, stride)


def avgpool_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """dx[n, c, u, v] = Σ dout[n, c, r, s] / size² over the windows (r, s) that contain (u, v).

    A scatter-add looping over the size² window offsets (not over pixels).
    Book: chapter 6, Convolutional networks.
    """
    x_shape, size, stride = cache
    dout = as_float(dout, "dout")
    n, c, h, w = x_shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    if dout.shape != (n, c, oh, ow):
        raise ValueError(f"dout must have the forward output's shape {(n, c, oh, ow)}, got {dout.shape}")
    share = dout / (size * size)
    dx = np.zeros(x_shape, dtype=share.dtype)
    for _, view in _window_views(dx, size, stride, oh, ow):
        view += share
    return dx


def flatten_forward(x: np.ndarray) -> tuple[np.ndarray, tuple]:
    """out = x.reshape(N, C·H·W): feature maps as rows for a dense layer.

    Book: chapter 6, Convolutional networks.
    """
    x = as_float(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x must have a batch axis and at least one more, got shape {x.shape}")
    return x.reshape(x.shape[0], -1), x.shape


def flatten_backward(dout: np.ndarray, cache: tuple) -> np.ndarray:
    """dx = dout.reshape(x.shape): the inverse of :func:`flatten_forward`.

    Book: chapter 6, Convolutional networks.
    """
    dout = as_float(dout, "dout")
    if dout.size != int(np.prod(cache)) or dout.shape[:1] != cache[:1]:
        raise ValueError(f"dout must have shape {(cache[0], int(np.prod(cache[1:])))}, got {dout.shape}")
    return dout.reshape(cache)
