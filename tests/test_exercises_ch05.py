"""The chapter 5 exercise checks accept the reference solutions and reject typical mistakes."""
import numpy as np
import pytest

from nnbook.exercises import ExerciseError
from nnbook.exercises.ch05 import check_batchnorm_forward, check_grad_norms, check_he_init


# -- batch norm forward -----------------------------------------------------------------------
def bn_reference(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def bn_unbiased(x, gamma, beta, eps=1e-5):
    return gamma * (x - x.mean(0)) / np.sqrt(x.var(0, ddof=1) + eps) + beta


def bn_no_eps(x, gamma, beta, eps=1e-5):
    with np.errstate(divide="ignore", invalid="ignore"):
        return gamma * (x - x.mean(0)) / np.sqrt(x.var(0)) + beta


def bn_eps_outside(x, gamma, beta, eps=1e-5):
    return gamma * (x - x.mean(0)) / (np.sqrt(x.var(0)) + eps) + beta


def bn_wrong_axis(x, gamma, beta, eps=1e-5):
    mu = x.mean(1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(x.var(1, keepdims=True) + eps) + beta


def bn_no_affine(x, gamma, beta, eps=1e-5):
    return (x - x.mean(0)) / np.sqrt(x.var(0) + eps)


def bn_in_place(x, gamma, beta, eps=1e-5):
    """Modifying x in place is allowed (the check passes copies), so this one is correct."""
    x -= x.mean(0)
    x /= np.sqrt(x.var(0) + eps)
    return gamma * x + beta


@pytest.mark.parametrize("solution", [bn_reference, bn_in_place])
def test_batchnorm_check_accepts_correct(solution, capsys):
    assert check_batchnorm_forward(solution) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (bn_unbiased, "n − 1"),
    (bn_no_eps, "ε is missing|inf or nan"),
    (bn_eps_outside, "after the square root"),
    (bn_wrong_axis, "axis 0"),
    (bn_no_affine, "γ and β"),
])
def test_batchnorm_check_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_batchnorm_forward(wrong)


def test_batchnorm_check_uses_the_package_convention():
    """The check's reference agrees with the package's batchnorm_forward in training mode."""
    from nnbook.layers import batchnorm_forward

    assert check_batchnorm_forward(lambda x, g, b, eps=1e-5: batchnorm_forward(x, g, b, eps=eps)[0])


# -- He initialization ------------------------------------------------------------------------
def he_reference(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def he_uniform(fan_in, fan_out, rng):
    """Also correct: uniform on [−a, a] with a²/3 = 2/fan_in."""
    a = np.sqrt(6.0 / fan_in)
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def he_xavier(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))


def he_variance_as_std(fan_in, fan_out, rng):
    return rng.normal(0.0, 2.0 / fan_in, size=(fan_in, fan_out))


def he_fan_out(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_in, fan_out))


def he_transposed(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))


def he_global_rng(fan_in, fan_out, rng):
    return np.random.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


@pytest.mark.parametrize("solution", [he_reference, he_uniform])
def test_he_check_accepts_correct(solution, capsys):
    assert check_he_init(solution) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (he_xavier, "doubles the variance"),
    (he_variance_as_std, "VARIANCE"),
    (he_fan_out, "fan_out"),
    (he_transposed, "transposed"),
    (he_global_rng, "rng"),
])
def test_he_check_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_he_init(wrong)


# -- per-layer gradient norms -----------------------------------------------------------------
def layer_numbers(params):
    return sorted(int(k[1:]) for k in params if k.startswith("W"))


def norms_reference(model, X, y):
    _, grads = model.loss_and_grads(X, y)
    return np.array([np.linalg.norm(grads[f"W{l}"]) for l in layer_numbers(model.params)])


def norms_squared(model, X, y):
    return norms_reference(model, X, y) ** 2


def norms_alphabetical(model, X, y):
    _, grads = model.loss_and_grads(X, y)
    return np.array([np.linalg.norm(grads[k]) for k in sorted(grads) if k.startswith("W")])


def norms_reversed(model, X, y):
    return norms_reference(model, X, y)[::-1]


def norms_with_biases(model, X, y):
    _, grads = model.loss_and_grads(X, y)
    return np.array([np.sqrt(np.sum(grads[f"W{l}"] ** 2) + np.sum(grads[f"b{l}"] ** 2))
                     for l in layer_numbers(model.params)])


def norms_every_param(model, X, y):
    _, grads = model.loss_and_grads(X, y)
    return np.array([np.linalg.norm(g) for g in grads.values()])


def test_grad_norms_check_accepts_correct(capsys):
    assert check_grad_norms(norms_reference) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (norms_squared, "squared"),
    (norms_alphabetical, "alphabetical"),
    (norms_reversed, "reversed"),
    (norms_with_biases, "biases were included"),
    (norms_every_param, "biases are not counted"),
])
def test_grad_norms_check_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_grad_norms(wrong)
