"""plot_attention_map: a heat map with a text alternative that states where each row looks."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.figures import get_alt  # noqa: E402
from nnbook.plots.attention import plot_attention_map  # noqa: E402


def test_alt_names_the_peaks_and_marks():
    A = np.array([[0.1, 0.8, 0.1], [0.7, 0.2, 0.1]])
    ax = plot_attention_map(A, marks=[1, 2], title="two queries")
    alt = get_alt(ax.figure)
    assert "2 rows by 3 keys" in alt and "key(s) 2, 1" in alt and "50% of rows" in alt
    assert ax.get_xlabel() and ax.get_ylabel()
    plt.close(ax.figure)


def test_bad_weights():
    with pytest.raises(ValueError, match="weights must have shape"):
        plot_attention_map(np.ones(3))
