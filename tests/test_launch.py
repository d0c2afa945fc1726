"""Launching the chapters on Binder and Colab: what can be checked offline.

The buttons themselves (their URLs in the built pages) are checked by the book build test;
here: the configuration they come from, the Colab install cell of every chapter, and
``requirements.txt`` installing the package for Binder.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
COLAB_CELL = '''# On Colab, install the book's package first; elsewhere this cell does nothing.
import sys
if "google.colab" in sys.modules:
    %pip install -q "nnbook @ git+https://github.com/nnbook/nnbook"'''


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def _is_https_url(value) -> bool:
    parsed = urlparse(str(value))
    return parsed.scheme == "https" and bool(parsed.netloc)


def test_launch_buttons_are_configured(config):
    buttons = config.get("launch_buttons") or {}
    assert _is_https_url(buttons.get("binderhub_url")), buttons
    assert _is_https_url(buttons.get("colab_url")), buttons
    assert urlparse(buttons["colab_url"]).netloc == "colab.research.google.com"


def test_repository_is_set_for_the_buttons(config):
    # without repository.url the buttons point at Jupyter Book's own repository
    repository = config.get("repository") or {}
    assert _is_https_url(repository.get("url")), repository
    assert urlparse(repository["url"]).netloc == "github.com"
    assert re.fullmatch(r"/[\w.-]+/[\w.-]+", urlparse(repository["url"]).path), repository["url"]
    assert isinstance(repository.get("branch"), str) and repository["branch"], repository


def test_there_are_chapters():
    assert len(CHAPTERS) >= 7, [p.name for p in CHAPTERS]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_first_code_cell_installs_the_package_on_colab(path, config):
    nb = nbformat.read(str(path), as_version=4)
    first = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert first.source.strip() == COLAB_CELL, f"{path.name}: first code cell is not the Colab cell"
    assert "remove-cell" in first.metadata.get("tags", []), f"{path.name}: tag it remove-cell"
    # it installs from the repository the launch buttons point at
    assert f"git+{config['repository']['url']}" in first.source
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", path.name


def test_requirements_install_the_package_for_binder():
    path = ROOT / "requirements.txt"
    assert path.is_file(), "requirements.txt is what Binder installs"
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    assert "-e ." in lines, "requirements.txt must install the book's package with '-e .'"
