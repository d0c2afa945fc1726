"""One epoch of minibatch SGD for an MLP 64-64-10 (ReLU, cross-entropy) on the digits.

Three implementations of the same work, timed together:

* nnbook: ``MLP.loss_and_grads`` + ``sgd_step`` over the epoch's minibatches (the loop), and
  ``nnbook.train`` for one epoch (which also shuffles, records gradient norms and evaluates
  loss and accuracy on the whole training set after the epoch);
* torch CPU eager: ``nn.Sequential(Linear, ReLU, Linear)``, ``F.cross_entropy``,
  ``backward()`` and ``torch.optim.SGD`` on the same minibatches, same dtype, same initial
  weights (and, for the ``train`` row, the same extra work: shuffle, gradient norms,
  evaluation);
* the matmul floor: only the epoch's matrix products, timed with NumPy: per minibatch the
  forward products ``a_{l-1} W_l``, the weight gradients ``a_{l-1}ᵀ dz_l`` and the input
  gradients ``dz_l W_lᵀ`` of the hidden layers (the gradient of the data is not needed).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

SIZES = (64, 64, 10)
BATCH = 32
LR = 0.1
SEED = 0


def digits(dtype=np.float64, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The 8×8 digits (1,797 rows of 64 pixels in [0, 1]) in ``dtype``; the first ``n`` rows if given."""
    from nnbook import load_digits

    X, y = load_digits()
    if n is not None:
        X, y = X[:n], y[:n]
    return X.astype(dtype), y


def minibatches(n: int, batch_size: int = BATCH, seed: int = SEED) -> list[np.ndarray]:
    """The index arrays of one epoch, in the order ``nnbook.train(seed=seed)`` draws them."""
    order = np.random.default_rng(seed).permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def make_model(dtype=np.float64, sizes=SIZES, seed: int = SEED):
    from nnbook import MLP

    return MLP(list(sizes), activation="relu", loss="ce", seed=seed, dtype=dtype)


# ------------------------------------------------------------------------- nnbook
def nnbook_loop(model, X: np.ndarray, y: np.ndarray, batches: list[np.ndarray], lr: float = LR) -> float:
    """One epoch: ``loss, grads = model.loss_and_grads(X_b, y_b)``; ``sgd_step``. Returns the last loss."""
    from nnbook import sgd_step

    loss = float("nan")
    for idx in batches:
        loss, grads = model.loss_and_grads(X[idx], y[idx])
        sgd_step(model.params, grads, lr)
    return loss


def nnbook_train(model, X: np.ndarray, y: np.ndarray, lr: float = LR, batch_size: int = BATCH, seed: int = SEED):
    """One epoch of ``nnbook.train`` (shuffle, SGD steps, gradient norms, evaluation)."""
    from nnbook import train

    return train(model, X, y, lr=lr, epochs=1, batch_size=batch_size, seed=seed)


# -------------------------------------------------------------------- matmul floor
def matmul_floor(sizes=SIZES, batch_sizes: list[int] | None = None, n_eval: int = 0,
                 dtype=np.float64, seed: int = 1) -> Callable[[], None]:
    """A function doing only the epoch's matrix products (operands made once, outside timing).

    Per minibatch of ``m`` rows and layer ``l``: ``(m, d_{l-1}) @ (d_{l-1}, d_l)`` (forward),
    ``(m, d_{l-1})ᵀ @ (m, d_l)`` (dW) and, for ``l > 1``, ``(m, d_l) @ (d_l, d_{l-1})``
    (dx, through ``W_lᵀ``). Transposes are views, as in the layers. ``n_eval > 0`` adds the
    forward products of an evaluation over ``n_eval`` rows (what ``train`` does per epoch).
    """
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((a, b)).astype(dtype) for a, b in zip(sizes[:-1], sizes[1:])]
    products: list[tuple[np.ndarray, np.ndarray]] = []
    for m in batch_sizes or []:
        acts = [rng.standard_normal((m, d)).astype(dtype) for d in sizes]
        for l, W in enumerate(weights):
            products.append((acts[l], W))  # forward
            products.append((acts[l].T, acts[l + 1]))  # dW = a_{l-1}ᵀ dz_l
            if l > 0:
                products.append((acts[l + 1], W.T))  # dx = dz_l W_lᵀ
    if n_eval:
        acts = [rng.standard_normal((n_eval, d)).astype(dtype) for d in sizes]
        products += [(acts[l], W) for l, W in enumerate(weights)]

    def floor() -> None:
        for a, b in products:
            a @ b

    floor.n_products = len(products)  # type: ignore[attr-defined]
    return floor


# ------------------------------------------------------- hand-fused NumPy (for scale)
def fused_numpy_fn(model, X: np.ndarray, y: np.ndarray, batches: list[np.ndarray],
                   lr: float = LR) -> Callable[[], float]:
    """The same epoch written as tightly as NumPy allows: no validation, loss and gradient
    from one softmax, no gradient for the data, in-place updates. It shows how close to the
    matmul floor any NumPy implementation can get at minibatch 32 (each NumPy call costs
    about a microsecond, as much as one of these small products). Works on a copy of the
    model's parameters."""
    L = model.n_layers
    Ws = [model.params[f"W{l}"].copy() for l in range(1, L + 1)]
    bs = [model.params[f"b{l}"].copy() for l in range(1, L + 1)]

    def epoch() -> float:
        loss = float("nan")
        for idx in batches:
            a = X[idx]
            m = a.shape[0]
            acts, zs = [a], []
            for l in range(L):
                z = acts[-1] @ Ws[l]
                z += bs[l]
                zs.append(z)
                if l < L - 1:
                    acts.append(np.maximum(z, 0))
            z = zs[-1]
            z -= z.max(axis=1, keepdims=True)
            e = np.exp(z)
            s = e.sum(axis=1)
            rows = np.arange(m)
            loss = float(np.mean(np.log(s) - z[rows, y[idx]]))
            dz = e / s[:, None]
            dz[rows, y[idx]] -= 1
            dz /= m
            for l in range(L - 1, -1, -1):
                dW = acts[l].T @ dz
                db = dz.sum(axis=0)
                if l > 0:
                    dz = dz @ Ws[l].T
                    dz *= zs[l - 1] > 0
                Ws[l] -= lr * dW
                bs[l] -= lr * db
        return loss

    epoch.params = (Ws, bs)  # type: ignore[attr-defined]
    return epoch


