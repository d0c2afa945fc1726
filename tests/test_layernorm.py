"""layernorm_forward/backward: definition, gradient checks, torch's layer_norm, bad inputs."""
import numpy as np
import pytest

from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.layernorm import layernorm_backward, layernorm_forward


def _inputs(shape=(4, 5), seed=0):
    rng = np.random.default_rng(seed)
    d = shape[-1]
    return (rng.normal(2.0, 3.0, shape), rng.normal(size=d), rng.normal(size=d),
            rng.normal(size=shape))


def test_rows_are_standardized():
    x, _, _, _ = _inputs()
    out, _ = layernorm_forward(x, np.ones(5), np.zeros(5), eps=1e-12)
    assert np.allclose(out.mean(-1), 0.0) and np.allclose(out.var(-1), 1.0)


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 4)])
def test_gradients_match_central_differences(shape):
    x, gamma, beta, dout = _inputs(shape, seed=1)
    _, cache = layernorm_forward(x, gamma, beta)
    grads = layernorm_backward(dout, cache)
    for arr, g in zip((x, gamma, beta), grads):
        f = lambda _: np.sum(layernorm_forward(x, gamma, beta)[0] * dout)
        assert rel_error(g, numerical_gradient(f, arr)) < 1e-7


def test_independent_of_batch_mates():
    x, gamma, beta, _ = _inputs((6, 5), seed=2)
    alone, _ = layernorm_forward(x[:1], gamma, beta)
    with_others, _ = layernorm_forward(x, gamma, beta)
    assert np.allclose(alone[0], with_others[0])


def test_constant_row_is_finite_and_float32_stays_float32():
    x, gamma, beta, dout = _inputs(seed=3)
    x[0] = 7.0
    out, cache = layernorm_forward(x, gamma, beta)
    assert np.allclose(out[0], beta)
    assert all(np.isfinite(g).all() for g in layernorm_backward(dout, cache))
    out32, c32 = layernorm_forward(x.astype(np.float32), gamma, beta)
    assert out32.dtype == np.float32
    assert all(g.dtype == np.float32 for g in layernorm_backward(dout, c32))


def test_bad_inputs():
    x, gamma, beta, dout = _inputs()
    with pytest.raises(ValueError, match="gamma must have shape"):
        layernorm_forward(x, gamma[:3], beta)
    with pytest.raises(ValueError, match="beta must have shape"):
        layernorm_forward(x, gamma, beta[None])
    with pytest.raises(ValueError, match="x must be finite"):
        layernorm_forward(x * np.inf, gamma, beta)
    with pytest.raises(ValueError, match="eps"):
        layernorm_forward(x, gamma, beta, eps=-1.0)
    _, cache = layernorm_forward(x, gamma, beta)
    with pytest.raises(ValueError, match="dout must have"):
        layernorm_backward(dout[:2], cache)


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-10), (np.float32, 1e-4)])
def test_against_torch(dtype, tol):
    torch = pytest.importorskip("torch")
    x, gamma, beta, dout = (a.astype(dtype) for a in _inputs((3, 4, 6), seed=4))
    out, cache = layernorm_forward(x, gamma, beta)
    tx, tg, tb = (torch.tensor(a, requires_grad=True) for a in (x, gamma, beta))
    tout = torch.nn.functional.layer_norm(tx, (6,), tg, tb, eps=1e-5)
    tout.backward(torch.tensor(dout))
    assert np.allclose(out, tout.detach().numpy(), atol=tol)
    for g, t in zip(layernorm_backward(dout, cache), (tx, tg, tb)):
        assert np.allclose(g, t.grad.numpy(), atol=tol * 10)
