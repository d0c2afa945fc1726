"""The chapter 4 exercise checks accept the reference solutions and reject typical mistakes."""
import numpy as np
import pytest

from nnbook.exercises import ExerciseError
from nnbook.exercises.ch04 import check_dropout, check_l2_penalty


# -- L2 penalty -------------------------------------------------------------------------------
def l2_reference(params, lam):
    weights = [k for k in params if k.startswith("W")]
    penalty = lam * sum(np.sum(params[k] ** 2) for k in weights)
    grads = {k: (2 * lam * v if k in weights else np.zeros_like(v)) for k, v in params.items()}
    return penalty, grads


def l2_weights_only_grads(params, lam):
    """Also correct: bias gradients simply left out of the dict."""
    penalty = lam * sum(np.sum(v ** 2) for k, v in params.items() if k.startswith("W"))
    return penalty, {k: 2 * lam * v for k, v in params.items() if k.startswith("W")}


def l2_with_biases(params, lam):
    penalty = lam * sum(np.sum(v ** 2) for v in params.values())
    return penalty, {k: 2 * lam * v for k, v in params.items()}


def l2_no_square(params, lam):
    _, grads = l2_reference(params, lam)
    return lam * sum(np.sum(np.abs(v)) for k, v in params.items() if k.startswith("W")), grads


def l2_grad_lambda(params, lam):
    penalty, grads = l2_reference(params, lam)
    return penalty, {k: v / 2 for k, v in grads.items()}


def l2_bias_grad_nonzero(params, lam):
    penalty, _ = l2_reference(params, lam)
    return penalty, {k: 2 * lam * v for k, v in params.items()}


def l2_modifies_params(params, lam):
    out = l2_reference(params, lam)
    params["W1"] *= 0.5
    return out


def l2_not_implemented(params, lam):
    raise NotImplementedError


@pytest.mark.parametrize("solution", [l2_reference, l2_weights_only_grads])
def test_l2_check_accepts_correct(solution, capsys):
    assert check_l2_penalty(solution) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (l2_with_biases, "biases"),
    (l2_no_square, "squared"),
    (l2_grad_lambda, "2 λ θ"),
    (l2_bias_grad_nonzero, "biases are not penalized"),
    (l2_modifies_params, "modified"),
    (l2_not_implemented, "not implemented"),
])
def test_l2_check_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_l2_penalty(wrong)


# -- dropout ----------------------------------------------------------------------------------
def dropout_reference(x, p, rng):
    keep = rng.random(x.shape) >= p
    return x * keep / (1 - p)


def dropout_binomial(x, p, rng):
    """Also correct: a different way to draw the same Bernoulli mask."""
    return x * rng.binomial(1, 1 - p, size=x.shape) / (1 - p)


def dropout_no_scaling(x, p, rng):
    return x * (rng.random(x.shape) >= p)


def dropout_p_is_keep(x, p, rng):
    return x * (rng.random(x.shape) < p) / (1 - p) if p > 0 else x.copy()


def dropout_global_rng(x, p, rng):
    return x * (np.random.random(x.shape) >= p) / (1 - p)


def dropout_multiply(x, p, rng):
    return x * (rng.random(x.shape) >= p) * (1 - p)


@pytest.mark.parametrize("solution", [dropout_reference, dropout_binomial])
def test_dropout_check_accepts_correct(solution, capsys):
    assert check_dropout(solution) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (dropout_no_scaling, "1/\\(1 − p\\)"),
    (dropout_p_is_keep, "DROPPING"),
    (dropout_global_rng, "rng"),
    (dropout_multiply, "DIVIDES"),
])
def test_dropout_check_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_dropout(wrong)
