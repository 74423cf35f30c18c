"""``ss.draw`` and ``ss.inclusion_probabilities``: a plan's draw over an inspection history
(docs/spec.md §11.2–11.3).

A plan with ``year`` rules is drawn under the burden (:mod:`.burden`) of the history given:
``history`` is an iterable of inspections, each a mapping ``{"id", "date", "kind",
"departments"}`` or an :class:`.burden.Inspection`; ``as_of`` the batch day; ``horizon`` the
first day the history covers (default: ``as_of``, so the coverage is not in force until the
history reaches back a whole cycle). With no history the burden is that of an empty one, so
``ss.draw(plan_with_year, targets, seed)`` is the draw of a year's first batch. A plan without
``year`` rules is drawn as docs/spec.md §5–6 say, and then a history is refused: it would
decide nothing.

A campaign computes the burden from its log instead and calls :mod:`.engine` with it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

from .._util.times import DATE_FORM, parse_date
from ..errors import InputError
from ..plan.plan import Plan, as_plan
from ..plan.year import YearRules
from ..randomness.seed import Seed
from ..registry.ids import canonical_id
from ..registry.targets import Targets
from . import engine
from .burden import KINDS, Burden, Inspection, burden_of
from .selection import InclusionProbabilities, Selection

__all__ = ["HISTORY_KEYS", "batch_burden", "draw", "inclusion_probabilities", "read_history"]

HISTORY_KEYS = ("id", "date", "kind", "departments")
_REQUIRED = ("id", "date", "kind")


def _row_inspection(row: Mapping[Any, Any], i: int) -> Inspection:
    """One history row (a mapping) as an Inspection; InputError naming the row, key, value."""
    where = f"history row {i}"
    unknown = [k for k in row if k not in HISTORY_KEYS]
    if unknown:
        raise InputError(f"{where}: unknown key {unknown[0]!r}; keys are {list(HISTORY_KEYS)}")
    missing = [k for k in _REQUIRED if k not in row]
    if missing:
        raise InputError(f"{where}: missing key {missing[0]!r}; rows need {list(_REQUIRED)}")
    target = canonical_id(row["id"])
    if target is None or not target or "\x00" in target:
        raise InputError(f"{where}, key 'id': {row['id']!r} is not an ID (text or a whole number)")
    day = parse_date(row["date"], f"{where}, key 'date'", allow_time=True)
    kind = row["kind"]
    if kind not in KINDS:
        raise InputError(f"{where}, key 'kind': {kind!r} is not one of {list(KINDS)}")
    deps = row.get("departments", [])
    if isinstance(deps, (str, bytes)) or not isinstance(deps, (list, tuple)):
        raise InputError(f"{where}, key 'departments': expected a list of names, got {deps!r}")
    for d in deps:
        if not isinstance(d, str) or not d.strip() or d != d.strip():
            raise InputError(f"{where}, key 'departments': {d!r} is not a department's name")
    return Inspection(target, day, tuple(deps), kind)


def read_history(history: Iterable[Any], rules: YearRules) -> list[Inspection]:
    """The history's inspections, checked (docs/spec.md §11.2): each row a mapping with keys
    ``id``, ``date`` (YYYY-MM-DD, or a date-time for its day), ``kind`` (random, directed or
    prior) and optionally ``departments`` (a list), or an Inspection. A random or directed
    inspection's departments must be the year's (when the rules list them). A bad row is an
    InputError naming its index, key and value."""
    if history is None or isinstance(history, (str, bytes, Mapping)):
        raise InputError(
            f"history: expected an iterable of inspections, got {type(history).__name__}"
        )
    try:
        rows = list(history)
    except TypeError:
        raise InputError(
            f"history: expected an iterable of inspections, got {type(history).__name__}"
        ) from None
    known = set(rules.departments)
    out = []
    for i, row in enumerate(rows):
        if isinstance(row, Inspection):
            x = row
        elif isinstance(row, Mapping):
            x = _row_inspection(row, i)
        else:
            raise InputError(
                f"history row {i}: expected a mapping with keys {list(HISTORY_KEYS)} or an "
                f"Inspection, got {type(row).__name__}"
            )
        if known and x.kind != "prior":
            for d in x.departments:
                if d not in known:
                    raise InputError(
                        f"history row {i}, key 'departments': {d!r} is not one of the year's "
                        f"departments {list(rules.departments)}"
                    )
        out.append(x)
    return out


def _days(as_of: Any, horizon: Any, dated: bool) -> tuple[_dt.date, _dt.date]:
    """The batch day and the horizon (default: the batch day). Without a history and a day
    any day gives the same burden, since no window then reaches an inspection."""
    if as_of is None:
        if dated:
            what = "a history" if horizon is None else "a horizon"
            raise InputError(f"as_of: missing; with {what} give the batch day ({DATE_FORM})")
        return _dt.date.min, _dt.date.min
    day = parse_date(as_of, "as_of")
    start = day if horizon is None else parse_date(horizon, "horizon")
    if start > day:
        raise InputError(
            f"horizon: {start.isoformat()} is after as_of {day.isoformat()}; the history begins "
            "on or before the batch day"
        )
    return day, start


def batch_burden(
    plan: Plan | Mapping[str, Any],
    targets: Targets,
    history: Iterable[Any] | None = None,
    as_of: Any = None,
    horizon: Any = None,
) -> Burden | None:
    """The burden the plan's year rules give over ``history`` on day ``as_of`` (None for a plan
    without year rules, which then takes no history, as_of or horizon)."""
    p = as_plan(plan)
    rules = p.year
    if rules is None:
        for name, v in (("history", history), ("as_of", as_of), ("horizon", horizon)):
            if v is not None:
                raise InputError(
                    f"{name}: the plan has no 'year' rules, so the history decides nothing; "
                    f"add plan key 'year' or leave out {name}"
                )
        return None
    day, start = _days(as_of, horizon, history is not None or horizon is not None)
    inspections = read_history([] if history is None else history, rules)
    for i, x in enumerate(inspections):
        if x.day > day:
            raise InputError(
                f"history row {i}, key 'date': {x.day.isoformat()} is after as_of "
                f"{day.isoformat()}; the history holds the inspections before the batch"
            )
    return burden_of(rules, p, targets, inspections, day, start)


def inclusion_probabilities(
    plan: Plan | Mapping[str, Any],
    targets: Targets,
    *,
    history: Iterable[Any] | None = None,
    as_of: Any = None,
    horizon: Any = None,
) -> InclusionProbabilities:
    """π of every eligible target under every task, before the seed exists (docs/spec.md
    §6.1), under the plan's year rules over ``history`` on day ``as_of`` (§11.4)."""
    burden = batch_burden(plan, targets, history, as_of, horizon)
    return engine.inclusion_probabilities(plan, targets, burden=burden)


def draw(
    plan: Plan | Mapping[str, Any],
    targets: Targets,
    seed: Seed,
    *,
    history: Iterable[Any] | None = None,
    as_of: Any = None,
    horizon: Any = None,
) -> Selection:
    """Draw every task of ``plan`` from ``targets`` with ``seed`` (docs/spec.md §6), under the
    plan's year rules over ``history`` on day ``as_of`` (§11.4): a pure, replayable function
    of (seed, plan, registry contents, history, as_of, horizon)."""
    if not isinstance(seed, Seed):
        raise InputError(f"seed must be a shuangsuiji.Seed, got {type(seed).__name__}")
    burden = batch_burden(plan, targets, history, as_of, horizon)
    return engine.draw(plan, targets, seed, burden=burden)
