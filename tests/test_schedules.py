"""Tests for nnbook.schedules (chapter 8): constant, step and cosine learning rates with warm-up."""
import numpy as np
import pytest

from nnbook.schedules import constant_lr, cosine_decay, step_decay


def test_step_decay_by_hand():
    np.testing.assert_allclose(step_decay(1.0, 7, every=3, factor=0.5), [1, 1, 1, 0.5, 0.5, 0.5, 0.25])
    np.testing.assert_allclose(step_decay(1.0, 6, every=2, factor=0.1, warmup=2), [0.5, 1, 1, 1, 0.1, 0.1])


def test_cosine_by_hand():
    got = cosine_decay(2.0, 4)
    np.testing.assert_allclose(got, [2.0, 1 + np.cos(np.pi / 4), 1.0, 1 + np.cos(3 * np.pi / 4)])
    got = cosine_decay(1.0, 6, lr_min=0.2, warmup=2)
    np.testing.assert_allclose(got[:2], [0.5, 1.0])
    np.testing.assert_allclose(got[2:], 0.2 + 0.8 * 0.5 * (1 + np.cos(np.pi * np.arange(4) / 4)))
    assert np.all(np.diff(got[2:]) < 0) and got[-1] > 0.2


def test_constant_with_warmup():
    np.testing.assert_allclose(constant_lr(0.3, 5, warmup=3), [0.1, 0.2, 0.3, 0.3, 0.3])


@pytest.mark.parametrize("call, name", [
    (lambda: constant_lr(-1.0, 5), "lr"), (lambda: constant_lr(0.1, 0), "steps"),
    (lambda: constant_lr(0.1, 5, warmup=5), "warmup"), (lambda: step_decay(0.1, 5, every=0), "every"),
    (lambda: step_decay(0.1, 5, every=2, factor=0.0), "factor"),
    (lambda: cosine_decay(0.1, 5, lr_min=0.2), "lr_min"), (lambda: cosine_decay(0.1, 5, warmup=-1), "warmup"),
])
def test_bad_arguments(call, name):
    with pytest.raises(ValueError, match=name):
        call()
