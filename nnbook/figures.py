"""Showing a figure with a text alternative: what a reader who cannot see it is told.

Every figure of the book is shown through :func:`show` (inline figures) or returned from a
knob's ``draw`` after :func:`set_alt` (knob frames), with a description of what it shows and
its key numbers, e.g. ``"Training and validation loss over 200 epochs: training falls to
0.05; validation is lowest, 0.53, at epoch 7, then rises to 0.92"``. The description is made
by the code that draws the figure, from the same numbers; the figure functions of
:mod:`nnbook.plots` attach a default one computed from their data, so ``show(fig)`` works for
them without an explicit ``alt``.

How a figure reaches the page
-----------------------------
:func:`show` renders the figure once as a PNG at ``DENSITY`` times pixels (sharp on high-density
screens) and displays it as ``image/png`` with output metadata
``{"alt": ..., "width": <CSS px>, "caption": ..., "label": ...}``. The book build's extension
(``_ext/nnbook_offline.py``) turns that metadata into the page: ``<img alt="...">`` shown
``width`` CSS pixels wide (at most the column), and, when there is a ``caption``, a numbered
figure (``Fig. 4.2`` — the chapter number, then the figure's rank among the chapter's
captioned figures) with the caption under the image. ``label`` (optional) names the figure so
the text can refer to it: ``{numref}`fig-l2-curves``` renders "Fig. 4.2". A figure without a
caption is not numbered: use captions for the figures the text talks about.

Book: every chapter (figures and their text alternatives).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["set_alt", "get_alt", "show", "FigureOutput", "describe_number", "DENSITY", "CSS_DPI"]

_ALT_ATTR = "_nnbook_alt"
#: Pixels per CSS pixel of the PNGs: 2 keeps figures sharp on high-density screens.
DENSITY = 2
#: Dots per inch at which a figure's size in inches maps to CSS pixels.
CSS_DPI = 100
_LABEL = re.compile(r"^[a-z][a-z0-9-]*$")
# A path or a file name is not a description (what the old build put in every alt).
_PATHLIKE = re.compile(r"^[\w./\\-]+\.(png|jpe?g|svg|gif)$|^/|^_images/", re.IGNORECASE)


def _check_alt(alt: Any, name: str = "alt") -> str:
    if not isinstance(alt, str) or len(alt.strip()) < 10 or _PATHLIKE.search(alt.strip()):
        raise ValueError(f"{name}: expected a description of the figure (a sentence with its key "
                         f"numbers), got {alt!r}")
    return " ".join(alt.split())


def describe_number(value: float, digits: int = 3) -> str:
    """A number as a description reads it: ``digits`` significant digits, no ``e+00`` noise.

    ``describe_number(0.052913) == "0.0529"``, ``describe_number(1.7e-06) == "1.7e-06"``.
    """
    value = float(value)
    if value != value:  # nan
        return "undefined"
    return f"{value:.{digits}g}"


def set_alt(fig: Figure, alt: str) -> Figure:
    """Attach the text alternative ``alt`` to ``fig`` and return ``fig`` (for knob draws).

    Call it after drawing, with the figure's key numbers; the last call wins, so a chapter
    can replace the default description a :mod:`nnbook.plots` function attached.
    """
    setattr(fig, _ALT_ATTR, _check_alt(alt))
    return fig


def get_alt(fig: Figure) -> str | None:
    """The text alternative attached to ``fig`` by :func:`set_alt`, or None."""
    return getattr(fig, _ALT_ATTR, None)


class FigureOutput:
    """A rendered figure: PNG at ``DENSITY`` times pixels, its CSS width and its text alternative.

    In a notebook front end and in the book build it displays as ``image/png`` with output
    metadata ``{"alt", "width"}`` (and ``"caption"``, ``"label"`` when given); the build's
    extension turns ``alt`` into the ``<img alt>`` and ``caption`` into a numbered caption
    under the image. A notebook front end shows the image at ``width`` CSS pixels.
    """

    def __init__(self, png: bytes, width: int, alt: str, caption: str | None = None,
                 label: str | None = None) -> None:
        self.png, self.width, self.alt = png, int(width), alt
        self.caption, self.label = caption, label

    def metadata(self) -> dict[str, Any]:
        """The output metadata of the ``image/png`` rendering."""
        meta: dict[str, Any] = {"width": self.width, "alt": self.alt}
        if self.caption:
            meta["caption"] = self.caption
        if self.label:
            meta["label"] = self.label
        return meta

    def _repr_mimebundle_(self, include=None, exclude=None):
        import base64

        data = {"image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": f"<Figure: {self.alt}>"}
        return data, {"image/png": self.metadata()}


def show(fig: Figure, alt: str | None = None, caption: str | None = None, *,
         label: str | None = None) -> FigureOutput:
    """Render ``fig`` (and close it) with its text alternative, for display in a notebook.

    Parameters
    ----------
    fig : Figure
        Its size in inches times ``CSS_DPI`` is its width on the page (at most the column,
        about 690 CSS px: keep figures at most ~7 inches wide); it is rendered at
        ``DENSITY`` times that many pixels.
    alt : str, optional
        What the figure shows, with its key numbers. Defaults to the one attached with
        :func:`set_alt` (every :mod:`nnbook.plots` function attaches one); a figure without
        either is an error, so no figure reaches a reader undescribed.
    caption : str, optional
        Shown under the figure in the book, which numbers it ("Fig. 4.2"). Markdown is not
        interpreted; write math as Unicode.
    label : str, optional
        A name for references from the text, e.g. ``"fig-l2-curves"`` for
        ``{numref}`fig-l2-curves```; needs a caption (only captioned figures are numbered).

    Returns
    -------
    FigureOutput
        Return it as the last expression of a cell (or pass it to ``display``).
    """
    import io

    import matplotlib.pyplot as plt

    text = _check_alt(alt) if alt is not None else get_alt(fig)
    if text is None:
        raise ValueError("alt: this figure has no text alternative; pass alt='what it shows, "
                         "with its key numbers' or call set_alt(fig, ...) where it is drawn")
    if caption is not None and (not isinstance(caption, str) or not caption.strip()):
        raise ValueError(f"caption: expected a non-empty string, got {caption!r}")
    if label is not None:
        if not isinstance(label, str) or not _LABEL.match(label):
            raise ValueError(f"label: expected lowercase letters, digits and '-', starting with a "
                             f"letter (e.g. 'fig-l2-curves'), got {label!r}")
        if caption is None:
            raise ValueError("label: a labelled figure needs a caption (only captioned figures "
                             "are numbered)")
    width = round(fig.get_figwidth() * CSS_DPI)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=CSS_DPI * DENSITY)
    plt.close(fig)
    return FigureOutput(buf.getvalue(), width, text, caption, label)
