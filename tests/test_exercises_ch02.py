"""The chapter 2 checks accept the reference answers and explain plausible mistakes."""
import numpy as np
import pytest

from nnbook import sigmoid
from nnbook.exercises import (ExerciseError, check_relu_grad, check_sigmoid_grad,
                              check_tanh_from_sigmoid)


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


def test_sigmoid_grad_accepts_reference(capsys):
    assert check_sigmoid_grad(sigmoid_grad) is True
    assert "correct" in capsys.readouterr().out


def naive_sigmoid_grad(x):
    e = np.exp(-x)
    return e / (1 + e) ** 2  # correct for moderate x, nan for x = -800 (inf / inf)


@pytest.mark.parametrize("wrong, message", [
    (lambda x: sigmoid(x) * (1 + sigmoid(x)), "σ(1 + σ)"),
    (lambda x: x * (1 - x), "applied s(1 − s) to z"),
    (sigmoid, "its derivative"),
    (lambda x: 0.25 * np.ones_like(x), "my_sigmoid_grad(z)"),
    (lambda x: sigmoid_grad(x).ravel()[:3], "shape"),
    (naive_sigmoid_grad, "not finite"),
])
def test_sigmoid_grad_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match="ex-ch02-sigmoid-grad") as err:
        check_sigmoid_grad(wrong)
    assert message in str(err.value)


def relu_grad(x):
    return (x > 0).astype(float)


def test_relu_grad_accepts_reference(capsys):
    assert check_relu_grad(relu_grad) is True
    assert check_relu_grad(lambda x: x > 0) is True  # a boolean mask is 0/1 too
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda x: (x >= 0).astype(float), "ReLU'(0) = 0"),
    (lambda x: np.where(x == 0, 0.5, x > 0).astype(float), "ReLU'(0) = 0"),
    (lambda x: np.maximum(0, x), "that is ReLU(z)"),
    (lambda x: (x < 0).astype(float), "reversed"),
    (lambda x: np.ones_like(x), "my_relu_grad(z)"),
])
def test_relu_grad_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match="ex-ch02-relu-grad") as err:
        check_relu_grad(wrong)
    assert message in str(err.value)


def test_tanh_from_sigmoid_accepts_reference(capsys):
    assert check_tanh_from_sigmoid(lambda x: 2 * sigmoid(2 * x) - 1) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda x: 2 * sigmoid(x) - 1, "tanh(z/2)"),
    (lambda x: 1 - 2 * sigmoid(2 * x), "sign"),
    (lambda x: sigmoid(2 * x), "my_tanh(z)"),
])
def test_tanh_from_sigmoid_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match="ex-ch02-tanh-from-sigmoid") as err:
        check_tanh_from_sigmoid(wrong)
    assert message in str(err.value)
