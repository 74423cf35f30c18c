"""Eligibility and stratum cells of one task over a registry (docs/spec.md §5).

A *cell* is one stratum of a task: the combination of its strata columns' values, plus the risk
class when the task gives class rates. Cells are numbered in the order of their labels' values
(categories are sorted), so the numbering depends on the registry's contents, not its row order.

Under risk weights the units' weights come from here too: by risk class, grouped per cell
(:func:`class_groups`), or from a numeric column (:func:`unit_weights`).
"""

from __future__ import annotations

import functools
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .._util.times import not_a_date, to_date
from ..errors import InputError
from ..plan.plan import Task
from ..registry.columns import MISSING, Column
from ..registry.targets import Targets

_CHUNK = 1 << 16

__all__ = ["Cells", "cells_of", "class_groups", "eligible_rows", "unit_weights"]


def _first_rows(mask: npt.NDArray[np.bool_], k: int = 3) -> str:
    rows = np.flatnonzero(mask)[:k].tolist()
    return ", ".join(str(r) for r in rows) + (" …" if mask.sum() > k else "")


def eligible_rows(task: Task, targets: Targets) -> npt.NDArray[np.intp]:
    """Rows that pass the task's ``where`` filter and cool-off rule."""
    if not task.where and task.cooloff is None:
        return np.arange(len(targets))
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
            day = to_date(text, allow_time=True)
            if day is None:
                rows = _first_rows(column.data == i)
                raise not_a_date(
                    f"task {task.name!r}, key 'cooloff.column': column {c.column!r}, row {rows}",
                    text,
                )
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
    codes, labels, missing, _ = _factorize_counted(column)
    return codes, labels, missing


def _factorize_counted(
    column: Column,
) -> tuple[npt.NDArray[np.int64], list[str], int, npt.NDArray[np.intp] | None]:
    """:func:`_factorize`, plus the rows per code when they came for free (else None)."""
    if column.kind == "str":
        codes = column.data.astype(np.int64)
        labels = [column.label(c) for c in column.categories]
        if (codes < 0).any():
            codes = np.where(codes < 0, len(labels), codes)
            labels.append(column.label(None))
            return codes, labels, len(labels) - 1, None
        return codes, labels, -1, None
    data = column.data
    if column.kind == "float":
        nan = np.isnan(data)
        if nan.any():
            # missing numbers form their own cell, last, as missing text does
            codes, labels, _ = _factorize(Column("float", data[~nan]))
            full = np.full(data.shape[0], len(labels), np.int64)
            full[~nan] = codes
            return full, [*labels, column.label(None)], len(labels), None
    if column.kind in ("int", "bool") and data.size:
        lo, hi = int(data.min()), int(data.max())
        if hi - lo < 1 << 22:
            # a bincount instead of a sort keeps 10M-row int strata linear-time; one subtraction
            # straight into int64 (no astype copy first)
            shifted = np.subtract(data, lo, dtype=np.int64)
            counts = np.bincount(shifted, minlength=hi - lo + 1)
            present = counts > 0
            values = (np.flatnonzero(present) + lo).tolist()
            codes = shifted if present.all() else (np.cumsum(present) - 1)[shifted]
            counts = counts[present].astype(np.intp)
            if column.kind == "bool":
                return codes, [column.label(bool(v)) for v in values], -1, counts
            return codes, [column.label(v) for v in values], -1, counts
    uniq, inv = np.unique(data, return_inverse=True)
    return inv.astype(np.int64), [column.label(v) for v in uniq.tolist()], -1, None


