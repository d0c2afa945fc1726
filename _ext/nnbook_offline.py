"""Sphinx extension used by the book build: make every page work with no network, for every
reader (issue 11: screen readers, phones, keyboards, print).

* MathJax 3 is served from the build (copied from the pip package ``sphinx-mathjax-offline``
  into ``_build/html/mathjax``), not from a CDN.
* ``NNBOOK_STATIC_WIDGETS=1`` is set before the notebooks execute, so every knob made with
  :func:`nnbook.widgets.knob` renders as precomputed frames switched by a plain HTML/JS
  slider instead of an ipywidget that would need a kernel. ``nnbook_require_alt: true`` in
  ``sphinx.config`` also sets ``NNBOOK_REQUIRE_ALT=1``: a knob frame without a text
  alternative then fails the build (a ``ValueError`` naming ``draw``).
* One BLAS thread for the executing kernels: the book's matrices are small and OpenBLAS
  threads contending for few cores slowed training 10–20×.
* Figures (:func:`nnbook.figures.show`): myst-nb reads only ``width``/``height`` from an
  image output's metadata; :func:`render_image` also makes its ``alt`` the ``<img alt>`` and,
  when it has a ``caption``, wraps the image in a numbered figure (Sphinx ``numfig``:
  "Fig. 4.2") whose ``label`` the text can reference with ``{numref}``.
* The machinery stays out of the pages (:func:`clean_cells`): ``# NBVAL_*`` lines and the
  ``### BEGIN/END SOLUTION`` markers are removed from the shown code, exercise check cells
  (nbgrader ``grade_id`` ending in ``-check``) lose their outputs (in the book they ran
  against the key and said "correct"), and empty outputs are dropped.
* ``static/nnbook.css``: knob layout, wrapping outputs and inline code, visibly scrolling
  display math, a visible focus ring, print styles (see the file); ``static/nnbook.js``
  makes a display equation that scrolls sideways a tab stop (keyboard scrolling), and only
  those: formulas are otherwise not tab stops (``mathjax3_config`` in ``_config.yml``).
* Search excerpts offline: under ``file://`` a browser refuses the fetches Sphinx's search
  makes for its excerpts; :func:`write_search_texts` puts the pages' text into
  ``_static/nnbook_search_texts.js`` (loaded by the search page only) and ``nnbook.js``
  answers those fetches from it (over a local server too: excerpts then come from the
  article, not from the navigation that Sphinx's fetch would include).
"""
from __future__ import annotations

import os
import re
import shutil
from importlib.metadata import distribution
from pathlib import Path

from docutils import nodes

MATHJAX_DIST = "sphinx-mathjax-offline"
STATIC = Path(__file__).with_name("static")
MACHINERY_LINE = re.compile(r"^\s*(# *NBVAL_[A-Z_]+|### (BEGIN|END) SOLUTION)\b.*$")
CHECK_SUFFIX = "-check"


def mathjax_source() -> Path:
    path = Path(distribution(MATHJAX_DIST).locate_file(f"{MATHJAX_DIST}/static/mathjax"))
    if not (path / "tex-chtml.js").is_file():
        raise RuntimeError(f"MathJax not found in the {MATHJAX_DIST} package at {path}")
    return path


def copy_mathjax(app, exc) -> None:
    if exc is None and app.builder.format == "html":
        shutil.copytree(mathjax_source(), Path(app.outdir) / "mathjax", dirs_exist_ok=True)


# --------------------------------------------------------------------------- figures
def _patch_render_image() -> None:
    """Let an image output's metadata carry ``alt``, ``caption`` and ``label``."""
    from myst_nb.core.render import NbElementRenderer

    original = NbElementRenderer.render_image
    if getattr(original, "_nnbook", False):
        return

    def render_image(self, data):
        result = original(self, data)
        meta = data.output_metadata.get(data.mime_type, {}) or {}
        if len(result) != 1 or not isinstance(result[0], nodes.image):
            return result
        image = result[0]
        if meta.get("alt"):
            image["alt"] = str(meta["alt"])
        if not meta.get("caption"):
            return result
        figure = nodes.figure("", image, classes=["nnbook-figure"])
        figure += nodes.caption(str(meta["caption"]), str(meta["caption"]))
        label = meta.get("label")
        if label:
            figure["names"].append(str(label))
            self.renderer.document.note_explicit_target(figure, figure)
        else:  # still numbered: Sphinx numbers figures that have an id
            figure["ids"].append(f"nnbook-fig-{data.cell_index}-{data.output_index}")
        return [figure]

    render_image._nnbook = True
    NbElementRenderer.render_image = render_image


