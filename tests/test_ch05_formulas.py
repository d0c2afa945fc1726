"""The formulas of chapter 5 (vanishing gradients) that the text states and the package does not
compute by itself: the backward bound with L − 1 factors, the integrals of φ'², the large-spread
approximation of E[σ'(z)²], and the translation of the batch-norm momentum to PyTorch's.

Book: chapter 5, The backward pass is a product of per-layer factors; The sigmoid at Xavier's
scale, and with larger weights; Running statistics for inference.
"""
import numpy as np
import pytest

from nnbook import MLP, batchnorm_forward, make_moons, sigmoid_grad, tanh_grad

T = np.linspace(-60, 60, 240_001)


def test_integral_of_squared_derivatives():
    """∫σ'(t)² dt = ∫₀¹ u(1−u) du = 1/6 and ∫tanh'(t)² dt = ∫₋₁¹ (1−u²) du = 4/3."""
    assert np.trapezoid(sigmoid_grad(T) ** 2, T) == pytest.approx(1 / 6, abs=1e-10)
    assert np.trapezoid(tanh_grad(T) ** 2, T) == pytest.approx(4 / 3, abs=1e-10)
    # σ'(z) = tanh'(z/2)/4, so the two integrals are related: ∫σ'² = (1/16)·2·∫tanh'² = 1/6
    assert np.allclose(sigmoid_grad(T), tanh_grad(T / 2) / 4)


@pytest.mark.parametrize("s, tolerance", [(4, 0.05), (16, 0.005), (64, 5e-4)])
def test_expected_squared_sigmoid_slope_shrinks_like_one_over_s(s, tolerance):
    """E[σ'(z)²] ≈ 1/(6√(2π) s) for z ~ N(0, s²), better as s grows."""
    density = np.exp(-T ** 2 / (2 * s ** 2)) / (s * np.sqrt(2 * np.pi))
    exact = np.trapezoid(sigmoid_grad(T) ** 2 * density, T)
    assert exact == pytest.approx(1 / (6 * np.sqrt(2 * np.pi) * s), rel=tolerance)
    # and against a Monte Carlo estimate, independent of the quadrature
    z = np.random.default_rng(s).normal(0.0, s, 400_000)
    assert np.mean(sigmoid_grad(z) ** 2) == pytest.approx(exact, rel=0.02)


@pytest.mark.parametrize("init", ["xavier", 1.0, 4.0])
@pytest.mark.parametrize("seed", [0, 1])
def test_backward_bound_has_L_minus_1_factors(init, seed):
    """‖δ⁽¹⁾‖ ≤ (1/4)^(L−1) ∏_{l=2}^{L} ‖W⁽ˡ⁾‖₂ ‖δ⁽ᴸ⁾‖ per example, for the book's MLP (linear
    output layer); with one example, ∂J/∂b⁽ˡ⁾ = δ⁽ˡ⁾."""
    X, y = make_moons(20, noise=0.2, seed=seed)
    net = MLP([2] + [16] * 9 + [2], activation="sigmoid", init=init, seed=seed)
    L = net.n_layers
    bound = np.prod([np.linalg.norm(net.params[f"W{l}"], 2) / 4 for l in range(2, L + 1)])
    for k in range(len(X)):
        _, g = net.loss_and_grads(X[k:k + 1], y[k:k + 1])
        ratio = np.linalg.norm(g["b1"]) / np.linalg.norm(g[f"b{L}"])
        assert ratio <= bound * (1 + 1e-12)


def test_delta_recursion_is_chapter_3s():
    """δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾ᵀ) ⊙ σ'(z⁽ˡ⁾), read off the package's bias gradients (one example)."""
    X, y = make_moons(5, noise=0.2, seed=3)
    net = MLP([2, 16, 16, 16, 2], activation="sigmoid", seed=3)
    _, values = net.forward(X[:1], return_cache=True)
    _, g = net.loss_and_grads(X[:1], y[:1])
    for l in range(1, net.n_layers):
        expected = (g[f"b{l + 1}"] @ net.params[f"W{l + 1}"].T) * sigmoid_grad(values[f"z{l}"][0])
        assert np.allclose(g[f"b{l}"], expected, rtol=1e-10, atol=1e-15)


def test_batchnorm_momentum_matches_pytorch():
    """The package's momentum=0.9 (weight of the old value, biased variance) is PyTorch's
    momentum=0.1 (weight of the new batch), whose running variance is the unbiased one."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    n, d = 16, 3
    bn = torch.nn.BatchNorm1d(d, momentum=0.1, eps=1e-5, dtype=torch.float64)
    running = {"mean": np.zeros(d), "var": np.ones(d)}
    gamma, beta = np.ones(d), np.zeros(d)
    unbiased = np.ones(d)                    # the package's update, fed unbiased variances
    for _ in range(25):
        x = rng.normal(2.0, 3.0, (n, d))
        bn(torch.from_numpy(x))
        batchnorm_forward(x, gamma, beta, running=running, momentum=0.9)
        unbiased = 0.9 * unbiased + 0.1 * x.var(axis=0, ddof=1)
    assert np.allclose(bn.running_mean.numpy(), running["mean"], rtol=1e-12)
    assert np.allclose(bn.running_var.numpy(), unbiased, rtol=1e-12)
    assert not np.allclose(bn.running_var.numpy(), running["var"], rtol=1e-3)
