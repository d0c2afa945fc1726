r"""Reverse-mode automatic differentiation on NumPy arrays: a ``Tensor`` that records its graph.

Every operation on :class:`Tensor` objects computes its value *and* remembers its inputs
(``parents``) and its local derivative. ``J.backward()`` then visits the graph from the output
back to the inputs, in reverse topological order, and applies the chain rule at every node:

.. math::

    \bar v = \frac{\partial J}{\partial v}
           = \sum_{u \,:\, v \to u} \bar u \, \frac{\partial u}{\partial v},
    \qquad \bar J = 1 .

The sum runs over every node ``u`` that uses ``v``: a value used twice receives two
contributions. When an operation broadcast ``v`` (a bias of shape ``(d,)`` added to every row of
an ``(n, d)`` array), ``v`` was in effect copied, and its adjoint sums over the copies.

Book: chapter 9, Computational graphs and automatic differentiation.
"""
from __future__ import annotations

import itertools
import math
from operator import attrgetter
from typing import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from .activations import sigmoid as _sigmoid

__all__ = ["Tensor", "cross_entropy", "mlp_loss"]

Backward = Callable[[np.ndarray], Sequence[np.ndarray]]
_CREATED = itertools.count()  # creation stamps: a node is always created after its parents
_created = attrgetter("_stamp")


def _unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the axes that broadcasting added or stretched, back to ``shape``.

    Broadcasting copies a value along an axis; the adjoint of a copied value is the sum of
    the adjoints of its copies. Book: chapter 9, Four local patterns (broadcasting is reuse).
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, d in enumerate(shape) if d == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def _as_data(data: ArrayLike, name: str = "data") -> np.ndarray:
    if isinstance(data, Tensor):
        raise ValueError(f"{name} must be an array or a number, got a Tensor (use it directly)")
    arr = np.asarray(data)
    if arr.dtype.kind != "f":
        if arr.dtype.kind not in "biu":
            raise ValueError(f"{name} must hold real numbers, got dtype {arr.dtype}")
        arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


