"""``import nnbook`` in a fresh interpreter, against ``import numpy`` alone.

Each sample starts a new Python process and times only the import statement (not the
interpreter's own start-up). The samples alternate nnbook / numpy. The row also says whether
matplotlib got imported (it must not: ``plots`` and ``widgets`` are lazy).
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys

_CODE = """
import json, sys, time
start = time.perf_counter()
import {module}
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "matplotlib": "matplotlib" in sys.modules,
                   "torch": "torch" in sys.modules}}))
"""


def import_once(module: str = "nnbook") -> dict:
    """``{"seconds": ..., "matplotlib": bool, "torch": bool}`` for one fresh import of ``module``."""
    out = subprocess.run([sys.executable, "-c", _CODE.format(module=module)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def heaviest_imports(module: str = "nnbook", top: int = 5) -> list[tuple[str, float]]:
    """The slowest modules by cumulative time under ``python -X importtime -c 'import module'``."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                         capture_output=True, text=True, check=True)
    rows = []
    for line in out.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            depth = (len(name) - len(name.lstrip()) - 1) // 2
            if depth == 1 and name.strip().startswith(module + "."):
                rows.append((name.strip(), int(parts[1]) / 1e6))
    return sorted(rows, key=lambda r: -r[1])[:top]


def run(repeats: int = 7) -> list:
    from ._report import Row

    nn, np_ = [], []
    info = {}
    for _ in range(repeats):
        info = import_once("nnbook")
        nn.append(info["seconds"])
        np_.append(import_once("numpy")["seconds"])
    heavy = ", ".join(f"{name} {sec * 1e3:.0f} ms" for name, sec in heaviest_imports())
    heavy += " (the first submodule imported pays for NumPy)"
    note = (f"matplotlib imported: {'YES' if info['matplotlib'] else 'no'}; "
            f"slowest top-level imports: {heavy}")
    return [Row("import", "import nnbook (fresh process)", statistics.median(nn), "import numpy alone",
                statistics.median(np_), aim_value=0.4, note=note)]
