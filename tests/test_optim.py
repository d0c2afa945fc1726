"""Tests for nnbook.optim: the gradient-descent update w ← w − η∇J and its momentum variant."""
import numpy as np
import pytest

from nnbook.optim import momentum_step, sgd_step


def test_sgd_step_hand_example_in_place():
    W = np.array([1.0, 2.0])
    alias = W
    params = {"W": W, "b": np.array([0.0])}
    sgd_step(params, {"W": np.array([0.5, -1.0]), "b": np.array([2.0])}, lr=0.1)
    np.testing.assert_allclose(params["W"], [0.95, 2.1])
    np.testing.assert_allclose(params["b"], [-0.2])
    assert params["W"] is alias  # updated in place, not replaced


def test_sgd_lr_zero_changes_nothing():
    params = {"W": np.array([1.0, 2.0])}
    sgd_step(params, {"W": np.array([5.0, 5.0])}, lr=0.0)
    np.testing.assert_array_equal(params["W"], [1.0, 2.0])


def test_gradient_descent_on_a_quadratic():
    # J(w) = ||w − c||², ∇J = 2 (w − c): each step multiplies w − c by exactly (1 − 2η)
    c = np.array([1.0, -2.0, 0.5])
    params = {"w": np.zeros(3)}
    lr = 0.1
    sgd_step(params, {"w": 2 * (params["w"] - c)}, lr)
    np.testing.assert_allclose(params["w"] - c, (1 - 2 * lr) * (0 - c))
    for _ in range(200):
        sgd_step(params, {"w": 2 * (params["w"] - c)}, lr)
    np.testing.assert_allclose(params["w"], c, atol=1e-12)


@pytest.mark.parametrize("lr", [-0.1, float("nan"), float("inf"), "0.1", None])
def test_bad_lr(lr):
    with pytest.raises(ValueError, match="lr"):
        sgd_step({"W": np.ones(2)}, {"W": np.ones(2)}, lr)


def test_bad_keys_shapes_and_params():
    with pytest.raises(ValueError, match=r"grads must have the same keys.*missing \['b'\]"):
        sgd_step({"W": np.ones(2), "b": np.ones(1)}, {"W": np.ones(2)}, 0.1)
    with pytest.raises(ValueError, match=r"unexpected \['c'\]"):
        sgd_step({"W": np.ones(2)}, {"W": np.ones(2), "c": np.ones(2)}, 0.1)
    with pytest.raises(ValueError, match=r"grads\['W'\] must have the shape"):
        sgd_step({"W": np.ones(2)}, {"W": np.ones(3)}, 0.1)
    with pytest.raises(ValueError, match=r"params\['W'\] must be a floating-point"):
        sgd_step({"W": np.ones(2, dtype=int)}, {"W": np.ones(2)}, 0.1)


def test_momentum_step():
    g = {"w": np.array([1.0, -2.0])}
    params, velocity = {"w": np.zeros(2)}, {}
    momentum_step(params, g, velocity, lr=0.1, beta=0.5)
    np.testing.assert_allclose(velocity["w"], [-0.1, 0.2])  # v1 = −η g
    momentum_step(params, g, velocity, lr=0.1, beta=0.5)
    np.testing.assert_allclose(velocity["w"], [-0.15, 0.3])  # v2 = β v1 − η g
    np.testing.assert_allclose(params["w"], [-0.25, 0.5])  # w = v1 + v2


def test_momentum_with_beta_zero_is_sgd():
    g = {"w": np.array([0.3, -0.7])}
    a, b = {"w": np.array([1.0, 2.0])}, {"w": np.array([1.0, 2.0])}
    momentum_step(a, g, {}, lr=0.2, beta=0.0)
    sgd_step(b, g, lr=0.2)
    np.testing.assert_allclose(a["w"], b["w"])


def test_momentum_bad_beta():
    with pytest.raises(ValueError, match="beta"):
        momentum_step({"w": np.ones(2)}, {"w": np.ones(2)}, {}, lr=0.1, beta=1.0)


# ------------------------------------------------------------------ RMSProp and Adam (chapter 8)
import inspect  # noqa: E402

from nnbook import optim  # noqa: E402
from nnbook.optim import adam_step, get_optimizer, rmsprop_step  # noqa: E402


