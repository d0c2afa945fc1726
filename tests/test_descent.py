"""Tests for nnbook.descent (chapter 8): quadratic rates, paths, minibatch noise, controlled runs."""
import numpy as np
import pytest

from nnbook import MLP, load_digits
from nnbook.descent import (Quadratic, make_unique_features, measured_rate, minibatch_gradient_variance,
                            minibatch_path, momentum_rate, quadratic_rates, run_path, train_with,
                            valley_quadratic)
from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.schedules import cosine_decay


def test_valley_is_chapter_3s():
    q = valley_quadratic()
    assert q.A.shape == (40, 2) and 21 < q.kappa < 23
    np.testing.assert_allclose(q.grad(q.w_star), 0, atol=1e-12)


def test_quadratic_gradient_and_hessian_by_differences():
    rng = np.random.default_rng(0)
    q = Quadratic(rng.normal(size=(7, 3)), rng.normal(size=7))
    w = rng.normal(size=3)
    assert rel_error(q.grad(w), numerical_gradient(lambda v: float(q.loss(v)), w.copy())) < 1e-8
    H = np.stack([numerical_gradient(lambda v: q.grad(v)[i], w.copy()) for i in range(3)])
    assert rel_error(H, q.hessian) < 1e-7
    rows = np.array([1, 4])
    np.testing.assert_allclose(q.grad(w, rows), Quadratic(q.A[rows], q.y[rows]).grad(w))
    assert q.loss(np.stack([w, w])).shape == (2,)


def test_rates_formulas_and_their_spectral_radius():
    r = quadratic_rates(1.0, 100.0)
    assert r["rate_gd"] == pytest.approx(99 / 101) and r["rate_momentum"] == pytest.approx(9 / 11)
    assert r["beta_momentum"] == pytest.approx((9 / 11) ** 2) and r["eta_momentum"] == pytest.approx(4 / 121)
    # the heavy ball's rate at its best parameters, and gradient descent's as β₁ = 0
    assert momentum_rate(r["eta_momentum"], r["beta_momentum"], [1.0, 100.0]) == pytest.approx(9 / 11, rel=1e-6)
    assert momentum_rate(r["eta_gd"], 0.0, [1.0, 100.0]) == pytest.approx(99 / 101)
    with pytest.raises(ValueError, match="mu_max"):
        quadratic_rates(2.0, 1.0)
    with pytest.raises(ValueError, match="mu_min"):
        quadratic_rates(0.0, 1.0)


@pytest.mark.parametrize("name", ["sgd", "momentum"])
def test_measured_rates_on_the_valley_match_the_theory(name):
    q = valley_quadratic()
    r = quadratic_rates(q.mu[0], q.mu[-1])
    lr, opts = (r["eta_gd"], {}) if name == "sgd" else (r["eta_momentum"], {"beta": r["beta_momentum"]})
    path = run_path(q.grad, [-1.0, -0.5], name, lr, 60, **opts)
    err = np.linalg.norm(path - q.w_star, axis=1)
    predicted = r["rate_gd"] if name == "sgd" else r["rate_momentum"]
    # the heavy ball's double root adds a factor t: over steps 20-60 it costs 3^(1/40) ≈ 1.028
    assert measured_rate(err, 20, 60) == pytest.approx(predicted, rel=1e-9 if name == "sgd" else 0.04)


def test_run_path_stops_when_it_diverges():
    q = valley_quadratic()
    path = run_path(q.grad, [-1.0, -0.5], "sgd", 5.0, 2000)
    assert np.isnan(path[-1]).all() and np.isfinite(path[0]).all()


def test_minibatch_path_full_batch_is_gradient_descent():
    q = valley_quadratic()
    np.testing.assert_allclose(minibatch_path(q, [-1.0, -0.5], 0.1, 30, 40, seed=3),
                               run_path(q.grad, [-1.0, -0.5], "sgd", 0.1, 30))
    a = minibatch_path(q, [-1.0, -0.5], 0.1, 30, 4, seed=3)
    np.testing.assert_array_equal(a, minibatch_path(q, [-1.0, -0.5], 0.1, 30, 4, seed=3))
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_path(q, [0.0, 0.0], 0.1, 3, 41)


def test_measured_rate_bad_window():
    with pytest.raises(ValueError, match="start and stop"):
        measured_rate([1.0, 0.5], 1, 5)


def test_minibatch_gradient_is_unbiased_with_variance_sigma2_over_B():
    X, y = load_digits()
    X, y = X[:300], y[:300]
    out = minibatch_gradient_variance(MLP([64, 8, 10], seed=0), X, y, [1, 8, 64], draws=400, seed=1)
    for B, v in out["variance"].items():
        assert v * B / out["sigma2"] == pytest.approx(1.0, abs=0.2)
        assert out["bias"][B] ** 2 < 3 * out["sigma2"] / (B * 400)


