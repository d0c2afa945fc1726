"""Fuzzing the public API: every function that takes data, fed broken data (issue 12).

For every public function and every array it takes, hypothesis corrupts that one array (the
others stay valid) in each of these ways:

* ``nan``, ``inf``, ``-inf``: one entry (chosen by hypothesis) replaced;
* ``empty``: the first axis of length 0;
* ``rank+``/``rank-``: one axis more (a leading axis of length 1 or 2) or one fewer;
* ``complex``, ``str``, ``object``, ``None``: the wrong kind of value.

The call must then either raise ``ValueError`` whose message names the corrupted argument
("a clear error"), or return without any warning a result that is right: finite for finite
input; for the elementwise activations (which follow IEEE arithmetic, like NumPy) NaN exactly
where the input is NaN. Any other exception (TypeError, IndexError, ZeroDivisionError, ...),
any warning, or a silently non-finite result fails.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnbook as nb

RNG = np.random.default_rng(0)


def _r(*shape: int) -> np.ndarray:
    return np.random.default_rng(sum(shape) + len(shape)).standard_normal(shape)


def _labels(n: int, k: int) -> np.ndarray:
    return np.arange(n) % k


def _mlp(loss: str = "ce") -> nb.MLP:
    return nb.MLP([4, 5, {"ce": 3, "bce": 1, "mse": 2}[loss]], loss=loss, seed=0)


def _cnn() -> nb.CNN:
    return nb.CNN(image_shape=(1, 6, 6), n_filters=2, kernel_size=3, n_classes=3)


# name -> (function(**kwargs), builder() -> kwargs, names of the array arguments to corrupt,
#          {argument: words the error message may use for it})
Spec = tuple[Callable[..., Any], Callable[[], dict], tuple[str, ...]]


def _dense_cache():
    return nb.dense_forward(_r(3, 4), _r(4, 2), _r(2))[1]


def _bn_cache():
    return nb.batchnorm_forward(_r(4, 3), np.ones(3), np.zeros(3))[1]


def _conv_cache():
    return nb.conv2d_forward(_r(2, 1, 5, 5), _r(2, 1, 3, 3), _r(2))[1]


def _rnn_cache():
    return nb.rnn_forward(_r(2, 3, 4), _r(2, 5), _r(4, 5), _r(5, 5) * 0.3, _r(5))[1]


SPECS: dict[str, Spec] = {
    # activations: elementwise, any shape (IEEE semantics for NaN / inf)
    **{f"activations.{name}": (getattr(nb, name), lambda: {"x": _r(3, 4)}, ("x",))
       for name in ("sigmoid", "relu", "tanh", "linear", "sigmoid_grad", "relu_grad",
                    "tanh_grad", "linear_grad")},
    # losses
    "losses.mse": (nb.mse, lambda: {"y_hat": _r(5, 2), "y": _r(5, 2)}, ("y_hat", "y")),
    "losses.mse_grad": (nb.mse_grad, lambda: {"y_hat": _r(5, 2), "y": _r(5, 2)}, ("y_hat", "y")),
    "losses.softmax": (nb.softmax, lambda: {"z": _r(5, 3)}, ("z",)),
    "losses.log_softmax": (nb.log_softmax, lambda: {"z": _r(5, 3)}, ("z",)),
    **{f"losses.{name}": (getattr(nb, name), lambda: {"logits": _r(6, 3), "labels": _labels(6, 3)},
                          ("logits", "labels"))
       for name in ("cross_entropy", "cross_entropy_grad", "cross_entropy_with_grad")},
    **{f"losses.{name}": (getattr(nb, name), lambda: {"logits": _r(6), "y": _labels(6, 2)},
                          ("logits", "y"))
       for name in ("binary_cross_entropy", "binary_cross_entropy_grad")},
    # layers
    "layers.dense_forward": (nb.dense_forward, lambda: {"x": _r(3, 4), "W": _r(4, 2), "b": _r(2)},
                             ("x", "W", "b")),
    "layers.dense_backward": (nb.dense_backward, lambda: {"dz": _r(3, 2), "cache": _dense_cache()},
                              ("dz",)),
    "layers.dropout_forward": (nb.dropout_forward,
                               lambda: {"x": _r(3, 4), "p": 0.5, "rng": np.random.default_rng(0)},
                               ("x",)),
    "layers.dropout_backward": (nb.dropout_backward, lambda: {
        "dout": _r(3, 4), "cache": nb.dropout_forward(_r(3, 4), 0.5, np.random.default_rng(0))[1]},
        ("dout",)),
    "layers.batchnorm_forward": (nb.batchnorm_forward,
                                 lambda: {"x": _r(4, 3), "gamma": np.ones(3), "beta": np.zeros(3)},
                                 ("x", "gamma", "beta")),
    "layers.batchnorm_backward": (nb.batchnorm_backward, lambda: {"dout": _r(4, 3), "cache": _bn_cache()},
                                  ("dout",)),
    "layers.l2_grad": (nb.l2_grad, lambda: {"W": _r(3, 2), "lam": 0.1}, ("W",)),
    # convolution
    "conv.convolve": (nb.convolve, lambda: {"f": _r(6), "g": _r(3)}, ("f", "g")),
    "conv.conv2d_forward": (nb.conv2d_forward, lambda: {"x": _r(2, 1, 5, 5), "w": _r(2, 1, 3, 3),
                                                        "b": _r(2)}, ("x", "w", "b")),
    "conv.conv2d_backward": (nb.conv2d_backward, lambda: {"dout": _r(2, 2, 3, 3), "cache": _conv_cache()},
                             ("dout",)),
    "conv.conv2d_true": (nb.conv2d_true, lambda: {"x": _r(2, 1, 5, 5), "w": _r(2, 1, 3, 3), "b": _r(2)},
                         ("x", "w", "b")),
    "conv.flip_kernel": (nb.flip_kernel, lambda: {"w": _r(2, 1, 3, 3)}, ("w",)),
    "conv.maxpool_forward": (nb.maxpool_forward, lambda: {"x": _r(2, 1, 4, 4)}, ("x",)),
    "conv.maxpool_backward": (nb.maxpool_backward, lambda: {
        "dout": _r(2, 1, 2, 2), "cache": nb.maxpool_forward(_r(2, 1, 4, 4))[1]}, ("dout",)),
    "conv.avgpool_forward": (nb.avgpool_forward, lambda: {"x": _r(2, 1, 4, 4)}, ("x",)),
    "conv.avgpool_backward": (nb.avgpool_backward, lambda: {
        "dout": _r(2, 1, 2, 2), "cache": nb.avgpool_forward(_r(2, 1, 4, 4))[1]}, ("dout",)),
    "conv.flatten_forward": (nb.flatten_forward, lambda: {"x": _r(2, 1, 4, 4)}, ("x",)),
    "conv.flatten_backward": (nb.flatten_backward, lambda: {
        "dout": _r(2, 16), "cache": nb.flatten_forward(_r(2, 1, 4, 4))[1]}, ("dout",)),
    # recurrent
    "rnn.rnn_forward": (nb.rnn_forward, lambda: {"x": _r(2, 3, 4), "h0": _r(2, 5), "Wx": _r(4, 5),
                                                 "Wh": _r(5, 5) * 0.3, "b": _r(5)},
                        ("x", "h0", "Wx", "Wh", "b")),
    "rnn.rnn_backward": (nb.rnn_backward, lambda: {"dh": _r(2, 3, 5), "cache": _rnn_cache()}, ("dh",)),
    "rnn.spectral_radius": (nb.spectral_radius, lambda: {"W": _r(4, 4)}, ("W",)),
    "rnn.scale_to_spectral_radius": (nb.scale_to_spectral_radius, lambda: {"W": _r(4, 4), "rho": 0.9},
                                     ("W",)),
    "rnn.rnn_regression_loss_and_grads": (nb.rnn_regression_loss_and_grads, lambda: {
        "params": nb.init_rnn_params(4, 5, 2), "x": _r(3, 6, 4), "y": _r(3, 2)}, ("x", "y")),
    "rnn.train_rnn": (nb.train_rnn, lambda: {
        "params": nb.init_rnn_params(4, 5, 2), "x": _r(3, 6, 4), "y": _r(3, 2), "lr": 0.01,
        "epochs": 2}, ("x", "y")),
    "rnn.clip_grad_norm": (nb.clip_grad_norm, lambda: {"grads": {"a": _r(3, 2)}, "max_norm": 1.0},
                           ()),
    # networks
    **{f"network.MLP.{m}": ((lambda m: lambda X: getattr(_mlp(), m)(X))(m), lambda: {"X": _r(6, 4)}, ("X",))
       for m in ("forward", "predict", "hidden_activations")},
    **{f"network.MLP.{m}[{loss}]": (
        (lambda m, loss: lambda X, y: getattr(_mlp(loss), m)(X, y))(m, loss),
        (lambda loss: lambda: {"X": _r(6, 4), "y": _r(6, 2) if loss == "mse" else _labels(6, 3 if loss == "ce" else 2)})(loss),
        ("X", "y"))
       for m in ("loss_and_grads", "evaluate") for loss in ("ce", "bce", "mse")},
    **{f"training.train[{loss}]": (
        (lambda loss: lambda X, y, X_val, y_val: nb.train(_mlp(loss), X, y, lr=0.1, epochs=2, X_val=X_val, y_val=y_val))(loss),
        (lambda loss: lambda: {"X": _r(6, 4), "y": _r(6, 2) if loss == "mse" else _labels(6, 3 if loss == "ce" else 2),
                               "X_val": _r(4, 4), "y_val": _r(4, 2) if loss == "mse" else _labels(4, 3 if loss == "ce" else 2)})(loss),
        ("X", "y", "X_val", "y_val"))
       for loss in ("ce", "bce", "mse")},
    "cnn.CNN.forward": (lambda X: _cnn().forward(X), lambda: {"X": _r(3, 1, 6, 6)}, ("X",)),
    "cnn.CNN.predict": (lambda X: _cnn().predict(X), lambda: {"X": _r(3, 1, 6, 6)}, ("X",)),
    "cnn.CNN.loss_and_grads": (lambda X, y: _cnn().loss_and_grads(X, y),
                               lambda: {"X": _r(3, 1, 6, 6), "y": _labels(3, 3)}, ("X", "y")),
    "cnn.train_cnn": (lambda X, y: nb.train_cnn(_cnn(), X, y, lr=0.1, epochs=1, batch_size=2),
                      lambda: {"X": _r(3, 1, 6, 6), "y": _labels(3, 3)}, ("X", "y")),
    # gradient checking
    "gradcheck.rel_error": (nb.rel_error, lambda: {"a": _r(3, 2), "b": _r(3, 2)}, ("a", "b")),
    "gradcheck.numerical_gradient": (lambda x: nb.numerical_gradient(lambda v: float(np.sum(v ** 2)), x),
                                     lambda: {"x": _r(3, 2)}, ("x",)),
    "gradcheck.check_gradient": (lambda analytic: nb.check_gradient(lambda v: float(np.sum(v ** 2)), _r(3, 2), analytic),
                                 lambda: {"analytic": 2 * _r(3, 2)}, ("analytic",)),
    # data utilities
    "data.train_test_split": (nb.train_test_split, lambda: {"X": _r(8, 2), "y": _labels(8, 2)}, ("X", "y")),
    "data.flip_labels": (lambda y: nb.flip_labels(y, 0.5, np.random.default_rng(0), n_classes=3),
                         lambda: {"y": _labels(8, 3)}, ("y",)),
    "data.one_hot": (nb.one_hot, lambda: {"y": _labels(8, 3)}, ("y",)),
}

# the array arguments of the dict-valued inputs are fuzzed through their entries
DICT_ARGS = {"rnn.clip_grad_norm": ("grads", "a")}
# arguments whose documented default is None: passing None is a valid call
NONE_OK = {("conv.conv2d_true", "b")}

ELEMENTWISE = {k for k in SPECS if k.startswith("activations.")}
CORRUPTIONS = ("nan", "inf", "-inf", "empty", "rank+", "rank-", "complex", "str", "object", "None")


def _corrupt(x: np.ndarray, how: str, pick: Callable[[int, int], int]) -> Any:
    x = np.array(x, dtype=float) if np.asarray(x).dtype.kind in "iub" and how in ("nan", "inf", "-inf") else np.array(x)
    if how in ("nan", "inf", "-inf"):
        if x.size == 0:
            return x
        index = pick(0, x.size - 1)
        x.flat[index] = float(how)
        return x
    if how == "empty":
        return x[:0] if x.ndim else np.zeros(0)
    if how == "rank+":
        return np.repeat(x[None], pick(1, 2), axis=0)
    if how == "rank-":
        return x[0] if x.ndim else x.reshape(1, 1)
    if how == "complex":
        return x.astype(complex) + 1j
    if how == "str":
        return x.astype(str)
    if how == "object":
        return np.array([object()] * max(x.size, 1), dtype=object).reshape(x.shape or (1,))
    return None


def _arrays(result: Any) -> list[np.ndarray]:
    if isinstance(result, (tuple, list)):
        return [a for r in result for a in _arrays(r)]
    if isinstance(result, dict):
        return [a for r in result.values() for a in _arrays(r)]
    if isinstance(result, (np.ndarray, float, np.floating)):
        return [np.asarray(result)]
    if isinstance(result, nb.History):
        return [np.asarray(result.loss)]
    return []


CASES = [(name, arg, how) for name, (_, _, args) in SPECS.items()
         for arg in (args or (DICT_ARGS[name][0],)) for how in CORRUPTIONS
         if not (how == "None" and (name, arg) in NONE_OK)]


@pytest.mark.parametrize("name, arg, how", CASES, ids=[f"{n}-{a}-{h}" for n, a, h in CASES])
def test_broken_data_gives_a_clear_error_or_a_right_answer(name, arg, how):
    """Every (function, argument, corruption), once, at a seeded position."""
    rng = np.random.default_rng(len(name) + len(arg) + len(how))
    _check_case(name, arg, how, lambda low, high: int(rng.integers(low, high + 1)))


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(case=st.sampled_from(CASES), data=st.data())
def test_fuzz_positions_and_sizes(case, data):
    """Hypothesis picks the cases and the corrupted positions (and leading sizes) at random."""
    _check_case(*case, lambda low, high: data.draw(st.integers(low, high)))


def _check_case(name: str, arg: str, how: str, pick: Callable[[int, int], int]) -> None:
    function, build, _ = SPECS[name]
    kwargs = build()
    if name in DICT_ARGS:
        key = DICT_ARGS[name][1]
        kwargs[arg] = {key: _corrupt(kwargs[arg][key], how, pick)}
        named = (arg,)
    else:
        clean = kwargs[arg]
        kwargs[arg] = _corrupt(clean, how, pick)
        named = (arg,)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            result = function(**kwargs)
        except ValueError as error:
            message = str(error)
            assert any(word in message for word in named), f"{name}({arg}={how}): {message!r} does not name {arg}"
            return
    outputs = _arrays(result)
    if how in ("nan", "inf", "-inf") and name in ELEMENTWISE:
        bad = np.asarray(kwargs[arg])
        for out in outputs:
            np.testing.assert_array_equal(np.isnan(out), np.isnan(bad) if how == "nan" else np.isnan(out) & False,
                                          err_msg=f"{name}: NaN must appear exactly where the input is NaN")
        return
    assert how not in ("nan", "inf", "-inf", "None", "object", "str", "complex"), (
        f"{name} accepted {arg} with {how} silently and returned {type(result).__name__}")
    for out in outputs:
        if out.dtype.kind in "fc":
            assert np.isfinite(out).all(), (
                f"{name}({arg}={how}) returned non-finite values silently")
