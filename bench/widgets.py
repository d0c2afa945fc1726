"""Knob redraw times: for every knob in the book, compute + draw + render of every frame.

A live knob shows ``Knob.frame(**values)``, which is ``render_png(draw(**values))`` the first
time a combination is chosen. This module executes each chapter notebook's code cells in
this process (headless matplotlib, ``NNBOOK_STATIC_WIDGETS`` unset, so knobs are the live
kind), records every :class:`nnbook.widgets.Knob` created, then times
``render_png(knob.draw(**values))`` for every combination, uncached. The aim is a median
below 50 ms and a maximum below 100 ms per knob. Draw (the figure) and render (PNG +
palette quantization) are also timed apart, to say where a slow knob spends its time.
"""
from __future__ import annotations

import contextlib
import io
import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

BOOK = Path(__file__).resolve().parent.parent / "book"


@dataclass
class KnobTiming:
    notebook: str
    label: str
    n_frames: int
    total: list[float] = field(default_factory=list)  # draw + render, per frame
    draw: list[float] = field(default_factory=list)  # draw(**values) alone
    render: list[float] = field(default_factory=list)  # render_png(fig) alone
    slowest: dict[str, Any] | None = None
    reference: list[float] = field(default_factory=list)  # reference_frame(), interleaved
    live: list[float] = field(default_factory=list)  # slider change -> new image, live widget
    shown: float = 0.0  # creating the live widget (renders every frame once)

    @property
    def median(self) -> float:
        return statistics.median(self.total)

    @property
    def max(self) -> float:
        return max(self.total)


class _Shell:
    """Stands in for ``get_ipython()``: magics (``%pip``, ``%matplotlib``) do nothing here."""

    def run_line_magic(self, *args, **kwargs):
        return None

    def run_cell_magic(self, *args, **kwargs):
        return None

    def system(self, *args, **kwargs):
        return None

    def getoutput(self, *args, **kwargs):
        return []


def code_cells(path: Path) -> list[str]:
    """The notebook's code cells as plain Python (IPython magics turned into calls)."""
    import nbformat
    from IPython.core.inputtransformer2 import TransformerManager

    nb = nbformat.read(str(path), as_version=4)
    tm = TransformerManager()
    return [tm.transform_cell(c.source) for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def collect_knobs(path: Path) -> list[tuple[str, Any]]:
    """Execute a notebook's code in-process; return ``(label, Knob)`` for every knob it made."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nnbook.widgets as w

    path = Path(path).resolve()
    cells = code_cells(path)
    made: list[Any] = []
    original = w.Knob.__init__

    def recording_init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    namespace: dict[str, Any] = {"__name__": "__main__", "get_ipython": lambda: _Shell()}
    old_cwd, old_static = os.getcwd(), os.environ.pop(w.STATIC_ENV, None)
    w.Knob.__init__ = recording_init
    try:
        os.chdir(path.parent)
        for i, source in enumerate(cells):
            with contextlib.redirect_stdout(io.StringIO()):
                try:
                    exec(compile(source, f"{path.name}[cell {i}]", "exec"), namespace)
                except Exception as exc:
                    raise RuntimeError(f"{path.name}: code cell {i} failed: {exc!r}") from exc
                finally:
                    plt.close("all")
    finally:
        w.Knob.__init__ = original
        os.chdir(old_cwd)
        if old_static is not None:
            os.environ[w.STATIC_ENV] = old_static
    out = []
    for k in made:
        label = k.title or ", ".join(k.controls)
        out.append((label, k))
    return out


def reference_figure():
    """The simplest knob-sized frame: one 7×3.2 in axes with one sine line, for scale.

    Timed between the knob's frames, it calibrates for machine load: a knob's ratio to it
    says how much heavier its figure is than the least any matplotlib frame costs.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    x = np.linspace(0, 2 * np.pi, 200)
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.plot(x, np.sin(x))
    ax.set_title("reference")
    return fig


def time_knob(knob, notebook: str = "", label: str = "", repeats: int = 3) -> KnobTiming:
    """Per frame, the median over ``repeats`` of draw + render (uncached), and of each part.

    One :func:`reference_figure` frame is rendered after each knob frame (interleaved).
    """
    from nnbook.widgets import _fast_rc, render_png

    timing = KnobTiming(notebook, label, len(knob.combinations()))
    worst = -1.0
    for values in knob.combinations():
        draws, renders = [], []
        for _ in range(repeats):
            start = perf_counter()
            render_png(reference_figure(), dpi=knob.dpi)
            timing.reference.append(perf_counter() - start)
            with _fast_rc():  # what Knob.frame does around a redraw
                start = perf_counter()
                fig = knob.draw(**values)
                mid = perf_counter()
                knob.render(fig)  # as a live redraw: the first frame's layout is reused
                end = perf_counter()
            draws.append(mid - start)
            renders.append(end - mid)
        d, r = statistics.median(draws), statistics.median(renders)
        totals = sorted(a + b for a, b in zip(draws, renders))
        total = statistics.median(totals)
        timing.draw.append(d)
        timing.render.append(r)
        timing.total.append(total)
        if total > worst:
            worst, timing.slowest = total, dict(values)
    return timing


def time_live_widget(knob, timing: KnobTiming) -> None:
    """Time what a reader waits for in a kernel: a slider change until the image is new.

    ``Knob.widget()`` renders every frame when it is shown (``timing.shown``); afterwards a
    redraw swaps a cached PNG. Each combination is visited by setting the sliders.
    """
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return
    start = perf_counter()
    box = knob.widget()
    timing.shown = perf_counter() - start
    names = list(knob.controls)
    for values in knob.combinations():
        start = perf_counter()
        for name in names:
            box.sliders[name].value = values[name]
        assert box.image.value == knob.frame(**values)
        timing.live.append(perf_counter() - start)


def notebooks(book: Path = BOOK) -> list[Path]:
    return sorted(book.glob("[0-9][0-9]_*.ipynb"))


def run(repeats: int = 3, book: Path = BOOK) -> list:
    from ._report import Row

    rows = []
    for path in notebooks(book):
        try:
            knobs = collect_knobs(path)
        except RuntimeError as exc:
            rows.append(Row("widgets", f"{path.stem}: notebook failed", None, note=str(exc)[:200], ok=False))
            continue
        for label, k in knobs:
            t = time_knob(k, path.stem, label, repeats=repeats)
            note = (f"max {t.max * 1e3:.0f} ms at {t.slowest}; draw {statistics.median(t.draw) * 1e3:.0f} ms"
                    f" + render {statistics.median(t.render) * 1e3:.0f} ms (medians)")
            rows.append(Row("widgets", f"knob {path.stem}: “{label}” ({t.n_frames} frames), one frame "
                            "computed + drawn (uncached)", t.median, "one-line reference frame (load calibration)",
                            statistics.median(t.reference), note=note))
            time_live_widget(k, t)
            if t.live:
                live_median, live_max = statistics.median(t.live), max(t.live)
                rows.append(Row("widgets", f"knob {path.stem}: “{label}”, live redraw (slider change to new image)",
                                live_median, aim_text="median < 50 ms, max < 100 ms",
                                ok=live_median < 0.05 and live_max < 0.1,
                                note=f"max {live_max * 1e3:.1f} ms; the widget renders its {t.n_frames} frames "
                                     f"once when shown ({t.shown:.2f} s)"))
    if not rows:
        rows.append(Row("widgets", "knobs", None, note="no knobs found in book/NN_*.ipynb"))
    return rows
