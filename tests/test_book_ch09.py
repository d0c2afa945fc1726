"""Chapter 9 keeps the book's standard in its stored notebook: described figures that fit the
column, three exercises in the grader's markup, the book's notation. (The notebook asserts its
own measurements when it runs under nbval.)"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

from nnbook.teach import markup

PATH = Path(__file__).resolve().parent.parent / "book" / "09_autodiff.ipynb"


def _sources(kind: str) -> list[str]:
    return [c.source for c in nbformat.read(str(PATH), as_version=4).cells if c.cell_type == kind]


def test_every_figure_is_shown_with_a_text_alternative_and_fits_the_column():
    code = "\n".join(_sources("code"))
    assert "plt.show()" not in code
    figures = len(re.findall(r"plt\.subplots?\(|draw_graph\(", code))
    described = code.count("show(") + code.count("knob(")  # draw_graph attaches its own alt
    assert figures >= 3 and described >= 3
    for width in re.findall(r"figsize=\((\d+(?:\.\d+)?),", code):
        assert float(width) <= 7
    for size in re.findall(r"fontsize=(\d+(?:\.\d+)?)", code):
        assert float(size) >= 10


def test_three_exercises_one_derivation_two_coding():
    exercises = markup.find_exercises(markup.read_notebook(PATH), PATH)
    kinds = sorted(ex.kind for ex in exercises)
    assert kinds == ["coding", "coding", "derivation"]
    assert all(ex.label.startswith("ex-ch09-") for ex in exercises)


def test_notation_of_the_book():
    text = "\n".join(_sources("markdown"))
    # the adjoint is v-bar, the loss J, widths d_l; p is kept for dropout
    assert r"\bar v = \partial J / \partial v" in text and r"\mathbb{R}^{d_0}" in text
    assert not re.search(r"\$p\s*=", text) and r"\mathbf{1}[" not in text
