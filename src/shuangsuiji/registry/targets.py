"""Targets (检查对象名录库): the registry a draw samples from.

Columnar inside: IDs are a fixed-width array of their UTF-8 bytes, every other column a
:class:`~shuangsuiji.registry.columns.Column`. Records, DataFrames, Arrow tables and files are accepted at
the edge and validated there (:mod:`.dataframes`, :mod:`.files`); bad input raises
:class:`InputError` naming the culprit. Rows in messages are 0-based indexes for in-memory input
and 1-based data rows ("row 5 of 'x.csv'") for files.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .._util.arrays import readonly, readonly_vector
from ..errors import InputError
from . import dataframes as frames
from .columns import Column, frozen_columns
from .files import read_csv, read_parquet
from .fingerprint import registry_fingerprint
from .ids import Rows, canonical_id, check_ids

__all__ = ["Targets"]


def _id_bytes(a: Any) -> npt.NDArray[np.bytes_]:
    return readonly_vector(a, "id_bytes", kind="S")


def ids_text(
    id_bytes: npt.NDArray[np.bytes_], idx: npt.NDArray[np.intp] | None = None
) -> list[str]:
    """The IDs of a registry's ``S`` array as str (all, or the rows ``idx``)."""
    b = id_bytes if idx is None else id_bytes[idx]
    return [x.decode("utf-8") for x in b.tolist()]


def find_id(id_bytes: npt.NDArray[np.bytes_], value: object) -> int | None:
    """The first row whose ID is ``value`` (text, or an integer in decimal), else None.

    A vectorised scan of the ``S`` array; a value that cannot be an ID (a float, text with NUL,
    longer than the array's width) is in no row. Shared by the target and inspector registries.
    """
    text = canonical_id(value)
    if text is None or "\x00" in text:
        return None
    key = text.encode("utf-8")
    if not key or len(key) > id_bytes.dtype.itemsize:
        return None
    hits = np.flatnonzero(id_bytes == key)
    return int(hits[0]) if hits.size else None


