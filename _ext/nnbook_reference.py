"""Sphinx extension for the book's Reference part: formula → section → function → source.

* ``{formula-index}``: a table rendered from ``nnbook._formulas.FORMULAS``, one row per formula:
  the formula (typeset), a link to the section that derives it, a cross-reference to the
  function's reference entry (which links to its highlighted source), and the test that checks
  it. A section that no longer exists is a build warning (so ``-W`` fails), and so is a
  function without a reference entry (``-n``).
* Docstrings' ``Book: chapter N`` become links to chapter N, so every reference entry links
  back to the section of the book that teaches it.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


class formula_section_ref(nodes.reference):
    """A link to (doc, section title), resolved to the section's id once all pages are read."""


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _plain(title: str) -> str:
    """A section title without math dollars, curly quotes (Sphinx's smartquotes) or extra spaces."""
    return " ".join(title.replace("$", "").translate(_QUOTES).split())


class FormulaIndex(SphinxDirective):
    has_content = False

    def run(self):
        from nnbook._formulas import FORMULAS

        # One item per formula, grouped by chapter: a list reads on a phone, where a
        # four-column table would crush its columns.
        out, items, current = [], None, None
        for f in FORMULAS:
            if f.doc != current:
                current = f.doc
                title = nodes.rubric("", "")
                title += addnodes.pending_xref("", nodes.inline(text=f.doc), refdomain="std",
                                               reftype="doc", reftarget="/" + f.doc,
                                               refexplicit=False, refwarn=True,
                                               refdoc=self.env.docname)
                items = nodes.bullet_list(classes=["formula-index"])
                out += [title, items]
            item = nodes.list_item()
            item += nodes.paragraph("", "", nodes.math(f.latex, f.latex))
            where = nodes.paragraph(classes=["formula-where"])
            where += nodes.Text("derived in ")
            where += formula_section_ref("", _plain(f.section), doc=f.doc, section=f.section)
            where += nodes.Text(" · computed by ")
            where += addnodes.pending_xref("", nodes.literal(text=f.function.split(".")[-1] + "()"),
                                           refdomain="py", reftype="func", reftarget=f.function,
                                           refexplicit=True, refwarn=True, refdoc=self.env.docname)
            where += nodes.Text(" · checked by ")
            where += nodes.literal(text=f.test)
            item += where
            items += item
        return out


def _section_ids(env, doc: str) -> dict[str, tuple[str, nodes.Node]]:
    """Section title (plain) -> (its id, its title node), for one page."""
    doctree = env.get_doctree(doc)
    return {_plain(sec[0].astext()): (sec["ids"][0], sec[0])
            for sec in doctree.findall(nodes.section) if sec["ids"]}


def resolve_section_links(app, doctree, fromdoc):
    for ref in list(doctree.findall(formula_section_ref)):
        doc, section = ref["doc"], ref["section"]
        if doc not in app.env.all_docs:
            logger.warning(f"formula index: no page {doc!r} for section {section!r}", location=fromdoc)
            ref.replace_self(nodes.Text(_plain(section)))
            continue
        ids = _section_ids(app.env, doc)
        found = ids.get(_plain(section))
        if found is None:
            logger.warning(f"formula index: page {doc!r} has no section titled {section!r}",
                           location=fromdoc)
            ref.replace_self(nodes.Text(_plain(section)))
            continue
        target, title = found
        uri = app.builder.get_relative_uri(fromdoc, doc) + "#" + target
        link = nodes.reference("", "", refuri=uri, internal=True)
        link += [child.deepcopy() for child in title.children]  # math stays math
        ref.replace_self(link)


_BOOK_LINE = re.compile(r"\b(chapters?)\s+(\d+)")


def link_book_chapters(app, what, name, obj, options, lines):
    chapters = {int(p.name[:2]): f"book/{p.stem}"
                for p in Path(app.srcdir, "book").glob("[0-9][0-9]_*.ipynb")}

    def chapter_link(match):
        number = int(match.group(2))
        if number not in chapters:
            return match.group(0)
        return f":doc:`{match.group(1)} {number} </{chapters[number]}>`"

    inside = False  # a "Book:" note runs on until the next blank line
    for i, line in enumerate(lines):
        if "Book:" in line:
            head, _, tail = line.partition("Book:")
            lines[i] = head + "Book:" + _BOOK_LINE.sub(chapter_link, tail)
            inside = True
        elif inside and line.strip():
            lines[i] = _BOOK_LINE.sub(chapter_link, line)
        else:
            inside = False


def always_reread_index(app, env, added, changed, removed):
    """The index depends on nnbook/_formulas.py, not on its page's text: read it every build."""
    return [doc for doc in env.found_docs if doc.endswith("reference/formulas")]


def setup(app):
    app.setup_extension("sphinx.ext.autodoc")
    app.add_directive("formula-index", FormulaIndex)
    app.add_node(formula_section_ref, html=(lambda self, node: self.visit_reference(node),
                                            lambda self, node: self.depart_reference(node)))
    app.connect("doctree-resolved", resolve_section_links)
    app.connect("env-get-outdated", always_reread_index)
    app.connect("autodoc-process-docstring", link_book_chapters)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
