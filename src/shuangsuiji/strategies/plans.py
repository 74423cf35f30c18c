"""Plans valid for given targets, and whole (targets, plan, seed) scenarios, as strategies."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from .._util.times import to_date
from ..plan.plan import DEFAULT_GENERAL_MAX_RATE, Plan
from ..randomness.seed import Seed
from ..registry.columns import MISSING
from ..registry.targets import Targets
from ..sampling.engine import inclusion_probabilities
from .registries import FIRST_DATE, LAST_DATE, seeds, targets, weight_values

SIZE_MODES: tuple[str, ...] = ("rate", "total", "per_stratum", "census")
RISK_MODES: tuple[str | None, ...] = (None, "rates", "weights", "column")

_MISSING_LABEL = MISSING  # how a missing value is written in stratum labels and class maps
_MAX_CATEGORIES = 16


# -- plans ----------------------------------------------------------------------------------------
@attrs.frozen
class _Schema:
    """What a registry offers a plan: class-like, date and weight columns."""

    categorical: dict[str, tuple[str, ...]]  # column -> labels (incl. "(missing)" if any missing)
    dates: tuple[str, ...]
    numeric: tuple[str, ...]
    date_range: tuple[_dt.date, _dt.date]


def _iso_day(text: str) -> _dt.date | None:
    """The day ``text`` names, read as the engine reads a cool-off column (a date, or a
    date-time for its day), so that a column is offered as a cool-off column only when the
    engine accepts every value in it."""
    return to_date(text, allow_time=True)


def _schema(t: Targets) -> _Schema:
    categorical: dict[str, tuple[str, ...]] = {}
    date_cols: list[str] = []
    numeric: list[str] = []
    days: list[_dt.date] = []
    for name, col in t.columns.items():
        missing = bool(col.missing.any())
        if col.kind == "str":
            cats = tuple(col.categories)
            parsed = [_iso_day(c) for c in cats]
            if cats and all(d is not None for d in parsed):
                date_cols.append(name)
                days += [d for d in parsed if d is not None]
            elif 1 <= len(cats) <= _MAX_CATEGORIES:
                categorical[name] = cats + ((_MISSING_LABEL,) if missing else ())
            elif not cats and missing:
                date_cols.append(name)  # all missing: a cool-off column that excludes no one
        elif col.kind in ("int", "float") and not missing and len(col):
            values = col.as_float()
            if bool((values >= 0).all()) and bool((values < float("inf")).all()):
                numeric.append(name)
    date_range = (min(days), max(days)) if days else (FIRST_DATE, LAST_DATE)
    return _Schema(categorical, tuple(date_cols), tuple(numeric), date_range)


def _rates(cap: float) -> st.SearchStrategy[float]:
    """Rates in [0, cap], with the edges and a few round values likely."""
    edges = [r for r in (0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0) if r <= cap] + [cap]
    return st.one_of(st.sampled_from(edges), st.floats(0.0, cap, allow_subnormal=False))


def _probe(t: Targets, task: dict[str, Any]) -> list[tuple[str, int]]:
    """The task's eligible strata as (label, how many can be drawn), in the engine's order.

    A key task of rate 1 draws every unit that can be drawn (all eligible ones; under a weight
    design those with a positive weight), so its per-stratum size is that capacity.
    """
    probe = {k: v for k, v in task.items() if k not in ("size", "kind")}
    probe["size"] = {"rate": 1.0}
    summary = inclusion_probabilities({"name": "probe", "tasks": [probe]}, t).summary()
    return [(str(s["stratum"]), int(s["size"][0])) for s in summary]


def _stratum_key(label: str, strata: Sequence[str], use_bare: bool) -> str:
    """A per-stratum key: the full label, or the bare value when there is one strata column."""
    if use_bare and len(strata) == 1 and "=" in label:
        return label.split("=", 1)[1]
    return label


@attrs.frozen
class _TaskOptions:
    """What one drawn task may use: the plan's cap and the modes and parts allowed."""

    cap: float
    size_modes: tuple[str, ...]
    risk_modes: tuple[str | None, ...]
    kinds: tuple[str, ...]
    allow_where: bool
    allow_cooloff: bool
    allow_strata: bool