def test_rmsprop_two_hand_steps():
    # s1 = (1 − ρ) g², w1 = w0 − η g/(√s1 + ε); with ρ = 0.5: s1 = g²/2
    params, state = {"w": np.array([1.0, -1.0])}, {}
    g = {"w": np.array([2.0, -0.5])}
    rmsprop_step(params, g, state, lr=0.1, rho=0.5, eps=0.0 + 1e-12)
    s1 = 0.5 * np.array([4.0, 0.25])
    np.testing.assert_allclose(state["s"]["w"], s1)
    w1 = np.array([1.0, -1.0]) - 0.1 * g["w"] / np.sqrt(s1)
    np.testing.assert_allclose(params["w"], w1)  # = w0 − η √2 sign(g)
    rmsprop_step(params, g, state, lr=0.1, rho=0.5, eps=1e-12)
    s2 = 0.5 * s1 + 0.5 * g["w"] ** 2
    np.testing.assert_allclose(state["s"]["w"], s2)
    np.testing.assert_allclose(params["w"], w1 - 0.1 * g["w"] / np.sqrt(s2))


def test_adam_hand_steps_and_bias_correction():
    # t = 1: m = (1 − β₁) g, v = (1 − β₂) g², m̂ = g, v̂ = g², step = −η g/(|g| + ε) ≈ −η sign(g)
    params, state = {"w": np.array([3.0, 3.0, 3.0])}, {}
    g = {"w": np.array([10.0, -1e-3, 0.0])}
    adam_step(params, g, state, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    assert state["t"] == 1
    np.testing.assert_allclose(state["m"]["w"], 0.1 * g["w"])
    np.testing.assert_allclose(state["v"]["w"], 0.001 * g["w"] ** 2)
    expected = 3.0 - 0.01 * g["w"] / (np.abs(g["w"]) + 1e-8)
    np.testing.assert_allclose(params["w"], expected, rtol=1e-12)
    # t = 2 with a new gradient, written out
    g2 = {"w": np.array([-2.0, 5.0, 1.0])}
    adam_step(params, g2, state, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    m = 0.9 * 0.1 * g["w"] + 0.1 * g2["w"]
    v = 0.999 * 0.001 * g["w"] ** 2 + 0.001 * g2["w"] ** 2
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.999**2)
    np.testing.assert_allclose(params["w"], expected - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-12)
    assert state["t"] == 2


def test_adam_and_rmsprop_keep_float32_and_update_in_place():
    for step, kw in ((adam_step, {}), (rmsprop_step, {})):
        W = np.ones((2, 3), dtype=np.float32)
        params, state = {"W": W}, {}
        step(params, {"W": np.full((2, 3), 0.5, dtype=np.float32)}, state, 1e-2, **kw)
        assert params["W"] is W and W.dtype == np.float32
        assert all(a.dtype == np.float32 for d in state.values() if isinstance(d, dict) for a in d.values())


def test_adam_zero_gradient_and_huge_gradient_stay_finite():
    params, state = {"w": np.array([1.0, 2.0])}, {}
    for g in ([0.0, 0.0], [1e150, -1e150], [0.0, 1e-300]):
        adam_step(params, {"w": np.array(g)}, state, lr=0.1)
        assert np.all(np.isfinite(params["w"]))
    rms = {"w": np.array([1.0])}
    rmsprop_step(rms, {"w": np.array([0.0])}, {}, lr=0.1)
    np.testing.assert_array_equal(rms["w"], [1.0])


def _torch_reference(torch_opt, make, steps=5, seed=0, dtype=np.float64):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    shapes = {"W1": (4, 3), "b1": (3,), "W2": (3, 2)}
    init = {k: rng.normal(size=s).astype(dtype) for k, s in shapes.items()}
    grads = [{k: (rng.normal(size=s) * 10.0 ** rng.integers(-3, 3)).astype(dtype) for k, s in shapes.items()}
             for _ in range(steps)]
    tparams = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in init.items()}
    opt = torch_opt(torch, list(tparams.values()))
    params, state = {k: v.copy() for k, v in init.items()}, {}
    for g in grads:
        for k, p in tparams.items():
            p.grad = torch.tensor(g[k])
        opt.step()
        make(params, g, state)
        for k in shapes:
            np.testing.assert_allclose(params[k], tparams[k].detach().numpy(),
                                       rtol=1e-12 if dtype == np.float64 else 2e-6, atol=1e-14)
    return state


