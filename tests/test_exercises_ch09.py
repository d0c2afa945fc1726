"""The chapter 9 checks accept the reference answers and explain plausible mistakes."""
import numpy as np
import pytest

from nnbook.exercises import ExerciseError
from nnbook.exercises.ch09 import check_reverse_mode, check_softmax_backward
from nnbook.losses import softmax


def softmax_backward(z, g):
    s = softmax(z, axis=1)
    return s * (g - np.sum(g * s, axis=1, keepdims=True))


def test_softmax_backward_accepts_reference(capsys):
    assert check_softmax_backward(softmax_backward) is True
    assert "correct" in capsys.readouterr().out


def _s(z):
    return softmax(z, axis=1)


@pytest.mark.parametrize("wrong, message", [
    (lambda z, g: g * _s(z) * (1 - _s(z)), "diagonal"),
    (lambda z, g: _s(z) * (g - np.sum(g * _s(z))), "each row"),
    (lambda z, g: _s(z) * (g - g.sum(axis=1, keepdims=True)), "weighted by the probabilities"),
    (lambda z, g: _s(z) * (g - np.sum(g * _s(z), axis=1, keepdims=True)) * 2, "gradient check fails"),
    (lambda z, g: np.sum(g * _s(z), axis=1), "shape"),
    (lambda z, g: z.nope, "AttributeError"),
])
def test_softmax_backward_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match="ex-ch09-softmax-backward") as err:
        check_softmax_backward(wrong)
    assert message in str(err.value)


def reverse_mode(values, tape, *, reverse=True, accumulate=True, max_to_both=False):
    adj = {name: 0.0 for name in values}
    adj[tape[-1][0]] = 1.0
    for out, op, args in (reversed(tape) if reverse else tape):
        g = adj[out]
        if op == "add":
            local = [1.0, 1.0]
        elif op == "mul":
            local = [values[args[1]], values[args[0]]]
        elif op == "max":
            first = values[args[0]] > values[args[1]]
            local = [1.0, 1.0] if max_to_both else [float(first), float(not first)]
        else:  # exp
            local = [values[out]]
        for a, d in zip(args, local):
            adj[a] = adj[a] + g * d if accumulate else g * d
    return adj


def test_reverse_mode_accepts_reference(capsys):
    assert check_reverse_mode(reverse_mode) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda v, t: reverse_mode(v, t, reverse=False), "visit the tape in reverse"),
    (lambda v, t: reverse_mode(v, t, accumulate=False), "SUM"),
    (lambda v, t: reverse_mode(v, t, max_to_both=True), "max routes"),
    (lambda v, t: {k: a for k, a in reverse_mode(v, t).items() if k != "x"}, "missing ['x']"),
    (lambda v, t: {k: -a for k, a in reverse_mode(v, t).items()}, "the adjoint of"),
])
def test_reverse_mode_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match="ex-ch09-reverse-mode") as err:
        check_reverse_mode(wrong)
    assert message in str(err.value)
