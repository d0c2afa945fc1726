"""Chapter 8's figure functions draw, label their axes and attach a description with numbers."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnbook.descent import run_path, valley_quadratic  # noqa: E402
from nnbook.figures import get_alt  # noqa: E402
from nnbook.plots.optimization import (plot_named_curves, plot_error_curves, plot_gradient_variance,  # noqa: E402
                                       plot_valley_paths)


def _labelled(fig):
    return all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes)


def test_every_figure_has_labels_and_an_alt_with_numbers():
    q = valley_quadratic()
    path = run_path(q.grad, [-1.0, -0.5], "sgd", 0.1, 20)
    figs = [
        plot_gradient_variance({"variance": {1: 4.0, 4: 1.1}, "sigma2": 4.2, "bias": {}}),
        plot_valley_paths(q, {"sgd": path}),
        plot_error_curves({"gd": np.geomspace(1, 1e-3, 10)}, {"gd": 0.5}),
        plot_named_curves({"adam": [1.0, 0.5, 0.25]}),
    ]
    for fig in figs:
        assert _labelled(fig)
        alt = get_alt(fig)
        assert alt and any(ch.isdigit() for ch in alt)
        plt.close(fig)


def test_valley_paths_skip_non_finite_iterates():
    q = valley_quadratic()
    path = run_path(q.grad, [-1.0, -0.5], "sgd", 5.0, 3000)   # diverges, ends in nan
    fig = plot_valley_paths(q, {"sgd": path})
    assert "sgd ends" in get_alt(fig)
    plt.close(fig)
