"""Eligibility and stratum cells of one task over a registry (docs/spec.md §5).

A *cell* is one stratum of a task: the combination of its strata columns' values, plus the risk
class when the task gives class rates. Cells are numbered in the order of their labels' values
(categories are sorted), so the numbering depends on the registry's contents, not its row order.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .columns import MISSING, Column
from .errors import InputError
from .plan import Task
from .registry import Targets

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]*)?")

__all__ = ["Cells", "cells_of", "class_values", "eligible_rows"]


def _first_rows(mask: npt.NDArray[np.bool_], k: int = 3) -> str:
    rows = np.flatnonzero(mask)[:k].tolist()
    return ", ".join(str(r) for r in rows) + (" …" if mask.sum() > k else "")


def eligible_rows(task: Task, targets: Targets) -> npt.NDArray[np.intp]:
    """Rows that pass the task's ``where`` filter and cool-off rule."""
    mask = np.ones(len(targets), bool)
    for col, values, _ in task.where:
        column = _column(task, targets, col, f"where.{col}")
        if column.kind == "str":
            unknown = [v for v in values if str(v) not in set(column.categories)]
            if unknown:
                shown = list(column.categories[:12]) + (
                    ["…"] if len(column.categories) > 12 else []
                )
                raise InputError(
                    f"task {task.name!r}, key 'where.{col}': value {unknown[0]!r} does not occur in "
                    f"column {col!r}; values there are {shown}"
                )
            mask &= column.mask_in(values)
        else:
            typed = [_typed_where_value(task, col, column, v) for v in values]
            # np.isin on the column's own dtype: ints stay exact beyond 2**53
            mask &= np.isin(column.data, np.asarray(typed, column.data.dtype))
    if task.cooloff is not None:
        c = task.cooloff
        column = _column(task, targets, c.column, "cooloff.column")
        if column.kind != "str":
            raise InputError(
                f"task {task.name!r}, key 'cooloff.column': column {c.column!r} must hold ISO "
                f"dates (YYYY-MM-DD) as text, not {column.kind} values"
            )
        cutoff = c.cutoff
        recent = np.zeros(len(column.categories) + 1, bool)
        for i, text in enumerate(column.categories):
            try:
                if not _ISO_DATE.fullmatch(text):
                    raise ValueError
                day = _dt.date.fromisoformat(text[:10])
            except ValueError:
                rows = _first_rows(column.data == i)
                raise InputError(
                    f"task {task.name!r}, key 'cooloff.column': column {c.column!r} has "
                    f"{text!r} (row {rows}), which is not an ISO date YYYY-MM-DD"
                ) from None
            recent[i] = day > cutoff
        mask &= ~recent[column.data]
    return np.flatnonzero(mask)


def _typed_where_value(task: Task, col: str, column: Column, v: Any) -> Any:
    """A ``where`` value for a number or bool column, refused unless it occurs in the column."""
    key = f"task {task.name!r}, key 'where.{col}'"
    exact: bool | int | float
    if column.kind == "bool":
        # strict: the text "false" is truthy in Python and a likely slip in a JSON plan
        if not isinstance(v, bool):
            raise InputError(f"{key}: column {col!r} holds true/false, not {v!r}")
        exact = v
    else:
        try:
            num = float(v) if not isinstance(v, bool) else None
        except (TypeError, ValueError):
            num = None
        if num is None:
            raise InputError(f"{key}: column {col!r} holds numbers, not {v!r}")
        exact = num
        if column.kind == "int":
            if not (isinstance(v, int) or num.is_integer()):
                raise InputError(
                    f"{key}: value {v!r} does not occur in column {col!r} (whole numbers)"
                )
            exact = v if isinstance(v, int) else int(num)
            if not -(2**63) <= exact < 2**63:
                raise InputError(f"{key}: value {v!r} does not occur in column {col!r}")
    if not (column.data == exact).any():
        raise InputError(f"{key}: value {v!r} does not occur in column {col!r}")
    return exact


