"""Every reader, every screen (issue 11): the built pages, offline in headless Chromium.

* WCAG 2.1 AA with axe-core (``axe-playwright-python`` ships its JavaScript; nothing is
  downloaded), every page, light and dark mode: zero violations.
* Text alternatives: no ``<img>`` whose alt is empty, a path or a generic phrase; no alt
  shared by two different images (knob frames included); every knob frame has its own alt,
  made by its ``draw`` (none built from the control values).
* Widths: at 1280 px no display equation, table or output wider than the content column, and
  no figure shrunk so far that its 10 pt text is under 10 px; at 390 px no page wider than
  the screen.
* No machinery in a page: ``NBVAL``, ``BEGIN SOLUTION``, ``END SOLUTION``, a check's
  "correct" from running against the key.
* Keyboard: formulas are not tab stops, a chapter's first slider is a few Tab presses away,
  the focus ring is visible; a knob's alt follows its frame.
* Search: result excerpts appear under ``file://`` and through ``python -m http.server``.

Uses the session build of ``conftest.py`` (or ``NNBOOK_BUILT_HTML``); ~2 min for the book.
"""
from __future__ import annotations

import functools
import json
import re
import socket
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import pytest

from _browser import DESKTOP, PHONE, chapter_notebooks, open_offline, real_errors, toc_pages, wait_for_math

pytestmark = [pytest.mark.book, pytest.mark.xdist_group("book")]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The instructors' page teaches the exercise markup: its examples show the markers on purpose.
MARKUP_DOCS = {"book/instructors"}
MACHINERY = re.compile(r"NBVAL|BEGIN SOLUTION|END SOLUTION|\] correct: ")
GENERIC_ALTS = {"figure for the selected values", "figure", "image", "plot", "png"}
PATHLIKE = re.compile(r"(^|/)[\w.-]+\.(png|jpe?g|svg|gif)$|^\.\./_images/|^_images/", re.I)


def _open(browser, html, page_path, **kw):
    page, blocked, errors = open_offline(browser, html, page_path, **kw)
    if page.locator(".math").count():
        wait_for_math(page)
    return page, blocked, errors


@functools.lru_cache(maxsize=None)
def _source(html: Path, page_path: str) -> str:
    return (html / f"{page_path}.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- WCAG audit
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page_path", toc_pages())
def test_wcag21_aa_audit_has_no_violation(browser, built_book, page_path, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page, blocked, errors = _open(browser, built_book, page_path, color_scheme=scheme)
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    violations = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                          "resultTypes": ["violations"]}
                           ).response["violations"]
    found = [f"{v['id']} ({v['impact']}): {len(v['nodes'])}× e.g. {v['nodes'][0]['target']} — "
             f"{v['nodes'][0]['failureSummary'][:160]}" for v in violations]
    assert found == [], f"{page_path} ({scheme}):\n" + "\n".join(found)
    assert blocked == [] and real_errors(errors) == []
    page.context.close()


# ---------------------------------------------------------------------------- text alternatives
def _knobs(source: str) -> list[tuple[list[str], list[str], str]]:
    """(srcs, alts, opening tag) of every knob of a page."""
    out = []
    for match in re.finditer(r'(<div class="nnbook-knob"[^>]*>).*?var srcs=(\[.*?\]);var alts=(\[.*?\]);',
                             source, re.S):
        out.append((json.loads(match.group(2)), json.loads(match.group(3)), match.group(1)))
    return out


def _check_alt(alt: str | None, where: str) -> None:
    assert alt is not None, f"{where}: an <img> without alt"
    text = unescape(alt).strip()
    assert text, f"{where}: an empty alt"
    assert not PATHLIKE.search(text), f"{where}: the alt is a path: {text!r}"
    assert text.lower() not in GENERIC_ALTS, f"{where}: a generic alt: {text!r}"
    assert len(text.split()) >= 4, f"{where}: the alt says too little: {text!r}"


