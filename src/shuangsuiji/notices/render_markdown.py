"""Markdown (GitHub-flavoured tables): a heading, the facts as a list, one table per section.

Every piece of text is escaped: ``\\`` and the characters that Markdown or inline HTML give a
meaning inside a line (`` ` * _ [ ] < > | & ~``) get a backslash, and line breaks become spaces,
so a value can neither break a table row nor inject markup. ``张**`` is written ``张\\*\\*`` and
renders as ``张**``. Numeric columns are right-aligned (``---:``).
"""

from __future__ import annotations

from .document import Cell, Document, cell_text
from .labels import label

__all__ = ["md_escape", "render_markdown"]

_ESCAPES = str.maketrans({**{c: "\\" + c for c in "\\`*_[]<>|&~"}, "\n": " ", "\r": " "})


def md_escape(text: str) -> str:
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return text.translate(_ESCAPES)


def _cell(v: Cell) -> str:
    return md_escape(cell_text(v))


def render_markdown(doc: Document) -> bytes:
    sep = label(doc.lang, "label_sep")
    out = [f"# {md_escape(doc.title)}", ""]
    if doc.subtitle:
        out += [f"**{md_escape(doc.subtitle)}**", ""]
    if doc.facts:
        out += [f"- **{md_escape(f.label)}**{sep}{_cell(f.value)}" for f in doc.facts]
        out.append("")
    for t in doc.tables:
        out += [f"## {md_escape(t.title)}", ""]
        out.append("| " + " | ".join(md_escape(c.label) for c in t.columns) + " |")
        out.append("|" + "|".join(" ---: " if c.numeric else " --- " for c in t.columns) + "|")
        out += ["| " + " | ".join(_cell(v) for v in r) + " |" for r in t.rows]
        out.append("")
    for n in doc.notes:
        out += [md_escape(n), ""]
    return ("\n".join(out).rstrip("\n") + "\n").encode("utf-8")
