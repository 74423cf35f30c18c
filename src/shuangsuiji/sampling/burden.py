"""The burden of a batch: who may be drawn, and with what weight, given the history
(docs/spec.md §11.2–11.4).

An :class:`Inspection` is one inspection in the history: a random visit of an earlier batch,
a directed check (投诉举报, 转办交办, 监测发现) or an inspection of an earlier year (``prior``).
:func:`burden_of` turns the year rules (§11.1), the batch's plan and registry snapshot, the
history and the batch day into a :class:`Burden`, the per-target arrays the draw uses:

- the **cap**: an enterprise inspected ``per_year`` times this year (random visits, and
  directed checks unless the cap leaves them out; across departments or per department) is not
  eligible for a task (of that department): π = 0;
- the **spread**: an enterprise inspected in the last ``days`` days has its weight × ``factor``
  (0: not eligible), unless its class is one of the exceptions;
- the **coverage**: an enterprise not inspected in the last ``years`` years has its weight ×
  ``factor``, or is drawn with certainty, in addition to the cell's size.

Everything is a function of the published inputs, computed before the batch's seed exists.
All work is vectorised: inspections are matched to registry rows by one binary search over the
registry's sorted ID bytes, counted with ``np.unique``, and the per-target arrays are written
with fancy indexing; no Python loop runs over targets.
"""

from __future__ import annotations

import datetime as _dt
import operator
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from .._util.arrays import readonly
from ..errors import InputError
from ..plan.plan import Plan, Task, check_year_departments
from ..plan.year import YearRules
from ..randomness.prn import id_bytes_array
from ..registry.fingerprint import id_order
from ..registry.targets import Targets
from .strata import eligible_rows

__all__ = ["KINDS", "Burden", "Inspection", "burden_of", "years_before"]

KINDS = ("random", "directed", "prior")
_RANDOM, _DIRECTED, _PRIOR = 0, 1, 2
_KIND_CODE = {k: i for i, k in enumerate(KINDS)}
_ID, _DAY, _KIND, _DEPARTMENTS = (
    operator.attrgetter(a) for a in ("id", "day", "kind", "departments")
)


def _check_id(_: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, str) or not value or "\x00" in value:
        raise InputError(f"Inspection.id: {value!r} is not an ID (non-empty text)")


def _valid_day(_: Any, attribute: Any, value: Any) -> None:
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise InputError(f"Inspection.day: {value!r} is not a datetime.date")


def _departments(value: Any) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, frozenset, set)):
        raise InputError(f"Inspection.departments: expected a list of names, got {value!r}")
    out = tuple(sorted(set(value))) if isinstance(value, (set, frozenset)) else tuple(value)
    for d in out:
        if not isinstance(d, str) or not d.strip() or d != d.strip():
            raise InputError(f"Inspection.departments: {d!r} is not a department's name")
    return out


def _check_kind(_: Any, attribute: Any, value: Any) -> None:
    if value not in KINDS:
        raise InputError(f"Inspection.kind: {value!r} is not one of {list(KINDS)}")


@attrs.frozen
class Inspection:
    """One inspection of the history (docs/spec.md §11.2).

    ``kind`` is ``"random"`` (one per batch and drawn target: the day of that batch's seed
    record, the departments of the tasks that drew it), ``"directed"`` (one per directed
    check: its date, its department) or ``"prior"`` (an earlier year's inspection: counts for
    the spread and the coverage, never for the cap, which is per year).
    """

    id: str = attrs.field(validator=_check_id)
    day: _dt.date = attrs.field(validator=_valid_day)
    departments: tuple[str, ...] = attrs.field(default=(), converter=_departments)
    kind: Literal["random", "directed", "prior"] = attrs.field(
        default="random", validator=_check_kind
    )


def years_before(day: _dt.date, years: int) -> _dt.date | None:
    """``day`` minus ``years`` calendar years (29 February → 28 February), or None before
    year 1 (spec §11.4)."""
    if day.year - years < 1:
        return None
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


