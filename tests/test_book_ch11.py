"""Chapter 11 keeps the book's standard in its stored notebook: described figures that fit the
column, a knob, three exercises in the grader's markup, the book's notation. (The notebook
asserts its own measurements when it runs under nbval.)"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

from nnbook.teach import markup

PATH = Path(__file__).resolve().parent.parent / "book" / "11_attention.ipynb"


def _cells():
    return nbformat.read(str(PATH), as_version=4).cells


def _sources(kind: str) -> list[str]:
    return [c.source for c in _cells() if c.cell_type == kind]


def test_first_cell_is_the_hidden_colab_cell():
    first = _cells()[0]
    assert first.cell_type == "code" and "remove-cell" in first.metadata.get("tags", [])
    assert "google.colab" in first.source


def test_every_figure_is_shown_with_a_text_alternative_and_fits_the_column():
    code = "\n".join(_sources("code"))
    assert "plt.show()" not in code
    figures = len(re.findall(r"plt\.subplots?\(", code))
    described = code.count("show(") + code.count("set_alt(")
    assert figures >= 4 and described >= figures
    assert "knob(" in code
    for width in re.findall(r"figsize=\((\d+(?:\.\d+)?),", code):
        assert float(width) <= 7
    for size in re.findall(r"fontsize=(\d+(?:\.\d+)?)", code):
        assert float(size) >= 10


def test_code_lines_fit_the_code_column():
    for source in _sources("code"):
        assert all(len(line) <= 79 for line in source.splitlines()), source[:60]


def test_three_exercises_one_derivation_two_coding():
    exercises = markup.find_exercises(markup.read_notebook(PATH), PATH)
    assert sorted(ex.kind for ex in exercises) == ["coding", "coding", "derivation"]
    assert all(ex.label.startswith("ex-ch11-") for ex in exercises)


def test_notation_of_the_book():
    text = "\n".join(_sources("markdown"))
    for symbol in (r"$Q, K, V$", r"$d_k$", r"$\delta^{(l)}$", r"$\phi$", r"\mathbb{1}[s = r]"):
        assert symbol in text, symbol
    assert r"\mathbf{1}[" not in text and r"\delta_{" not in text
