"""Tests for nnbook.losses: hand values, softmax properties, stability, gradients, bad input."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnbook.activations import sigmoid
from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    cross_entropy,
    cross_entropy_grad,
    cross_entropy_with_grad,
    log_softmax,
    mse,
    mse_grad,
    softmax,
)

FAST = settings(max_examples=50, deadline=None)
RAISE = dict(over="raise", divide="raise", invalid="raise")  # underflow to 0 is benign


def logits_and_labels(dtype, bound=1e4):
    """(logits (n, K), labels (n,)) with |logits| <= bound."""
    width = np.finfo(dtype).bits

    @st.composite
    def build(draw):
        n = draw(st.integers(1, 8))
        k = draw(st.integers(2, 6))
        z = draw(arrays(dtype, (n, k), elements=st.floats(-bound, bound, width=width)))
        labels = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
        return z, labels

    return build()


# ---------------------------------------------------------------------------- MSE
def test_mse_hand_example():
    # ((1-1)² + (2-0)² + (3-0)²) / 3
    assert mse([1.0, 2.0, 3.0], [1.0, 0.0, 0.0]) == pytest.approx(13 / 3)
    # the mean runs over all elements, not just rows
    assert mse([[1.0, 2.0], [3.0, 4.0]], np.zeros((2, 2))) == pytest.approx(30 / 4)
    np.testing.assert_allclose(mse_grad([1.0, 2.0, 3.0], [1.0, 0.0, 0.0]), [0.0, 4 / 3, 2.0])


def test_mse_column_matches_vector():
    y_hat = np.array([[0.5], [1.5], [2.0]])
    y = np.array([1.0, 1.0, 1.0])
    assert mse(y_hat, y) == pytest.approx(mse(y_hat.ravel(), y))
    assert mse_grad(y_hat, y).shape == (3, 1)


def test_mse_grad_numerical():
    rng = np.random.default_rng(1)
    y_hat, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    num = numerical_gradient(lambda v: mse(v, y), y_hat)
    assert rel_error(mse_grad(y_hat, y), num) < 1e-8


def test_mse_bad_shapes():
    with pytest.raises(ValueError, match="y must have the same shape"):
        mse(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="y must"):
        mse_grad(np.zeros(3), np.zeros(4))


# ------------------------------------------------------------------------ softmax
@FAST
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64]))
def test_softmax_is_a_distribution_even_for_huge_logits(data, dtype):
    z, _ = data.draw(logits_and_labels(dtype))
    with np.errstate(**RAISE):
        p = softmax(z)
        logp = log_softmax(z)
    assert p.dtype == dtype and logp.dtype == dtype
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5 if dtype == np.float32 else 1e-12)
    assert np.all(np.isfinite(logp)) and np.all(logp <= 0)


@FAST
@given(
    z=arrays(np.float64, (3, 4), elements=st.floats(-30, 30)),
    shift=arrays(np.float64, (3, 1), elements=st.floats(-1e3, 1e3)),
)
def test_softmax_shift_invariance(z, shift):
    np.testing.assert_allclose(softmax(z + shift), softmax(z), atol=1e-12)


def test_softmax_known_values_and_axis():
    np.testing.assert_allclose(softmax([0.0, np.log(3.0)]), [0.25, 0.75])
    z = np.array([[0.0, 1.0], [2.0, 5.0]])
    np.testing.assert_allclose(softmax(z, axis=0), softmax(z.T, axis=1).T)
    np.testing.assert_allclose(log_softmax(z), np.log(softmax(z)))


# ------------------------------------------------------------------ cross-entropy
def test_cross_entropy_known_values():
    for k in (2, 3, 10):
        assert cross_entropy(np.zeros((4, k)), [0, 1, 1, 0]) == pytest.approx(np.log(k))
    # probability 3/4 on the true class
    assert cross_entropy([[0.0, np.log(3.0)]], [1]) == pytest.approx(-np.log(0.75))
    # a confident mistake costs the logit gap (log(1 + e^{-1e4}) rounds to 0)
    assert cross_entropy([[1e4, 0.0]], [1]) == pytest.approx(1e4)


@FAST
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64]))
def test_cross_entropy_nonnegative_and_finite(data, dtype):
    z, labels = data.draw(logits_and_labels(dtype))
    with np.errstate(**RAISE):
        loss = cross_entropy(z, labels)
        grad = cross_entropy_grad(z, labels)
    assert np.isfinite(loss) and loss >= 0
    assert grad.dtype == dtype and np.all(np.isfinite(grad))
    # each row of softmax − onehot sums to 0
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-5 if dtype == np.float32 else 1e-12)


def test_cross_entropy_matches_naive_formula():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(6, 4))
    y = np.array([0, 3, 1, 2, 2, 0])
    naive = -np.mean(np.log(np.exp(z)[np.arange(6), y] / np.exp(z).sum(axis=1)))
    assert cross_entropy(z, y) == pytest.approx(naive, rel=1e-12)


def test_cross_entropy_grad_numerical():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(5, 4)) * 2
    y = np.array([0, 3, 1, 2, 2])
    num = numerical_gradient(lambda v: cross_entropy(v, y), z)
    assert rel_error(cross_entropy_grad(z, y), num) < 1e-8


def test_cross_entropy_accepts_column_and_whole_float_labels():
    z = np.random.default_rng(4).normal(size=(3, 3))
    expected = cross_entropy(z, np.array([0, 2, 1]))
    assert cross_entropy(z, np.array([[0], [2], [1]])) == expected
    assert cross_entropy(z, np.array([0.0, 2.0, 1.0])) == expected


@pytest.mark.parametrize(
    "logits, labels, match",
    [
        (np.zeros((3, 2)), [0, 1, 2], "labels must be in"),
        (np.zeros((3, 2)), [0, -1, 1], "labels must be in"),
        (np.zeros((3, 2)), [0.0, 0.5, 1.0], "labels must be integer"),
        (np.zeros((3, 2)), ["a", "b", "c"], "labels must be integer"),
        (np.zeros((3, 2)), [0, 1], "labels must have one entry per row"),
        (np.zeros((3, 2)), np.zeros((3, 2), dtype=int), "labels must have shape"),
        (np.zeros(3), [0, 1, 0], "logits must be"),
        (np.array([[0.0, np.inf]]), [0], "logits must be finite"),
    ],
)
def test_cross_entropy_bad_input(logits, labels, match):
    with pytest.raises(ValueError, match=match):
        cross_entropy(logits, labels)
    with pytest.raises(ValueError, match=match):
        cross_entropy_grad(logits, labels)
    with pytest.raises(ValueError, match=match):
        cross_entropy_with_grad(logits, labels)


# The fused fast path (one log-softmax for the loss and its gradient) against the two formula
# versions it replaces in training.
@FAST
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64]))
def test_cross_entropy_with_grad_agrees_with_the_formula_versions(data, dtype):
    z, labels = data.draw(logits_and_labels(dtype))
    with np.errstate(**RAISE):
        loss, grad = cross_entropy_with_grad(z, labels)
        expected_loss, expected_grad = cross_entropy(z, labels), cross_entropy_grad(z, labels)
    assert isinstance(loss, float) and loss == expected_loss
    assert grad.dtype == dtype and grad.shape == z.shape
    tol = 1e-6 if dtype == np.float32 else 1e-15
    np.testing.assert_allclose(grad, expected_grad, rtol=tol, atol=tol / len(z))


def test_cross_entropy_with_grad_numerical_and_label_forms():
    rng = np.random.default_rng(5)
    z = rng.normal(size=(5, 4)) * 2
    y = np.array([0, 3, 1, 2, 2])
    loss, grad = cross_entropy_with_grad(z, y)
    num = numerical_gradient(lambda v: cross_entropy(v, y), z)
    assert rel_error(grad, num) < 1e-8
    for same in (y[:, None], y.astype(float), list(y)):
        loss2, grad2 = cross_entropy_with_grad(z, same)
        assert loss2 == loss
        np.testing.assert_array_equal(grad2, grad)
    np.testing.assert_array_equal(z, np.random.default_rng(5).normal(size=(5, 4)) * 2)  # input kept


# ----------------------------------------------------------- binary cross-entropy
def test_bce_known_values_and_naive_formula():
    assert binary_cross_entropy([0.0, 0.0], [0, 1]) == pytest.approx(np.log(2))
    rng = np.random.default_rng(5)
    z, y = rng.normal(size=7) * 3, rng.integers(0, 2, size=7)
    s = sigmoid(z)
    naive = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
    assert binary_cross_entropy(z, y) == pytest.approx(naive, rel=1e-12)
    # a confident mistake costs |z|
    assert binary_cross_entropy([1e4], [0]) == pytest.approx(1e4)


def test_bce_is_two_class_cross_entropy():
    # softmax over logits (0, z) puts σ(z) on class 1
    rng = np.random.default_rng(6)
    z, y = rng.normal(size=6) * 4, rng.integers(0, 2, size=6)
    two_class = np.stack([np.zeros(6), z], axis=1)
    assert binary_cross_entropy(z, y) == pytest.approx(cross_entropy(two_class, y), rel=1e-12)


@FAST
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64]))
def test_bce_stable_for_huge_logits(data, dtype):
    z, labels = data.draw(logits_and_labels(dtype))
    z, y = z[:, 0], labels % 2
    with np.errstate(**RAISE):
        loss = binary_cross_entropy(z, y)
        grad = binary_cross_entropy_grad(z[:, None], y)
    assert np.isfinite(loss) and loss >= 0
    assert grad.shape == (z.shape[0], 1) and grad.dtype == dtype
    assert np.all(np.isfinite(grad))


def test_bce_grad_numerical_both_shapes():
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, size=6)
    for z in (rng.normal(size=6) * 2, rng.normal(size=(6, 1)) * 2):
        num = numerical_gradient(lambda v: binary_cross_entropy(v, y), z)
        grad = binary_cross_entropy_grad(z, y[:, None])
        assert grad.shape == z.shape
        assert rel_error(grad, num) < 1e-8


@pytest.mark.parametrize(
    "logits, y, match",
    [
        (np.zeros((3, 2)), [0, 1, 0], "logits must have shape"),
        (np.zeros(3), [0, 1], "y must have shape"),
        (np.zeros(3), [0, 2, 1], r"y must hold targets in \[0, 1\]"),
        (np.zeros(3), [0, -1, 1], r"y must hold targets"),
        (np.array([0.0, np.nan]), [0, 1], "logits must be finite"),
    ],
)
def test_bce_bad_input(logits, y, match):
    with pytest.raises(ValueError, match=match):
        binary_cross_entropy(logits, y)
    with pytest.raises(ValueError, match=match):
        binary_cross_entropy_grad(logits, y)
