"""Tests of nnbook.data: shapes, determinism, label ranges, and the shipped digits."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.data import (
    flip_labels,
    load_digits,
    make_moons,
    make_regression_1d,
    make_spiral,
    make_xor,
    one_hot,
    train_test_split,
)

MAKERS = {
    "moons": lambda n, seed: make_moons(n, noise=0.1, seed=seed),
    "spiral": lambda n, seed: make_spiral(n, n_classes=3, noise=0.2, seed=seed),
    "xor": lambda n, seed: make_xor(n, noise=0.3, seed=seed),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_classification_sets_shapes_labels_and_determinism(name):
    make = MAKERS[name]
    X, y = make(101, 0)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and np.issubdtype(y.dtype, np.integer)
    n_classes = 3 if name == "spiral" else 2
    counts = np.bincount(y, minlength=n_classes)
    assert counts.size == n_classes and counts.max() - counts.min() <= 2  # balanced
    X2, y2 = make(101, 0)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make(101, 1)
    assert not np.allclose(X, X3)


def test_moons_without_noise_lie_on_the_two_half_circles():
    X, y = make_moons(60, noise=0.0, seed=3)
    top, bottom = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.linalg.norm(top, axis=1), 1.0)
    assert np.all(top[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.linalg.norm(bottom - [1.0, 0.5], axis=1), 1.0)
    assert np.all(bottom[:, 1] <= 0.5 + 1e-12)


def test_moons_rows_are_shuffled():
    _, y = make_moons(100, seed=0)
    assert 0 < np.sum(y[:50]) < 50


def test_spiral_radius_and_classes():
    X, y = make_spiral(300, n_classes=4, noise=0.5, seed=1)
    assert set(np.unique(y)) == {0, 1, 2, 3}
    assert np.all(np.linalg.norm(X, axis=1) <= 1.0 + 1e-12)  # noise moves only the angle


def test_xor_labels_follow_the_quadrant():
    X, y = make_xor(200, noise=0.05, seed=2)
    np.testing.assert_array_equal(y, ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(int))


def test_regression_1d():
    X, y = make_regression_1d(50, noise=0.0, seed=0, low=-2.0, high=1.0)
    assert X.shape == (50, 1) and y.shape == (50, 1)
    assert np.all(np.diff(X[:, 0]) >= 0)
    assert X.min() >= -2.0 and X.max() <= 1.0
    np.testing.assert_allclose(y, np.sin(X))
    X, noisy = make_regression_1d(2000, noise=0.3, seed=0)
    assert np.std(noisy - np.sin(X)) == pytest.approx(0.3, rel=0.1)


def test_digits_loads_the_shipped_file():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and np.issubdtype(y.dtype, np.integer)
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(X * 16, np.round(X * 16))  # raw pixels are integers 0..16
    assert set(np.unique(y)) == set(range(10))
    assert np.all(np.bincount(y) > 150)


def test_digits_returns_fresh_arrays():
    X, y = load_digits()
    X[:] = -1
    y[:] = -1
    X2, y2 = load_digits()
    assert X2.min() == 0.0 and y2.min() == 0


def test_train_test_split_partitions_and_keeps_pairs():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_fraction=0.25, seed=3)
    assert X_tr.shape == (15, 2) and X_te.shape == (5, 2)
    np.testing.assert_array_equal(X_tr[:, 0] // 2, y_tr)
    np.testing.assert_array_equal(X_te[:, 0] // 2, y_te)
    assert sorted(np.concatenate([y_tr, y_te])) == list(range(20))
    again = train_test_split(X, y, test_fraction=0.25, seed=3)
    np.testing.assert_array_equal(again[3], y_te)
    other = train_test_split(X, y, test_fraction=0.25, seed=4)
    assert not np.array_equal(other[3], y_te)


@settings(max_examples=30, deadline=None)
@given(
    y=st.lists(st.integers(0, 4), min_size=1, max_size=60),
    fraction=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_flip_labels_changes_exactly_the_requested_number(y, fraction, seed):
    y = np.array(y)
    before = y.copy()
    noisy = flip_labels(y, fraction, np.random.default_rng(seed), n_classes=5)
    np.testing.assert_array_equal(y, before)  # input untouched
    assert np.sum(noisy != y) == round(fraction * y.size)
    assert noisy.min() >= 0 and noisy.max() < 5
    np.testing.assert_array_equal(noisy, flip_labels(y, fraction, seed, n_classes=5))


def test_flip_labels_binary_swaps_classes():
    y = np.zeros(10, dtype=int)
    noisy = flip_labels(y, 0.3, 0)
    assert np.sum(noisy) == 3


def test_one_hot():
    y = np.array([2, 0, 1, 2])
    Y = one_hot(y)
    assert Y.shape == (4, 3)
    np.testing.assert_array_equal(Y.sum(axis=1), 1)
    np.testing.assert_array_equal(np.argmax(Y, axis=1), y)
    assert one_hot(y, n_classes=5).shape == (4, 5)


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: make_moons(1), "n"),
        (lambda: make_moons(10, noise=-0.1), "noise"),
        (lambda: make_spiral(10, n_classes=1), "n_classes"),
        (lambda: make_xor(3), "n"),
        (lambda: make_regression_1d(0), "n"),
        (lambda: make_regression_1d(5, low=1.0, high=0.0), "low"),
        (lambda: train_test_split(np.zeros((5, 2)), np.zeros(4)), "X and y"),
        (lambda: train_test_split(np.zeros((5, 2)), np.zeros(5), test_fraction=1.0), "test_fraction"),
        (lambda: train_test_split(np.zeros((2, 2)), np.zeros(2), test_fraction=0.1), "test_fraction"),
        (lambda: flip_labels(np.array([0, 1]), 1.5, 0), "fraction"),
        (lambda: flip_labels(np.array([0.5, 1.0]), 0.5, 0), "y"),
        (lambda: flip_labels(np.array([0.0, np.nan]), 0.5, 0), "y"),
        (lambda: one_hot(np.array([True, False])), "y"),
        (lambda: train_test_split(np.array([[0.0], [np.inf], [1.0]]), np.zeros(3)), "X"),
        (lambda: train_test_split(np.zeros((1, 2)), np.zeros(1)), "X"),
        (lambda: flip_labels(np.array([0, 3]), 0.5, 0, n_classes=2), "n_classes"),
        (lambda: one_hot(np.array([[0, 1]])), "y"),
        (lambda: one_hot(np.array([0, 4]), n_classes=3), "n_classes"),
    ],
)
def test_bad_arguments(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


def test_noisy_sines_are_next_step_pairs_and_reproducible():
    from nnbook.data import make_noisy_sines

    x, y, clean = make_noisy_sines(5, 30, seed=3, noise=0.1)
    assert x.shape == (5, 30, 1) and y.shape == (5, 30, 1) and clean.shape == (5, 30)
    np.testing.assert_array_equal(x[:, 1:, 0], y[:, :-1, 0])  # target = the next input
    residual = y[..., 0] - clean
    assert 0.05 < residual.std() < 0.2  # the noise level asked for
    x2, _, _ = make_noisy_sines(5, 30, seed=3, noise=0.1)
    np.testing.assert_array_equal(x, x2)
    with pytest.raises(ValueError, match="period"):
        make_noisy_sines(5, 30, period=0)


def test_whole_number_float_labels_follow_the_one_rule():
    y = np.array([0, 2, 1, 2])
    np.testing.assert_array_equal(one_hot(y.astype(float)), one_hot(y))
    np.testing.assert_array_equal(flip_labels(y.astype(float), 0.5, 0, n_classes=3),
                                  flip_labels(y, 0.5, 0, n_classes=3))
