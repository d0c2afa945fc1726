r"""Interactive knobs that work in two places: a live kernel and the built HTML book.

A chapter states a knob once::

    knob(draw, lr=[0.01, 0.1, 1.0], labels={"lr": "learning rate η"})

``draw(**values)`` returns a new matplotlib Figure for one combination of control values.
Every figure is rendered to a PNG *frame*, so both modes show exactly the same pictures:

* **live** (a running Jupyter kernel): one ipywidgets control per keyword above an ``Image``
  widget. Showing the knob renders every frame up front (``widget(precompute=True)``), so
  moving a control only swaps a cached PNG into the image; nothing is recomputed.
* **static** (the book build, which sets ``NNBOOK_STATIC_WIDGETS=1``): every frame of the
  Cartesian product is rendered at build time and embedded as base64 PNG in a small
  self-contained HTML/JS block. Sliders switch frames in the page with no kernel and no
  network; nothing is shown that moves without redrawing.

Every frame carries its own text alternative: ``draw`` calls
:func:`nnbook.figures.set_alt` on the figure it returns (the :mod:`nnbook.plots` functions
attach a default one), and the page swaps the ``<img alt>`` with the frame. A frame without
one gets a description built from the control values, unless ``NNBOOK_REQUIRE_ALT=1`` (set by
the build when ``nnbook_require_alt`` is true in ``_config.yml``): then it is a ``ValueError``
naming ``draw``. Labels and values are shown as plain Unicode (``$\lambda$`` → λ,
``Sobel$^T$`` → Sobelᵀ). Frames are PNGs at :data:`nnbook.figures.DENSITY` times the pixels, shown
``dpi`` CSS pixels per inch of figure.

Book: used by every chapter for its knobs (η, λ, dropout p, activation, depth, kernel, ...).
"""
from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import os
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

import numpy as np

if TYPE_CHECKING:  # only for the annotations: matplotlib and ipywidgets load on first use
    import ipywidgets
    from matplotlib.figure import Figure

from ._mathtext import plain
from .figures import DENSITY, get_alt

__all__ = ["Knob", "knob", "static_mode", "require_alt", "render_png"]

STATIC_ENV = "NNBOOK_STATIC_WIDGETS"
REQUIRE_ALT_ENV = "NNBOOK_REQUIRE_ALT"


def static_mode() -> bool:
    """True when knobs must render as kernel-free HTML (set by the book build)."""
    return os.environ.get(STATIC_ENV, "") not in ("", "0", "false", "False")


def require_alt() -> bool:
    """True when a knob frame without a text alternative is an error (``NNBOOK_REQUIRE_ALT``)."""
    return os.environ.get(REQUIRE_ALT_ENV, "") not in ("", "0", "false", "False")


def render_png(fig: Figure, dpi: int = 100, layout: list | None = None) -> bytes:
    """Render a matplotlib Figure to PNG bytes once, and close it (frames must not leak).

    The figure is drawn a single time on an Agg canvas (``savefig`` would draw twice with
    constrained layout) and the pixels are quantized to a 256-colour palette: plots have
    few colours, so frames shrink 2–4× with no visible change, which keeps pages light.

    ``layout``: a list to exchange axes positions. Empty: it is filled with the positions
    the figure's layout engine chose. Filled, and the figure has as many axes: the layout
    engine is switched off and those positions are reused — the frames of one knob then
    share one layout (nothing jumps between frames) and skip the costly layout pass.
    """
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image  # a dependency of matplotlib

    fig.set_dpi(dpi)
    if layout and len(layout) == len(fig.axes):
        try:
            fig.set_layout_engine("none")
        except RuntimeError:  # an engine that cannot be switched off: lay out as usual
            pass
        else:
            for ax, position in zip(fig.axes, layout):
                ax.set_position(position)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    if layout is not None and not layout:
        layout.extend(ax.get_position() for ax in fig.axes)
    rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    plt.close(fig)
    # median cut, not fast octree: octree bands the smooth backgrounds of decision boundaries
    img = Image.fromarray(rgb).quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _fast_rc():
    """Matplotlib settings for frames: a fixed title height. With the default (automatic)
    title placement every draw measures all tick labels of each axes to lift its title, which
    was half of a frame's rendering time."""
    import matplotlib as mpl

    return mpl.rc_context({"axes.titley": 1.0})


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    return plain(str(value))


