"""Turn package names written as code in the chapters' prose into checked cross-references.

In every markdown cell of ``book/NN_*.ipynb``, an inline code span that is exactly a public
function or class of ``nnbook`` (``mse_grad`` or ``mse_grad()``) becomes
``{py:func}`~nnbook.losses.mse_grad``` (or ``{py:class}``), so the built book links it to its
reference entry and the build (``-n``) fails when the name stops existing. Code blocks, math
and headings are left alone. Run from the repository root: ``python tools/link_api_names.py``;
``--check`` only reports (exit 1 if anything would change), as ``tests/test_formula_index.py``
does.
"""
from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nnbook  # noqa: E402

_CODE_SPAN = re.compile(r"(?<![`{}\w])`([A-Za-z_][A-Za-z0-9_]*)(\(\))?`(?!`)")
_SKIP = re.compile(r"```.*?```|\$\$.*?\$\$|(?<!\\)\$[^$\n]+?(?<!\\)\$|\{[\w:-]+\}`[^`]*`", re.S)


def api_targets() -> dict[str, tuple[str, str]]:
    """Public name -> (role, dotted target) for every function and class in ``nnbook.__all__``."""
    targets = {}
    for name in getattr(nnbook, "__all__", dir(nnbook)):
        obj = getattr(nnbook, name, None)
        if inspect.isfunction(obj) and obj.__module__.startswith("nnbook."):
            targets[name] = ("py:func", f"{obj.__module__}.{name}")
        elif inspect.isclass(obj) and obj.__module__.startswith("nnbook."):
            targets[name] = ("py:class", f"{obj.__module__}.{name}")
    return targets


def link(markdown: str, targets: dict[str, tuple[str, str]]) -> str:
    protected = [(m.start(), m.end()) for m in _SKIP.finditer(markdown)]
    def replace(match: re.Match) -> str:
        name = match.group(1)
        start = match.start()
        if name not in targets or any(a <= start < b for a, b in protected):
            return match.group(0)
        line_start = markdown.rfind("\n", 0, start) + 1
        if markdown[line_start:start].lstrip().startswith("#"):
            return match.group(0)
        role, target = targets[name]
        return f"{{{role}}}`~{target}`"
    return _CODE_SPAN.sub(replace, markdown)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    targets = api_targets()
    changed = []
    for path in sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        dirty = False
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            new = link(cell.source, targets)
            if new != cell.source:
                dirty = True
                cell.source = new
        if dirty:
            changed.append(path.name)
            if not check:
                nbformat.write(nb, path)
    if changed:
        print(("would link names in: " if check else "linked names in: ") + ", ".join(changed))
    return 1 if (check and changed) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
