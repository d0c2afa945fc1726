"""The chapter 12 (conclusion) exercise checks accept the reference solutions and reject typical mistakes."""
import numpy as np
import pytest

from nnbook.exercises import ExerciseError
from nnbook.exercises.ch12 import check_diagnose, check_ridge_solution, check_train_step


# -- the ridge solution -----------------------------------------------------------------------
def ridge_reference(X, y, lam):
    n, d = X.shape
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean
    w = np.linalg.solve(Xc.T @ Xc + n * lam * np.eye(d), Xc.T @ yc)
    return w, float(y_mean - x_mean @ w)


def ridge_by_gradient_descent(X, y, lam):
    """Also correct: gradient descent on J(w, b) itself, run to convergence."""
    n, d = X.shape
    Xa = np.hstack([X, np.ones((n, 1))])
    mask = np.r_[np.ones(d), 0.0]
    H = (2 / n) * Xa.T @ Xa + 2 * lam * np.diag(mask)
    mu = np.linalg.eigvalsh(H)
    theta = np.zeros(d + 1)
    for _ in range(20000):
        theta -= 2 / (mu[0] + mu[-1]) * ((2 / n) * Xa.T @ (Xa @ theta - y) + 2 * lam * mask * theta)
    return theta[:d], theta[d]


def ridge_lambda_not_n_lambda(X, y, lam):
    n, d = X.shape
    Xc, yc = X - X.mean(0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(d), Xc.T @ yc)
    return w, y.mean() - X.mean(0) @ w


def ridge_two_n_lambda(X, y, lam):
    n, d = X.shape
    Xc, yc = X - X.mean(0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + 2 * n * lam * np.eye(d), Xc.T @ yc)
    return w, y.mean() - X.mean(0) @ w


def ridge_no_intercept(X, y, lam):
    n, d = X.shape
    return np.linalg.solve(X.T @ X + n * lam * np.eye(d), X.T @ y), 0.0


def ridge_bias_penalized(X, y, lam):
    n, d = X.shape
    Xa = np.hstack([X, np.ones((n, 1))])
    theta = np.linalg.solve(Xa.T @ Xa + n * lam * np.eye(d + 1), Xa.T @ y)
    return theta[:d], theta[d]


def ridge_b_forgotten(X, y, lam):
    return ridge_reference(X, y, lam)[0], 0.0


def ridge_column_vector(X, y, lam):
    w, b = ridge_reference(X, y, lam)
    return w[:, None], b


def ridge_ignores_lambda(X, y, lam):
    return ridge_reference(X, y, 0.0) if X.shape[0] > X.shape[1] else ridge_reference(X, y, lam)


@pytest.mark.parametrize("solution", [ridge_reference, ridge_by_gradient_descent])
def test_ridge_check_accepts_correct(solution, capsys):
    assert check_ridge_solution(solution) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (ridge_lambda_not_n_lambda, "instead of nλ"),
    (ridge_two_n_lambda, "factor 2"),
    (ridge_no_intercept, "no intercept"),
    (ridge_bias_penalized, "bias was penalized"),
    (ridge_b_forgotten, "b is missing"),
    (ridge_column_vector, r"1-D vector"),
    (ridge_ignores_lambda, "λ is ignored"),
])
def test_ridge_check_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_ridge_solution(wrong)


# -- one training step ------------------------------------------------------------------------
def step_reference(model, X, y, lr, l2):
    loss, grads = model.loss_and_grads(X, y)
    penalty = 0.0
    for name, value in model.params.items():
        step = grads[name]
        if name.startswith("W"):
            penalty += l2 * np.sum(value ** 2)
            step = step + 2 * l2 * value
        value -= lr * step
    return loss + penalty


def step_with_package_l2(model, X, y, lr, l2):
    """Also correct: let loss_and_grads add the penalty, and rebind the arrays."""
    loss, grads = model.loss_and_grads(X, y, l2=l2)
    for name in list(model.params):
        model.params[name] = model.params[name] - lr * grads[name]
    return loss


def _step(penalize, factor=2.0, objective_all=False, sign=-1.0, use_l2_arg=False):
    def my_train_step(model, X, y, lr, l2):
        loss, grads = model.loss_and_grads(X, y, l2=l2 if use_l2_arg else 0.0)
        total = loss if use_l2_arg else loss + l2 * sum(
            np.sum(v ** 2) for k, v in model.params.items() if objective_all or k[0] == "W")
        for name, value in model.params.items():
            step = grads[name]
            if penalize(name):
                step = step + factor * l2 * value
            model.params[name] = value + sign * lr * step
        return total
    return my_train_step


def step_no_write_back(model, X, y, lr, l2):
    loss, grads = model.loss_and_grads(X, y, l2=l2)
    for value, g in zip(model.params.values(), grads.values()):
        value = value - lr * g  # rebinds the local name only
    return loss


def step_returns_data_loss(model, X, y, lr, l2):
    loss, grads = model.loss_and_grads(X, y, l2=l2)
    data_loss, _ = model.loss_and_grads(X, y)
    for name in model.params:
        model.params[name] -= lr * grads[name]
    return data_loss


