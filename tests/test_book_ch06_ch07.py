"""Chapters 6 and 7 keep what their review fixed: one notation, described figures, and the
mathematics of the saturation counterexample, checked here independently of the notebooks.

The notebooks assert their own measurements when they run (nbval); these tests are fast
static checks of the stored notebooks plus the package-level facts that chapter 7's
"when saturation makes gradients explode" section relies on.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nnbook import hidden_state_jacobian_norms, rnn_forward, spectral_radius

BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = ["06_cnn.ipynb", "07_rnn.ipynb"]


def _cells(name: str, kind: str) -> list[str]:
    nb = nbformat.read(str(BOOK / name), as_version=4)
    return [c.source for c in nb.cells if c.cell_type == kind]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_figure_is_shown_with_a_text_alternative(name):
    code = "\n".join(_cells(name, "code"))
    assert "plt.show()" not in code, "show figures with nnbook.figures.show(fig, alt=...)"
    figures = len(re.findall(r"plt\.subplots?(?:_mosaic)?\(|plot_digits\(|plot_filters\(", code))
    described = code.count("show(") + code.count("set_alt(")
    assert figures > 0 and described >= figures, (figures, described)


@pytest.mark.parametrize("name", CHAPTERS)
def test_figures_fit_the_column(name):
    for source in _cells(name, "code"):
        for width in re.findall(r"figsize=\((\d+(?:\.\d+)?),", source):
            assert float(width) <= 7, f"figure {width} in wide: at most 7 in (the text column)"
        for size in re.findall(r"fontsize=(\d+(?:\.\d+)?)", source):
            assert float(size) >= 10, f"fontsize={size}: figure text at least 10 pt"


def test_chapter7_uses_the_book_notation():
    text = "\n".join(_cells("07_rnn.ipynb", "markdown"))
    for stale in (r"\operatorname{act}", r"W_h^{\text{pkg}}", r"W_x^{\text{pkg}}", "act′",
                  "act'", r"\lambda"):
        assert stale not in text, stale
    # the row form with explicit transposes, and the package's arrays named as such
    assert r"x_t W_x^\top + h_{t-1} W_h^\top + b" in text
    assert "`Wh` $= W_h^\\top$" in text and "`Wx` $= W_x^\\top$" in text
    # the loss is J, so the one-step Jacobian has another letter; its time index is s
    # (k is the sample index of the book's table)
    assert not re.search(r"J_[ks]\s*=", text) and "A_s" in text and "A_k" not in text
    assert not re.search(r"[hz]_\{?k", text), "time steps are t and s, not k"
    # g_t is the LSTM's candidate gate (chapter 10): the gradient is written dJ/dh_t
    assert not re.search(r"\bg_[tk]\b", text)


def test_chapter6_uses_the_book_notation():
    text = "\n".join(_cells("06_cnn.ipynb", "markdown"))
    # the unit impulse is not delta (delta is the error signal)
    assert r"\delta * K" not in text
    # momentum as in chapter 8: beta_1 and u (v is Adam's second moment)
    assert r"\beta v" not in text and r"\beta_1 u" in text
    # K is the kernel (an array); its size is K_H
    assert "H + 2p - K)" not in text and "H + 2p - K_H" in text


def test_chapter6_knob_labels_are_plain_text():
    code = "\n".join(_cells("06_cnn.ipynb", "code"))
    assert "$^T$" not in code and "Sobelᵀ" in code


# ---- the counterexample of chapter 7: saturation raising the spectral radius -------------

W_H = np.array([[1.5, 3.0], [-0.3, 0.0]])  # the article's W_h; the package's Wh is W_H.T


def test_counterexample_matrix():
    assert spectral_radius(W_H) == pytest.approx(np.sqrt(0.9))  # complex pair, |mu|^2 = det
    assert np.linalg.norm(W_H, 2) == pytest.approx(3.3568, abs=1e-4)
    # a saturated second unit removes the feedback -0.3: eigenvalue 1.5 appears
    assert spectral_radius(np.diag([1.0, 0.0]) @ W_H) == pytest.approx(1.5)


def test_saturation_makes_the_gradient_explode_where_the_linear_regime_vanishes():
    T, z = 60, np.array([0.0, 5.0])
    h = np.tanh(z)
    x_held = np.tile(z - W_H @ h, (1, T, 1))  # keeps every pre-activation at z
    _, cache = rnn_forward(x_held, h[None], np.eye(2), W_H.T, np.zeros(2))
    np.testing.assert_allclose(cache["z"], np.broadcast_to(z, cache["z"].shape))
    held = hidden_state_jacobian_norms(cache)[0, ::-1]
    growth = held[T] / held[T - 10]
    assert growth == pytest.approx(1.5**10, rel=1e-2)
    assert held[30] > 1e5

    x_tiny = 1e-8 * np.random.default_rng(0).standard_normal((1, T, 2))
    _, cache = rnn_forward(x_tiny, np.zeros((1, 2)), np.eye(2), W_H.T, np.zeros(2))
    linear = hidden_state_jacobian_norms(cache)[0, ::-1]
    # linear regime: the product is W_h^k, which decays like rho^k = 0.9^(k/2)
    powers = [np.linalg.norm(np.linalg.matrix_power(W_H, k), 2) for k in range(T + 1)]
    np.testing.assert_allclose(linear, powers, rtol=1e-6)
    assert linear[T] < 0.5 < held[1]


def test_the_bound_holds_for_both_regimes():
    # ||dh_T/dh_t||_2 <= (gamma ||W_h||_2)^(T - t) with gamma = 1 for tanh
    rng = np.random.default_rng(1)
    for scale in (1e-8, 1.0, 3.0):
        x = scale * rng.standard_normal((4, 20, 2))
        _, cache = rnn_forward(x, np.zeros((4, 2)), np.eye(2), W_H.T, np.zeros(2))
        norms = hidden_state_jacobian_norms(cache)[:, ::-1]
        bound = np.linalg.norm(W_H, 2) ** np.arange(21)
        assert np.all(norms <= bound * (1 + 1e-12))
