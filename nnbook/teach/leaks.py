"""Find solution lines in what students get: the student HTML, notebooks and PDF.

For every exercise of every chapter, each non-trivial line of its solution (the code between
``### BEGIN SOLUTION`` and ``### END SOLUTION``, and the text of a derivation's ``{solution}``)
is searched for in each student artefact. The only lines allowed there are those that the
book shows outside its solutions (a chapter's teaching code and text, the exercise statements
and checks, in this chapter or another): a student reads those anyway. Everything else found
is a leak.

Lines and artefacts are compared after the same normalization: HTML tags dropped and entities
decoded, math delimiters (``$``, ``\\(``, ``\\)``, ``\\[``, ``\\]``) and Markdown emphasis
(`` ` ``, ``*``) removed, runs of white space made one space. A line is *non-trivial* if it
keeps at least ``MIN_CHARS`` characters and a letter after that (``return out`` or ``else:``
say nothing about an answer).

Book: For instructors, "Check that no key reaches a student".
"""
from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .markup import BEGIN_SOLUTION, END_SOLUTION, chapter_notebooks, directive, nbgrader_meta, read_notebook

__all__ = ["MIN_CHARS", "Leak", "normalize", "shown_text", "exercise_key_lines", "find_leaks",
           "artefact_texts"]

MIN_CHARS = 12

_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)
_MARKS = re.compile(r"\\[()\[\]]|[$`*]")
_SPACE = re.compile(r"\s+")
_LABEL = re.compile(r"^:label:\s*(\S+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Leak:
    """A solution line of ``exercise`` (chapter ``chapter``) found in ``artefact``."""

    chapter: str
    exercise: str
    line: str
    artefact: str

    def __str__(self) -> str:
        return f"{self.artefact}: {self.exercise} ({self.chapter}): {self.line!r}"


def normalize(text: str, is_html: bool = False) -> str:
    """The text as compared: tags dropped (HTML), math and emphasis marks removed, one space."""
    if is_html:  # tags go without a trace: highlighted code is split into spans mid-line
        text = _html.unescape(_TAGS.sub("", text))
    return _SPACE.sub(" ", _MARKS.sub("", text)).strip()


def _solution_lines(cell: nbformat.NotebookNode) -> list[str]:
    if cell.cell_type == "code":
        lines, inside = [], False
        for line in cell.source.splitlines():
            if line.strip() in (BEGIN_SOLUTION, END_SOLUTION):
                inside = line.strip() == BEGIN_SOLUTION
            elif inside:
                lines.append(line)
        return lines
    body = cell.source.strip().splitlines()[1:]  # no opening fence
    return [line for line in body if not line.strip().startswith(":")
            and not re.fullmatch(r"\s*(`{3,}|:{3,})\s*", line)]


def _is_answer(cell: nbformat.NotebookNode) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("solution")) and not meta.get("grade")


def _is_solution_gate(cell: nbformat.NotebookNode) -> bool:
    found = directive(cell)
    return bool(found) and found[0] in ("solution", "solution-start", "solution-end")


def shown_text(nb: nbformat.NotebookNode) -> str:
    """Everything a chapter shows outside its solutions (teaching code and text, exercise
    statements and checks), normalized line by line."""
    return "\n".join(normalize(line) for cell in nb.cells
                     if not _is_answer(cell) and not _is_solution_gate(cell)
                     for line in cell.source.splitlines())


def exercise_key_lines(nb: nbformat.NotebookNode, shown: str | None = None) -> dict[str, list[str]]:
    """Per exercise label, its non-trivial solution lines that are not shown anyway.

    ``shown`` is the text students see outside solutions (default: this chapter's,
    :func:`shown_text`). Lines are returned normalized (see :func:`normalize`).
    """
    if shown is None:
        shown = shown_text(nb)
    keys: dict[str, list[str]] = {}
    label = None
    for cell in nb.cells:
        found = directive(cell)
        if found and found[0] == "exercise":
            match = _LABEL.search(cell.source)
            label = match.group(1) if match else None
        if not (_is_answer(cell) or (found and found[0] == "solution")) or label is None:
            continue
        for line in _solution_lines(cell):
            line = normalize(line)
            if len(line) >= MIN_CHARS and re.search(r"[A-Za-z]", line) and line not in shown:
                keys.setdefault(label, [])
                if line not in keys[label]:
                    keys[label].append(line)
    return keys


def _pdf_text(path: Path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError as err:  # pragma: no cover - pypdf is in the test environment
        raise ImportError("reading a PDF needs pypdf: pip install pypdf") from err
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def artefact_texts(html: str | Path | None = None, notebooks: str | Path | None = None,
                   pdf: str | Path | None = None) -> dict[str, str]:
    """The normalized text of every student artefact, by file name.

    ``html``: a built HTML folder (every ``.html``, ``.js``, ``.txt``, ``.ipynb`` and ``.md``
    in it); ``notebooks``: a folder of student notebooks (every cell's source and text
    outputs); ``pdf``: a PDF file.
    """
    texts: dict[str, str] = {}
    if html is not None:
        for path in sorted(Path(html).rglob("*")):
            if path.is_file() and path.suffix in (".html", ".js", ".txt", ".ipynb", ".md"):
                raw = path.read_text(encoding="utf-8", errors="replace")
                texts[str(path)] = normalize(raw, is_html=path.suffix == ".html")
    if notebooks is not None:
        for path in sorted(Path(notebooks).glob("*.ipynb")):
            nb = read_notebook(path)
            parts = []
            for cell in nb.cells:
                parts.append(cell.source)
                for out in cell.get("outputs", []):
                    parts.append(out.get("text", "") or "")
                    parts.append(str((out.get("data") or {}).get("text/plain", "")))
            texts[str(path)] = normalize("\n".join(parts))
    if pdf is not None:
        texts[str(pdf)] = normalize(_pdf_text(Path(pdf)))
    return texts


def find_leaks(book: str | Path = "book", html: str | Path | None = None,
               notebooks: str | Path | None = None, pdf: str | Path | None = None) -> list[Leak]:
    """Every solution line of every chapter in ``book`` found in a student artefact."""
    texts = artefact_texts(html, notebooks, pdf)
    chapters = {path.stem: read_notebook(path) for path in chapter_notebooks(book)}
    # a line that some chapter teaches outside its solutions is no key, wherever it is found
    shown = "\n".join(shown_text(nb) for nb in chapters.values())
    leaks = []
    for name, nb in chapters.items():
        for label, lines in exercise_key_lines(nb, shown).items():
            for line in lines:
                leaks += [Leak(name, label, line, artefact) for artefact, text in texts.items()
                          if line in text]
    return leaks