@pytest.mark.parametrize("solution", [step_reference, step_with_package_l2])
def test_train_step_check_accepts_correct(solution, capsys):
    assert check_train_step(solution) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (_step(lambda k: True), "was penalized"),
    (_step(lambda k: k.startswith("W"), factor=1.0), "gives 2λW"),
    (_step(lambda k: k.startswith("W"), factor=2.0, use_l2_arg=True), "counted twice"),
    (_step(lambda k: False), "penalty is missing"),
    (_step(lambda k: k.startswith("W"), sign=1.0), "uphill"),
    (_step(lambda k: k.startswith("W"), objective_all=True), "penalizes biases"),
    (step_no_write_back, "did not change"),
    (step_returns_data_loss, "data loss alone"),
])
def test_train_step_check_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_train_step(wrong)


# -- diagnosing a gradient profile ------------------------------------------------------------
def diagnose_reference(grad_norms):
    r = grad_norms[0] / grad_norms[-1]
    if r < 1e-2:
        return "vanishing"
    if r > 1e2:
        return "exploding"
    return "healthy"


def diagnose_in_log_space(grad_norms):
    """Also correct: the same rule on log10 of the ratio."""
    s = np.log10(grad_norms[0]) - np.log10(grad_norms[-1])
    return "vanishing" if s < -2 else "exploding" if s > 2 else "healthy"


def diagnose_reversed(grad_norms):
    return diagnose_reference(np.asarray(grad_norms)[::-1])


def diagnose_by_size(grad_norms):
    if np.min(grad_norms) < 1e-3:
        return "vanishing"
    if np.max(grad_norms) > 1e3:
        return "exploding"
    return "healthy"


def diagnose_max_over_min(grad_norms):
    r = np.max(grad_norms) / np.min(grad_norms)
    return "vanishing" if r > 1e2 else "healthy"


def diagnose_capitalized(grad_norms):
    return diagnose_reference(grad_norms).capitalize()


@pytest.mark.parametrize("solution", [diagnose_reference, diagnose_in_log_space])
def test_diagnose_check_accepts_correct(solution, capsys):
    assert check_diagnose(solution) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (diagnose_reversed, "reversed"),
    (diagnose_by_size, "not about how large"),
    (diagnose_max_over_min, "WHICH end is small"),
    (diagnose_capitalized, "one of the strings"),
])
def test_diagnose_check_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match=message):
        check_diagnose(wrong)


def test_diagnose_check_networks_are_what_the_statement_says():
    """The three networks the check builds really are vanishing, healthy and exploding."""
    from nnbook.exercises.ch12 import _network_norms

    assert _network_norms("sigmoid", 8, None)[0] < 1e-3 * _network_norms("sigmoid", 8, None)[-1]
    relu = _network_norms("relu", 8, None)
    assert 0.1 < relu[0] / relu[-1] < 10
    tanh = _network_norms("tanh", 12, 1.0)
    assert tanh[0] > 1e2 * tanh[-1]


@pytest.mark.parametrize("seed", [0, 1, 8])
def test_diagnose_networks_agree_with_chapter_5(seed):
    """Chapter 5: the per-layer factor √q = √(d Var(W) E[φ'(z)²]) is about 1/4 for the sigmoid
    at Xavier's scale, and for tanh it grows with d·Var(W): above 1 for the check's std-1 network
    (width 32, which explodes on every seed), smaller for chapter 5's narrower width 16, whose
    std-1 profile stays below the 'exploding' threshold of 100."""
    from nnbook.exercises.ch12 import _diagnosis, _network_norms, _sqrt_q

    assert 0.15 < _sqrt_q("sigmoid", 8, None, seed) < 0.3
    assert _sqrt_q("tanh", 12, 1.0, seed) > 1.5
    # ... although most of its hidden units saturate (tanh'(z) < 0.04, the tanh analogue of
    # chapter 5's σ'(z) < 0.01, since tanh'(z) = 4 σ'(2z))
    from nnbook import tanh_grad
    from nnbook.exercises.ch12 import _network

    model, X, _ = _network("tanh", 12, 1.0, seed)
    _, values = model.forward(X, return_cache=True)
    z = np.concatenate([values[f"z{l}"] for l in range(2, 13)])
    assert np.mean(tanh_grad(z) < 0.04) > 0.5
    assert _sqrt_q("tanh", 12, 1.0, seed, width=16) < _sqrt_q("tanh", 12, 1.0, seed)
    assert _diagnosis(_network_norms("tanh", 12, 1.0, seed)) == "exploding"
    assert _diagnosis(_network_norms("sigmoid", 8, None, seed)) == "vanishing"
    narrow = _network_norms("tanh", 9, 1.0, seed, width=16)
    wide = _network_norms("tanh", 9, 1.0, seed)
    assert narrow[0] / narrow[-1] < wide[0] / wide[-1]
    assert _diagnosis(narrow) != "exploding"


def test_check_reports_unimplemented():
    def todo(*args):
        raise NotImplementedError()

    for check in (check_ridge_solution, check_train_step, check_diagnose):
        with pytest.raises(ExerciseError, match="not implemented"):
            check(todo)
