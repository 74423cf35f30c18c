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

import csv
import difflib
import functools
import io
import math
import os
import re
import types
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .._util.arrays import readonly_vector
from .._util.hashing import tagged_sha256
from ..errors import InputError
from .columns import Column, is_missing
from .dataframes import check_names, require, row_names
from .files import read_parquet_table
from .ids import Rows, canonical_id, check_ids, duplicate_groups, ids_from_objects
from .targets import _frozen_columns, find_id, ids_text

__all__ = [
    "INSPECTORS_FINGERPRINT_TAG",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ROLES",
    "SEPARATORS",
    "STANDARD_COLUMNS",
    "Inspectors",
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
# Accepted spellings of the two roles (English compared case-insensitively).
ROLES: Mapping[str, str] = types.MappingProxyType(
    {"officer": "officer", "expert": "expert", "执法人员": "officer", "专家": "expert"}
)
SEPARATORS: tuple[str, ...] = (";", "\uff1b")  # ";" and the full-width "；"
INSPECTORS_FINGERPRINT_TAG = "shuangsuiji/inspectors/v1"

_SPLIT = re.compile("[;\uff1b]")
_DIGITS = re.compile(r"[0-9]+").fullmatch
_TRUE = frozenset({"true", "1", "yes", "是"})
_FALSE = frozenset({"false", "0", "no", "否"})
_INT64_MAX = 2**63 - 1
_SHOW = 3  # culprits listed per message before "and N more"
_LIST_TYPES = (list, tuple, set, frozenset, np.ndarray)
# What fixes a bad value, by column (appended to the message).
_FIX = {
    "capacity": ". A capacity is a whole number >= 0 (the most visits in this plan); leave it "
    "empty for no limit",
    "active": ". Write true/false, 1/0, yes/no or 是/否; leave the column out if everyone is active",
    "qualifications": ". Give a list of fields or one string with entries separated by ';'",
    "conflicts": ". Give a list of target IDs or one string with IDs separated by ';'",
}


def _array(a: Any) -> npt.NDArray[Any]:
    return readonly_vector(a, "Inspectors arrays")


def _ids(a: Any) -> npt.NDArray[np.bytes_]:
    return readonly_vector(a, "Inspectors ID arrays", kind="S")


# -- small helpers ---------------------------------------------------------------------------------
class _Bad(Exception):
    """One bad value: why it is bad (the caller adds row, ID, column and value)."""


def _text(v: Any) -> str | None:
    """A standard text value, trimmed; None when missing or blank."""
    if is_missing(v):
        return None
    if isinstance(v, str):
        s = v.strip()
        return s or None
    text = canonical_id(v)  # integers in decimal, as IDs are
    if text is None:
        raise _Bad(f"a {type(v).__name__} is not text: convert the column to text first")
    return text


def _entry(v: Any, ids: bool) -> str:
    if isinstance(v, str):
        s = v.strip()
    elif is_missing(v):
        raise _Bad("a list entry is missing")
    else:
        text = canonical_id(v)
        if text is None:
            why = "is ambiguous as an ID" if ids else "is not text"
            raise _Bad(f"entry {v!r} ({type(v).__name__}) {why}: convert it to text first")
        s = text
    if not s:
        raise _Bad("an entry is empty")
    if _SPLIT.search(s):
        raise _Bad(f"entry {s!r} contains a separator (';' or '；'): give one entry per item")
    if "\x00" in s:
        raise _Bad(f"entry {s!r} contains a NUL character")
    return s


def _entries(v: Any, ids: bool) -> list[str]:
    """A list cell (list, tuple, set, array, or a ';'/'；'-separated string) as sorted entries."""
    if isinstance(v, str):
        if not v.strip():
            return []
        parts = [p.strip() for p in _SPLIT.split(v)]
        if not all(parts):
            raise _Bad(
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
        raise _Bad(
            f"a {type(v).__name__} is not a list: give a list of entries or a ';'-separated string"
        )
    return sorted(set(items), key=lambda s: s.encode("utf-8"))


def _capacity(v: Any) -> int:
    """-1 for missing (no limit), else a whole number >= 0."""
    if is_missing(v):
        return -1
    if isinstance(v, (bool, np.bool_)):
        raise _Bad("a bool is not a capacity")
    if isinstance(v, str):
        s = v.strip()
        if not s:
            return -1
        if not _DIGITS(s):
            raise _Bad("not a whole number >= 0")
        n = int(s)
    elif isinstance(v, (int, np.integer)):
        n = int(v)
    elif isinstance(v, (float, np.floating)):
        f = float(v)
        if not math.isfinite(f):
            raise _Bad("not finite")
        if not f.is_integer():
            raise _Bad("not a whole number")
        n = int(f)
    else:
        raise _Bad(f"a {type(v).__name__} is not a number")
    if n < 0:
        raise _Bad("negative")
    if n > _INT64_MAX:
        raise _Bad("too large")
    return n


def _active(v: Any) -> bool:
    if is_missing(v):
        raise _Bad("missing (leave the column out if everyone is active)")
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
    raise _Bad("not one of true/false, 1/0, yes/no, 是/否")


def _role(v: Any) -> str:
    if is_missing(v) or (isinstance(v, str) and not v.strip()):
        raise _Bad("missing: every person needs a role")
    if isinstance(v, str):
        s = v.strip()
        role = ROLES.get(s.casefold() if s.isascii() else s)
        if role is not None:
            return role
    raise _Bad("not a role: use 'officer' or 'expert' (or 执法人员 / 专家)")


# -- parsing -----------------------------------------------------------------------------------
@attrs.frozen
class _Raw:
    """What every input route yields: IDs, per-row Python values of the standard columns
    present, the extra columns, and how to name rows and columns in messages."""

    id_column: str
    id_bytes: npt.NDArray[np.bytes_]
    values: dict[str, list[Any]]  # standard name -> raw value per row
    headers: dict[str, str]  # standard name -> the input's column name
    extras: dict[str, Column]
    rows: Rows
    input_columns: list[str]


def _headers(names: Mapping[str, str] | None, id: str) -> dict[str, str]:
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


def _from_rows(rows_in: Iterable[Mapping[str, Any]], id: str, headers: dict[str, str]) -> _Raw:
    rows = list(rows_in)
    names = row_names(rows, "inspectors")
    present, extras = _split_names(names, id, headers)
    rws = Rows()
    idb = _ids_of([r.get(id) for r in rows], id, rws)
    values = {s: [r.get(h) for r in rows] for s, h in present.items()}
    cols = {k: Column.from_values([r.get(k) for r in rows]) for k in extras}
    return _Raw(id, idb, values, present, cols, rws, names)


def _from_table(obj: Any, kind: str, id: str, headers: dict[str, str], rows: Rows) -> _Raw:
    """pandas, polars or Arrow: standard columns as Python values, extras by the vectorised
    Targets rules (:mod:`.frames`)."""
    from . import dataframes as frames

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
    return _Raw(id, idb, std, present, cols, rows, names)


def _from_csv(
    path: str | os.PathLike[str], id: str, headers: dict[str, str], delimiter: str
) -> _Raw:
    """The file is parsed by :func:`files.read_csv` (its contract and messages); the standard
    columns are then taken as the raw text of their cells, so that e.g. a certificate column of
    digits or a conflicts column of integer IDs keeps its text exactly."""
    from .files import _decode, read_csv

    name = os.fspath(path)
    idb, cols = read_csv(path, id, delimiter=delimiter)
    with open(path, "rb") as f:
        text = _decode(f.read(), name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header = next(reader)
    records = list(reader)
    present, extras = _split_names(header, id, headers)
    values = {s: [rec[header.index(h)] or None for rec in records] for s, h in present.items()}
    return _Raw(id, idb, values, present, {k: cols[k] for k in extras}, Rows(name), header)


def _csr(lists: list[list[str]]) -> tuple[npt.NDArray[np.int64], list[str]]:
    indptr = np.zeros(len(lists) + 1, np.int64)
    indptr[1:] = np.cumsum([len(x) for x in lists])
    return indptr, [x for xs in lists for x in xs]


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
    fields: tuple[str, ...] = attrs.field(repr=False, converter=tuple)
    qual_indptr: npt.NDArray[np.int64] = attrs.field(repr=False, converter=_array)
    qual_codes: npt.NDArray[np.int32] = attrs.field(repr=False, converter=_array)
    conflict_indptr: npt.NDArray[np.int64] = attrs.field(repr=False, converter=_array)
    conflict_ids: npt.NDArray[np.bytes_] = attrs.field(repr=False, converter=_ids)
    columns: Mapping[str, Column] = attrs.field(factory=dict, repr=False, converter=_frozen_columns)
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
        from . import dataframes as frames

        headers = _headers(names, id)
        kind = frames.table_kind(rows)
        if kind is not None:
            return cls._build(_from_table(rows, kind, id, headers, Rows()))
        if isinstance(rows, (str, bytes)):
            raise InputError(
                "rows must be an iterable of mappings, not a string; for a file use "
                "Inspectors.from_csv or Inspectors.from_parquet"
            )
        return cls._build(_from_rows(rows, id, headers))

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
        headers = _headers(names, id)
        return cls._build(_from_csv(path, id, headers, delimiter), os.fspath(path))

    @classmethod
    def from_parquet(
        cls, path: str | os.PathLike[str], id: str = "id", *, names: Mapping[str, str] | None = None
    ) -> Inspectors:
        """From a Parquet file (needs the ``arrow`` extra); list columns may be Arrow lists."""
        headers = _headers(names, id)
        table = read_parquet_table(path)
        name = os.fspath(path)
        return cls._build(_from_table(table, "arrow", id, headers, Rows(name)), name)

    @classmethod
    def _build(cls, raw: _Raw, source: str | None = None) -> Inspectors:
        idb, rows = raw.id_bytes, raw.rows
        n = idb.shape[0]
        if n == 0:
            where = f"file {source!r}" if source else "the input"
            raise InputError(f"no inspectors: {where} has no rows, the registry is empty")
        groups = duplicate_groups(idb)
        if groups:
            shown = "; ".join(
                f"{bytes(idb[g[0]]).decode('utf-8')!r} at {rows.at(g.tolist())}" for g in groups[:5]
            )
            more = f"; and {len(groups) - 5} more" if len(groups) > 5 else ""
            raise InputError(
                f"{len(groups)} duplicated ID(s) in column {raw.id_column!r}: {shown}{more}. "
                "Each inspector must appear once"
            )
        check_ids(idb, raw.id_column, rows)
        ids = [b.decode("utf-8") for b in idb.tolist()]

        def parse(std: str, fn: Any) -> list[Any]:
            """``fn`` on every value of a standard column; all failures in one message."""
            out: list[Any] = []
            bad: list[tuple[int, Any, str]] = []
            for i, v in enumerate(raw.values[std]):
                try:
                    out.append(fn(v))
                except _Bad as e:
                    bad.append((i, v, str(e)))
                    out.append(None)
            if bad:
                raise _error(raw.headers[std], bad, _FIX.get(std, ""))
            return out

        def _error(col: str, bad: list[tuple[int, Any, str]], fix: str = "") -> InputError:
            shown = "; ".join(
                f"{v!r} at {rows.at(i)}, ID {ids[i]!r}: {why}" for i, v, why in bad[:_SHOW]
            )
            more = f"; and {len(bad) - _SHOW} more" if len(bad) > _SHOW else ""
            return InputError(f"{len(bad)} bad value(s) in column {col!r}: {shown}{more}{fix}")

        roles = parse("role", _role)
        expert = np.array([r == "expert" for r in roles], bool)
        texts = {s: parse(s, _text) for s in ("name", "unit", "region", "certificate")}
        for s in ("name", "unit", "region", "certificate"):
            need = range(n) if s in ("name", "unit") else (i for i in range(n) if not expert[i])
            holes = [i for i in need if texts[s][i] is None]
            if holes:
                who = "every person" if s in ("name", "unit") else "every officer"
                fix = {
                    "name": "a name",
                    "unit": "a unit (department or bureau)",
                    "region": "a region (only experts may leave it empty)",
                    "certificate": "an enforcement certificate number (执法证号)",
                }[s]
                raise _error(
                    raw.headers[s],
                    [(i, raw.values[s][i], f"missing: {who} needs {fix}") for i in holes],
                )
        certs: dict[str, int] = {}
        for i, c in enumerate(texts["certificate"]):
            if c is not None:
                if c in certs:
                    j = certs[c]
                    raise InputError(
                        f"certificate {c!r} in column {raw.headers['certificate']!r} is held by "
                        f"{rows.at(j)}, ID {ids[j]!r} and {rows.at(i)}, ID {ids[i]!r}: a "
                        "certificate number belongs to one person"
                    )
                certs[c] = i
        quals = parse("qualifications", functools.partial(_entries, ids=False))
        conflicts = (
            parse("conflicts", functools.partial(_entries, ids=True))
            if "conflicts" in raw.values
            else [[] for _ in range(n)]
        )
        capacity = (
            np.array(parse("capacity", _capacity), np.int64)
            if "capacity" in raw.values
            else np.full(n, -1, np.int64)
        )
        active = (
            np.array(parse("active", _active), bool) if "active" in raw.values else np.ones(n, bool)
        )

        fields = sorted({q for qs in quals for q in qs})
        code = {f: k for k, f in enumerate(fields)}
        qual_indptr, flat = _csr(quals)
        qual_codes = np.array([code[q] for q in flat], np.int32)
        conflict_indptr, cflat = _csr(conflicts)
        conflict_ids = np.array([c.encode("utf-8") for c in cflat], dtype="S")
        if conflict_ids.size == 0:
            conflict_ids = np.zeros(0, "S1")

        def obj(values: list[str | None]) -> npt.NDArray[np.object_]:
            return np.array([v or "" for v in values], dtype=object)

        return cls(
            raw.id_column,
            idb,
            obj(texts["name"]),
            obj(texts["unit"]),
            obj(texts["region"]),
            obj(texts["certificate"]),
            expert,
            active,
            capacity,
            fields,
            qual_indptr,
            qual_codes,
            conflict_indptr,
            conflict_ids,
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
        pd = require("pandas", "Inspectors.to_pandas")
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
        from .fingerprint import registry_fingerprint

        inner = registry_fingerprint(self.id_column, self.id_bytes, self.canonical_columns())
        return tagged_sha256(INSPECTORS_FINGERPRINT_TAG, bytes.fromhex(inner)).hex()
