"""Tests for nnbook.activations: known values, identities, stability, derivatives."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnbook.activations import (
    get_activation,
    linear,
    linear_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    tanh,
    tanh_grad,
)
from nnbook.gradcheck import numerical_gradient, rel_error

FAST = settings(max_examples=60, deadline=None)
RAISE = dict(over="raise", divide="raise", invalid="raise")  # underflow to 0 is benign
finite64 = st.floats(-50, 50, allow_nan=False)


def big_arrays(dtype):
    return arrays(dtype, st.integers(1, 30), elements=st.floats(-1e4, 1e4, width=np.finfo(dtype).bits))


# ------------------------------------------------------------------ known values
def test_known_values():
    assert sigmoid(0.0) == 0.5
    assert sigmoid(np.log(3.0)) == pytest.approx(0.75)  # 1 / (1 + 1/3)
    assert tanh(np.log(2.0)) == pytest.approx(0.6)  # (2 - 1/2) / (2 + 1/2)
    np.testing.assert_array_equal(relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu_grad([-1.0, 0.0, 2.0]), [0.0, 0.0, 1.0])
    assert sigmoid_grad(0.0) == 0.25
    assert tanh_grad(0.0) == 1.0
    np.testing.assert_array_equal(linear([-1.5, 2.0]), [-1.5, 2.0])
    np.testing.assert_array_equal(linear_grad([-1.5, 2.0]), [1.0, 1.0])


def test_relu_grad_at_zero_is_zero():
    assert relu_grad(0.0) == 0.0
    assert relu_grad(np.zeros(3, dtype=np.float32)).sum() == 0


def test_integer_input_becomes_float64():
    for f in (sigmoid, relu, tanh, sigmoid_grad, relu_grad, tanh_grad):
        out = f(np.array([-1, 0, 2]))
        assert out.dtype == np.float64
    np.testing.assert_allclose(sigmoid([0, 0]), [0.5, 0.5])


def test_floating_dtypes_are_kept_and_others_become_float64():
    for dtype in (np.float16, np.float32, np.float64):
        assert relu(np.ones(2, dtype=dtype)).dtype == dtype
    for values in ([True, False], np.array([1, 2], dtype=np.uint8), [1, 2]):
        assert relu(values).dtype == np.float64


# ------------------------------------------------------------------- identities
@FAST
@given(arrays(np.float64, st.integers(1, 20), elements=finite64))
def test_sigmoid_symmetry_and_tanh_relation(x):
    np.testing.assert_allclose(sigmoid(-x), 1 - sigmoid(x), atol=1e-15)
    np.testing.assert_allclose(tanh(x), 2 * sigmoid(2 * x) - 1, atol=1e-14)


@FAST
@given(arrays(np.float64, st.integers(1, 20), elements=finite64))
def test_derivative_bounds(x):
    assert np.all(sigmoid_grad(x) <= 0.25)
    assert np.all(sigmoid_grad(x) >= 0)
    assert np.all((tanh_grad(x) <= 1) & (tanh_grad(x) >= 0))
    assert set(np.unique(relu_grad(x))) <= {0.0, 1.0}


# -------------------------------------------------------------------- stability
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@FAST
@given(data=st.data())
def test_stable_and_dtype_preserved_for_huge_inputs(dtype, data):
    x = data.draw(big_arrays(dtype))
    with np.errstate(**RAISE):
        for f in (sigmoid, relu, tanh, sigmoid_grad, relu_grad, tanh_grad):
            out = f(x)
            assert out.dtype == dtype, f.__name__
            assert out.shape == x.shape
            assert np.all(np.isfinite(out)), f.__name__
        s = sigmoid(x)
        assert np.all((s >= 0) & (s <= 1))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_extremes(dtype):
    x = np.array([-1e4, -100.0, 100.0, 1e4], dtype=dtype)
    with np.errstate(**RAISE):
        s = sigmoid(x)
    np.testing.assert_array_equal(s[[0, 3]], [0.0, 1.0])
    # Far left the stable form keeps relative precision: σ(−100) = e^{−100} / (1 + e^{−100}).
    if dtype == np.float64:
        assert s[1] == pytest.approx(np.exp(-100.0), rel=1e-12)


# ------------------------------------------------------------------- derivatives
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear", "identity"])
def test_grad_matches_numerical(name):
    f, f_grad = get_activation(name)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 5)) * 3
    x += np.sign(x) * 0.1  # keep away from ReLU's kink at 0
    num = numerical_gradient(lambda v: np.sum(f(v)), x)
    assert rel_error(f_grad(x), num) < 1e-8


# ---------------------------------------------------------------- get_activation
def test_get_activation_returns_pairs():
    assert get_activation("sigmoid") == (sigmoid, sigmoid_grad)
    assert get_activation("relu") == (relu, relu_grad)
    assert get_activation("tanh") == (tanh, tanh_grad)
    assert get_activation("identity") == get_activation("linear")


@pytest.mark.parametrize("bad", ["softmax", "ReLU", "", None, 3])
def test_get_activation_unknown_name(bad):
    with pytest.raises(ValueError, match="activation name"):
        get_activation(bad)
