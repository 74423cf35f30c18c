"""Typed, immutable columns for registries: text as sorted categories + codes, numbers as arrays.

Text columns are stored as ``codes`` (int32, -1 = missing) into ``categories``, a sorted tuple
of distinct strings. Sorted categories make the codes canonical: two registries with the same
contents have the same categories and codes whatever their row order, so grouping, equality tests
and the fingerprint work on small integer arrays instead of Python strings.

"Sorted" means by Unicode code point, which is the same order as by UTF-8 bytes; numpy's ``U``
sort and Python's ``sorted`` both use it.

How Python values become a column (:meth:`Column.from_values`, used for records and for any
DataFrame column that has no vectorised path) is one rule set, so every input route gives the
same column for the same values:

* missing values are ``None``, float NaN, ``pandas.NA`` and ``NaT``;
* all values bools, none missing -> ``"bool"``;
* all values integers (``int`` or numpy integer, not bool), none missing, within int64 -> ``"int"``;
* all present values integers or floats (not bool), every integer exactly representable as a
  float64 (``|v| <= 2**53``) -> ``"float"`` (missing -> NaN);
* anything else -> ``"str"`` with ``str(v)`` for each present value. Numbers never lose
  information: when a numeric kind cannot hold every value exactly, the column is text.
"""

from __future__ import annotations

import itertools
import math
import types
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from .._util.arrays import readonly

__all__ = ["COLUMN_KINDS", "Column", "ColumnKind", "frozen_columns", "is_missing"]

MISSING = "(missing)"  # how a missing value is written in stratum labels

ColumnKind = Literal["str", "float", "int", "bool"]
COLUMN_KINDS: tuple[ColumnKind, ...] = ("str", "float", "int", "bool")

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1
_FLOAT_EXACT = 2**53
# pandas.NA and NaT are recognised by type name so that pandas need not be imported.
_MISSING_TYPE_NAMES = frozenset({"NAType", "NaTType"})


def is_missing(v: Any) -> bool:
    """True for the values that mean "no value": ``None``, float NaN, ``pandas.NA``, ``NaT``."""
    if v is None:
        return True
    if isinstance(v, (float, np.floating)):
        return math.isnan(v)
    if isinstance(v, np.datetime64):
        return bool(np.isnat(v))
    return type(v).__name__ in _MISSING_TYPE_NAMES


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _is_bool(v: Any) -> bool:
    return isinstance(v, (bool, np.bool_))


_PACK_CHARS = 3  # code points (21 bits each) that fit one uint64 key


def _short_unicode(values: npt.NDArray[np.str_]) -> Column | None:
    """A numpy ``U`` array of at most 3 characters per value (class codes, region names) as a
    text column without a Python string per row; None for longer values.

    Each value's code points are packed, first most significant, into one integer, so integer
    order is code point order (a shorter value first, as its missing characters are 0). The
    values are exactly those ``tolist()`` gives (numpy drops trailing NULs either way).
    """
    k = values.dtype.itemsize // 4
    if k > _PACK_CHARS or values.size == 0:
        return None
    cp = np.ascontiguousarray(values).view(np.uint32).reshape(-1, k).astype(np.uint64)
    key = cp[:, 0].copy()
    for j in range(1, k):
        key <<= np.uint64(21)
        key |= cp[:, j]
    distinct = np.unique(key)
    codes = np.searchsorted(distinct, key).astype(np.int32)
    cats = []
    for x in distinct.tolist():
        chars = [(x >> (21 * (k - 1 - j))) & 0x1FFFFF for j in range(k)]
        cats.append("".join(chr(c) for c in chars).rstrip("\x00"))
    return Column("str", codes, tuple(cats))


