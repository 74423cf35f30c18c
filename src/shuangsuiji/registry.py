"""Targets (检查对象名录库): the registry a draw samples from.

Columnar inside: IDs are a fixed-width array of their UTF-8 bytes, every other column a
:class:`~shuangsuiji.columns.Column`. Records, DataFrames, Arrow tables and files are accepted at
the edge and validated there; bad input raises :class:`InputError` naming the culprit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .columns import Column
from .errors import InputError

__all__ = ["Targets"]


@attrs.frozen(eq=False)
class Targets:
    """An immutable registry of inspection targets keyed by a unique string ID."""

    id_column: str
    id_bytes: npt.NDArray[np.bytes_] = attrs.field(repr=False)
    columns: Mapping[str, Column] = attrs.field(repr=False)

    def __len__(self) -> int:
        return int(self.id_bytes.shape[0])

    def __repr__(self) -> str:
        return f"Targets({len(self)} rows, id={self.id_column!r}, columns={list(self.columns)})"

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_records(cls, rows: Iterable[Mapping[str, Any]] | Any, id: str = "id") -> Targets:
        """From an iterable of mappings (or a pandas/polars DataFrame or pyarrow Table)."""
        rows = list(rows)
        if not rows:
            raise InputError("no targets: the registry is empty")
        names: list[str] = []
        seen: set[str] = set()
        for r in rows:
            for k in r:
                if k not in seen:
                    seen.add(k)
                    names.append(k)
        if id not in seen:
            raise InputError(f"ID column {id!r} not found; columns are {names}")
        data = {k: [r.get(k) for r in rows] for k in names}
        return cls.from_columns(data.pop(id), data, id=id)

    @classmethod
    def from_columns(
        cls, ids: Iterable[Any], columns: Mapping[str, Any], id: str = "id"
    ) -> Targets:
        """From an ID sequence and a mapping of column name to values."""
        id_arr = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=object)
        strs = [str(v) if not isinstance(v, str) else v for v in id_arr.tolist()]
        from .prn import id_bytes_array

        idb = id_bytes_array(np.array(strs, dtype=str))
        cols = {name: _column(name, values) for name, values in columns.items()}
        return cls(id, idb, cols)

    # -- access -------------------------------------------------------------------------------
    def column(self, name: str) -> Column:
        """The named column; a missing name is an InputError listing what exists."""
        try:
            return self.columns[name]
        except KeyError:
            raise InputError(
                f"column {name!r} does not exist in the targets; columns are "
                f"{[self.id_column, *self.columns]}"
            ) from None

    def ids(self, idx: npt.NDArray[np.intp] | None = None) -> list[str]:
        """IDs as str (all, or the rows ``idx``)."""
        b = self.id_bytes if idx is None else self.id_bytes[idx]
        return [x.decode("utf-8") for x in b.tolist()]

    @functools.cached_property
    def fingerprint(self) -> str:
        """Hex SHA-256 of the canonical, row-order independent serialisation (docs/spec.md §4)."""
        from .fingerprint import registry_fingerprint

        return registry_fingerprint(self.id_column, self.id_bytes, self.columns)


def _column(name: str, values: Any) -> Column:
    vals = list(values)
    present = [v for v in vals if v is not None and not (isinstance(v, float) and v != v)]
    if present and all(isinstance(v, bool) for v in present) and len(present) == len(vals):
        return Column("bool", np.array(vals, bool))
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        if len(present) == len(vals) and all(isinstance(v, int) for v in present):
            return Column("int", np.array(vals, np.int64))
        return Column("float", np.array([np.nan if v is None else v for v in vals], np.float64))
    return Column.from_strings([None if v is None else str(v) for v in vals])
