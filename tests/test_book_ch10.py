"""Chapter 10 keeps the book's standard in its stored notebook: described figures that fit the
column, a knob of at most twelve frames, three exercises in the grader's markup, the book's
notation (row form with explicit transposes, gates i, f, g, o). The notebook asserts its own
measurements when it runs under nbval."""
from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import nbformat

from nnbook.figures import get_alt
from nnbook.plots.lstm import (plot_accuracy_by_length, plot_input_gradient_profiles,
                               plot_lstm_cell, plot_training_runs)
from nnbook.teach import markup

matplotlib.use("Agg")
PATH = Path(__file__).resolve().parent.parent / "book" / "10_lstm.ipynb"


def _sources(kind: str) -> list[str]:
    return [c.source for c in nbformat.read(str(PATH), as_version=4).cells if c.cell_type == kind]


def test_first_cell_is_the_hidden_colab_install():
    first = nbformat.read(str(PATH), as_version=4).cells[0]
    assert "google.colab" in first.source and "remove-cell" in first.metadata["tags"]


def test_every_figure_is_shown_with_a_text_alternative_and_fits_the_column():
    code = "\n".join(_sources("code"))
    assert "plt.show()" not in code and "savefig" not in code
    assert code.count("show(") >= 4 and code.count("knob(") == 1 and "set_alt(" in code
    for width in re.findall(r"figsize=\((\d+(?:\.\d+)?),", code):
        assert float(width) <= 7
    for size in re.findall(r"fontsize=(\d+(?:\.\d+)?)", code):
        assert float(size) >= 10


def test_code_lines_fit_79_columns():
    for source in _sources("code"):
        assert all(len(line) <= 79 for line in source.splitlines()), source[:60]


def test_figure_functions_describe_their_numbers():
    import numpy as np
    figs = [
        plot_lstm_cell(),
        plot_input_gradient_profiles({"RNN, initial": np.array([0.01, 0.5])}),
        plot_accuracy_by_length([5, 10], {"rnn": [[1.0, 0.25], [1.0, 0.5]], "lstm": [1.0, 1.0]},
                                chance=0.25),
        plot_training_runs({"plain": {"loss": [2.0, 30.0], "grad_norm": [1.0, 900.0],
                                      "diverged": True}}),
    ]
    alts = [get_alt(f) for f in figs]
    assert "cell path" in alts[0]
    assert "0.01 at step 1" in alts[1] and "0.5 at step 2" in alts[1]
    assert "0.38 at T = 10" in alts[2] and "lowest run 1.00, 0.25" in alts[2]
    assert "chance is 0.25" in alts[2]
    assert "diverged" in alts[3] and "largest gradient norm 9e+02" in alts[3]
    for fig in figs:
        w, _ = fig.get_size_inches()
        assert w <= 7


def test_three_exercises_one_derivation_two_coding():
    exercises = markup.find_exercises(markup.read_notebook(PATH), PATH)
    assert sorted(ex.kind for ex in exercises) == ["coding", "coding", "derivation"]
    assert all(ex.label.startswith("ex-ch10-") for ex in exercises)


def test_notation_of_the_book():
    text = "\n".join(_sources("markdown"))
    assert r"x_t W_x^{\top} + h_{t-1} W_h^{\top} + b" in text  # row form, explicit transposes
    assert "`Wx` $= W_x^\\top$" in text and "`Wh` $= W_h^\\top$" in text
    assert "i, f, g, o" in text and r"\operatorname{diag}(f_t)" in text
    for gate in ("i_t", "f_t", "g_t", "o_t", "c_t"):
        assert gate in text
    assert r"\mathbb{1}[" in text and "\\delta_" in text
