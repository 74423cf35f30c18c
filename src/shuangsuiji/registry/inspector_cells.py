"""One value of an inspector column, parsed by the rules of :mod:`.inspectors` (its docstring
states them): text, list cells, capacity, the active flag and the role.

Every parser takes one raw value (from records, a DataFrame, an Arrow table or a CSV cell) and
returns the canonical value, or raises :class:`BadValue` saying why; the row validation
(:mod:`.inspector_rows`) adds the row, ID, column and value to the message.
"""

from __future__ import annotations

import math
import re
import types
from collections.abc import Mapping
from typing import Any

import numpy as np

from .columns import is_missing
from .ids import canonical_id

__all__ = [
    "ROLES",
    "SEPARATORS",
    "BadValue",
    "parse_active",
    "parse_capacity",
    "parse_entries",
    "parse_role",
    "parse_text",
]

# Accepted spellings of the two roles (English compared case-insensitively).
ROLES: Mapping[str, str] = types.MappingProxyType(
    {"officer": "officer", "expert": "expert", "执法人员": "officer", "专家": "expert"}
)
SEPARATORS: tuple[str, ...] = (";", "\uff1b")  # ";" and the full-width "；"

_SPLIT = re.compile("[;\uff1b]")
_DIGITS = re.compile(r"[0-9]+").fullmatch
_TRUE = frozenset({"true", "1", "yes", "是"})
_FALSE = frozenset({"false", "0", "no", "否"})
_INT64_MAX = 2**63 - 1
_LIST_TYPES = (list, tuple, set, frozenset, np.ndarray)


class BadValue(Exception):
    """One bad value: why it is bad (the caller adds row, ID, column and value)."""


def parse_text(v: Any) -> str | None:
    """A standard text value, trimmed; None when missing or blank."""
    if is_missing(v):
        return None
    if isinstance(v, str):
        s = v.strip()
        return s or None
    text = canonical_id(v)  # integers in decimal, as IDs are
    if text is None:
        raise BadValue(f"a {type(v).__name__} is not text: convert the column to text first")
    return text


def _entry(v: Any, ids: bool) -> str:
    if isinstance(v, str):
        s = v.strip()
    elif is_missing(v):
        raise BadValue("a list entry is missing")
    else:
        text = canonical_id(v)
        if text is None:
            why = "is ambiguous as an ID" if ids else "is not text"
            raise BadValue(f"entry {v!r} ({type(v).__name__}) {why}: convert it to text first")
        s = text
    if not s:
        raise BadValue("an entry is empty")
    if _SPLIT.search(s):
        raise BadValue(f"entry {s!r} contains a separator (';' or '；'): give one entry per item")
    if "\x00" in s:
        raise BadValue(f"entry {s!r} contains a NUL character")
    return s


def parse_entries(v: Any, ids: bool) -> list[str]:
    """A list cell (list, tuple, set, array, or a ';'/'；'-separated string) as sorted entries."""
    if isinstance(v, str):
        if not v.strip():
            return []
        parts = [p.strip() for p in _SPLIT.split(v)]
        if not all(parts):
            raise BadValue(
                "an entry is empty (two separators in a row, or one at the start or end): "
                "remove the extra ';'"
            )
        items = [_entry(p, ids) for p in parts]
    elif isinstance(v, _LIST_TYPES):
        items = [_entry(x, ids) for x in (v.tolist() if isinstance(v, np.ndarray) else v)]
    elif is_missing(v):
        return []
    elif canonical_id(v) is not None:  # one integer: a one-entry list
        items = [_entry(v, ids)]
    else:
        raise BadValue(
            f"a {type(v).__name__} is not a list: give a list of entries or a ';'-separated string"
        )
    return sorted(set(items), key=lambda s: s.encode("utf-8"))


def parse_capacity(v: Any) -> int:
    """-1 for missing (no limit), else a whole number >= 0."""
    if is_missing(v):
        return -1
    if isinstance(v, (bool, np.bool_)):
        raise BadValue("a bool is not a capacity")
    if isinstance(v, str):
        s = v.strip()
        if not s:
            return -1
        if not _DIGITS(s):
            raise BadValue("not a whole number >= 0")
        n = int(s)
    elif isinstance(v, (int, np.integer)):
        n = int(v)
    elif isinstance(v, (float, np.floating)):
        f = float(v)
        if not math.isfinite(f):
            raise BadValue("not finite")
        if not f.is_integer():
            raise BadValue("not a whole number")
        n = int(f)
    else:
        raise BadValue(f"a {type(v).__name__} is not a number")
    if n < 0:
        raise BadValue("negative")
    if n > _INT64_MAX:
        raise BadValue("too large")
    return n


def parse_active(v: Any) -> bool:
    if is_missing(v):
        raise BadValue("missing (leave the column out if everyone is active)")
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer, float, np.floating)) and v in (0, 1):
        return bool(v == 1)
    if isinstance(v, str):
        s = v.strip().casefold()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
    raise BadValue("not one of true/false, 1/0, yes/no, 是/否")


def parse_role(v: Any) -> str:
    if is_missing(v) or (isinstance(v, str) and not v.strip()):
        raise BadValue("missing: every person needs a role")
    if isinstance(v, str):
        s = v.strip()
        role = ROLES.get(s.casefold() if s.isascii() else s)
        if role is not None:
            return role
    raise BadValue("not a role: use 'officer' or 'expert' (or 执法人员 / 专家)")
