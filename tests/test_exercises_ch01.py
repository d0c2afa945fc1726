"""The chapter 1 checks accept the reference answers and explain plausible mistakes."""
import numpy as np
import pytest

from nnbook.exercises import ExerciseError, check_dense, check_param_count


def dense(x, W, b):
    return x @ W + b


def param_count(sizes):
    return sum(d_in * d_out + d_out for d_in, d_out in zip(sizes[:-1], sizes[1:]))


def test_dense_accepts_reference(capsys):
    assert check_dense(dense) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda x, W, b: x @ W.T + b, "transposed"),
    (lambda x, W, b: x @ W, "forgot the bias"),
    (lambda x, W, b: np.tanh(x @ W + b), "my_dense(x, W, b)"),
    (lambda x, W, b: (W.T @ x.T).T + b.sum(), "my_dense(x, W, b)"),
    (lambda x, W, b: None, "shape"),
])
def test_dense_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match="ex-ch01-dense") as err:
        check_dense(wrong)
    assert message in str(err.value)


def test_dense_reports_crash_and_unimplemented():
    def unimplemented(x, W, b):
        raise NotImplementedError

    with pytest.raises(ExerciseError, match="not implemented"):
        check_dense(unimplemented)


def test_param_count_accepts_reference(capsys):
    assert check_param_count(param_count) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])), "forgot the biases"),
    (lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])) + sum(s), "input layer has no bias"),
    (lambda s: sum(s), "number of neurons"),
    (lambda s: sum(a * b + a for a, b in zip(s[:-1], s[1:])), "OUTPUT neuron"),
    (lambda s: param_count(s) + 1, "expected"),
    (lambda s: "many", "integer"),
])
def test_param_count_rejects_mistakes(wrong, message):
    with pytest.raises(ExerciseError, match="ex-ch01-param-count-code") as err:
        check_param_count(wrong)
    assert message in str(err.value)
