"""Sphinx extension for the student build: every solution leaves the pages.

sphinx-exercise's own ``hide_solutions: true`` cannot do this for the book: it drops the
``{solution-start}`` node but leaves the code cell and the ``{solution-end}`` node behind,
and the build stops with "unknown node type: solution_end_node" (sphinx-exercise 1.2.1).
So the student build keeps ``hide_solutions: false``, lets sphinx-exercise merge each gated
solution into one solution node as usual, and removes the solution nodes afterwards.
It also turns off what would hand the full notebooks back: the download button, the
copied page sources and the Binder/Colab launch buttons (they open the repository's
notebooks, solutions included).

Book: For instructors, "Hide solutions in a published build".
"""
from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_node

__all__ = ["RemoveSolutions", "setup"]


class RemoveSolutions(SphinxTransform):
    """Delete every ``{solution}`` (and merged ``{solution-start}`` ... ``{solution-end}``)."""

    default_priority = 20  # after sphinx-exercise's MergeGatedSolutions (priority 10)

    def apply(self, **kwargs) -> None:
        """Remove the solution nodes from the document."""
        for node in list(self.document.findall(solution_node)):
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
    app.connect("config-inited", _no_full_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
