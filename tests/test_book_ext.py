"""The book's Sphinx extension (``_ext/nnbook_offline.py``) on a one-page book built in a
temporary folder: figure alts, captions and numbers, machinery hidden, stylesheet included.

Independent of the chapters (which the full build in ``test_book.py`` covers); about 10 s.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.book, pytest.mark.xdist_group("book")]

FIGURE_CELL = '''\
import matplotlib.pyplot as plt
from nnbook.figures import show
fig, ax = plt.subplots(figsize=(4, 2))
ax.plot([0, 1], [0, 1])
show(fig, alt="A straight line from (0, 0) to (1, 1), slope 1", caption="A line of slope one.",
     label="fig-line")'''
DEFAULT_ALT_CELL = '''\
from nnbook.plots import plot_loss_curves
show(plot_loss_curves({"loss": [1.0, 0.5, 0.25]}).figure)'''
SOLUTION_CELL = '''\
# NBVAL_CHECK_OUTPUT
def answer():
    ### BEGIN SOLUTION
    return 42
    ### END SOLUTION
print("kept output")'''
CHECK_CELL = 'print("correct: the key passes" + " its own check")'
EMPTY_CELL = 'print("", end="")'
KNOB_CELL = '''\
from nnbook.widgets import knob
from nnbook.figures import set_alt
def draw(a):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, a])
    return set_alt(fig, f"A line rising to {a}")
knob(draw, a=[1, 2], labels={"a": r"height $\\eta$"})'''


def jupyter_book() -> str:
    local = Path(sys.executable).with_name("jupyter-book")
    return str(local) if local.exists() else shutil.which("jupyter-book")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    book = tmp_path_factory.mktemp("extbook")
    shutil.copytree(ROOT / "_ext", book / "_ext")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config = {"title": "ext test", "execute": {"execute_notebooks": "force"},
              "only_build_toc_files": True, "sphinx": config["sphinx"],
              "parse": config["parse"]}
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nparts:\n  - caption: P\n"
                                   "    numbered: true\n    chapters:\n      - file: ch\n")
    (book / "intro.md").write_text("# Intro\n\nSee {numref}`fig-line`.\n")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    check = nbformat.v4.new_code_cell(CHECK_CELL)
    check.metadata["nbgrader"] = {"grade": True, "grade_id": "ex-1-check", "points": 1,
                                  "locked": True, "solution": False, "schema_version": 3}
    nb.cells = [nbformat.v4.new_markdown_cell("# Chapter\n\nAs {numref}`fig-line` shows, $y = x$."),
                nbformat.v4.new_code_cell(FIGURE_CELL), nbformat.v4.new_code_cell(DEFAULT_ALT_CELL),
                nbformat.v4.new_code_cell(SOLUTION_CELL), check,
                nbformat.v4.new_code_cell(EMPTY_CELL), nbformat.v4.new_code_cell(KNOB_CELL)]
    nbformat.write(nb, book / "ch.ipynb")
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([jupyter_book(), "build", str(book), "-W", "-n", "--keep-going"],
                          cwd=book, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    return (book / "_build" / "html" / "ch.html").read_text()


def test_show_alt_and_caption_reach_the_page_as_a_numbered_figure(page):
    img = re.search(r'<img[^>]*alt="A straight line from \(0, 0\) to \(1, 1\), slope 1"[^>]*>', page)
    assert img, "the alt from show() is not the <img alt>"
    assert 'width="400"' in img.group(0) or "width: 400px" in img.group(0)  # 4 in at 100 px/in
    assert re.search(r'<figure[^>]*id="fig-line"', page)
    caption = re.search(r"<figcaption>(.*?)</figcaption>", page, re.S).group(1)
    assert "Fig. 1.1" in caption and "A line of slope one." in caption
    assert re.search(r'href="#fig-line"[^>]*>.*?Fig. 1.1', page, re.S), "numref did not resolve"


def test_plot_functions_default_alt_reaches_the_page(page):
    assert 'alt="Train loss over 3 epochs: train falls from 1 to 0.25"' in page


def test_machinery_is_hidden(page):
    text = re.sub(r"<[^>]+>", "", page)
    for leak in ("NBVAL", "BEGIN SOLUTION", "END SOLUTION", "the key passes its own check"):
        assert leak not in text, leak
    assert "return" in text and "42" in text and "kept output" in text  # the rest stays
    # no empty output box (the cell that printed nothing has no output container)
    assert not re.search(r'<div class="cell_output[^"]*">\s*</div>', page)
    assert not re.search(r'<pre><span></span>\s*</pre>', page)


def test_knob_frames_and_stylesheet(page):
    assert 'alt="A line rising to 1"' in page and '"A line rising to 2"' in page
    knob = page[page.index('class="nnbook-knob"'):]
    knob = knob[:knob.index("<script>")]
    assert "height η" in knob and "$" not in knob
    assert "_static/nnbook.css" in page
    assert '"inTabOrder": false' in page  # MathJax formulas are not tab stops
