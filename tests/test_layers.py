"""Tests for nnbook.layers: dense, dropout, batch norm, L2 — values, gradient checks, bad input."""
import numpy as np
import pytest

from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.layers import (
    batchnorm_backward,
    batchnorm_forward,
    dense_backward,
    dense_forward,
    dropout_backward,
    dropout_forward,
    l2_grad,
    l2_penalty,
)

TOL = 1e-7  # norm-relative error, float64 central differences


def rng(seed=0):
    return np.random.default_rng(seed)


# --------------------------------------------------------------------------- dense
def test_dense_forward_hand_example():
    x = np.array([[1.0, 2.0]])
    W = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])  # W[i, j]: input i -> neuron j
    b = np.array([0.0, 0.0, 1.0])
    z, _ = dense_forward(x, W, b)
    np.testing.assert_array_equal(z, [[1.0, 2.0, 4.0]])


def test_dense_backward_numerical():
    r = rng(1)
    x, W, b = r.normal(size=(4, 3)), r.normal(size=(3, 5)), r.normal(size=5)
    dz = r.normal(size=(4, 5))
    _, cache = dense_forward(x, W, b)
    dx, dW, db = dense_backward(dz, cache)
    loss = lambda _: np.sum(dense_forward(x, W, b)[0] * dz)  # noqa: E731
    for analytic, param in ((dx, x), (dW, W), (db, b)):
        assert analytic.shape == param.shape
        assert rel_error(analytic, numerical_gradient(loss, param)) < TOL


@pytest.mark.parametrize(
    "shapes, match",
    [
        (((4,), (4, 2), (2,)), "x must be 2-D"),
        (((3, 4), (3, 2), (2,)), "W must have shape"),
        (((3, 4), (4,), (2,)), "W must have shape"),
        (((3, 4), (4, 2), (3,)), "b must have shape"),
        (((3, 4), (4, 2), (1, 2)), "b must have shape"),
    ],
)
def test_dense_bad_shapes(shapes, match):
    x, W, b = (np.zeros(s) for s in shapes)
    with pytest.raises(ValueError, match=match):
        dense_forward(x, W, b)


def test_dense_backward_bad_dz():
    _, cache = dense_forward(np.zeros((3, 4)), np.zeros((4, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="dz must have shape"):
        dense_backward(np.zeros((2, 3)), cache)


# ------------------------------------------------------------------------- dropout
def test_dropout_identity_at_test_time_and_p0():
    x = rng().normal(size=(5, 4))
    for out, _ in (dropout_forward(x, 0.5, rng(), train=False), dropout_forward(x, 0.0, rng())):
        np.testing.assert_array_equal(out, x)
    # no generator is needed when nothing is drawn
    out, cache = dropout_forward(x, 0.3, None, train=False)
    np.testing.assert_array_equal(dropout_backward(np.ones_like(x), cache), np.ones_like(x))


def test_dropout_mask_values_and_same_seed_same_numbers():
    x = np.ones((50, 40))
    p = 0.25
    out, cache = dropout_forward(x, p, rng(3))
    assert set(np.unique(out)) == {0.0, 1 / (1 - p)}
    np.testing.assert_array_equal(out, x * cache["mask"])
    again, _ = dropout_forward(x, p, rng(3))
    np.testing.assert_array_equal(out, again)
    other, _ = dropout_forward(x, p, rng(4))
    assert not np.array_equal(out, other)


def test_dropout_backward_numerical_with_fixed_mask():
    r = rng(5)
    x, dout, p = r.normal(size=(6, 7)), r.normal(size=(6, 7)), 0.4
    # the same seed at every call gives the same mask, so the layer is a fixed linear map
    loss = lambda v: np.sum(dropout_forward(v, p, rng(11))[0] * dout)  # noqa: E731
    _, cache = dropout_forward(x, p, rng(11))
    dx = dropout_backward(dout, cache)
    assert rel_error(dx, numerical_gradient(loss, x)) < TOL


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_inverted_dropout_keeps_the_expectation(p):
    x = rng(6).uniform(1.0, 2.0, size=(400, 250))
    out, _ = dropout_forward(x, p, rng(7))
    # out_k − x_k has mean 0 and variance x_k² p / (1 − p), independently over k
    standard_error = np.sqrt(np.sum(x**2) * p / (1 - p)) / x.size
    assert abs(out.mean() - x.mean()) < 4 * standard_error
    dropped = np.mean(out == 0)
    assert abs(dropped - p) < 4 * np.sqrt(p * (1 - p) / x.size)


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, float("nan"), "0.5", None])
def test_dropout_bad_p(p):
    with pytest.raises(ValueError, match="p "):
        dropout_forward(np.ones((2, 2)), p, rng())