class Knob:
    """One or more controls and the figure they select. Made by :func:`knob`."""

    def __init__(self, draw: Callable[..., Any], controls: Mapping[str, Sequence[Any]], *,
                 title: str | None = None, labels: Mapping[str, str] | None = None,
                 initial: Mapping[str, Any] | None = None, dpi: int = 100) -> None:
        if not callable(draw):
            raise ValueError(f"draw must be a function returning a matplotlib Figure, got {type(draw).__name__}")
        if not controls:
            raise ValueError("controls: give at least one keyword with a list of values, e.g. lr=[0.1, 1.0]")
        self.draw = draw
        self.controls: dict[str, list[Any]] = {}
        for name, values in controls.items():
            if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__iter__"):
                raise ValueError(f"control {name!r}: expected a list of values, got {values!r}")
            values = list(values)
            if not values:
                raise ValueError(f"control {name!r}: the list of values is empty")
            self.controls[name] = values
        self.labels = {name: plain((labels or {}).get(name, name)) for name in self.controls}
        unknown = set(labels or {}) - set(self.controls)
        if unknown:
            raise ValueError(f"labels: unknown control(s) {sorted(unknown)}; controls are {list(self.controls)}")
        self.initial = {}
        for name, values in self.controls.items():
            value = (initial or {}).get(name, values[0])
            if value not in values:
                raise ValueError(f"initial: {name}={value!r} is not one of {values}")
            self.initial[name] = value
        unknown = set(initial or {}) - set(self.controls)
        if unknown:
            raise ValueError(f"initial: unknown control(s) {sorted(unknown)}; controls are {list(self.controls)}")
        self.title = plain(title) if title else title
        self.dpi = dpi
        self._cache: dict[tuple, bytes] = {}
        self._alts: dict[tuple, str] = {}
        self._fallback: set[tuple] = set()  # frames whose alt was built from the control values
        self._size: tuple[int, int] | None = None  # CSS size of the first frame
        self._layout: list = []  # axes positions of the first frame, shared by the others

    # -- frames ---------------------------------------------------------------------
    def combinations(self) -> list[dict[str, Any]]:
        """Every combination of control values, in row-major order (last control fastest)."""
        names = list(self.controls)
        return [dict(zip(names, combo)) for combo in itertools.product(*self.controls.values())]

    def _key(self, values: Mapping[str, Any]) -> tuple:
        return tuple(self.controls[name].index(values[name]) for name in self.controls)

    def frame(self, **values: Any) -> bytes:
        """PNG bytes of the figure for one combination (rendered once, then cached)."""
        key = self._key(values)
        if key not in self._cache:
            with _fast_rc():
                fig = self.draw(**values)
                self._alts[key] = self._alt_of(fig, values, key)
                if self._size is None:
                    w, h = fig.get_size_inches()
                    self._size = (round(w * self.dpi), round(h * self.dpi))
                self._cache[key] = self.render(fig)
        return self._cache[key]

    def _alt_of(self, fig: Any, values: Mapping[str, Any], key: tuple) -> str:
        alt = get_alt(fig) if hasattr(fig, "savefig") else None
        if alt is not None:
            return alt
        name = getattr(self.draw, "__name__", repr(self.draw))
        if require_alt():
            raise ValueError(f"draw ({name}) returned a figure without a text alternative for "
                             f"{dict(values)}: call nnbook.figures.set_alt(fig, 'what it shows, with "
                             f"its key numbers') before returning it")
        self._fallback.add(key)
        chosen = ", ".join(f"{self.labels[n]} = {_format_value(v)}" for n, v in values.items())
        return f"{self.title or 'Figure'} for {chosen}"

    def alt(self, **values: Any) -> str:
        """The text alternative of the frame for one combination."""
        self.frame(**values)
        return self._alts[self._key(values)]

    def alts(self) -> list[str]:
        """Every frame's text alternative, in the order of :meth:`combinations`."""
        return [self.alt(**values) for values in self.combinations()]

    def render(self, fig: Figure) -> bytes:
        """PNG bytes of one of this knob's figures at ``DENSITY`` times, laid out like its first frame."""
        return render_png(fig, dpi=self.dpi * DENSITY, layout=self._layout)

    def frames(self) -> list[bytes]:
        """All frames, in the order of :meth:`combinations`."""
        return [self.frame(**values) for values in self.combinations()]

    # -- static HTML ------------------------------------------------------------------
    def html(self) -> str:
        """A self-contained HTML/JS block: one labelled range input per control switching the
        frames (keyboard: Tab to a slider, arrow keys to move it), the frame's text
        alternative swapped with it and announced politely to screen readers. Layout and print
        styles come from the book's stylesheet (classes ``nnbook-knob*``)."""
        frames = self.frames()
        alts = self.alts()
        uid = "nnbook-knob-" + hashlib.sha1(b"".join(frames)).hexdigest()[:12]
        sizes = [len(v) for v in self.controls.values()]
        start = self._key(self.initial)
        rows = []
        for i, name in enumerate(self.controls):
            shown = [_format_value(v) for v in self.controls[name]]
            cid = f"{uid}-c{i}"
            rows.append(
                f'<div class="nnbook-knob-control">'
                f'<label for="{cid}">{html.escape(self.labels[name])}</label>'
                f'<input type="range" id="{cid}" min="0" max="{len(shown) - 1}" step="1" value="{start[i]}" '
                f'data-control="{i}" aria-valuetext="{html.escape(shown[start[i]])}">'
                f'<output for="{cid}" data-values=\'{html.escape(json.dumps(shown))}\'>'
                f"{html.escape(shown[start[i]])}</output></div>"
            )
        srcs = json.dumps(["data:image/png;base64," + base64.b64encode(f).decode("ascii") for f in frames])
        title = f'<div class="nnbook-knob-title">{html.escape(self.title)}</div>' if self.title else ""
        first = self.combinations().index(self.initial)  # frames follow combinations()
        width, height = self._size or (0, 0)
        dims = f' width="{width}" height="{height}"' if width else ""
        fallback = ' data-alt="from-controls"' if self._fallback else ""
        first_src = "data:image/png;base64," + base64.b64encode(frames[first]).decode("ascii")
        return (
            f'<div class="nnbook-knob" id="{uid}" role="group"'
            f'{f" aria-label={chr(34)}{html.escape(self.title)}{chr(34)}" if self.title else ""}{fallback}>'
            f"{title}{''.join(rows)}"
            f'<img class="nnbook-knob-frame"{dims} alt="{html.escape(alts[first])}" src="{first_src}">'
            '<div class="nnbook-knob-live" aria-live="polite"></div>'
            f"<script>(function(){{var root=document.getElementById('{uid}');"
            f"var srcs={srcs};var alts={json.dumps(alts)};var sizes={json.dumps(sizes)};"
            "var inputs=root.querySelectorAll('input[type=range]');var img=root.querySelector('img');"
            "var live=root.querySelector('.nnbook-knob-live');"
            "function show(ev){var idx=0;inputs.forEach(function(inp,i){var v=parseInt(inp.value,10);"
            "idx=idx*sizes[i]+v;var out=inp.parentNode.querySelector('output');"
            "var text=JSON.parse(out.getAttribute('data-values'))[v];out.textContent=text;"
            "inp.setAttribute('aria-valuetext',text);});"
            "img.src=srcs[idx];img.alt=alts[idx];root.setAttribute('data-frame',idx);"
            "if(ev){live.textContent=alts[idx];}}"
            "inputs.forEach(function(inp){inp.addEventListener('input',show);});show();})();</script>"
            "</div>"
        )

    # -- live widget ------------------------------------------------------------------
    def widget(self, precompute: bool = True) -> ipywidgets.VBox:
        """An ipywidgets box: one selection slider per control above an Image.

        With ``precompute`` every frame is rendered before the box is shown (what the book
        build does too), so moving a slider only swaps a cached PNG: a redraw takes well
        under a millisecond instead of the 30–150 ms matplotlib needs to draw a frame.
        """
        try:
            import ipywidgets as widgets
        except ImportError as err:  # displaying the knob falls back to the kernel-free frames
            raise ModuleNotFoundError("live knobs need ipywidgets: pip install -e '.[widgets]'",
                                      name="ipywidgets") from err

        if precompute:
            self.frames()
        image = widgets.Image(value=self.frame(**self.initial), format="png")
        if self._size:  # frames have DENSITY× pixels: show them at their CSS size
            image.layout = widgets.Layout(width=f"{self._size[0]}px", max_width="100%", height="auto")
        sliders = {
            name: widgets.SelectionSlider(
                options=[(_format_value(v), v) for v in values], value=self.initial[name],
                description=self.labels[name], continuous_update=False,
                style={"description_width": "initial"}, layout=widgets.Layout(width="32em"))
            for name, values in self.controls.items()
        }

        def redraw(_change=None) -> None:
            image.value = self.frame(**{name: s.value for name, s in sliders.items()})

        for s in sliders.values():
            s.observe(redraw, names="value")
        parts = ([widgets.HTML(f"<b>{html.escape(self.title)}</b>")] if self.title else []) + list(sliders.values()) + [image]
        box = widgets.VBox(parts)
        box.sliders, box.image = sliders, image  # handles for tests and benchmarks
        return box

    def _repr_mimebundle_(self, include=None, exclude=None):
        if static_mode():
            return {"text/html": self.html()}
        try:
            return self.widget()._repr_mimebundle_(include=include, exclude=exclude)
        except ImportError:  # no ipywidgets: fall back to the kernel-free version
            return {"text/html": self.html()}


def knob(draw: Callable[..., Any], *, title: str | None = None,
         labels: Mapping[str, str] | None = None, initial: Mapping[str, Any] | None = None,
         dpi: int = 100, **controls: Sequence[Any]) -> Knob:
    """State an interactive knob once; it is live in a kernel and a frame slider in the book.

    Parameters
    ----------
    draw : callable
        ``draw(**values) -> matplotlib.figure.Figure`` for one combination of values. Keep it
        fast (compute everything beforehand; ``draw`` only plots): it runs once per frame.
    title : str, optional
        A heading shown above the controls.
    labels : dict, optional
        Display label per control keyword, e.g. ``{"lr": "learning rate η"}``.
    initial : dict, optional
        Starting value per control (default: the first value of each list).
    dpi : int
        CSS pixels per inch of figure: 100, like the inline figures around them. Frames are
        rendered at ``DENSITY`` times that (sharp on high-density screens; a palette PNG keeps
        pages light).
    **controls : sequence
        One keyword per control with its list of values; several controls give the
        Cartesian product of frames.

    Returns
    -------
    Knob
        Display it (last expression of a cell). Book: every chapter's interactive figures.
    """
    return Knob(draw, controls, title=title, labels=labels, initial=initial, dpi=dpi)
