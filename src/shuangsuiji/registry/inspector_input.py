"""The three input routes of :class:`~shuangsuiji.registry.inspectors.Inspectors` (records;
pandas, polars or Arrow tables; CSV files) brought to one form, :class:`RawInspectors`: the IDs,
the raw values of the standard columns present, the extra columns, and how messages name rows
and columns. Header checks (``names=``, required columns, clashes) happen here; the values are
validated by :mod:`.inspector_rows`.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InputError
from . import dataframes as frames
from .columns import Column, is_missing
from .dataframes import check_names, row_names
from .files import decode_utf8, read_csv
from .ids import Rows, ids_from_objects

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "STANDARD_COLUMNS",
    "RawInspectors",
    "raw_from_csv",
    "raw_from_rows",
    "raw_from_table",
    "standard_headers",
]

REQUIRED_COLUMNS: tuple[str, ...] = (
    "name",
    "unit",
    "region",
    "qualifications",
    "role",
    "certificate",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("capacity", "conflicts", "active")
STANDARD_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


@attrs.frozen
class RawInspectors:
    """What every input route yields: IDs, per-row Python values of the standard columns
    present, the extra columns, and how to name rows and columns in messages."""

    id_column: str
    id_bytes: npt.NDArray[np.bytes_]
    values: dict[str, list[Any]]  # standard name -> raw value per row
    headers: dict[str, str]  # standard name -> the input's column name
    extras: dict[str, Column]
    rows: Rows
    input_columns: list[str]


def standard_headers(names: Mapping[str, str] | None, id: str) -> dict[str, str]:
    """Standard name -> input column name (identity unless ``names`` says otherwise)."""
    out = {s: s for s in STANDARD_COLUMNS}
    for k, v in (names or {}).items():
        if k not in out:
            raise InputError(
                f"names= maps {k!r}, which is not a standard inspector column; the standard "
                f"columns are {list(STANDARD_COLUMNS)}"
            )
        if not isinstance(v, str) or not v:
            raise InputError(f"names= must map {k!r} to a column name (text), not {v!r}")
        out[k] = v
    used = list(out.values())
    for h in used:
        if used.count(h) > 1:
            raise InputError(f"names= maps two standard columns to the same column {h!r}")
    if id in used:
        std = next(k for k, v in out.items() if v == id)
        raise InputError(
            f"the ID column {id!r} is also the {std!r} column; inspectors need their own ID column"
        )
    return out


def _split_names(
    input_columns: Sequence[Any], id: str, headers: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """(standard name -> input column, for those present; extra column names), checked."""
    cols = check_names(input_columns, id)
    seen = set(cols)
    present = {s: h for s, h in headers.items() if h in seen}
    missing = [headers[s] for s in REQUIRED_COLUMNS if s not in present]
    if missing:
        first = missing[0]
        near = difflib.get_close_matches(first, [c for c in cols if c not in present.values()], 1)
        hint = f" (did you mean {near[0]!r}? map it with names=)" if near else ""
        raise InputError(
            f"required inspector column(s) {missing} not found{hint}; columns are {cols}. "
            f"Inspectors need {list(REQUIRED_COLUMNS)} (names= maps them to other headers)"
        )
    renamed = {s for s, h in headers.items() if h != s}
    for c in cols:
        if c in renamed and c not in present.values():
            raise InputError(
                f"column {c!r} is a standard inspector column name but names= maps "
                f"{c!r} to {headers[c]!r}; rename or drop one of them"
            )
    extras = [c for c in cols if c != id and c not in present.values()]
    return present, extras


def _ids_of(values: list[Any], id: str, rows: Rows) -> npt.NDArray[np.bytes_]:
    missing = [i for i, v in enumerate(values) if is_missing(v)]
    if missing:
        raise InputError(
            f"missing ID in column {id!r} at {rows.at(missing)}: every inspector needs an ID"
        )
    return ids_from_objects(values, id, rows)


def raw_from_rows(
    rows_in: Iterable[Mapping[str, Any]], id: str, headers: dict[str, str]
) -> RawInspectors:
    """Records (an iterable of mappings): extras by :meth:`Column.from_values`."""
    rows = list(rows_in)
    names = row_names(rows, "inspectors")
    present, extras = _split_names(names, id, headers)
    rws = Rows()
    idb = _ids_of([r.get(id) for r in rows], id, rws)
    values = {s: [r.get(h) for r in rows] for s, h in present.items()}
    cols = {k: Column.from_values([r.get(k) for r in rows]) for k in extras}
    return RawInspectors(id, idb, values, present, cols, rws, names)


def raw_from_table(
    obj: Any, kind: str, id: str, headers: dict[str, str], rows: Rows
) -> RawInspectors:
    """pandas, polars or Arrow: standard columns as Python values, extras by the vectorised
    Targets rules (:mod:`.dataframes`)."""
    if kind in ("pandas", "polars"):
        names = list(obj.columns)
    else:
        pa = frames.require("pyarrow", "an Arrow table")
        if isinstance(obj, pa.RecordBatch):
            obj = pa.Table.from_batches([obj])
        names = list(obj.column_names)
    present, extras = _split_names(names, id, headers)

    def values(name: str) -> list[Any]:
        if kind == "pandas":
            return list(obj[name].tolist())
        if kind == "polars":
            return list(obj.get_column(name).to_list())
        return list(obj.column(name).to_pylist())

    n = len(obj) if kind != "arrow" else obj.num_rows
    if n == 0:
        raise InputError("no inspectors: the input has no rows, the registry is empty")
    idb = _ids_of(values(id), id, rows)
    std = {s: values(h) for s, h in present.items()}
    cols: dict[str, Column] = {}
    if extras:
        keep = [id, *extras]
        if kind == "pandas":
            _, cols = frames.from_table(obj[keep], id)
        elif kind == "polars":
            _, cols = frames.from_table(obj.select(keep), id)
        else:
            _, cols = frames.from_arrow(obj.select(keep), id, rows)
    return RawInspectors(id, idb, std, present, cols, rows, names)


def raw_from_csv(
    path: str | os.PathLike[str], id: str, headers: dict[str, str], delimiter: str
) -> RawInspectors:
    """The file is parsed by :func:`files.read_csv` (its contract and messages); the standard
    columns are then taken as the raw text of their cells, so that e.g. a certificate column of
    digits or a conflicts column of integer IDs keeps its text exactly."""
    name = os.fspath(path)
    idb, cols = read_csv(path, id, delimiter=delimiter)
    with open(path, "rb") as f:
        text = decode_utf8(f.read(), name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = next(reader)
    records = list(reader)
    present, extras = _split_names(header, id, headers)
    values = {s: [rec[header.index(h)] or None for rec in records] for s, h in present.items()}
    extra = {k: cols[k] for k in extras}
    return RawInspectors(id, idb, values, present, extra, Rows(name), header)
