"""One Adam step over the digits MLP's parameters: ``nnbook.adam_step`` vs ``torch.optim.Adam``.

The parameters of the MLP 64-64-10 of ``bench/mlp.py`` (W1 64×64, b1, W2 64×10, b2: 4,810
numbers) and one fixed set of gradients; each call is one step, state kept between calls
(the moments and the step count grow as in training). torch's reference is
``torch.optim.Adam(params, lr)`` with its defaults (on CPU: the per-tensor loop; the
``foreach`` multi-tensor variant is timed too when available), on tensors of the same dtype
whose ``.grad`` is set once. Before timing, three steps of both are checked to agree.
"""
from __future__ import annotations

import numpy as np

from .mlp import digits, make_model

LR = 1e-3


def _grads(model) -> dict[str, np.ndarray]:
    X, y = digits(model.dtype)
    _, grads = model.loss_and_grads(X[:32], y[:32])
    return grads


def nnbook_case(dtype):
    """A closure doing one ``adam_step`` on the MLP's parameters (state kept across calls)."""
    from nnbook import adam_step

    model = make_model(dtype)
    grads, state = _grads(model), {}
    return model.params, lambda: adam_step(model.params, grads, state, LR)


def torch_case(dtype, foreach: bool | None = None):
    """A closure doing one ``torch.optim.Adam.step()`` on the same parameters and gradients."""
    import torch

    model = make_model(dtype)
    grads = _grads(model)
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in model.params.items()}
    for k, t in tensors.items():
        t.grad = torch.tensor(grads[k])
    opt = torch.optim.Adam(list(tensors.values()), lr=LR, foreach=foreach)

    def step():
        opt.step()

    return tensors, step


def check_agree(dtype=np.float64, steps: int = 3) -> float:
    """Largest relative difference after ``steps`` steps of both (should be at rounding level)."""
    params, mine = nnbook_case(dtype)
    tensors, theirs = torch_case(dtype)
    for _ in range(steps):
        mine()
        theirs()
    return max(float(np.max(np.abs(params[k] - tensors[k].detach().numpy())) /
                     np.max(np.abs(params[k]))) for k in params)


def run(repeats: int = 7, min_time: float = 0.1) -> list:
    """Rows: one Adam step, nnbook vs torch (aim ≤ 1×), float32 and float64."""
    from ._report import Row
    from ._timing import interleaved, torch_available

    rows = []
    have_torch = torch_available()
    if have_torch:
        error = check_agree()
        if not error < 1e-12:
            raise AssertionError(f"adam_step and torch.optim.Adam disagree: relative difference {error:.1e}")
    for dtype in (np.float32, np.float64):
        name = f"one Adam step, MLP 64-64-10 parameters ({np.dtype(dtype).name})"
        cases = {"nnbook": nnbook_case(dtype)[1]}
        if have_torch:
            cases["torch"] = torch_case(dtype)[1]
            cases["torch foreach"] = torch_case(dtype, foreach=True)[1]
        t = interleaved(cases, repeats=repeats, min_time=min_time)
        med = {k: v.median for k, v in t.items()}
        if not have_torch:
            rows.append(Row("optim", name, med["nnbook"], note="torch not installed: no reference"))
            continue
        note = "same steps as torch (checked, float64)" if dtype == np.float64 else ""
        rows.append(Row("optim", name, med["nnbook"], "torch.optim.Adam (defaults)", med["torch"],
                        aim_ratio=1.0, note=note))
        rows.append(Row("optim", name, med["nnbook"], "torch.optim.Adam(foreach=True) (for scale)",
                        med["torch foreach"]))
    return rows
