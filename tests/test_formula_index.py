"""The formula index is complete and every row points at something that exists.

One row per formula in ``nnbook._formulas.FORMULAS`` (rendered as the book's "Formula index"
page): this test fails when a public function of a formula module has neither a row nor an
entry in ``NOT_FORMULAS`` saying why, when a row names a function or a test that does not
exist, or when its chapter has no section with that title. The build itself (``-nW``) fails on
a broken function cross-reference or section link.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import json
import re
from pathlib import Path

import pytest
import yaml

from nnbook._formulas import FORMULA_MODULES, FORMULAS, NOT_FORMULAS

ROOT = Path(__file__).resolve().parents[1]


def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _public_functions():
    for module_name in FORMULA_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) and obj.__module__ == module_name:
                yield f"{module_name}.{name}"


def _headings(doc: str) -> set[str]:
    path = ROOT / f"{doc}.ipynb"
    if path.exists():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = (ROOT / f"{doc}.md").read_text(encoding="utf-8")
    return {" ".join(m.group(1).replace("$", "").split())
            for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, re.M)}


def _toc_files() -> set[str]:
    def walk(entries):
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            yield from walk(entry.get("sections", []))
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return {toc["root"], *(f for part in toc["parts"] for f in walk(part["chapters"]))}


@pytest.mark.parametrize("name", sorted(_public_functions()))
def test_every_public_function_has_a_formula_row(name):
    rows = {f.function for f in FORMULAS}
    assert name in rows or name in NOT_FORMULAS, (
        f"{name} has no row in nnbook/_formulas.py FORMULAS (nor a reason in NOT_FORMULAS)")


@pytest.mark.parametrize("row", FORMULAS, ids=[f"{f.function}:{f.latex[:20]}" for f in FORMULAS])
def test_each_row_names_what_exists(row):
    assert callable(_resolve(row.function)), row.function
    assert row.doc in _toc_files(), f"{row.doc} is not in _toc.yml"
    section = " ".join(row.section.replace("$", "").split())
    assert section in _headings(row.doc), (
        f"{row.doc} has no section titled {row.section!r}; its sections: {sorted(_headings(row.doc))}")
    path, _, test = row.test.partition("::")
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    assert test in names, f"{row.test}: no such test"


def test_not_formulas_entries_exist_and_are_not_also_rows():
    rows = {f.function for f in FORMULAS}
    for name, why in NOT_FORMULAS.items():
        assert callable(_resolve(name)), name
        assert why.strip(), name
        assert name not in rows, f"{name} is both a formula row and in NOT_FORMULAS"


def test_chapters_link_package_names_to_their_reference_entries():
    """A package function or class written as code in a chapter's prose is a checked
    cross-reference ({py:func}/{py:class}), so the build fails when the name stops existing."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(ROOT / "tools" / "link_api_names.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, (out.stdout + out.stderr
                                 + "\nrun: python tools/link_api_names.py")
