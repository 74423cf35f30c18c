"""Reading the plain-data inputs of notices: every bad value is an InputError naming where it is.

Inputs are records (mappings) so that notices depend on no other part of the library. Objects
that convert to records are accepted too: anything with ``to_records()`` (a Selection, a
registry), ``summary()`` (a Selection or InclusionProbabilities), ``visits()`` (an Assignment) or
``to_dict()`` (a Plan).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .._util.times import parse_date
from ..errors import InputError
from .labels import LANGS

__all__ = [
    "as_data",
    "check_lang",
    "get_int",
    "get_number",
    "get_probability",
    "get_str",
    "iso_date",
    "records",
    "require",
    "str_list",
]


def check_lang(lang: object) -> str:
    if lang not in LANGS:
        raise InputError(f"lang {lang!r} is not supported; use one of {list(LANGS)}")
    return str(lang)


def as_data(obj: Any, method: str = "to_dict") -> Any:
    """``obj.<method>()`` if ``obj`` is an object that has it (a Plan, a Selection), else ``obj``."""
    conv = getattr(obj, method, None)
    if callable(conv) and not isinstance(obj, (Mapping, str)):
        return conv()
    return obj


def records(obj: Any, what: str, method: str = "to_records") -> list[Mapping[str, Any]]:
    """``obj`` as a list of mappings; ``method`` (e.g. ``summary``) is called if ``obj`` has it."""
    if obj is None:
        raise InputError(f"{what}: missing; give a list of records (mappings)")
    obj = as_data(obj, method)
    if isinstance(obj, (str, bytes, Mapping)) or not isinstance(obj, Iterable):
        raise InputError(f"{what}: expected a list of records (mappings), got {type(obj).__name__}")
    out = list(obj)
    for i, r in enumerate(out):
        if not isinstance(r, Mapping):
            raise InputError(f"{what}[{i}]: expected a mapping, got {type(r).__name__}")
    return out


def require(rec: Mapping[str, Any], key: str, where: str, *alts: str) -> Any:
    """``rec[key]`` (or the first alternative key present); missing or ``None`` is an error."""
    v = rec.get(key)
    if v is not None:
        return v
    for k in alts:
        if rec.get(k) is not None:
            return rec[k]
    names = " or ".join(repr(k) for k in (key, *alts))
    raise InputError(f"{where}: missing key {names}; have {sorted(map(str, rec))}")


def get_str(
    rec: Mapping[str, Any], key: str, where: str, *alts: str, default: str | None = None
) -> str:
    """A text value; numbers are accepted and written in decimal, other types are refused."""
    if default is not None and not any(k in rec and rec[k] is not None for k in (key, *alts)):
        return default
    v = require(rec, key, where, *alts)
    if type(v) is str:
        return v
    if isinstance(v, bool) or not isinstance(v, (str, int)):
        raise InputError(f"{where}, key {key!r}: expected text, got {v!r}")
    return str(v)


def get_int(rec: Mapping[str, Any], key: str, where: str) -> int:
    """A whole number >= 0 (a float with no fractional part is accepted)."""
    v = require(rec, key, where)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise InputError(f"{where}, key {key!r}: expected a whole number >= 0, got {v!r}")
    return v


def get_number(rec: Mapping[str, Any], key: str, where: str) -> float:
    """A finite number >= 0."""
    v = require(rec, key, where)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
        raise InputError(f"{where}, key {key!r}: expected a finite number >= 0, got {v!r}")
    return float(v)


def get_probability(rec: Mapping[str, Any], key: str, where: str) -> float:
    """A number in [0, 1]."""
    v = require(rec, key, where)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= float(v) <= 1.0:
        raise InputError(f"{where}, key {key!r}: expected a probability in [0, 1], got {v!r}")
    return float(v)


def str_list(v: Any, where: str) -> tuple[str, ...]:
    """A list of text items; one string is a list of one."""
    if isinstance(v, str):
        return (v,)
    if isinstance(v, Sequence) and all(isinstance(x, str) for x in v):
        return tuple(v)
    raise InputError(f"{where}: expected text or a list of text, got {v!r}")


def iso_date(v: Any, where: str) -> str:
    """An ISO date ``YYYY-MM-DD`` from a string or a ``datetime.date`` (a datetime is refused)."""
    return parse_date(v, where).isoformat()
