"""A fixed second batch of a year, with the cap, the spread and the coverage all in force, for
the reference, Monte Carlo and property tests of the burden (docs/spec.md §11.4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji import strategies as sst
from shuangsuiji.sampling.burden import Burden, Inspection, burden_of

DEPTS = ["市场监管局", "生态环境局"]
DAY = dt.date(2026, 7, 1)


def registry(n: int = 24) -> list[dict[str, Any]]:
    """``n`` enterprises: credit class A–D, two cities, a numeric weight 0–4."""
    return [
        {"id": f"91130100MA{i:08d}", "credit": "ABCD"[i % 4], "city": "xy"[i % 2], "w": float(i % 5)}
        for i in range(n)
    ]


def _days(day: dt.date, *back: int) -> list[dt.date]:
    return [day - dt.timedelta(days=k) for k in back]


# per enterprise i, by i % 6: (kind, days back, department index) of its inspections
_PATTERN = [
    [("random", 30, 0), ("random", 150, 0)],  # at the cap for department 0's tasks
    [("random", 120, 0), ("directed", 260, 1)],  # once for each department: not capped
    [("directed", 40, 1), ("directed", 90, 1)],  # at the cap for department 1's tasks
    [("prior", 1100, 0)],  # not inspected for 2 years: overdue, certain
    [("prior", 550, 1)],  # covered, not recent
    [("random", 100, 1)],  # recent: spared (except class D)
]


def history(rows: list[dict[str, Any]], day: dt.date = DAY) -> list[dict[str, Any]]:
    """Inspections by the pattern above, plus one of an enterprise that left the registry."""
    out = [
        {"id": str(r["id"]), "date": d, "kind": kind, "departments": [DEPTS[dep]]}
        for i, r in enumerate(rows)
        for kind, back, dep in _PATTERN[i % 6]
        for d in _days(day, back)
    ]
    out.append({"id": "91130100MA99999999", "date": day - dt.timedelta(days=9),
                "kind": "directed", "departments": [DEPTS[0]]})
    return out


YEAR = {
    "departments": DEPTS,
    "cap": {"per_year": 2, "scope": "department", "directed": True},
    "spread": {"days": 200, "factor": 0.25, "except": {"column": "credit", "values": ["D"]}},
    "coverage": {"years": 2, "certain": True},
}

TASKS = [
    {"name": "srs", "department": DEPTS[0], "strata": ["city"],
     "size": {"rate": 0.3, "rounding": "random"}},
    {"name": "cls", "department": DEPTS[1],
     "risk": {"column": "credit", "weights": {"A": 0, "B": 1, "C": 2, "D": 4}},
     "size": {"rate": 0.25, "rounding": "random"}},
    {"name": "col", "department": DEPTS[0], "risk": {"column": "w"}, "size": {"total": 4}},
    {"name": "rates", "department": DEPTS[1],
     "risk": {"column": "credit", "rates": {"A": 0, "B": 0.2, "C": 0.5, "D": 1}}},
]


def batch_two(n: int = 24) -> dict[str, Any]:
    """Registry rows, plan (with its year rules), batch day, horizon and history."""
    rows = registry(n)
    return {
        "rows": rows,
        "plan": {"name": "第二批", "year": YEAR, "tasks": TASKS},
        "day": DAY,
        "horizon": DAY - dt.timedelta(days=800),
        "history": history(rows),
    }


# -- random instances ------------------------------------------------------------------------------
@st.composite
def year_rules(draw: st.DrawFn, full: bool = False) -> dict[str, Any]:
    """Year rules in the published form; always the two departments, at least one rule (all
    three when ``full``)."""
    rules: dict[str, Any] = {"departments": DEPTS}
    if full or draw(st.booleans()):
        rules["cap"] = {
            "per_year": draw(st.integers(1, 3)),
            "scope": draw(st.sampled_from(["all", "department"])),
            "directed": draw(st.booleans()),
        }
    if full or draw(st.booleans()):
        factor = draw(st.sampled_from([0.0, 0.25, 0.5, 1 / 3, 1.0]))
        rules["spread"] = {"days": draw(st.integers(1, 400)), "factor": factor}
        if factor < 1 and draw(st.booleans()):
            values = draw(st.lists(st.sampled_from("ABCD"), min_size=1, max_size=2, unique=True))
            rules["spread"]["except"] = {"column": "credit", "values": values}
    if full or draw(st.booleans()) or len(rules) == 1:
        years = draw(st.integers(1, 3))
        if draw(st.booleans()):
            rules["coverage"] = {"years": years, "certain": True}
        else:
            rules["coverage"] = {"years": years, "factor": draw(st.sampled_from([1, 2, 4.5]))}
    return rules


@st.composite
def histories(
    draw: st.DrawFn, ids: list[str], day: dt.date, future: bool = True
) -> list[dict[str, Any]]:
    """Inspections of the registry's IDs and of one that left it, before ``day`` or (when
    ``future``) a few after it, as ``burden_of`` takes them and ``ss.draw`` refuses them."""
    row = st.fixed_dictionaries(
        {
            "id": st.sampled_from([*ids, "GONE-0001"]),
            "date": st.integers(-20 if future else 0, 4 * 366).map(lambda k: day - dt.timedelta(days=k)),
            "kind": st.sampled_from(["random", "directed", "prior"]),
            "departments": st.lists(st.sampled_from(DEPTS), max_size=2, unique=True),
        }
    )
    size = draw(st.integers(0, 40))
    return draw(st.lists(row, min_size=size, max_size=size))


@st.composite
def instances(
    draw: st.DrawFn, full: bool = False, future: bool = True, **plan_options: Any
) -> dict[str, Any]:
    """A registry, a plan with year rules (all three rules when ``full``), a batch day, a
    horizon, a history (see :func:`histories`) and a seed."""
    rows = draw(sst.records(max_size=20))
    targets = ss.Targets.from_records(rows)
    plan = draw(sst.plan_dicts(targets, max_tasks=2, **plan_options))
    for t in plan["tasks"]:
        t["department"] = draw(st.sampled_from(DEPTS))
    plan["year"] = draw(year_rules(full))
    day = draw(st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)))
    back = st.sampled_from([1096, 1827]) if full else st.one_of(
        st.sampled_from([0, 366, 731, 1096, 1827]), st.integers(0, 5 * 366))
    return {
        "rows": rows,
        "plan": plan,
        "day": day,
        "horizon": day - dt.timedelta(days=draw(back)),
        "history": draw(histories([str(r["id"]) for r in rows], day, future)),
        "seed": draw(sst.seeds()),
    }


def lib_burden(x: dict[str, Any]) -> tuple[ss.Plan, ss.Targets, Burden]:
    plan = ss.Plan.from_dict(x["plan"])
    targets = ss.Targets.from_records(x["rows"])
    insp = [Inspection(h["id"], h["date"], tuple(h["departments"]), h["kind"]) for h in x["history"]]
    assert plan.year is not None
    return plan, targets, burden_of(plan.year, plan, targets, insp, x["day"], x["horizon"])


