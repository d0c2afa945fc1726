"""One epoch of minibatch SGD on the digits, gradients by ``nnbook.autodiff`` vs by hand.

The same MLP 64-64-10 (ReLU, cross-entropy), the same minibatches of 32 and learning rate as
``bench/mlp.py``, float64 (the dtype the chapter checks gradients in):

* autodiff: per minibatch, wrap the parameters as ``Tensor``s, ``J = mlp_loss(...)``,
  ``J.backward()``, ``sgd_step`` with the ``.grad`` arrays;
* by hand: ``MLP.loss_and_grads`` + ``sgd_step`` (chapter 3's backward, written out);
* torch eager (if installed), for scale: the same loop with torch's autograd.

The ratio autodiff / by hand is the price of generality (aim ≤ 3×). Before timing, the two
first steps are checked to give the same gradients.
"""
from __future__ import annotations

import numpy as np

from .mlp import BATCH, LR, digits, make_model, minibatches, nnbook_loop, torch_loop_fn, torch_net


def autodiff_loop(model, X: np.ndarray, y: np.ndarray, batches: list[np.ndarray], lr: float = LR) -> float:
    """One epoch with gradients from ``Tensor.backward()``. Returns the last loss."""
    from nnbook import sgd_step
    from nnbook.autodiff import Tensor, mlp_loss

    loss = float("nan")
    for idx in batches:
        params = {key: Tensor(value) for key, value in model.params.items()}
        J = mlp_loss(params, X[idx], y[idx])
        J.backward()
        sgd_step(model.params, {key: t.grad for key, t in params.items()}, lr)
        loss = float(J.data)
    return loss


def check_same_gradients(X: np.ndarray, y: np.ndarray, idx: np.ndarray) -> float:
    """Largest relative difference between autodiff and ``loss_and_grads`` on one minibatch."""
    from nnbook import rel_error
    from nnbook.autodiff import Tensor, mlp_loss

    model = make_model(np.float64)
    params = {key: Tensor(value) for key, value in model.params.items()}
    mlp_loss(params, X[idx], y[idx]).backward()
    _, grads = model.loss_and_grads(X[idx], y[idx])
    return max(rel_error(params[key].grad, grads[key]) for key in grads)


def run(repeats: int = 7, min_time: float = 0.1) -> list:
    """Rows: autodiff epoch vs the hand-written backward (aim ≤ 3×), and vs torch eager."""
    from ._report import Row
    from ._timing import interleaved

    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
    X, y = digits(np.float64)
    batches = minibatches(len(X))
    error = check_same_gradients(X, y, batches[0])
    if not error < 1e-12:
        raise AssertionError(f"autodiff and loss_and_grads disagree: relative error {error:.1e}")
    model_auto, model_hand = make_model(np.float64), make_model(np.float64)
    cases = {
        "autodiff": lambda: autodiff_loop(model_auto, X, y, batches),
        "hand": lambda: nnbook_loop(model_hand, X, y, batches),
    }
    if have_torch:
        cases["torch"] = torch_loop_fn(torch_net(make_model(np.float64)), X, y, batches)
    t = interleaved(cases, repeats=repeats, min_time=min_time)
    med = {k: v.median for k, v in t.items()}
    name = f"MLP 64-64-10 epoch (float64, {len(batches)} minibatches of {BATCH}): mlp_loss + backward()"
    note = f"same gradients as loss_and_grads (max relative difference {error:.0e})"
    rows = [Row("autodiff", name, med["autodiff"], "hand-written MLP.loss_and_grads (chapter 3)",
                med["hand"], aim_ratio=3.0, note=note)]
    if have_torch:
        rows.append(Row("autodiff", name, med["autodiff"], "torch eager autograd (for scale; no aim)",
                        med["torch"]))
    return rows
