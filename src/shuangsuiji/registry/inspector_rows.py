"""Row validation of the inspector registry: from :class:`~.inspector_input.RawInspectors` to the
checked, columnar arrays an :class:`~shuangsuiji.registry.inspectors.Inspectors` holds.

The checks, in the order they are made (the first failing one raises): rows exist; IDs are
unique, non-empty and unpadded; every role is known; the text columns parse, and name and unit
are present for everyone, region and certificate for every officer; no certificate is held
twice; then the list columns, capacity and active. A column's bad values are reported together
in one message (up to three shown), each with its row, ID and value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InputError
from .ids import Rows, check_ids, refuse_duplicates
from .inspector_cells import (
    BadValue,
    parse_active,
    parse_capacity,
    parse_entries,
    parse_role,
    parse_text,
)
from .inspector_input import RawInspectors

__all__ = ["InspectorArrays", "inspector_arrays"]

_SHOW = 3  # culprits listed per message before "and N more"
# What fixes a bad value, by column (appended to the message).
_FIX = {
    "capacity": ". A capacity is a whole number >= 0 (the most visits in this plan); leave it "
    "empty for no limit",
    "active": ". Write true/false, 1/0, yes/no or 是/否; leave the column out if everyone is active",
    "qualifications": ". Give a list of fields or one string with entries separated by ';'",
    "conflicts": ". Give a list of target IDs or one string with IDs separated by ';'",
}
_TEXT_COLUMNS = ("name", "unit", "region", "certificate")
# What a missing text value lacks, by column (name and unit: everyone; the others: officers).
_NEEDS = {
    "name": "a name",
    "unit": "a unit (department or bureau)",
    "region": "a region (only experts may leave it empty)",
    "certificate": "an enforcement certificate number (执法证号)",
}

_Bad = list[tuple[int, Any, str]]  # (row position, raw value, why)


@attrs.frozen
class InspectorArrays:
    """The validated registry, columnar (the fields of Inspectors after ``id_column``; the
    extra columns stay in ``RawInspectors.extras``)."""

    id_bytes: npt.NDArray[np.bytes_]
    name: npt.NDArray[np.object_]
    unit: npt.NDArray[np.object_]
    region: npt.NDArray[np.object_]
    certificate: npt.NDArray[np.object_]
    is_expert: npt.NDArray[np.bool_]
    active: npt.NDArray[np.bool_]
    capacity: npt.NDArray[np.int64]
    fields: tuple[str, ...]
    qual_indptr: npt.NDArray[np.int64]
    qual_codes: npt.NDArray[np.int32]
    conflict_indptr: npt.NDArray[np.int64]
    conflict_ids: npt.NDArray[np.bytes_]


def inspector_arrays(raw: RawInspectors, source: str | None = None) -> InspectorArrays:
    """Validate every row of ``raw`` (see the module docstring) and build the arrays.

    ``source`` names the file the rows came from, for the empty-registry message.
    """
    idb, rows = raw.id_bytes, raw.rows
    n = idb.shape[0]
    if n == 0:
        where = f"file {source!r}" if source else "the input"
        raise InputError(f"no inspectors: {where} has no rows, the registry is empty")
    refuse_duplicates(idb, raw.id_column, rows, "inspector")
    check_ids(idb, raw.id_column, rows)
    ids = [b.decode("utf-8") for b in idb.tolist()]

    roles = _parse(raw, ids, "role", parse_role)
    expert = np.array([r == "expert" for r in roles], bool)
    texts = _texts(raw, ids, expert)
    _refuse_shared_certificates(raw, ids, texts["certificate"])
    quals = _parse(raw, ids, "qualifications", functools.partial(parse_entries, ids=False))
    conflicts = (
        _parse(raw, ids, "conflicts", functools.partial(parse_entries, ids=True))
        if "conflicts" in raw.values
        else [[] for _ in range(n)]
    )
    capacity = (
        np.array(_parse(raw, ids, "capacity", parse_capacity), np.int64)
        if "capacity" in raw.values
        else np.full(n, -1, np.int64)
    )
    active = (
        np.array(_parse(raw, ids, "active", parse_active), bool)
        if "active" in raw.values
        else np.ones(n, bool)
    )

    fields, qual_indptr, qual_codes = _qualification_csr(quals)
    conflict_indptr, conflict_ids = _conflict_csr(conflicts)
    return InspectorArrays(
        idb,
        _objects(texts["name"]),
        _objects(texts["unit"]),
        _objects(texts["region"]),
        _objects(texts["certificate"]),
        expert,
        active,
        capacity,
        tuple(fields),
        qual_indptr,
        qual_codes,
        conflict_indptr,
        conflict_ids,
    )


def _bad_values(rows: Rows, ids: list[str], column: str, bad: _Bad, fix: str = "") -> InputError:
    """One message for a column's bad values: the first few with row, ID and why, then how
    many more, then how to fix them."""
    shown = "; ".join(f"{v!r} at {rows.at(i)}, ID {ids[i]!r}: {why}" for i, v, why in bad[:_SHOW])
    more = f"; and {len(bad) - _SHOW} more" if len(bad) > _SHOW else ""
    return InputError(f"{len(bad)} bad value(s) in column {column!r}: {shown}{more}{fix}")


def _parse(raw: RawInspectors, ids: list[str], std: str, fn: Callable[[Any], Any]) -> list[Any]:
    """``fn`` on every value of a standard column; all failures in one message."""
    out: list[Any] = []
    bad: _Bad = []
    for i, v in enumerate(raw.values[std]):
        try:
            out.append(fn(v))
        except BadValue as e:
            bad.append((i, v, str(e)))
            out.append(None)
    if bad:
        raise _bad_values(raw.rows, ids, raw.headers[std], bad, _FIX.get(std, ""))
    return out


def _texts(
    raw: RawInspectors, ids: list[str], expert: npt.NDArray[np.bool_]
) -> dict[str, list[str | None]]:
    """The text columns, trimmed (None = missing); name and unit are required of everyone,
    region and certificate of every officer."""
    n = len(ids)
    texts = {s: _parse(raw, ids, s, parse_text) for s in _TEXT_COLUMNS}
    for s in _TEXT_COLUMNS:
        need = range(n) if s in ("name", "unit") else (i for i in range(n) if not expert[i])
        holes = [i for i in need if texts[s][i] is None]
        if holes:
            who = "every person" if s in ("name", "unit") else "every officer"
            raise _bad_values(
                raw.rows,
                ids,
                raw.headers[s],
                [(i, raw.values[s][i], f"missing: {who} needs {_NEEDS[s]}") for i in holes],
            )
    return texts


def _refuse_shared_certificates(
    raw: RawInspectors, ids: list[str], certificates: list[str | None]
) -> None:
    """A certificate number belongs to one person: the first one held twice is an error."""
    rows = raw.rows
    certs: dict[str, int] = {}
    for i, c in enumerate(certificates):
        if c is not None:
            if c in certs:
                j = certs[c]
                raise InputError(
                    f"certificate {c!r} in column {raw.headers['certificate']!r} is held by "
                    f"{rows.at(j)}, ID {ids[j]!r} and {rows.at(i)}, ID {ids[i]!r}: a "
                    "certificate number belongs to one person"
                )
            certs[c] = i


def _qualification_csr(
    quals: list[list[str]],
) -> tuple[list[str], npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Qualifications in CSR form: every field anyone holds (code-point order), the indptr,
    and each person's codes into the fields."""
    fields = sorted({q for qs in quals for q in qs})
    code = {f: k for k, f in enumerate(fields)}
    indptr, flat = _csr(quals)
    return fields, indptr, np.array([code[q] for q in flat], np.int32)


def _conflict_csr(
    conflicts: list[list[str]],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bytes_]]:
    """Conflicts in CSR form: the indptr and the target IDs as UTF-8 bytes (``S1`` if none)."""
    indptr, flat = _csr(conflicts)
    ids = np.array([c.encode("utf-8") for c in flat], dtype="S")
    if ids.size == 0:
        ids = np.zeros(0, "S1")
    return indptr, ids


def _csr(lists: list[list[str]]) -> tuple[npt.NDArray[np.int64], list[str]]:
    indptr = np.zeros(len(lists) + 1, np.int64)
    indptr[1:] = np.cumsum([len(x) for x in lists])
    return indptr, [x for xs in lists for x in xs]


def _objects(values: list[str | None]) -> npt.NDArray[np.object_]:
    return np.array([v or "" for v in values], dtype=object)
