"""Fixtures shared by the book tests (helpers in ``_browser.py``): one build per session and
one headless Chromium."""
from __future__ import annotations

from pathlib import Path

import pytest

from _browser import CHROMIUM, CHROMIUM_ARGS, browser_or_skip, build_book


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The built HTML book (built once per session, with warnings as errors)."""
    return build_book()


@pytest.fixture(scope="session")
def browser(built_book):
    sync_playwright = browser_or_skip()
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
