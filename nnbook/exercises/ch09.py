"""Checks for the exercises of chapter 9, Computational graphs and automatic differentiation.

Book: chapter 9, Exercises.
"""
from __future__ import annotations

from functools import partial
from typing import Callable

import numpy as np

from ..autodiff import Tensor
from ..gradcheck import numerical_gradient, rel_error
from ..losses import softmax
from ._check import call, check_close, check_shape, fail, matches, passed

__all__ = ["check_softmax_backward", "check_reverse_mode"]

_matches = partial(matches, atol=1e-12)


def check_softmax_backward(my_softmax_backward: Callable) -> bool:
    r"""Check ``my_softmax_backward(z, g) -> dz``, the vector-Jacobian product of the softmax.

    Book: chapter 9, Exercises. For ``s = softmax(z)`` row by row and upstream ``g = ∂J/∂s``,
    ``dz = s ⊙ (g − Σ_c g_c s_c)`` (the sum over each row's classes), compared with central
    differences of ``J = Σ g ⊙ softmax(z)``. Recognizes the diagonal-only Jacobian, a sum
    over the whole batch instead of each row, and an unweighted sum of ``g``.
    """
    ex = "ex-ch09-softmax-backward"
    rng = np.random.default_rng(909)
    for n, C in [(4, 3), (2, 5)]:
        z = rng.normal(size=(n, C))
        g = rng.normal(size=(n, C))
        at = f"z and g of shape ({n}, {C})"
        got = call(ex, my_softmax_backward, z.copy(), g.copy())
        got = np.asarray(check_shape(ex, f"dz ({at})", got, z.shape), dtype=float)
        s = softmax(z, axis=1)
        if _matches(got, g * s * (1 - s)):
            fail(ex, "dz = g ⊙ s ⊙ (1 − s) keeps only the diagonal of the Jacobian: every s_c "
                     "depends on every z_i through the normalization, so "
                     "dz_i = Σ_c g_c ∂s_c/∂z_i = s_i (g_i − Σ_c g_c s_c)")
        if _matches(got, s * (g - np.sum(g * s))):
            fail(ex, f"the sum Σ_c g_c s_c runs over the classes of each row (axis=1, "
                     f"keepdims=True), not over the whole batch ({at})")
        if _matches(got, s * (g - g.sum(axis=1, keepdims=True))):
            fail(ex, "the subtracted term is Σ_c g_c s_c, weighted by the probabilities s_c, "
                     "not the plain sum of g")
        numeric = numerical_gradient(lambda v: float(np.sum(g * softmax(v, axis=1))), z.copy())
        err = rel_error(got, numeric)
        if not err < 1e-7:
            fail(ex, f"gradient check fails ({at}): relative error {err:.2e} against central "
                     "differences of J = Σ g ⊙ softmax(z) (expected < 1e-7)")
    return passed(ex, "dz = s ⊙ (g − Σ_c g_c s_c) agrees with central differences")


# ------------------------------------------------------------------ reverse mode
def _forward(inputs: dict[str, float], tape: list[tuple]) -> dict[str, float]:
    values = dict(inputs)
    for out, op, args in tape:
        v = [values[a] for a in args]
        values[out] = {"add": lambda: v[0] + v[1], "mul": lambda: v[0] * v[1],
                       "max": lambda: max(v), "exp": lambda: float(np.exp(v[0]))}[op]()
    return values


def _reference(values: dict, tape: list[tuple], *, reverse: bool = True, accumulate: bool = True,
               max_to_both: bool = False) -> dict[str, float]:
    """Reverse mode on a tape, and the mistakes the check recognizes (flags off)."""
    adj = {name: 0.0 for name in values}
    adj[tape[-1][0]] = 1.0
    for out, op, args in (reversed(tape) if reverse else tape):
        g = adj[out]
        if op == "mul":
            local = [values[args[1]], values[args[0]]]
        elif op == "max":
            win = values[args[0]] > values[args[1]]
            local = [1.0, 1.0] if max_to_both else [float(win), float(not win)]
        elif op == "exp":
            local = [values[out]]
        else:
            local = [1.0] * len(args)
        for a, d in zip(args, local):
            adj[a] = adj[a] + g * d if accumulate else g * d
    return adj


