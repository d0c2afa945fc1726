"""Showing a figure with a text alternative: what a reader who cannot see it is told.

Every figure of the book is shown through :func:`show` (inline figures) or returned from a
knob's ``draw`` after :func:`set_alt` (knob frames), with a description of what it shows and
its key numbers, e.g. ``"Training and validation loss over 200 epochs: training falls to
0.05; validation is lowest, 0.53, at epoch 7, then rises to 0.92"``. The description is made
by the code that draws the figure, from the same numbers.

Book: every chapter (figures and their text alternatives).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["set_alt", "get_alt", "show", "FigureOutput"]

_ALT_ATTR = "_nnbook_alt"
#: Pixels per CSS pixel of the PNGs: 2 keeps figures sharp on high-density screens.
DENSITY = 2
#: Dots per inch at which a figure's size in inches maps to CSS pixels.
CSS_DPI = 100


def _check_alt(alt: Any) -> str:
    if not isinstance(alt, str) or len(alt.strip()) < 10:
        raise ValueError(f"alt: expected a description of the figure (a sentence with its key "
                         f"numbers), got {alt!r}")
    return " ".join(alt.split())


def set_alt(fig: Figure, alt: str) -> Figure:
    """Attach the text alternative ``alt`` to ``fig`` and return ``fig`` (for knob draws)."""
    setattr(fig, _ALT_ATTR, _check_alt(alt))
    return fig


def get_alt(fig: Figure) -> str | None:
    """The text alternative attached to ``fig`` by :func:`set_alt`, or None."""
    return getattr(fig, _ALT_ATTR, None)


class FigureOutput:
    """A rendered figure: PNG at ``DENSITY``× pixels, its CSS width and its text alternative.

    In a notebook front end and in the book build it displays as ``image/png`` with output
    metadata ``{"alt": ..., "width": ...}``; the build's extension turns ``alt`` into the
    ``<img alt>``, and ``caption`` (if any) is shown under it.
    """

    def __init__(self, png: bytes, width: int, alt: str, caption: str | None = None) -> None:
        self.png, self.width, self.alt, self.caption = png, int(width), alt, caption

    def _repr_mimebundle_(self, include=None, exclude=None):
        import base64

        data = {"image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": f"<Figure: {self.alt}>"}
        meta = {"image/png": {"width": self.width, "alt": self.alt}}
        return data, meta


def show(fig: Figure, alt: str | None = None, caption: str | None = None) -> FigureOutput:
    """Render ``fig`` (and close it) with its text alternative, for display in a notebook.

    ``alt`` defaults to the one attached with :func:`set_alt`; a figure without one is an
    error, so no figure reaches a reader undescribed. Return it as the last expression of a
    cell (or pass it to ``display``).
    """
    import io

    import matplotlib.pyplot as plt

    text = _check_alt(alt) if alt is not None else get_alt(fig)
    if text is None:
        raise ValueError("alt: this figure has no text alternative; pass alt='what it shows, "
                         "with its key numbers' or call set_alt(fig, ...) where it is drawn")
    width = round(fig.get_figwidth() * CSS_DPI)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=CSS_DPI * DENSITY)
    plt.close(fig)
    return FigureOutput(buf.getvalue(), width, text, caption)
