"""No measured number is typed by hand in the book's prose.

Every number that a computation produced reaches the text through myst-nb's ``glue`` (the
``{glue:text}`` / ``{glue:md}`` roles), so the HTML, the notebook and the number cannot
disagree. This test reads every markdown cell of the chapters (and the introduction), removes
what may legitimately hold numbers (math, glue roles, code, labels, links, references to
chapters, sections, exercises and figures, years of citations) and fails on anything left that
looks measured: a decimal, a number with three or more significant digits, scientific
notation, or a percentage.

Exact definitions and constants may stay literal; those that match the patterns are listed in
``ALLOWED`` with the reason, per file.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"

#: (file name, exact text of the hit) -> why it may stay literal.
ALLOWED: dict[tuple[str, str], str] = {}

_BLOCKS = [
    re.compile(r"```.*?```", re.S),                      # fenced code and directives' bodies kept below
    re.compile(r"\$\$.*?\$\$", re.S),                    # display math
    re.compile(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S),  # amsmath environments
]
_DIRECTIVE_FENCE = re.compile(r"^(```+|:::+)\s*\{[\w:-]+\}.*$", re.M)
_INLINE = [
    re.compile(r"\{glue(?::\w+)?\}`[^`]*`"),             # glue roles
    re.compile(r"\{[\w:-]+\}`[^`]*`"),                   # any other role ({ref}, {numref}, {doc} ...)
    re.compile(r"(?<!\\)\$[^$]+?(?<!\\)\$"),             # inline math
    re.compile(r"`[^`]*`"),                               # inline code
    re.compile(r"\]\([^)]*\)"),                            # link targets
    re.compile(r"<[^>]+>"),                                # html tags
    re.compile(r"^:[\w-]+:.*$", re.M),                     # directive options (:label:, :class:)
    re.compile(r"^\(\S+\)=\s*$", re.M),                   # MyST targets
    # references: chapter 3, section 4.1, §3.4, exercise 3.2, figure 5.1, eq. (3)
    re.compile(r"(?i)\b(?:chapters?|sections?|exercises?|figures?|fig\.|eqs?\.|equations?|"
               r"parts?|tables?)\s+\(?\d+(?:\.\d+)*\)?(?:\s*(?:,|and|or|–|-)\s*\d+(?:\.\d+)*)*"),
    re.compile(r"§\s*\d+(?:\.\d+)*"),
    re.compile(r"\b(?:19|20)\d\d[a-z]?\b"),                # years of citations
]
_NUMBER = re.compile(
    r"(?<![\w.])(?:"
    r"\d+(?:\.\d+)?\s*[eE][+-]?\d+"                       # 1e-6, 2.3e5
    r"|\d+(?:\.\d+)?\s*[×x]\s*10\^?[⁻\-]?\d+"             # 2.3 × 10^5
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"                      # 4,482
    r"|\d*\.\d+"                                            # 0.529
    r"|\d+"                                                 # 1797
    r")\s*%?"
)


def _significant_digits(token: str) -> int:
    digits = re.sub(r"[^\d]", "", token.split("e")[0].split("E")[0])
    if "." in token:
        return len(digits.lstrip("0"))
    return len(digits.strip("0"))


def measured_looking(markdown: str) -> list[str]:
    """The number tokens in ``markdown`` that look measured, after removing what may hold
    numbers legitimately (see the module docstring)."""
    text = _DIRECTIVE_FENCE.sub("", markdown)
    for pattern in _BLOCKS:
        text = pattern.sub(" ", text)
    for pattern in _INLINE:
        text = pattern.sub(" ", text)
    hits = []
    for match in _NUMBER.finditer(text):
        token = match.group(0).strip()
        if not token:
            continue
        scientific = bool(re.search(r"[eE][+-]?\d|×", token))
        decimal = "." in token
        percent = token.endswith("%")
        if scientific or decimal or percent or _significant_digits(token) >= 3:
            hits.append(token)
    return hits


def _markdown_cells(path: Path) -> list[tuple[int, str]]:
    if path.suffix == ".md":
        return [(0, path.read_text(encoding="utf-8"))]
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(i, "".join(c["source"])) for i, c in enumerate(nb["cells"])
            if c["cell_type"] == "markdown"]


PAGES = sorted(BOOK.glob("[0-9][0-9]_*.ipynb")) + [BOOK / "intro.md"]


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_no_hand_typed_measured_numbers(path):
    found = []
    for index, source in _markdown_cells(path):
        for token in measured_looking(source):
            if (path.name, token) not in ALLOWED:
                found.append(f"cell {index}: {token!r}")
    assert not found, (
        f"{path.name}: numbers typed by hand in markdown (glue them from the cell that "
        f"computes them, or add a justified entry to ALLOWED): " + "; ".join(found))


@pytest.mark.parametrize("text", [
    "Validation loss is lowest, 0.529, at epoch 7.",
    "The network reaches 96% accuracy.",
    "The gradient shrinks to 6.6e-7 in the first layer.",
    "It has 4,482 parameters.",
    "After 1537 steps the loss falls.",
    "a ratio of 3.8 × 10^5",
])
def test_a_planted_number_is_caught(text):
    assert measured_looking(text), text


@pytest.mark.parametrize("text", [
    "Validation loss is lowest, {glue:text}`val_min:.3f`, at epoch {glue:text}`best_epoch`.",
    "The slope is $\\sigma'(0) = 0.25$ and $$J = 0.5\\,(y-\\hat y)^2$$ holds.",
    "See chapter 3, section 4.1 and exercise 3.2, as in §3.4 and figure 5.1.",
    "Glorot and Bengio (2010) used `lr=0.01` in [a link](https://example.org/1.5).",
    "We train two networks for 40 epochs with $p = 0.5$ dropped.",
    ":label: ex-ch03-relu-2\n```{exercise}\nWrite it.\n```",
])
def test_legitimate_numbers_pass(text):
    assert measured_looking(text) == [], text
