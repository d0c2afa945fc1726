"""Residual connections: h ← h + F(h), so ∂h_out/∂h_in = I + ∂F/∂h has an identity path.

Book: chapter 11, Residual connections.

:func:`residual_forward` / :func:`residual_backward` are one block, ``F(h) = φ(h W + b)``.
:class:`ResidualMLP` is chapter 5's network (:class:`nnbook.network.MLP`, same sizes, same
initial weights for the same seed) in which every hidden layer whose input and output widths
agree becomes a residual block; with ``residual=False`` it is exactly chapter 5's network, so a
comparison changes the skip connections alone.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_float, check_positive, check_shape, int_labels
from .activations import get_activation
from .losses import cross_entropy_with_grad, softmax
from .network import MLP

__all__ = ["residual_forward", "residual_backward", "ResidualMLP"]


def residual_forward(
    h: ArrayLike, W: ArrayLike, b: ArrayLike, activation: str = "relu"
) -> tuple[np.ndarray, dict[str, Any]]:
    r"""h_out = h + φ(h W + b): a dense layer added to its own input (a skip connection).

    Parameters
    ----------
    h : array, shape (n, d)
    W : array, shape (d, d)
        Square: the block's output must have its input's width to be added to it.
    b : array, shape (d,)
    activation : {"sigmoid", "tanh", "relu", "linear"}

    Returns
    -------
    out : ndarray, shape (n, d)
    cache : dict for :func:`residual_backward`

    Notes
    -----
    Book: chapter 11, Residual connections.
    """
    h, W, b = as_float(h, "h"), as_float(W, "W"), as_float(b, "b")
    if h.ndim != 2:
        raise ValueError(f"h must have shape (n, d), got {h.shape}")
    d = h.shape[1]
    check_shape(W, (d, d), "W", "(d, d)")
    check_shape(b, (d,), "b", "(d,)")
    f, f_grad = get_activation(activation)
    z = h @ W + b
    out = h + f(z)
    return out, {"h": h, "W": W, "z": z, "f_grad": f_grad}


def residual_backward(
    dout: ArrayLike, cache: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""∂J/∂h = ∂J/∂h_out + δ Wᵀ with δ = ∂J/∂h_out ⊙ φ'(z): the identity path plus the layer's.

    Returns
    -------
    dh (n, d), dW (d, d), db (d,)

    Notes
    -----
    Book: chapter 11, Residual connections.
    """
    dout = as_float(dout, "dout")
    check_shape(dout, cache["z"].shape, "dout", "(n, d)")
    delta = dout * cache["f_grad"](cache["z"])
    return dout + delta @ cache["W"].T, cache["h"].T @ delta, delta.sum(axis=0)


