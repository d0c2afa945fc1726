"""A small multilayer perceptron built from the package's layers (training: :mod:`nnbook.training`).

Layer ``l`` (``l = 1 .. L``) computes ``z_l = a_{l-1} @ W_l + b_l`` with ``a_0 = X``. A hidden
layer then applies, in this order, batch normalization (optional), the activation
``a_l = f(z_l)`` and inverted dropout (optional, training only). The last layer is linear; the
loss turns its output (the *logits*) into predictions: the identity for ``"mse"``, a sigmoid for
``"bce"``, a softmax for ``"ce"``.

For speed, the dense layer is written out here (the formulas of ``dense_forward`` and
``dense_backward``, without re-checking the inputs at every step and without the unused
gradient of ``X``), and the loss uses the fused ``cross_entropy_with_grad``; the tests check
both against the layer and loss functions. :meth:`MLP.loss_and_grads` runs batch norm in
training mode, so it updates the running statistics, and without ``rng`` it draws dropout
masks from the model's own generator (seeded by ``seed``): never from global state.

``train`` and ``History`` live in :mod:`nnbook.training`; ``from nnbook.network import train,
History`` still works.

Book: chapter 1 (structure), chapter 3 (backpropagation and gradient descent), chapter 4
(L2 and dropout), chapter 5 (vanishing gradients and batch normalization).
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ._mlp_init import check_mlp_arguments, init_mlp_params
from ._validate import (
    check_nonnegative,
    check_rng,
    check_rows,
    check_targets,
)
from .activations import get_activation, sigmoid
from .layers import (
    batchnorm_backward,
    batchnorm_forward,
    dropout_backward,
    dropout_forward,
    l2_grad,
    l2_penalty,
)
from .losses import (
    _check_logits_2d,
    _cross_entropy_with_grad,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    cross_entropy,
    mse,
    mse_grad,
    softmax,
)
__all__ = ["MLP"]

LOSSES = ("mse", "bce", "ce")
ACTIVATION_NAMES = ("sigmoid", "relu", "tanh", "linear")
_EVAL_ROWS = 256  # rows per block when evaluating a whole data set (see MLP._evaluate)


class MLP:
    """A fully connected network ``z_l = a_{l-1} W_l + b_l``, ``a_l = f(z_l)``, linear output.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``(d_0, d_1, ..., d_L)``: ``d_0`` inputs, ``d_L`` outputs, at least two
        entries. For ``loss="bce"`` the output width must be 1, for ``loss="ce"`` at least 2.
    activation : {"relu", "sigmoid", "tanh", "linear"} or (phi, phi_grad)
        Activation ``φ`` of every hidden layer, by name or as a pair of elementwise functions
        (``phi_grad`` the derivative, evaluated at the same ``z``; chapter 2 uses this to try
        σ − ½ and 2·tanh(z/2)).
    loss : {"ce", "bce", "mse"}
        ``"ce"``: softmax cross-entropy, integer labels ``y`` of shape ``(n,)``;
        ``"bce"``: one sigmoid output, labels 0/1 (or targets in [0, 1]) of shape ``(n,)`` or
        ``(n, 1)``; ``"mse"``: mean squared error on the raw outputs, targets ``(n, d_L)``
        (or ``(n,)`` when ``d_L = 1``).
    dropout : float
        Probability ``p`` in [0, 1) of dropping a hidden unit during training (inverted
        dropout after each hidden activation); 0 disables it.
    batchnorm : bool
        Batch-normalize every hidden pre-activation (before ``f``); adds ``gamma_l, beta_l``
        to ``params`` and keeps running statistics in ``running`` (not parameters).
    seed : int
        Seeds the initialization, and the generator that draws dropout masks when no ``rng``
        is passed to :meth:`forward` or :meth:`loss_and_grads`.
    init : {"he", "xavier", "glorot"} or float, optional
        Weight initialization: ``"he"``, ``W ~ N(0, 2/d_in)`` (default for ReLU);
        ``"xavier"``/``"glorot"``, ``W ~ N(0, 2/(d_in + d_out))`` (default for sigmoid, tanh,
        linear); a positive float ``s`` gives ``W ~ N(0, s²)`` for every layer (e.g. to show
        vanishing or exploding gradients). Biases and ``beta`` start at 0, ``gamma`` at 1.
    dtype : numpy dtype
        Floating type of the parameters and computations (float64 by default; float32 is
        faster but too coarse for gradient checks).

    Attributes
    ----------
    params : dict[str, ndarray]
        ``W1, b1, ..., WL, bL`` (``W_l`` of shape ``(d_{l-1}, d_l)``, ``b_l`` of ``(d_l,)``),
        plus ``gamma_l, beta_l`` (shape ``(d_l,)``) for hidden layers with batch norm.
    running : dict[str, dict[str, ndarray]]
        Batch-norm running statistics, ``running["bn1"] = {"mean": ..., "var": ...}``.

    Notes
    -----
    Book: chapter 1, Structure of a network; chapter 3, Backpropagation.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | tuple[Callable, Callable] = "relu",
        loss: str = "ce",
        dropout: float = 0.0,
        batchnorm: bool = False,
        seed: int = 0,
        init: str | float | None = None,
        dtype: type | np.dtype = np.float64,
    ) -> None:
        sizes, dropout, init, dtype = check_mlp_arguments(
            sizes, activation, loss, dropout, batchnorm, init, dtype, ACTIVATION_NAMES, LOSSES)
        self.sizes = tuple(sizes)
        self.activation = activation
        self.loss = loss
        self.dropout = dropout
        self.batchnorm = bool(batchnorm)
        self.seed = seed
        self.init = init
        self.dtype = dtype
        self._f, self._f_grad = (activation if isinstance(activation, tuple)
                                 else get_activation(activation))
        self._rng = np.random.default_rng(seed)
        # W_l ~ N(0, std_l²) (He, Xavier or a given std), b_l = 0, gamma_l = 1, beta_l = 0
        self.params, self.running = init_mlp_params(self.sizes, init, self.batchnorm, self._rng, dtype)

    # ------------------------------------------------------------------ basic facts
    @property
    def n_layers(self) -> int:
        """Number of weight layers ``L = len(sizes) - 1``."""
        return len(self.sizes) - 1

    @property
    def weights(self) -> list[np.ndarray]:
        """The weight matrices ``[W1, ..., WL]`` (the arrays in ``params``, not copies)."""
        return [self.params[f"W{l}"] for l in range(1, self.n_layers + 1)]

    def __repr__(self) -> str:
        extras = []
        if self.dropout:
            extras.append(f"dropout={self.dropout}")
        if self.batchnorm:
            extras.append("batchnorm=True")
        extra = ", " + ", ".join(extras) if extras else ""
        return (
            f"MLP(sizes={list(self.sizes)}, activation={self.activation!r}, "
            f"loss={self.loss!r}{extra}, seed={self.seed})"
        )

    # ------------------------------------------------------------------- validation
    def _check_X(self, X: np.ndarray, name: str = "X") -> np.ndarray:
        return check_rows(X, self.sizes[0], self.dtype, name, "sizes[0]")

    def _check_y(self, y: np.ndarray, n: int, name: str = "y") -> np.ndarray:
        """The targets in canonical form: ce -> int (n,), bce -> float (n,), mse -> (n, d_L)."""
        return check_targets(y, n, self.loss, self.sizes[-1], self.dtype, name)

    # ---------------------------------------------------------------------- forward
    def _forward(
        self, X: np.ndarray, train: bool, rng: np.random.Generator | None
    ) -> tuple[np.ndarray, list[dict]]:
        """Logits and, per layer, the caches needed by backward (``z`` = input of ``f``).

        The dense layer ``z = a W + b`` is :func:`~nnbook.layers.dense_forward`'s formula,
        written out: the inputs were checked once at the boundary, and the model's own
        parameters have the right shapes and dtype.
        """
        L = self.n_layers
        caches: list[dict] = []
        a = X
        for l in range(1, L + 1):
            z = a @ self.params[f"W{l}"]
            z += self.params[f"b{l}"]
            cache = {"a_prev": a}  # the layer's input, for ∂J/∂W = aᵀ dz
            caches.append(cache)
            if l == L:
                return z, caches
            if self.batchnorm:
                z, cache["bn"] = batchnorm_forward(
                    z,
                    self.params[f"gamma{l}"],
                    self.params[f"beta{l}"],
                    train=train,
                    running=self.running[f"bn{l}"],
                )
            cache["z"] = z
            a = self._f(z)
            cache["a"] = a
            if train and self.dropout > 0:
                a, cache["dropout"] = dropout_forward(a, self.dropout, rng, train=True)
        raise AssertionError("unreachable")  # pragma: no cover

    def _predict_from_logits(self, logits: np.ndarray) -> np.ndarray:
        if self.loss == "ce":
            return softmax(logits, axis=1)
        if self.loss == "bce":
            return sigmoid(logits[:, 0])
        return logits

    def forward(
        self,
        X: np.ndarray,
        train: bool = False,
        rng: np.random.Generator | None = None,
        return_cache: bool = False,
    ) -> np.ndarray | tuple[np.ndarray, dict[str, np.ndarray]]:
        """Predictions ``ŷ = output(z_L)``, ``z_l = a_{l-1} W_l + b_l``, ``a_l = f(z_l)``.

        Parameters
        ----------
        X : ndarray, shape (n, d_0)
        train : bool
            Training mode: batch norm uses (and updates) batch statistics, dropout is
            applied. Evaluation mode (default): running statistics, no dropout.
        rng : numpy.random.Generator, optional
            Draws the dropout masks in training mode; default: the model's own generator.
        return_cache : bool
            Also return the layer values ``{"z1": ..., "a1": ..., ..., "zL": ...}``:
            ``z_l`` is the input of the activation of hidden layer ``l`` (after batch norm
            if enabled), ``a_l = f(z_l)`` its output before dropout, ``zL`` the logits.

        Returns
        -------
        predictions : ndarray
            ``"ce"``: class probabilities, shape (n, d_L); ``"bce"``: probability of class 1,
            shape (n,); ``"mse"``: raw outputs, shape (n, d_L).
        values : dict, only if ``return_cache``

        Notes
        -----
        Book: chapter 3, Forward pass.
        """
        X = self._check_X(X)
        logits, caches = self._forward(X, train, self._rng if rng is None else rng)
        predictions = self._predict_from_logits(logits)
        if not return_cache:
            return predictions
        values: dict[str, np.ndarray] = {}
        for l, cache in enumerate(caches[:-1], start=1):
            values[f"z{l}"] = cache["z"]
            values[f"a{l}"] = cache["a"]
        values[f"z{self.n_layers}"] = logits
        return predictions, values

    def hidden_activations(self, X: np.ndarray) -> list[np.ndarray]:
        """The hidden outputs ``[a_1, ..., a_{L-1}]``, ``a_l = f(z_l)``, in evaluation mode.

        Shapes: ``a_l`` is (n, d_l). Book: chapter 2 ("dead" ReLU units never fire) and
        chapter 5 (saturation).
        """
        _, values = self.forward(X, return_cache=True)
        return [values[f"a{l}"] for l in range(1, self.n_layers)]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels (argmax for ``"ce"``, ``p > 1/2`` for ``"bce"``) or outputs (``"mse"``).

        Shapes: (n,) int for classification, (n, d_L) for ``"mse"``. Book: chapter 1.
        """
        p = self.forward(X)
        if self.loss == "ce":
            return np.argmax(p, axis=1)
        if self.loss == "bce":
            return (p > 0.5).astype(np.int64)
        return p

    # ------------------------------------------------------------------ loss, grads
    def _data_loss(self, logits: np.ndarray, y: np.ndarray) -> float:
        if self.loss == "ce":
            return cross_entropy(logits, y)
        if self.loss == "bce":
            return binary_cross_entropy(logits, y)
        return mse(logits, y)

    def _data_loss_and_grad(self, logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """The data loss and its gradient dJ/dlogits (``y`` already checked)."""
        _check_overflow(logits)
        if self.loss == "ce":
            # One log-softmax for both (losses.cross_entropy_with_grad, whose tests check it
            # against cross_entropy and cross_entropy_grad); the labels were checked once.
            _check_logits_2d(logits)
            return _cross_entropy_with_grad(logits, y)
        if self.loss == "bce":
            return binary_cross_entropy(logits, y), binary_cross_entropy_grad(logits, y)
        return mse(logits, y), mse_grad(logits, y)

    def _loss_and_grads(
        self, X: np.ndarray, y: np.ndarray, l2: float, rng: np.random.Generator
    ) -> tuple[float, dict[str, np.ndarray]]:
        logits, caches = self._forward(X, train=True, rng=rng)
        loss, dout = self._data_loss_and_grad(logits, y)
        grads: dict[str, np.ndarray] = {}
        for l in range(self.n_layers, 0, -1):
            cache = caches[l - 1]
            if l < self.n_layers:  # hidden layer: back through dropout, f, batch norm
                if "dropout" in cache:
                    dout = dropout_backward(dout, cache["dropout"])
                dout *= self._f_grad(cache["z"])  # dout is a fresh array: update it in place
                if "bn" in cache:
                    dout, grads[f"gamma{l}"], grads[f"beta{l}"] = batchnorm_backward(dout, cache["bn"])
            # The dense layer's backward (layers.dense_backward's formulas), written out so
            # that the first layer skips ∂J/∂X = dz W₁ᵀ, which nothing uses.
            grads[f"W{l}"] = cache["a_prev"].T @ dout  # ∂J/∂W = aᵀ dz
            grads[f"b{l}"] = dout.sum(axis=0)  # ∂J/∂b = Σ_rows dz
            if l > 1:
                dout = dout @ self.params[f"W{l}"].T  # ∂J/∂a_{l−1} = dz Wᵀ
        if l2 > 0:
            loss += l2_penalty(self.weights, l2)
            for l in range(1, self.n_layers + 1):
                grads[f"W{l}"] = grads[f"W{l}"] + l2_grad(self.params[f"W{l}"], l2)
        return loss, {name: grads[name] for name in self.params}

    def loss_and_grads(
        self,
        X: np.ndarray,
        y: np.ndarray,
        l2: float = 0.0,
        rng: np.random.Generator | None = None,
    ) -> tuple[float, dict[str, np.ndarray]]:
        """``J(θ) = loss(ŷ, y) + λ Σ_l ‖W_l‖²`` and its gradient ``∇J``, by backpropagation.

        Runs the forward pass in training mode (batch statistics, which also updates the
        running statistics; dropout masks drawn from ``rng``, or from the model's own
        generator seeded by ``seed`` when ``rng`` is None), then the backward pass.

        Parameters
        ----------
        X : ndarray, shape (n, d_0)
        y : ndarray
            Targets in the form described for ``loss`` in :class:`MLP`.
        l2 : float
            ``λ >= 0``; the penalty ``λ Σ θ²`` covers the weights only, not biases, ``gamma``
            or ``beta``.
        rng : numpy.random.Generator, optional
            Dropout masks; pass a freshly seeded generator to get the same masks each call.

        Returns
        -------
        loss : float
        grads : dict[str, ndarray]
            ``dJ/dθ`` with the keys and shapes of ``params``.

        Notes
        -----
        Book: chapter 3, Backpropagation; chapter 4, L2 regularization and dropout.
        """
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        l2 = check_nonnegative(l2, "l2")
        check_rng(rng)
        return self._loss_and_grads(X, y, l2, self._rng if rng is None else rng)

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """``(loss, accuracy)`` in evaluation mode, without the L2 penalty.

        The accuracy is the fraction of correctly classified rows (``nan`` for ``"mse"``).
        Book: chapter 4, Overfitting (training versus validation).
        """
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        return self._evaluate(X, y)

    def _evaluate(self, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        # In evaluation mode every row is computed on its own, so the forward pass can run
        # over blocks of rows: the same logits, but small temporaries that the memory
        # allocator reuses, rather than large fresh arrays whose memory the operating system
        # must map and zero again at every call (this halves an evaluation on the digits).
        logits = np.concatenate([
            self._forward(X[i : i + _EVAL_ROWS], train=False, rng=None)[0]
            for i in range(0, X.shape[0], _EVAL_ROWS)
        ])
        _check_overflow(logits)
        loss = self._data_loss(logits, y)
        if self.loss == "ce":
            accuracy = float(np.mean(np.argmax(logits, axis=1) == y))
        elif self.loss == "bce":
            accuracy = float(np.mean((logits[:, 0] > 0) == (y > 0.5)))
        else:
            accuracy = float("nan")
        return loss, accuracy


def _check_overflow(logits: np.ndarray) -> None:
    # With finite inputs (checked at the boundary), non-finite logits mean the parameters have
    # grown too large, e.g. by a matrix product that overflowed (BLAS sets no floating-point
    # flag): a FloatingPointError, which train reports as divergence, not a ValueError.
    if not np.isfinite(logits).all():
        raise FloatingPointError("the network's outputs overflowed: its parameters have grown too "
                                 "large (a learning rate η that is too high?)")


def __getattr__(name: str):
    # train and History moved to nnbook.training; imported lazily (training imports MLP).
    if name in ("train", "History"):
        from . import training

        return getattr(training, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
