"""Residual blocks and ResidualMLP: gradient checks, identity with MLP without skips, chapter 5's measurement."""
import numpy as np
import pytest

from nnbook import MLP, make_moons
from nnbook.gradcheck import numerical_gradient, rel_error
from nnbook.residual import ResidualMLP, residual_backward, residual_forward


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_block_gradients(activation):
    rng = np.random.default_rng(0)
    h, W, b, dout = (rng.normal(size=s) for s in [(5, 4), (4, 4), (4,), (5, 4)])
    out, cache = residual_forward(h, W, b, activation)
    grads = residual_backward(dout, cache)
    for arr, g in zip((h, W, b), grads):
        f = lambda _: np.sum(residual_forward(h, W, b, activation)[0] * dout)
        assert rel_error(g, numerical_gradient(f, arr)) < 1e-7


def test_block_is_identity_plus_layer():
    rng = np.random.default_rng(1)
    h, W, b = rng.normal(size=(3, 2)), rng.normal(size=(2, 2)), rng.normal(size=2)
    out, _ = residual_forward(h, W, b, "tanh")
    assert np.allclose(out, h + np.tanh(h @ W + b))


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
@pytest.mark.parametrize("residual", [False, True])
def test_mlp_gradients(activation, residual):
    X, y = make_moons(12, noise=0.2, seed=0)
    model = ResidualMLP([2, 5, 5, 5, 3], activation, residual=residual, seed=1, branch_scale=0.7)
    _, grads = model.loss_and_grads(X, y)
    for key, arr in model.params.items():
        f = lambda _: model.loss_and_grads(X, y)[0]
        assert rel_error(grads[key], numerical_gradient(f, arr)) < 1e-6, key


def test_without_skips_it_is_chapter_5s_mlp():
    X, y = make_moons(40, noise=0.2, seed=0)
    sizes = [2] + [8] * 5 + [2]
    plain, res = MLP(sizes, activation="sigmoid", seed=3), ResidualMLP(sizes, "sigmoid", residual=False, seed=3)
    J1, g1 = plain.loss_and_grads(X, y)
    J2, g2 = res.loss_and_grads(X, y)
    assert J1 == pytest.approx(J2) and all(np.allclose(g1[k], g2[k]) for k in g1)
    assert np.allclose(plain.forward(X), res.forward(X))
    assert res.n_blocks == 0 and ResidualMLP(sizes, "sigmoid").n_blocks == 4


def test_skips_stop_the_sigmoid_gradient_from_vanishing():
    X, y = make_moons(100, noise=0.2, seed=0)
    sizes = [2] + [16] * 29 + [2]
    plain = ResidualMLP(sizes, "sigmoid", residual=False).grad_norms(X, y)
    skip = ResidualMLP(sizes, "sigmoid", residual=True).grad_norms(X, y)
    assert plain[0] < 1e-12 < 0.01 < skip[0]


def test_second_moments_relu_skips_grow_more_than_doubling():
    """Nonnegative branch on a nonnegative input: the cross term makes the factor exceed 2;
    1/sqrt(blocks) slows the growth but does not bound it by e (chapter 11)."""
    X, _ = make_moons(100, noise=0.2, seed=0)
    sizes = [2] + [16] * 29 + [2]
    plain = ResidualMLP(sizes, "relu", residual=False).second_moments(X)
    assert plain.shape == (30,) and plain[0] == pytest.approx(np.mean(X ** 2))
    for seed in (0, 1):
        m2 = ResidualMLP(sizes, "relu", seed=seed).second_moments(X)[1:]
        factor = np.exp(np.mean(np.log(m2[1:] / m2[:-1])))
        assert factor > 2.2
        scaled = ResidualMLP(sizes, "relu", seed=seed, branch_scale=1 / np.sqrt(28))
        s2 = scaled.second_moments(X)[1:]
        assert 1.0 < np.exp(np.mean(np.log(s2[1:] / s2[:-1]))) < 1.5
        assert s2[-1] / s2[0] > 10 * np.e


def test_bad_inputs():
    with pytest.raises(ValueError, match="residual must be"):
        ResidualMLP([2, 3, 2], residual="yes")
    with pytest.raises(ValueError, match="branch_scale"):
        ResidualMLP([2, 3, 2], branch_scale=0)
    with pytest.raises(ValueError, match="W must have shape"):
        residual_forward(np.ones((2, 3)), np.ones((3, 2)), np.ones(3))
    with pytest.raises(ValueError, match="X must have shape"):
        ResidualMLP([2, 3, 2]).forward(np.ones((4, 3)))
