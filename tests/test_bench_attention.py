"""bench/attention.py: the torch reference computes exactly nnbook's numbers (no timing asserted)."""
import numpy as np
import pytest

from bench import attention


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-10), (np.float32, 1e-4)])
def test_torch_sdpa_computes_nnbooks_numbers(dtype, tol):
    pytest.importorskip("torch")
    args = attention.make_inputs(n=2, t=5, d=4, dtype=dtype)
    ours = attention.nnbook_fwd_bwd(*args)
    theirs = attention.torch_sdpa_fn(*args)()
    for a, b in zip(ours, theirs):
        assert np.allclose(a, b.numpy(), atol=tol)


def test_run_returns_one_row_per_dtype():
    rows = attention.run(repeats=1, min_time=0.0)
    assert len(rows) == 2 and all(r.section == "attention" and r.value > 0 for r in rows)
