"""nnbook.conv: 1-D convolution against numpy, the Riemann sum of the integral, conv2d against
a loop reference (and torch when installed), gradient checks, pooling, and bad inputs."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.conv import (
    avgpool_backward,
    avgpool_forward,
    conv2d_backward,
    conv2d_forward,
    conv2d_true,
    conv_output_size,
    convolve,
    convolve_integral,
    flatten_backward,
    flatten_forward,
    flip_kernel,
    maxpool_backward,
    maxpool_forward,
)
from nnbook.gradcheck import numerical_gradient, rel_error

TOL = 1e-7


# ---- references written with plain loops ----------------------------------------------------

def conv2d_loops(x, w, b, stride, padding):
    """Cross-correlation, one output pixel at a time."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    rows = [r for r in range(xp.shape[2]) if r * stride + kh <= xp.shape[2]]
    cols = [s for s in range(xp.shape[3]) if s * stride + kw <= xp.shape[3]]
    out = np.zeros((n, f, len(rows), len(cols)))
    for i in range(n):
        for j in range(f):
            for r in rows:
                for s in cols:
                    patch = xp[i, :, r * stride : r * stride + kh, s * stride : s * stride + kw]
                    out[i, j, r, s] = np.sum(patch * w[j]) + b[j]
    return out


def pool_loops(x, size, stride, reduce):
    n, c, h, w = x.shape
    oh, ow = (h - size) // stride + 1, (w - size) // stride + 1
    out = np.zeros((n, c, oh, ow))
    for r in range(oh):
        for s in range(ow):
            window = x[:, :, r * stride : r * stride + size, s * stride : s * stride + size]
            out[:, :, r, s] = reduce(window, axis=(2, 3))
    return out


def distinct_values(shape, rng):
    """Entries at least 0.01 apart, so a max never changes under a 1e-6 perturbation."""
    return (rng.permutation(np.prod(shape)) * 0.01 - 1.0).reshape(shape)


