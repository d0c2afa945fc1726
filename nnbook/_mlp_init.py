"""The MLP's constructor arguments and initial parameters (private to :mod:`nnbook.network`).

Initialization, as chapter 5 teaches it: ``W_l ~ N(0, s_l²)`` with He's ``s_l² = 2/d_{l-1}``
(the default for ReLU), Xavier/Glorot's ``s_l² = 2/(d_{l-1} + d_l)`` (the default for sigmoid,
tanh and linear), or one given standard deviation for every layer; biases and batch-norm
``beta`` start at 0, ``gamma`` at 1, the running statistics at mean 0 and variance 1.

Book: chapter 5, Initialization and batch normalization.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._validate import check_float_dtype, check_unit_interval, is_int

INITS = ("he", "xavier", "glorot")


def check_mlp_arguments(sizes: Any, activation: Any, loss: Any, dropout: Any, batchnorm: Any,
                        init: Any, dtype: Any, activations: Sequence[str], losses: Sequence[str]
                        ) -> tuple[list[int], float, str | float, np.dtype]:
    """``(sizes, dropout, init, dtype)`` checked and resolved; ``ValueError`` naming the bad one."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__iter__"):
        raise ValueError(f"sizes must be a sequence of layer widths, got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2 or not all(is_int(s) and s >= 1 for s in sizes):
        raise ValueError(
            f"sizes must be a sequence of at least two positive integers "
            f"(inputs, ..., outputs), got {sizes!r}"
        )
    custom = (isinstance(activation, tuple) and len(activation) == 2
              and all(callable(f) for f in activation))
    if not custom and (not isinstance(activation, str) or activation not in activations):
        raise ValueError(f"activation must be one of {tuple(activations)} or a pair of functions "
                         f"(phi, phi_grad), got {activation!r}")
    if loss not in losses:
        raise ValueError(f"loss must be one of {tuple(losses)}, got {loss!r}")
    if loss == "bce" and sizes[-1] != 1:
        raise ValueError(f"sizes must end with 1 output for loss='bce', got {sizes[-1]}")
    if loss == "ce" and sizes[-1] < 2:
        raise ValueError(f"sizes must end with >= 2 outputs (classes) for loss='ce', got {sizes[-1]}")
    dropout = check_unit_interval(dropout, "dropout (the drop probability)")
    if not isinstance(batchnorm, (bool, np.bool_)):
        raise ValueError(f"batchnorm must be True or False, got {batchnorm!r}")
    if init is None:
        init = "he" if (not custom and activation == "relu") else "xavier"
    if isinstance(init, str):
        if init not in INITS:
            raise ValueError(f"init must be 'he', 'xavier', 'glorot' or a positive std, got {init!r}")
    elif isinstance(init, bool) or not np.isscalar(init) or not (np.isfinite(init) and init > 0):
        raise ValueError(f"init must be 'he', 'xavier', 'glorot' or a positive std, got {init!r}")
    return [int(s) for s in sizes], float(dropout), init, check_float_dtype(dtype)


def init_std(init: str | float, d_in: int, d_out: int) -> float:
    """s with W ~ N(0, s²): He √(2/d_in), Xavier/Glorot √(2/(d_in + d_out)), or ``init`` itself."""
    if init == "he":
        return float(np.sqrt(2.0 / d_in))
    if init in ("xavier", "glorot"):
        return float(np.sqrt(2.0 / (d_in + d_out)))
    return float(init)


def init_mlp_params(sizes: Sequence[int], init: str | float, batchnorm: bool,
                    rng: np.random.Generator, dtype: np.dtype
                    ) -> tuple[dict[str, np.ndarray], dict[str, dict[str, np.ndarray]]]:
    """``(params, running)`` of a fresh MLP, weights drawn from ``rng`` layer by layer."""
    params: dict[str, np.ndarray] = {}
    running: dict[str, dict[str, np.ndarray]] = {}
    L = len(sizes) - 1
    for l, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        std = init_std(init, d_in, d_out)
        params[f"W{l}"] = (std * rng.standard_normal((d_in, d_out))).astype(dtype)
        params[f"b{l}"] = np.zeros(d_out, dtype=dtype)
        if batchnorm and l < L:
            params[f"gamma{l}"] = np.ones(d_out, dtype=dtype)
            params[f"beta{l}"] = np.zeros(d_out, dtype=dtype)
            running[f"bn{l}"] = {"mean": np.zeros(d_out, dtype=dtype), "var": np.ones(d_out, dtype=dtype)}
    return params, running