def _column(task: Task, targets: Targets, name: str, key: str) -> Column:
    try:
        return targets.column(name)
    except InputError as exc:
        raise InputError(f"task {task.name!r}, key {key!r}: {exc}") from None


def label_part(text: str | None) -> str:
    """A column name or value as written in a cell label, escaped so labels cannot collide.

    ``\\``, ``|`` and ``=`` are backslash-escaped, and so is a leading ``(``, which keeps the
    text "(missing)" apart from a missing value (written ``(missing)``).
    """
    if text is None:
        return MISSING
    out = text.replace("\\", "\\\\").replace("|", "\\|").replace("=", "\\=")
    return "\\" + out if out.startswith("(") else out


def _factorize(column: Column) -> tuple[npt.NDArray[np.int64], list[str], int]:
    """Dense codes (in value order), their labels, and the code of missing values (or -1)."""
    if column.kind == "str":
        codes = column.data.astype(np.int64)
        labels = [column.label(c) for c in column.categories]
        if (codes < 0).any():
            codes = np.where(codes < 0, len(labels), codes)
            labels.append(column.label(None))
            return codes, labels, len(labels) - 1
        return codes, labels, -1
    data = column.data
    if column.kind == "float":
        nan = np.isnan(data)
        if nan.any():
            # missing numbers form their own cell, last, as missing text does
            codes, labels, _ = _factorize(Column("float", data[~nan]))
            full = np.full(data.shape[0], len(labels), np.int64)
            full[~nan] = codes
            return full, [*labels, column.label(None)], len(labels)
    if column.kind in ("int", "bool") and data.size:
        lo, hi = int(data.min()), int(data.max())
        if hi - lo < 1 << 22:
            # a bincount instead of a sort keeps 10M-row int strata linear-time
            shifted = data.astype(np.int64) - lo
            present = np.bincount(shifted, minlength=hi - lo + 1) > 0
            values = (np.flatnonzero(present) + lo).tolist()
            codes = shifted if present.all() else (np.cumsum(present) - 1)[shifted]
            if column.kind == "bool":
                return codes, [column.label(bool(v)) for v in values], -1
            return codes, [column.label(v) for v in values], -1
    uniq, inv = np.unique(data, return_inverse=True)
    return inv.astype(np.int64), [column.label(v) for v in uniq.tolist()], -1


def class_values(
    task: Task, targets: Targets, rows: npt.NDArray[np.intp], key: str, mapping: dict[str, float]
) -> npt.NDArray[np.float64]:
    """For each row, ``mapping[its risk class]``; a class missing from the mapping is an error."""
    assert task.risk is not None
    column = _column(task, targets, task.risk.column, "risk.column")
    if column.kind == "str":
        # one small table over the categories (missing last, reached by code -1), one gather
        labels = [column.label(c) for c in column.categories] + [column.label(None)]
        codes: npt.NDArray[Any] = column.data[rows]
    else:
        try:
            codes, labels, _ = _factorize(column.take(rows))
        except InputError as exc:
            raise InputError(
                f"task {task.name!r}, key {key!r}: column {task.risk.column!r}: {exc}"
            ) from None
    table = np.array([mapping.get(lab, np.nan) for lab in labels], np.float64)
    out: npt.NDArray[np.float64] = table[codes]
    missing = np.isnan(out)
    if missing.any():
        first = np.flatnonzero(missing)
        bad = labels[int(codes[first[0]])]
        rows_txt = ", ".join(str(int(r)) for r in np.sort(rows[first])[:3])
        raise InputError(
            f"task {task.name!r}, key {key!r}: no entry for {task.risk.column}={bad!r} "
            f"(rows {rows_txt}); give every class in the mapping, 0 to leave it alone"
        )
    return out


