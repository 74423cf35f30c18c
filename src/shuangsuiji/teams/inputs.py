"""The inputs of ``assign`` beyond the registries: inspection history and recusal requests.

* **History** (for rotation, 确保每次双随机人员不同): past inspections, one row per inspector
  and target: ``{"inspector", "target", "date"}`` mappings, ``(inspector, target, date)``
  triples, or a pandas/polars DataFrame or Arrow table with those columns. A date is a
  ``datetime.date`` or text ``YYYY-MM-DD``, optionally followed by ``T`` or a space and a time
  (the date part counts, as for cool-off in docs/spec.md §5).
* **Recusal requests** (回避申请) from enterprises: ``{"target", "inspector"}`` mappings,
  ``(target, inspector)`` pairs, or such a table.

Every inspector must be in the inspector registry and every target in the target registry the
selection was drawn from (or, for a selection without one, among the drawn targets). A bad row
is an :class:`~shuangsuiji.InputError` naming its index, key and value.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .._util.times import parse_date
from ..errors import InputError
from ..registry.dataframes import table_kind
from ..registry.ids import canonical_id

__all__ = ["iso_day", "read_history", "read_recusals", "rows_of"]

_SHOW = 3


def rows_of(obj: Any, what: str) -> list[Any]:
    """Rows of a table (as dicts) or of an iterable; a string or a mapping is refused."""
    kind = table_kind(obj)
    if kind == "pandas":
        out: list[Any] = obj.to_dict("records")
        return out
    if kind == "polars":
        return list(obj.to_dicts())
    if kind == "arrow":
        return list(obj.to_pylist())
    if obj is None or isinstance(obj, (str, bytes, Mapping)):
        raise InputError(f"{what}: expected a list of rows or a table, got {type(obj).__name__}")
    try:
        return list(obj)
    except TypeError:
        raise InputError(
            f"{what}: expected a list of rows or a table, got {type(obj).__name__}"
        ) from None


def iso_day(value: Any, where: str) -> str:
    """``YYYY-MM-DD`` of a date, a date-time or date text (a time after ``T`` or a space is
    ignored: history often comes from spreadsheets and DataFrames)."""
    return parse_date(value, where, allow_time=True).isoformat()


def _fields(row: Any, names: Sequence[str], where: str) -> list[Any]:
    if isinstance(row, Mapping):
        missing = [k for k in names if k not in row]
        if missing:
            raise InputError(f"{where}: missing key {missing[0]!r}; rows need {list(names)}")
        return [row[k] for k in names]
    if isinstance(row, Sequence) and not isinstance(row, (str, bytes)) and len(row) == len(names):
        return list(row)
    raise InputError(f"{where}: expected a mapping with keys {list(names)} or a tuple of them")


def _id(value: Any, where: str) -> str:
    text = canonical_id(value)
    if text is None or not text or "\x00" in text:
        raise InputError(f"{where}: {value!r} is not an ID (text or a whole number)")
    return text


def _check_known(
    ids: list[str],
    known: npt.NDArray[np.bytes_],
    where: list[str],
    registry: str,
    drawn: npt.NDArray[np.bytes_] | None = None,
) -> None:
    """InputError naming the first rows whose ID is not in ``known`` (UTF-8 bytes)."""
    if not ids:
        return
    enc = np.array([x.encode("utf-8") for x in ids], dtype="S")
    ok = np.zeros(enc.size, bool)
    if drawn is not None and drawn.size:  # the drawn targets are known: a cheap first pass
        i = np.minimum(np.searchsorted(drawn, enc), drawn.size - 1)
        ok = drawn[i] == enc
    if not ok.all():
        ok[~ok] = np.isin(enc[~ok], known)
    if not ok.all():
        bad = np.flatnonzero(~ok)
        shown = "; ".join(f"{where[i]}: {ids[i]!r}" for i in bad[:_SHOW].tolist())
        more = f"; and {bad.size - _SHOW} more" if bad.size > _SHOW else ""
        raise InputError(f"not in the {registry}: {shown}{more}")


def read_history(
    history: Any,
    inspector_index: Mapping[str, int],
    target_ids: npt.NDArray[np.bytes_],
    drawn: npt.NDArray[np.bytes_] | None = None,
) -> tuple[list[int], list[str], list[str]]:
    """History as parallel lists: inspector row, target ID, ISO date (duplicates kept).

    ``target_ids`` is the target registry; ``drawn``, if given, the drawn targets' IDs sorted
    (all in the registry), which settle most rows without searching the whole registry."""
    rows = rows_of(history, "history")
    people: list[int] = []
    targets: list[str] = []
    dates: list[str] = []
    seen_dates: dict[Any, str] = {}
    where: list[str] = []
    for i, row in enumerate(rows):
        person, target, date = _fields(row, ("inspector", "target", "date"), f"history[{i}]")
        pid = _id(person, f"history[{i}], inspector")
        k = inspector_index.get(pid)
        if k is None:
            raise InputError(f"history[{i}], inspector: {pid!r} is not in the inspector registry")
        people.append(k)
        targets.append(_id(target, f"history[{i}], target"))
        day = seen_dates.get(date) if isinstance(date, (str, _dt.date)) else None
        if day is None:
            day = iso_day(date, f"history[{i}], date")
            if isinstance(date, (str, _dt.date)):
                seen_dates[date] = day
        dates.append(day)
        where.append(f"history[{i}], target")
    _check_known(targets, target_ids, where, "target registry", drawn)
    return people, targets, dates


def read_recusals(
    recusals: Any,
    inspector_index: Mapping[str, int],
    target_ids: npt.NDArray[np.bytes_],
    drawn: npt.NDArray[np.bytes_] | None = None,
) -> tuple[list[str], list[int]]:
    """Recusal requests as parallel lists: target ID, inspector row (duplicates dropped)."""
    rows = rows_of(recusals, "recusals")
    seen: set[tuple[str, int]] = set()
    targets: list[str] = []
    people: list[int] = []
    where: list[str] = []
    for i, row in enumerate(rows):
        target, person = _fields(row, ("target", "inspector"), f"recusals[{i}]")
        tid = _id(target, f"recusals[{i}], target")
        pid = _id(person, f"recusals[{i}], inspector")
        k = inspector_index.get(pid)
        if k is None:
            raise InputError(f"recusals[{i}], inspector: {pid!r} is not in the inspector registry")
        if (tid, k) in seen:
            continue
        seen.add((tid, k))
        targets.append(tid)
        people.append(k)
        where.append(f"recusals[{i}], target")
    _check_known(targets, target_ids, where, "target registry", drawn)
    return targets, people
