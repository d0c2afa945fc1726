"""Chapters 3 and 4: figures carry text alternatives, numbers in the prose are glued.

Static checks of the notebooks' sources (fast; the notebooks themselves run under nbval):
every inline figure goes through ``nnbook.figures.show`` and every knob frame through
``set_alt``; no markdown cell types a measured-looking number outside math and glue roles;
the notation of the book's table is used (no ``H`` for the Hessian, no ``λ`` for its
eigenvalues, no Kronecker δ, ``φ`` for a generic activation).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = ["03_backpropagation.ipynb", "04_overfitting.ipynb"]

# Numbers that are definitions (data-set sizes, epochs), not measurements.
ALLOWED = {"200", "300", "1,000", "100,000", "200,000"}


def cells(name: str, kind: str) -> list[str]:
    nb = nbformat.read(BOOK / name, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == kind]


def prose(source: str) -> str:
    """Markdown without math, glue roles, inline code and fenced blocks."""
    for pattern in [r"```.*?```", r"\$\$.*?\$\$", r"\$[^$]*\$", r"\{glue:[a-z]+\}`[^`]*`",
                    r"`[^`]*`"]:
        source = re.sub(pattern, " ", source, flags=re.S)
    return source


def measured_numbers(text: str) -> list[str]:
    found = re.findall(r"(?<![\w.,])(\d+\.\d+|\d+(?:,\d{3})+|\d{3,}|\d+(?:\.\d+)?e-?\d+)(?![\w])",
                       prose(text))
    return [n for n in found if n not in ALLOWED]


def test_measured_numbers_detector_catches_a_typed_number():
    assert measured_numbers("the loss falls to 0.436 after 300 epochs") == ["0.436"]
    assert measured_numbers("about 4482 parameters, $J = 0.25$") == ["4482"]
    assert measured_numbers("{glue:text}`val:.3f` and `1.5` and $\\eta = 0.26$") == []


@pytest.mark.parametrize("name", CHAPTERS)
def test_no_typed_measurements_in_prose(name):
    typed = {n for source in cells(name, "markdown") for n in measured_numbers(source)}
    assert not typed, f"{name}: glue these numbers instead of typing them: {sorted(typed)}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_figure_has_a_text_alternative(name):
    code = "\n".join(cells(name, "code"))
    assert "plt.show()" not in code, f"{name}: show figures with nnbook.figures.show(fig, alt=...)"
    tree = ast.parse(re.sub(r"^(\s*)%.*$", r"\1pass", code, flags=re.M))  # IPython magics
    draws = [f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name.startswith("draw")]
    assert draws, f"{name}: expected knob draw functions"
    def calls_set_alt(node):
        return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                   and n.func.id == "set_alt" for n in ast.walk(node))

    for draw in draws:
        *before, last = draw.body
        assert isinstance(last, ast.Return), f"{name}: {draw.name} must end by returning the figure"
        assert calls_set_alt(last) or any(calls_set_alt(s) for s in before), \
            f"{name}: {draw.name} must describe its frame with set_alt before returning it"
    n_figures = len(re.findall(r"plt\.subplots\(|plt\.subplot_mosaic\(", code))
    n_described = len(re.findall(r"\bshow\(fig|set_alt\(fig", code))
    assert n_described >= n_figures, f"{name}: {n_figures} figures, {n_described} described"


@pytest.mark.parametrize("name", CHAPTERS)
def test_notation(name):
    text = "\n".join(cells(name, "markdown"))
    assert r"\delta_{" not in text, "no Kronecker delta: delta is the error signal"
    assert not re.search(r"\bH\b", prose(text)) and "$H$" not in text and " H =" not in text
    assert "\\lambda_" not in text, "lambda is only the L2 strength (eigenvalues are mu)"
    assert "f'" not in text and "f\\big(" not in text, "a generic activation is phi"
