"""The knob mechanism: one statement, a live ipywidget in a kernel, frames in the book."""
import base64
import json
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nnbook.widgets import Knob, knob, render_png, static_mode  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def make_draw(calls):
    x = np.linspace(-3, 3, 50)

    def draw(a, kind="line"):
        calls.append((a, kind))
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot(x, a * x if kind == "line" else a * x**2)
        ax.set_title(f"{kind} {a}")
        return fig

    return draw


def frames_in(html):
    srcs = re.search(r"var srcs=(\[.*?\]);", html).group(1)
    return [base64.b64decode(s.split(",", 1)[1]) for s in re.findall(r'"([^"]+)"', srcs)]


def test_render_png_returns_png_and_closes_the_figure():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    n_before = len(plt.get_fignums())
    png = render_png(fig)
    assert png.startswith(PNG_MAGIC)
    assert len(plt.get_fignums()) == n_before - 1


def test_frames_cover_the_cartesian_product_in_row_major_order():
    calls = []
    k = knob(make_draw(calls), a=[1, 2, 3], kind=["line", "square"])
    assert [tuple(c.values()) for c in k.combinations()] == [
        (1, "line"), (1, "square"), (2, "line"), (2, "square"), (3, "line"), (3, "square")]
    frames = k.frames()
    assert len(frames) == 6 and len(set(frames)) == 6  # six different pictures
    assert calls == [(1, "line"), (1, "square"), (2, "line"), (2, "square"), (3, "line"), (3, "square")]
    k.frames()  # cached: draw is not called again
    assert len(calls) == 6


def test_static_html_embeds_every_frame_and_one_slider_per_control():
    k = knob(make_draw([]), a=[1, 2], kind=["line", "square"], labels={"a": "slope a"}, initial={"a": 2})
    html = k.html()
    assert html.count('type="range"') == 2
    assert "slope a" in html
    assert frames_in(html) == k.frames()
    assert "http" not in html  # nothing is fetched from the network
    # the initial frame (shown before and without JavaScript) is the (a=2, kind=line) one: index 2
    first = re.search(r'<img class="nnbook-knob-frame"[^>]* src="data:image/png;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(first) == k.frames()[2]


def test_static_html_is_deterministic():
    a = knob(make_draw([]), a=[1, 2]).html()
    b = knob(make_draw([]), a=[1, 2]).html()
    assert a == b


def test_mode_switch_follows_the_build_environment(monkeypatch):
    k = knob(make_draw([]), a=[1, 2])
    monkeypatch.setenv("NNBOOK_STATIC_WIDGETS", "1")
    assert static_mode()
    assert set(k._repr_mimebundle_()) == {"text/html"}
    monkeypatch.setenv("NNBOOK_STATIC_WIDGETS", "0")
    assert not static_mode()
    bundle = k._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_live_widget_redraws_when_a_slider_moves():
    pytest.importorskip("ipywidgets")
    calls = []
    k = knob(make_draw(calls), a=[1, 2, 3], kind=["line", "square"])
    box = k.widget(precompute=False)
    first = box.image.value
    assert calls == [(1, "line")]
    box.sliders["a"].value = 3
    assert calls[-1] == (3, "line")
    assert box.image.value != first and box.image.value == k.frame(a=3, kind="line")
    box.sliders["kind"].value = "square"
    assert box.image.value == k.frame(a=3, kind="square")


@pytest.mark.parametrize("kwargs, match", [
    (dict(), "controls"),
    (dict(a=[]), "empty"),
    (dict(a="abc"), "list of values"),
    (dict(a=[1, 2], initial={"a": 5}), "initial"),
    (dict(a=[1, 2], initial={"b": 1}), "initial"),
    (dict(a=[1, 2], labels={"b": "x"}), "labels"),
])
def test_bad_knob_arguments_raise_value_error_naming_them(kwargs, match):
    with pytest.raises(ValueError, match=match):
        knob(make_draw([]), **kwargs)


def test_draw_must_be_callable():
    with pytest.raises(ValueError, match="draw"):
        Knob(None, {"a": [1]})


def test_frames_share_the_first_frames_layout():
    positions = []

    def draw(a):
        fig, axes = plt.subplots(1, 2, figsize=(4, 2), layout="constrained")
        axes[0].set_ylabel("a very long label " * (3 if a == 2 else 1))
        axes[1].plot([0, 1], [0, a])
        fig.canvas.mpl_connect("draw_event", lambda _e: positions.append(
            [tuple(ax.get_position().bounds) for ax in fig.axes]))
        return fig

    k = knob(draw, a=[1, 2])
    k.frames()
    assert len(positions) == 2
    assert positions[0] == positions[1]  # the longer label did not move the axes


def test_live_widget_precomputes_every_frame_by_default():
    pytest.importorskip("ipywidgets")
    calls = []
    k = knob(make_draw(calls), a=[1, 2, 3])
    box = k.widget()
    assert len(calls) == 3  # all frames drawn before the widget is shown
    box.sliders["a"].value = 2
    assert len(calls) == 3 and box.image.value == k.frame(a=2)  # a swap, no new drawing


# --------------------------------------------------------------------------- issue 11
def alts_in(html):
    return json.loads(re.search(r"var alts=(\[.*?\]);", html).group(1))


def test_each_frame_carries_the_alt_its_draw_attached():
    from nnbook.figures import set_alt

    def draw(a):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1], [0, a])
        return set_alt(fig, f"A line rising from 0 to {a} over one unit")

    k = knob(draw, a=[1, 2, 3], initial={"a": 2})
    html = k.html()
    assert alts_in(html) == [f"A line rising from 0 to {a} over one unit" for a in (1, 2, 3)]
    # the image starts with the initial frame's alt; the script swaps it with the frame
    assert 'alt="A line rising from 0 to 2 over one unit"' in html
    assert "img.alt=alts[idx]" in html
    assert "data-alt=" not in html  # no frame fell back to the control values