@pytest.mark.parametrize("page_path", toc_pages())
def test_every_image_has_its_own_description(built_book, page_path):
    source = _source(built_book, page_path)
    article = re.search(r'<article class="bd-article".*</article>', source, re.S)
    body = article.group(0) if article else ""
    body_wo_scripts = re.sub(r"<script\b.*?</script>", "", body, flags=re.S)
    by_alt: dict[str, set[str]] = {}
    for tag in re.findall(r"<img\b[^>]*>", body_wo_scripts):
        alt = re.search(r'\balt="([^"]*)"', tag)
        src = re.search(r'\bsrc="([^"]*)"', tag)
        _check_alt(alt and alt.group(1), f"{page_path} {tag[:80]}")
        if "nnbook-knob-frame" not in tag:  # knob frames are checked below, frame by frame
            by_alt.setdefault(unescape(alt.group(1)), set()).add(src.group(1) if src else "")
    for srcs, alts, opening in _knobs(body):
        assert 'data-alt="from-controls"' not in opening, (
            f"{page_path}: a knob whose draw sets no alt (its frames are described by the control "
            f"values only): call set_alt(fig, ...) in draw")
        assert len(srcs) == len(alts)
        for src, alt in zip(srcs, alts):
            _check_alt(alt, f"{page_path} knob frame")
            by_alt.setdefault(alt, set()).add(src)
    shared = {alt: len(srcs) for alt, srcs in by_alt.items() if len(srcs) > 1}
    assert shared == {}, f"{page_path}: one alt for different images: {shared}"


# ---------------------------------------------------------------------------- widths
COLUMN_OVERFLOW = """() => {
  const article = document.querySelector('article.bd-article');
  const col = article.getBoundingClientRect();
  const out = [];
  const report = (el, what, width) => out.push(`${what} ${Math.round(width)} px in a ${Math.round(col.width)} px column: ` +
      (el.textContent || el.getAttribute('alt') || '').trim().replace(/\\s+/g, ' ').slice(0, 70));
  article.querySelectorAll('div.math').forEach(box => {
    const math = box.querySelector('mjx-container > mjx-math');
    if (math && math.getBoundingClientRect().width > box.clientWidth + 1) report(box, 'equation', math.getBoundingClientRect().width);
  });
  article.querySelectorAll('table').forEach(t => {
    if (t.scrollWidth > col.width + 1) report(t, 'table', t.scrollWidth);
  });
  article.querySelectorAll('.cell_output pre, .cell_output .output, .cell_output img, .nnbook-knob').forEach(el => {
    if (el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > col.right + 1)
      report(el, 'output', Math.max(el.scrollWidth, el.getBoundingClientRect().width));
  });
  return out; }"""
# Figures are drawn for 100 CSS px per inch with text of at least 10 pt (13.9 px); shrunk to
# fit the column below this ratio, their smallest text would fall under 10 px.
MIN_SCALE = 10 / (10 * 100 / 72)
FIGURE_SCALES = """() => Array.from(document.querySelectorAll('article.bd-article img'))
  .filter(img => img.offsetParent !== null)
  .map(img => { const css = parseFloat(img.style.width) || parseFloat(img.getAttribute('width'));
                return [css ? img.getBoundingClientRect().width / css : 1, css, (img.alt || '').slice(0, 70)]; })"""


@pytest.mark.parametrize("page_path", toc_pages())
def test_nothing_is_wider_than_the_column_at_1280px(browser, built_book, page_path):
    page, _, _ = _open(browser, built_book, page_path, viewport=DESKTOP)
    wide = page.evaluate(COLUMN_OVERFLOW)
    assert wide == [], f"{page_path} at 1280 px:\n" + "\n".join(wide)
    shrunk = [f"{css:.0f} px wide shown at {scale:.0%}: {alt}"
              for scale, css, alt in page.evaluate(FIGURE_SCALES) if scale < MIN_SCALE]
    assert shrunk == [], (f"{page_path}: figures shrunk so far that 10 pt text is under 10 px "
                          f"(draw them narrower, fewer panels per row):\n" + "\n".join(shrunk))
    page.context.close()


