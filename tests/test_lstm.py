"""lstm_forward / lstm_backward: the gate equations, gradients against central differences,
torch's nn.LSTM when installed, float32, and bad inputs."""
import numpy as np
import pytest

from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.lstm import forget_gate_products, lstm_backward, lstm_forward, lstm_step


def sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def make(N=3, T=5, D=4, H=6, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(N, T, D))
    h0, c0 = rng.normal(size=(N, H)), rng.normal(size=(N, H))
    Wx = rng.normal(size=(D, 4 * H)) / np.sqrt(D)
    Wh = rng.normal(size=(H, 4 * H)) / np.sqrt(H)
    b = rng.normal(size=4 * H)
    return tuple(a.astype(dtype) for a in (x, h0, c0, Wx, Wh, b))


def reference_forward(x, h0, c0, Wx, Wh, b):
    """The equations of the chapter, one step at a time, plain NumPy."""
    H = h0.shape[1]
    h, c, hs, cs = h0, c0, [], []
    for t in range(x.shape[1]):
        a = x[:, t] @ Wx + h @ Wh + b
        i, f, g, o = sig(a[:, :H]), sig(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), sig(a[:, 3 * H:])
        c = f * c + i * g
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.stack(hs, 1), np.stack(cs, 1)


def test_forward_matches_the_equations():
    args = make()
    h, cache = lstm_forward(*args)
    h_ref, c_ref = reference_forward(*args)
    assert h.shape == (3, 5, 6)
    np.testing.assert_allclose(h, h_ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(cache["c"], c_ref, rtol=1e-12, atol=1e-12)


def test_step_is_one_step_of_forward():
    x, h0, c0, Wx, Wh, b = make(T=1)
    h1, c1 = lstm_step(x[:, 0], h0, c0, Wx, Wh, b)
    h_ref, c_ref = reference_forward(x, h0, c0, Wx, Wh, b)
    np.testing.assert_allclose(h1, h_ref[:, 0], rtol=1e-12)
    np.testing.assert_allclose(c1, c_ref[:, 0], rtol=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_all_six_gradients_match_central_differences(seed):
    x, h0, c0, Wx, Wh, b = make(N=2, T=4, D=3, H=4, seed=seed)
    G = np.random.default_rng(seed + 10).normal(size=(2, 4, 4))
    _, cache = lstm_forward(x, h0, c0, Wx, Wh, b)
    grads = lstm_backward(G, cache)

    def J(_):
        return np.sum(lstm_forward(x, h0, c0, Wx, Wh, b)[0] * G)

    for name, g, p in zip(("dx", "dh0", "dc0", "dWx", "dWh", "db"), grads, (x, h0, c0, Wx, Wh, b)):
        assert g.shape == p.shape, name
        assert rel_error(g, numerical_gradient(J, p)) < 1e-7, name


def test_dc_T_is_the_gradient_of_the_last_cell():
    x, h0, c0, Wx, Wh, b = make(N=2, T=3, D=2, H=3)
    Gc = np.random.default_rng(5).normal(size=(2, 3))
    _, cache = lstm_forward(x, h0, c0, Wx, Wh, b)
    grads = lstm_backward(np.zeros((2, 3, 3)), cache, dc_T=Gc)

    def J(_):
        return np.sum(lstm_forward(x, h0, c0, Wx, Wh, b)[1]["c"][:, -1] * Gc)

    for g, p in zip(grads, (x, h0, c0, Wx, Wh, b)):
        assert rel_error(g, numerical_gradient(J, p)) < 1e-7


def test_cell_path_jacobian_is_diag_f():
    # with h_{t-1} held fixed, dc_t/dc_{t-1} = diag(f_t): one step from c0 with T = 1
    x, h0, c0, Wx, Wh, b = make(N=1, T=1, H=3)
    _, cache = lstm_forward(x, h0, c0, Wx, Wh, b)
    f = cache["gates"][0, 0, 3:6]
    jac = np.empty((3, 3))
    for j in range(3):
        e = np.zeros_like(c0)
        e[0, j] = 1e-6
        up = lstm_forward(x, h0, c0 + e, Wx, Wh, b)[1]["c"][0, 0]
        down = lstm_forward(x, h0, c0 - e, Wx, Wh, b)[1]["c"][0, 0]
        jac[:, j] = (up - down) / 2e-6
    np.testing.assert_allclose(jac, np.diag(f), atol=1e-8)
    prods = forget_gate_products(cache)
    assert prods.shape == (1, 2, 3)
    np.testing.assert_allclose(prods[0, 0], f)
    np.testing.assert_allclose(prods[0, 1], 1.0)


def test_forget_gate_products_multiply_the_forget_gates():
    args = make(T=4)
    _, cache = lstm_forward(*args)
    f = cache["gates"][..., 6:12]
    prods = forget_gate_products(cache)
    np.testing.assert_allclose(prods[:, 1], f[:, 1] * f[:, 2] * f[:, 3])


def test_float32_stays_float32_and_agrees():
    args64 = make()
    args32 = tuple(a.astype(np.float32) for a in args64)
    h32, cache = lstm_forward(*args32)
    assert h32.dtype == np.float32
    grads = lstm_backward(np.ones(h32.shape, np.float32), cache)
    assert all(g.dtype == np.float32 for g in grads)
    np.testing.assert_allclose(h32, lstm_forward(*args64)[0], atol=1e-5)


def test_extreme_preactivations_stay_finite():
    x, h0, c0, Wx, Wh, b = make()
    with np.errstate(all="raise"):
        h, cache = lstm_forward(x * 1e4, h0, c0, Wx * 1e3, Wh, b)
        grads = lstm_backward(np.ones_like(h), cache)
    assert np.isfinite(h).all() and all(np.isfinite(g).all() for g in grads)


def test_same_inputs_same_numbers():
    args = make()
    assert np.array_equal(lstm_forward(*args)[0], lstm_forward(*args)[0])


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-10), (np.float32, 1e-4)])
def test_against_torch(dtype, tol):
    torch = pytest.importorskip("torch")
    x, h0, c0, Wx, Wh, b = make(N=3, T=6, D=4, H=5, dtype=dtype)
    G = np.random.default_rng(3).normal(size=(3, 6, 5)).astype(dtype)
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    lstm = torch.nn.LSTM(4, 5, batch_first=True, dtype=tdtype)
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.from_numpy(Wx.T.copy()))
        lstm.weight_hh_l0.copy_(torch.from_numpy(Wh.T.copy()))
        lstm.bias_ih_l0.copy_(torch.from_numpy(0.3 * b))  # the two biases add up to b
        lstm.bias_hh_l0.copy_(torch.from_numpy(0.7 * b))
    xt = torch.from_numpy(x.copy()).requires_grad_()
    h0t = torch.from_numpy(h0.copy())[None].requires_grad_()
    c0t = torch.from_numpy(c0.copy())[None].requires_grad_()
    out, _ = lstm(xt, (h0t, c0t))
    out.backward(torch.from_numpy(G))
    h, cache = lstm_forward(x, h0, c0, Wx, Wh, b)
    dx, dh0, dc0, dWx, dWh, db = lstm_backward(G, cache)
    np.testing.assert_allclose(h, out.detach().numpy(), atol=tol, rtol=tol)
    np.testing.assert_allclose(dx, xt.grad.numpy(), atol=tol, rtol=tol)
    np.testing.assert_allclose(dh0, h0t.grad[0].numpy(), atol=tol, rtol=tol)
    np.testing.assert_allclose(dc0, c0t.grad[0].numpy(), atol=tol, rtol=tol)
    np.testing.assert_allclose(dWx, lstm.weight_ih_l0.grad.numpy().T, atol=tol, rtol=tol)
    np.testing.assert_allclose(dWh, lstm.weight_hh_l0.grad.numpy().T, atol=tol, rtol=tol)
    np.testing.assert_allclose(db, lstm.bias_ih_l0.grad.numpy(), atol=tol, rtol=tol)
    np.testing.assert_allclose(db, lstm.bias_hh_l0.grad.numpy(), atol=tol, rtol=tol)


