"""The chapter 7 exercise checks accept the reference solutions and reject typical mistakes
(a transposed Wh, a missing bias, a missing derivative) with a message that names them."""
import numpy as np
import pytest

from nnbook.exercises import ExerciseError
from nnbook.exercises.ch07 import check_bptt_step, check_rnn_step, check_spectral_radius


def act(z, activation):
    return np.tanh(z) if activation == "tanh" else 1.0 / (1.0 + np.exp(-z))


# ---- one RNN step -----------------------------------------------------------------------

def rnn_step_ok(x_t, h_prev, Wx, Wh, b, activation="tanh"):
    return act(x_t @ Wx + h_prev @ Wh + b, activation)


def test_rnn_step_accepts_reference(capsys):
    assert check_rnn_step(rnn_step_ok)
    assert "correct" in capsys.readouterr().out


def test_rnn_step_accepts_the_column_form():
    # the article's column form, h_t = act(W_h h_{t-1} + W_x x_t + b) with W_h = Wh.T
    def column_form(x_t, h_prev, Wx, Wh, b, activation="tanh"):
        return act(Wh.T @ h_prev.T + Wx.T @ x_t.T + b[:, None], activation).T
    assert check_rnn_step(column_form)


@pytest.mark.parametrize("wrong, words", [
    (lambda x_t, h_prev, Wx, Wh, b, activation="tanh": act(x_t @ Wx + h_prev @ Wh.T + b, activation),
     "transposed"),
    (lambda x_t, h_prev, Wx, Wh, b, activation="tanh": act(x_t @ Wx + h_prev @ Wh, activation),
     "bias"),
    (lambda x_t, h_prev, Wx, Wh, b, activation="tanh": x_t @ Wx + h_prev @ Wh + b, "activation is missing"),
    (lambda x_t, h_prev, Wx, Wh, b, activation="tanh": np.tanh(x_t @ Wx + h_prev @ Wh + b),
     "sigmoid was asked"),
    (lambda x_t, h_prev, Wx, Wh, b, activation="tanh": act(x_t @ Wx + b, activation), "h_prev"),
])
def test_rnn_step_rejects_mistakes(wrong, words):
    with pytest.raises(ExerciseError, match=words):
        check_rnn_step(wrong)


# ---- spectral radius --------------------------------------------------------------------

def test_spectral_radius_accepts_reference(capsys):
    assert check_spectral_radius(lambda W: np.max(np.abs(np.linalg.eigvals(W))))
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, words", [
    (lambda W: np.linalg.norm(W, 2), "singular value"),
    (lambda W: np.linalg.norm(W), "Frobenius"),
    (lambda W: np.max(np.linalg.eigvals(W).real), "MODULUS"),
    (lambda W: np.max(np.linalg.eigvals(W)), "complex|MODULUS"),
    (lambda W: np.abs(np.linalg.eigvals(W)), "one number"),
])
def test_spectral_radius_rejects_mistakes(wrong, words):
    with pytest.raises(ExerciseError, match=words):
        check_spectral_radius(wrong)


# ---- one step of backpropagation through time -------------------------------------------

def local_grad(h, activation):
    return 1 - h**2 if activation == "tanh" else h * (1 - h)


def bptt_step_ok(dh_t, h_t, Wh, activation="tanh"):
    return (dh_t * local_grad(h_t, activation)) @ Wh.T


def test_bptt_step_accepts_reference(capsys):
    assert check_bptt_step(bptt_step_ok)
    assert "correct" in capsys.readouterr().out


def test_bptt_step_reference_matches_finite_differences():
    # independent of the check: the formula it expects is the true derivative
    rng = np.random.default_rng(0)
    x_t, h_prev = rng.normal(size=(2, 3)), rng.normal(size=(2, 4))
    Wx, Wh, b = rng.normal(size=(3, 4)), rng.normal(size=(4, 4)), rng.normal(size=4)
    dh_t = rng.normal(size=(2, 4))
    for activation in ("tanh", "sigmoid"):
        loss = lambda hp: np.sum(dh_t * act(x_t @ Wx + hp @ Wh + b, activation))
        eps, num = 1e-6, np.zeros_like(h_prev)
        for idx in np.ndindex(*h_prev.shape):
            e = np.zeros_like(h_prev)
            e[idx] = eps
            num[idx] = (loss(h_prev + e) - loss(h_prev - e)) / (2 * eps)
        h_t = act(x_t @ Wx + h_prev @ Wh + b, activation)
        np.testing.assert_allclose(bptt_step_ok(dh_t, h_t, Wh, activation), num, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("wrong, words", [
    (lambda dh_t, h_t, Wh, activation="tanh": (dh_t * local_grad(h_t, activation)) @ Wh,
     "not transposed"),
    (lambda dh_t, h_t, Wh, activation="tanh": dh_t @ Wh.T, "derivative of the activation is missing"),
    (lambda dh_t, h_t, Wh, activation="tanh": (dh_t * local_grad(act(h_t, activation), activation)) @ Wh.T,
     "already"),
    (lambda dh_t, h_t, Wh, activation="tanh": (dh_t * (1 - h_t**2)) @ Wh.T, "derivative of tanh"),
])
def test_bptt_step_rejects_mistakes(wrong, words):
    with pytest.raises(ExerciseError, match=words):
        check_bptt_step(wrong)
