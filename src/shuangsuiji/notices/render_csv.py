"""CSV for spreadsheet programs: UTF-8 with a byte-order mark, CRLF line ends (RFC 4180).

The BOM is what makes Excel read the file as UTF-8 rather than the system code page, so Chinese
shows correctly. A notice holds several tables, so the file is a sequence of blocks separated by
one empty row::

    title
    subtitle                      (when there is one)
    fact label, fact value        (one row per fact)

    table title
    column labels ...
    cells ...                     (one row per table row)

    ...                           (the next table)

    note                          (one row per note)

A reader splits the rows at empty rows: the first block is the header, then one block per table
(title row, header row, data rows), then the notes. Cells that would start with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return get a leading apostrophe, so a spreadsheet shows them
as text instead of running them as formulas (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io

from .document import Document, cell_text

__all__ = ["render_csv", "spreadsheet_safe"]

_FORMULA_START = frozenset("=+-@\t\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet would take it for a formula."""
    return "'" + text if text and text[0] in _FORMULA_START else text


def render_csv(doc: Document) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")

    def row(cells: list[str]) -> None:
        w.writerow([spreadsheet_safe(c) for c in cells])

    row([doc.title])
    if doc.subtitle:
        row([doc.subtitle])
    for f in doc.facts:
        row([f.label, cell_text(f.value)])
    for t in doc.tables:
        row([])
        row([t.title])
        row([c.label for c in t.columns])
        for r in t.rows:
            row([cell_text(v) for v in r])
    if doc.notes:
        row([])
        for n in doc.notes:
            row([n])
    return buf.getvalue().encode("utf-8-sig")
