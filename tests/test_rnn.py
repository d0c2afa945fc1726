"""nnbook.rnn: the forward pass against the article's column form, BPTT against central
differences (and torch when installed), the Jacobian norms of the vanishing/exploding
chapter, the spectral-radius helper, the small regression model, and bad inputs."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.activations import sigmoid_grad, tanh_grad
from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.rnn import (
    clip_grad_norm,
    hidden_state_jacobian_norms,
    init_rnn_params,
    rnn_backward,
    rnn_forward,
    rnn_regression_loss_and_grads,
    scale_to_spectral_radius,
    spectral_radius,
    train_rnn,
)

TOL = 1e-7
ACTS = {"tanh": np.tanh, "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z))}


def make(N=3, T=5, D=4, H=6, seed=0, scale=0.5):
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((N, T, D)),
        rng.standard_normal((N, H)),
        scale * rng.standard_normal((D, H)),
        scale * rng.standard_normal((H, H)),
        scale * rng.standard_normal(H),
    )


# ---- forward ----------------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_forward_matches_the_articles_column_form(activation):
    x, h0, Wx, Wh, b = make()
    h, _ = rnn_forward(x, h0, Wx, Wh, b, activation)
    W_h, W_x = Wh.T, Wx.T  # the article's matrices act on column vectors
    for n in range(x.shape[0]):
        h_t = h0[n]
        for t in range(x.shape[1]):
            h_t = ACTS[activation](W_h @ h_t + W_x @ x[n, t] + b)
            np.testing.assert_allclose(h[n, t], h_t, rtol=1e-13, atol=1e-14)


def test_default_activation_is_tanh_and_sequences_are_independent():
    x, h0, Wx, Wh, b = make(N=4)
    h, _ = rnn_forward(x, h0, Wx, Wh, b)
    np.testing.assert_array_equal(h, rnn_forward(x, h0, Wx, Wh, b, "tanh")[0])
    h_one, _ = rnn_forward(x[2:3], h0[2:3], Wx, Wh, b)
    np.testing.assert_allclose(h_one[0], h[2], rtol=1e-14)


def test_float32_stays_float32():
    x, h0, Wx, Wh, b = (a.astype(np.float32) for a in make())
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    assert h.dtype == np.float32
    assert all(g.dtype == np.float32 for g in rnn_backward(np.ones_like(h), cache))


# ---- BPTT ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("N, T, D, H", [(3, 5, 4, 6), (1, 1, 2, 3), (2, 8, 3, 4)])
def test_backward_matches_numerical_gradient(activation, N, T, D, H):
    x, h0, Wx, Wh, b = make(N, T, D, H, seed=T)
    h, cache = rnn_forward(x, h0, Wx, Wh, b, activation)
    dh = np.random.default_rng(1).standard_normal(h.shape)  # a loss reading every h_t
    grads = rnn_backward(dh, cache)
    loss = lambda _: np.sum(rnn_forward(x, h0, Wx, Wh, b, activation)[0] * dh)
    for name, array, grad in zip(["x", "h0", "Wx", "Wh", "b"], (x, h0, Wx, Wh, b), grads):
        assert grad.shape == array.shape, name
        assert rel_error(grad, numerical_gradient(loss, array)) < TOL, name


def test_backward_with_loss_on_last_state_only():
    x, h0, Wx, Wh, b = make(T=7)
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    dh = np.zeros_like(h)
    dh[:, -1] = 1.0
    dx, dh0, *_ = rnn_backward(dh, cache)
    loss = lambda _: np.sum(rnn_forward(x, h0, Wx, Wh, b)[0][:, -1])
    assert rel_error(dx, numerical_gradient(loss, x)) < TOL
    assert rel_error(dh0, numerical_gradient(loss, h0)) < TOL
    assert np.all(dx[:, 0] != 0)  # the gradient reaches the first step through time


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_forward_and_backward_match_torch(activation):
    torch = pytest.importorskip("torch")
    x, h0, Wx, Wh, b = make(N=4, T=6, D=3, H=5)
    h, cache = rnn_forward(x, h0, Wx, Wh, b, activation)
    dh = np.random.default_rng(2).standard_normal(h.shape)
    grads = rnn_backward(dh, cache)
    tensors = [torch.tensor(a, requires_grad=True) for a in (x, h0, Wx, Wh, b)]
    tx, th0, tWx, tWh, tb = tensors
    act = torch.tanh if activation == "tanh" else torch.sigmoid
    states, h_t = [], th0
    for t in range(x.shape[1]):
        h_t = act(tx[:, t] @ tWx + h_t @ tWh + tb)
        states.append(h_t)
    th = torch.stack(states, dim=1)
    th.backward(torch.tensor(dh))
    np.testing.assert_allclose(h, th.detach().numpy(), rtol=1e-12, atol=1e-14)
    for ours, theirs in zip(grads, tensors):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-10, atol=1e-13)
    if activation == "tanh":  # torch.nn.RNN is the column form: weight_hh = W_h = Wh.T
        rnn = torch.nn.RNN(3, 5, batch_first=True, dtype=torch.float64)
        with torch.no_grad():
            rnn.weight_ih_l0.copy_(torch.tensor(Wx.T))
            rnn.weight_hh_l0.copy_(torch.tensor(Wh.T))
            rnn.bias_ih_l0.copy_(torch.tensor(b))
            rnn.bias_hh_l0.zero_()
            out, _ = rnn(torch.tensor(x), torch.tensor(h0)[None])
        np.testing.assert_allclose(h, out.numpy(), rtol=1e-12, atol=1e-14)


# ---- the fast path against the textbook loop -------------------------------------------------
# rnn_forward/rnn_backward work time-major with preallocated arrays and in-place updates, and take
# act'(z_t) from h_t; this is the plain batch-major version of the same formulas.

def textbook_rnn(x, h0, Wx, Wh, b, dh, activation):
    act, act_grad = ACTS[activation], {"tanh": tanh_grad, "sigmoid": sigmoid_grad}[activation]
    N, T, _ = x.shape
    z, h = np.zeros((N, T, len(b))), np.zeros((N, T, len(b)))
    h_prev = h0
    for t in range(T):
        z[:, t] = x[:, t] @ Wx + h_prev @ Wh + b
        h[:, t] = h_prev = act(z[:, t])
    grads = [np.zeros_like(a) for a in (x, h0, Wx, Wh, b)]
    dx, dh0, dWx, dWh, db = grads
    dh_next = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        dz = (dh[:, t] + dh_next) * act_grad(z[:, t])
        dx[:, t] = dz @ Wx.T
        dWx += x[:, t].T @ dz
        dWh += (h[:, t - 1] if t > 0 else h0).T @ dz
        db += dz.sum(axis=0)
        dh_next = dz @ Wh.T
    dh0[...] = dh_next
    return z, h, grads


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("N, T, D, H", [(3, 5, 4, 6), (1, 1, 2, 3), (4, 9, 3, 5)])
def test_fast_path_matches_the_textbook_loop(activation, N, T, D, H):
    x, h0, Wx, Wh, b = make(N, T, D, H, seed=N + T)
    dh = np.random.default_rng(8).standard_normal((N, T, H))
    z_ref, h_ref, grads_ref = textbook_rnn(x, h0, Wx, Wh, b, dh, activation)
    h, cache = rnn_forward(x, h0, Wx, Wh, b, activation)
    assert h.shape == cache["h"].shape == cache["z"].shape == (N, T, H)
    np.testing.assert_allclose(h, h_ref, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(cache["z"], z_ref, rtol=1e-13, atol=1e-14)
    for name, ours, ref in zip(["dx", "dh0", "dWx", "dWh", "db"], rnn_backward(dh, cache), grads_ref):
        assert ours.shape == ref.shape, name
        np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-13, err_msg=name)


def test_act_grad_from_the_state_equals_act_grad_of_z():
    from nnbook.rnn import _act_grad_from_output

    x, h0, Wx, Wh, b = make(N=4, T=7, scale=2.0)
    for activation, act_grad in (("tanh", tanh_grad), ("sigmoid", sigmoid_grad)):
        _, cache = rnn_forward(x, h0, Wx, Wh, b, activation)
        np.testing.assert_array_equal(_act_grad_from_output(activation, cache["h"]), act_grad(cache["z"]))


def test_any_memory_layout_of_the_inputs():
    x, h0, Wx, Wh, b = make(N=3, T=4, D=2, H=5)
    dh = np.random.default_rng(9).standard_normal((3, 4, 5))
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    grads = rnn_backward(dh, cache)
    # the same numbers from Fortran-ordered arrays and strided views
    F = np.asfortranarray
    x_view = np.ascontiguousarray(x.transpose(1, 0, 2)).transpose(1, 0, 2)
    h2, cache2 = rnn_forward(x_view, F(h0), F(Wx), F(Wh), b[::-1].copy()[::-1])
    np.testing.assert_allclose(h2, h, rtol=1e-14)
    for ours, ref in zip(rnn_backward(F(dh), cache2), grads):
        np.testing.assert_allclose(ours, ref, rtol=1e-13, atol=1e-15)


# ---- ‖∂h_T/∂h_t‖ -------------------------------------------------------------------------------

def numerical_state_jacobian(x, h_t, t, Wx, Wh, b, activation, eps=1e-6):
    """∂h_T/∂h_t by central differences: rerun the RNN from h_t on the remaining inputs."""
    H = h_t.shape[0]
    J = np.zeros((H, H))
    for j in range(H):
        e = np.zeros(H)
        e[j] = eps
        plus = rnn_forward(x[None, t:], (h_t + e)[None], Wx, Wh, b, activation)[0][0, -1]
        minus = rnn_forward(x[None, t:], (h_t - e)[None], Wx, Wh, b, activation)[0][0, -1]
        J[:, j] = (plus - minus) / (2 * eps)
    return J


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
@pytest.mark.parametrize("ord", [2, "fro"])
def test_jacobian_norms_match_finite_differences(activation, ord):
    x, h0, Wx, Wh, b = make(N=2, T=6, D=3, H=4, scale=1.0)
    h, cache = rnn_forward(x, h0, Wx, Wh, b, activation)
    norms = hidden_state_jacobian_norms(cache, ord=ord)
    assert norms.shape == (2, 7)
    states = np.concatenate([h0[:, None], h], axis=1)  # h_0 … h_T
    for n in range(2):
        for t in range(6):
            J = numerical_state_jacobian(x[n], states[n, t], t, Wx, Wh, b, activation)
            assert norms[n, t] == pytest.approx(np.linalg.norm(J, ord), rel=1e-6)
    assert np.allclose(norms[:, -1], 1.0 if ord == 2 else 2.0)  # ‖I‖: 1, or √H = 2


@pytest.mark.parametrize("rho", [0.5, 0.9, 1.0, 1.2])
def test_jacobian_norms_at_rest_are_powers_of_rho(rho):
    # x = 0, b = 0, h0 = 0: every z_t is 0, tanh'(0) = 1, so ∂h_T/∂h_t = (Whᵀ)^(T − t);
    # with Wh = ρ·(orthogonal matrix) its spectral norm is exactly ρ^(T − t).
    H, T = 5, 12
    Q, _ = np.linalg.qr(np.random.default_rng(3).standard_normal((H, H)))
    Wh = rho * Q
    _, cache = rnn_forward(np.zeros((1, T, 2)), np.zeros((1, H)), np.ones((2, H)), Wh, np.zeros(H))
    norms = hidden_state_jacobian_norms(cache)[0]
    np.testing.assert_allclose(norms, rho ** (T - np.arange(T + 1)), rtol=1e-10)


def test_sigmoid_jacobians_vanish_faster_than_tanh():
    x, h0, Wx, Wh, b = make(N=4, T=20, D=3, H=8, scale=0.2)
    Wh = scale_to_spectral_radius(Wh, 1.0)
    n_tanh = hidden_state_jacobian_norms(rnn_forward(x, h0, Wx, Wh, b, "tanh")[1])
    n_sig = hidden_state_jacobian_norms(rnn_forward(x, h0, Wx, Wh, b, "sigmoid")[1])
    assert np.all(n_sig[:, 0] < n_tanh[:, 0])
    assert np.all(n_sig[:, 0] < 0.25 ** 20 * np.linalg.norm(Wh, 2) ** 20 * 1.0001)  # |σ'| ≤ 1/4


# ---- spectral radius ------------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), H=st.integers(1, 10), rho=st.floats(0.01, 5.0))
def test_scale_to_spectral_radius(seed, H, rho):
    W = np.random.default_rng(seed).standard_normal((H, H))
    W2 = scale_to_spectral_radius(W, rho)
    assert spectral_radius(W2) == pytest.approx(rho, rel=1e-9)
    np.testing.assert_allclose(W2 / rho * spectral_radius(W), W, rtol=1e-10, atol=1e-12)


def test_spectral_radius_of_a_rotation_and_a_diagonal():
    c, s = np.cos(0.3), np.sin(0.3)
    assert spectral_radius(2 * np.array([[c, -s], [s, c]])) == pytest.approx(2.0)
    assert spectral_radius(np.diag([0.5, -3.0, 1.0])) == pytest.approx(3.0)


@pytest.mark.parametrize(
    "W, rho, pattern",
    [(np.ones((2, 3)), 1.0, "W must be"), (np.eye(2), -1.0, "rho"), (np.eye(2), np.nan, "rho"),
     (np.array([[0.0, 1.0], [0.0, 0.0]]), 1.0, "spectral radius 0")],
)
def test_scale_to_spectral_radius_bad_input(W, rho, pattern):
    with pytest.raises(ValueError, match=pattern):
        scale_to_spectral_radius(W, rho)


# ---- the small regression model ---------------------------------------------------------------

@pytest.mark.parametrize("per_step", [False, True])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_regression_grads_match_numerical_gradient(per_step, activation):
    rng = np.random.default_rng(4)
    params = init_rnn_params(3, 5, 2, rho=0.9, seed=1)
    params["b"] = rng.standard_normal(5) * 0.1
    params["by"] = rng.standard_normal(2) * 0.1
    x = rng.standard_normal((4, 6, 3))
    y = rng.standard_normal((4, 6, 2) if per_step else (4, 2))
    loss, grads = rnn_regression_loss_and_grads(params, x, y, activation)
    assert set(grads) == set(params)
    for key in params:
        f = lambda _: rnn_regression_loss_and_grads(params, x, y, activation)[0]
        assert rel_error(grads[key], numerical_gradient(f, params[key])) < TOL, key


def test_init_is_deterministic_and_scaled():
    a, b = init_rnn_params(3, 8, 1, rho=0.7, seed=5), init_rnn_params(3, 8, 1, rho=0.7, seed=5)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    assert spectral_radius(a["Wh"]) == pytest.approx(0.7)
    assert a["Wx"].shape == (3, 8) and a["Wy"].shape == (8, 1) and a["by"].shape == (1,)
    assert not np.array_equal(init_rnn_params(3, 8, 1, seed=6)["Wx"], a["Wx"])


def test_clip_grad_norm():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}  # global norm 5
    clipped, norm = clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(5.0)
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0])
    np.testing.assert_allclose(clipped["b"], [[0.8]])
    same, _ = clip_grad_norm(grads, 10.0)
    np.testing.assert_array_equal(same["a"], grads["a"])
    np.testing.assert_array_equal(grads["a"], [3.0, 0.0])  # the input is not modified
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm(grads, 0.0)


def test_train_rnn_learns_a_running_sum_and_clipping_bounds_steps():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((64, 8, 1))
    y = x.sum(axis=1) / np.sqrt(8)  # (N, 1): a sequence-to-one task
    params = init_rnn_params(1, 12, 1, rho=0.9, seed=0)
    before = {k: v.copy() for k, v in params.items()}
    trained, history = train_rnn(params, x, y, lr=0.2, epochs=150, clip=1.0)
    for key in params:
        np.testing.assert_array_equal(params[key], before[key])  # input not modified
    assert len(history["loss"]) == 151 and len(history["grad_norm"]) == 150
    assert history["loss"][-1] < 0.1 * history["loss"][0]
    step = np.sqrt(sum(np.sum((trained[k] - before[k]) ** 2) for k in params))
    assert step <= 0.2 * 1.0 * 150 + 1e-9  # each clipped step moves θ by at most η·clip
    again, history2 = train_rnn(params, x, y, lr=0.2, epochs=150, clip=1.0)
    assert history2["loss"] == history["loss"]  # same data, same numbers


# ---- bad inputs -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "index, bad, name",
    [
        (0, np.zeros((3, 4)), "x"),
        (1, np.zeros((3, 5)), "h0"),
        (1, np.zeros((2, 6)), "h0"),
        (2, np.zeros((5, 6)), "Wx"),
        (3, np.zeros((6, 5)), "Wh"),
        (3, np.zeros((6,)), "Wh"),
        (4, np.zeros((6, 1)), "b"),
    ],
)
def test_forward_bad_shapes(index, bad, name):
    args = list(make())
    args[index] = bad
    with pytest.raises(ValueError, match=rf"^{name} must"):
        rnn_forward(*args)


def test_bad_activation_and_dh():
    x, h0, Wx, Wh, b = make()
    with pytest.raises(ValueError, match="activation"):
        rnn_forward(x, h0, Wx, Wh, b, activation="relu")
    h, cache = rnn_forward(x, h0, Wx, Wh, b)
    with pytest.raises(ValueError, match="dh"):
        rnn_backward(h[:, :-1], cache)
    with pytest.raises(ValueError, match="ord"):
        hidden_state_jacobian_norms(cache, ord=1)


def test_regression_and_training_bad_input():
    params = init_rnn_params(2, 3, 1)
    x = np.zeros((4, 5, 2))
    with pytest.raises(ValueError, match="y must"):
        rnn_regression_loss_and_grads(params, x, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="params"):
        rnn_regression_loss_and_grads({k: v for k, v in params.items() if k != "Wy"}, x, np.zeros((4, 1)))
    for kwargs, name in [({"lr": -1.0}, "lr"), ({"epochs": -1}, "epochs"), ({"clip": 0.0}, "clip")]:
        args = {"lr": 0.1, "epochs": 1, **kwargs}
        with pytest.raises(ValueError, match=name):
            train_rnn(params, x, np.zeros((4, 1)), **args)
    with pytest.raises(ValueError, match="hidden_size"):
        init_rnn_params(2, 0, 1)