@pytest.mark.parametrize("bad_rng", [np.random.RandomState(0), 0, None])
def test_dropout_bad_rng(bad_rng):
    with pytest.raises(ValueError, match="rng must be a numpy.random.Generator"):
        dropout_forward(np.ones((2, 2)), 0.5, bad_rng)


# ---------------------------------------------------------------------- batch norm
def test_batchnorm_train_normalizes_each_column():
    x = np.array([[1.0, 10.0], [3.0, 30.0]])  # means (2, 20), biased variances (1, 100)
    out, _ = batchnorm_forward(x, np.ones(2), np.zeros(2), eps=1e-5)
    expected = np.array([[-1.0, -10.0], [1.0, 10.0]]) / np.sqrt(np.array([1.0, 100.0]) + 1e-5)
    np.testing.assert_allclose(out, expected)
    x = rng(8).normal(3.0, 5.0, size=(64, 3))
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, -1.0, 4.0])
    out, _ = batchnorm_forward(x, gamma, beta)
    np.testing.assert_allclose(out.mean(axis=0), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), gamma * np.sqrt(x.var(0) / (x.var(0) + 1e-5)))


def test_batchnorm_backward_numerical_train():
    r = rng(9)
    x, gamma, beta = r.normal(2.0, 3.0, size=(5, 4)), r.normal(size=4), r.normal(size=4)
    dout = r.normal(size=(5, 4))
    _, cache = batchnorm_forward(x, gamma, beta)
    dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    loss = lambda _: np.sum(batchnorm_forward(x, gamma, beta)[0] * dout)  # noqa: E731
    for analytic, param in ((dx, x), (dgamma, gamma), (dbeta, beta)):
        assert analytic.shape == param.shape
        assert rel_error(analytic, numerical_gradient(loss, param)) < TOL


def test_batchnorm_backward_numerical_inference():
    r = rng(10)
    x, gamma, beta = r.normal(size=(5, 3)), r.normal(size=3), r.normal(size=3)
    running = {"mean": r.normal(size=3), "var": r.uniform(0.5, 2.0, size=3)}
    dout = r.normal(size=(5, 3))
    _, cache = batchnorm_forward(x, gamma, beta, train=False, running=running)
    dx, dgamma, dbeta = batchnorm_backward(dout, cache)
    loss = lambda _: np.sum(  # noqa: E731
        batchnorm_forward(x, gamma, beta, train=False, running=running)[0] * dout
    )
    for analytic, param in ((dx, x), (dgamma, gamma), (dbeta, beta)):
        assert rel_error(analytic, numerical_gradient(loss, param)) < TOL


def test_batchnorm_running_update():
    x = rng(11).normal(1.0, 2.0, size=(20, 3))
    mean, var = x.mean(axis=0), x.var(axis=0)  # biased variance
    running = {"mean": np.full(3, 0.5), "var": np.full(3, 2.0)}
    same_dict = running
    batchnorm_forward(x, np.ones(3), np.zeros(3), running=running, momentum=0.8)
    assert running is same_dict
    np.testing.assert_allclose(running["mean"], 0.8 * 0.5 + 0.2 * mean)
    np.testing.assert_allclose(running["var"], 0.8 * 2.0 + 0.2 * var)
    # an empty dict starts from mean 0 and var 1
    fresh = {}
    batchnorm_forward(x, np.ones(3), np.zeros(3), running=fresh)
    np.testing.assert_allclose(fresh["mean"], 0.1 * mean)
    np.testing.assert_allclose(fresh["var"], 0.9 + 0.1 * var)
    # repeated batches: the running statistics converge to the batch statistics
    for _ in range(300):
        batchnorm_forward(x, np.ones(3), np.zeros(3), running=fresh)
    np.testing.assert_allclose(fresh["mean"], mean, atol=1e-10)
    np.testing.assert_allclose(fresh["var"], var, atol=1e-10)