# --------------------------------------------------------------------------- cells
def _grade_id(cell) -> str:
    meta = cell.get("cell_metadata") or {}
    return str((meta.get("nbgrader") or {}).get("grade_id", ""))


def _strip_machinery(block: nodes.literal_block) -> None:
    text = block.astext()
    kept = [line for line in text.split("\n") if not MACHINERY_LINE.match(line)]
    if len(kept) != len(text.split("\n")):
        new = "\n".join(kept).strip("\n")
        block.rawsource = new
        block.children = []
        block += nodes.Text(new)


def _is_empty_output(node: nodes.Element) -> bool:
    if isinstance(node, nodes.literal_block):
        return not node.astext().strip()
    if isinstance(node, nodes.raw):
        return not re.sub(r"<[^>]*>|\s", "", node.astext()) and "<img" not in node.astext()
    return False


def clean_cells(app, doctree) -> None:
    """Remove what only the machinery needs from the code cells of a page."""
    for cell in list(doctree.findall(lambda n: isinstance(n, nodes.container)
                                     and n.get("nb_element") == "cell_code")):
        is_check = _grade_id(cell).endswith(CHECK_SUFFIX)
        for part in list(cell.children):
            if not isinstance(part, nodes.container):
                continue
            if part.get("nb_element") == "cell_code_source":
                for block in part.findall(nodes.literal_block):
                    _strip_machinery(block)
            elif part.get("nb_element") == "cell_code_output":
                if is_check:
                    cell.remove(part)
                    continue
                for out in list(part.children):
                    if _is_empty_output(out):
                        part.remove(out)
                if not part.children:
                    cell.remove(part)


# --------------------------------------------------------------------------- search
SEARCH_TEXTS = "nnbook_search_texts.js"
_ARTICLE = re.compile(r'<article class="bd-article"[^>]*>(.*)</article>', re.S)
_DROP = re.compile(r"<(script|style|svg|noscript)\b.*?</\1>|<img\b[^>]*>", re.S | re.I)
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ID = re.compile(r'\bid="([^"]+)"')


def page_text(html: str) -> str:
    """A page's article as the search needs it for excerpts: its text, with only the
    ``<section id=...>`` tags kept (Sphinx looks a section up by its anchor)."""
    match = _ARTICLE.search(html)
    body = _DROP.sub(" ", match.group(1) if match else "")

    def keep(m: re.Match) -> str:
        if m.group(2).lower() != "section":
            return ""
        if m.group(1):
            return "</section>"
        ident = _ID.search(m.group(3))
        return f'<section id="{ident.group(1)}">' if ident else "<section>"

    text = _TAG.sub(keep, body)
    return re.sub(r"[ \t]*\n\s*", "\n", text)


def write_search_texts(app, exc) -> None:
    """Sphinx's search shows an excerpt under each result by fetching the page, which a
    browser refuses under ``file://``: write every page's text into a script the search page
    loads, and ``nnbook.js`` answers those fetches from it."""
    if exc is not None or app.builder.format != "html" or app.builder.name != "html":
        return
    import json

    out = Path(app.outdir)
    texts = {}
    for docname in sorted(app.env.found_docs):
        file = out / f"{docname}{app.builder.out_suffix}"
        if file.is_file():
            texts[f"{docname}{app.builder.out_suffix}"] = page_text(file.read_text(encoding="utf-8"))
    (out / "_static" / SEARCH_TEXTS).write_text(
        "window.NNBOOK_PAGE_TEXTS = " + json.dumps(texts, ensure_ascii=False).replace("</", "<\\/") + ";\n",
        encoding="utf-8")


def add_search_texts(app, pagename, templatename, context, doctree) -> None:
    if pagename == "search":
        app.add_js_file(SEARCH_TEXTS)


def set_require_alt(app, config) -> None:
    if config.nnbook_require_alt:
        os.environ["NNBOOK_REQUIRE_ALT"] = "1"


def setup(app):
    os.environ["NNBOOK_STATIC_WIDGETS"] = "1"
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from nnbook._quiet_kernels import quiet_kernels

    quiet_kernels()  # no "Kernel is running over TCP without encryption" line per notebook
    mathjax_source()  # fail early, with a clear message, if the package is missing
    # Sphinx puts relative paths under _static/; "../" lands at the build root.
    app.config.mathjax_path = "../mathjax/tex-chtml.js"
    app.add_config_value("nnbook_require_alt", False, "env", [bool])
    app.connect("config-inited", set_require_alt)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", write_search_texts)
    app.connect("html-page-context", add_search_texts)
    app.connect("doctree-read", clean_cells)
    app.connect("config-inited", lambda app, config: config.html_static_path.append(str(STATIC)))
    app.add_css_file("nnbook.css")
    app.add_js_file("nnbook.js")
    _patch_render_image()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