# ---- 1-D: convolve ---------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(
    m=st.integers(1, 40),
    k=st.integers(1, 40),
    mode=st.sampled_from(["full", "same", "valid"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_convolve_agrees_with_numpy(m, k, mode, seed):
    rng = np.random.default_rng(seed)
    f, g = rng.standard_normal(m), rng.standard_normal(k)
    ours, ref = convolve(f, g, mode), np.convolve(f, g, mode)
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12)


def test_convolve_integers_exact_and_commutative():
    f, g = [1, 2, 3, 4], [1, -1, 2]
    np.testing.assert_array_equal(convolve(f, g), np.convolve(f, g))
    np.testing.assert_array_equal(convolve(f, g), convolve(g, f))
    # by hand: (1, 2, 3, 4) * (1, −1, 2)
    np.testing.assert_array_equal(convolve(f, g), [1, 1, 3, 5, 2, 8])


@pytest.mark.parametrize(
    "f, g, mode, name",
    [
        (np.ones((2, 2)), np.ones(2), "full", "f"),
        (np.ones(3), np.array([]), "full", "g"),
        (np.ones(3), np.ones(2), "middle", "mode"),
    ],
)
def test_convolve_bad_input(f, g, mode, name):
    with pytest.raises(ValueError, match=name):
        convolve(f, g, mode)


# ---- the continuous integral as a Riemann sum -----------------------------------------------

def box(t):
    return ((t >= 0) & (t < 1)).astype(float)


def triangle(t):  # box * box
    return np.maximum(0.0, 1.0 - np.abs(t - 1.0))


def gaussian(sigma):
    return lambda t: np.exp(-t**2 / (2 * sigma**2)) / np.sqrt(2 * np.pi * sigma**2)


def test_riemann_sum_grid_by_hand():
    # τ = 0, 0.25, 0.5, 0.75, 1 (both ends included): n_f = n_g = 5 samples of the constant 1
    one = lambda s: np.ones_like(s)
    t, values = convolve_integral(one, one, 0.25, support=(0.0, 1.0))
    np.testing.assert_allclose(t, np.arange(9) * 0.25)
    np.testing.assert_allclose(values, 0.25 * np.array([1, 2, 3, 4, 5, 4, 3, 2, 1]))


def test_riemann_sum_of_box_converges_like_dt():
    errors = []
    for dt in [0.1, 0.05, 0.025, 0.0125]:
        t, values = convolve_integral(box, box, dt, support=(-1.0, 2.0))
        assert t[0] == pytest.approx(-2.0) and np.allclose(np.diff(t), dt)
        errors.append(np.max(np.abs(values - triangle(t))))
    errors = np.array(errors)
    assert np.all(errors <= 2 * np.array([0.1, 0.05, 0.025, 0.0125]))
    ratios = errors[:-1] / errors[1:]
    assert np.all((ratios > 1.5) & (ratios < 2.5)), ratios  # first order: halving dt halves the error


def test_riemann_sum_of_gaussians_is_a_gaussian():
    # N(0, 1) * N(0, 0.25) = N(0, 1.25): variances add
    errors = []
    for dt in [0.8, 0.5, 0.2]:
        t, values = convolve_integral(gaussian(1.0), gaussian(0.5), dt, support=(-8.0, 8.0))
        errors.append(np.max(np.abs(values - gaussian(np.sqrt(1.25))(t))))
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 1e-10


def test_riemann_sum_with_different_supports():
    t, values = convolve_integral(box, gaussian(0.3), 0.01, support=(0.0, 1.0), g_support=(-3.0, 3.0))
    assert t[0] == pytest.approx(-3.0)
    # ∫_0^1 φ(t − τ) dτ = Φ(t) − Φ(t − 1), with the normal CDF written through erf
    from math import erf, sqrt

    cdf = np.vectorize(lambda u: 0.5 * (1 + erf(u / (0.3 * sqrt(2)))))
    assert np.max(np.abs(values - (cdf(t) - cdf(t - 1)))) < 0.03


@pytest.mark.parametrize(
    "kwargs, name",
    [({"dt": 0.0}, "dt"), ({"dt": -0.1}, "dt"), ({"dt": 0.1, "support": (1.0, 0.0)}, "support"),
     ({"dt": 0.1, "g_support": (0.0, np.inf)}, "g_support")],
)
def test_convolve_integral_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        convolve_integral(box, box, **kwargs)


# ---- conv2d: values ---------------------------------------------------------------------------

CONFIGS = [  # (N, C, H, W, F, KH, KW, stride, padding)
    (2, 1, 5, 5, 1, 3, 3, 1, 0),
    (2, 3, 6, 5, 4, 3, 3, 1, 1),
    (1, 2, 7, 6, 3, 2, 3, 2, 0),
    (2, 2, 6, 7, 2, 3, 2, 2, 1),
    (1, 3, 5, 5, 2, 1, 1, 1, 0),
    (2, 2, 4, 4, 3, 5, 5, 3, 2),
]


@pytest.mark.parametrize("N, C, H, W, F, KH, KW, stride, padding", CONFIGS)
def test_conv2d_matches_loop_reference(N, C, H, W, F, KH, KW, stride, padding):
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((N, C, H, W)), rng.standard_normal((F, C, KH, KW)), rng.standard_normal(F)
    out, _ = conv2d_forward(x, w, b, stride=stride, padding=padding)
    ref = conv2d_loops(x, w, b, stride, padding)
    assert out.shape == ref.shape == (
        N, F, (H + 2 * padding - KH) // stride + 1, (W + 2 * padding - KW) // stride + 1)
    np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("N, C, H, W, F, KH, KW, stride, padding", CONFIGS)
def test_conv2d_matches_torch(N, C, H, W, F, KH, KW, stride, padding):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((N, C, H, W)), rng.standard_normal((F, C, KH, KW)), rng.standard_normal(F)
    dout_shape = conv2d_forward(x, w, b, stride, padding)[0].shape
    dout = rng.standard_normal(dout_shape)
    out, cache = conv2d_forward(x, w, b, stride, padding)
    dx, dw, db = conv2d_backward(dout, cache)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    tout = torch.nn.functional.conv2d(tx, tw, tb, stride=stride, padding=padding)
    tout.backward(torch.tensor(dout))
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    for ours, theirs in ((dx, tx), (dw, tw), (db, tb)):
        np.testing.assert_allclose(ours, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    H=st.integers(1, 12), W=st.integers(1, 12), KH=st.integers(1, 5), KW=st.integers(1, 5),
    stride=st.integers(1, 4), padding=st.integers(0, 3),
)
def test_conv2d_output_size_formula(H, W, KH, KW, stride, padding):
    x, w, b = np.ones((1, 1, H, W)), np.ones((2, 1, KH, KW)), np.zeros(2)
    if KH > H + 2 * padding or KW > W + 2 * padding:
        with pytest.raises(ValueError, match="w"):
            conv2d_forward(x, w, b, stride, padding)
        return
    out, _ = conv2d_forward(x, w, b, stride, padding)
    # the number of kernel positions r with r·stride + K <= size + 2·padding, counted directly
    count = lambda size, k: sum(1 for r in range(size + 2 * padding) if r * stride + k <= size + 2 * padding)
    assert out.shape == (1, 2, count(H, KH), count(W, KW))
    assert out.shape[2:] == (conv_output_size(H, KH, stride, padding), conv_output_size(W, KW, stride, padding))
    assert out.shape[2:] == ((H + 2 * padding - KH) // stride + 1, (W + 2 * padding - KW) // stride + 1)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), a=st.floats(-3, 3), c=st.floats(-3, 3))
def test_conv2d_is_linear_in_x_and_in_w(seed, a, c):
    rng = np.random.default_rng(seed)
    x1, x2 = rng.standard_normal((2, 2, 5, 6)), rng.standard_normal((2, 2, 5, 6))
    w1, w2 = rng.standard_normal((3, 2, 3, 2)), rng.standard_normal((3, 2, 3, 2))
    zero = np.zeros(3)
    conv = lambda x, w: conv2d_forward(x, w, zero, stride=1, padding=1)[0]
    np.testing.assert_allclose(conv(a * x1 + c * x2, w1), a * conv(x1, w1) + c * conv(x2, w1), atol=1e-10)
    np.testing.assert_allclose(conv(x1, a * w1 + c * w2), a * conv(x1, w1) + c * conv(x1, w2), atol=1e-10)


def test_delta_kernel_returns_the_input():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 6, 5))
    w = np.zeros((3, 3, 3, 3))
    w[np.arange(3), np.arange(3), 1, 1] = 1.0  # channel c -> channel c, centre tap only
    out, _ = conv2d_forward(x, w, np.zeros(3), padding=1)
    np.testing.assert_array_equal(out, x)
    # a shifted delta shifts the image (cross-correlation reads x[r + 1, s])
    w_shift = np.zeros((1, 1, 3, 3))
    w_shift[0, 0, 2, 1] = 1.0
    out, _ = conv2d_forward(x[:, :1], w_shift, np.zeros(1), padding=1)
    np.testing.assert_array_equal(out[:, 0, :-1], x[:, 0, 1:])
    np.testing.assert_array_equal(out[:, 0, -1], 0.0)


def test_float32_stays_float32():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 2, 5, 5)).astype(np.float32)
    w = rng.standard_normal((3, 2, 3, 3)).astype(np.float32)
    out, cache = conv2d_forward(x, w, np.zeros(3, np.float32), padding=1)
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv2d_backward(np.ones_like(out), cache))


