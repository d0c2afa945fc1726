"""Chapters 1, 2, 5 and 12 (and the introduction) use the book's notation table.

Static checks of the markdown (and of the exercise solutions' docstrings), fast: the error
signal delta appears only from chapter 3 on; layer weights are W^(l), never W_l or W_1; lambda
is only the L2 strength; a sample is indexed by k (the ridge exercise of chapter 12 once used
i); the RNN update of the article uses phi; the L2 penalty sums over q, as in chapter 4.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = ["01_structure.ipynb", "02_activations.ipynb", "05_vanishing_gradients.ipynb",
            "12_conclusion.ipynb"]


def markdown(name: str) -> str:
    nb = nbformat.read(BOOK / name, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def docstrings(name: str) -> str:
    nb = nbformat.read(BOOK / name, as_version=4)
    return "\n".join(re.findall(r'"""(.*?)"""', "\n".join(
        c.source for c in nb.cells if c.cell_type == "code"), flags=re.S))


def notation_problems(text: str, chapter: str) -> list[str]:
    """What in ``text`` (markdown or docstrings of ``chapter``) breaks the notation table."""
    problems = []
    if chapter < "03" and ("\\delta" in text or "δ" in text):
        problems.append("delta before chapter 3 defines it")
    if re.search(r"W_\{?[lL1-9]\}?(?![\w^])|W_l\b", text):
        problems.append("layer weights written W_l / W_1: use W^{(l)}")
    if "\\lambda_" in text or re.search(r"\\delta_\{?[ij]{2}\}?", text):
        problems.append("lambda with an index (eigenvalues are mu) or a Kronecker delta")
    if re.search(r"[xy]_i\b(?! ?\\in \\mathbb R\^\{?d)", text) and chapter == "12":
        problems.append("sample index i: samples are indexed by k")
    if "\\sigma(W_h" in text:
        problems.append("the RNN update uses phi, not sigma")
    if re.search(r"\\sum_j \\theta_j", text):
        problems.append("the L2 penalty sums over q (chapter 4): \\sum_q \\theta_q^2")
    return problems


def test_detector_catches_planted_mistakes():
    assert notation_problems(r"the error $\delta_j$ of unit $j$", "01")
    assert notation_problems(r"$\|\partial J/\partial W_1\|$", "12")
    assert notation_problems("θ ← θ − η ∇(J + λ Σ‖W_l‖²)", "12")
    assert notation_problems(r"eigenvalues $\lambda_{\max}$", "05")
    assert notation_problems(r"$\hat y_i = x_i w + b$", "12")
    assert notation_problems(r"$h_t = \sigma(W_h h_{t-1} + W_x x_t + b)$", "12")
    assert notation_problems(r"$J + \lambda\sum_j \theta_j^2$", "12")
    assert not notation_problems(r"$W^{(1)}$, $\delta^{(l)}$, $\hat y_k = x_k w + b$", "12")


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_uses_the_table(name):
    chapter = name[:2]
    problems = notation_problems(markdown(name), chapter) + \
        notation_problems(docstrings(name), chapter)
    assert not problems, f"{name}: {problems}"


def test_introduction_uses_the_table():
    text = (BOOK / "intro.md").read_text()
    assert not notation_problems(text.split("## Notation used throughout")[0], "00")
    table = text.split("## Notation used throughout")[1].split("## How to use")[0]
    for symbol in [r"W^{(l)}", r"z^{(l)} = a^{(l-1)}W^{(l)} + b^{(l)}", r"\delta^{(l)}",
                   r"\phi'", r"\lambda", r"\nabla^2 J", r"\kappa = \mu_{\max}/\mu_{\min}",
                   r"$d_l$", r"$p$; $r$", r"\mathbb{1}[i = j]"]:
        assert symbol in table, f"the introduction's table lacks {symbol}"
