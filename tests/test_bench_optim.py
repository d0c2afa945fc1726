"""bench/optim.py times the same Adam steps as torch's (no timing is asserted here)."""
import numpy as np
import pytest

from bench import optim


def test_nnbook_case_takes_adam_steps():
    params, step = optim.nnbook_case(np.float64)
    before = {k: v.copy() for k, v in params.items()}
    step()
    # Adam's first step moves every coordinate with a gradient by η (blank pixels have none)
    moved = np.concatenate([np.abs(params[k] - before[k]).ravel() for k in params])
    assert moved.max() == pytest.approx(optim.LR, rel=1e-6)


def test_bench_adam_agrees_with_torch():
    pytest.importorskip("torch")
    assert optim.check_agree(np.float64, steps=3) < 1e-12


def test_run_returns_rows_for_both_dtypes():
    rows = optim.run(repeats=1, min_time=0.001)
    assert {r.name.split("(")[-1] for r in rows} == {"float32)", "float64)"}
    assert all(r.value > 0 for r in rows)