@pytest.mark.parametrize("page_path", toc_pages())
def test_no_page_is_wider_than_a_phone(browser, built_book, page_path):
    page, _, _ = _open(browser, built_book, page_path, viewport=PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    culprits = page.evaluate("""() => Array.from(document.querySelectorAll('article *'))
        .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('pre, div.math, mjx-assistive-mml'))
        .slice(0, 5).map(e => e.tagName + ': ' + (e.textContent || '').trim().slice(0, 60))""")
    assert width <= PHONE["width"], f"{page_path} is {width} px wide on a {PHONE['width']} px screen: {culprits}"
    page.context.close()


# ---------------------------------------------------------------------------- machinery
@pytest.mark.parametrize("page_path", toc_pages())
def test_no_machinery_in_the_page(built_book, page_path):
    source = _source(built_book, page_path)
    text = unescape(re.sub(r"<[^>]+>", "", re.sub(r"<script\b.*?</script>", "", source, flags=re.S)))
    if page_path in MARKUP_DOCS:
        pytest.skip(f"{page_path} documents the exercise markup")
    leaks = sorted({m.group(0) for m in MACHINERY.finditer(text)})
    assert leaks == [], f"{page_path} shows {leaks}"


# ---------------------------------------------------------------------------- keyboard
def _tab_to(page, selector: str, limit: int = 200) -> int:
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement && document.activeElement.matches({selector!r})"):
            return presses
    return limit + 1


@pytest.mark.parametrize("page_path", chapter_notebooks())
def test_formulas_are_not_tab_stops_and_sliders_are_near(browser, built_book, page_path):
    if 'class="nnbook-knob"' not in _source(built_book, page_path):
        pytest.skip("no knob on this page")
    page, _, _ = _open(browser, built_book, page_path)
    focusable_math = page.evaluate("""() => Array.from(document.querySelectorAll('mjx-container'))
        .filter(m => m.tabIndex >= 0 && !m.closest('.nnbook-scrolls')).length""")
    assert focusable_math == 0, f"{focusable_math} formulas are tab stops"
    # the page's own controls before the first slider: navigation, buttons, links in the text
    before = page.evaluate("""() => { const first = document.querySelector('.nnbook-knob input[type=range]');
        const all = Array.from(document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]'))
          .filter(e => e.tabIndex >= 0 && e.offsetParent !== null);
        return all.indexOf(first); }""")
    presses = _tab_to(page, ".nnbook-knob input[type=range]")
    assert presses <= before + 1, f"{presses} Tab presses to the first slider, {before} controls before it"
    ring = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    assert ring[0] != "none" and ring[1] >= 2, f"no visible focus ring on the slider: {ring}"
    page.keyboard.press("ArrowRight")  # the keyboard moves it
    page.context.close()


@pytest.mark.parametrize("page_path", chapter_notebooks())
def test_a_knob_alt_follows_its_frame(browser, built_book, page_path):
    if 'class="nnbook-knob"' not in _source(built_book, page_path):
        pytest.skip("no knob on this page")
    page, _, _ = _open(browser, built_book, page_path)
    knobs = page.locator(".nnbook-knob")
    for i in range(knobs.count()):
        img = knobs.nth(i).locator("img.nnbook-knob-frame")
        slider = knobs.nth(i).locator('input[type="range"]').first
        top = int(slider.get_attribute("max"))
        if top == 0:
            continue
        before = (img.get_attribute("src"), img.get_attribute("alt"))
        slider.focus()
        page.keyboard.press("End" if int(slider.input_value()) < top else "Home")
        after = (img.get_attribute("src"), img.get_attribute("alt"))
        assert after[0] != before[0], f"knob {i}: the keyboard did not change the frame"
        assert after[1] != before[1], f"knob {i}: the alt did not follow the frame: {after[1]!r}"
    page.context.close()


# ---------------------------------------------------------------------------- search
def _search(browser, url: str, allow: str | None = None) -> list[str]:
    page, blocked, errors = open_offline(browser, None, url, allow=allow)
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0", timeout=20_000)
    page.wait_for_timeout(500)  # excerpts arrive after the titles
    # API entries (kind-object: "Python function, in nnbook.losses") carry no excerpt by design
    excerpts = page.evaluate("""() => Array.from(document.querySelectorAll('#search-results li'))
        .filter(li => !li.classList.contains('kind-object')
                      && !/^\\(Python /.test((li.querySelector(':scope > span') || {textContent: ''}).textContent.trim()))
        .map(li => (li.querySelector('p.context') || {textContent: ''}).textContent.trim())""")
    assert real_errors(errors) == [], errors
    page.context.close()
    return excerpts


def test_search_shows_excerpts_offline_from_file(browser, built_book):
    excerpts = _search(browser, (built_book / "search.html").as_uri() + "?q=gradient")
    assert len(excerpts) >= 3 and all(excerpts), f"blank excerpts under file://: {excerpts[:5]}"
    assert any("gradient" in e.lower() for e in excerpts)


@pytest.fixture(scope="module")
def http_server(built_book):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                             "--directory", str(built_book)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_search_shows_excerpts_through_a_local_server(browser, http_server):
    excerpts = _search(browser, http_server + "search.html?q=gradient", allow=http_server)
    assert len(excerpts) >= 3 and all(excerpts), excerpts[:5]