# -------------------------------------------------------------------------- torch
def torch_net(model):
    """``nn.Sequential(Linear, ReLU, Linear, ...)`` with the nnbook model's weights (``weight = Wᵀ``)."""
    import torch

    dtype = torch.float64 if model.dtype == np.float64 else torch.float32
    layers = []
    for l in range(1, model.n_layers + 1):
        W, b = model.params[f"W{l}"], model.params[f"b{l}"]
        lin = torch.nn.Linear(W.shape[0], W.shape[1], dtype=dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(W.T)))
            lin.bias.copy_(torch.from_numpy(b))
        layers += [lin, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])


def torch_loop_fn(net, X: np.ndarray, y: np.ndarray, batches: list[np.ndarray], lr: float = LR) -> Callable[[], float]:
    """The idiomatic eager loop on the same minibatches: zero_grad, forward, loss, backward, step."""
    import torch
    import torch.nn.functional as F

    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    idx_t = [torch.from_numpy(idx) for idx in batches]
    opt = torch.optim.SGD(net.parameters(), lr=lr)

    def epoch() -> float:
        loss = None
        for idx in idx_t:
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(net(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        return loss.item()

    return epoch


def torch_train_fn(net, X: np.ndarray, y: np.ndarray, lr: float = LR, batch_size: int = BATCH,
                   seed: int = SEED) -> Callable[[], tuple[float, float]]:
    """What ``nnbook.train`` does in one epoch, in torch: shuffle, steps, gradient norms, evaluation."""
    import torch
    import torch.nn.functional as F

    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    n = Xt.shape[0]
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
    gen = torch.Generator().manual_seed(seed)

    def epoch() -> tuple[float, float]:
        order = torch.randperm(n, generator=gen)
        norms = torch.zeros(len(weights), dtype=Xt.dtype)
        for i in range(0, n, batch_size):
            idx = order[i : i + batch_size]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(net(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            with torch.no_grad():
                norms += torch.stack([torch.linalg.vector_norm(w.grad) for w in weights])
        with torch.no_grad():
            logits = net(Xt)
            return float(F.cross_entropy(logits, yt)), float((logits.argmax(1) == yt).double().mean())

    return epoch


# ---------------------------------------------------------------------------- run
def run(repeats: int = 7, min_time: float = 0.1, dtypes=(np.float64, np.float32)) -> list:
    """Time the epoch in each dtype; rows: nnbook loop vs torch and floor, train() vs torch and floor."""
    from ._report import Row
    from ._timing import interleaved

    try:
        import torch
    except ImportError:
        torch = None
    rows = []
    for dtype in dtypes:
        tag = np.dtype(dtype).name
        X, y = digits(dtype)
        batches = minibatches(len(X))
        sizes_m = [len(b) for b in batches]
        model_loop, model_train = make_model(dtype), make_model(dtype)
        cases = {
            "nnbook loop": lambda: nnbook_loop(model_loop, X, y, batches),
            "nnbook train": lambda: nnbook_train(model_train, X, y),
            "floor": matmul_floor(SIZES, sizes_m, dtype=dtype),
            "floor + eval": matmul_floor(SIZES, sizes_m, n_eval=len(X), dtype=dtype),
            "fused": fused_numpy_fn(make_model(dtype), X, y, batches),
        }
        if torch is not None:
            cases["torch loop"] = torch_loop_fn(torch_net(make_model(dtype)), X, y, batches)
            cases["torch train"] = torch_train_fn(torch_net(make_model(dtype)), X, y)
        t = interleaved(cases, repeats=repeats, min_time=min_time)
        med = {k: v.median for k, v in t.items()}
        name = f"MLP 64-64-10 epoch ({tag})"
        n_products = cases["floor"].n_products
        if torch is not None:
            rows.append(Row("mlp", f"{name}: loss_and_grads + sgd_step", med["nnbook loop"],
                            "torch eager (nn.Linear, F.cross_entropy, optim.SGD)", med["torch loop"], aim_ratio=0.5))
        else:
            rows.append(Row("mlp", f"{name}: loss_and_grads + sgd_step", med["nnbook loop"], note="torch not installed"))
        rows.append(Row("mlp", f"{name}: loss_and_grads + sgd_step", med["nnbook loop"],
                        f"matmul floor ({n_products} NumPy products)", med["floor"], aim_ratio=1.5))
        rows.append(Row("mlp", f"{name}: loss_and_grads + sgd_step", med["nnbook loop"],
                        "hand-fused NumPy, same math (for scale; no aim)", med["fused"],
                        note=f"fused NumPy is {med['fused'] / med['floor']:.1f}× the floor"))
        if torch is not None:
            rows.append(Row("mlp", f"{name}: nnbook.train", med["nnbook train"],
                            "torch eager, same work", med["torch train"], aim_ratio=0.5))
        rows.append(Row("mlp", f"{name}: nnbook.train", med["nnbook train"],
                        "matmul floor + evaluation products", med["floor + eval"], aim_ratio=1.5))
    return rows