# ---- true convolution = cross-correlation with the flipped kernel -----------------------------

def test_conv2d_true_is_the_flipped_kernel_convolution():
    rng = np.random.default_rng(4)
    x, k = rng.standard_normal((5, 6)), rng.standard_normal((3, 2))
    full = conv2d_true(x, k, padding=0)
    # (x ∗ k)[t] = Σ_u x[u] k[t − u] over the pixels where both are defined ("valid" part)
    ref = np.zeros((5 - 3 + 1, 6 - 2 + 1))
    for r in range(ref.shape[0]):
        for s in range(ref.shape[1]):
            t = (r + 2, s + 1)  # index in the full convolution
            ref[r, s] = sum(x[u, v] * k[t[0] - u, t[1] - v]
                            for u in range(5) for v in range(6)
                            if 0 <= t[0] - u < 3 and 0 <= t[1] - v < 2)
    np.testing.assert_allclose(full, ref, atol=1e-12)
    xb, kb = x[None, None], k[None, None]
    np.testing.assert_allclose(conv2d_true(xb, kb)[0, 0], conv2d_forward(xb, flip_kernel(kb), np.zeros(1))[0][0, 0])
    np.testing.assert_array_equal(flip_kernel(flip_kernel(kb)), kb)
    # a symmetric kernel makes both operations agree
    sym = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]])[None, None]
    np.testing.assert_allclose(conv2d_true(xb, sym, padding=1), conv2d_forward(xb, sym, np.zeros(1), padding=1)[0])


