"""The transformer block and classifier: gradient checks, positions, training on the recall task."""
import numpy as np
import pytest

from nnbook.attention import causal_mask
from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.sequence_tasks import make_recall_task
from nnbook.transformer import (BLOCK_KEYS, add_positions, init_transformer, train_transformer,
                                transformer_block_backward, transformer_block_forward,
                                transformer_loss_and_grads)


@pytest.mark.parametrize("mask", [None, causal_mask(4)])
def test_block_gradients(mask):
    rng = np.random.default_rng(0)
    params = init_transformer(3, 5, 2, seed=1)
    for key in ("beta1", "beta2", "b1"):
        params[key] = rng.normal(size=5) * 0.5
    x, dout = rng.normal(size=(2, 4, 5)), rng.normal(size=(2, 4, 5))
    _, cache = transformer_block_forward(x, params, mask)
    dx, grads = transformer_block_backward(dout, cache)
    f = lambda _: np.sum(transformer_block_forward(x, params, mask)[0] * dout)
    assert rel_error(dx, numerical_gradient(f, x)) < 1e-6
    for key in BLOCK_KEYS:
        assert rel_error(grads[key], numerical_gradient(f, params[key])) < 1e-6, key


def test_classifier_gradients_and_input_gradient():
    x, y = make_recall_task(6, 4, n_symbols=3, seed=0)
    x = add_positions(x)
    params = init_transformer(x.shape[2], 6, 3, seed=2)
    J, grads, info = transformer_loss_and_grads(params, x, y)
    f = lambda _: transformer_loss_and_grads(params, x, y)[0]
    for key, arr in params.items():
        assert rel_error(grads[key], numerical_gradient(f, arr)) < 1e-6, key
    assert rel_error(info["dx"], numerical_gradient(f, x)) < 1e-6
    assert info["weights"].shape == (6, 4, 4) and np.allclose(info["weights"].sum(-1), 1)


def test_add_positions():
    x = np.zeros((2, 3, 1))
    xp = add_positions(x)
    assert xp.shape == (2, 3, 4) and np.array_equal(xp[1, :, 1:], np.eye(3))
    with pytest.raises(ValueError, match="x must have shape"):
        add_positions(np.zeros((3, 1)))


def test_learns_the_recall_task_and_generalizes():
    x, y = make_recall_task(256, 12, seed=0)
    params, history = train_transformer(add_positions(x), y, 8, 80, 0.02, batch_size=32)
    xt, yt = make_recall_task(256, 12, seed=1)
    _, _, info = transformer_loss_and_grads(params, add_positions(xt), yt)
    assert history["loss"][-1] < 0.2 * history["loss"][0]
    assert np.mean(info["logits"].argmax(1) == yt) > 0.9


def test_bad_inputs():
    params = init_transformer(4, 3, 2)
    with pytest.raises(ValueError, match="x must have shape"):
        transformer_loss_and_grads(params, np.zeros((2, 3, 5)), [0, 1])
    with pytest.raises(ValueError, match="y must"):
        transformer_loss_and_grads(params, np.zeros((2, 3, 4)), [0, 2])
    with pytest.raises(ValueError, match="d_model"):
        init_transformer(4, 0, 2)
