"""The repository address, kept in one place: ``repository.url`` in ``_config.yml``.

Three things depend on it: the Binder/Colab launch buttons (Jupyter Book reads the config),
the hidden first cell of every chapter notebook, which on Colab installs the package from
that repository, and the links in the README. Until a real address is configured
(``repository.url`` empty, or the placeholder ``https://github.com/nnbook/nnbook``, a
namespace this project does not own), nothing may point at it: a Colab cell that ran
``pip install git+`` from a stranger's repository would install whatever they put there.

* :func:`colab_cell` is the first cell for a given address (or for none);
* :func:`sync_launch` rewrites that cell in every ``book/NN_*.ipynb`` from ``_config.yml``
  (``python -m nnbook.teach sync-launch``; ``--check`` only reports);
* :func:`setup` makes this module a Sphinx extension: with an address it adds the Binder
  and Colab buttons (:data:`SERVICES`) and the repository button; without one it leaves
  them all out and says once, on the console, how to set the address.

Book: For instructors, "Launch buttons: Binder and Colab".
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

__all__ = ["PLACEHOLDERS", "SERVICES", "HOW_TO_SET", "repository", "colab_cell", "sync_launch", "setup"]

#: Addresses that are not a real, owned repository.
PLACEHOLDERS = ("", "https://github.com/nnbook/nnbook")
_GITHUB = re.compile(r"https://github\.com/[\w.-]+/[\w.-]+")

HOW_TO_SET = (
    "no repository address is configured, so the book has no Binder/Colab launch buttons and "
    "its notebooks install nothing on Colab. To enable them, set repository.url in "
    "_config.yml to your repository (https://github.com/OWNER/REPO, and repository.branch), "
    "then run `python -m nnbook.teach sync-launch` to update the notebooks' first cell."
)


def _config(root: str | Path) -> dict:
    import yaml

    path = Path(root) / "_config.yml"
    if not path.is_file():
        raise ValueError(f"root must be the book's folder (with _config.yml), got {str(root)!r}")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def repository(config: dict) -> tuple[str | None, str]:
    """``(url, branch)`` from a parsed ``_config.yml``; ``url`` is None unless it is a real
    GitHub address (not a placeholder). A malformed address raises ``ValueError``."""
    repo = config.get("repository") or {}
    url = str(repo.get("url") or "").strip().rstrip("/")
    branch = str(repo.get("branch") or "main").strip()
    if url in PLACEHOLDERS:
        return None, branch
    if not _GITHUB.fullmatch(url):
        raise ValueError(f"repository.url must be https://github.com/OWNER/REPO (or empty), got {url!r}")
    if not re.fullmatch(r"[\w./-]+", branch):
        raise ValueError(f"repository.branch must be a branch name, got {branch!r}")
    return url, branch


def colab_cell(url: str | None, branch: str = "main") -> str:
    """The hidden first cell of a chapter: on Colab, install the package from ``url``."""
    head = ("# On Colab, install the book's package first; elsewhere this cell does nothing.\n"
            "import sys\n"
            'if "google.colab" in sys.modules:\n')
    if url is None:
        return head + (
            '    print("This copy of the book names no repository (repository.url in "\n'
            '          "_config.yml), so nothing is installed: install the nnbook "\n'
            '          "package yourself, e.g. %pip install /path/to/your/copy")')
    return head + f'    %pip install -q "nnbook @ git+{url}@{branch}"'


def _first_code_cell(nb: Any):
    return next((cell for cell in nb.cells if cell.cell_type == "code"), None)


def sync_launch(root: str | Path = ".", check: bool = False) -> list[Path]:
    """Make the first code cell of every ``book/NN_*.ipynb`` the :func:`colab_cell` of the
    address in ``_config.yml``; return the notebooks that were (with ``check``: would be)
    changed. Only that cell's source changes (its id, metadata and the rest stay)."""
    import nbformat

    url, branch = repository(_config(root))
    want = colab_cell(url, branch)
    changed = []
    for path in sorted((Path(root) / "book").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        first = _first_code_cell(nb)
        if first is None or first.source == want:
            continue
        changed.append(path)
        if not check:
            first.source = want
            tags = first.metadata.setdefault("tags", [])
            if "remove-cell" not in tags:
                tags.append("remove-cell")
            nbformat.write(nb, str(path))
    return changed


#: The launch services the buttons use once a repository is configured.
SERVICES = {"binderhub_url": "https://mybinder.org", "colab_url": "https://colab.research.google.com"}


def _buttons_only_with_a_repository(app, config) -> None:
    options = dict(config.html_theme_options or {})
    url = str(options.get("repository_url") or "").strip().rstrip("/")
    buttons = dict(options.get("launch_buttons") or {})
    if url in PLACEHOLDERS:
        for key in SERVICES:
            buttons[key] = ""
        options["use_repository_button"] = False
        options["repository_url"] = ""
        print(f"\nnnbook: {HOW_TO_SET}\n", file=sys.stderr, flush=True)
    else:
        for key, service in SERVICES.items():
            buttons[key] = buttons.get(key) or service  # Jupyter Book's defaults are ""
        options["use_repository_button"] = True
    options["launch_buttons"] = buttons
    config.html_theme_options = options


def setup(app) -> dict[str, bool]:
    """Sphinx extension: launch and repository buttons exactly when an address is configured."""
    app.connect("config-inited", _buttons_only_with_a_repository, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