@attrs.frozen(eq=False)
class Burden:
    """The burden of one batch: per-row arrays aligned with the registry snapshot's rows
    (docs/spec.md §11.4).

    - ``level[i]`` indexes ``levels``, the few distinct weight factors, ascending:
      :attr:`factor` = ``levels[level]`` = s_i ⊗ c_i, spread times coverage (0: not eligible);
    - ``certain[i]``: drawn with certainty (coverage ``certain``, overdue, factor > 0), in
      addition to each cell's size;
    - ``capped``: the rows at the cap, by department (key ``None``: across departments); see
      :meth:`excluded`;
    - ``spared[i]``: inspected within the spread's window and not excepted (s_i = the spread's
      factor); ``overdue[i]``: not inspected within the coverage's cycle (coverage in force).

    ``id_bytes`` is the registry's ID column, so that the draw refuses a burden computed for
    another snapshot.
    """

    rules: YearRules
    day: _dt.date
    horizon: _dt.date
    id_bytes: npt.NDArray[np.bytes_] = attrs.field(repr=False)
    levels: npt.NDArray[np.float64] = attrs.field(converter=readonly)
    level: npt.NDArray[np.uint8] = attrs.field(repr=False, converter=readonly)
    certain: npt.NDArray[np.bool_] = attrs.field(repr=False, converter=readonly)
    capped: Mapping[str | None, npt.NDArray[np.intp]] = attrs.field(repr=False)
    spared: npt.NDArray[np.bool_] = attrs.field(repr=False, converter=readonly)
    overdue: npt.NDArray[np.bool_] = attrs.field(repr=False, converter=readonly)
    coverage_in_force: bool = False

    @property
    def pips(self) -> bool:
        """Whether the rules move weights (spread or coverage): then every non-census cell is
        drawn πps with weight = base × factor (spec §11.4)."""
        return self.rules.spread is not None or self.rules.coverage is not None

    @property
    def factor(self) -> npt.NDArray[np.float64]:
        """Per row, the weight factor s_i ⊗ c_i (>= 0; 0 = not eligible)."""
        out: npt.NDArray[np.float64] = self.levels[self.level]
        return out

    def excluded(self, task: Task) -> npt.NDArray[np.bool_]:
        """Per row, whether the cap excludes it from ``task``: across departments, or for any
        of the task's departments (its own and its team's)."""
        out = np.zeros(self.id_bytes.shape[0], bool)
        keys: Sequence[str | None] = (None,) if None in self.capped else task.departments
        for k in keys:
            rows = self.capped.get(k)
            if rows is not None:
                out[rows] = True
        return out

    def keep(self, task: Task, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        """``rows`` without those the cap excludes from ``task`` or whose factor is 0."""
        drop = self.excluded(task)
        if self.levels.size and self.levels[0] == 0:  # levels ascend: 0 can only be first
            drop |= self.level == 0
        out: npt.NDArray[np.intp] = rows[~drop[rows]]
        return out

    def summary(self, plan: Plan, targets: Targets) -> list[dict[str, Any]]:
        """Per task, over the rows its ``where`` and cool-off admit: ``eligible`` (those rows),
        ``capped`` (excluded by the cap), and among the others ``spared`` (inspected within the
        spread's window, not excepted; factor 0 included), ``overdue`` (coverage) and
        ``certain`` (the burden's certainty: a task's zero class weight or a cell it leaves
        alone may still keep such a row undrawn, spec §11.4 steps 7–8)."""
        out = []
        for task in plan.tasks:
            rows = eligible_rows(task, targets)
            capped = self.excluded(task)[rows]
            free = rows[~capped]
            out.append(
                {
                    "task": task.name,
                    "eligible": int(rows.size),
                    "capped": int(capped.sum()),
                    "spared": int(self.spared[free].sum()),
                    "overdue": int(self.overdue[free].sum()),
                    "certain": int(self.certain[free].sum()),
                }
            )
        return out


class _History(NamedTuple):
    """The inspections of registry rows (unknown IDs dropped), as arrays."""

    rows: npt.NDArray[np.intp]
    day: npt.NDArray[np.int64]  # proleptic Gregorian ordinals
    kind: npt.NDArray[np.int8]
    dept_code: npt.NDArray[np.intp]  # index into dept_sets
    dept_sets: tuple[tuple[str, ...], ...]


def _history(inspections: Sequence[Inspection], targets: Targets) -> _History:
    """Inspections as arrays, each matched to its registry row by a binary search over the
    registry's IDs in byte order; IDs not in the snapshot (closed enterprises) are dropped.

    The fields are read with ``map`` (C loops, about 0.1 s per field for 10**6 inspections),
    and the IDs searched in their own byte order, which lets each binary search start where
    the previous one ended (three times faster than in arbitrary order).
    """
    items = list(inspections)
    if set(map(type, items)) - {Inspection}:  # a C loop; the slow search only on a stranger
        bad = next((i for i, x in enumerate(items) if not isinstance(x, Inspection)), None)
        if bad is not None:
            raise InputError(
                f"inspections[{bad}]: expected a shuangsuiji Inspection, got "
                f"{type(items[bad]).__name__}"
            )
    m = len(items)
    deps = list(map(_DEPARTMENTS, items))
    sets = {d: k for k, d in enumerate(dict.fromkeys(deps))}  # distinct tuples, first seen first
    dept = np.fromiter(map(sets.__getitem__, deps), np.intp, m)
    day = np.fromiter(map(_dt.date.toordinal, map(_DAY, items)), np.int64, m)
    kind = np.fromiter(map(_KIND_CODE.__getitem__, map(_KIND, items)), np.int8, m)
    rows = np.full(m, -1, np.intp)
    if m:
        wanted = id_bytes_array(list(map(_ID, items)))
        order = id_order(targets.id_bytes)
        ordered = targets.id_bytes[order]
        by_id = id_order(wanted)  # equal IDs are adjacent; their order among them is moot
        # IDs hold no NUL, so byte order is numpy's order of S values (padding is NUL)
        at = np.empty(m, np.intp)
        at[by_id] = np.searchsorted(ordered, wanted[by_id])
        np.minimum(at, ordered.shape[0] - 1, out=at)
        hit = ordered[at] == wanted
        rows[hit] = order[at[hit]]
    known = rows >= 0
    return _History(rows[known], day[known], kind[known], dept[known], tuple(sets))


def _at_least(rows: npt.NDArray[np.intp], k: int) -> npt.NDArray[np.intp]:
    """The rows that occur at least ``k`` times, ascending."""
    u, c = np.unique(rows, return_counts=True)
    out: npt.NDArray[np.intp] = u[c >= k].astype(np.intp)
    return out


def _capped(rules: YearRules, h: _History) -> dict[str | None, npt.NDArray[np.intp]]:
    """Rows at the cap: across departments (key None) or per department (spec §11.4)."""
    cap = rules.cap
    if cap is None:
        return {}
    counted = (h.kind == _RANDOM) | ((h.kind == _DIRECTED) & cap.directed)  # never prior
    if cap.scope == "all":
        return {None: _at_least(h.rows[counted], cap.per_year)}
    out: dict[str | None, npt.NDArray[np.intp]] = {}
    for d in rules.departments:
        has = np.array([d in s for s in h.dept_sets], bool)[h.dept_code]
        out[d] = _at_least(h.rows[counted & has], cap.per_year)
    return out


def _excepted(targets: Targets, column: str, values: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Rows whose value in ``column``, written as in a cell label (spec §5 step 2, unescaped),
    is one of ``values``; a missing value is never excepted."""
    try:
        col = targets.column(column)
    except InputError as exc:
        raise InputError(f"plan key 'year.spread.except.column': {exc}") from None
    wanted = set(values)
    if col.kind == "str":
        hit = np.array([c in wanted for c in col.categories] + [False], bool)
        out: npt.NDArray[np.bool_] = hit[col.data]
        return out
    present = col.data[~col.missing]
    distinct = np.unique(present)
    chosen = [v for v in distinct.tolist() if col.label(v) in wanted]
    return np.isin(col.data, np.asarray(chosen, col.data.dtype)) & ~col.missing


def _spared(rules: YearRules, targets: Targets, h: _History, day: _dt.date) -> Any:
    """Rows inspected (any kind) in the spread's window (day - days, day], not excepted."""
    out = np.zeros(len(targets), bool)
    sp = rules.spread
    if sp is None:
        return out
    if sp.except_column is not None:
        excepted = _excepted(targets, sp.except_column, sp.except_values)
    age = day.toordinal() - h.day
    out[h.rows[(age >= 0) & (age < sp.days)]] = True
    if sp.except_column is not None:
        out &= ~excepted
    return out


def _overdue(
    rules: YearRules, h: _History, day: _dt.date, horizon: _dt.date, n: int
) -> tuple[npt.NDArray[np.bool_], bool]:
    """Rows with no inspection (any kind) in [day - years, day], and whether the coverage is
    in force: only when the history reaches back a whole cycle (day - years >= horizon)."""
    cov = rules.coverage
    start = None if cov is None else years_before(day, cov.years)
    if start is None or start < horizon:
        return np.zeros(n, bool), False
    inside = (h.day >= start.toordinal()) & (h.day <= day.toordinal())
    out = np.ones(n, bool)
    out[h.rows[inside]] = False
    return out, True


def _levels(
    rules: YearRules, spared: npt.NDArray[np.bool_], overdue: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8]]:
    """The distinct factors s ⊗ c (ascending) and each row's index among them."""
    f = rules.spread.factor if rules.spread is not None else 1.0
    cov = rules.coverage
    g = cov.factor if cov is not None and cov.factor is not None else 1.0
    # code = 2·[spared] + [overdue and weighted]: the factor of each of the four cases
    code = spared.astype(np.uint8) * np.uint8(2)
    if cov is not None and not cov.certain:
        code += overdue
    value = [1.0 * 1.0, 1.0 * g, f * 1.0, f * g]  # binary64 products, as the spec states
    used = np.flatnonzero(np.bincount(code, minlength=4)).tolist()
    levels = sorted({value[c] for c in used})
    index = np.zeros(4, np.uint8)
    for c in used:
        index[c] = levels.index(value[c])
    return np.asarray(levels, np.float64), index[code]


def _check_day(value: Any, what: str) -> _dt.date:
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise InputError(f"{what}: expected a datetime.date, got {value!r}")
    return value


def burden_of(
    rules: YearRules,
    plan: Plan,
    targets: Targets,
    inspections: Sequence[Inspection],
    day: _dt.date,
    horizon: _dt.date,
) -> Burden:
    """The burden of a batch (docs/spec.md §11.4): a pure function of the year rules, the
    batch's plan and registry snapshot, the history, the batch day and the history's horizon.

    ``day`` is the batch day (its commitment's day in the publication time zone); ``horizon``
    the first day the history covers (no later than ``day``). Inspections of IDs that are not in
    ``targets`` are ignored. Raises InputError for a task department the year does not have, a
    missing exception column, or a horizon after the day.
    """
    if not isinstance(rules, YearRules):
        raise InputError(f"rules must be YearRules, got {type(rules).__name__}")
    if not isinstance(targets, Targets):
        raise InputError(f"targets must be shuangsuiji.Targets, got {type(targets).__name__}")
    day = _check_day(day, "the batch day")
    horizon = _check_day(horizon, "the horizon")
    if horizon > day:
        raise InputError(f"the horizon {horizon.isoformat()} is after the batch day {day}")
    check_year_departments(plan.tasks, rules)
    h = _history(inspections, targets)
    spared = _spared(rules, targets, h, day)
    overdue, in_force = _overdue(rules, h, day, horizon, len(targets))
    levels, level = _levels(rules, spared, overdue)
    cov = rules.coverage
    certain = overdue & (cov is not None and cov.certain)
    if levels[0] == 0:
        certain &= level != 0
    return Burden(
        rules=rules,
        day=day,
        horizon=horizon,
        id_bytes=targets.id_bytes,
        levels=levels,
        level=level,
        certain=certain,
        capped=_capped(rules, h),
        spared=spared,
        overdue=overdue,
        coverage_in_force=in_force,
    )