@attrs.frozen(eq=False)
class Targets:
    """An immutable registry of inspection targets keyed by a unique string ID.

    Build one with :meth:`from_records`, :meth:`from_columns`, :meth:`from_csv` or
    :meth:`from_parquet`; they validate the IDs (non-empty, no NUL, no leading or trailing
    whitespace, unique). The bare constructor checks only shapes and trusts the IDs.

    ``source`` names the file a registry was read from; row numbers in messages then refer to
    its data rows. Row order is the input's and is kept by every method except the fingerprint,
    which does not depend on it.
    """

    id_column: str
    id_bytes: npt.NDArray[np.bytes_] = attrs.field(repr=False, converter=_id_bytes)
    columns: Mapping[str, Column] = attrs.field(repr=False, converter=frozen_columns)
    source: str | None = attrs.field(default=None, kw_only=True, repr=False)

    def __attrs_post_init__(self) -> None:
        n = self.id_bytes.shape[0]
        for name, col in self.columns.items():
            if name == self.id_column:
                raise InputError(f"column {name!r} is also the ID column")
            if len(col) != n:
                raise InputError(f"column {name!r} has {len(col)} rows but there are {n} IDs")

    def __len__(self) -> int:
        return int(self.id_bytes.shape[0])

    def __repr__(self) -> str:
        return f"Targets({len(self)} rows, id={self.id_column!r}, columns={list(self.columns)})"

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def _checked(
        cls,
        id: str,
        parsed: tuple[npt.NDArray[np.bytes_], dict[str, Column]],
        source: str | None = None,
    ) -> Targets:
        idb, cols = parsed
        rows = Rows(source)
        if idb.shape[0] == 0:
            where = f"file {source!r}" if source else "the input"
            raise InputError(f"no targets: {where} has no rows, the registry is empty")
        check_ids(idb, id, rows)
        return cls(id, idb, cols, source=source)

    @classmethod
    def from_records(cls, rows: Iterable[Mapping[str, Any]] | Any, id: str = "id") -> Targets:
        """From an iterable of mappings, a pandas or polars DataFrame, or a pyarrow Table.

        IDs must be text or integers (written in decimal); each other column becomes one kind
        by the rules in :mod:`shuangsuiji.registry.columns`. DataFrame and Arrow inputs are converted
        column by column with numpy/Arrow, never row by row; their index is ignored.
        Raises InputError naming the row (0-based index) or column at fault.
        """
        if frames.table_kind(rows) is not None:
            return cls._checked(id, frames.from_table(rows, id))
        if isinstance(rows, (str, bytes)):
            raise InputError(
                "rows must be an iterable of mappings, not a string; for a file "
                "use Targets.from_csv or Targets.from_parquet"
            )
        return cls._checked(id, frames.from_rows(rows, id))

    @classmethod
    def from_columns(
        cls, ids: Iterable[Any], columns: Mapping[str, Any], id: str = "id"
    ) -> Targets:
        """From an ID sequence and a mapping of column name to values (list, array or Column)."""
        return cls._checked(id, frames.from_column_data(ids, columns, id))

    @classmethod
    def from_csv(
        cls, path: str | os.PathLike[str], id: str = "id", *, delimiter: str = ","
    ) -> Targets:
        """From a UTF-8 CSV file (BOM optional); see :mod:`shuangsuiji.registry.files` for the contract."""
        return cls._checked(id, read_csv(path, id, delimiter=delimiter), os.fspath(path))

    @classmethod
    def from_parquet(cls, path: str | os.PathLike[str], id: str = "id") -> Targets:
        """From a Parquet file (needs the ``arrow`` extra: ``pip install "shuangsuiji[arrow]"``)."""
        return cls._checked(id, read_parquet(path, id), os.fspath(path))

    # -- access -------------------------------------------------------------------------------
    @property
    def column_names(self) -> tuple[str, ...]:
        """All column names, the ID column first, then the others in input order."""
        return (self.id_column, *self.columns)

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
        return ids_text(self.id_bytes, idx)

    def index_of(self, target_id: str | int) -> int:
        """The row position of an ID; InputError if it is not in the registry.

        A vectorised scan (tens of milliseconds for ten million rows); no index is kept.
        """
        row = find_id(self.id_bytes, target_id)
        if row is None:
            raise InputError(f"ID {target_id!r} is not in the targets (column {self.id_column!r})")
        return row

    def __contains__(self, target_id: object) -> bool:
        return find_id(self.id_bytes, target_id) is not None

    def _where(self, i: int) -> str:
        return f"{Rows(self.source).at(i)}, ID {bytes(self.id_bytes[i]).decode('utf-8')!r}"

    def weights(self, column: str) -> npt.NDArray[np.float64]:
        """The named column as float64 weights, refusing non-numeric, missing, negative or
        infinite values with an InputError naming the column, row, ID and value."""
        col = self.column(column)
        if col.kind in ("str", "bool"):
            present = np.flatnonzero(~col.missing)
            eg = (
                f"; e.g. {col.value_at(int(present[0]))!r} at {self._where(int(present[0]))}"
                if present.size
                else ""
            )
            raise InputError(
                f"weight column {column!r} is {'text' if col.kind == 'str' else 'boolean'}, "
                f"not numeric{eg}"
            )
        w = np.asarray(col.data, np.float64)
        bad = np.flatnonzero(~(np.isfinite(w) & (w >= 0)))
        if bad.size:
            shown = "; ".join(
                f"{'missing' if np.isnan(w[i]) else repr(float(w[i]))} at {self._where(int(i))}"
                for i in bad[:3]
            )
            more = f"; and {bad.size - 3} more" if bad.size > 3 else ""
            raise InputError(
                f"weight column {column!r} has {bad.size} value(s) that are not finite "
                f"non-negative numbers: {shown}{more}"
            )
        return readonly(w)

    # -- derived registries and export --------------------------------------------------------
    def select(self, rows: npt.ArrayLike) -> Targets:
        """The rows picked by a boolean mask (length ``len(self)``) or by distinct positions,
        in that order. Text columns drop categories no kept row uses (canonical form)."""
        a = np.asarray(rows)
        n = len(self)
        if a.dtype == bool:
            if a.shape != (n,):
                raise InputError(f"a row mask must have shape ({n},); got {a.shape}")
            idx = np.flatnonzero(a)
        elif a.dtype.kind in "iu" or a.size == 0:
            idx = a.astype(np.intp).reshape(-1)
            if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= n):
                raise InputError(f"row positions must be in 0..{n - 1}")
            if np.unique(idx).size != idx.size:
                raise InputError("row positions repeat: a registry cannot hold a target twice")
        else:
            raise InputError(f"select() takes a boolean mask or integer positions, not {a.dtype}")
        cols = {k: c.take(idx).compact() for k, c in self.columns.items()}
        return Targets(self.id_column, self.id_bytes[idx], cols)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per row, ID column first; missing values are ``None``."""
        names = list(self.columns)
        values = [self.ids(), *(self.columns[k].to_list() for k in names)]
        keys = [self.id_column, *names]
        return [dict(zip(keys, row)) for row in zip(*values)]

    def to_pandas(self) -> Any:
        """A pandas DataFrame (the ``pandas`` extra); text columns as Categorical."""
        pd = frames.require("pandas", "Targets.to_pandas")
        data: dict[str, Any] = {self.id_column: np.array(self.ids(), dtype=object)}
        for k, c in self.columns.items():
            if c.kind == "str":
                data[k] = pd.Categorical.from_codes(np.asarray(c.data), categories=c.categories)
            else:
                data[k] = np.array(c.data)
        return pd.DataFrame(data)

    @functools.cached_property
    def fingerprint(self) -> str:
        """Hex SHA-256 of the canonical, row-order independent serialisation of all columns
        (docs/fingerprint.md); computed on first access."""
        return registry_fingerprint(self.id_column, self.id_bytes, self.columns)
