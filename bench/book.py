"""The book: clean build, rebuild with nothing changed, nbval over the notebooks, page weight.

Slow (minutes), so opt-in: ``python -m bench --book``. The clean build goes into a new
temporary ``--path-output`` (so Jupyter Book's execution cache starts empty); the rebuild is
the same command again, which finds every notebook in the cache. Page weight is a built
chapter's HTML plus the image files it references (kernel-free knob frames are inside the
HTML as base64 PNG, so they count there).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    return str(exe) if exe.exists() else name


def build(out: Path, root: Path = ROOT) -> tuple[float, subprocess.CompletedProcess]:
    """Seconds taken by ``jupyter-book build root --path-output out``, and the process result."""
    start = perf_counter()
    proc = subprocess.run([_tool("jupyter-book"), "build", str(root), "--path-output", str(out)],
                          capture_output=True, text=True)
    return perf_counter() - start, proc


def nbval(root: Path = ROOT, workers: int = 2) -> tuple[float, subprocess.CompletedProcess]:
    """Seconds taken by ``pytest --nbval-lax book/ -n 2 --dist loadscope``."""
    start = perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "book/", "-n", str(workers),
                           "--dist", "loadscope", "-q", "-p", "no:randomly"],
                          cwd=root, capture_output=True, text=True)
    return perf_counter() - start, proc


_SRC = re.compile(r"""(?:src|href)=["']([^"'#?]+\.(?:png|jpe?g|gif|svg|webp))["']""", re.I)


def page_weights(html_dir: Path) -> dict[str, int]:
    """Bytes per chapter page ``book/NN_*.html``: the HTML plus each referenced image file once."""
    weights = {}
    for page in sorted((html_dir / "book").glob("[0-9][0-9]_*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        total = page.stat().st_size
        seen = set()
        for ref in _SRC.findall(text):
            if ref.startswith(("data:", "http:", "https:")):
                continue
            f = (page.parent / ref).resolve()
            if f not in seen and f.is_file():
                seen.add(f)
                total += f.stat().st_size
        weights[page.stem] = total
    return weights


def _tail(proc: subprocess.CompletedProcess, n: int = 300) -> str:
    text = (proc.stdout or "") + (proc.stderr or "")
    return " ".join(text.strip().splitlines()[-3:])[-n:]


def run(root: Path = ROOT) -> list:
    from ._report import Row

    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="nnbook-bench-build-"))
    try:
        clean, proc = build(tmp, root)
        ok = proc.returncode == 0
        rows.append(Row("book", "jupyter-book build, clean (fresh execution cache)", clean, aim_value=120,
                        note="" if ok else f"FAILED: {_tail(proc)}", ok=(clean < 120 and ok)))
        again, proc = build(tmp, root)
        rows.append(Row("book", "jupyter-book build again, nothing changed", again, aim_value=15,
                        note="" if proc.returncode == 0 else f"FAILED: {_tail(proc)}",
                        ok=(again < 15 and proc.returncode == 0)))
        for chapter, size in page_weights(tmp / "_build" / "html").items():
            rows.append(Row("book", f"page weight {chapter}.html (+ images)", size, unit="B", aim_value=3e6))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    seconds, proc = nbval(root)
    summary = (proc.stdout or "").strip().splitlines()[-1:] or [""]
    rows.append(Row("book", "pytest --nbval-lax book/ -n 2 --dist loadscope", seconds, aim_value=60,
                    note=summary[0][-200:], ok=(seconds < 60 and proc.returncode == 0)))
    return rows
