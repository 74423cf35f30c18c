"""Redaction: what a public notice withholds, and the record of what it withheld.

Rules (domain.md, "Publication": personal privacy is withheld unless approved):

- **private** columns: every non-empty value becomes ``***`` (a fixed mask, so the length of the
  value is not revealed either).
- **names** columns hold natural persons' names; every non-empty value is shown by its initial
  (:func:`mask_name`): 张三丰 -> 张**.
- **natural_persons**: target IDs whose *name* is a natural person's (individual businesses,
  个体工商户); the ``name`` cell of those rows is masked as in ``names``, in every table that has
  both an ``id`` and a ``name`` column.
- **hide_inspector_names**: the inspectors are shown by unit and certificate number only; the
  ``inspector_name`` column is removed from the team table.

A column is named by its key (``"credit"``: in every table) or ``"table.column"``
(``"targets.credit"``: in that table only). Column keys are listed in docs/guide-notices.md.
A name that matches no column of a notice masks nothing there, so one policy serves all three
notices; the ``redactions`` of the rendered notice show exactly what was masked.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from typing import Any

import attrs

from ..errors import InputError
from .document import Cell, Document, Table

__all__ = ["PRIVATE_MASK", "Redaction", "RedactionPolicy", "mask_name", "redact"]

PRIVATE_MASK = "***"
_SEPARATORS = frozenset(" \t-·•.'’‧・")
_TABLES = frozenset(
    {"tasks", "registries", "strata", "targets", "visits", "team", "outcomes", "results"}
)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and unicodedata.category(ch) == "Lo"


@functools.lru_cache(maxsize=1 << 16)  # a team's names repeat over many visits
def mask_name(name: str) -> str:
    """A natural person's name shown by its initial, one ``*`` per hidden character.

    - Chinese (any CJK ideograph in the name): the first character is kept and every other
      character except separators (space, ``·``, ``-``) becomes ``*``: 张三 -> 张*, 张三丰 -> 张**,
      欧阳娜娜 -> 欧*** (compound surnames are not recognised), 阿卜杜拉·艾力 -> 阿***·**. A
      one-character name becomes ``*``.
    - Other scripts: each word keeps its first letter: ``Zhang San`` -> ``Z**** S**``,
      ``Jean-Luc Picard`` -> ``J***-L** P*****``; a one-letter word (an initial) stays.

    The length is kept, as in the usual Chinese practice (张**): the initial and the length are
    what a reader sees, and they are not enough to identify a person in a registry of thousands.
    """
    if not name:
        return name
    if any(_is_cjk(ch) for ch in name):
        letters = [i for i, ch in enumerate(name) if ch not in _SEPARATORS]
        keep = {letters[0]} if len(letters) > 1 else set()
        return "".join(ch if ch in _SEPARATORS or i in keep else "*" for i, ch in enumerate(name))
    out, start = [], True
    for ch in name:
        if ch in _SEPARATORS:
            out.append(ch)
            start = True
        else:
            out.append(ch if start else "*")
            start = False
    return "".join(out)


def _names(field: str, v: Any) -> frozenset[str]:
    if isinstance(v, (str, bytes)) or not isinstance(v, Iterable):
        raise InputError(
            f"RedactionPolicy {field}: expected a list of names, got {v!r}; "
            f"write {field}=[{v!r}] for one"
        )
    items = list(v)
    for name in items:
        if not isinstance(name, str) or not name:
            raise InputError(f"RedactionPolicy {field}: {name!r} is not a non-empty string")
        table, dot, col = name.rpartition(".")
        if field != "natural_persons" and dot and (table not in _TABLES or not col):
            raise InputError(
                f"RedactionPolicy {field}: {name!r} names no table; use a column key or "
                f"'table.column' with table one of {sorted(_TABLES)}"
            )
    return frozenset(items)


def _private(v: Any) -> frozenset[str]:
    return _names("private", v)


def _person_columns(v: Any) -> frozenset[str]:
    return _names("names", v)


def _person_ids(v: Any) -> frozenset[str]:
    return _names("natural_persons", v)


@attrs.frozen
class Redaction:
    """What one rule withheld in one column: ``count`` of the table's ``total`` rows."""

    table: str
    column: str
    rule: str  # "private" | "person_name" | "natural_person" | "inspector_name"
    count: int
    total: int

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class RedactionPolicy:
    """Which columns and names a notice withholds; see the module docstring for the rules."""

    private: frozenset[str] = attrs.field(factory=frozenset, converter=_private)
    names: frozenset[str] = attrs.field(factory=frozenset, converter=_person_columns)
    natural_persons: frozenset[str] = attrs.field(factory=frozenset, converter=_person_ids)
    hide_inspector_names: bool = attrs.field(default=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.hide_inspector_names, bool):
            raise InputError(
                f"RedactionPolicy hide_inspector_names: expected True or False, got "
                f"{self.hide_inspector_names!r}"
            )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for a log record (sorted lists)."""
        return {
            "private": sorted(self.private),
            "names": sorted(self.names),
            "natural_persons": sorted(self.natural_persons),
            "hide_inspector_names": self.hide_inspector_names,
        }


def _matches(names: frozenset[str], table: str, column: str) -> bool:
    return column in names or f"{table}.{column}" in names


def _present(v: Cell) -> bool:
    return v is not None and v != ""


def _rule(t: Table, j: int, p: RedactionPolicy) -> str | None:
    key = t.columns[j].key
    if key == "inspector_name" and p.hide_inspector_names:
        return "inspector_name"
    if _matches(p.private, t.key, key):
        return "private"
    if _matches(p.names, t.key, key):
        return "person_name"
    if key == "name" and p.natural_persons and t.column_index("id") is not None:
        return "natural_person"
    return None


def _redact_table(t: Table, p: RedactionPolicy) -> tuple[Table, list[Redaction]]:
    rules = [_rule(t, j, p) for j in range(len(t.columns))]
    if not any(rules):
        return t, []
    # Column-wise: one pass per redacted column instead of rebuilding every row per rule.
    cols: list[list[Cell]] = [list(c) for c in zip(*t.rows)] or [[] for _ in t.columns]
    ids = cols[t.column_index("id") or 0]
    done: list[Redaction] = []
    keep = []
    for j, (col, rule) in enumerate(zip(t.columns, rules)):
        values = cols[j]
        if rule == "natural_person":
            hit = [
                i for i, v in enumerate(values) if _present(v) and str(ids[i]) in p.natural_persons
            ]
        elif rule is not None:
            hit = [i for i, v in enumerate(values) if _present(v)]
        if rule is None or (not hit and rule != "inspector_name"):
            keep.append(j)
            continue
        done.append(Redaction(t.key, col.key, rule, len(hit), len(values)))
        if rule == "inspector_name":
            continue  # the column is removed
        keep.append(j)
        for i in hit:
            values[i] = PRIVATE_MASK if rule == "private" else mask_name(str(values[i]))
    columns = tuple(t.columns[j] for j in keep)
    rows = tuple(zip(*(cols[j] for j in keep))) if t.rows else ()
    return attrs.evolve(t, columns=columns, rows=rows), done


def redact(doc: Document, policy: RedactionPolicy | None) -> tuple[Document, tuple[Redaction, ...]]:
    """``doc`` with the policy applied, and the list of what was withheld (table and column order).

    Facts and notes are not redacted: they hold the notice's own words and public identifiers.
    """
    if policy is None:
        return doc, ()
    if not isinstance(policy, RedactionPolicy):
        raise InputError(f"redaction: expected a RedactionPolicy, got {type(policy).__name__}")
    tables, done = [], []
    for t in doc.tables:
        new, red = _redact_table(t, policy)
        tables.append(new)
        done += red
    return attrs.evolve(doc, tables=tuple(tables)), tuple(done)
