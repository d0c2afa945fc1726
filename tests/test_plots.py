"""Tests of nnbook.plots: every figure is drawn (Agg backend) without warnings and shows the data."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nnbook.data import load_digits, make_moons  # noqa: E402
from nnbook.figures import get_alt  # noqa: E402
from nnbook.network import MLP, train  # noqa: E402
from nnbook.plots import (  # noqa: E402
    draw_network,
    plot_activations,
    plot_decision_boundary,
    plot_digits,
    plot_filters,
    plot_grad_norms,
    plot_loss_curves,
)

# Missing glyphs and similar problems surface as warnings when a figure is rendered.
pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _render(fig: Figure) -> None:
    fig.canvas.draw()


def _figure(out) -> Figure:
    return out if isinstance(out, Figure) else out.figure


@pytest.fixture(scope="module")
def moons_model():
    X, y = make_moons(100, seed=0)
    model = MLP([2, 8, 2], seed=0)
    history = train(model, X, y, lr=0.5, epochs=30, X_val=X[:20], y_val=y[:20])
    return model, history, X, y


def _neuron_count(ax: Axes) -> int:
    """Neurons drawn by draw_network: points of the big scatter markers (not the ellipsis dots)."""
    return sum(len(c.get_offsets()) for c in ax.collections
               if hasattr(c, "get_sizes") and len(c.get_sizes()) and c.get_sizes()[0] > 10)


def test_draw_network_small_and_capped():
    ax = draw_network([2, 3, 1])
    assert isinstance(ax, Axes)
    assert _neuron_count(ax) == 6
    _render(ax.figure)
    big = draw_network([784, 128, 10], max_neurons=6)
    assert _neuron_count(big) == 5 + 5 + 5  # each big layer: 5 neurons and an ellipsis
    _render(big.figure)


def test_draw_network_line_widths_follow_weights():
    W1 = np.array([[0.0, 2.0], [-1.0, 0.5]])
    W2 = np.array([[1.0], [-1.0]])
    ax = draw_network([2, 2, 1], weights=[W1, W2])
    lines = ax.collections[0]
    widths = np.asarray(lines.get_linewidths())
    assert widths.size == 6
    # the segment for W1[0, 1] = 2 (the largest |w|) is the widest
    assert np.argmax(widths) == 1
    _render(ax.figure)


def test_draw_network_accepts_a_params_dict(moons_model):
    model = moons_model[0]
    _render(draw_network(model.sizes, weights=model.params).figure)


def test_plot_activations():
    fig = plot_activations()
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 3
    # f, f' and two axis lines; ReLU' is two dashed pieces and two markers (issue 10)
    assert [len(ax.get_lines()) for ax in fig.axes] == [4, 7, 4]
    relu_curve = fig.axes[1].get_lines()[2]
    x, f = relu_curve.get_data()
    np.testing.assert_allclose(f, np.maximum(x, 0))
    for ax in fig.axes:  # every panel labels both axes, in mathtext
        assert ax.get_xlabel() and ax.get_ylabel().startswith("$")
    _render(fig)
    assert len(plot_activations(("tanh",), with_grad=False).axes) == 1


def test_relu_derivative_is_broken_at_zero_with_a_filled_dot_at_the_origin():
    ax = plot_activations(("relu",)).axes[0]
    lines = ax.get_lines()[3:]
    dashed = [ln for ln in lines if ln.get_linestyle() == "--"]
    dots = [ln for ln in lines if ln.get_marker() == "o"]
    assert len(dashed) == 2
    for piece in dashed:  # no vertical segment: each piece is flat
        _, y = piece.get_data()
        assert np.ptp(np.asarray(y, dtype=float)) == 0
    left, right = (np.asarray(piece.get_data()[0], dtype=float) for piece in dashed)
    assert left.max() == 0 and right.min() == 0  # both pieces end at the jump
    filled = [d for d in dots if d.get_markerfacecolor() != "white"]
    hollow = [d for d in dots if d.get_markerfacecolor() == "white"]
    assert [tuple(np.ravel(d.get_data())) for d in filled] == [(0.0, 0.0)]  # ReLU'(0) = 0
    assert [tuple(np.ravel(d.get_data())) for d in hollow] == [(0.0, 1.0)]
    alt = get_alt(ax.figure)
    assert "jumps at x = 0, where it equals 0" in alt


def test_every_figure_function_attaches_an_alt_with_its_numbers(moons_model):
    model, history, X, y = moons_model
    alt = get_alt(plot_loss_curves({"loss": [1.0, 0.5, 0.05],
                                    "val_loss": [1.0, 0.53, 0.92]}).figure)
    assert alt == ("Train and validation loss over 3 epochs: train falls from 1 to 0.05; "
                   "validation is lowest, 0.53, at epoch 2, then rises to 0.92")
    alt = get_alt(plot_decision_boundary(model, X, y).figure)
    assert "p(class 1 | x)" in alt and "p = 0.5" in alt and f"{len(X)} data points" in alt
    correct = int(((model.forward(X)[:, 1] > 0.5).astype(int) == y).sum())
    assert f"{correct} of them on the side of their class" in alt
    alt = get_alt(plot_grad_norms(np.array([1e-6, 1e-3, 1.0])).figure)
    assert "1e-06 at layer 1, 1 at layer 3" in alt
    alt = get_alt(draw_network([2, 8, 1]).figure)
    assert "widths 2, 8, 1" in alt and "24 weights" in alt
    alt = get_alt(plot_filters(np.array([[1.0, 0.0, -1.0]] * 3)))
    assert "1 convolution kernel of 3×3" in alt and "from -1 to 1" in alt
    Xd, yd = np.eye(64)[:4], np.array([0, 1, 2, 3])
    alt = get_alt(plot_digits(Xd, yd, n=4, predicted=np.array([0, 1, 2, 5])))
    assert "3 of 4 correct" in alt and "3 read as 5" in alt
    # panels drawn into a caller's axes are described one after the other
    fig, axes = plt.subplots(1, 2)
    plot_loss_curves({"loss": [2.0, 1.0]}, ax=axes[0], title="plain")
    plot_loss_curves({"loss": [2.0, 1.5]}, ax=axes[1], title=r"L2 $\lambda$ = 0.1")
    assert get_alt(fig) == ("plain: Train loss over 2 epochs: train falls from 2 to 1. Next panel: "
                            "L2 λ = 0.1: Train loss over 2 epochs: train falls from 2 to 1.5")


def test_decision_boundary_has_a_colour_bar_marking_one_half(moons_model):
    model, _, X, y = moons_model
    ax = plot_decision_boundary(model, X, y)
    bars = [a for a in ax.figure.axes if a is not ax]
    assert len(bars) == 1 and "p(" in bars[0].get_ylabel()
    assert any(np.allclose(ln.get_ydata(), 0.5) for ln in bars[0].get_lines())
    assert len(plot_decision_boundary(model, X, y, colorbar=False).figure.axes) == 1
    _render(ax.figure)


def test_plot_loss_curves_history_and_dict(moons_model):
    history = moons_model[1]
    ax = plot_loss_curves(history, log=True)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["train", "validation"]
    np.testing.assert_allclose(lines[0].get_ydata(), history.loss)
    assert ax.get_yscale() == "log"
    _render(ax.figure)
    ax = plot_loss_curves({"loss": [3, 2, 1], "val_loss": [np.nan] * 3})
    assert [line.get_label() for line in ax.get_lines()] == ["train"]  # all-nan curve skipped
    ax = plot_loss_curves({"λ = 0": [1, 0.5], "λ = 0.1": [1, 0.7], "λ = 1": [1, 0.9]})
    assert len(ax.get_lines()) == 3
    _render(ax.figure)


def test_plot_decision_boundary_two_classes(moons_model):
    model, _, X, y = moons_model
    ax = plot_decision_boundary(model, X, y, resolution=50)
    image = ax.get_images()[0].get_array()
    assert image.shape == (50, 50)
    assert 0 <= image.min() and image.max() <= 1
    _render(ax.figure)


def test_plot_decision_boundary_evaluates_the_function_on_the_grid():
    X = np.array([[-1.0, -1.0], [1.0, 1.0]])
    ax = plot_decision_boundary(lambda G: (G[:, 0] > 0).astype(float), X, np.array([0, 1]),
                                resolution=40, margin=0.0)
    image = np.asarray(ax.get_images()[0].get_array())
    np.testing.assert_array_equal(image[:, :20], 0)  # left half: x1 < 0
    np.testing.assert_array_equal(image[:, 20:], 1)
    _render(ax.figure)


def test_plot_decision_boundary_many_classes():
    X = np.random.default_rng(0).standard_normal((30, 2))
    y = np.arange(30) % 3
    model = MLP([2, 5, 3], seed=0)
    ax = plot_decision_boundary(model, X, y, resolution=30)
    image = np.asarray(ax.get_images()[0].get_array())
    assert image.shape == (30, 30) and set(np.unique(image)) <= {0, 1, 2}
    _render(ax.figure)


def test_plot_grad_norms_variants(moons_model):
    norms = np.array([1e-5, 1e-3, 1e-1])
    ax = plot_grad_norms(norms)
    heights = [patch.get_height() for patch in ax.patches]
    np.testing.assert_allclose(heights, norms)
    assert ax.get_yscale() == "log"
    _render(ax.figure)
    ax = plot_grad_norms(moons_model[1].grad_norms)  # (epochs, L): one line per layer
    assert len(ax.get_lines()) == 2
    _render(ax.figure)
    ax = plot_grad_norms({"sigmoid": norms, "relu": [0.2, 0.3, 0.4]}, log=False)
    assert len(ax.patches) == 6 and ax.get_yscale() == "linear"
    _render(ax.figure)


def test_plot_digits():
    X, y = load_digits()
    fig = plot_digits(X, y, n=10, ncols=5)
    ax = fig.axes[0]
    image = ax.get_images()[0].get_array()
    assert image.shape == (2 * 8 + 2, 5 * 8 + 4 * 2)  # 2 rows, 5 columns, 2-pixel gaps
    np.testing.assert_allclose(image[:8, :8], X[0].reshape(8, 8))
    assert [t.get_text() for t in ax.texts] == [str(label) for label in y[:10]]
    _render(fig)
    fig = plot_digits(X, y, n=4, predicted=np.array([y[0], 9, y[2], y[3]]))
    assert fig.axes[0].texts[0].get_text() == f"{y[0]}→{y[0]}"


def test_plot_filters():
    w = np.random.default_rng(0).standard_normal((4, 2, 3, 3))
    fig = plot_filters(w, title="kernels")
    image = fig.axes[0].get_images()[0].get_array()
    assert image.shape == (2 * 3 + 1, 4 * 3 + 3)
    np.testing.assert_allclose(image[:3, 4:7], w[1, 0])  # filter 1, channel 0
    _render(fig)
    sobel = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
    fig = plot_filters(sobel)
    assert len(fig.axes[0].texts) == 9  # small kernels are annotated
    _render(fig)


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: draw_network([3]), "sizes"),
        (lambda: draw_network([2, 2], weights=[np.zeros((3, 2))]), "weights"),
        (lambda: plot_loss_curves([1, 2, 3]), "history_or_dict"),
        (lambda: plot_decision_boundary(lambda G: G, np.zeros((4, 3))), "X"),
        (lambda: plot_decision_boundary(42, np.zeros((4, 2))), "model_or_predict_fn"),
        (lambda: plot_grad_norms({"a": np.zeros((2, 2, 2))}), "grad_norms"),
        (lambda: plot_digits(np.zeros((3, 10))), "X"),
        (lambda: plot_filters(np.zeros((1, 2, 3, 4, 5))), "w"),
    ],
)
def test_bad_arguments(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