@pytest.mark.parametrize("betas,eps,lr", [((0.9, 0.999), 1e-8, 1e-2), ((0.5, 0.9), 1e-3, 0.3), ((0.0, 0.0), 1e-8, 0.1)])
def test_adam_matches_torch(betas, eps, lr):
    state = _torch_reference(
        lambda torch, ps: torch.optim.Adam(ps, lr=lr, betas=betas, eps=eps, foreach=False),
        lambda p, g, s: adam_step(p, g, s, lr, beta1=betas[0], beta2=betas[1], eps=eps),
    )
    assert state["t"] == 5


@pytest.mark.parametrize("rho,eps,lr", [(0.99, 1e-8, 1e-2), (0.5, 1e-3, 0.3)])
def test_rmsprop_matches_torch(rho, eps, lr):
    _torch_reference(
        lambda torch, ps: torch.optim.RMSprop(ps, lr=lr, alpha=rho, eps=eps, foreach=False),
        lambda p, g, s: rmsprop_step(p, g, s, lr, rho=rho, eps=eps),
    )


def test_momentum_matches_torch_sgd_momentum():
    _torch_reference(
        lambda torch, ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8),
        lambda p, g, s: optim.momentum_step(p, g, s, 0.05, beta=0.8),
    )


def test_adam_float32_matches_torch():
    _torch_reference(
        lambda torch, ps: torch.optim.Adam(ps, lr=1e-2, foreach=False),
        lambda p, g, s: adam_step(p, g, s, 1e-2), dtype=np.float32,
    )


@pytest.mark.parametrize("kwargs,name", [
    ({"lr": -1.0}, "lr"), ({"lr": float("nan")}, "lr"), ({"beta1": 1.0}, "beta1"), ({"beta1": -0.1}, "beta1"),
    ({"beta2": 1.5}, "beta2"), ({"eps": 0.0}, "eps"), ({"eps": -1e-8}, "eps"), ({"beta2": "0.9"}, "beta2"),
])
def test_adam_bad_hyperparameters(kwargs, name):
    args = {"lr": 0.1, **kwargs}
    with pytest.raises(ValueError, match=name):
        adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, {}, **args)


@pytest.mark.parametrize("kwargs,name", [({"lr": -1.0}, "lr"), ({"rho": 1.0}, "rho"), ({"eps": 0.0}, "eps")])
def test_rmsprop_bad_hyperparameters(kwargs, name):
    args = {"lr": 0.1, **kwargs}
    with pytest.raises(ValueError, match=name):
        rmsprop_step({"w": np.ones(2)}, {"w": np.ones(2)}, {}, **args)


def test_adam_bad_state():
    with pytest.raises(ValueError, match=r"state\['t'\]"):
        adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, {"t": -1}, 0.1)
    with pytest.raises(ValueError, match=r"state\['m'\]\['w'\] must have shape"):
        adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, {"m": {"w": np.ones(3)}}, 0.1)
    with pytest.raises(ValueError, match="state must be a dict"):
        adam_step({"w": np.ones(2)}, {"w": np.ones(2)}, None, 0.1)
    with pytest.raises(ValueError, match=r"grads must have the same keys"):
        adam_step({"w": np.ones(2)}, {"v": np.ones(2)}, {}, 0.1)


@pytest.mark.parametrize("name", ["sgd", "momentum", "rmsprop", "adam", "Adam"])
def test_get_optimizer_matches_the_step_functions(name):
    rng = np.random.default_rng(1)
    w0 = rng.normal(size=(3, 2))
    grads = [{"W": rng.normal(size=(3, 2))} for _ in range(3)]
    a, b = {"W": w0.copy()}, {"W": w0.copy()}
    step, state, ref_state = get_optimizer(name), {}, {}
    for g in grads:
        step(a, g, state, 0.05)
        {"sgd": lambda: optim.sgd_step(b, g, 0.05),
         "momentum": lambda: optim.momentum_step(b, g, ref_state, 0.05),
         "rmsprop": lambda: rmsprop_step(b, g, ref_state, 0.05),
         "adam": lambda: adam_step(b, g, ref_state, 0.05)}[name.lower()]()
    np.testing.assert_array_equal(a["W"], b["W"])
    assert not np.allclose(a["W"], w0)


