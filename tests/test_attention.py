"""attention_forward/backward: gradient checks (with masks), torch's SDPA, bad inputs, causal_mask."""
import numpy as np
import pytest

from nnbook.attention import attention_backward, attention_forward, causal_mask, softmax_backward
from nnbook.gradcheck import numerical_gradient, rel_error


def _inputs(seed=0, N=2, Tq=4, Tk=5, d=3, dv=2):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((N, Tq, d)), rng.standard_normal((N, Tk, d)),
            rng.standard_normal((N, Tk, dv)), rng.standard_normal((N, Tq, dv)))


def _random_mask(seed, shape):
    m = np.random.default_rng(seed).random(shape) < 0.5
    m[..., seed % shape[-1]] = True
    return m


@pytest.mark.parametrize("mask_kind", [None, "causal", "random"])
@pytest.mark.parametrize("scale", [None, 1.0])
def test_gradients_match_central_differences(mask_kind, scale):
    q, k, v, dout = _inputs(1, Tq=4, Tk=4)
    mask = {None: None, "causal": causal_mask(4), "random": _random_mask(3, (2, 4, 4))}[mask_kind]
    _, cache = attention_forward(q, k, v, mask, scale=scale)
    grads = attention_backward(dout, cache)
    for x, g in zip((q, k, v), grads):
        f = lambda _: np.sum(attention_forward(q, k, v, mask, scale=scale)[0] * dout)
        assert rel_error(g, numerical_gradient(f, x)) < 1e-7


def test_weights_rows_sum_to_one_and_masked_weights_are_zero():
    q, k, v, _ = _inputs(2, Tq=5, Tk=5)
    out, cache = attention_forward(q, k, v, causal_mask(5))
    A = cache["weights"]
    assert np.allclose(A.sum(-1), 1.0)
    assert np.all(A[:, ~causal_mask(5)] == 0.0)
    assert np.allclose(out[:, 0], v[:, 0])  # the first query sees only the first key


def test_formula_by_hand():
    q, k, v, _ = _inputs(3)
    s = np.einsum("ntd,nsd->nts", q, k) / np.sqrt(q.shape[-1])
    A = np.exp(s) / np.exp(s).sum(-1, keepdims=True)
    assert np.allclose(attention_forward(q, k, v)[0], A @ v)


def test_softmax_backward_is_the_jacobian():
    rng = np.random.default_rng(4)
    s, g = rng.standard_normal(6), rng.standard_normal(6)
    A = np.exp(s) / np.exp(s).sum()
    jac = np.diag(A) - np.outer(A, A)
    assert np.allclose(softmax_backward(g, A), jac @ g)


def test_stable_for_huge_scores_and_float32_stays_float32():
    q, k, v, dout = _inputs(5)
    out, cache = attention_forward(1e4 * q, 1e4 * k, v)
    assert np.isfinite(out).all() and np.isfinite(attention_backward(dout, cache)[0]).all()
    out32, c32 = attention_forward(q.astype(np.float32), k.astype(np.float32), v.astype(np.float32))
    assert out32.dtype == np.float32
    assert all(g.dtype == np.float32 for g in attention_backward(dout.astype(np.float32), c32))
    assert np.allclose(out32, attention_forward(q, k, v)[0], atol=1e-5)


def test_causal_mask():
    m = causal_mask(3)
    assert m.dtype == bool and m.tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    assert causal_mask(2, 3).shape == (2, 3)
    with pytest.raises(ValueError, match="T must"):
        causal_mask(0)


@pytest.mark.parametrize("args, match", [
    (lambda q, k, v: (q[0], k, v), "q must have shape"),
    (lambda q, k, v: (q, k[..., :2], v), "k must have shape"),
    (lambda q, k, v: (q, k, v[:, :3]), "v must have shape"),
    (lambda q, k, v: (q * np.nan, k, v), "q must be finite"),
    (lambda q, k, v: (q, k, v.astype(complex)), "v must hold real numbers"),
])
def test_bad_inputs(args, match):
    q, k, v, _ = _inputs(6)
    with pytest.raises(ValueError, match=match):
        attention_forward(*args(q, k, v))


def test_bad_masks_and_scale():
    q, k, v, dout = _inputs(7, Tq=4, Tk=5)
    with pytest.raises(ValueError, match="mask must be a boolean"):
        attention_forward(q, k, v, np.ones((4, 5)))
    with pytest.raises(ValueError, match="mask must be broadcastable"):
        attention_forward(q, k, v, np.ones((4, 4), dtype=bool))
    empty = np.ones((4, 5), dtype=bool)
    empty[2] = False
    with pytest.raises(ValueError, match=r"at least one key.*\(0, 2\)"):
        attention_forward(q, k, v, empty)
    with pytest.raises(ValueError, match="scale"):
        attention_forward(q, k, v, scale=0.0)
    _, cache = attention_forward(q, k, v)
    with pytest.raises(ValueError, match="dout must have"):
        attention_backward(dout[:, :2], cache)


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 1e-5)])
@pytest.mark.parametrize("masked", [False, True])
def test_against_torch(dtype, tol, masked):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    q, k, v, dout = (a.astype(dtype) for a in _inputs(8, N=3, Tq=6, Tk=7, d=4, dv=5))
    mask = _random_mask(9, (3, 6, 7)) if masked else None
    out, cache = attention_forward(q, k, v, mask)
    tq, tk, tv = (torch.tensor(a, requires_grad=True) for a in (q, k, v))
    tout = F.scaled_dot_product_attention(
        tq, tk, tv, attn_mask=None if mask is None else torch.tensor(mask))
    tout.backward(torch.tensor(dout))
    assert np.allclose(out, tout.detach().numpy(), atol=tol)
    for g, t in zip(attention_backward(dout, cache), (tq, tk, tv)):
        assert np.allclose(g, t.grad.numpy(), atol=tol * 10)


def test_causal_mask_matches_torch_is_causal():
    torch = pytest.importorskip("torch")
    q, k, v, _ = _inputs(10, Tq=5, Tk=5)
    expected = torch.nn.functional.scaled_dot_product_attention(
        *(torch.tensor(a) for a in (q, k, v)), is_causal=True).numpy()
    assert np.allclose(attention_forward(q, k, v, causal_mask(5))[0], expected)


def test_permuting_keys_and_values_together_leaves_the_output_unchanged():
    q, k, v, _ = _inputs(11, Tq=3, Tk=6)
    perm = np.random.default_rng(12).permutation(6)
    assert np.allclose(attention_forward(q, k, v)[0], attention_forward(q, k[:, perm], v[:, perm])[0])


def test_unscaled_scores_saturate_the_softmax():
    rng = np.random.default_rng(13)
    q, k = rng.standard_normal((500, 1, 256)), rng.standard_normal((500, 16, 256))
    top = {s: attention_forward(q, k, k, scale=s)[1]["weights"].max(-1).mean() for s in (None, 1.0)}
    assert top[1.0] > 0.85 and top[None] < 0.4