class Tensor:
    r"""A value in a computational graph: ``data`` (an array) and, after ``backward``, ``grad``.

    Parameters
    ----------
    data : array_like or number
        Finite real numbers; integers and booleans become float64, float dtypes are kept.
        The array is not copied.
    name : str, optional
        A label for the graph picture (``"x"``, ``"W1"``).

    Attributes
    ----------
    data : ndarray
    grad : ndarray or None
        ``∂J/∂(this tensor)``, same shape as ``data``, filled by ``J.backward()``.
    parents : tuple of Tensor
        The inputs of the operation that made this tensor (empty for a leaf).
    op : str
        That operation's name (``"+"``, ``"*"``, ``"@"``, ``"exp"``, ...; ``""`` for a leaf).

    Notes
    -----
    Operators: ``+ - * /`` (broadcasting, plain numbers on either side), unary ``-``, ``@``,
    ``**`` with a number exponent. Book: chapter 9, The graph of an expression.
    """

    __slots__ = ("data", "grad", "parents", "op", "name", "_backward", "_stamp")
    __array_priority__ = 1000  # ndarray + Tensor calls Tensor.__radd__

    def __init__(self, data: ArrayLike, name: str | None = None) -> None:
        self.data = _as_data(data)
        self.grad: np.ndarray | None = None
        self.parents: tuple[Tensor, ...] = ()
        self.op = ""
        self.name = name
        self._backward: Backward | None = None
        self._stamp = next(_CREATED)

    @classmethod
    def _make(cls, data: np.ndarray, parents: tuple[Tensor, ...] = (), op: str = "",
              backward: Backward | None = None) -> Tensor:
        """A node from trusted data (an operation's result, or a constant made in the package)."""
        out = cls.__new__(cls)
        if type(data) is not np.ndarray:  # NumPy returns scalars for 0-d results
            data = np.asarray(data)
        out.data, out.grad, out.parents, out.op, out.name = data, None, parents, op, None
        out._backward, out._stamp = backward, next(_CREATED)
        return out

    def _lift(self, other: Tensor | ArrayLike) -> Tensor:
        """A plain number or array becomes a leaf, in this tensor's dtype for a number."""
        if isinstance(other, Tensor):
            return other
        if isinstance(other, (int, float, np.integer, np.floating)) and not isinstance(other, bool):
            if not math.isfinite(other):
                raise ValueError(f"other operand must be finite (no NaN or inf), got {other!r}")
            return Tensor._make(np.asarray(other, dtype=self.data.dtype))
        return Tensor._make(_as_data(other, "other operand"))

    @property
    def shape(self) -> tuple[int, ...]:
        """``data.shape``."""
        return self.data.shape

    def __repr__(self) -> str:
        value = f"{self.data.item():.6g}" if self.data.size == 1 else f"shape={self.data.shape}"
        grad = "" if self.grad is None else (
            f", grad={self.grad.item():.6g}" if self.grad.size == 1 else ", grad=...")
        op = f", op={self.op!r}" if self.op else ""
        name = f", name={self.name!r}" if self.name else ""
        return f"Tensor({value}{grad}{op}{name})"

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other: Tensor | ArrayLike) -> Tensor:
        """``u = a + b``; local derivatives 1 and 1: the adjoint is passed on to both.

        Book: chapter 9, Four local patterns (add distributes).
        """
        b = self._lift(other)
        return Tensor._make(self.data + b.data, (self, b), "+", lambda g: (g, g))

    def __radd__(self, other: ArrayLike) -> Tensor:
        return self._lift(other) + self

    def __sub__(self, other: Tensor | ArrayLike) -> Tensor:
        """``u = a − b``; local derivatives 1 and −1."""
        b = self._lift(other)
        return Tensor._make(self.data - b.data, (self, b), "-", lambda g: (g, -g))

    def __rsub__(self, other: ArrayLike) -> Tensor:
        return self._lift(other) - self

    def __neg__(self) -> Tensor:
        """``u = −a``; local derivative −1."""
        return Tensor._make(-self.data, (self,), "neg", lambda g: (-g,))

    def __mul__(self, other: Tensor | ArrayLike) -> Tensor:
        """``u = a b``; ``∂u/∂a = b``, ``∂u/∂b = a``: each input gets the adjoint times the other.

        Book: chapter 9, Four local patterns (multiply swaps).
        """
        a, b = self, self._lift(other)
        return Tensor._make(a.data * b.data, (a, b), "*", lambda g: (g * b.data, g * a.data))

    def __rmul__(self, other: ArrayLike) -> Tensor:
        return self._lift(other) * self

    def __truediv__(self, other: Tensor | ArrayLike) -> Tensor:
        """``u = a / b``; ``∂u/∂a = 1/b``, ``∂u/∂b = −a/b²``."""
        a, b = self, self._lift(other)
        return Tensor._make(a.data / b.data, (a, b), "/",
                            lambda g: (g / b.data, -g * a.data / b.data ** 2))

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        return self._lift(other) / self

    def __pow__(self, p: float) -> Tensor:
        """``u = a^p`` for a number ``p``; ``∂u/∂a = p a^{p−1}``."""
        if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)):
            raise ValueError(f"the exponent must be a number (int or float), got {type(p).__name__}")
        a = self
        return Tensor._make(a.data ** p, (a,), f"**{p:g}", lambda g: (g * p * a.data ** (p - 1),))

    def __matmul__(self, other: Tensor | ArrayLike) -> Tensor:
        r"""``U = A B``; ``Ā = Ū Bᵀ``, ``B̄ = Aᵀ Ū`` (1-D operands as a row / a column).

        Shapes: ``(..., n, k) @ (..., k, m)``, batch axes broadcast. Book: chapter 9,
        Exercises (the backward pass of a matrix product).
        """
        a, b = self, self._lift(other)
        if a.data.ndim == 0 or b.data.ndim == 0:
            raise ValueError("@ needs operands with at least one axis, got a 0-d tensor (use *)")
        if a.data.ndim == 2 and b.data.ndim == 2:  # the common case, a dense layer
            return Tensor._make(a.data @ b.data, (a, b), "@",
                                lambda g: (g @ b.data.T, a.data.T @ g))
        A = a.data[None, :] if a.data.ndim == 1 else a.data
        B = b.data[:, None] if b.data.ndim == 1 else b.data

        def backward(g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            if b.data.ndim == 1:  # a column: put its axis back (first, for a 0-d g)
                g = g[..., None]
            if a.data.ndim == 1:  # a row
                g = np.expand_dims(g, -2)
            gA = g @ np.swapaxes(B, -1, -2)
            gB = np.swapaxes(A, -1, -2) @ g
            if a.data.ndim == 1:
                gA = gA.sum(axis=tuple(range(gA.ndim - 2))) if gA.ndim > 2 else gA
                gA = gA[0]
            if b.data.ndim == 1:
                gB = gB.sum(axis=tuple(range(gB.ndim - 2))) if gB.ndim > 2 else gB
                gB = gB[:, 0]
            return gA, gB

        return Tensor._make(a.data @ b.data, (a, b), "@", backward)

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return self._lift(other) @ self

    # ------------------------------------------------------------------ reductions
    def _expand(self, g: np.ndarray, axis: int | tuple[int, ...] | None) -> np.ndarray:
        """The adjoint of a sum: every summed entry receives ``g`` (put the axes back)."""
        if axis is not None:
            g = np.expand_dims(g, axis)
        return np.broadcast_to(g, self.data.shape).copy()

    def sum(self, axis: int | tuple[int, ...] | None = None) -> Tensor:
        r"""``u = Σ a`` over ``axis`` (all entries if None); ``∂u/∂a_k = 1`` for every summed ``k``.

        Book: chapter 9, Four local patterns (broadcasting is reuse).
        """
        axis = _check_axis(axis, self.data.ndim)
        return Tensor._make(np.sum(self.data, axis=axis), (self,), "sum",
                            lambda g: (self._expand(g, axis),))

    def mean(self, axis: int | tuple[int, ...] | None = None) -> Tensor:
        r"""``u = (1/m) Σ a`` over ``axis``, ``m`` the number of summed entries; ``∂u/∂a_k = 1/m``."""
        axis = _check_axis(axis, self.data.ndim)
        out = np.mean(self.data, axis=axis)
        m = self.data.size // max(out.size, 1) if self.data.size else 1
        return Tensor._make(out, (self,), "mean", lambda g: (self._expand(g, axis) / m,))

    # ------------------------------------------------------- elementwise functions
    def exp(self) -> Tensor:
        r"""``u = e^a``; ``∂u/∂a = e^a = u``."""
        out = np.exp(self.data)
        return Tensor._make(out, (self,), "exp", lambda g: (g * out,))

    def log(self) -> Tensor:
        r"""``u = log a`` (natural log, a > 0); ``∂u/∂a = 1/a``."""
        return Tensor._make(np.log(self.data), (self,), "log", lambda g: (g / self.data,))

    def tanh(self) -> Tensor:
        r"""``u = tanh a``; ``∂u/∂a = 1 − u²``."""
        out = np.tanh(self.data)
        return Tensor._make(out, (self,), "tanh", lambda g: (g * (1 - out * out),))

    def sigmoid(self) -> Tensor:
        r"""``u = σ(a) = 1/(1 + e^{−a})``, computed stably; ``∂u/∂a = u(1 − u)``."""
        out = np.asarray(_sigmoid(self.data))
        return Tensor._make(out, (self,), "σ", lambda g: (g * out * (1 - out),))

    def relu(self) -> Tensor:
        r"""``u = max(0, a)``; ``∂u/∂a = 𝟙[a > 0]`` (0 at ``a = 0``, as ``relu_grad``).

        Book: chapter 9, Four local patterns (max routes).
        """
        on = self.data > 0
        return Tensor._make(np.where(on, self.data, 0).astype(self.data.dtype, copy=False),
                            (self,), "relu", lambda g: (g * on,))

    # ------------------------------------------------------------------ shapes
    @property
    def T(self) -> Tensor:
        """``u = aᵀ`` (all axes reversed); the adjoint is transposed back."""
        return Tensor._make(self.data.T, (self,), "T", lambda g: (g.T,))

    def reshape(self, *shape: int) -> Tensor:
        """``u`` = the same entries in a new ``shape``; the adjoint is reshaped back."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            out = self.data.reshape(shape)
        except (ValueError, TypeError) as err:
            raise ValueError(f"shape: cannot reshape {self.data.shape} into {shape}: {err}") from None
        return Tensor._make(out, (self,), "reshape", lambda g: (g.reshape(self.data.shape),))

    # ------------------------------------------------------------------ backward
    def topological_order(self) -> list[Tensor]:
        """Every tensor this one depends on (itself last), each after all of its parents.

        An operation can only create its node once its parents exist, so the order of
        creation is a topological order: the nodes reachable through ``parents`` (found with
        an explicit stack, so a graph thousands of operations deep does not hit Python's
        recursion limit) are sorted by creation. Book: chapter 9, The graph of an expression.
        """
        seen = {id(self): self}
        stack = [self]
        while stack:
            for parent in stack.pop().parents:
                if id(parent) not in seen:
                    seen[id(parent)] = parent
                    stack.append(parent)
        return sorted(seen.values(), key=_created)

    def backward(self) -> None:
        r"""Fill ``.grad`` = ∂J/∂v of every tensor ``v`` that this one-element ``J`` depends on.

        Starts from ``J̄ = 1`` and visits the nodes in reverse topological order, so a node's
        adjoint is complete (every use has contributed, ``v̄ = Σ_u ū ∂u/∂v``) before it is
        passed on to its parents. Contributions are summed over reuse and over broadcast
        axes. Each call recomputes the gradients of the graph from scratch (they replace the
        previous ``.grad``, they do not accumulate). Adjoints may share memory (``+`` hands
        the same array to both inputs): copy a ``.grad`` before changing it in place.

        Raises
        ------
        ValueError
            If this tensor has more than one element: the gradient of a vector is a matrix
            (a Jacobian); reduce it to a scalar first (``.sum()``, ``.mean()``).

        Notes
        -----
        Book: chapter 9, The graph of an expression (and Reverse mode and forward mode).
        """
        if self.data.size != 1:
            raise ValueError(f"backward() needs a one-element tensor (a loss J), got shape "
                             f"{self.data.shape}; reduce it first, e.g. with .sum() or .mean()")
        order = self.topological_order()
        for node in order:
            node.grad = None
        self.grad = np.ones_like(self.data)
        for node in reversed(order):  # every user of a node comes before it: its adjoint is complete
            if node._backward is None:
                continue
            for parent, pg in zip(node.parents, node._backward(node.grad)):
                pg = _unbroadcast(np.asarray(pg), parent.data.shape)
                parent.grad = pg if parent.grad is None else parent.grad + pg


def _check_axis(axis, ndim: int):
    if axis is None:
        return None
    axes = axis if isinstance(axis, tuple) else (axis,)
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) and -ndim <= a < ndim
               for a in axes):
        raise ValueError(f"axis must be None, an int or a tuple of ints in [-{ndim}, {ndim}), got {axis!r}")
    return axis


def cross_entropy(logits: Tensor, labels: ArrayLike) -> Tensor:
    r"""``J = −(1/n) Σ_k log softmax(z_k)_{y_k}`` from Tensor operations (log-sum-exp).

    ``logits`` ``(n, C)``, integer ``labels`` ``(n,)``. The row maximum is subtracted as a
    constant (softmax does not change when a row is shifted, so no gradient is lost).
    Book: chapter 9, Chapter 3's network, rebuilt.
    """
    z = logits.data
    labels = np.asarray(labels)
    if z.ndim != 2 or labels.shape != (z.shape[0],) or labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be integers of shape ({z.shape[0] if z.ndim else '?'},) "
                         f"for logits of shape (n, C), got labels {labels.shape} and logits {z.shape}")
    n, C = z.shape
    if n and (labels.min() < 0 or labels.max() >= C):
        raise ValueError(f"labels must be classes in [0, {C - 1}], got values in "
                         f"[{labels.min()}, {labels.max()}]")
    shifted = logits - Tensor._make(z.max(axis=1, keepdims=True))
    log_sum = shifted.exp().sum(axis=1).log().reshape(n, 1)
    one_hot = np.zeros((n, C), dtype=z.dtype)
    one_hot[np.arange(n), labels] = 1
    return -((shifted - log_sum) * Tensor._make(one_hot)).sum() / n


def mlp_loss(params: dict[str, Tensor], X: ArrayLike, y: ArrayLike, activation: str = "relu") -> Tensor:
    r"""Chapter 3's loss, forward only: ``z^{(l)} = a^{(l−1)} W^{(l)} + b^{(l)}``, ``J`` = cross-entropy.

    ``params`` holds Tensors ``W1, b1, ..., WL, bL`` (as ``MLP.params``); ``X`` ``(n, d_0)``,
    integer ``y`` ``(n,)``. Hidden layers apply ``activation`` (``"relu"``, ``"tanh"`` or
    ``"sigmoid"``), the last is linear. ``J.backward()`` then gives every ``∂J/∂W^{(l)}``.
    Book: chapter 9, Chapter 3's network, rebuilt.
    """
    if activation not in ("relu", "tanh", "sigmoid"):
        raise ValueError(f"activation must be 'relu', 'tanh' or 'sigmoid', got {activation!r}")
    L = sum(1 for key in params if key.startswith("W"))
    a = Tensor(X)
    for l in range(1, L + 1):
        z = a @ params[f"W{l}"] + params[f"b{l}"]
        a = getattr(z, activation)() if l < L else z
    return cross_entropy(a, y)
