"""Interleaved, repeated timing: the median per-call time of several cases measured together."""
from __future__ import annotations

import gc
import statistics
from dataclasses import dataclass
from time import perf_counter
from typing import Any, Callable, Mapping


@dataclass
class Timing:
    """Per-call seconds of one case: every repeat's sample, their median and minimum."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)


def _loops_for(fn: Callable[[], Any], min_time: float) -> int:
    """How many calls make one sample last at least ``min_time`` seconds (after a warm-up)."""
    fn()  # warm-up: first-call costs (allocation, lazy imports, torch dispatch caches)
    start = perf_counter()
    fn()
    once = perf_counter() - start
    return max(1, int(min_time / max(once, 1e-7)))


def interleaved(
    cases: Mapping[str, Callable[[], Any]], repeats: int = 7, min_time: float = 0.05
) -> dict[str, Timing]:
    """Time every case ``repeats`` times, alternating cases (A B C, C B A, A B C, ...).

    Interleaving means a burst of load from another process hits all cases alike, so the
    ratio of two medians is much steadier than either time. Each sample runs a case enough
    times to last ``min_time`` seconds; the garbage collector is off while timing, as in
    ``timeit``.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    names = list(cases)
    loops = {name: _loops_for(cases[name], min_time) for name in names}
    samples: dict[str, list[float]] = {name: [] for name in names}
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        for r in range(repeats):
            for name in names if r % 2 == 0 else names[::-1]:
                fn, k = cases[name], loops[name]
                start = perf_counter()
                for _ in range(k):
                    fn()
                samples[name].append((perf_counter() - start) / k)
    finally:
        if enabled:
            gc.enable()
    return {name: Timing(samples[name]) for name in names}


def each_call(fn: Callable[[], Any]) -> float:
    """Seconds taken by one call of ``fn`` (for things that must not be repeated or cached)."""
    start = perf_counter()
    fn()
    return perf_counter() - start


def torch_available() -> bool:
    """Whether the optional reference, torch, can be imported."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True
