"""Typed, immutable columns for registries: text as sorted categories + codes, numbers as arrays.

Text columns are stored as ``codes`` (int32, -1 = missing) into ``categories``, a sorted tuple
of distinct strings. Sorted categories make the codes canonical: two registries with the same
contents have the same categories and codes whatever their row order, so grouping, equality tests
and the fingerprint work on small integer arrays instead of Python strings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["Column", "ColumnKind"]

ColumnKind = Literal["str", "float", "int", "bool"]


def _readonly(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    a.setflags(write=False)
    return a


@attrs.frozen(eq=False)
class Column:
    """One registry column.

    ``kind``: ``"str"`` (``data`` = int32 codes into ``categories``, -1 missing), ``"float"``
    (float64, NaN missing), ``"int"`` (int64, no missing) or ``"bool"`` (bool, no missing).
    """

    kind: ColumnKind
    data: npt.NDArray[Any] = attrs.field(converter=_readonly)
    categories: tuple[str, ...] = ()

    def __len__(self) -> int:
        return int(self.data.shape[0])

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_strings(cls, values: Sequence[str | None] | npt.NDArray[Any]) -> Column:
        """Text values (``None`` = missing) into sorted categories and codes."""
        arr = np.asarray(values, dtype=object)
        missing = np.fromiter((v is None for v in arr.tolist()), bool, arr.size)
        present = arr[~missing].astype(str)
        cats, inverse = np.unique(present, return_inverse=True)
        codes = np.full(arr.size, -1, np.int32)
        codes[~missing] = inverse.astype(np.int32)
        return cls("str", codes, tuple(str(c) for c in cats.tolist()))

    @classmethod
    def from_codes(cls, codes: npt.NDArray[Any], categories: Sequence[str]) -> Column:
        """From any codes/categories pair (e.g. a pandas Categorical); re-sorted to canonical form."""
        cats = [str(c) for c in categories]
        order = sorted(range(len(cats)), key=lambda i: cats[i])
        if len(set(cats)) != len(cats):
            raise ValueError("categories must be distinct")
        remap = np.empty(len(cats) + 1, np.int32)
        remap[-1] = -1  # code -1 (missing) indexes the last slot
        for new, old in enumerate(order):
            remap[old] = new
        codes = np.asarray(codes).astype(np.int64)
        mapped = remap[codes]
        # drop categories no row uses, so the representation depends on the contents only
        used = np.zeros(len(cats), bool)
        used[mapped[mapped >= 0]] = True
        if not used.all():
            keep = np.cumsum(used) - 1
            mapped = np.where(mapped >= 0, keep[np.maximum(mapped, 0)], -1)
            sorted_cats = [cats[i] for i in order]
            return cls(
                "str",
                mapped.astype(np.int32),
                tuple(c for c, u in zip(sorted_cats, used) if u),
            )
        return cls("str", mapped.astype(np.int32), tuple(cats[i] for i in order))

    # -- access -------------------------------------------------------------------------------
    @property
    def missing(self) -> npt.NDArray[np.bool_]:
        if self.kind == "str":
            return self.data < 0
        if self.kind == "float":
            return np.isnan(self.data)
        return np.zeros(len(self), bool)

    def take(self, idx: npt.NDArray[np.intp]) -> Column:
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
        """How a value of this column is written in a stratum label."""
        if value is None:
            return "(missing)"
        if self.kind == "float" and float(value).is_integer():
            return str(int(value))
        return str(value)

    def mask_in(self, values: Sequence[Any]) -> npt.NDArray[np.bool_]:
        """Rows whose value is one of ``values`` (text compared as text, numbers as numbers)."""
        if self.kind == "str":
            wanted = {str(v) for v in values}
            hit = np.array([c in wanted for c in self.categories] + [False], bool)
            return hit[self.data]
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
