"""Inspectors (执法检查人员名录库 and 专家库): the registry the second random draws teams from.

One row per person, keyed by a unique ID (the same ID rules as :class:`~shuangsuiji.Targets`).
The standard columns, by their standard names (``names=`` maps them to other headers, e.g.
``{"name": "姓名", "certificate": "执法证号"}``):

============== ======== ==================================================================
column         required value
============== ======== ==================================================================
name           yes      text (姓名)
unit           yes      text: the department or bureau (单位), e.g. 河北省生态环境厅
region         officers text; an expert may leave it empty
qualifications yes      fields (执法资质/业务专长): a list, or one string separated by ``;``
                        or the full-width ``；``; the column must exist, a cell may be empty
role           yes      ``officer`` or ``expert`` (also 执法人员 / 专家; English in any case)
certificate    officers text: the enforcement certificate number (执法证号), unique
capacity       no       a whole number >= 0: the most visits in this plan; empty = no limit
conflicts      no       target IDs this person must never inspect (回避): list or ``;`` string
active         no       true/false, 1/0, yes/no or 是/否; inactive people are never assigned
============== ======== ==================================================================

Any other column is kept as it is (:class:`~shuangsuiji.registry.columns.Column`, by the rules Targets
uses), e.g. a phone number for notices.

Normalisation, the same for every input route: text values of the standard columns are trimmed
of leading and trailing whitespace (``str.strip``, which includes the ideographic space U+3000),
and an empty or all-whitespace value is missing; integers are written in decimal (``42`` ->
``"42"``, as IDs are); floats and bools are refused as text because their text is ambiguous.
List entries are trimmed, de-duplicated and sorted (code-point order), and may not be empty or
contain a separator (``;`` or ``；``), so that the list and string forms say the same thing. A
missing capacity means no limit (``None``, NaN, ``pandas.NA``, an empty cell: the library's one
notion of missing), a missing ``active`` value is an error (leave the column out to mean
"everyone is active").

Columnar inside, like Targets: text columns as numpy object arrays, qualifications and
conflicts in CSR form (``indptr`` + values). Every array is read-only. Rows in messages are
0-based indexes for in-memory input and 1-based data rows of a file (``"row 5 of 'x.csv'"``);
messages name the row, the person's ID, the column and the value.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .._util.arrays import readonly_vector
from .._util.hashing import tagged_sha256
from ..errors import InputError
from . import dataframes as frames
from .columns import Column, frozen_columns
from .files import read_parquet_table
from .fingerprint import registry_fingerprint
from .ids import Rows
from .inspector_cells import ROLES, SEPARATORS
from .inspector_input import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    STANDARD_COLUMNS,
    RawInspectors,
    raw_from_csv,
    raw_from_rows,
    raw_from_table,
    standard_headers,
)
from .inspector_rows import inspector_arrays
from .targets import find_id, ids_text

__all__ = [
    "INSPECTORS_FINGERPRINT_TAG",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ROLES",
    "SEPARATORS",
    "STANDARD_COLUMNS",
    "Inspectors",
]

INSPECTORS_FINGERPRINT_TAG = "shuangsuiji/inspectors/v1"


# -- small helpers ---------------------------------------------------------------------------------
def _array(a: Any) -> npt.NDArray[Any]:
    return readonly_vector(a, "Inspectors arrays")


def _ids(a: Any) -> npt.NDArray[np.bytes_]:
    return readonly_vector(a, "Inspectors ID arrays", kind="S")


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    # a typed ``tuple``: mypy's attrs plugin cannot solve the bare generic converter
    return tuple(values)


@attrs.frozen(eq=False)
class Inspectors:
    """An immutable registry of inspection officers and experts keyed by a unique string ID.

    Build one with :meth:`from_records`, :meth:`from_csv` or :meth:`from_parquet`; they validate
    every value (see the module docstring) and raise :class:`~shuangsuiji.InputError` naming the
    row, ID, column and value at fault. The bare constructor checks only shapes.

    Arrays, all read-only and in input row order:

    * ``id_bytes``: the IDs' UTF-8 bytes (numpy ``S``), as in Targets;
    * ``name``, ``unit``, ``region``, ``certificate``: object arrays of ``str`` (``""`` when an
      expert has no region or certificate);
    * ``is_expert``, ``active``: bool; ``capacity``: int64, ``-1`` = no limit;
    * qualifications in CSR form: person ``i`` holds ``fields[c]`` for ``c`` in
      ``qual_codes[qual_indptr[i]:qual_indptr[i+1]]`` (int32, ascending, distinct), ``fields``
      being every qualification held by anyone, sorted by code point;
    * conflicts in CSR form: ``conflict_ids[conflict_indptr[i]:conflict_indptr[i+1]]``, the
      target IDs person ``i`` must never inspect, as UTF-8 bytes, ascending and distinct.

    ``columns`` holds the extra columns. The fingerprint does not depend on row order.
    """

    id_column: str
    id_bytes: npt.NDArray[np.bytes_] = attrs.field(repr=False, converter=_ids)
    name: npt.NDArray[np.object_] = attrs.field(repr=False, converter=_array)
    unit: npt.NDArray[np.object_] = attrs.field(repr=False, converter=_array)
    region: npt.NDArray[np.object_] = attrs.field(repr=False, converter=_array)
    certificate: npt.NDArray[np.object_] = attrs.field(repr=False, converter=_array)
    is_expert: npt.NDArray[np.bool_] = attrs.field(repr=False, converter=_array)
    active: npt.NDArray[np.bool_] = attrs.field(repr=False, converter=_array)
    capacity: npt.NDArray[np.int64] = attrs.field(repr=False, converter=_array)
    fields: tuple[str, ...] = attrs.field(repr=False, converter=_str_tuple)
    qual_indptr: npt.NDArray[np.int64] = attrs.field(repr=False, converter=_array)
    qual_codes: npt.NDArray[np.int32] = attrs.field(repr=False, converter=_array)
    conflict_indptr: npt.NDArray[np.int64] = attrs.field(repr=False, converter=_array)
    conflict_ids: npt.NDArray[np.bytes_] = attrs.field(repr=False, converter=_ids)
    columns: Mapping[str, Column] = attrs.field(factory=dict, repr=False, converter=frozen_columns)
    source: str | None = attrs.field(default=None, kw_only=True, repr=False)

    def __attrs_post_init__(self) -> None:
        n = self.id_bytes.shape[0]
        for label in ("name", "unit", "region", "certificate", "is_expert", "active", "capacity"):
            a = getattr(self, label)
            if a.shape[0] != n:
                raise InputError(f"{label} has {a.shape[0]} rows but there are {n} IDs")
        for label, indptr, data in (
            ("qualifications", self.qual_indptr, self.qual_codes),
            ("conflicts", self.conflict_indptr, self.conflict_ids),
        ):
            if indptr.shape[0] != n + 1 or int(indptr[0]) != 0 or int(indptr[-1]) != data.shape[0]:
                raise InputError(
                    f"{label}: indptr must have {n + 1} entries from 0 to {data.shape[0]}"
                )
            if np.any(np.diff(indptr) < 0):
                raise InputError(f"{label}: indptr must not decrease")
        if self.qual_codes.size and (
            int(self.qual_codes.min()) < 0 or int(self.qual_codes.max()) >= len(self.fields)
        ):
            raise InputError(f"qual_codes must index fields (0..{len(self.fields) - 1})")
        for name, col in self.columns.items():
            if name == self.id_column or name in STANDARD_COLUMNS:
                raise InputError(f"extra column {name!r} has the name of a standard column")
            if len(col) != n:
                raise InputError(f"column {name!r} has {len(col)} rows but there are {n} IDs")

    def __len__(self) -> int:
        return int(self.id_bytes.shape[0])

    def __repr__(self) -> str:
        experts = int(self.is_expert.sum())
        return (
            f"Inspectors({len(self) - experts} officers, {experts} experts, "
            f"id={self.id_column!r}, fields={list(self.fields)}, extra columns={list(self.columns)})"
        )

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_records(
        cls,
        rows: Iterable[Mapping[str, Any]] | Any,
        id: str = "id",
        *,
        names: Mapping[str, str] | None = None,
    ) -> Inspectors:
        """From an iterable of mappings, a pandas or polars DataFrame, or a pyarrow Table.

        ``names`` maps standard column names to the input's (``{"name": "姓名"}``). List
        columns may hold Python lists (pandas object columns, polars/Arrow list columns) or
        ``;``-separated strings. Raises InputError naming the row (0-based index), ID, column
        and value at fault.
        """
        headers = standard_headers(names, id)
        kind = frames.table_kind(rows)
        if kind is not None:
            return cls._build(raw_from_table(rows, kind, id, headers, Rows()))
        if isinstance(rows, (str, bytes)):
            raise InputError(
                "rows must be an iterable of mappings, not a string; for a file use "
                "Inspectors.from_csv or Inspectors.from_parquet"
            )
        return cls._build(raw_from_rows(rows, id, headers))

    @classmethod
    def from_csv(
        cls,
        path: str | os.PathLike[str],
        id: str = "id",
        *,
        delimiter: str = ",",
        names: Mapping[str, str] | None = None,
    ) -> Inspectors:
        """From a UTF-8 CSV file (BOM optional; the contract of :mod:`shuangsuiji.registry.files`).

        List cells are ``;``- or ``；``-separated. Non-UTF-8 input is refused with the byte
        offset of the first bad byte. Rows in messages are 1-based data rows.
        """
        headers = standard_headers(names, id)
        return cls._build(raw_from_csv(path, id, headers, delimiter), os.fspath(path))

    @classmethod
    def from_parquet(
        cls, path: str | os.PathLike[str], id: str = "id", *, names: Mapping[str, str] | None = None
    ) -> Inspectors:
        """From a Parquet file (needs the ``arrow`` extra); list columns may be Arrow lists."""
        headers = standard_headers(names, id)
        table = read_parquet_table(path)
        name = os.fspath(path)
        return cls._build(raw_from_table(table, "arrow", id, headers, Rows(name)), name)

    @classmethod
    def _build(cls, raw: RawInspectors, source: str | None = None) -> Inspectors:
        """Validate and build (:mod:`.inspector_rows`); the extra columns are kept as read."""
        a = inspector_arrays(raw, source)
        return cls(
            raw.id_column,
            a.id_bytes,
            a.name,
            a.unit,
            a.region,
            a.certificate,
            a.is_expert,
            a.active,
            a.capacity,
            a.fields,
            a.qual_indptr,
            a.qual_codes,
            a.conflict_indptr,
            a.conflict_ids,
            raw.extras,
            source=source,
        )

    # -- access -------------------------------------------------------------------------------
    @property
    def is_officer(self) -> npt.NDArray[np.bool_]:
        """``~is_expert``."""
        out: npt.NDArray[np.bool_] = ~self.is_expert
        return out

    @property
    def column_names(self) -> tuple[str, ...]:
        """The ID column, the standard columns, then the extra columns in input order."""
        return (self.id_column, *STANDARD_COLUMNS, *self.columns)

    def ids(self, idx: npt.NDArray[np.intp] | None = None) -> list[str]:
        """IDs as str (all, or the rows ``idx``)."""
        return ids_text(self.id_bytes, idx)

    def index_of(self, inspector_id: str | int) -> int:
        """The row position of an ID; InputError if it is not in the registry."""
        row = find_id(self.id_bytes, inspector_id)
        if row is None:
            raise InputError(
                f"ID {inspector_id!r} is not in the inspectors (column {self.id_column!r})"
            )
        return row

    def __contains__(self, inspector_id: object) -> bool:
        return find_id(self.id_bytes, inspector_id) is not None

    def qualifications(self, i: int) -> tuple[str, ...]:
        """Person ``i``'s qualifications, sorted."""
        lo, hi = int(self.qual_indptr[i]), int(self.qual_indptr[i + 1])
        return tuple(self.fields[c] for c in self.qual_codes[lo:hi].tolist())

    @functools.cached_property
    def _qual_rows(self) -> npt.NDArray[np.intp]:
        out: npt.NDArray[np.intp] = np.repeat(
            np.arange(len(self), dtype=np.intp), np.diff(self.qual_indptr)
        )
        return out

    def qualified(self, field: str) -> npt.NDArray[np.bool_]:
        """Who holds ``field`` (all False if nobody does); a new, writable array."""
        out = np.zeros(len(self), bool)
        try:
            k = self.fields.index(field)
        except ValueError:
            return out
        out[self._qual_rows[self.qual_codes == k]] = True
        return out

    def conflicts(self, i: int) -> tuple[str, ...]:
        """The target IDs person ``i`` must never inspect, in byte order."""
        lo, hi = int(self.conflict_indptr[i]), int(self.conflict_indptr[i + 1])
        return tuple(b.decode("utf-8") for b in self.conflict_ids[lo:hi].tolist())

    def role(self, i: int) -> str:
        """``"officer"`` or ``"expert"``."""
        return "expert" if self.is_expert[i] else "officer"

    def column(self, name: str) -> Column:
        """An extra column, or a scalar standard column (name, unit, region, certificate, role,
        capacity with -1 = no limit, active) as a :class:`Column`; InputError otherwise."""
        if name in self.columns:
            return self.columns[name]
        if name in ("name", "unit", "region", "certificate"):
            return Column.from_strings([v or None for v in getattr(self, name).tolist()])
        if name == "role":
            return Column.from_strings(["expert" if e else "officer" for e in self.is_expert])
        if name == "capacity":
            return Column("int", self.capacity.copy())
        if name == "active":
            return Column("bool", self.active.copy())
        if name in ("qualifications", "conflicts"):
            raise InputError(
                f"{name!r} is a list column; use Inspectors.{name}(i) or the CSR arrays"
            )
        raise InputError(
            f"column {name!r} does not exist in the inspectors; columns are {list(self.column_names)}"
        )

    # -- export --------------------------------------------------------------------------------
    def _standard_lists(self) -> dict[str, list[Any]]:
        n = len(self)
        return {
            "name": self.name.tolist(),
            "unit": self.unit.tolist(),
            "region": [v or None for v in self.region.tolist()],
            "qualifications": [list(self.qualifications(i)) for i in range(n)],
            "role": ["expert" if e else "officer" for e in self.is_expert.tolist()],
            "certificate": [v or None for v in self.certificate.tolist()],
            "capacity": [None if c < 0 else c for c in self.capacity.tolist()],
            "conflicts": [list(self.conflicts(i)) for i in range(n)],
            "active": self.active.tolist(),
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per row: the ID column, the standard columns (lists as lists, ``None`` for
        an empty region/certificate or no capacity limit), then the extra columns."""
        std = self._standard_lists()
        keys = [self.id_column, *STANDARD_COLUMNS, *self.columns]
        values = [
            self.ids(),
            *(std[k] for k in STANDARD_COLUMNS),
            *(c.to_list() for c in self.columns.values()),
        ]
        return [dict(zip(keys, row)) for row in zip(*values)]

    def to_pandas(self) -> Any:
        """A pandas DataFrame (the ``pandas`` extra): lists in object columns, capacity as
        nullable ``Int64`` (NA = no limit), text extras as Categorical."""
        pd = frames.require("pandas", "Inspectors.to_pandas")
        std = self._standard_lists()
        data: dict[str, Any] = {self.id_column: np.array(self.ids(), dtype=object)}
        for k in STANDARD_COLUMNS:
            if k == "capacity":
                data[k] = pd.array(std[k], dtype="Int64")
            elif k == "active":
                data[k] = np.array(std[k], bool)
            else:
                col = np.empty(len(self), dtype=object)
                col[:] = std[k]
                data[k] = col
        for k, c in self.columns.items():
            if c.kind == "str":
                data[k] = pd.Categorical.from_codes(np.asarray(c.data), categories=c.categories)
            else:
                data[k] = np.array(c.data)
        return pd.DataFrame(data)

    def canonical_columns(self) -> dict[str, Column]:
        """The registry as plain columns (the data model of docs/fingerprint.md §4): the
        standard columns in canonical form (lists joined by ``;``, capacity -1 = no limit),
        then the extra columns. What the fingerprint hashes."""
        std = self._standard_lists()
        joined = {k: [";".join(v) or None for v in std[k]] for k in ("qualifications", "conflicts")}
        out: dict[str, Column] = {
            "name": Column.from_strings(std["name"]),
            "unit": Column.from_strings(std["unit"]),
            "region": Column.from_strings(std["region"]),
            "qualifications": Column.from_strings(joined["qualifications"]),
            "role": Column.from_strings(std["role"]),
            "certificate": Column.from_strings(std["certificate"]),
            "capacity": Column("int", self.capacity.copy()),
            "conflicts": Column.from_strings(joined["conflicts"]),
            "active": Column("bool", self.active.copy()),
        }
        out.update(self.columns)
        return out

    @functools.cached_property
    def fingerprint(self) -> str:
        """Hex SHA-256 of the registry's contents, independent of row order and of the input's
        headers and forms (docs/fingerprint.md, "Inspectors"); computed on first access."""
        inner = registry_fingerprint(self.id_column, self.id_bytes, self.canonical_columns())
        return tagged_sha256(INSPECTORS_FINGERPRINT_TAG, bytes.fromhex(inner)).hex()
