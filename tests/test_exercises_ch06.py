"""The chapter 6 exercise checks accept the reference solutions and reject typical mistakes
with a message that names the mistake."""
import numpy as np
import pytest

from nnbook.exercises import ExerciseError
from nnbook.exercises.ch06 import check_conv1d, check_correlate2d, check_output_size


# ---- output size ------------------------------------------------------------------------

def size_ok(H, K, stride=1, padding=0):
    return (H + 2 * padding - K) // stride + 1


def test_output_size_accepts_reference(capsys):
    assert check_output_size(size_ok)
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, words", [
    (lambda H, K, stride=1, padding=0: (H + 2 * padding - K) // stride, "one too few"),
    (lambda H, K, stride=1, padding=0: (H + padding - K) // stride + 1, "BOTH sides"),
    (lambda H, K, stride=1, padding=0: (H + 2 * padding - K) / stride + 1, "floor division"),
    (lambda H, K, stride=1, padding=0: H + 2 * padding - K + 1, "every s-th"),
    (lambda H, K, stride=1, padding=0: (H + 2 * padding - K) // stride + 2, "one too many"),
])
def test_output_size_rejects_mistakes(wrong, words):
    with pytest.raises(ExerciseError, match=words):
        check_output_size(wrong)


def test_output_size_reports_a_crash():
    def unfinished(H, K, stride=1, padding=0):
        raise NotImplementedError
    with pytest.raises(ExerciseError, match="not implemented"):
        check_output_size(unfinished)


# ---- 1-D convolution --------------------------------------------------------------------

def conv1d_ok(f, g):
    n = len(f) + len(g) - 1
    out = np.zeros(n)
    for k in range(len(f)):  # a loop is fine in a student's answer
        out[k:k + len(g)] += f[k] * g
    return out


def test_conv1d_accepts_reference_and_numpy(capsys):
    assert check_conv1d(conv1d_ok)
    assert check_conv1d(np.convolve)
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, words", [
    (lambda f, g: conv1d_ok(f, g[::-1]), "cross-correlation"),
    (lambda f, g: np.correlate(f, g, mode="full"), "flipped"),
    (lambda f, g: np.convolve(f, g, mode="valid"), "valid"),
    (lambda f, g: conv1d_ok(f, g)[:-1], "off by one"),
    (lambda f, g: np.append(conv1d_ok(f, g), 0.0), "off by one"),
    (lambda f, g: 2 * conv1d_ok(f, g), "convolution"),
])
def test_conv1d_rejects_mistakes(wrong, words):
    with pytest.raises(ExerciseError, match=words):
        check_conv1d(wrong)


# ---- 2-D cross-correlation --------------------------------------------------------------

def correlate2d_ok(image, kernel):
    KH, KW = kernel.shape
    out = np.empty((image.shape[0] - KH + 1, image.shape[1] - KW + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + KH, j:j + KW] * kernel)
    return out


def test_correlate2d_accepts_reference(capsys):
    assert check_correlate2d(correlate2d_ok)
    assert "correct" in capsys.readouterr().out


def off_by_one_short(image, kernel):
    full = correlate2d_ok(image, kernel)
    return full[:-1, :-1]


def same_size(image, kernel):
    KH, KW = kernel.shape
    padded = np.pad(image, ((0, KH - 1), (0, KW - 1)))
    return correlate2d_ok(padded, kernel)


@pytest.mark.parametrize("wrong, words", [
    (lambda image, kernel: correlate2d_ok(image, kernel[::-1, ::-1]), "true convolution"),
    (off_by_one_short, "one position short"),
    (same_size, "same"),
    (lambda image, kernel: correlate2d_ok(image, kernel.T) if kernel.shape[0] == kernel.shape[1]
     else correlate2d_ok(image, kernel), "feature map"),
])
def test_correlate2d_rejects_mistakes(wrong, words):
    with pytest.raises(ExerciseError, match=words):
        check_correlate2d(wrong)