@attrs.frozen(eq=False)
class Cells:
    """Eligible rows grouped by cell: ``rows[starts[c]:starts[c+1]]`` are cell ``c``'s rows."""

    labels: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...]  # per cell, the strata-column values (no risk class)
    rows: npt.NDArray[np.intp]
    starts: npt.NDArray[np.intp]
    classes: tuple[str | None, ...]  # per cell, the risk class when class rates apply

    def members(self, c: int) -> npt.NDArray[np.intp]:
        return self.rows[self.starts[c] : self.starts[c + 1]]

    def __len__(self) -> int:
        return len(self.labels)


def _unradix(key: int, radix_labels: list[list[str]]) -> tuple[int, ...]:
    digits = []
    for labels in reversed(radix_labels):
        key, r = divmod(key, len(labels))
        digits.append(r)
    return tuple(reversed(digits))


def cells_of(task: Task, targets: Targets, rows: npt.NDArray[np.intp]) -> Cells:
    """Group eligible ``rows`` into labelled cells (``col=value|col=value``; ``all`` if none)."""
    cols = list(task.strata)
    with_class = task.risk is not None and task.risk.mode == "rates"
    if with_class:
        assert task.risk is not None
        cols.append(task.risk.column)
    if not cols:
        return Cells(("all",), ((),), rows, np.array([0, rows.size], np.intp), (None,))
    # every row eligible (rows is 0..n-1): factorize the columns as they are, no copies
    full = rows.size == len(targets)
    all_codes: list[npt.NDArray[np.int64]] = []
    radix_labels: list[list[str]] = []
    radix_missing: list[int] = []
    for name in cols:
        where_key = "strata" if name in task.strata else "risk.column"
        column = _column(task, targets, name, where_key)
        try:
            codes, labels, missing_code = _factorize(column if full else column.take(rows))
        except InputError as exc:
            raise InputError(
                f"task {task.name!r}, key {where_key!r}: column {name!r}: {exc}"
            ) from None
        all_codes.append(codes)
        radix_labels.append(labels)
        radix_missing.append(missing_code)
    space = int(np.prod([len(x) for x in radix_labels], dtype=object))
    if space < 1 << 62:
        # mixed-radix key, first column most significant, so key order is value order
        key = all_codes[0]
        for codes, labels in zip(all_codes[1:], radix_labels[1:]):
            key = key * len(labels) + codes
        if space <= 1 << 24:
            present = np.bincount(key, minlength=space) > 0
            used_keys = np.flatnonzero(present)
            cell = key if present.all() else (np.cumsum(present) - 1)[key]
        else:
            used_keys, cell = np.unique(key, return_inverse=True)
        used = [_unradix(int(k), radix_labels) for k in used_keys.tolist()]
    else:
        # too many combinations for one int64: unique rows of the code matrix (lexicographic)
        stacked = (
            np.stack(all_codes, axis=1) if rows.size else np.empty((0, len(all_codes)), np.int64)
        )
        uniq, cell = np.unique(stacked, axis=0, return_inverse=True)
        cell = cell.reshape(-1)
        used = [tuple(int(x) for x in u) for u in uniq.tolist()]
    ncell = len(used)
    order = np.argsort(cell.astype(np.int16 if ncell < 1 << 15 else np.int64), kind="stable")
    counts = np.bincount(cell, minlength=ncell)
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.intp)
    labels_out: list[str] = []
    parts: list[tuple[str, ...]] = []
    classes: list[str | None] = []
    for digits in used:
        vals = [labels[r] for labels, r in zip(radix_labels, digits)]
        escaped = [
            label_part(None if r == miss else labels[r])
            for labels, r, miss in zip(radix_labels, digits, radix_missing)
        ]
        labels_out.append("|".join(f"{label_part(c)}={v}" for c, v in zip(cols, escaped)))
        if with_class:
            parts.append(tuple(vals[:-1]))
            classes.append(vals[-1])
        else:
            parts.append(tuple(vals))
            classes.append(None)
    return Cells(
        tuple(labels_out), tuple(parts), order if full else rows[order], starts, tuple(classes)
    )
