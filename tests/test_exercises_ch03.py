"""The chapter 3 checks accept the reference answers and explain plausible mistakes."""
import numpy as np
import pytest

from nnbook.exercises import ExerciseError, check_dense_backward, check_gd_step, check_mse_grad


def mse_grad(y_hat, y):
    return 2 * (y_hat - y) / y.size


def test_mse_grad_accepts_reference(capsys):
    assert check_mse_grad(mse_grad) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda y_hat, y: 2 * (y_hat - y), "forgot the 1/n"),
    (lambda y_hat, y: 2 * (y - y_hat) / y.size, "sign error"),
    (lambda y_hat, y: (y_hat - y) / y.size, "factor 2"),
    (lambda y_hat, y: 2 * (y_hat - y) / len(y), "all n ="),
    (lambda y_hat, y: np.mean(2 * (y_hat - y)), "shape"),
])
def test_mse_grad_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match="ex-ch03-mse-grad-code") as err:
        check_mse_grad(wrong)
    assert message in str(err.value)


def dense_backward(dz, x, W):
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)


def test_dense_backward_accepts_reference(capsys):
    assert check_dense_backward(dense_backward) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda dz, x, W: (dz @ W.T, (x.T @ dz).T, dz.sum(axis=0)), "transposed"),
    (lambda dz, x, W: (dz @ W.T, x.T @ dz, dz.mean(axis=0)), "SUM"),
    (lambda dz, x, W: (dz @ W.T, x.T @ dz, dz), "sum dz over the batch"),
    (lambda dz, x, W: (dz @ W, x.T @ dz, dz.sum(axis=0)), "dz @ W.T"),
    (lambda dz, x, W: (dz @ W.T, x.T @ dz / len(x), dz.sum(axis=0)), "gradient check fails for dW"),
    (lambda dz, x, W: (dz @ W.T, x.T @ dz), "tuple (dx, dW, db)"),
])
def test_dense_backward_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match="ex-ch03-dense-backward") as err:
        check_dense_backward(wrong)
    assert message in str(err.value)


def gd_step(params, grads, lr):
    for key in params:
        params[key] = params[key] - lr * grads[key]


def gd_step_in_place(params, grads, lr):
    for w, g in zip(params.values(), grads.values()):
        w -= lr * g


@pytest.mark.parametrize("answer", [gd_step, gd_step_in_place])
def test_gd_step_accepts_reference(answer, capsys):
    assert check_gd_step(answer) is True
    assert "correct" in capsys.readouterr().out


def rebinds_local_name(params, grads, lr):
    for w, g in zip(params.values(), grads.values()):
        w = w - lr * g  # noqa: F841 (the classic mistake: params never changes)


def ascent(params, grads, lr):
    for key in params:
        params[key] = params[key] + lr * grads[key]


def no_lr(params, grads, lr):
    for key in params:
        params[key] = params[key] - grads[key]


def returns_new_dict(params, grads, lr):
    return {k: params[k] - lr * grads[k] for k in params}


def squared_lr(params, grads, lr):
    for key in params:
        params[key] = params[key] - lr * lr * grads[key]


def changes_grads(params, grads, lr):
    for key in params:
        grads[key] *= lr
        params[key] = params[key] - grads[key]


@pytest.mark.parametrize("wrong, message", [
    (rebinds_local_name, "did not change"),
    (returns_new_dict, "did not change"),
    (ascent, "uphill"),
    (no_lr, "learning rate"),
    (squared_lr, "params['W1'] after one step"),
    (changes_grads, "grads was modified"),
])
def test_gd_step_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match="ex-ch03-gd-step") as err:
        check_gd_step(wrong)
    assert message in str(err.value)
