"""A small convolutional network: conv → ReLU → max-pool → dense → softmax, and its training.

Built only from the package's layers (:mod:`nnbook.conv`, :mod:`nnbook.layers`,
:mod:`nnbook.losses`), like :class:`nnbook.network.MLP` is built from dense layers:

    x (N, C, H, W) ──conv K×K, F filters, padding K//2──▶ z1 (N, F, H, W)
      ──ReLU──▶ a1 ──max-pool 2×2──▶ p1 (N, F, H/2, W/2) ──flatten──▶ (N, F·H·W/4)
      ──dense──▶ logits (N, classes) ──softmax cross-entropy──▶ J

Book: chapter 6, Convolutional networks (a CNN on the 8×8 digits).
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np

from ._validate import DIVERGENCE_FACTOR, DivergenceWarning, check_finite, check_float_dtype, check_int, int_labels, check_nonnegative, check_pair, check_unit_interval
from .activations import relu, relu_grad
from .conv import (
    conv2d_backward,
    conv2d_forward,
    flatten_backward,
    flatten_forward,
    maxpool_backward,
    maxpool_forward,
)
from .layers import dense_backward, dense_forward, l2_grad, l2_penalty
from .losses import cross_entropy, cross_entropy_grad, softmax
from .network import _check_overflow
from .training import History
from .optim import momentum_step

__all__ = ["CNN", "train_cnn"]


class CNN:
    """logits = flatten(maxpool(relu(conv(x, W1) + b1))) @ W2 + b2: one convolutional layer
    and a dense softmax classifier.

    Parameters
    ----------
    image_shape : (C, H, W)
        Shape of one image; H and W must be even (the 2×2 max-pool halves them).
    n_filters : int
        F, the number of K×K filters of the convolution (padding K//2 keeps H×W).
    kernel_size : int
        K, odd.
    n_classes : int
        Number of classes (outputs of the dense layer), >= 2.
    seed : int
        Seeds the He initialization (``W ~ N(0, 2 / fan_in)``, biases 0).
    dtype : numpy dtype
        float64 (default; gradient checks) or float32 (twice as fast for training).

    Attributes
    ----------
    params : dict
        ``W1`` (F, C, K, K), ``b1`` (F,), ``W2`` (F·H·W/4, n_classes), ``b2`` (n_classes,).

    Notes
    -----
    Inputs ``X`` may be images ``(N, C, H, W)`` or rows ``(N, C·H·W)`` (such as the digits
    of :func:`nnbook.data.load_digits`), which are reshaped to images.
    Book: chapter 6, Convolutional networks.
    """

    def __init__(self, image_shape: Sequence[int] = (1, 8, 8), n_filters: int = 8,
                 kernel_size: int = 3, n_classes: int = 10, seed: int = 0,
                 dtype: type | np.dtype = np.float64) -> None:
        shape = tuple(image_shape)
        if len(shape) != 3:
            raise ValueError(f"image_shape must be (C, H, W), got {image_shape!r}")
        C, H, W = (check_int(s, "image_shape entries") for s in shape)
        if H % 2 or W % 2:
            raise ValueError(f"image_shape must have an even height and width (2×2 pooling), got {shape}")
        F = check_int(n_filters, "n_filters")
        K = check_int(kernel_size, "kernel_size")
        if K % 2 == 0:
            raise ValueError(f"kernel_size must be odd (padding K//2 keeps the image size), got {K}")
        n_classes = check_int(n_classes, "n_classes")
        if n_classes < 2:
            raise ValueError(f"n_classes must be >= 2, got {n_classes}")
        dtype = check_float_dtype(dtype)
        self.image_shape, self.n_filters, self.kernel_size = (C, H, W), F, K
        self.n_classes, self.seed, self.dtype = n_classes, seed, dtype
        rng = np.random.default_rng(seed)
        d_flat = F * (H // 2) * (W // 2)
        self.params = {
            "W1": (rng.standard_normal((F, C, K, K)) * np.sqrt(2.0 / (C * K * K))).astype(dtype),
            "b1": np.zeros(F, dtype=dtype),
            "W2": (rng.standard_normal((d_flat, n_classes)) * np.sqrt(2.0 / d_flat)).astype(dtype),
            "b2": np.zeros(n_classes, dtype=dtype),
        }

    def __repr__(self) -> str:
        return (f"CNN(image_shape={self.image_shape}, n_filters={self.n_filters}, "
                f"kernel_size={self.kernel_size}, n_classes={self.n_classes}, seed={self.seed})")

    # ------------------------------------------------------------------ validation
    def _images(self, X: np.ndarray, name: str = "X") -> np.ndarray:
        X = np.asarray(X)
        C, H, W = self.image_shape
        if X.ndim == 2 and X.shape[1] == C * H * W:
            X = X.reshape(-1, C, H, W)
        if X.ndim != 4 or X.shape[1:] != (C, H, W):
            raise ValueError(f"{name} must have shape (N, {C}, {H}, {W}) or (N, {C * H * W}), got {X.shape}")
        if X.dtype.kind not in "iuf":  # real numbers (a complex cast would warn)
            raise ValueError(f"{name} must hold real numbers, got dtype {X.dtype}")
        if X.shape[0] == 0:
            raise ValueError(f"{name} must hold at least one image, got shape {X.shape}")
        check_finite(X, name)
        return X.astype(self.dtype, copy=False)

    def _labels(self, y: np.ndarray, n: int, name: str = "y") -> np.ndarray:
        # the package's one rule for labels: integers, or floats that are whole numbers
        return int_labels(y, name, n=n, k=self.n_classes)

    # --------------------------------------------------------------------- forward
    def _forward(self, X: np.ndarray) -> tuple[np.ndarray, tuple]:
        p = self.params
        z1, conv_cache = conv2d_forward(X, p["W1"], p["b1"], stride=1, padding=self.kernel_size // 2)
        a1 = relu(z1)
        p1, pool_cache = maxpool_forward(a1, size=2, stride=2)
        flat, flat_cache = flatten_forward(p1)
        logits, dense_cache = dense_forward(flat, p["W2"], p["b2"])
        return logits, (conv_cache, z1, pool_cache, flat_cache, dense_cache)

    def forward(self, X: np.ndarray) -> np.ndarray:
        """softmax(logits): class probabilities, shape (N, n_classes). Book: chapter 6."""
        logits, _ = self._forward(self._images(X))
        return softmax(logits, axis=1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """argmax of the class probabilities, shape (N,). Book: chapter 6."""
        logits, _ = self._forward(self._images(X))
        return np.argmax(logits, axis=1)

    def feature_maps(self, X: np.ndarray) -> np.ndarray:
        """a1 = relu(conv(x, W1) + b1): what each filter detects, shape (N, F, H, W).

        Book: chapter 6, Convolutional networks (learned filters and their feature maps).
        """
        X = self._images(X)
        z1, _ = conv2d_forward(X, self.params["W1"], self.params["b1"], padding=self.kernel_size // 2)
        return relu(z1)

    # ------------------------------------------------------------ loss, gradients
    def _loss_and_grads(self, X: np.ndarray, y: np.ndarray, l2: float) -> tuple[float, dict]:
        logits, (conv_cache, z1, pool_cache, flat_cache, dense_cache) = self._forward(X)
        _check_overflow(logits)
        loss = cross_entropy(logits, y)
        dlogits = cross_entropy_grad(logits, y)
        dflat, dW2, db2 = dense_backward(dlogits, dense_cache)
        dp1 = flatten_backward(dflat, flat_cache)
        da1 = maxpool_backward(dp1, pool_cache)
        dz1 = da1 * relu_grad(z1)
        _, dW1, db1 = conv2d_backward(dz1, conv_cache)
        grads = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
        if l2 > 0:
            loss += l2_penalty([self.params["W1"], self.params["W2"]], l2)
            grads["W1"] = grads["W1"] + l2_grad(self.params["W1"], l2)
            grads["W2"] = grads["W2"] + l2_grad(self.params["W2"], l2)
        return loss, grads

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray, l2: float = 0.0) -> tuple[float, dict]:
        """J = cross_entropy(logits, y) + λ(‖W1‖² + ‖W2‖²) and ∇J by backpropagation.

        Parameters
        ----------
        X : ndarray, shape (N, C, H, W) or (N, C·H·W)
        y : ndarray of int, shape (N,)
        l2 : float, >= 0
            λ; biases are not penalized.

        Returns
        -------
        loss : float
        grads : dict
            dJ/dθ with the keys and shapes of ``params``.

        Notes
        -----
        Book: chapter 6, Convolutional networks (backpropagation through conv and pooling).
        """
        X = self._images(X)
        y = self._labels(y, X.shape[0])
        return self._loss_and_grads(X, y, check_nonnegative(l2, "l2"))

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """(cross-entropy loss, accuracy) on (X, y). Book: chapter 6."""
        X = self._images(X)
        y = self._labels(y, X.shape[0])
        logits, _ = self._forward(X)
        _check_overflow(logits)
        return cross_entropy(logits, y), float(np.mean(np.argmax(logits, axis=1) == y))


def train_cnn(model: CNN, X: np.ndarray, y: np.ndarray, lr: float, epochs: int,
              batch_size: int = 32, l2: float = 0.0, momentum: float = 0.0, seed: int = 0,
              X_val: np.ndarray | None = None, y_val: np.ndarray | None = None) -> History:
    """Minibatch stochastic gradient descent w ← w − η ∇J(w) on a :class:`CNN`, in place.

    With ``momentum = β₁ > 0`` the step is u ← β₁ u − η ∇J(w), w ← w + u
    (:func:`nnbook.optim.momentum_step`); β₁ = 0 is plain gradient descent.

    Parameters
    ----------
    model : CNN
    X : ndarray, shape (N, C, H, W) or (N, C·H·W)
    y : ndarray of int, shape (N,)
    lr : float, >= 0
        The learning rate η.
    epochs : int, >= 1
    batch_size : int, >= 1
        Rows are reshuffled every epoch and split into minibatches of this size.
    l2 : float, >= 0
        λ of the L2 penalty.
    momentum : float in [0, 1)
        β₁, the momentum coefficient; 0 (default) is plain minibatch SGD.
    seed : int
        Seeds the shuffles (same seed, same History).
    X_val, y_val : ndarray, optional
        Evaluated after every epoch (both or neither).

    Returns
    -------
    History
        Per epoch: ``loss``/``accuracy`` on the training set and ``val_loss``/``val_accuracy``
        (``nan`` without validation data), ``objective`` (mean minibatch objective) and
        ``grad_norms`` of shape (epochs, 2): ‖∂J/∂W1‖ and ‖∂J/∂W2‖ averaged over minibatches.
        If the loss overflows or grows more than ``DIVERGENCE_FACTOR`` (10⁴) times, training
        stops with one ``DivergenceWarning``, ``diverged`` is True and the remaining epochs
        are ``nan`` (after an overflow the model keeps the parameters of the epoch before).

    Notes
    -----
    Book: chapter 6, Convolutional networks (training on the digits).
    """
    if not isinstance(model, CNN):
        raise ValueError(f"model must be a CNN, got {type(model).__name__}")
    X = model._images(X)
    y = model._labels(y, X.shape[0])
    lr = check_nonnegative(lr, "lr (the learning rate η)")
    epochs = check_int(epochs, "epochs")
    batch_size = check_int(batch_size, "batch_size")
    l2 = check_nonnegative(l2, "l2")
    momentum = check_unit_interval(momentum, "momentum")
    check_pair(X_val, y_val)
    if X_val is not None:
        X_val = model._images(X_val, "X_val")
        y_val = model._labels(y_val, X_val.shape[0], "y_val")

    rng = np.random.default_rng(seed)
    n = X.shape[0]
    history = History(grad_norms=np.zeros((epochs, 2)))
    nan = float("nan")
    velocity: dict[str, np.ndarray] = {}
    start_loss = None
    with np.errstate(over="raise", invalid="raise"):
        for epoch in range(epochs):
            saved = {name: value.copy() for name, value in model.params.items()}
            try:
                if start_loss is None:
                    start_loss = model.evaluate(X, y)[0]
                order = rng.permutation(n)
                starts = range(0, n, batch_size)
                objective = 0.0
                norms = np.zeros(2)
                for start in starts:
                    idx = order[start:start + batch_size]
                    loss, grads = model._loss_and_grads(X[idx], y[idx], l2)
                    momentum_step(model.params, grads, velocity, lr, momentum)
                    objective += loss
                    norms += [np.linalg.norm(grads["W1"]), np.linalg.norm(grads["W2"])]
                train_loss, train_acc = model.evaluate(X, y)
                val_loss, val_acc = model.evaluate(X_val, y_val) if X_val is not None else (nan, nan)
                grew = train_loss > DIVERGENCE_FACTOR * start_loss
            except FloatingPointError:
                for name, value in saved.items():
                    model.params[name][...] = value
                grew = None
            if grew is None or grew:
                history.diverged = True
                warnings.warn(
                    f"train_cnn: the loss diverged at epoch {epoch + 1} of {epochs} (it overflowed "
                    f"or grew more than {DIVERGENCE_FACTOR:g}-fold); training stopped and "
                    f"History.diverged is True. Lower the learning rate η (lr={lr:g}).",
                    DivergenceWarning, stacklevel=2)
            if grew is None:
                break
            history.grad_norms[epoch] = norms / len(starts)
            history.objective.append(objective / len(starts))
            history.loss.append(train_loss)
            history.accuracy.append(train_acc)
            history.val_loss.append(val_loss)
            history.val_accuracy.append(val_acc)
            if grew:
                break
    missing = epochs - len(history.loss)
    history.grad_norms[epochs - missing:] = nan
    for values in (history.loss, history.accuracy, history.val_loss, history.val_accuracy, history.objective):
        values.extend([nan] * missing)
    return history