def test_conv2d_true_on_one_row_is_numpy_convolve():
    rng = np.random.default_rng(5)
    f, g = rng.standard_normal(12), rng.standard_normal(4)
    np.testing.assert_allclose(conv2d_true(f[None, :], g[None, :])[0], np.convolve(f, g, "valid"), atol=1e-12)
    # and the full convolution is the valid one of the zero-padded row
    padded = np.pad(f, 3)
    np.testing.assert_allclose(conv2d_true(padded[None, :], g[None, :])[0], convolve(f, g, "full"), atol=1e-12)


# ---- conv2d: gradient checks -------------------------------------------------------------------

@pytest.mark.parametrize("N, C, H, W, F, KH, KW, stride, padding", CONFIGS[:4] + [(1, 2, 5, 6, 2, 2, 4, 1, 2)])
def test_conv2d_backward_matches_numerical_gradient(N, C, H, W, F, KH, KW, stride, padding):
    rng = np.random.default_rng(6)
    x, w, b = rng.standard_normal((N, C, H, W)), rng.standard_normal((F, C, KH, KW)), rng.standard_normal(F)
    out, cache = conv2d_forward(x, w, b, stride, padding)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv2d_backward(dout, cache)
    loss = lambda _: np.sum(conv2d_forward(x, w, b, stride, padding)[0] * dout)
    assert rel_error(dx, numerical_gradient(loss, x)) < TOL
    assert rel_error(dw, numerical_gradient(loss, w)) < TOL
    assert rel_error(db, numerical_gradient(loss, b)) < TOL


# ---- pooling -------------------------------------------------------------------------------------

@pytest.mark.parametrize("size, stride, H, W", [(2, 2, 6, 4), (2, 2, 5, 7), (3, 1, 5, 6), (3, 2, 7, 7)])
def test_maxpool_values_and_gradient(size, stride, H, W):
    rng = np.random.default_rng(7)
    x = distinct_values((2, 3, H, W), rng)
    out, cache = maxpool_forward(x, size, stride)
    np.testing.assert_array_equal(out, pool_loops(x, size, stride, np.max))
    dout = rng.standard_normal(out.shape)
    dx = maxpool_backward(dout, cache)
    numeric = numerical_gradient(lambda _: np.sum(maxpool_forward(x, size, stride)[0] * dout), x)
    assert rel_error(dx, numeric) < TOL


def test_maxpool_ties_route_to_the_first_element():
    x = np.ones((1, 1, 4, 4))
    out, cache = maxpool_forward(x)
    dx = maxpool_backward(np.arange(1.0, 5.0).reshape(1, 1, 2, 2), cache)
    expected = np.zeros((4, 4))
    expected[0::2, 0::2] = [[1, 2], [3, 4]]  # the top-left element of each window
    np.testing.assert_array_equal(dx[0, 0], expected)
    assert dx.sum() == 10.0  # nothing lost, nothing duplicated
    # and the same result every time
    np.testing.assert_array_equal(maxpool_backward(np.arange(1.0, 5.0).reshape(1, 1, 2, 2), cache), dx)


def test_maxpool_overlapping_windows_add_gradients():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 5.0  # the centre wins all four 2x2 windows of stride 1
    out, cache = maxpool_forward(x, size=2, stride=1)
    np.testing.assert_array_equal(out, 5.0)
    dx = maxpool_backward(np.ones((1, 1, 2, 2)), cache)
    assert dx[0, 0, 1, 1] == 4.0 and dx.sum() == 4.0