def test_a_frame_without_alt_falls_back_to_the_controls_or_fails_when_required(monkeypatch):
    k = knob(make_draw([]), a=[1, 2], labels={"a": r"slope $\eta$"}, title="Lines")
    monkeypatch.delenv("NNBOOK_REQUIRE_ALT", raising=False)
    assert k.alts() == ["Lines for slope η = 1", "Lines for slope η = 2"]
    assert 'data-alt="from-controls"' in k.html()
    monkeypatch.setenv("NNBOOK_REQUIRE_ALT", "1")
    with pytest.raises(ValueError, match=r"draw \(draw\).*set_alt"):
        knob(make_draw([]), a=[1, 2]).frames()


def test_labels_and_values_are_plain_unicode_with_fixed_width_controls():
    k = knob(make_draw([]), a=[1, 2], kind=["line", "square"],
             labels={"a": r"L2 strength $\lambda$", "kind": "kernel Sobel$^T$"})
    html = k.html()
    assert "$" not in html.split("<script>")[0] and "\\" not in html.split("<script>")[0]
    assert "L2 strength λ" in html and "kernel Sobelᵀ" in html
    # native range inputs, each with a <label for=...>, in a fixed-width grid row (CSS class)
    ids = re.findall(r'<input type="range" id="([^"]+)"', html)
    assert len(ids) == 2 and all(f'<label for="{i}">' in html for i in ids)
    assert html.count('class="nnbook-knob-control"') == 2
    knob_values = knob(make_draw([]), a=[1], kind=["Sobel$^T$"]).html()
    assert "Sobelᵀ" in knob_values and "Sobel$^T$" not in knob_values


def test_an_unknown_latex_command_in_a_label_is_an_error():
    with pytest.raises(ValueError, match="label"):
        knob(make_draw([]), a=[1], labels={"a": r"$\weird$"})


def test_frames_are_rendered_at_twice_the_css_size():
    from PIL import Image
    import io

    k = knob(make_draw([]), a=[1, 2], dpi=100)
    html = k.html()
    assert 'width="300" height="200"' in html  # figsize (3, 2) at 100 CSS px per inch
    assert Image.open(io.BytesIO(k.frames()[0])).size == (600, 400)


def test_live_widget_without_ipywidgets_says_which_extra_to_install(monkeypatch):
    import builtins

    from nnbook.widgets import knob

    real_import = builtins.__import__

    def no_ipywidgets(name, *args, **kwargs):
        if name == "ipywidgets" or name.startswith("ipywidgets."):
            raise ImportError("No module named 'ipywidgets'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ipywidgets)
    k = knob(lambda a: None, a=[1, 2])
    with pytest.raises(ModuleNotFoundError, match=r"pip install -e '\.\[widgets\]'"):
        k.widget(precompute=False)
