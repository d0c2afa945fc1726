"""Shared helpers of the book tests: the table of contents, the build, headless Chromium with
the network cut (used by ``test_book.py``, ``test_a11y.py`` and ``test_pdf.py``).

``NNBOOK_BUILT_HTML=/path/to/_build/html`` makes the tests read an existing build instead of
building the book into ``_build/`` (for a private build: ``jupyter-book build . -nW
--keep-going --path-output /tmp/jb_x`` then ``NNBOOK_BUILT_HTML=/tmp/jb_x/_build/html``).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import pdf as _pdf_tool  # noqa: E402  (tools/pdf.py: the one reader of _toc.yml's page order)

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
# Jupyter Book 1's own templates declare this twice on every page; harmless.
KNOWN_PAGE_ERRORS = ("Identifier 'THEBE_JS_URL' has already been declared",)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def toc_pages() -> list[str]:
    """Every page of the table of contents (sections of a chapter included), in order."""
    return _pdf_tool.toc_pages()


def chapter_notebooks() -> list[str]:
    return [p for p in toc_pages() if (ROOT / f"{p}.ipynb").exists()]


def jupyter_book_cmd() -> str:
    local = Path(sys.executable).with_name("jupyter-book")
    return str(local) if local.exists() else shutil.which("jupyter-book")


def build_book() -> Path:
    """Build the book with warnings as errors (-W) and nitpicky references (-n); or return
    the folder named by ``NNBOOK_BUILT_HTML``."""
    prebuilt = os.environ.get("NNBOOK_BUILT_HTML")
    if prebuilt:
        html = Path(prebuilt)
        assert (html / "index.html").is_file(), f"NNBOOK_BUILT_HTML={prebuilt} holds no built book"
        return html
    cmd = [jupyter_book_cmd(), "build", str(ROOT), "-W", "-n", "--keep-going"]
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # kernels need inline figures
    # pytest-xdist (--dist loadscope) may ask for the build in several workers: the first
    # builds, the others wait and then use that build. A second build, even a cached one,
    # rewrites _static (Sphinx writes its default pygments.css before the theme replaces it),
    # so pages read by the first worker's browser would briefly lose their code colours.
    import fcntl

    (ROOT / "_build").mkdir(exist_ok=True)
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    stamp = ROOT / "_build" / f".built-{run_id}" if run_id else None
    with open(ROOT / "_build" / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp is not None and stamp.exists():
            return ROOT / "_build" / "html"
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
        if proc.returncode == 0 and stamp is not None:
            for old in (ROOT / "_build").glob(".built-*"):
                old.unlink()
            stamp.touch()
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"jupyter-book build failed:\n{log[-6000:]}"
    assert "Executing notebook failed" not in log, log[-6000:]
    return ROOT / "_build" / "html"


def browser_or_skip():
    required = os.environ.get("NNBOOK_REQUIRE_BROWSER") == "1"
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "the Python package playwright is not installed"
    if reason is None and not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if reason:
        if required:
            pytest.fail(f"browser test required (NNBOOK_REQUIRE_BROWSER=1) but {reason}")
        pytest.skip(reason)
    return sync_playwright


def open_offline(browser, html: Path, page_path: str, viewport: dict = DESKTOP,
                 color_scheme: str = "light", allow: str | None = None):
    """Open a built page with every network request aborted (except URLs starting with
    ``allow``, e.g. a local server); return (page, blocked, errors)."""
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
    context.set_default_timeout(15_000)
    blocked, errors = [], []

    def route(r):
        if allow and r.request.url.startswith(allow):
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    context.route(re.compile(r"^(https?|wss?)://"), route)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    url = page_path if "://" in page_path else (html / f"{page_path}.html").as_uri()
    page.goto(url, wait_until="load")
    return page, blocked, errors


def wait_for_math(page) -> int:
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("() => MathJax.startup.promise")
    return page.locator("mjx-container").count()


def real_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if not any(k in e for k in KNOWN_PAGE_ERRORS)]