def test_batchnorm_train_output_ignores_running():
    x = rng(12).normal(size=(6, 2))
    with_running, _ = batchnorm_forward(x, np.ones(2), np.zeros(2), running={"mean": np.ones(2), "var": np.ones(2)})
    without, _ = batchnorm_forward(x, np.ones(2), np.zeros(2), running=None)
    np.testing.assert_array_equal(with_running, without)


def test_batchnorm_inference_uses_running_statistics():
    x = rng(13).normal(size=(6, 3))
    gamma, beta = np.array([1.0, 2.0, 3.0]), np.array([0.1, 0.2, 0.3])
    running = {"mean": np.array([0.5, -0.5, 0.0]), "var": np.array([4.0, 1.0, 0.25])}
    before = {k: v.copy() for k, v in running.items()}
    out, _ = batchnorm_forward(x, gamma, beta, eps=1e-5, train=False, running=running)
    expected = gamma * (x - running["mean"]) / np.sqrt(running["var"] + 1e-5) + beta
    np.testing.assert_allclose(out, expected)
    # a single sample is normalized the same way as inside the batch, and nothing is updated
    one, _ = batchnorm_forward(x[2:3], gamma, beta, train=False, running=running)
    np.testing.assert_allclose(one, out[2:3])
    for k in before:
        np.testing.assert_array_equal(running[k], before[k])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(train=False), "running must hold"),
        (dict(train=False, running={"mean": np.zeros(3)}), "running must have the keys"),
        (dict(train=False, running={"mean": np.zeros(2), "var": np.ones(2)}), r"running\['mean'\] must have shape"),
        (dict(running=[0.0, 1.0]), "running must be a dict"),
        (dict(eps=0.0), "eps must be > 0"),
        (dict(momentum=1.5), "momentum must be in"),
    ],
)
def test_batchnorm_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        batchnorm_forward(np.ones((4, 3)), np.ones(3), np.zeros(3), **kwargs)


def test_batchnorm_bad_shapes():
    with pytest.raises(ValueError, match="x must be"):
        batchnorm_forward(np.ones(3), np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="gamma must have shape"):
        batchnorm_forward(np.ones((4, 3)), np.ones(2), np.zeros(3))
    with pytest.raises(ValueError, match="beta must have shape"):
        batchnorm_forward(np.ones((4, 3)), np.ones(3), np.zeros((1, 3)))


# ------------------------------------------------------------------------------ L2
def test_l2_penalty_hand_example():
    W1, W2 = np.array([[1.0, 2.0]]), np.array([3.0])
    assert l2_penalty([W1, W2], 0.5) == pytest.approx(0.5 * (1 + 4 + 9))
    assert l2_penalty([W1, W2], 0.0) == 0.0
    assert l2_penalty(W1, 1.0) == pytest.approx(5.0)  # one array is accepted too
    np.testing.assert_array_equal(l2_grad(W1, 0.5), W1)  # 2 λ W with λ = 1/2


def test_l2_grad_numerical():
    W = rng(14).normal(size=(3, 4))
    num = numerical_gradient(lambda v: l2_penalty([v], 0.3), W)
    assert rel_error(l2_grad(W, 0.3), num) < TOL


@pytest.mark.parametrize("lam", [-0.1, float("inf"), float("nan"), "0.1", None])
def test_l2_bad_lam(lam):
    with pytest.raises(ValueError, match="lam"):
        l2_penalty([np.ones(2)], lam)
    with pytest.raises(ValueError, match="lam"):
        l2_grad(np.ones(2), lam)


def test_l2_bad_weights():
    with pytest.raises(ValueError, match="weights must be a list"):
        l2_penalty({"W1": np.ones(2)}, 0.1)
