"""The chapter 11 exercise checks accept the reference solutions and reject typical mistakes."""
import numpy as np
import pytest

from nnbook.exercises import ExerciseError
from nnbook.exercises.ch11 import check_causal_mask, check_layernorm_forward


def mask_reference(T):
    return np.tril(np.ones((T, T), dtype=bool))


def mask_by_comparison(T):
    t = np.arange(T)
    return t[None, :] <= t[:, None]


@pytest.mark.parametrize("solution", [mask_reference, mask_by_comparison])
def test_causal_check_accepts_correct(solution, capsys):
    assert check_causal_mask(solution) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda T: np.triu(np.ones((T, T), dtype=bool)), "looks into the future"),
    (lambda T: ~np.tril(np.ones((T, T), dtype=bool)), "forbidden keys"),
    (lambda T: np.tril(np.ones((T, T), dtype=bool), k=-1), "diagonal is False"),
    (lambda T: np.tril(np.ones((T, T))), "dtype float64"),
    (lambda T: np.ones((T, T + 1), dtype=bool), "shape"),
])
def test_causal_check_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_causal_mask(wrong)


def ln_reference(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def ln_batch_axis(x, gamma, beta, eps=1e-5):
    return gamma * (x - x.mean(0)) / np.sqrt(x.var(0) + eps) + beta


def ln_unbiased(x, gamma, beta, eps=1e-5):
    mu = x.mean(-1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(x.var(-1, ddof=1, keepdims=True) + eps) + beta


def ln_no_affine(x, gamma, beta, eps=1e-5):
    return (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + eps)


def ln_axis1(x, gamma, beta, eps=1e-5):
    """Right for (n, d), wrong for (N, T, d): normalizes over T."""
    mu = x.mean(1, keepdims=True)
    return gamma * (x - mu) / np.sqrt(x.var(1, keepdims=True) + eps) + beta


def test_layernorm_check_accepts_correct(capsys):
    assert check_layernorm_forward(ln_reference) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (ln_batch_axis, "batch norm"),
    (ln_unbiased, "d − 1"),
    (ln_no_affine, "γ and β"),
    (ln_axis1, r"\(N, T, d\)"),
])
def test_layernorm_check_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_layernorm_forward(wrong)


def test_against_the_package():
    from nnbook.layernorm import layernorm_forward
    assert check_layernorm_forward(lambda x, g, b, eps: layernorm_forward(x, g, b, eps)[0])
