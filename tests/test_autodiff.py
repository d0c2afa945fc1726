"""nnbook.autodiff: every gradient against central differences (float64), broadcasting, reuse,
relu'(0) = 0, deep graphs, errors; and against torch's autograd when torch is installed."""
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnbook import MLP, cross_entropy as np_cross_entropy, make_moons, numerical_gradient, rel_error
from nnbook.autodiff import Tensor, cross_entropy, mlp_loss

# ---------------------------------------------------------------- random expressions
# A program is a list of steps (op, i, j): step k appends op(pool[i], pool[j]) to the pool,
# which starts with four leaves of shapes that broadcast together to (3, 4).
LEAF_SHAPES = [(3, 4), (4,), (3, 1), ()]
UNARY = {
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "neg": lambda a: -a,
    "exp_tanh": lambda a: a.tanh().exp(),
    "log1p_sq": lambda a: (1 + a ** 2).log(),
    "cube": lambda a: a ** 3,
    "inv": lambda a: 1 / (1.5 + a.tanh()),
    "sum0": lambda a: a.sum(axis=0) if a.data.ndim else a.sum(),
    "row_mean": lambda a: a.mean(axis=-1).reshape(a.shape[0], 1) if a.data.ndim == 2 else a.mean(),
    "TT": lambda a: a.T.T * 1.0,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (2.0 + b.sigmoid()),
    "num_left": lambda a, b: 0.5 - a * 2.0,
}
OPS = sorted(UNARY) + sorted(BINARY)

programs = st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 20), st.integers(0, 20)),
                    min_size=1, max_size=8)


def run(program, arrays, weights):
    pool = [Tensor(a) for a in arrays]
    leaves = list(pool)
    for op, i, j in program:
        a, b = pool[i % len(pool)], pool[j % len(pool)]
        pool.append(UNARY[op](a) if op in UNARY else BINARY[op](a, b))
    return (pool[-1] * weights).sum(), leaves


@settings(max_examples=60, deadline=None)
@given(program=programs, seed=st.integers(0, 2**32 - 1))
def test_random_expressions_match_central_differences(program, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(size=s) for s in LEAF_SHAPES]
    weights = rng.normal(size=(3, 4))
    J, leaves = run(program, arrays, weights)
    assume(np.isfinite(J.data) and abs(J.data) < 1e6)
    J.backward()
    for leaf, x in zip(leaves, arrays):
        numeric = numerical_gradient(lambda _: run(program, arrays, weights)[0].data, x)
        if leaf.grad is None:  # J does not depend on this leaf: backward never reached it
            assert np.all(numeric == 0)
            continue
        assert leaf.grad.shape == x.shape
        assert rel_error(leaf.grad, numeric) < 1e-6, (program, leaf.grad, numeric)


@pytest.mark.parametrize("shapes", [((5, 3), (3, 2)), ((3,), (3, 2)), ((5, 3), (3,)),
                                    ((3,), (3,)), ((4, 5, 3), (3, 2)), ((3,), (4, 3, 2))])
def test_matmul_gradients(shapes):
    rng = np.random.default_rng(1)
    A, B = (rng.normal(size=s) for s in shapes)
    out_shape = (A @ B).shape
    up = rng.normal(size=out_shape)

    def J():
        return ((Tensor(A) @ Tensor(B)) * up).sum()

    a, b = Tensor(A), Tensor(B)
    ((a @ b) * up).sum().backward()
    assert rel_error(a.grad, numerical_gradient(lambda _: J().data, A)) < 1e-8
    assert rel_error(b.grad, numerical_gradient(lambda _: J().data, B)) < 1e-8


def test_transpose_reshape_mean_axes():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(2, 3, 4))

    def f(x):
        t = x.reshape(6, 4).T  # (4, 6)
        return (t.mean(axis=1) ** 2).sum() + x.sum(axis=(0, 2)).tanh().mean() + x.mean()

    x = Tensor(X)
    f(x).backward()
    assert rel_error(x.grad, numerical_gradient(lambda _: f(Tensor(X)).data, X)) < 1e-8


