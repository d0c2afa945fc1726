"""The PDF command (README, ``<!-- command:pdf -->``): the book and the student edition,
printed offline by Chromium, hold every chapter, and no figure is cut by a page break.

Prints the session build (``conftest.py``; or ``NNBOOK_BUILT_HTML``) and a student build
(``python -m nnbook.teach html`` into a temporary folder, or ``NNBOOK_STUDENT_HTML``):
a few minutes, most of it the student build.
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

from _browser import ROOT, browser_or_skip, toc_pages

pytestmark = [pytest.mark.book, pytest.mark.xdist_group("book")]
# The instructors' page teaches the exercise markup: its examples show the markers on purpose.
MARKUP_DOCS = {"book/instructors"}


def readme_command(marker: str) -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(rf"<!-- {marker} -->\s*```bash\n(.*?)\n```", text, re.S)
    assert match, f"README has no fenced bash block after <!-- {marker} -->"
    return match.group(1).strip()


def test_readme_states_the_pdf_command():
    command = readme_command("command:pdf")
    assert command.endswith("tools/pdf.py") and (ROOT / "tools" / "pdf.py").is_file()


@pytest.fixture(scope="module")
def student_html(built_book, tmp_path_factory) -> Path:
    """The student edition, built as ``python -m nnbook.teach html`` does, sharing the execution
    cache of the book build under test (so a private build never writes the main cache)."""
    prebuilt = os.environ.get("NNBOOK_STUDENT_HTML")
    if prebuilt:
        return Path(prebuilt)
    from nnbook.teach.html import student_config, student_toc

    out = tmp_path_factory.mktemp("student")
    config = student_config(ROOT)
    config.setdefault("execute", {})["cache"] = str(built_book.parent / ".jupyter_cache")
    (out / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    (out / "_toc.yml").write_text(yaml.safe_dump(student_toc(ROOT), sort_keys=False))
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(ROOT), "--config", str(out / "_config.yml"),
                           "--toc", str(out / "_toc.yml"), "--path-output", str(out), "-W", "--keep-going"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    return out / "_build" / "html"


@pytest.fixture(scope="module")
def pdfs(built_book, student_html, tmp_path_factory) -> dict[str, Path]:
    browser_or_skip()
    out = tmp_path_factory.mktemp("pdf")
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "pdf.py"), "--no-build",
                           "--html", str(built_book), "--student-html", str(student_html),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    return {"book": out / "book.pdf", "student": out / "book-student.pdf"}


def _chapter_titles(html: Path, edition: str) -> list[str]:
    from nnbook.teach.html import INSTRUCTOR_PAGES

    titles = []
    for page in toc_pages():
        if edition == "student" and page in INSTRUCTOR_PAGES:
            continue
        source = (html / f"{page}.html").read_text(encoding="utf-8")
        h1 = re.search(r'<article class="bd-article".*?<h1>(.*?)</h1>', source, re.S)
        titles.append(re.sub(r"<[^>]+>", "", h1.group(1)).replace("\xa0", " ").strip().rstrip("#"))
    return titles


def _norm(text: str) -> str:
    """Text as compared: ligatures (ﬁ) unfolded, whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@pytest.mark.parametrize("edition", ["book", "student"])
def test_pdf_holds_every_chapter_in_order(pdfs, built_book, edition):
    from pypdf import PdfReader

    from nnbook.teach.html import INSTRUCTOR_PAGES

    reader = PdfReader(str(pdfs[edition]))
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    titles = _chapter_titles(built_book, edition)
    assert [t for t, _ in outline] == titles, "one bookmark per page of the table of contents, in order"
    numbered = [t for t in titles if re.match(r"\d+\. ", t)]
    assert len(numbered) >= 12, f"chapter numbers missing from the titles: {titles}"
    starts = [p for _, p in outline]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for (title, start) in outline:
        first_page = _norm(reader.pages[start].extract_text())
        assert _norm(title).split(" ", 1)[-1][:30] in first_page, f"{title!r} is not on its first page"
    pages = [pg for pg in toc_pages() if edition == "book" or pg not in INSTRUCTOR_PAGES]
    ends = starts[1:] + [len(reader.pages)]
    text = " ".join(_norm(reader.pages[i].extract_text())
                    for page, start, end in zip(pages, starts, ends)
                    if page not in MARKUP_DOCS  # it shows the exercise markup on purpose
                    for i in range(start, end))
    if edition == "student":
        assert "Solution to Exercise" not in text
    else:
        assert "Solution to Exercise" in text
    for leak in ("NBVAL", "BEGIN SOLUTION", "END SOLUTION", "Click to hide"):
        assert leak not in text


def _images(page) -> set[str]:
    out = set()
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    for name in xobjects:
        obj = xobjects[name].get_object()
        if obj.get("/Subtype") == "/Image" and int(obj.get("/Width", 0)) * int(obj.get("/Height", 0)) > 10_000:
            out.add(hashlib.sha1(obj.get_data()).hexdigest())
    return out


@pytest.mark.parametrize("edition", ["book", "student"])
def test_no_figure_is_cut_by_a_page_break(pdfs, edition):
    """A figure split by a page break is drawn, clipped, on two consecutive pages."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdfs[edition]))
    images = [_images(p) for p in reader.pages]
    assert sum(map(len, images)) >= 20, "the PDF holds too few figures"
    split = [i + 1 for i in range(len(images) - 1) if images[i] & images[i + 1]]
    assert split == [], f"figures cut between pages {split} and the next"
