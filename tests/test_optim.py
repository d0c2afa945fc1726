"""Tests for nnbook.optim: the gradient-descent update w ← w − η∇J and its momentum variant."""
import numpy as np
import pytest

from nnbook.optim import momentum_step, sgd_step


def test_sgd_step_hand_example_in_place():
    W = np.array([1.0, 2.0])
    alias = W
    params = {"W": W, "b": np.array([0.0])}
    sgd_step(params, {"W": np.array([0.5, -1.0]), "b": np.array([2.0])}, lr=0.1)
    np.testing.assert_allclose(params["W"], [0.95, 2.1])
    np.testing.assert_allclose(params["b"], [-0.2])
    assert params["W"] is alias  # updated in place, not replaced


def test_sgd_lr_zero_changes_nothing():
    params = {"W": np.array([1.0, 2.0])}
    sgd_step(params, {"W": np.array([5.0, 5.0])}, lr=0.0)
    np.testing.assert_array_equal(params["W"], [1.0, 2.0])


def test_gradient_descent_on_a_quadratic():
    # J(w) = ||w − c||², ∇J = 2 (w − c): each step multiplies w − c by exactly (1 − 2η)
    c = np.array([1.0, -2.0, 0.5])
    params = {"w": np.zeros(3)}
    lr = 0.1
    sgd_step(params, {"w": 2 * (params["w"] - c)}, lr)
    np.testing.assert_allclose(params["w"] - c, (1 - 2 * lr) * (0 - c))
    for _ in range(200):
        sgd_step(params, {"w": 2 * (params["w"] - c)}, lr)
    np.testing.assert_allclose(params["w"], c, atol=1e-12)


@pytest.mark.parametrize("lr", [-0.1, float("nan"), float("inf"), "0.1", None])
def test_bad_lr(lr):
    with pytest.raises(ValueError, match="lr"):
        sgd_step({"W": np.ones(2)}, {"W": np.ones(2)}, lr)


def test_bad_keys_shapes_and_params():
    with pytest.raises(ValueError, match=r"grads must have the same keys.*missing \['b'\]"):
        sgd_step({"W": np.ones(2), "b": np.ones(1)}, {"W": np.ones(2)}, 0.1)
    with pytest.raises(ValueError, match=r"unexpected \['c'\]"):
        sgd_step({"W": np.ones(2)}, {"W": np.ones(2), "c": np.ones(2)}, 0.1)
    with pytest.raises(ValueError, match=r"grads\['W'\] must have the shape"):
        sgd_step({"W": np.ones(2)}, {"W": np.ones(3)}, 0.1)
    with pytest.raises(ValueError, match=r"params\['W'\] must be a floating-point"):
        sgd_step({"W": np.ones(2, dtype=int)}, {"W": np.ones(2)}, 0.1)


def test_momentum_step():
    g = {"w": np.array([1.0, -2.0])}
    params, velocity = {"w": np.zeros(2)}, {}
    momentum_step(params, g, velocity, lr=0.1, beta=0.5)
    np.testing.assert_allclose(velocity["w"], [-0.1, 0.2])  # v1 = −η g
    momentum_step(params, g, velocity, lr=0.1, beta=0.5)
    np.testing.assert_allclose(velocity["w"], [-0.15, 0.3])  # v2 = β v1 − η g
    np.testing.assert_allclose(params["w"], [-0.25, 0.5])  # w = v1 + v2


def test_momentum_with_beta_zero_is_sgd():
    g = {"w": np.array([0.3, -0.7])}
    a, b = {"w": np.array([1.0, 2.0])}, {"w": np.array([1.0, 2.0])}
    momentum_step(a, g, {}, lr=0.2, beta=0.0)
    sgd_step(b, g, lr=0.2)
    np.testing.assert_allclose(a["w"], b["w"])


def test_momentum_bad_beta():
    with pytest.raises(ValueError, match="beta"):
        momentum_step({"w": np.ones(2)}, {"w": np.ones(2)}, {}, lr=0.1, beta=1.0)
