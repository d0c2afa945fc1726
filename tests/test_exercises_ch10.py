"""The chapter 10 exercise checks accept the reference solutions and reject typical mistakes
(another gate order, σ on the candidate, a missing tanh, a missing gradient path) with a
message that names them."""
import numpy as np
import pytest

from nnbook.exercises import ExerciseError
from nnbook.exercises.ch10 import check_cell_gradient, check_lstm_step
from nnbook.lstm import lstm_step


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def step(x_t, h_prev, c_prev, Wx, Wh, b, order="ifgo", g_act=np.tanh, h_of_c=np.tanh,
         bias=True, swap=False):
    H = h_prev.shape[1]
    a = x_t @ Wx + h_prev @ Wh + (b if bias else 0)
    blocks = dict(zip(order, (a[:, k * H:(k + 1) * H] for k in range(4))))
    i, f, g, o = sig(blocks["i"]), sig(blocks["f"]), g_act(blocks["g"]), sig(blocks["o"])
    c = f * c_prev + i * g
    h = o * h_of_c(c)
    return (c, h) if swap else (h, c)


# ---- one LSTM step -----------------------------------------------------------------------

def test_lstm_step_accepts_reference(capsys):
    assert check_lstm_step(step)
    assert "correct" in capsys.readouterr().out


def test_lstm_step_accepts_the_package():
    assert check_lstm_step(lstm_step)


@pytest.mark.parametrize("wrong, words", [
    (lambda *a: step(*a, order="ifog"), "another order"),
    (lambda *a: step(*a, order="igfo"), "another order"),
    (lambda *a: step(*a, g_act=sig), "tanh"),
    (lambda *a: step(*a, h_of_c=lambda c: c), "tanh first"),
    (lambda *a: step(*a, bias=False), "bias"),
    (lambda *a: step(*a, swap=True), "swapped"),
    (lambda *a: step(*a)[0], "pair"),
    (lambda *a: (np.tanh(step(*a)[1]), step(*a)[1]), "output gate"),
])
def test_lstm_step_rejects_mistakes(wrong, words):
    with pytest.raises(ExerciseError, match=words):
        check_lstm_step(wrong)


# ---- the gradient of the cell ------------------------------------------------------------

def cell_grad_ok(dc_next, f_next, dh_t, o_t, c_t):
    return dc_next * f_next + dh_t * o_t * (1 - np.tanh(c_t) ** 2)


def test_cell_gradient_accepts_reference(capsys):
    assert check_cell_gradient(cell_grad_ok)
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, words", [
    (lambda dc, f, dh, o, c: dh * o * (1 - np.tanh(c) ** 2), "cell path is missing"),
    (lambda dc, f, dh, o, c: dc + dh * o * (1 - np.tanh(c) ** 2), "forget gate is missing"),
    (lambda dc, f, dh, o, c: dc * f, "through h_t is missing"),
    (lambda dc, f, dh, o, c: dc * f + dh * o * (1 - c**2), "1 − c_t²"),
    (lambda dc, f, dh, o, c: dc * f + dh * (1 - np.tanh(c) ** 2), "output gate"),
    (lambda dc, f, dh, o, c: dc * f + dh * o * np.tanh(c), "dc_t"),
    (lambda dc, f, dh, o, c: (dc * f)[:, :2], "shape"),
])
def test_cell_gradient_rejects_mistakes(wrong, words):
    with pytest.raises(ExerciseError, match=words):
        check_cell_gradient(wrong)


def test_a_crash_in_the_answer_is_reported():
    def broken(*args):
        raise NotImplementedError()
    with pytest.raises(ExerciseError):
        check_lstm_step(broken)
