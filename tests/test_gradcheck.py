"""Tests for nnbook.gradcheck: numerical gradients of known functions, rel_error, bad input."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnbook.gradcheck import check_gradient, numerical_gradient, rel_error

FAST = settings(max_examples=40, deadline=None)


def test_known_gradients():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4))
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**2), x), 2 * x, atol=1e-8)
    A = rng.normal(size=(4, 4))
    w = rng.normal(size=4)
    np.testing.assert_allclose(numerical_gradient(lambda v: v @ A @ v, w), (A + A.T) @ w, atol=1e-8)
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x), atol=1e-8)


def test_central_difference_is_second_order():
    # exp''' = exp: the central difference is off by about e^x ε²/6; a one-sided one by e^x ε/2
    x, eps = np.array([0.5]), 1e-2
    num = numerical_gradient(lambda v: np.sum(np.exp(v)), x, eps=eps)
    error = abs(num[0] - np.exp(0.5))
    assert error < 1.1 * np.exp(0.5 + eps) * eps**2 / 6
    assert error > 0.5 * np.exp(0.5) * eps**2 / 6


def test_x_is_restored_and_closures_see_the_perturbation():
    W = np.random.default_rng(1).normal(size=(2, 3))
    before = W.copy()
    grad = numerical_gradient(lambda _: np.sum(W**3), W)  # reads W through the closure
    np.testing.assert_allclose(grad, 3 * before**2, rtol=1e-7)
    np.testing.assert_array_equal(W, before)


def test_x_is_restored_when_f_raises():
    x = np.array([1.0, 2.0])

    def f(v):
        if v[0] != 1.0:
            raise RuntimeError("boom")
        return 0.0

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_works_on_non_contiguous_views():
    base = np.arange(12.0).reshape(3, 4)
    view = base[:, ::2]
    grad = numerical_gradient(lambda v: np.sum(v**2), view)
    np.testing.assert_allclose(grad, 2 * view, atol=1e-6)


# ---------------------------------------------------------------------- rel_error
def test_rel_error_values():
    a = np.array([1.0, -2.0, 3.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0  # no 0/0
    assert rel_error(a, -a) == pytest.approx(1.0)
    assert rel_error(a, np.zeros(3)) == pytest.approx(1.0)
    assert rel_error([1.0, 0.0], [1.0, 1e-3]) == pytest.approx(1e-3 / (1 + np.hypot(1, 1e-3)))


@FAST
@given(
    # rounded so that scaling never underflows a subnormal to 0
    a=arrays(np.float64, 5, elements=st.floats(-1e3, 1e3).map(lambda v: round(v, 6))),
    b=arrays(np.float64, 5, elements=st.floats(-1e3, 1e3).map(lambda v: round(v, 6))),
    scale=st.floats(1e-3, 1e3),
)
def test_rel_error_symmetric_bounded_scale_invariant(a, b, scale):
    e = rel_error(a, b)
    assert 0 <= e <= 1 + 1e-12
    assert e == rel_error(b, a)
    assert rel_error(scale * a, scale * b) == pytest.approx(e, rel=1e-9, abs=1e-300)


def test_rel_error_shape_mismatch():
    with pytest.raises(ValueError, match="a and b must have the same shape"):
        rel_error(np.zeros(3), np.zeros((3, 1)))


# ------------------------------------------------------------------ check_gradient
def test_check_gradient():
    x = np.array([0.3, -1.2, 2.0])
    assert check_gradient(lambda v: np.sum(v**3), x, 3 * x**2, tol=1e-8) < 1e-8
    wrong = 3 * x  # a plausible slip: forgot the square
    assert check_gradient(lambda v: np.sum(v**3), x, wrong) > 0.1
    with pytest.raises(AssertionError, match="gradient check failed"):
        check_gradient(lambda v: np.sum(v**3), x, wrong, tol=1e-6)
    with pytest.raises(ValueError, match="analytic must have the shape"):
        check_gradient(lambda v: np.sum(v**3), x, np.zeros(2))


# -------------------------------------------------------------------- bad input
@pytest.mark.parametrize("x", [np.array([1, 2]), [1.0, 2.0], 3.0])
def test_bad_x(x):
    with pytest.raises(ValueError, match="x must be a floating-point numpy array"):
        numerical_gradient(lambda v: 0.0, x)


def test_bad_eps_and_non_scalar_f():
    with pytest.raises(ValueError, match="eps must be > 0"):
        numerical_gradient(lambda v: 0.0, np.ones(2), eps=0.0)
    with pytest.raises(ValueError, match="f must return a scalar"):
        numerical_gradient(lambda v: v * 2, np.ones(2))
