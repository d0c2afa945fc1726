"""Every internal link of the built book resolves: the page exists and so does the anchor.

This covers the chapters' cross-references to the package reference, the reference entries'
links back to their chapters and to their highlighted source (``[source]``), the formula
index's section links, and the navigation. It reads the built HTML as files (no browser), so
it runs in seconds once the book is built.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = [pytest.mark.book, pytest.mark.xdist_group("book")]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(root: Path) -> list[str]:
    """Internal links of the HTML pages under ``root`` whose file or anchor does not exist."""
    pages = [p for p in root.rglob("*.html") if "_static" not in p.parts and "reports" not in p.parts]
    parsed = {p.resolve(): _parse(p) for p in pages}
    broken = []
    for page, links in parsed.items():
        where = page.relative_to(root.resolve())
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("//", "mailto:", "javascript:")):
                continue  # external (the offline test checks nothing is fetched)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{where}: {href} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where}: {href} (no such anchor)")
    return sorted(set(broken))


def test_the_checker_finds_a_missing_page_and_a_missing_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<p id="here">x</p><a href="b.html#there">1</a>'
                                     '<a href="#here">2</a><a href="c.html">3</a>'
                                     '<a href="https://example.org/x">4</a>')
    (tmp_path / "b.html").write_text('<h1 id="elsewhere">b</h1>')
    assert broken_links(tmp_path) == ["a.html: b.html#there (no such anchor)",
                                      "a.html: c.html (no such file)"]


def test_every_internal_link_resolves(built_book):
    broken = broken_links(built_book)
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])


def test_reference_reaches_source_and_chapters(built_book):
    """Formula -> section -> function -> source and back: the pieces are linked."""
    index = (built_book / "book" / "reference" / "formulas.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./03_backpropagation\.html#[\w-]+"', index), "no section link"
    assert 'href="losses.html#nnbook.losses.mse_grad"' in index, "no function link"
    losses = (built_book / "book" / "reference" / "losses.html").read_text(encoding="utf-8")
    assert "_modules/nnbook/losses.html#mse_grad" in losses, "no [source] link"
    assert 'href="../03_backpropagation.html"' in losses, "no link back to the chapter"
    chapter = (built_book / "book" / "03_backpropagation.html").read_text(encoding="utf-8")
    assert "reference/losses.html#nnbook.losses.mse_grad" in chapter, "the chapter does not link mse_grad"
