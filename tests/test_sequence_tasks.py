"""The long-range task generators and the RNN/LSTM training with a read-out on h_T."""
import warnings

import numpy as np
import pytest

from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.sequence_tasks import adding_accuracy, make_adding_problem, make_recall_task
from nnbook.sequence_training import (
    init_sequence_model, input_gradient_norms, sequence_loss_and_grads, sequence_predict,
    train_sequence_model,
)


# ---- the tasks --------------------------------------------------------------------------

def test_recall_task_layout_and_labels():
    x, y = make_recall_task(50, 7, n_symbols=3, seed=4)
    assert x.shape == (50, 7, 4) and y.shape == (50,) and y.dtype == np.int64
    assert np.all(x[:, 0, 3] == 1) and np.all(x[:, 1:, 3] == 0)  # marker on step 1 only
    assert np.all(x[:, :, :3].sum(axis=2) == 1)  # one symbol per step
    assert np.array_equal(np.argmax(x[:, 0, :3], axis=1), y)
    assert set(np.unique(y)) == {0, 1, 2}


def test_recall_task_without_distractors():
    x, y = make_recall_task(20, 5, distractors=False, seed=1)
    assert np.all(x[:, 1:] == 0)
    assert np.array_equal(np.argmax(x[:, 0, :4], axis=1), y)


def test_recall_task_seeded():
    a, b = make_recall_task(10, 6, seed=3), make_recall_task(10, 6, seed=3)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], make_recall_task(10, 6, seed=4)[0])


def test_adding_problem():
    x, y = make_adding_problem(200, 30, seed=2)
    assert x.shape == (200, 30, 2) and y.shape == (200, 1)
    assert np.all(x[:, :, 1].sum(axis=1) == 2)
    assert np.all(x[:, :3, 1].sum(axis=1) == 1)  # one marker in the first tenth
    assert np.all(x[:, 15:, 1].sum(axis=1) == 1)  # one in the second half
    np.testing.assert_allclose(y[:, 0], (x[:, :, 0] * x[:, :, 1]).sum(axis=1))
    assert 0 < y.min() and y.max() < 2
    # predicting the mean gives about the variance of the sum of two U(0, 1), 1/6
    assert abs(np.mean((y - 1) ** 2) - 1 / 6) < 0.04


def test_adding_accuracy():
    assert adding_accuracy(np.array([[1.0], [0.5]]), np.array([[1.03], [0.6]])) == 0.5
    with pytest.raises(ValueError, match="y_hat"):
        adding_accuracy(np.zeros(3), np.zeros((3, 1)))


@pytest.mark.parametrize("call, words", [
    (lambda: make_recall_task(0, 5), "n must be"),
    (lambda: make_recall_task(5, 0), "T must be"),
    (lambda: make_recall_task(5, 5, n_symbols=1), "n_symbols"),
    (lambda: make_recall_task(5, 5, distractors="no"), "distractors"),
    (lambda: make_adding_problem(5, 1), "T must be"),
    (lambda: make_adding_problem(2.5, 10), "n must be"),
])
def test_task_bad_inputs(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# ---- training ----------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["rnn", "lstm"])
@pytest.mark.parametrize("loss", ["ce", "mse"])
def test_loss_gradients_match_central_differences(model, loss):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 5, 2))
    y = np.array([0, 2, 1]) if loss == "ce" else rng.normal(size=(3, 3))
    params = init_sequence_model(model, 2, 4, 3, seed=1)
    params["b"] = rng.normal(size=params["b"].shape)
    J, grads, dx = sequence_loss_and_grads(model, params, x, y, loss)
    for key, p in params.items():
        num = numerical_gradient(lambda _: sequence_loss_and_grads(model, params, x, y, loss)[0], p)
        assert rel_error(grads[key], num) < 1e-7, key
    num_x = numerical_gradient(lambda _: sequence_loss_and_grads(model, params, x, y, loss)[0], x)
    assert rel_error(dx, num_x) < 1e-7


@pytest.mark.parametrize("model", ["rnn", "lstm"])
def test_truncated_gradient_treats_early_states_as_constants(model):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 6, 2))
    y = np.array([1, 0])
    params = init_sequence_model(model, 2, 3, 2, seed=2)
    _, grads, dx = sequence_loss_and_grads(model, params, x, y, truncate=2)
    assert np.all(dx[:, :4] == 0) and np.any(dx[:, 4:] != 0)
    # the truncated gradient is the full gradient of the loss on the last 2 steps started
    # from the (fixed) state reached after step 4
    J_full, _, _ = sequence_loss_and_grads(model, params, x, y)
    J_trunc, _, _ = sequence_loss_and_grads(model, params, x, y, truncate=2)
    assert J_full == pytest.approx(J_trunc)
    _, full, _ = sequence_loss_and_grads(model, params, x, y)
    assert rel_error(grads["Wy"], full["Wy"]) < 1e-12  # the read-out sees the same h_T
    assert rel_error(grads["Wh"], full["Wh"]) > 1e-6  # the recurrent weights do not
    _, same, _ = sequence_loss_and_grads(model, params, x, y, truncate=6)
    assert all(np.allclose(same[k], full[k]) for k in full)


