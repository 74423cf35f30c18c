"""A notice's content, independent of format: title, facts, tables and notes, in one language.

The content builders produce a :class:`Document`; redaction maps a Document to a Document; each
renderer turns one into bytes. Cells keep their types (int, float, str, a tuple of ints, or
``None`` for "not given") so that JSON carries numbers as numbers, while the text formats print
them through :func:`cell_text`, the one place where numbers become text.
"""

from __future__ import annotations

from typing import Literal

import attrs
import numpy as np

__all__ = ["Cell", "Column", "Document", "Fact", "Table", "cell_text", "number_text"]

Cell = str | int | float | tuple[int, ...] | None
Kind = Literal["plan", "task", "result"]


def number_text(x: float) -> str:
    """The shortest decimal that reads back as exactly ``x``, never in exponent form.

    ``0.1`` -> ``"0.1"``, ``1.0`` -> ``"1"``, ``1e-05`` -> ``"0.00001"``,
    ``0.058823529411764705`` -> itself: every digit needed to recover the float64 and no more
    (numpy's Dragon4 ``unique`` mode, the same digits as Python's ``repr``).
    """
    text = repr(float(x))
    if "e" in text or "n" in text:  # exponent form (or inf/nan, which numpy spells out too)
        return np.format_float_positional(x, unique=True, trim="-")
    return text.removesuffix(".0")


def cell_text(value: Cell) -> str:
    """A cell as printed in CSV, HTML and Markdown; ``None`` prints as the empty string."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return "/".join(str(v) for v in value)
    if isinstance(value, int):
        return str(value)
    return number_text(value)


@attrs.frozen
class Column:
    """A table column: a stable ``key`` (JSON, redaction policies) and a translated ``label``.

    ``numeric`` columns are right-aligned in HTML and Markdown.
    """

    key: str
    label: str
    numeric: bool = False


@attrs.frozen
class Table:
    """A titled table; every row has one cell per column."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def __attrs_post_init__(self) -> None:
        n = len(self.columns)
        for i, r in enumerate(self.rows):
            if len(r) != n:
                raise ValueError(f"table {self.key!r} row {i}: {len(r)} cells for {n} columns")

    def column_index(self, key: str) -> int | None:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        return None


@attrs.frozen
class Fact:
    """One line of the notice's header: ``label: value`` (e.g. 发布机关: ...)."""

    key: str
    label: str
    value: str | int


@attrs.frozen
class Document:
    """Everything a notice says, in one language, before it is given a format."""

    kind: Kind
    lang: str
    title: str
    subtitle: str | None
    facts: tuple[Fact, ...]
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = ()

    def table(self, key: str) -> Table | None:
        for t in self.tables:
            if t.key == key:
                return t
        return None
