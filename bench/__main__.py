"""``python -m bench``: run the benchmarks, print the table, write it to a results file.

Usage::

    python -m bench                 # MLP, conv2d, RNN, LSTM, knob redraws, import time (a few minutes)
    python -m bench --book          # also: clean build, rebuild, nbval, page weight (slow)
    python -m bench --only mlp,conv # a subset (no results file is written)
    python -m bench --save          # update the committed bench/results.md (the book's reference run)

By default the results go to ``bench/results.local.md`` (ignored by git), so a run on another
machine, or without torch, never overwrites the committed ``bench/results.md``; ``--save``
updates that one, ``--out PATH`` writes anywhere.

BLAS and torch are limited to one thread before NumPy or torch is imported, so that nnbook
and the references compete on equal terms whatever the machine.
"""
from __future__ import annotations

import argparse
import os
import sys

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
             "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"  # before NumPy/torch are imported: one thread for everyone
# Headless matplotlib in this process only: an MPLBACKEND variable would reach the kernels of
# the book build (--book) and drop every inline figure from the pages we weigh.
os.environ.pop("MPLBACKEND", None)
import matplotlib  # noqa: E402

matplotlib.use("Agg")

SPEED = ("mlp", "conv", "rnn", "lstm", "attention", "autodiff", "optim", "widgets", "import")


def _limit_threads() -> None:
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set (only allowed once, before any parallel work)
        pass


def notes_for(rows) -> list[str]:
    notes = []
    if "torch" not in sys.modules:
        notes.append("torch is not installed: the torch reference rows are missing "
                     "(install the optional reference with `pip install torch==2.13.0`).")
    notes.append("MLP: one epoch over the 1,797 digits, 57 minibatches of 32, lr 0.1; "
                 "'nnbook.train' also shuffles, records per-layer gradient norms and evaluates loss and "
                 "accuracy on the whole set (torch's row does the same); the matmul floor is only the "
                 "epoch's 285 matrix products (2 forward, 2 dW, 1 hidden dx per minibatch) timed with NumPy.")
    notes.append("Widgets, two rows per knob. 'One frame computed + drawn (uncached)': draw(**values) + "
                 "render, median over the frames, against a one-line 7×3.2 in figure rendered the same "
                 "way between frames (its ratio does not depend on machine load); matplotlib needs "
                 "~35 ms for even that one line here, so a two-panel frame cannot be drawn in < 50 ms. "
                 "'Live redraw': what a reader waits for in a kernel, from setting the sliders to the new "
                 "image; the live widget renders every frame once when it is shown (the time in the note), "
                 "exactly as the book build does, so a redraw swaps a cached PNG. The aim applies to it.")
    fused = [r for r in rows if r.ref_name.startswith("hand-fused")]
    if fused:
        notes.append("The matmul-floor aim (≤ 1.5×) is out of reach for any NumPy code at minibatch 32: "
                     "every NumPy call costs about as much as one of these 32×64 products, and even the "
                     "hand-fused NumPy epoch (no validation, one softmax, no data gradient, in-place "
                     "updates) is " + ", ".join(f"{r.note.split(' is ')[-1]} in {r.name.split('(')[1].split(')')[0]}"
                                             for r in fused) + ".")
    slow = [r for r in rows if r.section == "widgets" and r.status == "MISS"]
    if slow:
        notes.append(f"{len(slow)} knob(s) miss the redraw aim; the reference column shows what a one-line "
                     "figure costs through the same render_png on this machine at the same time.")
    notes.append("MLP reference: torch eager with nn.Linear/nn.ReLU, F.cross_entropy and optim.SGD, "
                 "same initial weights, same minibatches, same dtype. RNN reference: torch's nn.RNN "
                 "(fused C++ time loop, tanh) and a manual eager loop; both compute dx, dh0, dWx, dWh, db.")
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--book", action="store_true", help="also time the book build, rebuild and nbval (slow)")
    parser.add_argument("--only", default="", help=f"comma-separated subset of {','.join(SPEED + ('book',))}")
    parser.add_argument("--repeats", type=int, default=9, help="interleaved repeats per case (median reported)")
    parser.add_argument("--no-save", action="store_true", help="print only; write no results file")
    parser.add_argument("--save", action="store_true",
                        help="update the committed bench/results.md (default: bench/results.local.md)")
    parser.add_argument("--out", default=None, help="write the results to this file instead")
    args = parser.parse_args(argv)

    _limit_threads()
    from . import _report

    selected = [s.strip() for s in args.only.split(",") if s.strip()] or list(SPEED)
    unknown = set(selected) - set(SPEED) - {"book"}
    if unknown:
        parser.error(f"--only: unknown benchmark(s) {sorted(unknown)}; choose from {SPEED + ('book',)}")
    run_book = args.book or "book" in selected

    rows = []
    for name in (s for s in SPEED if s in selected):
        print(f"== {name}", file=sys.stderr, flush=True)
        if name == "mlp":
            from . import mlp
            rows += mlp.run(repeats=args.repeats)
        elif name == "conv":
            from . import conv
            rows += conv.run(repeats=args.repeats)
        elif name == "rnn":
            from . import rnn
            rows += rnn.run(repeats=args.repeats)
        elif name == "lstm":
            from . import lstm
            rows += lstm.run(repeats=args.repeats)
        elif name == "attention":
            from . import attention
            rows += attention.run(repeats=args.repeats)
        elif name == "autodiff":
            from . import autodiff
            rows += autodiff.run(repeats=args.repeats)
        elif name == "optim":
            from . import optim
            rows += optim.run(repeats=args.repeats)
        elif name == "widgets":
            from . import widgets
            rows += widgets.run()
        elif name == "import":
            from . import imports
            rows += imports.run()
    book_rows = None
    if run_book:
        print("== book (slow)", file=sys.stderr, flush=True)
        from . import book
        book_rows = book.run()

    print("\n".join(_report.environment()))
    print()
    print(_report.table(rows))
    if book_rows is not None:
        print()
        print(_report.table(book_rows))
    full = not args.only or set(SPEED) <= set(selected)
    target = _report.results_path(save=args.save, out=args.out)
    if not args.no_save and full:
        _report.write_results(rows, book_rows, notes_for(rows), path=target)
        print(f"\nsaved {target}" + ("" if args.save else
              " (the committed bench/results.md is unchanged: --save updates it)"), file=sys.stderr)
    elif not args.no_save:
        print(f"\n(a subset ran: {target} not written)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
