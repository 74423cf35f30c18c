"""Hypothesis strategies for property tests of code built on shuangsuiji.

Registries, plans and seeds that are valid by construction, so a property test can draw a whole
problem and check what it cares about::

    from hypothesis import given
    from shuangsuiji import strategies as sst
    import shuangsuiji as ss

    @given(sst.scenarios())
    def test_drawn_targets_have_positive_probability(scenario):
        targets, plan, seed = scenario
        assert all(r["inclusion_probability"] > 0 for r in ss.draw(plan, targets, seed).to_records())

The building blocks compose the usual way:

- :func:`records` — rows (dicts) of a registry: ``id``, ``region``, ``field``, ``credit`` (A–D),
  ``weight`` (a float >= 0, some zero) and ``last_inspected`` (an ISO date or ``None``);
- :func:`targets` — the same rows as :class:`~shuangsuiji.Targets`;
- :func:`plan_dicts` / :func:`plans` — plans valid for *given* targets: a random mix of size
  modes (rate, total, per_stratum, census), risk modes (class rates, class weights, a weight
  column), strata, ``where`` filters on values that occur, cool-off rules and shared namespaces.
  General (一般) tasks stay within the plan's cap (random rounding, rates at most the cap);
- :func:`seeds` — :class:`~shuangsuiji.Seed` values of 16 to 32 random bytes;
- :func:`scenarios` — ``(targets, plan, seed)`` triples.
- :func:`inspector_records` / :func:`inspectors` — inspector registries (officers and experts
  with units, regions, qualifications drawn from the targets' fields, capacities, conflicts).
- :func:`team_dicts` / :func:`assign_scenarios` — task ``team`` rules, and whole problems for
  ``assign`` (targets, plan with teams, selection, inspectors, seed, history, recusals).

Plans are built from what the targets hold: text columns with few values are strata, filter and
class columns, text columns of ISO dates are cool-off columns, and numeric columns with finite,
non-negative values are weight columns. Sizes that depend on the data (``total`` and
``per_stratum``) are chosen from the eligible strata, which are found with
:func:`~shuangsuiji.inclusion_probabilities`, so they are always feasible.

This module needs hypothesis (``pip install "shuangsuiji[test]"``); nothing of it is exported
from the package root: ``from shuangsuiji import strategies``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

try:
    from hypothesis import strategies as st
except ImportError as _exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "shuangsuiji.strategies needs hypothesis, which is not installed; "
        'install it with: pip install "shuangsuiji[test]"'
    ) from _exc

import attrs

from ._assign_strategies import AssignScenario, assign_scenarios, team_dicts
from ._inspector_strategies import UNITS, inspector_records, inspectors
from .columns import MISSING
from .draw import inclusion_probabilities
from .plan import DEFAULT_GENERAL_MAX_RATE, Plan
from .registry import Targets
from .seed import Seed

__all__ = [
    "CREDIT_CLASSES",
    "FIELDS",
    "REGIONS",
    "RISK_MODES",
    "SIZE_MODES",
    "UNITS",
    "AssignScenario",
    "assign_scenarios",
    "inspector_records",
    "inspectors",
    "plan_dicts",
    "plans",
    "records",
    "scenarios",
    "seeds",
    "targets",
    "team_dicts",
]

REGIONS: tuple[str, ...] = (
    "石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "廊坊", "衡水",
    "雄安",
)
"""Region names :func:`records` draws from (the first ``regions`` of them)."""

FIELDS: tuple[str, ...] = ("食品", "药品", "特种设备", "工业产品", "计量", "检验检测")
"""Regulatory fields :func:`records` draws from (the first ``fields`` of them)."""

CREDIT_CLASSES: tuple[str, ...] = ("A", "B", "C", "D")
"""Credit-risk classes (A lowest risk, D highest)."""

SIZE_MODES: tuple[str, ...] = ("rate", "total", "per_stratum", "census")
RISK_MODES: tuple[str | None, ...] = (None, "rates", "weights", "column")

_ID_STYLES = ("sequential", "uscc", "text")
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 code characters
_TEXT_ID_ALPHABET = "0123456789ABCDEFXYZabcxyz-_.企业甲乙丙丁"
_FIRST_DATE = _dt.date(2023, 1, 1)
_LAST_DATE = _dt.date(2025, 12, 31)
_MISSING_LABEL = MISSING  # how a missing value is written in stratum labels and class maps
_MAX_CATEGORIES = 16


# -- registries -----------------------------------------------------------------------------------
def _id_lists(style: str, n: int) -> st.SearchStrategy[list[str]]:
    """``n`` distinct IDs in one style."""
    if style == "sequential":
        # credit-code-like sequential IDs: a fixed prefix and a running number
        return st.integers(0, 10**8).map(
            lambda start: [f"91130100MA{start + i:08d}" for i in range(n)]
        )
    if style == "uscc":
        # 18 characters: "91" (enterprise), area code 130100, 9-character body, check character
        # (the check character is random, not computed: the registry does not validate it)
        body = st.text(_USCC_ALPHABET, min_size=10, max_size=10)
        return st.lists(body, min_size=n, max_size=n, unique=True).map(
            lambda xs: [f"91130100{x}" for x in xs]
        )
    text = st.text(_TEXT_ID_ALPHABET, min_size=1, max_size=10)
    return st.lists(text, min_size=n, max_size=n, unique=True)


def _weights() -> st.SearchStrategy[float]:
    """Non-negative weights: often zero, sometimes tiny or huge (certainty units)."""
    return st.one_of(
        st.just(0.0),
        st.sampled_from([1e-9, 0.25, 1.0, 1.0, 2.0, 10.0, 1e6]),
        st.floats(0.0, 1000.0, allow_nan=False, allow_infinity=False, allow_subnormal=False),
    )


def _names(given: int | Sequence[str], pool: Sequence[str], what: str) -> list[str]:
    if isinstance(given, int):
        if not 1 <= given <= len(pool):
            raise ValueError(f"{what} must be between 1 and {len(pool)}, got {given}")
        return list(pool[:given])
    names = [str(x) for x in given]
    if not names:
        raise ValueError(f"{what}: give at least one name")
    return names


def records(
    *,
    min_size: int = 1,
    max_size: int = 30,
    regions: int | Sequence[str] = 3,
    fields: int | Sequence[str] = 2,
    id_style: str | None = None,
    dates: bool = True,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Rows of a registry, as ``Targets.from_records`` takes them.

    Every row has ``id`` (unique), ``region`` (one of the first ``regions`` names of
    :data:`REGIONS`, or the names given), ``field`` (likewise from :data:`FIELDS`), ``credit``
    (A–D), ``weight`` (a float >= 0: zero, tiny, ordinary or huge) and, when ``dates`` is true,
    ``last_inspected`` (an ISO date from 2023–2025 or ``None``). ``id_style`` is
    ``"sequential"`` (credit-code-like running numbers), ``"uscc"`` (18-character codes),
    ``"text"`` (short mixed ASCII/Chinese text) or ``None`` for any of them.
    """
    if not 1 <= min_size <= max_size:
        raise ValueError(f"need 1 <= min_size <= max_size, got {min_size}, {max_size}")
    if id_style is not None and id_style not in _ID_STYLES:
        raise ValueError(f"id_style must be one of {_ID_STYLES} or None, got {id_style!r}")
    region_names = _names(regions, REGIONS, "regions")
    field_names = _names(fields, FIELDS, "fields")
    styles = _ID_STYLES if id_style is None else (id_style,)
    date_values = st.one_of(
        st.none(), st.dates(_FIRST_DATE, _LAST_DATE).map(lambda d: d.isoformat())
    )

    @st.composite
    def build(draw: st.DrawFn) -> list[dict[str, Any]]:
        n = draw(st.integers(min_size, max_size))
        ids = draw(_id_lists(draw(st.sampled_from(styles)), n))
        rows: list[dict[str, Any]] = []
        for target_id in ids:
            row: dict[str, Any] = {
                "id": target_id,
                "region": draw(st.sampled_from(region_names)),
                "field": draw(st.sampled_from(field_names)),
                "credit": draw(st.sampled_from(CREDIT_CLASSES)),
                "weight": draw(_weights()),
            }
            if dates:
                row["last_inspected"] = draw(date_values)
            rows.append(row)
        return rows

    return build()


