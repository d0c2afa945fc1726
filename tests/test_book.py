"""The book as a reader gets it: built with warnings as errors, then read offline in Chromium.

The build runs once per test session (``built_book``); with pytest-xdist every test here is
in the ``book`` group, so one worker builds and then drives the browser. Jupyter Book's
execution cache makes a rebuild with unchanged notebooks take seconds.

The browser test needs Chromium (``apt-get install chromium``) and the Python package
``playwright`` (never ``playwright install``: we drive the system browser). Without them it
skips with the reason; CI sets ``NNBOOK_REQUIRE_BROWSER=1`` so that it fails instead.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from _browser import (ROOT, chapter_notebooks, open_offline as _open, real_errors, toc_pages,
                      wait_for_math)

pytestmark = [pytest.mark.book, pytest.mark.xdist_group("book")]


def test_every_toc_page_is_built(built_book):
    for page in toc_pages():
        assert (built_book / f"{page}.html").is_file(), f"{page}.html missing"


def test_pages_load_nothing_from_a_cdn(built_book):
    for page in toc_pages():
        text = (built_book / f"{page}.html").read_text()
        remote = re.findall(r'<(?:script|link|img)\b[^>]*(?:src|href)="(https?://[^"]+)"', text)
        assert remote == [], f"{page} loads {remote}"
        assert "application/vnd.jupyter.widget-view+json" not in text, f"{page} has a static ipywidget"
        assert "@jupyter-widgets/html-manager" not in text, f"{page} loads the widget manager"
    assert (built_book / "mathjax" / "tex-chtml.js").is_file()


def test_launch_buttons_point_at_the_repository(built_book):
    """Launch buttons point at the repository named in _config.yml, and there are none while
    it names no real repository (nnbook._launch)."""
    from nnbook._launch import repository

    url, branch = repository(yaml.safe_load((ROOT / "_config.yml").read_text()))
    for page in chapter_notebooks():
        text = (built_book / f"{page}.html").read_text()
        if url is None:
            assert "mybinder.org/v2/gh/" not in text and "colab.research.google.com/github/" not in text, page
            continue
        repo = url.removeprefix("https://github.com/")
        assert f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=tree/{page}.ipynb" in text, page
        assert f"https://colab.research.google.com/github/{repo}/blob/{branch}/{page}.ipynb" in text, page


def test_chapters_have_figures_and_knobs(built_book):
    for page in chapter_notebooks():
        text = (built_book / f"{page}.html").read_text()
        assert re.search(r'<img[^>]+src="(data:image/png;base64,|[^"]*_images/)', text), \
            f"{page} has no figure"
    backprop = (built_book / "book" / "03_backpropagation.html").read_text()
    assert 'class="nnbook-knob"' in backprop, "chapter 3 must have the learning-rate knob"


# ---------------------------------------------------------------------------------------
# Headless Chromium, network cut
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("page_path", toc_pages())
def test_page_reads_offline(browser, built_book, page_path):
    page, blocked, errors = _open(browser, built_book, page_path)
    source = (built_book / f"{page_path}.html").read_text()
    if 'class="math' in source:
        assert wait_for_math(page) > 0, "MathJax did not typeset the math"
    prose = page.evaluate("""() => {
        const main = document.querySelector('main') || document.body;
        const copy = main.cloneNode(true);
        copy.querySelectorAll('pre, code, script, mjx-container, .cell_input').forEach(e => e.remove());
        return copy.innerText; }""")
    for raw in ("$$", "\\frac", "\\sigma", "\\begin{"):
        assert raw not in prose, f"raw LaTeX {raw!r} visible on {page_path}"
    broken = page.evaluate("""() => Array.from(document.images)
        .filter(img => img.getAttribute('src') && img.offsetParent !== null && !(img.complete && img.naturalWidth > 0))
        .map(img => (img.getAttribute('src') || '').slice(0, 80))""")
    assert broken == [], f"images that did not load: {broken}"
    assert blocked == [], f"{page_path} tried to reach the network: {blocked}"
    assert real_errors(errors) == [], f"JavaScript errors on {page_path}: {real_errors(errors)}"
    shots = built_book.parent / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{Path(page_path).name}.png"))
    page.context.close()


@pytest.mark.parametrize("page_path", chapter_notebooks())
def test_every_knob_changes_its_figure_without_a_kernel(browser, built_book, page_path):
    page, blocked, errors = _open(browser, built_book, page_path)
    knobs = page.locator(".nnbook-knob")
    if page_path.endswith("03_backpropagation"):
        assert knobs.count() >= 1, "chapter 3 must have the learning-rate knob"
    for i in range(knobs.count()):
        root = knobs.nth(i)
        img = root.locator("img.nnbook-knob-frame")
        sliders = root.locator('input[type="range"]')
        assert sliders.count() >= 1
        for j in range(sliders.count()):
            slider = sliders.nth(j)
            before = img.get_attribute("src")
            assert before and before.startswith("data:image/png;base64,")
            current, top = int(slider.input_value()), int(slider.get_attribute("max"))
            if top == 0:
                continue
            slider.fill(str(0 if current == top else top))  # sets the value, fires "input"
            after = img.get_attribute("src")
            assert after != before, f"knob {i} slider {j} on {page_path} did not change the figure"
            assert page.evaluate("(el) => el.complete && el.naturalWidth > 0", img.element_handle())
    assert blocked == []
    assert real_errors(errors) == [], real_errors(errors)
    page.context.close()