# ------------------------------------------------------------------ broadcasting
def test_bias_gradient_sums_over_rows():
    rng = np.random.default_rng(3)
    Z, b_arr = rng.normal(size=(5, 3)), rng.normal(size=3)
    up = rng.normal(size=(5, 3))
    z, b = Tensor(Z), Tensor(b_arr)
    ((z + b) * up).sum().backward()
    assert b.grad.shape == (3,)
    assert np.allclose(b.grad, up.sum(axis=0))  # ∂J/∂b_j = Σ_k dZ_kj
    assert np.allclose(z.grad, up)


@pytest.mark.parametrize("shape_a, shape_b", [((4, 3), (4, 1)), ((4, 3), (1, 3)), ((4, 1), (1, 3)),
                                              ((2, 4, 3), (3,)), ((4, 3), ())])
def test_broadcast_shapes_and_values(shape_a, shape_b):
    rng = np.random.default_rng(4)
    A, B = rng.normal(size=shape_a), rng.normal(size=shape_b)

    def f(a, b):
        return (a * b + a / (3.0 + b.tanh()) - b).sum()

    a, b = Tensor(A), Tensor(B)
    f(a, b).backward()
    assert a.grad.shape == A.shape and b.grad.shape == B.shape
    assert rel_error(a.grad, numerical_gradient(lambda _: f(Tensor(A), Tensor(B)).data, A)) < 1e-8
    assert rel_error(b.grad, numerical_gradient(lambda _: f(Tensor(A), Tensor(B)).data, B)) < 1e-8


def test_plain_numbers_on_either_side():
    x = Tensor(2.0)
    y = 3 + x * 4 - 1 / x + (5 - x) / 2 + 2 * x ** 2
    y.backward()
    # d/dx [3 + 4x − 1/x + (5 − x)/2 + 2x²] = 4 + 1/x² − 1/2 + 4x
    assert np.isclose(x.grad, 4 + 1 / 4 - 0.5 + 8)
    v = Tensor(np.array([1.0, 2.0]))
    (np.array([3.0, 4.0]) * v).sum().backward()  # an ndarray on the left
    assert np.allclose(v.grad, [3.0, 4.0])


# ------------------------------------------------------------------- reuse
def test_reuse_sums_contributions():
    x = Tensor(3.0)
    (x * x).backward()
    assert x.grad == 6.0  # both factors contribute x: 2x
    x = Tensor(0.7)
    y = x.exp()  # used in two branches
    J = y.tanh() + 3 * y
    J.backward()
    expected = (1 - np.tanh(np.exp(0.7)) ** 2) * np.exp(0.7) + 3 * np.exp(0.7)
    assert np.isclose(x.grad, expected)
    assert np.isclose(y.grad, 1 - np.tanh(np.exp(0.7)) ** 2 + 3)


def test_backward_twice_does_not_accumulate():
    x = Tensor(np.array([1.0, -2.0]))
    J = (x * x).sum()
    J.backward()
    first = x.grad.copy()
    J.backward()
    assert np.array_equal(x.grad, first)


def test_relu_derivative_is_zero_at_zero():
    x = Tensor(np.array([-1.0, 0.0, 2.0]))
    x.relu().sum().backward()
    assert np.array_equal(x.grad, [0.0, 0.0, 1.0])


