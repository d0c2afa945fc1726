"""Print the built book to PDF, offline, with the local Chromium (Playwright ``page.pdf``).

    .venv/bin/python tools/pdf.py                 # build, then _build/pdf/book.pdf and book-student.pdf
    .venv/bin/python tools/pdf.py --no-build      # print the HTML already built

Every page of the table of contents is opened from ``file://`` with the network cut, MathJax
is waited for, and the page is printed with the book's print styles (``_ext/static/nnbook.css``:
knobs print their current frame without controls, figures are not split by a page break,
code wraps, solutions print open); the chapters' PDFs are joined in order with ``pypdf``, with
one bookmark per chapter. The student PDF is the same for the student build
(``python -m nnbook.teach html``: no solutions), for instructors to hand out.

Book: README, "Printing the book".
"""
from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("NNBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
FOOTER = ('<div style="font-size:8px;width:100%;padding:0 14mm;color:#555;display:flex;'
          'justify-content:space-between"><span>{title}</span>'
          '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')


def toc_pages(toc: dict | None = None) -> list[str]:
    """The pages of a table of contents (default: ``_toc.yml``) in reading order, root first."""
    if toc is None:
        toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    def walk(entries):
        for entry in entries:
            yield entry["file"]
            yield from walk(entry.get("sections", []))
    parts = toc.get("parts", [{"chapters": toc.get("chapters", [])}])
    return [toc["root"]] + [f for part in parts for f in walk(part["chapters"])]


def _run(cmd: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # kernels need inline figures
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def build(student_out: Path) -> None:
    """Build the book's HTML (Jupyter Book's cache makes an unchanged rebuild quick) and the
    student HTML (``nnbook.teach html``)."""
    jb = Path(sys.executable).with_name("jupyter-book")
    _run([str(jb), "build", str(ROOT)])
    _run([sys.executable, "-m", "nnbook.teach", "html", "--out", str(student_out)])


def print_book(html: Path, out: Path, pages: list[str], title: str) -> dict:
    """Print every page of ``pages`` found under ``html`` into one PDF at ``out``.

    Returns ``{"pages": number of PDF pages, "chapters": [(page, first PDF page, heading)]}``.
    """
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    chapters = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1000, "height": 1200})
        context.set_default_timeout(60_000)
        context.route(re.compile(r"^(https?|wss?)://"), lambda route: route.abort())
        page = context.new_page()
        for path in pages:
            file = html / f"{path}.html"
            if not file.is_file():
                raise FileNotFoundError(f"{file} is missing: build the book first")
            page.goto(file.as_uri(), wait_until="load")
            page.evaluate("""() => (window.MathJax && MathJax.startup && MathJax.startup.promise)
                                     ? MathJax.startup.promise : null""")
            heading = page.evaluate("""() => { const h = document.querySelector('article.bd-article h1') || document.querySelector('main h1');
                                               return h ? h.innerText.replace(/#$/, '').trim() : document.title; }""")
            pdf = page.pdf(format="A4", print_background=True, display_header_footer=True,
                           header_template="<span></span>",
                           footer_template=FOOTER.format(title=_escape(f"{title} — {heading}")),
                           margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
            reader = PdfReader(io.BytesIO(pdf))
            first = len(writer.pages)
            for p in reader.pages:
                writer.add_page(p)
            writer.add_outline_item(title=heading, page_number=first)
            chapters.append((path, first, heading))
        browser.close()
    writer.add_metadata({"/Title": title})
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        writer.write(fh)
    return {"pages": len(writer.pages), "chapters": chapters}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true",
                        help="print the HTML already built (default: build it first)")
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html",
                        help="the built book (_build/html)")
    parser.add_argument("--student-html", type=Path,
                        default=ROOT / "_build" / "student" / "_build" / "html",
                        help="the student build (_build/student/_build/html); 'none' to skip")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf",
                        help="folder for book.pdf and book-student.pdf (_build/pdf)")
    args = parser.parse_args(argv)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    title = config.get("title", "The book")
    student = None if str(args.student_html) == "none" else args.student_html
    if not args.no_build:
        build(student.parents[1] if student else ROOT / "_build" / "student")
    pages = toc_pages()
    result = print_book(args.html, args.out / "book.pdf", pages, title)
    print(f"{args.out / 'book.pdf'}: {result['pages']} pages, {len(pages)} chapters and pages")
    if student:
        sys.path.insert(0, str(ROOT))
        from nnbook.teach.html import student_toc  # the student edition has no instructors' page

        result = print_book(student, args.out / "book-student.pdf", toc_pages(student_toc(ROOT)),
                            f"{title} (student edition)")
        print(f"{args.out / 'book-student.pdf'}: {result['pages']} pages")


if __name__ == "__main__":
    main()
