r"""LaTeX-in-labels to plain Unicode: what a knob control shows (HTML labels render no math).

``plain("Sobel$^T$") == "Sobelᵀ"``, ``plain(r"L2 strength $\lambda$") == "L2 strength λ"``,
``plain(r"$\rho(W_h)$") == "ρ(W_h)"`` with a subscript ``h`` → ``ₕ``. A command this module
does not know raises ``ValueError`` (a raw backslash must never reach a reader).

Book: every chapter's knob labels.
"""
from __future__ import annotations

import re

__all__ = ["plain"]

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
_SYMBOLS = {
    "times": "×", "cdot": "·", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "to": "→",
    "rightarrow": "→", "infty": "∞", "nabla": "∇", "partial": "∂", "pm": "±", "approx": "≈",
    "neq": "≠", "ne": "≠", "sum": "Σ", "in": "∈", "ell": "ℓ", "top": "ᵀ", "prime": "′",
    "max": "max", "min": "min", "log": "log", "exp": "exp", "tanh": "tanh", "sin": "sin",
    "cos": "cos", "sqrt": "√", "lVert": "‖", "rVert": "‖", "Vert": "‖", "|": "‖", ",": " ",
    ";": " ", " ": " ", "quad": " ", "!": "", "{": "{", "}": "}", "%": "%", "_": "_",
}
_SUP = dict(zip("0123456789+-=()niTtklmx", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀᵗᵏˡᵐˣ"))
_SUP["−"] = "⁻"
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_FONT = re.compile(r"\\(?:mathrm|text|mathit|mathbf|operatorname|mathcal|textrm|mathsf)\s*\{([^{}]*)\}")
_SCRIPT = re.compile(r"([\^_])(\{[^{}]*\}|\\[A-Za-z]+|.)")


def _command(match: re.Match) -> str:
    name = match.group(1)
    if name in _GREEK:
        return _GREEK[name]
    if name in _SYMBOLS:
        return _SYMBOLS[name]
    raise ValueError(f"label: the LaTeX command \\{name} has no plain-text form here; write the "
                     f"label in Unicode (e.g. 'λ', 'Wᵀ', 'ρ(W_h)')")


def _script(match: re.Match) -> str:
    kind, body = match.group(1), match.group(2)
    if body.startswith("{"):
        body = body[1:-1]
    body = _COMMAND.sub(_command, body)
    table = _SUP if kind == "^" else _SUB
    if all(ch in table for ch in body):
        return "".join(table[ch] for ch in body)
    return ("^" if kind == "^" else "_") + (body if len(body) == 1 else f"({body})")


def _math(text: str) -> str:
    text = _FONT.sub(lambda m: m.group(1), text)
    text = _SCRIPT.sub(_script, text)
    text = _COMMAND.sub(_command, text)
    return text.replace("{", "").replace("}", "").replace("'", "′")


def plain(text: str) -> str:
    """``text`` with every ``$...$`` span turned into plain Unicode (see the module doc)."""
    parts = re.split(r"(?<!\\)\$(.*?)(?<!\\)\$", str(text))
    out = [part if i % 2 == 0 else _math(part) for i, part in enumerate(parts)]
    result = "".join(out).replace(r"\$", "$")
    if "$" in result or "\\" in result:
        raise ValueError(f"label: unbalanced $ or a stray backslash in {text!r}")
    return result
