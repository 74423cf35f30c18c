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
(title row, header row, data rows), then the notes.

A spreadsheet that opens a CSV guesses each cell's type, and two guesses damage a notice:

- a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
  formula (OWASP "CSV injection", CWE-1236);
- a cell of digits is read as a number, so ``0123`` loses its leading zero and an 18-digit
  统一社会信用代码 such as ``911306008594204897`` is rounded to 15 significant digits and
  shown as ``9.11306E+17``. Excel's General format already shows 12 or more digits in exponent
  form (a 14-digit 执法证号 becomes ``1.301E+13``), and a file saved back keeps that form.

Both get the same cure, the one OWASP recommends and Excel itself uses for typed text: a leading
apostrophe. A cell is written as ``'`` + its text when the text

- starts with one of ``= + - @``, tab, CR (a formula), or with ``'`` itself (so that the rule
  can be undone without ambiguity), or
- is an ASCII digit string (``[0-9]+``) of 12 or more digits, or of 2 or more digits starting
  with ``0``.

Every other cell is written as it is. So a script recovers the exact value by removing one
leading apostrophe, if there is one (:func:`spreadsheet_raw`), and a spreadsheet shows the cell
as text with every digit. The alternatives were rejected: ``="0123"`` is itself a formula (what
the injection rule forbids) that only Excel understands; a leading tab or zero-width character
is invisible, so a script or a person copying the value gets a corrupted ID without noticing.
"""

from __future__ import annotations

import csv
import io
import re

from .document import Document, cell_text

__all__ = ["render_csv", "spreadsheet_raw", "spreadsheet_safe"]

# A formula start, or the apostrophe itself (so that spreadsheet_raw is an exact inverse).
_ESCAPED_START = frozenset("=+-@\t\r'")
# Digit strings a spreadsheet would turn into a number and damage: 12+ digits (General format
# shows them in exponent form, and from the 16th digit on the value itself is rounded), or a
# leading zero (dropped). ASCII digits only, as in 统一社会信用代码 and certificate numbers.
_FRAGILE_DIGITS = re.compile(r"[0-9]{12,}|0[0-9]+")
_DIGITS = frozenset("0123456789")  # a cheap test first: most cells do not start with a digit


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet would run it as a formula or read it as
    a number and lose digits (the rule is in the module docstring); else ``text`` unchanged.
    """
    if not text:
        return text
    c = text[0]
    if c in _ESCAPED_START or (c in _DIGITS and _FRAGILE_DIGITS.fullmatch(text)):
        return "'" + text
    return text


def spreadsheet_raw(cell: str) -> str:
    """The value behind a CSV cell: ``cell`` without its one leading ``'``, if it has one.

    The exact inverse of :func:`spreadsheet_safe`: ``spreadsheet_raw(spreadsheet_safe(t)) == t``
    for every ``t``. A script reading a notice's CSV applies it to every cell.
    """
    return cell.removeprefix("'")


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
