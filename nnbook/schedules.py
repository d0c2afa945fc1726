"""Learning-rate schedules: one η per step, as an array, for ``train_with(..., schedule=...)``.

``step_decay`` divides η by a constant factor at fixed intervals; ``cosine_decay`` lowers it
along half a cosine to ``lr_min``. Both accept a linear warm-up: over the first ``warmup``
steps η rises as η·(t + 1)/warmup (t = 0, 1, …) before the schedule proper starts.

Book: chapter 8, Learning-rate schedules and warm-up.
"""
from __future__ import annotations

import numpy as np

from ._validate import check_int, check_nonnegative, check_positive

__all__ = ["constant_lr", "step_decay", "cosine_decay"]


def _checked(lr: float, steps: int, warmup: int) -> tuple[float, int, int]:
    lr = check_nonnegative(lr, "lr (the peak learning rate η)")
    steps = check_int(steps, "steps")
    warmup = check_int(warmup, "warmup", minimum=0)
    if warmup >= steps:
        raise ValueError(f"warmup must be smaller than steps ({steps}), got {warmup}")
    return lr, steps, warmup


def _warm(rates: np.ndarray, lr: float, warmup: int) -> np.ndarray:
    if warmup:
        rates[:warmup] = lr * np.arange(1, warmup + 1) / warmup
    return rates


def constant_lr(lr: float, steps: int, warmup: int = 0) -> np.ndarray:
    """η_t = η for every step t (after the optional warm-up), shape ``(steps,)``.

    Book: chapter 8, Learning-rate schedules and warm-up.
    """
    lr, steps, warmup = _checked(lr, steps, warmup)
    return _warm(np.full(steps, lr), lr, warmup)


def step_decay(lr: float, steps: int, every: int, factor: float = 0.1, warmup: int = 0) -> np.ndarray:
    r"""η_t = η · factor^⌊(t − warmup)/every⌋ after the warm-up, shape ``(steps,)``.

    Book: chapter 8, Learning-rate schedules and warm-up.
    """
    lr, steps, warmup = _checked(lr, steps, warmup)
    every = check_int(every, "every")
    factor = check_positive(factor, "factor")
    t = np.arange(steps - warmup)
    rates = np.concatenate([np.zeros(warmup), lr * factor ** (t // every)])
    return _warm(rates, lr, warmup)


def cosine_decay(lr: float, steps: int, lr_min: float = 0.0, warmup: int = 0) -> np.ndarray:
    r"""η_t = η_min + (η − η_min)(1 + cos(π s/S))/2, s = t − warmup, S = steps − warmup; shape ``(steps,)``.

    η at the first step after the warm-up, falling to η_min at the (never reached) step S.
    Book: chapter 8, Learning-rate schedules and warm-up.
    """
    lr, steps, warmup = _checked(lr, steps, warmup)
    lr_min = check_nonnegative(lr_min, "lr_min")
    if lr_min > lr:
        raise ValueError(f"lr_min must be <= lr ({lr}), got {lr_min}")
    s = np.arange(steps - warmup)
    decay = lr_min + (lr - lr_min) * 0.5 * (1.0 + np.cos(np.pi * s / (steps - warmup)))
    return _warm(np.concatenate([np.zeros(warmup), decay]), lr, warmup)