@pytest.mark.parametrize("size, stride", [(2, 2), (3, 1), (2, 3)])
def test_avgpool_values_and_gradient(size, stride):
    rng = np.random.default_rng(8)
    x = rng.standard_normal((2, 2, 7, 6))
    out, cache = avgpool_forward(x, size, stride)
    np.testing.assert_allclose(out, pool_loops(x, size, stride, np.mean), atol=1e-12)
    dout = rng.standard_normal(out.shape)
    numeric = numerical_gradient(lambda _: np.sum(avgpool_forward(x, size, stride)[0] * dout), x)
    assert rel_error(avgpool_backward(dout, cache), numeric) < TOL


def test_flatten_round_trip():
    x = np.arange(2 * 3 * 4 * 5.0).reshape(2, 3, 4, 5)
    out, cache = flatten_forward(x)
    assert out.shape == (2, 60)
    np.testing.assert_array_equal(out[1], x[1].ravel())
    np.testing.assert_array_equal(flatten_backward(out, cache), x)


def test_small_cnn_gradient_through_conv_pool_flatten():
    """conv -> maxpool -> flatten -> sum with weights: the layers' backwards compose."""
    rng = np.random.default_rng(9)
    x = rng.standard_normal((2, 1, 6, 6))
    w, b = rng.standard_normal((2, 1, 3, 3)), rng.standard_normal(2)
    v = rng.standard_normal(2 * 3 * 3)

    def forward(w_):
        a, c1 = conv2d_forward(x, w_, b, padding=1)
        p, c2 = maxpool_forward(a)
        f, c3 = flatten_forward(p)
        return f @ v, (c1, c2, c3)

    y, (c1, c2, c3) = forward(w)
    dp = flatten_backward(np.outer(np.ones(2), v), c3)
    _, dw, _ = conv2d_backward(maxpool_backward(dp, c2), c1)
    assert rel_error(dw, numerical_gradient(lambda _: np.sum(forward(w)[0]), w)) < TOL


# ---- bad inputs ----------------------------------------------------------------------------------

def _ok():
    return np.zeros((2, 3, 5, 5)), np.zeros((4, 3, 3, 3)), np.zeros(4)


@pytest.mark.parametrize(
    "change, pattern",
    [
        (lambda x, w, b: (x[0], w, b, 1, 0), r"x must be a 4-D"),
        (lambda x, w, b: (x, w[0], b, 1, 0), r"w must be a 4-D"),
        (lambda x, w, b: (x, w[:, :2], b, 1, 0), r"w .*channels.*2.*3"),
        (lambda x, w, b: (x, w, b[:3], 1, 0), r"b must have shape"),
        (lambda x, w, b: (x, w, b, 0, 0), r"stride"),
        (lambda x, w, b: (x, w, b, 1.5, 0), r"stride"),
        (lambda x, w, b: (x, w, b, 1, -1), r"padding"),
        (lambda x, w, b: (x, np.zeros((4, 3, 6, 3)), b, 1, 0), r"w's kernel"),
    ],
)
def test_conv2d_bad_input(change, pattern):
    with pytest.raises(ValueError, match=pattern):
        conv2d_forward(*change(*_ok()))


def test_conv2d_kernel_fits_once_padded():
    x, _, _ = _ok()
    out, _ = conv2d_forward(x, np.zeros((1, 3, 7, 7)), np.zeros(1), padding=1)
    assert out.shape == (2, 1, 1, 1)


def test_backward_bad_dout():
    x, w, b = _ok()
    _, cache = conv2d_forward(x, w, b)
    with pytest.raises(ValueError, match="dout"):
        conv2d_backward(np.zeros((2, 4, 4, 4)), cache)
    _, cache = maxpool_forward(x)
    with pytest.raises(ValueError, match="dout"):
        maxpool_backward(np.zeros((2, 3, 3, 3)), cache)


@pytest.mark.parametrize(
    "x, kwargs, name",
    [
        (np.zeros((3, 4, 4)), {}, "x"),
        (np.zeros((1, 1, 4, 4)), {"size": 5}, "size"),
        (np.zeros((1, 1, 4, 4)), {"size": 0}, "size"),
        (np.zeros((1, 1, 4, 4)), {"stride": 0}, "stride"),
    ],
)
def test_pool_bad_input(x, kwargs, name):
    with pytest.raises(ValueError, match=name):
        maxpool_forward(x, **kwargs)
    with pytest.raises(ValueError, match=name):
        avgpool_forward(x, **kwargs)
