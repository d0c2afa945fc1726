"""Scaled dot-product attention forward + backward: N=32, T=64, d=32 (self-attention shapes).

nnbook: ``out, cache = attention_forward(q, k, v)`` then
``attention_backward(dout, cache) -> (dq, dk, dv)`` for a fixed upstream ``dout``.
Reference: torch's ``F.scaled_dot_product_attention`` (no mask) with ``torch.autograd.grad`` of
q, k, v for the same ``dout``; same dtype, one thread. Aim: ≤ 1.0×.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

SHAPE = dict(n=32, t=64, d=32)


def make_inputs(n=32, t=64, d=32, dtype=np.float32, seed=0):
    """``q, k, v, dout``, each of shape ``(n, t, d)``."""
    rng = np.random.default_rng(seed)
    return tuple(rng.standard_normal((n, t, d)).astype(dtype) for _ in range(4))


def nnbook_fwd_bwd(q, k, v, dout):
    """``(out, dq, dk, dv)`` from nnbook's ``attention_forward`` and ``attention_backward``."""
    from nnbook.attention import attention_backward, attention_forward

    out, cache = attention_forward(q, k, v)
    return (out, *attention_backward(dout, cache))


def torch_sdpa_fn(q, k, v, dout) -> Callable[[], tuple]:
    """``scaled_dot_product_attention`` + autograd; returns ``(out, dq, dk, dv)``."""
    import torch

    qt, kt, vt = (torch.from_numpy(a.copy()).requires_grad_() for a in (q, k, v))
    dt = torch.from_numpy(dout)

    def step():
        out = torch.nn.functional.scaled_dot_product_attention(qt, kt, vt)
        return (out.detach(), *torch.autograd.grad(out, (qt, kt, vt), dt))

    return step


def run(repeats: int = 7, min_time: float = 0.1, dtypes=(np.float32, np.float64)) -> list:
    from ._report import Row
    from ._timing import interleaved, torch_available

    has_torch = torch_available()
    rows = []
    for dtype in dtypes:
        tag = np.dtype(dtype).name
        args = make_inputs(dtype=dtype)
        cases = {"nnbook": lambda: nnbook_fwd_bwd(*args)}
        if has_torch:
            cases["torch sdpa"] = torch_sdpa_fn(*args)
        med = {k: v.median for k, v in interleaved(cases, repeats=repeats, min_time=min_time).items()}
        name = f"attention fwd+bwd N=32 T=64 d=32 ({tag})"
        if has_torch:
            rows.append(Row("attention", name, med["nnbook"],
                            "torch scaled_dot_product_attention + autograd.grad",
                            med["torch sdpa"], aim_ratio=1.0))
        else:
            rows.append(Row("attention", name, med["nnbook"], note="torch not installed"))
    return rows


if __name__ == "__main__":
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from ._report import table

    print(table(run()))