@pytest.mark.parametrize("change, words", [
    (dict(x=np.zeros((3, 5))), "x must be a 3-D"),
    (dict(x=np.zeros((3, 0, 4))), "x must be a 3-D"),
    (dict(Wx=np.zeros((4, 10))), "Wx must have shape"),
    (dict(Wx=np.zeros((5, 24))), "Wx must have shape"),
    (dict(Wh=np.zeros((6, 6))), "Wh"),
    (dict(b=np.zeros(6)), "b"),
    (dict(h0=np.zeros((2, 6))), "h0"),
    (dict(c0=np.zeros((3, 5))), "c0"),
    (dict(x=np.full((3, 5, 4), np.nan)), "x must be finite"),
    (dict(b=np.array(["a"] * 24)), "b must hold real numbers"),
])
def test_bad_inputs(change, words):
    names = ("x", "h0", "c0", "Wx", "Wh", "b")
    args = dict(zip(names, make()))
    args.update(change)
    with pytest.raises(ValueError, match=words):
        lstm_forward(**args)


def test_bad_upstream_gradient():
    _, cache = lstm_forward(*make())
    with pytest.raises(ValueError, match="dh"):
        lstm_backward(np.zeros((3, 5, 5)), cache)
    with pytest.raises(ValueError, match="dc_T"):
        lstm_backward(np.zeros((3, 5, 6)), cache, dc_T=np.zeros((3, 5)))
    with pytest.raises(ValueError, match="x_t"):
        lstm_step(np.zeros(4), *make()[1:])
