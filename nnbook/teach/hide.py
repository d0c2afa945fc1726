"""Sphinx extension for the student build: every solution leaves the pages.

sphinx-exercise's own ``hide_solutions: true`` cannot do this for the book: it drops the
``{solution-start}`` node but leaves the code cell and the ``{solution-end}`` node behind,
and the build stops with "unknown node type: solution_end_node" (sphinx-exercise 1.2.1).
So the student build keeps ``hide_solutions: false``, lets sphinx-exercise merge each gated
solution into one solution node as usual, and removes the solution nodes afterwards.
It also leaves the instructors' pages out: ``build_student_html`` builds without them, and
this extension removes every list item or paragraph that links to one (configuration value
``nnbook_instructor_pages``), so no reference is left dangling. It also turns off what would
hand the full notebooks back: the download button, the
copied page sources and the Binder/Colab launch buttons (they open the repository's
notebooks, solutions included).

Book: For instructors, "Hide solutions in a published build".
"""
from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_node

__all__ = ["RemoveSolutions", "RemoveInstructorLinks", "setup"]


class RemoveSolutions(SphinxTransform):
    """Delete every ``{solution}`` (and merged ``{solution-start}`` ... ``{solution-end}``)."""

    default_priority = 20  # after sphinx-exercise's MergeGatedSolutions (priority 10)

    def apply(self, **kwargs) -> None:
        """Remove the solution nodes from the document."""
        for node in list(self.document.findall(solution_node)):
            node.parent.remove(node)


class RemoveInstructorLinks(SphinxTransform):
    """Delete each list item (else paragraph) that refers to an instructors' page."""

    default_priority = 20

    def apply(self, **kwargs) -> None:
        """Remove the enclosing item of every reference to a page of ``nnbook_instructor_pages``."""
        pages = {page.rsplit("/", 1)[-1] for page in self.config.nnbook_instructor_pages}
        for ref in list(self.document.findall(addnodes.pending_xref)):
            target = str(ref.get("reftarget", "")).removesuffix(".md").rstrip("/").rsplit("/", 1)[-1]
            if ref.get("reftype") not in ("doc", "myst") or target not in pages:
                continue
            node = ref
            while node.parent is not None and not isinstance(node, nodes.list_item):
                if isinstance(node, nodes.paragraph) and not isinstance(node.parent, nodes.list_item):
                    break
                node = node.parent
            if node.parent is not None:
                node.parent.remove(node)


def _no_full_notebooks(app, config) -> None:
    options = dict(config.html_theme_options or {})
    options["use_download_button"] = False
    options.pop("launch_buttons", None)
    config.html_theme_options = options
    config.html_copy_source = False


def setup(app: Sphinx) -> dict[str, bool]:
    """Register the extension (``extra_extensions`` of the student build's ``_config.yml``)."""
    app.setup_extension("sphinx_exercise")
    app.add_transform(RemoveSolutions)
    app.add_config_value("nnbook_instructor_pages", [], "env")
    app.add_transform(RemoveInstructorLinks)
    app.connect("config-inited", _no_full_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