def _by_tensors(inputs: dict[str, float], tape: list[tuple]) -> dict[str, float]:
    """The same graph run through nnbook.autodiff (max(a, b) = b + relu(a − b))."""
    t = {k: Tensor(v) for k, v in inputs.items()}
    for out, op, args in tape:
        a = [t[x] for x in args]
        t[out] = {"add": lambda: a[0] + a[1], "mul": lambda: a[0] * a[1],
                  "max": lambda: a[1] + (a[0] - a[1]).relu(), "exp": lambda: a[0].exp()}[op]()
    t[tape[-1][0]].backward()
    return {k: float(v.grad) for k, v in t.items()}


_TAPES = [
    # a chain with every operation, no reuse
    ({"x": 0.5, "y": -1.5, "w": 2.0},
     [("a", "mul", ("x", "y")), ("m", "max", ("a", "w")), ("e", "exp", ("x",)), ("J", "add", ("m", "e"))]),
    # reuse: x feeds three operations, and a square
    ({"x": 1.5, "y": -2.0, "w": 0.25},
     [("a", "mul", ("x", "y")), ("s", "mul", ("x", "x")), ("m", "max", ("x", "w")),
      ("b", "add", ("a", "s")), ("J", "add", ("b", "m"))]),
]


def check_reverse_mode(my_reverse_mode: Callable) -> bool:
    r"""Check ``my_reverse_mode(values, tape) -> adjoints`` on small scalar graphs.

    Book: chapter 9, Exercises. ``tape`` lists ``(out, op, args)`` in the order they were
    computed, ``op`` in ``"add", "mul", "max", "exp"``; ``values`` holds every node's forward
    value; the answer maps every name to ``∂J/∂name`` with ``J`` the last ``out``. Compared
    with ``nnbook.autodiff``; recognizes a forward (not reverse) sweep, ``=`` instead of
    ``+=`` for a value used twice, and a max that sends its adjoint to both inputs.
    """
    ex = "ex-ch09-reverse-mode"
    for k, (inputs, tape) in enumerate(_TAPES):
        values = _forward(inputs, tape)
        got = call(ex, my_reverse_mode, dict(values), list(tape))
        if not isinstance(got, dict) or set(got) != set(values):
            missing = sorted(set(values) - set(got)) if isinstance(got, dict) else None
            fail(ex, f"return a dict with the adjoint of every node {sorted(values)}; "
                     + (f"missing {missing}" if missing else f"got {type(got).__name__}"))
        expected = _by_tensors(inputs, tape)
        names = sorted(values)
        vec = np.array([float(got[n]) for n in names])

        def same(variant: dict) -> bool:
            return _matches(vec, np.array([variant[n] for n in names]))

        if not same(expected):
            if same(_reference(values, tape, reverse=False)):
                fail(ex, "the sweep went forwards: a node's adjoint is complete only after every "
                         "node that uses it has been visited, so visit the tape in reverse")
            if same(_reference(values, tape, accumulate=False)):
                fail(ex, "a value used by several operations (x here) must receive the SUM of "
                         "their contributions: adj[a] += ..., not adj[a] = ...")
            if same(_reference(values, tape, max_to_both=True)):
                fail(ex, "max routes: the adjoint goes to the larger input only; the other "
                         "input's local derivative is 0")
        for n in names:
            check_close(ex, f"the adjoint of {n!r}", got[n], expected[n],
                        at=f"tape {k + 1}: {[t[:2] for t in tape]}", rtol=1e-9, atol=1e-12,
                        hint="v̄ = Σ over the uses u of v of ū ∂u/∂v")
    return passed(ex, "adjoints of both graphs (with reuse and max) agree with nnbook.autodiff")