@attrs.frozen(eq=False)
class Column:
    """One registry column.

    ``kind``: ``"str"`` (``data`` = int32 codes into ``categories``, -1 missing), ``"float"``
    (float64, NaN missing), ``"int"`` (int64, no missing) or ``"bool"`` (bool, no missing).
    ``data`` is made read-only on construction.
    """

    kind: ColumnKind
    data: npt.NDArray[Any] = attrs.field(converter=readonly)
    categories: tuple[str, ...] = ()

    def __len__(self) -> int:
        return int(self.data.shape[0])

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_strings(cls, values: Sequence[str | None] | npt.NDArray[Any]) -> Column:
        """Text values (``None`` = missing) into sorted categories and codes."""
        if (
            isinstance(values, np.ndarray)
            and values.dtype.kind == "U"
            and values.dtype.isnative
            and values.ndim == 1
        ):
            short = _short_unicode(values)
            if short is not None:
                return short
        # A dict over the distinct values, not numpy's U dtype: U silently drops trailing NULs
        # and sorting it is slower than hashing for the usual few-distinct-values column.
        raw = values.tolist() if isinstance(values, np.ndarray) else list(values)
        vals: list[str | None] = [v if v is None or type(v) is str else str(v) for v in raw]
        cats = sorted({v for v in vals if v is not None})
        index: dict[str | None, int] = {c: i for i, c in enumerate(cats)}
        index[None] = -1
        codes = np.fromiter((index[v] for v in vals), np.int32, len(vals))
        return cls("str", codes, tuple(cats))

    @classmethod
    def from_codes(cls, codes: npt.NDArray[Any], categories: Sequence[str]) -> Column:
        """From any codes/categories pair (e.g. a pandas Categorical); re-sorted to canonical form.

        ``codes`` index ``categories``; any negative code means missing. Unused categories are
        dropped, so the result depends on the values only.
        """
        cats = [str(c) for c in categories]
        raw = np.asarray(codes)
        if all(a < b for a, b in itertools.pairwise(cats)):  # already canonical order: no remap
            return cls("str", np.maximum(raw, -1).astype(np.int32), tuple(cats)).compact()
        if len(set(cats)) != len(cats):
            raise ValueError("categories must be distinct")
        # Python's sort is linear on nearly-sorted input, which the vectorised adapters supply.
        order = sorted(range(len(cats)), key=cats.__getitem__)
        remap = np.empty(len(cats) + 1, np.int32)
        remap[-1] = -1  # every negative code is clipped to -1, which indexes this last slot
        remap[np.asarray(order, np.intp)] = np.arange(len(cats), dtype=np.int32)
        mapped = remap[np.maximum(raw.astype(np.int64, copy=False), -1)]
        return cls("str", mapped, tuple(cats[i] for i in order)).compact()

    @classmethod
    def from_values(cls, values: Sequence[Any] | npt.NDArray[Any]) -> Column:
        """Python values into the column kind the module docstring's rules give."""
        vals = values.tolist() if isinstance(values, np.ndarray) else list(values)
        missing = [is_missing(v) for v in vals]
        present = [v for v, m in zip(vals, missing) if not m]
        any_missing = len(present) != len(vals)
        if present and all(_is_bool(v) for v in present):
            if not any_missing:
                return cls("bool", np.array(vals, bool))
        elif present and all(_is_int(v) or isinstance(v, (float, np.floating)) for v in present):
            ints = [int(v) for v in present if _is_int(v)]
            if not any_missing and len(ints) == len(present):
                if all(_INT64_MIN <= i <= _INT64_MAX for i in ints):
                    return cls("int", np.array(ints, np.int64))
            elif all(-_FLOAT_EXACT <= i <= _FLOAT_EXACT for i in ints):
                out = np.array(
                    [math.nan if m else float(v) for v, m in zip(vals, missing)], np.float64
                )
                return cls("float", out)
        return cls.from_strings([None if m else str(v) for v, m in zip(vals, missing)])

    # -- canonical form -----------------------------------------------------------------------
    def compact(self) -> Column:
        """This column with categories no row uses dropped (self if there are none)."""
        if self.kind != "str" or not self.categories:
            return self
        used = np.zeros(len(self.categories) + 1, bool)
        used[self.data] = True  # code -1 marks the spare last slot
        used = used[:-1]
        if used.all():
            return self
        keep = (np.cumsum(used) - 1).astype(np.int32)
        remap = np.append(keep, np.int32(-1))
        cats = tuple(c for c, u in zip(self.categories, used.tolist()) if u)
        return Column("str", remap[self.data], cats)

    # -- access -------------------------------------------------------------------------------
    @property
    def missing(self) -> npt.NDArray[np.bool_]:
        out: npt.NDArray[np.bool_]
        if self.kind == "str":
            out = self.data < 0
        elif self.kind == "float":
            out = np.isnan(self.data)
        else:
            out = np.zeros(len(self), bool)
        return out

    def take(self, idx: npt.NDArray[np.intp]) -> Column:
        """Rows ``idx`` (categories kept as they are; see :meth:`compact`)."""
        return Column(self.kind, self.data[idx], self.categories)

    def value_at(self, i: int) -> Any:
        """The Python value of row ``i`` (``None`` when missing)."""
        v = self.data[i]
        if self.kind == "str":
            return None if v < 0 else self.categories[int(v)]
        if self.kind == "float":
            f = float(v)
            return None if math.isnan(f) else f
        if self.kind == "int":
            return int(v)
        return bool(v)

    def to_list(self) -> list[Any]:
        if self.kind == "str":
            cats = np.array([*self.categories, None], dtype=object)
            return list(cats[self.data].tolist())
        if self.kind == "float":
            return [None if math.isnan(f) else f for f in self.data.tolist()]
        return list(self.data.tolist())

    def label(self, value: Any) -> str:
        """How a value is written in a stratum label (docs/spec.md §5, step 2).

        Text as is; ints in decimal; ``true``/``false``; a float in decimal when it is an
        integer of magnitude below 2**53, else Python's ``repr`` (the shortest round-trip form,
        e.g. ``0.5``, ``1e-05``); a missing value as ``(missing)``.
        """
        if value is None:
            return MISSING
        if self.kind == "bool":
            return "true" if value else "false"
        if self.kind == "float":
            f = float(value)
            if f.is_integer() and abs(f) < 2.0**53:
                return str(int(f))
            return repr(f)
        return str(value)

    def mask_in(self, values: Sequence[Any]) -> npt.NDArray[np.bool_]:
        """Rows whose value is one of ``values`` (text compared as text, numbers as numbers)."""
        if self.kind == "str":
            wanted = {str(v) for v in values}
            hit = np.array([c in wanted for c in self.categories] + [False], bool)
            out: npt.NDArray[np.bool_] = hit[self.data]
            return out
        if self.kind == "bool":
            return np.isin(self.data, [bool(v) for v in values])
        nums = []
        for v in values:
            try:
                nums.append(float(v))
            except (TypeError, ValueError):
                continue
        return np.isin(self.data, np.asarray(nums, np.float64))

    def as_float(self) -> npt.NDArray[np.float64]:
        if self.kind == "str":
            raise TypeError("text column")
        return self.data.astype(np.float64)


def frozen_columns(m: Mapping[str, Column]) -> Mapping[str, Column]:
    """A read-only copy of a registry's extra columns (the attrs converter of both registries)."""
    return types.MappingProxyType(dict(m))