def targets(
    *,
    min_size: int = 1,
    max_size: int = 30,
    regions: int | Sequence[str] = 3,
    fields: int | Sequence[str] = 2,
    id_style: str | None = None,
    dates: bool = True,
) -> st.SearchStrategy[Targets]:
    """:class:`~shuangsuiji.Targets` built from :func:`records` (same parameters), ID column ``id``."""
    return records(
        min_size=min_size,
        max_size=max_size,
        regions=regions,
        fields=fields,
        id_style=id_style,
        dates=dates,
    ).map(lambda rows: Targets.from_records(rows, id="id"))


def seeds(min_bytes: int = 16, max_bytes: int = 32) -> st.SearchStrategy[Seed]:
    """Seeds of ``min_bytes`` to ``max_bytes`` random bytes (at least 16: 128 bits)."""
    if not 16 <= min_bytes <= max_bytes:
        raise ValueError(f"need 16 <= min_bytes <= max_bytes, got {min_bytes}, {max_bytes}")
    return st.binary(min_size=min_bytes, max_size=max_bytes).map(lambda b: Seed.from_hex(b.hex()))


# -- plans ----------------------------------------------------------------------------------------
@attrs.frozen
class _Schema:
    """What a registry offers a plan: class-like, date and weight columns."""

    categorical: dict[str, tuple[str, ...]]  # column -> labels (incl. "(missing)" if any missing)
    dates: tuple[str, ...]
    numeric: tuple[str, ...]
    date_range: tuple[_dt.date, _dt.date]


