"""Launching the chapters on Binder and Colab: what can be checked offline.

The repository address lives in one place, ``repository.url`` in ``_config.yml``; the
launch buttons and every chapter's first (Colab) cell are derived from it (``nnbook._launch``,
``python -m nnbook.teach sync-launch``). Until a real address is set, nothing points at a
repository: no button, and a Colab cell that installs nothing. The buttons themselves
(their URLs in the built pages) are checked by the book build test.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml

from nnbook._launch import (PLACEHOLDERS, SERVICES, _buttons_only_with_a_repository,
                            colab_cell, repository, sync_launch)

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
# The first cell the chapters carried while the address was the placeholder: it must go
# (`python -m nnbook.teach sync-launch`, run at integration), never come back.
LEGACY = 'git+https://github.com/nnbook/nnbook"'


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_the_address_is_real_or_unset_never_the_placeholder(config):
    url = str((config.get("repository") or {}).get("url") or "")
    assert url != "https://github.com/nnbook/nnbook", "a namespace this project does not own"
    repository(config)  # a malformed address raises ValueError


def test_launch_services_come_only_with_an_address(config):
    buttons = config.get("launch_buttons") or {}
    # the services are added by nnbook._launch when an address is set, never hard-coded
    assert not any(buttons.get(key) for key in SERVICES), buttons
    assert not (config.get("html") or {}).get("use_repository_button"), "set by nnbook._launch"


@pytest.mark.parametrize("url", ["", "https://github.com/nnbook/nnbook", "https://github.com/ana/mybook"])
def test_the_extension_adds_buttons_exactly_for_a_real_address(url, capsys):
    options = {"repository_url": url, "launch_buttons": {"notebook_interface": "classic", "colab_url": ""},
               "use_repository_button": False}
    app_config = SimpleNamespace(html_theme_options=options)
    _buttons_only_with_a_repository(None, app_config)
    got = app_config.html_theme_options
    message = capsys.readouterr().err
    if url in PLACEHOLDERS:
        assert not any(got["launch_buttons"].get(key) for key in SERVICES)
        assert got["use_repository_button"] is False and got["repository_url"] == ""
        assert message.count("repository.url") == 1 and "sync-launch" in message
    else:
        assert {key: got["launch_buttons"][key] for key in SERVICES} == SERVICES
        assert got["use_repository_button"] is True and message == ""


def test_colab_cell_installs_only_from_a_real_address():
    unset = colab_cell(None)
    assert "%pip" not in unset.replace("%pip install /path", "") and "git+" not in unset
    assert 'if "google.colab" in sys.modules:' in unset
    real = colab_cell("https://github.com/ana/mybook", "dev")
    assert real.endswith('%pip install -q "nnbook @ git+https://github.com/ana/mybook@dev"')
    for bad in ("http://github.com/a/b", "https://gitlab.com/a/b", "https://github.com/a"):
        with pytest.raises(ValueError, match="repository.url"):
            repository({"repository": {"url": bad}})


def test_there_are_chapters():
    assert len(CHAPTERS) >= 7, [p.name for p in CHAPTERS]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_first_code_cell_is_the_colab_cell_of_the_configured_address(path, config):
    nb = nbformat.read(str(path), as_version=4)
    first = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert "remove-cell" in first.metadata.get("tags", []), f"{path.name}: tag it remove-cell"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", path.name
    if LEGACY in first.source:
        pytest.xfail(f"{path.name} still installs from the placeholder address: "
                     "run `python -m nnbook.teach sync-launch`")
    assert first.source == colab_cell(*repository(config)), \
        f"{path.name}: run `python -m nnbook.teach sync-launch`"


def test_sync_launch_rewrites_only_the_first_cell(tmp_path):
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "book").mkdir()
    source = CHAPTERS[0]
    shutil.copy(source, tmp_path / "book" / source.name)
    config = yaml.safe_load((tmp_path / "_config.yml").read_text())
    config["repository"]["url"] = "https://github.com/ana/mybook"
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config))
    before = nbformat.read(str(source), as_version=4)
    assert sync_launch(tmp_path, check=True) == [tmp_path / "book" / source.name]
    assert sync_launch(tmp_path) == [tmp_path / "book" / source.name]
    after = nbformat.read(str(tmp_path / "book" / source.name), as_version=4)
    first = next(i for i, c in enumerate(after.cells) if c.cell_type == "code")
    assert after.cells[first].source == colab_cell("https://github.com/ana/mybook", config["repository"]["branch"])
    assert after.cells[first].id == before.cells[first].id
    assert [c.source for i, c in enumerate(after.cells) if i != first] == \
        [c.source for i, c in enumerate(before.cells) if i != first]
    assert sync_launch(tmp_path, check=True) == []   # in agreement now


def test_requirements_install_the_package_for_binder():
    path = ROOT / "requirements.txt"
    assert path.is_file(), "requirements.txt is what Binder installs"
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    assert "-e ." in lines, "requirements.txt must install the book's package with '-e .'"