def test_prediction_and_gradient_profile_shapes():
    x, y = make_recall_task(8, 5, seed=0)
    for model in ("rnn", "lstm"):
        params = init_sequence_model(model, 5, 4, 4)
        assert sequence_predict(model, params, x).shape == (8, 4)
        g = input_gradient_norms(model, params, x, y)
        assert g.shape == (5,) and np.all(g > 0)


@pytest.mark.parametrize("model", ["rnn", "lstm"])
def test_training_lowers_the_loss_and_is_seeded(model):
    x, y = make_recall_task(64, 3, seed=0)
    p1, h1 = train_sequence_model(model, x, y, hidden_size=8, steps=60, lr=0.05)
    p2, h2 = train_sequence_model(model, x, y, hidden_size=8, steps=60, lr=0.05)
    assert np.mean(h1["loss"][-5:]) < 0.5 * h1["loss"][0]
    assert h1["accuracy"] > 0.9 and not h1["diverged"]
    assert h1["loss"] == h2["loss"] and all(np.array_equal(p1[k], p2[k]) for k in p1)


def test_short_recall_is_learned_with_minibatches_and_clipping():
    x, y = make_recall_task(256, 3, seed=0)
    _, hist = train_sequence_model("lstm", x, y, 8, 80, 0.05, clip=1.0, batch_size=32)
    assert hist["accuracy"] > 0.9


def test_an_exploding_run_is_stopped_and_flagged():
    from nnbook.rnn import scale_to_spectral_radius
    x, y = make_adding_problem(200, 20, seed=1)
    p0 = init_sequence_model("rnn", 2, 16, 1, seed=0)
    p0["Wh"] = scale_to_spectral_radius(p0["Wh"], 2.5)
    _, hist = train_sequence_model("rnn", x, y, 16, 200, 0.1, loss="mse", optimizer="sgd",
                                   batch_size=32, params=p0)
    assert hist["diverged"] and len(hist["loss"]) < 200 and np.isnan(hist["accuracy"])
    _, clipped = train_sequence_model("rnn", x, y, 16, 200, 0.1, loss="mse", optimizer="sgd",
                                      batch_size=32, params=p0, clip=1.0)
    assert not clipped["diverged"] and len(clipped["loss"]) == 200


def test_lstm_forget_bias():
    p = init_sequence_model("lstm", 3, 4, 2, forget_bias=2.0)
    assert p["Wx"].shape == (3, 16) and p["Wh"].shape == (4, 16)
    assert np.all(p["b"][4:8] == 2.0) and np.all(p["b"][:4] == 0) and np.all(p["b"][8:] == 0)


@pytest.mark.parametrize("call, words", [
    (lambda x, y: train_sequence_model("gru", x, y, 4, 1, 0.1), "model must be"),
    (lambda x, y: train_sequence_model("rnn", x, y, 4, 1, -0.1), "lr"),
    (lambda x, y: train_sequence_model("rnn", x, y, 4, 1, 0.1, clip=0), "clip"),
    (lambda x, y: train_sequence_model("rnn", x, y, 4, 1, 0.1, optimizer="newton"), "optimizer"),
    (lambda x, y: train_sequence_model("rnn", x, y, 4, 1, 0.1, truncate=0), "truncate"),
    (lambda x, y: sequence_loss_and_grads("rnn", init_sequence_model("rnn", 5, 4, 4), x, y, "hinge"),
     "loss must be"),
    (lambda x, y: sequence_loss_and_grads("rnn", init_sequence_model("rnn", 5, 4, 4), x, y[:3]),
     "y must have one entry"),
    (lambda x, y: sequence_loss_and_grads("rnn", init_sequence_model("rnn", 5, 4, 4), x[0], y),
     "x must be a 3-D"),
])
def test_training_bad_inputs(call, words):
    x, y = make_recall_task(6, 4, seed=0)
    with pytest.raises(ValueError, match=words):
        call(x, y)


def test_global_norm_does_not_overflow():
    from nnbook.sequence_training import _global_norm
    assert _global_norm({"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}) == pytest.approx(5.0)
    assert _global_norm({"a": np.array([1e200, 1e200])}) == pytest.approx(np.sqrt(2) * 1e200)
    assert _global_norm({"a": np.zeros(3)}) == 0.0
