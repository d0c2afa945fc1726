"""Part I's figures, kept importable under their old module name: the functions now live in
one module per chapter (``network``, ``activations``, ``training``, ``gradients``,
``images``); import them from :mod:`nnbook.plots`.

Book: chapters 1–7.
"""
from ._style import CLASS_COLORS, COLORS, FIGSIZE  # noqa: F401
from .activations import plot_activations  # noqa: F401
from .gradients import plot_grad_norms  # noqa: F401
from .images import plot_digits, plot_filters  # noqa: F401
from .network import draw_network  # noqa: F401
from .training import plot_decision_boundary, plot_loss_curves  # noqa: F401

__all__ = ["COLORS", "draw_network", "plot_activations", "plot_loss_curves",
           "plot_decision_boundary", "plot_grad_norms", "plot_digits", "plot_filters"]