def test_get_optimizer_passes_options_and_rejects_unknown_ones():
    step = get_optimizer("momentum")
    p1, p2 = {"w": np.ones(2)}, {"w": np.ones(2)}
    g = {"w": np.array([1.0, -1.0])}
    s1, s2 = {}, {}
    for _ in range(2):
        step(p1, g, s1, 0.1, beta=0.5)
        optim.momentum_step(p2, g, s2, 0.1, beta=0.5)
    np.testing.assert_array_equal(p1["w"], p2["w"])
    with pytest.raises(ValueError, match=r"optimizer_options \['beta1'\].*'momentum'"):
        step(p1, g, s1, 0.1, beta1=0.5)
    with pytest.raises(ValueError, match=r"\['beta'\].*'sgd'"):
        get_optimizer("sgd")(p1, g, {}, 0.1, beta=0.5)
    with pytest.raises(ValueError, match="beta2"):
        get_optimizer("adam")(p1, g, {}, 0.1, beta2=1.0)


@pytest.mark.parametrize("bad", ["adagrad", "", None, 3, "sgd "])
def test_get_optimizer_bad_name(bad):
    with pytest.raises(ValueError, match="optimizer must be one of"):
        get_optimizer(bad)


def test_get_optimizer_accepts_a_user_callable_and_checks_its_signature():
    def halve(params, grads, state, lr, **options):
        for k in params:
            params[k] *= 0.5

    assert get_optimizer(halve) is halve
    with pytest.raises(ValueError, match="callable must accept"):
        get_optimizer(lambda params, grads: None)


def test_docstrings_cite_the_chapters():
    assert "chapter 8" in inspect.getdoc(optim.momentum_step)
    assert "chapter 6" in inspect.getdoc(optim.momentum_step)
    assert "chapter 3" not in inspect.getdoc(optim.momentum_step).split("Book:")[1]
    for f in (adam_step, rmsprop_step, get_optimizer):
        assert "Book: chapter 8" in inspect.getdoc(f)
    assert "Book: chapter 3" in inspect.getdoc(optim.sgd_step)


def test_adam_without_bias_correction_steps_with_m_and_v_themselves():
    params, state = {"w": np.array([0.0, 0.0])}, {}
    g = {"w": np.array([2.0, -0.5])}
    adam_step(params, g, state, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=False)
    m, v = 0.1 * g["w"], 0.001 * g["w"] ** 2
    np.testing.assert_allclose(params["w"], -0.1 * m / (np.sqrt(v) + 1e-8))
    # the uncorrected first step is (1 − β₁)/√(1 − β₂) ≈ 3.16 times the corrected one
    np.testing.assert_allclose(np.abs(params["w"]), 0.1 * 0.1 / np.sqrt(0.001), rtol=1e-6)
    with pytest.raises(ValueError, match="bias_correction"):
        adam_step(params, g, state, 0.1, bias_correction="no")
    get_optimizer("adam")(params, g, {}, 0.1, bias_correction=False)  # an option of "adam"


def test_get_optimizer_state_layout_is_as_documented():
    g = {"w": np.ones(2)}
    for name, keys in [("sgd", set()), ("momentum", {"velocity"}), ("rmsprop", {"s"}),
                       ("adam", {"t", "m", "v"})]:
        state = {}
        get_optimizer(name)({"w": np.zeros(2)}, g, state, 0.1)
        assert set(state) == keys


@pytest.mark.parametrize("name", ["sgd", "momentum", "rmsprop", "adam"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, "x"])
def test_non_finite_or_non_numeric_gradients_are_refused(name, bad):
    params = {"W": np.ones((2, 2))}
    grads = {"W": np.array([[1.0, 2.0], [3.0, 4.0]], dtype=object)}
    grads["W"][0, 1] = bad
    if bad != "x":
        grads["W"] = grads["W"].astype(float)
    with pytest.raises(ValueError, match=r"grads\['W'\]"):
        get_optimizer(name)(params, grads, {}, 0.1)
    assert np.array_equal(params["W"], np.ones((2, 2)))
