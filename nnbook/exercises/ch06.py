"""Checks for the exercises of chapter 6, Convolutional networks.

Each check calls the student's function on small, fixed inputs whose answers are computed
here from first principles (``numpy.convolve`` and a sliding-window sum), and explains the
typical mistakes: a flipped kernel, an output that is one too long or too short, a padding
counted once instead of on both sides.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._check import call, check_close, fail, passed

__all__ = ["check_output_size", "check_conv1d", "check_correlate2d"]


def _reference_size(H: int, K: int, stride: int, padding: int) -> int:
    return (H + 2 * padding - K) // stride + 1


def check_output_size(my_output_size: Callable) -> bool:
    """Check ``my_output_size(H, K, stride=1, padding=0)`` = ⌊(H + 2p − K)/s⌋ + 1."""
    ex = "ex-ch06-output-size"
    cases = [(8, 3, 1, 0), (8, 3, 1, 1), (28, 5, 1, 2), (8, 3, 2, 0), (7, 3, 2, 1),
             (32, 4, 3, 0), (10, 2, 2, 0), (9, 9, 1, 0), (5, 3, 3, 1), (64, 7, 2, 3)]
    for H, K, s, p in cases:
        got = call(ex, my_output_size, H, K, stride=s, padding=p)
        expected = _reference_size(H, K, s, p)
        at = f"H={H}, K={K}, stride={s}, padding={p}"
        if isinstance(got, (float, np.floating)) and not float(got).is_integer():
            fail(ex, f"got the non-integer {got} for {at}: a size is a whole number of "
                     "positions; use floor division //")
        try:
            got_int = int(got)
        except (TypeError, ValueError):
            fail(ex, f"expected an integer for {at}, got {type(got).__name__}")
        if got_int == expected:
            continue
        hint = ""
        if p and got_int in (_reference_size(H - p, K, s, p), _reference_size(H, K, s, 0)):
            hint = "the padding adds p pixels on BOTH sides of the image, so 2p in total"
        elif s > 1 and got_int == H + 2 * p - K + 1:
            hint = "with stride s the kernel only visits every s-th position"
        elif got_int == expected - 1:
            hint = "one too few: the first position of the kernel also counts (the '+ 1')"
        elif got_int == expected + 1:
            hint = "one too many: count the positions where the whole kernel fits"
        fail(ex, f"output size is {got_int}, expected {expected} ({at})"
                 + (f". Hint: {hint}" if hint else ""))
    return passed(ex, f"the right size in all {len(cases)} cases")


def check_conv1d(my_conv1d: Callable) -> bool:
    """Check ``my_conv1d(f, g)`` = the full discrete convolution Σ_k f[k] g[n − k]."""
    ex = "ex-ch06-conv1d"
    rng = np.random.default_rng(6)
    cases = [(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5])),
             (rng.normal(size=7), rng.normal(size=3)),
             (rng.normal(size=4), rng.normal(size=6)),
             (np.array([2.0]), np.array([1.0, -1.0]))]
    for f, g in cases:
        got = np.asarray(call(ex, my_conv1d, f.copy(), g.copy()), dtype=float)
        expected = np.convolve(f, g)
        at = f"f of length {len(f)}, g of length {len(g)}"
        if got.ndim != 1:
            fail(ex, f"expected a 1-D array, got shape {got.shape} ({at})")
        if got.shape != expected.shape:
            n = len(got)
            hint = ""
            if n == abs(len(f) - len(g)) + 1:
                hint = ("that is the 'valid' part only; the full convolution has a value "
                        "wherever the two signals overlap at all")
            elif n in (len(f) + len(g), len(f) + len(g) - 2):
                hint = "off by one: the full result has len(f) + len(g) − 1 entries"
            fail(ex, f"result has length {n}, expected len(f) + len(g) − 1 = {len(expected)} "
                     f"({at})" + (f". Hint: {hint}" if hint else ""))
        correlations = (np.convolve(f, g[::-1]), np.convolve(f[::-1], g))
        if any(np.allclose(got, c) and not np.allclose(expected, c) for c in correlations):
            fail(ex, f"this is the cross-correlation Σ_k f[k] g[n + k], not the convolution "
                     f"({at}). Hint: the kernel must be flipped, g[n − k]")
        check_close(ex, "the convolution", got, expected, at=at,
                    hint="(f * g)[n] = Σ_k f[k] g[n − k]")
    if not np.allclose(call(ex, my_conv1d, cases[1][1], cases[1][0]), np.convolve(*cases[1])):
        fail(ex, "swapping f and g changes your result, but convolution is commutative")
    return passed(ex, "matches numpy.convolve, and is commutative")


def _correlate2d(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    windows = sliding_window_view(image, kernel.shape)
    return np.einsum("ijkl,kl->ij", windows, kernel)


def check_correlate2d(my_correlate2d: Callable) -> bool:
    """Check ``my_correlate2d(image, kernel)`` = the 'valid' cross-correlation
    out[i, j] = Σ_{u,v} image[i + u, j + v] kernel[u, v]."""
    ex = "ex-ch06-correlate2d"
    rng = np.random.default_rng(7)
    cases = [(np.arange(16.0).reshape(4, 4), np.array([[1.0, 0.0], [0.0, -1.0]])),
             (rng.normal(size=(6, 7)), rng.normal(size=(3, 3))),
             (rng.normal(size=(5, 8)), rng.normal(size=(2, 4)))]
    for image, kernel in cases:
        got = np.asarray(call(ex, my_correlate2d, image.copy(), kernel.copy()), dtype=float)
        expected = _correlate2d(image, kernel)
        at = f"image {image.shape}, kernel {kernel.shape}"
        if got.shape != expected.shape:
            H, W = image.shape
            KH, KW = kernel.shape
            hint = ""
            if got.shape == image.shape:
                hint = "that is a 'same'-size output; without padding it shrinks to H − K + 1"
            elif got.shape == (H - KH, W - KW):
                hint = "one position short in each direction: the size is H − K + 1"
            elif got.shape == (H - KH + 2, W - KW + 2):
                hint = "one position too many: the kernel must fit entirely inside the image"
            elif got.shape == (W - KW + 1, H - KH + 1):
                hint = "rows and columns are swapped"
            fail(ex, f"output has shape {got.shape}, expected {expected.shape} ({at})"
                     + (f". Hint: {hint}" if hint else ""))
        flipped = _correlate2d(image, kernel[::-1, ::-1])
        if np.allclose(got, flipped) and not np.allclose(expected, flipped):
            fail(ex, f"this is the true convolution (kernel flipped in both directions), "
                     f"but deep-learning layers compute the cross-correlation ({at}). "
                     "Hint: do not flip the kernel")
        check_close(ex, "the feature map", got, expected, at=at,
                    hint="out[i, j] = Σ_u Σ_v image[i + u, j + v] · kernel[u, v]")
    return passed(ex, "valid cross-correlation, right shapes")