def class_groups(
    task: Task, targets: Targets, cells: Cells, key: str, mapping: dict[str, float]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64], npt.NDArray[np.intp]]:
    """Units grouped by the value ``mapping`` gives their risk class, cell by cell.

    Returns ``(unit, values, counts)``: for each eligible row (in ``cells.rows`` order) its
    index ``cell * G + g`` into the ``(len(cells), G)`` table of (cell, group), where group g
    holds the classes mapped to ``values[g]`` (distinct, ascending; a last, empty group may
    stand for classes the mapping lacks); and ``counts``, the number of units per entry. Units of one group have one weight, so a design computes each
    group's π once. A class missing from the mapping is an error naming it and its rows.
    """
    assert task.risk is not None
    column = _column(task, targets, task.risk.column, "risk.column")
    codes: npt.NDArray[Any]
    if column.kind == "str":
        # one small table over the categories (missing last, reached by code -1), one gather
        labels = [column.label(c) for c in column.categories] + [column.label(None)]
        codes = column.data if cells.all_rows else column.data[cells.rows]
    else:
        try:
            codes, labels, _ = _factorize(column if cells.all_rows else column.take(cells.rows))
        except InputError as exc:
            raise InputError(
                f"task {task.name!r}, key {key!r}: column {task.risk.column!r}: {exc}"
            ) from None
    given = [mapping.get(lab) for lab in labels]
    values = sorted({v for v in given if v is not None})
    index = {v: i for i, v in enumerate(values)}
    ngroup = len(values) + (1 if None in given else 0)  # the last group: classes not mapped
    table = np.array([len(values) if v is None else index[v] for v in given], np.intp)
    if ngroup > 1:
        unit = np.empty(cells.code.shape[0], np.intp)
        for s in range(0, unit.shape[0], _CHUNK):  # chunks: no registry-sized temporaries
            u = unit[s : s + _CHUNK]
            np.multiply(cells.code[s : s + _CHUNK], ngroup, out=u)
            u += table[codes[s : s + _CHUNK]]
    else:
        unit = cells.code.copy()
    counts = np.bincount(unit, minlength=len(cells) * ngroup).astype(np.intp)
    if ngroup > len(values) and counts[len(values) :: ngroup].any():
        bad_pos = np.flatnonzero(unit % ngroup == len(values))
        # the first such unit in cell order (cells are numbered in value order), as it is read
        first = int(bad_pos[np.argmin(cells.code[bad_pos])])
        bad = labels[int(codes[first])]
        rows_txt = ", ".join(str(int(r)) for r in cells.rows[bad_pos[:3]])
        raise InputError(
            f"task {task.name!r}, key {key!r}: no entry for {task.risk.column}={bad!r} "
            f"(rows {rows_txt}); give every class in the mapping, 0 to leave it alone"
        )
    # an unmapped group, if any, is empty past this point; its entries stay with weight 0
    return unit, np.asarray(values + [0.0] * (ngroup - len(values)), np.float64), counts


def unit_weights(
    task: Task, targets: Targets, rows: npt.NDArray[np.intp]
) -> npt.NDArray[np.float64]:
    """The weight of each of ``rows`` from the task's numeric risk column: finite and >= 0."""
    risk = task.risk
    assert risk is not None
    column = _column(task, targets, risk.column, "risk.column")
    if column.kind == "str":
        raise InputError(
            f"task {task.name!r}, key 'risk.column': column {risk.column!r} holds text; give "
            "'weights' (class -> weight) or 'rates' for a class column"
        )
    if column.kind == "bool":
        raise InputError(
            f"task {task.name!r}, key 'risk.column': column {risk.column!r} holds true/false; "
            "give numeric weights"
        )
    w = column.as_float()[rows]
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"task {task.name!r}, key 'risk.column': weight column {risk.column!r} has "
            f"{column.value_at(int(rows[i]))!r} at row {int(rows[i])}; weights must be finite "
            "and >= 0"
        )
    return w


@attrs.frozen(eq=False)
class Cells:
    """Eligible rows and the cell of each: ``code[i]`` is the cell of row ``rows[i]``.

    ``rows`` ascend (registry order); nothing is sorted by cell unless :attr:`order` is asked
    for, because a draw orders units by (cell, PRN) in one sort of its own.
    """

    labels: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...]  # per cell, the strata-column values (no risk class)
    classes: tuple[str | None, ...]  # per cell, the risk class when class rates apply
    rows: npt.NDArray[np.intp]
    code: npt.NDArray[np.intp]
    counts: npt.NDArray[np.intp]  # per cell, its number of rows
    all_rows: bool = False  # rows is every row of the registry, 0..n-1

    @functools.cached_property
    def order(self) -> npt.NDArray[np.intp]:
        """Positions into ``rows``, cell after cell (ascending rows within a cell)."""
        small = np.int16 if len(self) < 1 << 15 else np.int64
        out: npt.NDArray[np.intp] = np.argsort(self.code.astype(small), kind="stable")
        return out

    @functools.cached_property
    def starts(self) -> npt.NDArray[np.intp]:
        """Cell ``c`` is ``order[starts[c]:starts[c+1]]``."""
        return np.concatenate([[0], np.cumsum(self.counts)]).astype(np.intp)

    def __len__(self) -> int:
        return len(self.labels)


def cells_of(task: Task, targets: Targets, rows: npt.NDArray[np.intp]) -> Cells:
    """Group eligible ``rows`` into labelled cells (``col=value|col=value``; ``all`` if none)."""
    cols = list(task.strata)
    with_class = task.risk is not None and task.risk.mode == "rates"
    if with_class:
        assert task.risk is not None
        cols.append(task.risk.column)
    # every row eligible (rows is 0..n-1): factorize the columns as they are, no copies
    full = rows.size == len(targets)
    if not cols:
        return Cells(
            ("all",),
            ((),),
            (None,),
            rows,
            np.zeros(rows.size, np.intp),
            np.array([rows.size], np.intp),
            full,
        )
    all_codes, radix_labels, radix_missing, known = _factorize_columns(
        task, targets, rows, cols, full
    )
    cell, counts, digit_cols = _combine_codes(all_codes, radix_labels, known, rows.size)
    labels_out, parts, classes = _cell_labels(
        cols, radix_labels, radix_missing, digit_cols, with_class
    )
    return Cells(
        tuple(labels_out),
        tuple(parts),
        tuple(classes),
        rows,
        cell.astype(np.intp, copy=False),
        counts.astype(np.intp),
        full,
    )


