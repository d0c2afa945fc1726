"""Tests of nnbook.network: MLP gradients against central differences, training, validation."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.data import make_moons, make_regression_1d
from nnbook.activations import get_activation
from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.layers import dense_backward, dense_forward
from nnbook.losses import cross_entropy, cross_entropy_grad
from nnbook.network import _EVAL_ROWS, MLP, History, train
from nnbook.training import DIVERGENCE_FACTOR, DivergenceWarning
from nnbook.optim import sgd_step

N_OUT = {"ce": 3, "bce": 1, "mse": 2}


def _targets(loss: str, n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if loss == "ce":
        return rng.integers(0, N_OUT["ce"], size=n)
    if loss == "bce":
        return rng.integers(0, 2, size=n)
    return rng.standard_normal((n, N_OUT["mse"]))


def _randomize(model: MLP, seed: int = 1) -> None:
    """Give every parameter a generic value (non-zero biases, γ ≠ 1) so no ReLU sits at a kink."""
    rng = np.random.default_rng(seed)
    for name, value in model.params.items():
        if name.startswith("W"):
            continue
        base = 1.0 if name.startswith("gamma") else 0.0
        value[...] = base + 0.5 * rng.standard_normal(value.shape)


def _check_all_gradients(model: MLP, X, y, l2: float = 0.0, dropout_seed: int = 7) -> None:
    """Compare every gradient of loss_and_grads with central differences of its loss."""

    def loss_only(_):
        # A freshly seeded generator draws the same dropout masks at every call.
        return model.loss_and_grads(X, y, l2=l2, rng=np.random.default_rng(dropout_seed))[0]

    _, grads = model.loss_and_grads(X, y, l2=l2, rng=np.random.default_rng(dropout_seed))
    assert list(grads) == list(model.params)
    analytic, numeric = [], []
    for name, value in model.params.items():
        num = numerical_gradient(loss_only, value)
        assert grads[name].shape == value.shape, name
        analytic.append(grads[name].ravel())
        numeric.append(num.ravel())
        scale = max(np.abs(num).max(), np.abs(grads[name]).max())
        if scale > 1e-6:  # the bias feeding a batch norm has a zero gradient: checked separately
            assert rel_error(grads[name], num) < 1e-6, name
        else:
            assert np.abs(grads[name] - num).max() < 1e-8, name
    assert rel_error(np.concatenate(analytic), np.concatenate(numeric)) < 1e-7


@pytest.mark.parametrize("loss", ["ce", "bce", "mse"])
@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("l2", [0.0, 0.05])
def test_gradients_match_central_differences(loss, activation, l2):
    model = MLP([3, 5, 4, N_OUT[loss]], activation=activation, loss=loss, seed=3)
    _randomize(model)
    X = np.random.default_rng(4).standard_normal((6, 3))
    _check_all_gradients(model, X, _targets(loss, 6), l2=l2)


@pytest.mark.parametrize("loss", ["ce", "bce", "mse"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_gradients_with_batchnorm_in_training_mode(loss, activation):
    model = MLP([3, 5, 4, N_OUT[loss]], activation=activation, loss=loss, batchnorm=True, seed=5)
    assert {"gamma1", "beta1", "gamma2", "beta2"} <= set(model.params)
    assert "gamma3" not in model.params  # no batch norm on the output layer
    _randomize(model)
    X = np.random.default_rng(6).standard_normal((7, 3))
    _check_all_gradients(model, X, _targets(loss, 7), l2=0.02)


@pytest.mark.parametrize("loss", ["ce", "bce", "mse"])
@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
@pytest.mark.parametrize("batchnorm", [False, True])
def test_gradients_with_dropout_and_a_fixed_mask(loss, activation, batchnorm):
    model = MLP([3, 6, 5, N_OUT[loss]], activation=activation, loss=loss, dropout=0.4,
                batchnorm=batchnorm, seed=8)
    _randomize(model)
    X = np.random.default_rng(9).standard_normal((6, 3))
    _check_all_gradients(model, X, _targets(loss, 6), l2=0.01)


def test_bias_before_batchnorm_gets_no_gradient():
    # Batch norm subtracts the batch mean, so a bias added before it cancels exactly.
    model = MLP([3, 4, 2], batchnorm=True, seed=0)
    X = np.random.default_rng(0).standard_normal((10, 3))
    _, grads = model.loss_and_grads(X, np.arange(10) % 2)
    assert np.abs(grads["b1"]).max() < 1e-12
    assert np.abs(grads["W1"]).max() > 1e-6


def test_l2_adds_lambda_sum_of_squared_weights_only():
    model = MLP([2, 4, 3], seed=1)
    _randomize(model)
    X = np.random.default_rng(2).standard_normal((5, 2))
    y = np.array([0, 1, 2, 1, 0])
    lam = 0.3
    loss0, g0 = model.loss_and_grads(X, y)
    loss1, g1 = model.loss_and_grads(X, y, l2=lam)
    penalty = lam * (np.sum(model.params["W1"] ** 2) + np.sum(model.params["W2"] ** 2))
    assert loss1 == pytest.approx(loss0 + penalty, rel=1e-12)
    for name in model.params:
        expected = g0[name] + (2 * lam * model.params[name] if name.startswith("W") else 0.0)
        np.testing.assert_allclose(g1[name], expected, rtol=1e-12, atol=1e-15)


# ----------------------------------------------------------------------------- forward
def test_forward_shapes_and_probabilities():
    X = np.random.default_rng(0).standard_normal((9, 4))
    p = MLP([4, 8, 3], loss="ce").forward(X)
    assert p.shape == (9, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    q = MLP([4, 8, 1], loss="bce").forward(X)
    assert q.shape == (9,) and np.all((q > 0) & (q < 1))
    r = MLP([4, 8, 2], loss="mse").forward(X)
    assert r.shape == (9, 2)


def test_forward_matches_the_layer_formula():
    model = MLP([3, 4, 2], activation="tanh", loss="mse", seed=2)
    _randomize(model)
    X = np.random.default_rng(1).standard_normal((5, 3))
    p = model.params
    expected = np.tanh(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
    np.testing.assert_allclose(model.forward(X), expected, rtol=1e-12)


def test_return_cache_and_hidden_activations():
    model = MLP([2, 6, 5, 3], activation="relu", seed=0)
    X = np.random.default_rng(0).standard_normal((8, 2))
    probs, values = model.forward(X, return_cache=True)
    assert set(values) == {"z1", "a1", "z2", "a2", "z3"}
    np.testing.assert_allclose(values["a1"], np.maximum(values["z1"], 0))
    np.testing.assert_allclose(values["z2"], values["a1"] @ model.params["W2"] + model.params["b2"])
    np.testing.assert_allclose(probs, np.exp(values["z3"]) / np.exp(values["z3"]).sum(1, keepdims=True))
    hidden = model.hidden_activations(X)
    assert [a.shape for a in hidden] == [(8, 6), (8, 5)]
    np.testing.assert_array_equal(hidden[1], values["a2"])


def test_predict_gives_labels():
    X = np.random.default_rng(0).standard_normal((7, 2))
    ce = MLP([2, 4, 3])
    np.testing.assert_array_equal(ce.predict(X), np.argmax(ce.forward(X), axis=1))
    bce = MLP([2, 4, 1], loss="bce")
    np.testing.assert_array_equal(bce.predict(X), (bce.forward(X) > 0.5).astype(int))


def test_dropout_is_off_in_evaluation_mode_and_on_in_training_mode():
    X = np.random.default_rng(0).standard_normal((20, 3))
    plain = MLP([3, 16, 2], seed=4)
    dropped = MLP([3, 16, 2], dropout=0.5, seed=4)
    np.testing.assert_array_equal(plain.forward(X), dropped.forward(X))
    a = dropped.forward(X, train=True, rng=np.random.default_rng(1))
    b = dropped.forward(X, train=True, rng=np.random.default_rng(1))
    c = dropped.forward(X, train=True, rng=np.random.default_rng(2))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    assert not np.allclose(a, plain.forward(X))


def test_batchnorm_running_statistics():
    model = MLP([3, 4, 2], batchnorm=True, seed=0)
    _randomize(model)
    X = np.random.default_rng(3).standard_normal((50, 3)) * 2 + 1
    z = X @ model.params["W1"] + model.params["b1"]
    model.loss_and_grads(X, np.arange(50) % 2)
    running = model.running["bn1"]
    np.testing.assert_allclose(running["mean"], 0.1 * z.mean(axis=0), rtol=1e-10)
    np.testing.assert_allclose(running["var"], 0.9 + 0.1 * z.var(axis=0), rtol=1e-10)
    # evaluation mode normalizes with the running statistics
    gamma, beta = model.params["gamma1"], model.params["beta1"]
    a = np.maximum(gamma * (z - running["mean"]) / np.sqrt(running["var"] + 1e-5) + beta, 0)
    _, values = model.forward(X, return_cache=True)
    np.testing.assert_allclose(values["a1"], a, rtol=1e-10)


@pytest.mark.parametrize(
    "activation, init, std",
    [("relu", None, lambda d_in, d_out: np.sqrt(2 / d_in)),
     ("tanh", None, lambda d_in, d_out: np.sqrt(2 / (d_in + d_out))),
     ("sigmoid", "he", lambda d_in, d_out: np.sqrt(2 / d_in)),
     ("relu", 0.5, lambda d_in, d_out: 0.5)],
)
def test_initialization_scale(activation, init, std):
    model = MLP([400, 300, 2], activation=activation, init=init, seed=0)
    W1 = model.params["W1"]
    assert W1.std() == pytest.approx(std(400, 300), rel=0.02)
    assert abs(W1.mean()) < 0.01 * std(400, 300) * 10
    np.testing.assert_array_equal(model.params["b1"], 0)


def test_same_seed_same_init_different_seed_different_init():
    a, b, c = MLP([2, 5, 2], seed=1), MLP([2, 5, 2], seed=1), MLP([2, 5, 2], seed=2)
    for name in a.params:
        np.testing.assert_array_equal(a.params[name], b.params[name])
    assert not np.allclose(a.params["W1"], c.params["W1"])


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 6), min_size=1, max_size=4),
    n=st.integers(1, 6),
    k=st.integers(2, 5),
    activation=st.sampled_from(["relu", "sigmoid", "tanh"]),
)
def test_forward_any_architecture(sizes, n, k, activation):
    model = MLP(sizes + [k], activation=activation, seed=0)
    X = np.random.default_rng(0).standard_normal((n, sizes[0]))
    p = model.forward(X)
    assert p.shape == (n, k)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    loss, grads = model.loss_and_grads(X, np.arange(n) % k)
    assert np.isfinite(loss) and loss >= 0
    assert all(grads[name].shape == model.params[name].shape for name in model.params)


# The MLP writes the dense layer out (no re-validation, no unused ∂J/∂X for the first layer)
# and uses the fused cross-entropy: check it against the package's layer functions.
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_loss_and_grads_agree_with_the_layer_functions(activation):
    model = MLP([4, 7, 5, 3], activation=activation, seed=2)
    _randomize(model)
    rng = np.random.default_rng(6)
    X, y = rng.standard_normal((9, 4)), rng.integers(0, 3, size=9)
    f, f_grad = get_activation(activation)
    a, caches, zs = X, [], []
    for l in (1, 2, 3):
        z, cache = dense_forward(a, model.params[f"W{l}"], model.params[f"b{l}"])
        caches.append(cache)
        zs.append(z)
        a = f(z)
    loss, grads = model.loss_and_grads(X, y)
    assert loss == pytest.approx(cross_entropy(zs[-1], y), rel=1e-14)
    dout = cross_entropy_grad(zs[-1], y)
    for l in (3, 2, 1):
        if l < 3:
            dout = dout * f_grad(zs[l - 1])
        dout, dW, db = dense_backward(dout, caches[l - 1])
        np.testing.assert_allclose(grads[f"W{l}"], dW, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(grads[f"b{l}"], db, rtol=1e-12, atol=1e-15)


def test_evaluation_in_blocks_matches_the_whole_batch():
    model = MLP([3, 6, 4], seed=0)
    _randomize(model)
    rng = np.random.default_rng(1)
    n = 2 * _EVAL_ROWS + 17  # two full blocks and a partial one
    X, y = rng.standard_normal((n, 3)), rng.integers(0, 4, size=n)
    _, values = model.forward(X, return_cache=True)
    logits = values["z2"]
    loss, accuracy = model.evaluate(X, y)
    assert loss == pytest.approx(cross_entropy(logits, y), rel=1e-13)
    assert accuracy == np.mean(np.argmax(logits, axis=1) == y)


# ------------------------------------------------------------------------------ training
def test_minibatch_train_is_sgd_on_the_shuffled_minibatches():
    X, y = make_moons(70, seed=4)
    manual, trained = MLP([2, 8, 2], seed=3), MLP([2, 8, 2], seed=3)
    rng = np.random.default_rng(5)  # what train(seed=5) draws: one permutation per epoch
    for _ in range(2):
        order = rng.permutation(len(X))
        for i in range(0, len(X), 16):
            idx = order[i : i + 16]
            _, grads = manual.loss_and_grads(X[idx], y[idx], l2=0.01)
            sgd_step(manual.params, grads, 0.3)
    train(trained, X, y, lr=0.3, epochs=2, batch_size=16, l2=0.01, seed=5)
    for name in manual.params:
        np.testing.assert_array_equal(trained.params[name], manual.params[name])


def test_full_batch_train_is_plain_gradient_descent():
    X, y = make_moons(40, seed=1)
    manual, trained = MLP([2, 8, 2], seed=3), MLP([2, 8, 2], seed=3)
    for _ in range(3):
        _, grads = manual.loss_and_grads(X, y, l2=0.01)
        for name in manual.params:
            manual.params[name] -= 0.2 * grads[name]
    train(trained, X, y, lr=0.2, epochs=3, l2=0.01)
    for name in manual.params:
        np.testing.assert_allclose(trained.params[name], manual.params[name], rtol=1e-12, atol=1e-15)


def test_train_learns_two_moons():
    X, y = make_moons(200, noise=0.1, seed=0)
    model = MLP([2, 64, 64, 2], seed=0)
    history = train(model, X, y, lr=0.5, epochs=300)
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert history.accuracy[-1] > 0.95
    assert np.mean(model.predict(X) == y) == pytest.approx(history.accuracy[-1])
    assert not history.diverged


def test_train_with_minibatches_bce_and_validation():
    X, y = make_moons(240, noise=0.15, seed=2)
    model = MLP([2, 16, 1], loss="bce", activation="tanh", seed=1)
    history = train(model, X[:200], y[:200], lr=1.0, epochs=60, batch_size=32,
                    X_val=X[200:], y_val=y[200:])
    assert history.loss[-1] < history.loss[0]
    assert history.val_accuracy[-1] > 0.9
    loss, accuracy = model.evaluate(X[200:], y[200:])
    assert loss == pytest.approx(history.val_loss[-1])
    assert accuracy == pytest.approx(history.val_accuracy[-1])


def test_train_regression_with_mse():
    X, y = make_regression_1d(80, noise=0.05, seed=0)
    model = MLP([1, 32, 1], activation="tanh", loss="mse", seed=0)
    history = train(model, X, y, lr=0.1, epochs=300)
    assert history.loss[-1] < 0.1 * history.loss[0]
    assert np.all(np.isnan(history.accuracy))
    assert np.all(np.isnan(history.val_loss))


def test_history_fields_and_shapes():
    X, y = make_moons(60, seed=0)
    history = train(MLP([2, 8, 8, 2], dropout=0.2, seed=0), X, y, lr=0.1, epochs=7, batch_size=16,
                    l2=0.001, X_val=X[:10], y_val=y[:10])
    assert isinstance(history, History)
    for values in (history.loss, history.val_loss, history.accuracy, history.val_accuracy,
                   history.objective):
        assert len(values) == 7 and np.all(np.isfinite(values))
    assert history.epochs == 7
    assert history.grad_norms.shape == (7, 3)
    assert np.all(history.grad_norms > 0)


def test_training_is_reproducible_and_seed_dependent():
    X, y = make_moons(80, seed=0)

    def run(model_seed, train_seed):
        model = MLP([2, 12, 2], dropout=0.3, seed=model_seed)
        return train(model, X, y, lr=0.3, epochs=15, batch_size=20, seed=train_seed)

    a, b = run(0, 0), run(0, 0)
    assert a.loss == b.loss
    np.testing.assert_array_equal(a.grad_norms, b.grad_norms)
    assert run(1, 0).loss != a.loss  # another initialization
    assert run(0, 1).loss != a.loss  # other shuffles and dropout masks


def test_zero_learning_rate_changes_nothing():
    X, y = make_moons(30, seed=0)
    model = MLP([2, 4, 2], seed=0)
    before = {k: v.copy() for k, v in model.params.items()}
    history = train(model, X, y, lr=0.0, epochs=3)
    for name, value in before.items():
        np.testing.assert_array_equal(model.params[name], value)
    assert history.loss[0] == history.loss[-1]


def test_divergence_is_reported_with_one_warning():
    X, y = make_regression_1d(50, seed=0)
    model = MLP([1, 32, 32, 1], loss="mse", seed=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = train(model, X * 100, y, lr=1e3, epochs=50)
    assert [w.category for w in caught] == [DivergenceWarning], [str(w.message) for w in caught]
    message = str(caught[0].message)
    assert "epoch" in message and "Lower the learning rate" in message
    assert history.diverged
    assert len(history.loss) == 50 and np.isnan(history.loss[-1])
    # the model keeps finite parameters and can still be used
    assert all(np.all(np.isfinite(value)) for value in model.params.values())
    assert np.all(np.isfinite(model.forward(X)))
    # full batch: the model holds the parameters after the recorded (finite) epochs
    finite_epochs = int(np.sum(np.isfinite(history.loss)))
    replay = MLP([1, 32, 32, 1], loss="mse", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        train(replay, X * 100, y, lr=1e3, epochs=finite_epochs)
    for name, value in replay.params.items():
        np.testing.assert_array_equal(model.params[name], value)


@pytest.mark.parametrize("loss", ["ce", "mse"])
def test_a_huge_learning_rate_stops_at_once_with_the_flag(loss):
    # issue 12: lr=1e6 for 5 epochs used to return a loss of 1e54 with diverged False
    X = np.random.default_rng(0).standard_normal((60, 4))
    y = _targets(loss, 60) if loss == "ce" else np.random.default_rng(1).standard_normal((60, 3))
    model = MLP([4, 8, 3], loss=loss, seed=0)
    with pytest.warns(DivergenceWarning, match=r"epoch \d+ of 5.*Lower the learning rate"):
        history = train(model, X, y, lr=1e6, epochs=5)
    assert history.diverged
    finite = [v for v in history.loss if np.isfinite(v)]
    assert all(v <= DIVERGENCE_FACTOR * history.loss[0] or v == finite[-1] for v in finite)
    assert len(finite) < 5


def test_divergence_factor_is_what_stops_training():
    # the same run with a learning rate that makes the loss grow, but not 10^4-fold, is not flagged
    X, y = make_regression_1d(40, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train(MLP([1, 8, 1], loss="mse", seed=0), X, y, lr=0.05, epochs=20)
    assert not history.diverged and np.all(np.isfinite(history.loss))


@pytest.mark.parametrize("where", ["X", "y", "X_val", "y_val"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("loss", ["ce", "bce", "mse"])
def test_non_finite_data_are_rejected_naming_the_argument(where, bad, loss):
    X = np.random.default_rng(0).standard_normal((10, 4))
    y = _targets(loss, 10).astype(float) if loss != "mse" else _targets(loss, 10)
    model = MLP([4, 5, N_OUT[loss]], loss=loss)
    data = {"X": X.copy(), "y": y.copy(), "X_val": X.copy(), "y_val": y.copy()}
    data[where].flat[3] = bad
    with pytest.raises(ValueError, match=rf"^{where} must .*finite"):
        train(model, data["X"], data["y"], lr=0.1, epochs=2, X_val=data["X_val"], y_val=data["y_val"])
    if where == "X":
        for method in (model.predict, model.forward, model.hidden_activations):
            with pytest.raises(ValueError, match="^X must be finite"):
                method(data["X"])
        with pytest.raises(ValueError, match="^X must be finite"):
            model.loss_and_grads(data["X"], y)
        with pytest.raises(ValueError, match="^X must be finite"):
            model.evaluate(data["X"], y)


def test_one_rule_for_float_labels_in_train_and_cross_entropy():
    X = np.random.default_rng(0).standard_normal((12, 4))
    y = _targets("ce", 12)
    logits = np.random.default_rng(1).standard_normal((12, 3))
    # whole-number floats are accepted by both, and give the same numbers as integer labels
    assert cross_entropy(logits, y.astype(float)) == cross_entropy(logits, y)
    h_int = train(MLP([4, 5, 3]), X, y, lr=0.1, epochs=3)
    h_float = train(MLP([4, 5, 3]), X, y.astype(float), lr=0.1, epochs=3)
    assert h_int.loss == h_float.loss
    # fractions, booleans and NaN are refused by both, with the same message
    for bad in (y + 0.5, y > 0, np.where(y == 0, np.nan, y)):
        with pytest.raises(ValueError) as from_loss:
            cross_entropy(logits, bad)
        with pytest.raises(ValueError) as from_train:
            train(MLP([4, 5, 3]), X, bad, lr=0.1, epochs=1)
        assert str(from_loss.value).split(" ", 1)[1] == str(from_train.value).split(" ", 1)[1]


def test_arguments_are_validated_in_order_and_epochs_has_a_default():
    X, y = make_moons(20, seed=0)
    with pytest.raises(ValueError, match="^lr"):
        train(MLP([2, 4, 2]), X, y, lr=-1)
    history = train(MLP([2, 4, 2]), X, y, lr=0.1)
    assert history.epochs == 100
    with pytest.raises(ValueError, match="^seed"):
        train(MLP([2, 4, 2]), X, y, lr=0.1, epochs=1, seed=-1)


@pytest.mark.parametrize("dtype", ["floatt32", "int32", object, "not a dtype"])
def test_bad_dtype_names_the_argument(dtype):
    with pytest.raises(ValueError, match="^dtype must be a floating type"):
        MLP([2, 3, 2], dtype=dtype)


def test_float32_model():
    X, y = make_moons(100, seed=0)
    model = MLP([2, 16, 2], dtype=np.float32, seed=0)
    history = train(model, X, y, lr=0.5, epochs=50)
    assert all(v.dtype == np.float32 for v in model.params.values())
    assert model.forward(X).dtype == np.float32
    assert history.loss[-1] < history.loss[0]


# ------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"sizes": [3]}, "sizes"),
        ({"sizes": [3, 0, 2]}, "sizes"),
        ({"sizes": [3, 2.5, 2]}, "sizes"),
        ({"sizes": "32"}, "sizes"),
        ({"sizes": [3, 2], "activation": "softplus"}, "activation"),
        ({"sizes": [3, 2], "loss": "hinge"}, "loss"),
        ({"sizes": [3, 2], "loss": "bce"}, "sizes"),
        ({"sizes": [3, 1], "loss": "ce"}, "sizes"),
        ({"sizes": [3, 2], "dropout": 1.0}, "dropout"),
        ({"sizes": [3, 2], "dropout": -0.1}, "dropout"),
        ({"sizes": [3, 2], "batchnorm": "yes"}, "batchnorm"),
        ({"sizes": [3, 2], "init": "lecun"}, "init"),
        ({"sizes": [3, 2], "init": -1.0}, "init"),
        ({"sizes": [3, 2], "dtype": np.int64}, "dtype"),
    ],
)
def test_bad_constructor_arguments(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        MLP(**kwargs)


def test_bad_data_arguments():
    model = MLP([2, 4, 3])
    X, y = np.zeros((5, 2)), np.array([0, 1, 2, 1, 0])
    with pytest.raises(ValueError, match="X"):
        model.forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="X"):
        model.loss_and_grads(np.zeros(5), y)
    with pytest.raises(ValueError, match="y"):
        model.loss_and_grads(X, y[:4])
    with pytest.raises(ValueError, match="y"):
        model.loss_and_grads(X, np.array([0, 1, 3, 1, 0]))  # class 3 of 3
    with pytest.raises(ValueError, match="y"):
        model.loss_and_grads(X, y.astype(float) + 0.5)
    with pytest.raises(ValueError, match="l2"):
        model.loss_and_grads(X, y, l2=-1.0)
    with pytest.raises(ValueError, match="rng"):
        model.loss_and_grads(X, y, rng=3)
    with pytest.raises(ValueError, match="y"):
        MLP([2, 1], loss="bce").loss_and_grads(X, np.array([0, 1, 2, 0, 1]))
    with pytest.raises(ValueError, match="y"):
        MLP([2, 2], loss="mse").loss_and_grads(X, np.zeros(5))


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"lr": -0.1}, "lr"),
        ({"lr": float("nan")}, "lr"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": 2.5}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
        ({"l2": -1e-3}, "l2"),
        ({"X_val": np.zeros((3, 2))}, "y_val"),
        ({"X_val": np.zeros((3, 3)), "y_val": np.zeros(3, int)}, "X_val"),
        ({"X_val": np.zeros((3, 2)), "y_val": np.zeros(4, int)}, "y_val"),
    ],
)
def test_bad_train_arguments(kwargs, argument):
    X, y = make_moons(20, seed=0)
    arguments = {"lr": 0.1, "epochs": 2} | kwargs
    with pytest.raises(ValueError, match=argument):
        train(MLP([2, 3, 2]), X, y, **arguments)


def test_train_rejects_a_non_model():
    with pytest.raises(ValueError, match="model"):
        train("net", np.zeros((2, 2)), np.zeros(2, int), lr=0.1, epochs=1)


def test_batchnorm_training_never_sees_a_single_row():
    X, y = make_moons(21, seed=0)  # 21 = 2 * 10 + 1: the last minibatch would be one row
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train(MLP([2, 6, 2], batchnorm=True), X, y, lr=0.1, epochs=3, batch_size=10)
    assert np.all(np.isfinite(history.loss))
    for kwargs in ({"batch_size": 1}, {}):
        rows = 1 if not kwargs else 21
        with pytest.raises(ValueError, match="batch_size must be >= 2"):
            train(MLP([2, 6, 2], batchnorm=True), X[:rows], y[:rows], lr=0.1, epochs=1, **kwargs)


@pytest.mark.parametrize("name, options", [("adam", {"beta1": 0.8, "beta2": 0.99}), ("momentum", {"beta": 0.5}),
                                           ("rmsprop", {}), ("sgd", None)])
def test_train_with_an_optimizer_equals_a_manual_loop_of_its_step(name, options):
    from nnbook.optim import adam_step, momentum_step, rmsprop_step

    manual_step = {"adam": adam_step, "momentum": momentum_step, "rmsprop": rmsprop_step,
                   "sgd": lambda p, g, state, lr: sgd_step(p, g, lr)}[name]
    X, y = make_moons(50, seed=1)
    trained = MLP([2, 8, 2], seed=3)
    history = train(trained, X, y, lr=0.01, epochs=3, batch_size=16, seed=5, optimizer=name,
                    optimizer_options=options)
    manual = MLP([2, 8, 2], seed=3)
    rng, state = np.random.default_rng(5), {}
    for _ in range(3):
        order = rng.permutation(50)
        for i in range(0, 50, 16):
            rows = order[i : i + 16]
            _, grads = manual.loss_and_grads(X[rows], y[rows], rng=rng)
            manual_step(manual.params, grads, state, 0.01, **(options or {}))
    for key, value in manual.params.items():
        np.testing.assert_allclose(trained.params[key], value, rtol=1e-12, atol=1e-15, err_msg=key)
    assert not history.diverged


def test_each_train_call_starts_a_fresh_optimizer_state():
    X, y = make_moons(40, seed=0)
    once = MLP([2, 6, 2], seed=0)
    train(once, X, y, lr=0.01, epochs=2, optimizer="adam")
    twice = MLP([2, 6, 2], seed=0)
    train(twice, X, y, lr=0.01, epochs=1, optimizer="adam")
    train(twice, X, y, lr=0.01, epochs=1, optimizer="adam")  # Adam's bias correction restarts
    assert not np.allclose(once.params["W1"], twice.params["W1"])


def test_default_optimizer_is_plain_gradient_descent():
    X, y = make_moons(40, seed=0)
    a, b = MLP([2, 6, 2], seed=0), MLP([2, 6, 2], seed=0)
    train(a, X, y, lr=0.1, epochs=3)
    train(b, X, y, lr=0.1, epochs=3, optimizer="sgd", optimizer_options={})
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])


@pytest.mark.parametrize("kwargs, message", [
    ({"optimizer": "nadam"}, "optimizer must be one of"),
    ({"optimizer": "adam", "optimizer_options": {"beta3": 0.9}}, r"optimizer_options \['beta3'\]"),
    ({"optimizer": "adam", "optimizer_options": [0.9]}, "optimizer_options must be a dict"),
    ({"optimizer": "adam", "optimizer_options": {"beta1": 1.5}}, "beta1"),
])
def test_bad_optimizer_arguments_are_named(kwargs, message):
    X, y = make_moons(20, seed=0)
    with pytest.raises(ValueError, match=message):
        train(MLP([2, 4, 2]), X, y, lr=0.1, epochs=1, **kwargs)


def test_activation_as_a_pair_of_functions():
    from nnbook import sigmoid, sigmoid_grad

    X = np.random.default_rng(0).normal(size=(12, 3))
    y = np.arange(12) % 2
    named = MLP([3, 5, 2], activation="sigmoid", seed=1)
    pair = MLP([3, 5, 2], activation=(sigmoid, sigmoid_grad), seed=1)
    for key in named.params:
        assert np.array_equal(named.params[key], pair.params[key])  # Xavier for both
    (l0, g0), (l1, g1) = named.loss_and_grads(X, y), pair.loss_and_grads(X, y)
    assert l0 == l1 and all(np.array_equal(g0[k], g1[k]) for k in g0)
    shifted = MLP([3, 5, 2], activation=(lambda z: sigmoid(z) - 0.5, sigmoid_grad), seed=1)
    assert not np.allclose(shifted.forward(X), named.forward(X))
    for bad in [("sigmoid", sigmoid_grad), (sigmoid,), (sigmoid, 3), "softsign"]:
        with pytest.raises(ValueError, match="activation"):
            MLP([3, 5, 2], activation=bad)
