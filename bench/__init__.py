"""Benchmarks of nnbook against reference implementations measured in the same process.

Run everything with ``python -m bench`` (add ``--book`` for the slow book build, rebuild,
nbval and page-weight measurements). Every speed figure is a *ratio* against a reference
timed in the same run with interleaved repeats (the machine may be shared, so absolute
times are noisy but ratios are stable). Results are printed and saved to
``bench/results.md``.

Modules, one benchmark each: :mod:`bench.mlp` (one epoch of minibatch SGD on digits),
:mod:`bench.conv` (conv2d forward + backward), :mod:`bench.rnn` (RNN forward + BPTT),
:mod:`bench.widgets` (knob redraw times), :mod:`bench.imports` (``import nnbook``),
:mod:`bench.book` (build, rebuild, nbval, page weight). torch is an optional reference:
without it the benchmarks print nnbook's own times and say the reference is missing.

This package imports nothing heavy at import time, so ``python -m bench`` can limit BLAS
to one thread (see :mod:`bench.__main__`) before NumPy or torch is loaded.
"""