def _factorize_columns(
    task: Task, targets: Targets, rows: npt.NDArray[np.intp], cols: list[str], full: bool
) -> tuple[list[npt.NDArray[np.int64]], list[list[str]], list[int], npt.NDArray[np.intp] | None]:
    """Each stratum column of ``rows`` factorized (:func:`_factorize_counted`): codes, labels
    and missing code per column, and the last column's rows per code when they came for free."""
    all_codes: list[npt.NDArray[np.int64]] = []
    radix_labels: list[list[str]] = []
    radix_missing: list[int] = []
    known: npt.NDArray[np.intp] | None = None
    for name in cols:
        where_key = "strata" if name in task.strata else "risk.column"
        column = _column(task, targets, name, where_key)
        try:
            codes, labels, missing_code, known = _factorize_counted(
                column if full else column.take(rows)
            )
        except InputError as exc:
            raise InputError(
                f"task {task.name!r}, key {where_key!r}: column {name!r}: {exc}"
            ) from None
        all_codes.append(codes)
        radix_labels.append(labels)
        radix_missing.append(missing_code)
    return all_codes, radix_labels, radix_missing, known


def _combine_codes(
    all_codes: list[npt.NDArray[np.int64]],
    radix_labels: list[list[str]],
    known: npt.NDArray[np.intp] | None,
    nrows: int,
) -> tuple[npt.NDArray[Any], npt.NDArray[Any], list[npt.NDArray[np.int64]]]:
    """The cell of each row (combinations of the columns' codes that occur, numbered in value
    order), the rows per cell, and per column the code each cell has."""
    space = int(np.prod([len(x) for x in radix_labels], dtype=object))
    if space < 1 << 62:
        # mixed-radix key, first column most significant, so key order is value order
        key = all_codes[0]
        for codes, labels in zip(all_codes[1:], radix_labels[1:]):
            key = key * len(labels) + codes
        if len(all_codes) == 1 and known is not None:
            # one column whose codes are dense and already counted
            used_keys, cell, counts = np.arange(space), key, known
        elif space <= 1 << 24:
            counts = np.bincount(key, minlength=space)
            present = counts > 0
            used_keys = np.flatnonzero(present)
            cell = key if present.all() else (np.cumsum(present) - 1)[key]
            counts = counts[used_keys]
        else:
            used_keys, cell, counts = np.unique(key, return_inverse=True, return_counts=True)
        # digits of each used key, one array per column (first column most significant)
        digit_cols: list[npt.NDArray[np.int64]] = []
        rest = used_keys.astype(np.int64)
        for labels in reversed(radix_labels):
            rest, r = np.divmod(rest, len(labels))
            digit_cols.append(r)
        digit_cols.reverse()
    else:
        # too many combinations for one int64: unique rows of the code matrix (lexicographic)
        stacked = np.stack(all_codes, axis=1) if nrows else np.empty((0, len(all_codes)), np.int64)
        uniq, cell, counts = np.unique(stacked, axis=0, return_inverse=True, return_counts=True)
        cell = cell.reshape(-1)
        digit_cols = [uniq[:, j] for j in range(len(all_codes))]
    return cell, counts, digit_cols


def _cell_labels(
    cols: list[str],
    radix_labels: list[list[str]],
    radix_missing: list[int],
    digit_cols: list[npt.NDArray[np.int64]],
    with_class: bool,
) -> tuple[list[str], list[tuple[str, ...]], list[str | None]]:
    """Per cell: its label, its strata-column values and (class rates) its risk class."""
    # labels column by column: each distinct value is escaped once, then joined per cell
    pieces: list[list[str]] = []
    values: list[list[str]] = []
    for name, labels, miss, digits in zip(cols, radix_labels, radix_missing, digit_cols):
        head = label_part(name) + "="
        written = [head + label_part(None if r == miss else lab) for r, lab in enumerate(labels)]
        d = digits.tolist()
        pieces.append([written[r] for r in d])
        values.append([labels[r] for r in d])
    labels_out = ["|".join(t) for t in zip(*pieces)] if len(cols) > 1 else pieces[0]
    parts: list[tuple[str, ...]]
    if with_class:
        parts = list(zip(*values[:-1])) if len(cols) > 1 else [()] * len(values[0])
        classes: list[str | None] = list(values[-1])
    else:
        parts = list(zip(*values))
        classes = [None] * len(parts)
    return labels_out, parts, classes
