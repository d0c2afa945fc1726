"""Result rows, the printed table, and ``bench/results.md`` (machine, versions, date)."""
from __future__ import annotations

import datetime as _dt
import os
import platform
import re
import sys
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).with_name("results.md")  # committed: the book's reference run
LOCAL_RESULTS = Path(__file__).with_name("results.local.md")  # any other run (git-ignored)


def results_path(save: bool = False, out: str | Path | None = None) -> Path:
    """Where a run writes: ``out`` if given, the committed ``results.md`` with ``save``,
    else ``results.local.md``."""
    if out is not None and save:
        raise SystemExit("python -m bench: give --save or --out, not both")
    if out is not None:
        return Path(out)
    return RESULTS if save else LOCAL_RESULTS
BOOK_START, BOOK_END = "<!-- book:start -->", "<!-- book:end -->"


@dataclass
class Row:
    """One measured figure: nnbook's value, optionally a reference, and the aim it must meet.

    ``aim_ratio``: the aim is ``value / ref_value <= aim_ratio``; ``aim_value``: the aim is
    ``value < aim_value`` (absolute, e.g. seconds or bytes). ``ok`` may be given explicitly
    when the aim has several parts (e.g. a median and a maximum).
    """

    section: str
    name: str
    value: float | None
    ref_name: str = ""
    ref_value: float | None = None
    aim_ratio: float | None = None
    aim_value: float | None = None
    unit: str = "s"
    note: str = ""
    ok: bool | None = None
    aim_text: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.ref_value:
            return None
        return self.value / self.ref_value

    @property
    def status(self) -> str:
        ok = self.ok
        if ok is None:
            if self.aim_ratio is not None and self.ratio is not None:
                ok = self.ratio <= self.aim_ratio
            elif self.aim_value is not None and self.value is not None:
                ok = self.value < self.aim_value
        if ok is None:
            return "—"
        return "ok" if ok else "MISS"

    def aim(self) -> str:
        if self.aim_text:
            return self.aim_text
        if self.aim_ratio is not None:
            return f"≤ {self.aim_ratio:g}×"
        if self.aim_value is not None:
            return f"< {fmt(self.aim_value, self.unit)}"
        return ""


def fmt(value: float | None, unit: str = "s") -> str:
    """Human units: µs/ms/s for seconds, kB/MB for bytes."""
    if value is None:
        return "—"
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.0f} µs"
        if value < 1:
            return f"{value * 1e3:.1f} ms"
        return f"{value:.2f} s"
    if unit == "B":
        if value < 1e6:
            return f"{value / 1e3:.0f} kB"
        return f"{value / 1e6:.2f} MB"
    return f"{value:g} {unit}"


def table(rows: list[Row]) -> str:
    """A Markdown table of the rows."""
    lines = [
        "| benchmark | nnbook | reference | reference time | ratio | aim | status | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        ref_time = fmt(r.ref_value, r.unit) if r.ref_value is not None else "—"
        lines.append(
            f"| {r.name} | {fmt(r.value, r.unit)} | {r.ref_name or '—'} | {ref_time} | {ratio} "
            f"| {r.aim()} | {r.status} | {r.note} |"
        )
    return "\n".join(lines)


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
        match = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
        if match:
            return match.group(1).strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _openblas_threads() -> int | None:
    """Ask NumPy's bundled OpenBLAS how many threads it uses (None if it cannot be found)."""
    import ctypes
    import glob

    import numpy as np

    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs", "*openblas*"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
                     "openblas_get_num_threads64_", "openblas_get_num_threads"):
            fn = getattr(lib, name, None)
            if fn is not None:
                return int(fn())
    return None


def blas_threads() -> str:
    """What the BLAS thread pools say (threadpoolctl if installed, else OpenBLAS itself)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        env = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
        n = _openblas_threads()
        asked = f"NumPy's OpenBLAS reports {n} thread(s)" if n is not None else "OpenBLAS not queried"
        return f"{asked}; environment " + ", ".join(f"{k}={v}" for k, v in env.items())
    pools = [f"{p.get('internal_api')}={p.get('num_threads')}" for p in threadpool_info()]
    return "threadpoolctl: " + (", ".join(pools) or "no pools")


def environment() -> list[str]:
    """Lines describing the machine, the versions and the date of the run."""
    import numpy as np

    lines = [
        f"- date: {_dt.datetime.now(_dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {cpu_model()}, {os.cpu_count()} logical cores, {platform.system()} {platform.release()}",
        f"- python {platform.python_version()}, numpy {np.__version__}",
    ]
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        lines[-1] += f" ({blas.get('name')} {blas.get('version')})"
    except Exception:  # pragma: no cover - show_config's layout varies across versions
        pass
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        lines.append(f"- torch {torch.__version__} (CPU eager, {torch.get_num_threads()} thread)")
    else:
        lines.append("- torch: not installed (reference rows are missing)")
    try:
        import matplotlib

        lines.append(f"- matplotlib {matplotlib.__version__}")
    except ImportError:  # pragma: no cover
        pass
    lines.append(f"- threads: {blas_threads()}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load:
        lines.append(f"- load average at the end of the run: {load[0]:.1f} (the machine may be shared; ratios are what count)")
    return lines


def write_results(rows: list[Row], book_rows: list[Row] | None, notes: list[str], path: Path = RESULTS) -> None:
    """Write ``results.md``; without ``book_rows`` keep the previous file's book section."""
    old_book = ""
    if book_rows is None and path.exists():
        text = path.read_text()
        if BOOK_START in text and BOOK_END in text:
            old_book = text[text.index(BOOK_START): text.index(BOOK_END) + len(BOOK_END)]
    parts = [
        "# Benchmark results",
        "",
        "Made by `python -m bench` (speed, widgets, import) and `python -m bench --book` (book",
        "build, nbval, page weight). Times are medians of interleaved repeats in one process with",
        "single-threaded BLAS; ratios compare nnbook with a reference measured in the same run.",
        "",
        *environment(),
        "",
        "## Speed, widgets, import",
        "",
        table(rows),
        "",
    ]
    if notes:
        parts += ["Notes:", "", *[f"- {n}" for n in notes], ""]
    if book_rows is not None:
        parts += [BOOK_START, "## Book (`python -m bench --book`)", "",
                  f"Measured {_dt.datetime.now(_dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}.", "",
                  table(book_rows), "", BOOK_END]
    elif old_book:
        parts += [old_book]
    else:
        parts += [BOOK_START, "## Book", "", "Not measured yet: run `python -m bench --book`.", "", BOOK_END]
    path.write_text("\n".join(parts) + "\n")