class ResidualMLP:
    r"""Chapter 5's MLP with skip connections: a^(l) = a^(l−1) + φ(z^(l)) where widths agree.

    Layer 1 (input → hidden) and layer L (hidden → classes, softmax cross-entropy) are plain
    dense layers; every hidden layer ``l = 2 … L−1`` with ``d_{l−1} = d_l`` is a residual block
    when ``residual`` is True, a plain layer a^(l) = φ(z^(l)) otherwise.

    Parameters
    ----------
    sizes : sequence of int
        [d_0, d_1, …, d_L] as for :class:`nnbook.network.MLP`.
    activation : {"sigmoid", "tanh", "relu"}
    residual : bool
        Skip connections on (True) or off (exactly chapter 5's network).
    init : as for MLP
    seed : int
        The initial weights are MLP(sizes, activation, init=init, seed=seed)'s.
    branch_scale : float > 0
        Multiplies the initial W of every residual block (1: MLP's weights unchanged).
        With ReLU every block adds a nonnegative branch to a nonnegative input, so besides the
        branch's own square (about branch_scale² times the input's second moment) a positive
        cross term (about proportional to branch_scale) adds to the second moment:
        ``1/√(number of blocks)`` slows its growth a great deal but does not bound it
        (:meth:`second_moments` measures it; chapter 11 shows both).

    Notes
    -----
    Book: chapter 11, Residual connections.
    """

    def __init__(self, sizes: Sequence[int], activation: str = "relu", residual: bool = True,
                 init: str | float | None = None, seed: int = 0,
                 branch_scale: float = 1.0) -> None:
        if not isinstance(residual, (bool, np.bool_)):
            raise ValueError(f"residual must be True or False, got {residual!r}")
        base = MLP(sizes, activation=activation, loss="ce", init=init, seed=seed)
        self.sizes, self.activation, self.residual = base.sizes, activation, bool(residual)
        self.params = {k: v.copy() for k, v in base.params.items()}
        self._f, self._f_grad = get_activation(activation)
        self.branch_scale = check_positive(branch_scale, "branch_scale")
        for l in range(2, self.n_layers):
            if self._is_block(l):
                self.params[f"W{l}"] *= self.branch_scale

    @property
    def n_blocks(self) -> int:
        """The number of residual blocks (0 with ``residual=False``)."""
        return sum(self._is_block(l) for l in range(2, self.n_layers))

    @property
    def n_layers(self) -> int:
        """L, the number of weight layers."""
        return len(self.sizes) - 1

    def _is_block(self, l: int) -> bool:
        return self.residual and 1 < l < self.n_layers and self.sizes[l - 1] == self.sizes[l]

    def _forward(self, X: np.ndarray) -> tuple[np.ndarray, list]:
        a, caches = X, []
        for l in range(1, self.n_layers + 1):
            W, b = self.params[f"W{l}"], self.params[f"b{l}"]
            z = a @ W + b
            caches.append((a, z))
            if l == self.n_layers:
                return z, caches
            a = a + self._f(z) if self._is_block(l) else self._f(z)
        raise AssertionError("unreachable")

    def _check_X(self, X: ArrayLike) -> np.ndarray:
        X = as_float(X, "X")
        if X.ndim != 2 or X.shape[1] != self.sizes[0] or X.shape[0] == 0:
            raise ValueError(f"X must have shape (n, {self.sizes[0]}) with n >= 1, got {X.shape}")
        return X

    def forward(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities softmax(z^(L)), shape (n, C)."""
        return softmax(self._forward(self._check_X(X))[0])

    def loss_and_grads(self, X: ArrayLike, y: ArrayLike) -> tuple[float, dict[str, np.ndarray]]:
        r"""J (mean cross-entropy) and ∂J/∂θ for every parameter, keyed like ``params``.

        Through a block: ∂J/∂a^(l−1) = ∂J/∂a^(l) + δ^(l) W^(l)ᵀ, δ^(l) = ∂J/∂a^(l) ⊙ φ'(z^(l)).
        """
        X = self._check_X(X)
        y = int_labels(y, "y", n=X.shape[0], k=self.sizes[-1])
        logits, caches = self._forward(X)
        J, da = cross_entropy_with_grad(logits, y)
        grads: dict[str, np.ndarray] = {}
        for l in range(self.n_layers, 0, -1):
            a_prev, z = caches[l - 1]
            delta = da if l == self.n_layers else da * self._f_grad(z)
            grads[f"W{l}"], grads[f"b{l}"] = a_prev.T @ delta, delta.sum(axis=0)
            back = delta @ self.params[f"W{l}"].T
            da = da + back if self._is_block(l) else back
        return float(J), {k: grads[k] for k in self.params}

    def second_moments(self, X: ArrayLike) -> np.ndarray:
        """mean(a^(l)²) over the batch and units, for l = 0 … L−1 (the input of every layer).

        Book: chapter 11, Residual connections.
        """
        _, caches = self._forward(self._check_X(X))
        return np.array([float(np.mean(a ** 2)) for a, _ in caches])

    def grad_norms(self, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """‖∂J/∂W^(l)‖ (Frobenius) for l = 1 … L: chapter 5's per-layer measurement."""
        _, grads = self.loss_and_grads(X, y)
        return np.array([np.linalg.norm(grads[f"W{l}"]) for l in range(1, self.n_layers + 1)])