def _iso_day(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


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
    date_range = (min(days), max(days)) if days else (_FIRST_DATE, _LAST_DATE)
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


@st.composite
def _task(
    draw: st.DrawFn,
    t: Targets,
    schema: _Schema,
    index: int,
    cap: float,
    size_modes: tuple[str, ...],
    risk_modes: tuple[str | None, ...],
    kinds: tuple[str, ...],
    allow_where: bool,
    allow_cooloff: bool,
    allow_strata: bool,
) -> dict[str, Any]:
    kind = draw(st.sampled_from(kinds))
    task: dict[str, Any] = {
        "name": draw(st.sampled_from(["task", "抽查事项"])) + str(index),
        "kind": kind,
    }
    cats = sorted(schema.categorical)
    strata: list[str] = []
    if allow_strata and cats:
        strata = draw(st.lists(st.sampled_from(cats), unique=True, max_size=2))
        if strata:
            task["strata"] = strata
    if allow_where and cats and draw(st.integers(0, 3)) == 0:
        col = draw(st.sampled_from(cats))
        present = [v for v in schema.categorical[col] if v != _MISSING_LABEL]
        if present:
            if draw(st.booleans()):
                task["where"] = {col: draw(st.sampled_from(present))}
            else:
                task["where"] = {col: draw(st.lists(st.sampled_from(present), min_size=1,
                                                    max_size=len(present), unique=True))}
    if allow_cooloff and schema.dates and draw(st.integers(0, 2)) == 0:
        lo, hi = schema.date_range
        as_of = draw(st.dates(lo, hi + _dt.timedelta(days=365)))
        task["cooloff"] = {
            "column": draw(st.sampled_from(schema.dates)),
            "days": draw(st.integers(0, 730)),
            "as_of": as_of.isoformat(),
        }
    if draw(st.integers(0, 4)) == 0:
        task["namespace"] = "shared"  # coordinated draws: the same PRNs across tasks

    available = {
        None: True,
        "rates": any(c not in strata for c in cats),  # a class column may not be a stratum
        "weights": bool(cats),
        "column": bool(schema.numeric),
    }
    options = [m for m in risk_modes if available[m]] or [None]
    risk = draw(st.sampled_from(options))
    general = kind == "general"
    rate_cap = cap if general else 1.0
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
            "weights": {lab: draw(_weights()) for lab in schema.categorical[col]},
        }
    elif risk == "column":
        task["risk"] = {"column": draw(st.sampled_from(schema.numeric))}

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
            task["size"] = size
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
        plan["tasks"] = [
            draw(_task(targets, schema, i, cap, size_t, risk_t, kind_t, where, cooloff, strata))
            for i in range(n)
        ]
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