def test_sigmoid_is_stable_and_dtype_is_kept():
    x = Tensor(np.array([-1000.0, 0.0, 1000.0]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = x.sigmoid()
        s.sum().backward()
    assert np.allclose(s.data, [0.0, 0.5, 1.0]) and np.all(np.isfinite(x.grad))
    assert x.grad[1] == 0.25  # σ'(0) = 1/4
    x32 = Tensor(np.ones(3, dtype=np.float32))
    y = (x32 * 2.0 + 1).tanh().mean()
    y.backward()
    assert y.data.dtype == np.float32 and x32.grad.dtype == np.float32
    assert Tensor(3).data.dtype == np.float64


def test_deep_graph_has_no_recursion_limit():
    x = Tensor(1.0)
    y = x
    for _ in range(20000):
        y = y * 1.0001 + 0.0
    y.backward()
    assert np.isclose(x.grad, 1.0001 ** 20000)


def test_topological_order_puts_parents_first():
    a, b = Tensor(1.0, name="a"), Tensor(2.0, name="b")
    c = a * b
    J = (c + a).exp() * c
    order = J.topological_order()
    position = {id(t): i for i, t in enumerate(order)}
    assert order[-1] is J and len(order) == len(set(position))
    for t in order:
        assert all(position[id(p)] < position[id(t)] for p in t.parents)


# ----------------------------------------------------------------- errors
def test_backward_on_a_non_scalar_raises():
    with pytest.raises(ValueError, match="one-element"):
        Tensor(np.ones(3)).exp().backward()


@pytest.mark.parametrize("make, match", [
    (lambda: Tensor("abc"), "real numbers"),
    (lambda: Tensor(np.array([1 + 2j])), "real numbers"),
    (lambda: Tensor(Tensor(1.0)), "a Tensor"),
    (lambda: Tensor(2.0) ** Tensor(2.0), "exponent"),
    (lambda: Tensor(np.ones((2, 3))).sum(axis=2), "axis"),
    (lambda: Tensor(np.ones((2, 3))).mean(axis=1.5), "axis"),
    (lambda: Tensor(np.ones((2, 3))).reshape(4, 2), "shape"),
    (lambda: Tensor(2.0) @ Tensor(np.ones(2)), "0-d"),
    (lambda: cross_entropy(Tensor(np.ones((3, 2))), np.array([0.5, 1, 0])), "labels"),
    (lambda: mlp_loss({"W1": Tensor(np.ones((2, 2))), "b1": Tensor(np.zeros(2))},
                      np.ones((1, 2)), np.array([0]), activation="gelu"), "activation"),
])
def test_bad_input_raises_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# -------------------------------------------------------- chapter 3's network
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_mlp_loss_matches_hand_derived_backprop(activation):
    X, y = make_moons(60, noise=0.2, seed=1)
    model = MLP([2, 7, 5, 3], activation=activation, loss="ce", seed=2)
    rng = np.random.default_rng(0)
    for key in model.params:  # biases off zero: no ReLU unit exactly on its kink
        if key.startswith("b"):
            model.params[key] += rng.normal(scale=0.1, size=model.params[key].shape)
    params = {k: Tensor(v) for k, v in model.params.items()}
    J = mlp_loss(params, X, y % 3, activation=activation)
    J.backward()
    loss, grads = model.loss_and_grads(X, y % 3)
    assert abs(float(J.data) - loss) < 1e-12
    for key in grads:
        assert rel_error(params[key].grad, grads[key]) < 1e-12


def test_cross_entropy_matches_losses_module_at_large_logits():
    logits = np.array([[1e4, -1e4, 0.0], [3.0, 2.0, 1.0]])
    labels = np.array([1, 2])
    z = Tensor(logits)
    J = cross_entropy(z, labels)
    J.backward()
    assert np.isclose(J.data, np_cross_entropy(logits, labels))
    assert np.all(np.isfinite(z.grad))


# ------------------------------------------------------------------ torch
@settings(max_examples=25, deadline=None)
@given(program=programs, seed=st.integers(0, 2**32 - 1))
def test_random_expressions_match_torch(program, seed):
    torch = pytest.importorskip("torch")

    rng = np.random.default_rng(seed)
    arrays = [rng.normal(size=s) for s in LEAF_SHAPES]
    weights = rng.normal(size=(3, 4))
    J, leaves = run(program, arrays, weights)
    assume(np.isfinite(J.data) and abs(J.data) < 1e6)
    J.backward()

    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    pool = list(ts)
    tops = {
        "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "neg": lambda a: -a,
        "exp_tanh": lambda a: torch.exp(torch.tanh(a)), "log1p_sq": lambda a: torch.log(1 + a ** 2),
        "cube": lambda a: a ** 3, "inv": lambda a: 1 / (1.5 + torch.tanh(a)),
        "sum0": lambda a: a.sum(dim=0) if a.dim() else a.sum(),
        "row_mean": lambda a: a.mean(dim=-1).reshape(a.shape[0], 1) if a.dim() == 2 else a.mean(),
        "TT": lambda a: a * 1.0,
        "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
        "div": lambda a, b: a / (2.0 + torch.sigmoid(b)), "num_left": lambda a, b: 0.5 - a * 2.0,
    }
    for op, i, j in program:
        a, b = pool[i % len(pool)], pool[j % len(pool)]
        pool.append(tops[op](a) if op in UNARY else tops[op](a, b))
    (pool[-1] * torch.tensor(weights)).sum().backward()
    for leaf, t in zip(leaves, ts):
        assert (leaf.grad is None) == (t.grad is None)
        if leaf.grad is not None:
            assert rel_error(leaf.grad, t.grad.numpy()) < 1e-10


# ------------------------------------------------------------ the graph picture
def test_graph_picture_and_its_text_alternative():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nnbook.figures import get_alt
    from nnbook.plots.graph import describe_graph, draw_graph, graph_nodes

    x, y, w = Tensor(3.0, name="x"), Tensor(-4.0, name="y"), Tensor(2.0, name="w")
    J = x * y + (w + (x - w).relu())
    nodes = graph_nodes(J)
    assert [n["depth"] for n in nodes][-1] == 4 and sum(not n["parents"] for n in nodes) == 3
    before = describe_graph(J)
    assert "adjoint" not in before.split(":", 1)[1]  # no gradients before backward
    J.backward()
    fig = draw_graph(J, title="J = xy + max(x, w)")
    alt = get_alt(fig)
    # every node with its value and adjoint: x̄ = y + 1 = −3, ȳ = x = 3, w̄ = 0 (max routes)
    for text in ["input x = 3, adjoint −3", "input y = −4, adjoint 3", "input w = 2, adjoint 0",
                 "= −9, adjoint 1", "8 nodes"]:
        assert text in alt, text
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "adj −3" in texts and any(t.endswith(": relu") for t in texts)
    plt.close(fig)
    with pytest.raises(ValueError, match="Tensor"):
        graph_nodes(np.ones(2))


# ------------------------------------------------------------ the benchmark's epoch
def test_bench_autodiff_epoch_computes_the_hand_written_epoch():
    from bench.autodiff import autodiff_loop
    from bench.mlp import digits, make_model, minibatches, nnbook_loop

    X, y = digits(np.float64, n=200)
    batches = minibatches(len(X))
    auto, hand = make_model(np.float64), make_model(np.float64)
    loss_auto = autodiff_loop(auto, X, y, batches)
    loss_hand = nnbook_loop(hand, X, y, batches)
    assert abs(loss_auto - loss_hand) < 1e-12
    for key in hand.params:
        assert rel_error(auto.params[key], hand.params[key]) < 1e-12


@pytest.mark.parametrize("make, match", [
    (lambda: Tensor(np.array([1.0, np.nan])), "finite"),
    (lambda: Tensor(1.0) + np.inf, "finite"),
    (lambda: cross_entropy(Tensor(np.ones((2, 3))), np.array([0, 3])), r"\[0, 2\]"),
])
def test_non_finite_data_and_labels_out_of_range_raise(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_data_and_grad_are_arrays_even_for_scalars():
    x = Tensor(2.0)
    J = (x.exp() * 3).sum().tanh()
    J.backward()
    for t in J.topological_order():
        assert type(t.data) is np.ndarray and type(t.grad) is np.ndarray