def test_unique_features_construction():
    X, y, Xt, yt = make_unique_features(5, seed=1)
    assert X.shape == (5, 30) and Xt.shape == (1000, 30)
    np.testing.assert_array_equal(X[:, 0], y)
    np.testing.assert_array_equal(X[:, 3:].sum(axis=1), np.where(y > 0, 1, 5))
    assert np.all(X[:, 3:].sum(axis=0) <= 1)  # each of those features belongs to one row
    np.testing.assert_array_equal(Xt[:, 3:], 0)


def test_train_with_is_controlled_and_matches_a_hand_loop():
    X, y = load_digits()
    X, y = X[:200], y[:200]
    a, b = MLP([64, 16, 10], seed=0), MLP([64, 16, 10], seed=0)
    run = train_with(a, X, y, "adam", 0.01, epochs=2, batch_size=50, seed=4)
    from nnbook.optim import adam_step
    rng, state = np.random.default_rng(4), {}
    for _ in range(2):
        order = rng.permutation(200)
        for s in range(0, 200, 50):
            _, g = b.loss_and_grads(X[order[s:s + 50]], y[order[s:s + 50]])
            adam_step(b.params, g, state, 0.01)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    assert len(run.loss) == 2 and len(run.step_loss) == 8 and run.lr == [0.01] * 8
    assert np.isnan(run.val_loss).all()


def test_train_with_schedule_and_errors():
    X, y = load_digits()
    X, y = X[:100], y[:100]
    sched = cosine_decay(0.1, 2 * 4, warmup=2)
    run = train_with(MLP([64, 8, 10], seed=0), X, y, "momentum", epochs=2, batch_size=25,
                     schedule=sched, options={"beta": 0.5}, X_val=X, y_val=y)
    np.testing.assert_allclose(run.lr, sched)
    assert run.val_loss == run.loss
    with pytest.raises(ValueError, match="schedule"):
        train_with(MLP([64, 8, 10]), X, y, epochs=2, batch_size=25, schedule=sched[:-1])
    with pytest.raises(ValueError, match="optimizer must be one of"):
        train_with(MLP([64, 8, 10]), X, y, "lbfgs")
    with pytest.raises(ValueError, match="optimizer_options"):
        train_with(MLP([64, 8, 10]), X, y, "sgd", options={"beta": 0.9}, epochs=1)


def test_train_with_marks_divergence():
    X, y = load_digits()
    Y = np.eye(10)[y[:100]]
    run = train_with(MLP([64, 8, 10], loss="mse", seed=0), X[:100], Y, "sgd", 1e3, epochs=50,
                     batch_size=50)
    assert run.diverged and len(run.loss) < 50


def test_quadratic_loss_of_a_huge_point_is_inf_without_warning():
    import warnings
    q = valley_quadratic()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert q.loss(np.array([1e300, -1e300])) == np.inf


@pytest.mark.parametrize("name, options", [("adam", {"beta1": 0.8}), ("momentum", {"beta": 0.5}),
                                           ("rmsprop", {})])
def test_train_with_takes_the_steps_of_train(name, options):
    from nnbook import train
    X, y = load_digits()
    X, y = X[:150], y[:150]
    a, b = MLP([64, 8, 10], seed=1), MLP([64, 8, 10], seed=1)
    train(a, X, y, lr=0.01, epochs=2, batch_size=32, seed=3, optimizer=name, optimizer_options=options)
    train_with(b, X, y, name, 0.01, epochs=2, batch_size=32, seed=3, options=options)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])


def test_without_replacement_variance_has_the_finite_population_factor():
    """Chapter 8's aside: drawing B of N without replacement gives σ²/B · (N − B)/(N − 1)
    (exact, by enumerating every subset); with replacement, σ²/B (every ordered draw)."""
    import itertools

    rng = np.random.default_rng(3)
    N, B = 7, 3
    per_example = rng.normal(size=(N, 4))            # ∇J_k
    full = per_example.mean(axis=0)                  # ∇J
    sigma2 = np.mean(np.sum((per_example - full) ** 2, axis=1))
    subsets = list(itertools.combinations(range(N), B))
    without = np.mean([np.sum((per_example[list(s)].mean(axis=0) - full) ** 2) for s in subsets])
    draws = list(itertools.product(range(N), repeat=B))
    with_repl = np.mean([np.sum((per_example[list(d)].mean(axis=0) - full) ** 2) for d in draws])
    assert np.isclose(without, sigma2 / B * (N - B) / (N - 1), rtol=1e-12)
    assert np.isclose(with_repl, sigma2 / B, rtol=1e-12)
    assert without < with_repl


def test_momentum_velocity_under_a_constant_gradient_tends_to_eta_g_over_1_minus_beta():
    """Chapter 8: u → −η g/(1 − β₁), ten plain steps for β₁ = 0.9."""
    from nnbook.optim import momentum_step

    g = np.array([0.5, -2.0])
    params, velocity = {"w": np.zeros(2)}, {}
    for _ in range(400):
        momentum_step(params, {"w": g}, velocity, 0.1, 0.9)
    np.testing.assert_allclose(velocity["w"], -0.1 * g / (1 - 0.9), rtol=1e-12)