def _draw_filters(
    draw: st.DrawFn, task: dict[str, Any], schema: _Schema, opts: _TaskOptions
) -> list[str]:
    """Strata, a ``where`` filter on values that occur, a cool-off rule and the shared
    namespace, each sometimes; returns the strata columns (the risk and size draws need them)."""
    cats = sorted(schema.categorical)
    strata: list[str] = []
    if opts.allow_strata and cats:
        strata = draw(st.lists(st.sampled_from(cats), unique=True, max_size=2))
        if strata:
            task["strata"] = strata
    if opts.allow_where and cats and draw(st.integers(0, 3)) == 0:
        col = draw(st.sampled_from(cats))
        present = [v for v in schema.categorical[col] if v != _MISSING_LABEL]
        if present:
            if draw(st.booleans()):
                task["where"] = {col: draw(st.sampled_from(present))}
            else:
                task["where"] = {col: draw(st.lists(st.sampled_from(present), min_size=1,
                                                    max_size=len(present), unique=True))}
    if opts.allow_cooloff and schema.dates and draw(st.integers(0, 2)) == 0:
        lo, hi = schema.date_range
        as_of = draw(st.dates(lo, hi + _dt.timedelta(days=365)))
        task["cooloff"] = {
            "column": draw(st.sampled_from(schema.dates)),
            "days": draw(st.integers(0, 730)),
            "as_of": as_of.isoformat(),
        }
    if draw(st.integers(0, 4)) == 0:
        task["namespace"] = "shared"  # coordinated draws: the same PRNs across tasks
    return strata


def _draw_risk(
    draw: st.DrawFn,
    task: dict[str, Any],
    schema: _Schema,
    strata: list[str],
    risk_modes: tuple[str | None, ...],
    rate_cap: float,
) -> str | None:
    """A risk mode the targets have a fitting column for, written into ``task``; returns it."""
    cats = sorted(schema.categorical)
    available = {
        None: True,
        "rates": any(c not in strata for c in cats),  # a class column may not be a stratum
        "weights": bool(cats),
        "column": bool(schema.numeric),
    }
    options = [m for m in risk_modes if available[m]] or [None]
    risk = draw(st.sampled_from(options))
    if risk == "rates":
        col = draw(st.sampled_from([c for c in cats if c not in strata]))
        task["risk"] = {
            "column": col,
            "rates": {lab: draw(_rates(rate_cap)) for lab in schema.categorical[col]},
        }
    elif risk == "weights":
        col = draw(st.sampled_from(cats))
        task["risk"] = {
            "column": col,
            "weights": {lab: draw(weight_values()) for lab in schema.categorical[col]},
        }
    elif risk == "column":
        task["risk"] = {"column": draw(st.sampled_from(schema.numeric))}
    return risk


def _draw_size(
    draw: st.DrawFn,
    t: Targets,
    task: dict[str, Any],
    strata: list[str],
    size_modes: tuple[str, ...],
    rate_cap: float,
    rounding: str,
    minimum: int,
) -> None:
    """A ``size`` in one of ``size_modes``; ``total`` and ``per_stratum`` sizes are chosen from
    the eligible strata's capacities (:func:`_probe`), so they are always feasible."""
    general = task["kind"] == "general"
    modes = [m for m in size_modes if not general or m == "rate"] or ["rate"]
    mode = draw(st.sampled_from(modes))
    if mode == "census":
        task["size"] = {"census": True}
    elif mode == "rate":
        task["size"] = {"rate": draw(_rates(rate_cap)), "rounding": rounding, "minimum": minimum}
    else:
        cells = _probe(t, task)
        if mode == "per_stratum" and cells:
            bare = draw(st.booleans())
            task["size"] = {"per_stratum": {
                _stratum_key(label, strata, bare): draw(st.integers(0, cap_h))
                for label, cap_h in cells
            }}
        else:
            task["size"] = _draw_total(draw, cells, strata, minimum)


def _draw_total(
    draw: st.DrawFn, cells: list[tuple[str, int]], strata: list[str], minimum: int
) -> dict[str, Any]:
    """A feasible ``total`` size (between the strata's minimums and capacities) with an
    allocation; Neyman gets an anticipated rate per stratum."""
    lower = sum(min(minimum, cap_h) for _, cap_h in cells)
    upper = sum(cap_h for _, cap_h in cells)
    size: dict[str, Any] = {"total": draw(st.integers(lower, upper)), "minimum": minimum}
    allocation = draw(st.sampled_from(["proportional", "equal", "neyman"]))
    if allocation == "neyman" and not cells:
        allocation = "equal"  # Neyman needs an anticipated rate per stratum
    size["allocation"] = allocation
    if allocation == "neyman":
        bare = draw(st.booleans())
        size["anticipated"] = {
            _stratum_key(label, strata, bare): draw(_rates(1.0)) for label, _ in cells
        }
    return size


@st.composite
def _task(
    draw: st.DrawFn, t: Targets, schema: _Schema, index: int, opts: _TaskOptions
) -> dict[str, Any]:
    """One task valid for ``t``. The helpers draw in a fixed order (filters, risk, rounding
    and minimum, size), so the same choices give the same task."""
    kind = draw(st.sampled_from(opts.kinds))
    task: dict[str, Any] = {
        "name": draw(st.sampled_from(["task", "抽查事项"])) + str(index),
        "kind": kind,
    }
    strata = _draw_filters(draw, task, schema, opts)
    general = kind == "general"
    rate_cap = opts.cap if general else 1.0
    risk = _draw_risk(draw, task, schema, strata, opts.risk_modes, rate_cap)

    # sizes: a general task keeps E[n] <= cap * eligible with random rounding and rates <= cap
    rounding = "random" if general else draw(st.sampled_from(["ceil", "round", "random"]))
    minimum = 0 if general else draw(st.integers(0, 3))
    if risk == "rates":
        # the classes set the rates; size may only give rounding and minimum (or be left out,
        # which means ceil and no minimum: not for a general task, where ceil could pass the cap)
        if general:
            task["size"] = {"rounding": "random"}
        elif draw(st.booleans()):
            task["size"] = {"rounding": rounding, "minimum": minimum}
        return task
    _draw_size(draw, t, task, strata, opts.size_modes, rate_cap, rounding, minimum)
    return task


