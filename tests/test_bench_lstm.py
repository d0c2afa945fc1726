"""bench/lstm.py: the torch reference computes exactly nnbook's numbers (no timing asserted)."""
import numpy as np
import pytest

from bench import lstm


@pytest.mark.parametrize("onednn", [True, False])
@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-10), (np.float32, 1e-4)])
def test_torch_lstm_computes_nnbooks_numbers(dtype, tol, onednn):
    pytest.importorskip("torch")
    args = lstm.make_inputs(n=3, t=5, d=4, h=6, dtype=dtype)
    ours = lstm.nnbook_fwd_bwd(*args)
    theirs = lstm.torch_lstm_fn(*args, onednn=onednn)()
    assert len(ours) == len(theirs) == 7
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b.numpy(), rtol=tol, atol=tol)
        assert a.dtype == dtype


def test_run_gives_rows_for_both_dtypes():
    rows = lstm.run(repeats=1, min_time=0.0)
    assert len(rows) in (2, 4) and all(r.section == "lstm" and r.value > 0 for r in rows)
