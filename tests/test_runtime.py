"""Binder's Python (runtime.txt) and the pins agree; the package's own ranges stay open (issue 12).

repo2docker (Binder) reads ``runtime.txt``; its default Python is older than the pinned NumPy
needs. Each pinned package's ``Requires-Python`` is read from the installed distribution
(offline), and must admit the runtime's version. The package itself (``pyproject.toml``) keeps
lower bounds only, so that ``pip install`` works on a newer Python such as Colab's.
"""
from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    tomllib = None

ROOT = Path(__file__).resolve().parents[1]


def runtime_version() -> Version:
    text = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", text)
    assert match, f"runtime.txt must read python-X.Y (repo2docker's format), got {text!r}"
    return Version(match.group(1))


def pins() -> list[Requirement]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    reqs = [Requirement(line.split("#")[0].strip()) for line in lines
            if line.split("#")[0].strip() and not line.strip().startswith("-")]
    assert reqs, "requirements.txt pins nothing"
    return reqs


def test_runtime_is_the_python_the_readme_and_ci_use():
    version = runtime_version()
    assert f"Python {version}" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert sys.version_info[:2] == (version.major, version.minor), \
        "the test environment should run the Python Binder will use"


@pytest.mark.parametrize("req", pins(), ids=str)
def test_every_pin_installs_on_the_runtime_python(req):
    version = runtime_version()
    try:
        dist = metadata.distribution(req.name)
    except metadata.PackageNotFoundError:
        pytest.skip(f"{req.name} is not installed here: its Requires-Python cannot be read offline")
    assert dist.version in req.specifier, f"{req.name} {dist.version} installed, pinned {req.specifier}"
    needs = dist.metadata.get("Requires-Python") or ""
    assert Version(f"{version}.0") in SpecifierSet(needs), \
        f"{req.name}=={dist.version} needs Python {needs}, runtime.txt gives {version}"


@pytest.mark.skipif(tomllib is None, reason="tomllib needs Python 3.11")
def test_the_package_ranges_install_on_newer_pythons():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requires = SpecifierSet(project["requires-python"])
    for newer in ("3.12", "3.13", "3.14"):
        assert Version(newer) in requires, f"requires-python {requires} excludes {newer}"
    for line in project["dependencies"] + project["optional-dependencies"]["widgets"]:
        req = Requirement(line)
        assert all(spec.operator in (">=", ">", "!=") for spec in req.specifier), \
            f"{line}: the package's own dependencies take lower bounds only (pins live in requirements.txt)"