def plan_dicts(
    targets: Targets,
    *,
    max_tasks: int = 3,
    size_modes: Sequence[str] = SIZE_MODES,
    risk_modes: Sequence[str | None] = RISK_MODES,
    kinds: Sequence[str] = ("key", "general"),
    where: bool = True,
    cooloff: bool = True,
    strata: bool = True,
    general_max_rate: float | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Plan dicts (the published form) that are valid for ``targets``.

    Each plan has 1 to ``max_tasks`` tasks. Per task: ``kind`` from ``kinds``; up to two strata
    columns (when ``strata``); sometimes a ``where`` filter on values that occur (when ``where``),
    a cool-off rule on a date column (when ``cooloff``) and the shared namespace ``"shared"``; a
    risk mode from ``risk_modes`` (``None``, ``"rates"`` for class rates, ``"weights"`` for class
    weights, ``"column"`` for a numeric weight column) where the targets have a fitting column;
    and a size mode from ``size_modes`` (``"rate"`` with any rounding and a minimum of 0–3,
    ``"total"`` with proportional, equal or Neyman allocation, ``"per_stratum"``, ``"census"``).
    General tasks use rates at most the cap with random rounding and no minimum, so they never
    exceed it. ``general_max_rate`` fixes the plan's cap; by default it is drawn.
    """
    if max_tasks < 1:
        raise ValueError(f"max_tasks must be at least 1, got {max_tasks}")
    bad_size = [m for m in size_modes if m not in SIZE_MODES]
    bad_risk = [m for m in risk_modes if m not in RISK_MODES]
    bad_kind = [k for k in kinds if k not in ("key", "general")]
    if bad_size or bad_risk or bad_kind or not size_modes or not risk_modes or not kinds:
        raise ValueError(
            f"size_modes must be drawn from {SIZE_MODES}, risk_modes from {RISK_MODES}, kinds "
            f"from ('key', 'general'), none empty; got {list(size_modes)}, {list(risk_modes)}, "
            f"{list(kinds)}"
        )
    schema = _schema(targets)
    size_t, risk_t, kind_t = tuple(size_modes), tuple(risk_modes), tuple(kinds)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        cap = general_max_rate
        plan: dict[str, Any] = {"name": draw(st.sampled_from(["plan", "2025年度双随机抽查计划"]))}
        if cap is None:
            cap = draw(st.sampled_from([DEFAULT_GENERAL_MAX_RATE, 0.05, 0.2]))
            if cap != DEFAULT_GENERAL_MAX_RATE or draw(st.booleans()):
                plan["general_max_rate"] = cap
        else:
            plan["general_max_rate"] = cap
        n = draw(st.integers(1, max_tasks))
        opts = _TaskOptions(cap, size_t, risk_t, kind_t, where, cooloff, strata)
        plan["tasks"] = [draw(_task(targets, schema, i, opts)) for i in range(n)]
        return plan

    return build()


def plans(
    targets: Targets,
    *,
    max_tasks: int = 3,
    size_modes: Sequence[str] = SIZE_MODES,
    risk_modes: Sequence[str | None] = RISK_MODES,
    kinds: Sequence[str] = ("key", "general"),
    where: bool = True,
    cooloff: bool = True,
    strata: bool = True,
    general_max_rate: float | None = None,
) -> st.SearchStrategy[Plan]:
    """:class:`~shuangsuiji.Plan` values valid for ``targets``; see :func:`plan_dicts`."""
    return plan_dicts(
        targets,
        max_tasks=max_tasks,
        size_modes=size_modes,
        risk_modes=risk_modes,
        kinds=kinds,
        where=where,
        cooloff=cooloff,
        strata=strata,
        general_max_rate=general_max_rate,
    ).map(Plan.from_dict)


def scenarios(
    targets_strategy: st.SearchStrategy[Targets] | None = None,
    **plan_options: Any,
) -> st.SearchStrategy[tuple[Targets, Plan, Seed]]:
    """``(targets, plan, seed)``: targets from ``targets_strategy`` (default :func:`targets`),
    a plan valid for them (``plan_options`` go to :func:`plans`) and a seed."""
    base = targets() if targets_strategy is None else targets_strategy
    return base.flatmap(
        lambda t: st.tuples(st.just(t), plans(t, **plan_options), seeds())
    )
