"""The burden of a batch and the draw under it agree with the stdlib reference
(tests/ref_year.py, docs/spec.md §11.2–11.4).

On hypothesis-generated registries, plans, year rules (cap across or per department, directed
counted or not, spread with and without class exceptions, coverage by factor or certainty,
every combination), histories (random, directed and prior inspections, IDs that left the
registry, dates before and after the batch day) and horizons, both implementations must give
the same factor, certainty and cap exclusion of every target, the same cells, the same π of
every eligible target (bit for bit) and the same draw.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import ref_year
import year_helpers
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

import shuangsuiji as ss
from shuangsuiji import strategies as sst
from shuangsuiji.sampling import engine
from shuangsuiji.sampling.burden import Burden, Inspection, burden_of

DEPTS = year_helpers.DEPTS
SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


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
def histories(draw: st.DrawFn, ids: list[str], day: dt.date) -> list[dict[str, Any]]:
    """Inspections of the registry's IDs and of one that left it, mostly before ``day``."""
    row = st.fixed_dictionaries(
        {
            "id": st.sampled_from([*ids, "GONE-0001"]),
            "date": st.integers(-20, 4 * 366).map(lambda k: day - dt.timedelta(days=k)),
            "kind": st.sampled_from(["random", "directed", "prior"]),
            "departments": st.lists(st.sampled_from(DEPTS), max_size=2, unique=True),
        }
    )
    size = draw(st.integers(0, 40))
    return draw(st.lists(row, min_size=size, max_size=size))


@st.composite
def instances(draw: st.DrawFn, full: bool = False, **plan_options: Any) -> dict[str, Any]:
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
        "history": draw(histories([str(r["id"]) for r in rows], day)),
        "seed": draw(sst.seeds()),
    }


def lib_burden(x: dict[str, Any]) -> tuple[ss.Plan, ss.Targets, Burden]:
    plan = ss.Plan.from_dict(x["plan"])
    targets = ss.Targets.from_records(x["rows"])
    insp = [Inspection(h["id"], h["date"], tuple(h["departments"]), h["kind"]) for h in x["history"]]
    assert plan.year is not None
    return plan, targets, burden_of(plan.year, plan, targets, insp, x["day"], x["horizon"])


def check_agreement(x: dict[str, Any]) -> None:
    plan, targets, b = lib_burden(x)
    try:
        pi = engine.inclusion_probabilities(plan, targets, burden=b)
        sel = engine.draw(plan, targets, x["seed"], burden=b)
    except ss.InputError:
        # per-stratum sizes above what is left, totals above capacity, a general task pushed
        # over its cap by certain units: refused by the library (tested elsewhere)
        assume(False)
        return
    ref = ref_year.burden(x["plan"]["year"], x["plan"], x["rows"], x["history"], x["day"],
                          x["horizon"])
    ids = targets.ids()
    if currently_in_test_context():  # what the instance exercises (--hypothesis-show-statistics)
        event(f"capped: {any(b.excluded(t).any() for t in plan.tasks)}")
        event(f"spared: {bool(b.spared.any())}, factor 0: {bool((b.factor == 0).any())}")
        event(f"certain: {bool(b.certain.any())}, overdue: {bool(b.overdue.any())}")
    assert b.factor.tolist() == [ref.factor[i] for i in ids]
    assert b.certain.tolist() == [ref.certain[i] for i in ids]
    for task in plan.tasks:
        assert b.excluded(task).tolist() == [ref.capped[(task.name, i)] for i in ids]

    cells = [(t["name"], c) for t in x["plan"]["tasks"]
             for c in ref_year.design_task(t, x["rows"], ref)]
    summary = sel.summary()
    assert [(t, c.label) for t, c in cells] == [(s["task"], s["stratum"]) for s in summary]
    for (t, c), s in zip(cells, summary):
        assert s["design"] == c.method, (t, c.label)
        assert s["population"] == len(c.members)
        assert s["size"] == ([c.size.low] if c.size.fixed else [c.size.low, c.size.high])
        assert s["expected"] == float(c.size.expected)

    ref_pi = ref_year.inclusion_probabilities(x["plan"], x["rows"], ref)
    lib_pi = {(r["task"], r["id"]): (r["stratum"], r["inclusion_probability"])
              for r in pi.to_records()}
    assert lib_pi == ref_pi

    ref_sel = ref_year.draw(x["plan"], x["rows"], x["seed"].value, ref)
    assert sel.id_set() == frozenset(ref_sel)
    for r in sel.to_records():
        assert (r["stratum"], r["inclusion_probability"]) == ref_sel[(r["task"], r["id"])]


@SETTINGS
@given(instances())
def test_reference_agrees_on_any_plan_and_rules(x: dict[str, Any]) -> None:
    check_agreement(x)


@SETTINGS
@given(instances(full=True))
def test_reference_agrees_with_cap_spread_and_coverage_together(x: dict[str, Any]) -> None:
    check_agreement(x)


@SETTINGS
@given(instances(risk_modes=["weights", "column"], size_modes=["rate", "total"], kinds=["key"]))
def test_reference_agrees_on_weighted_designs(x: dict[str, Any]) -> None:
    check_agreement(x)


@SETTINGS
@given(instances(risk_modes=[None, "rates"], size_modes=["rate"], kinds=["key"], where=False))
def test_reference_agrees_on_srs_and_class_rates(x: dict[str, Any]) -> None:
    check_agreement(x)


def test_reference_agrees_with_every_rule_and_many_certain_units() -> None:
    """A fixed registry where the cap, the spread (with exceptions), the coverage certainty and
    random rounding all bite in the same cells (year_helpers.batch_two), over many seeds."""
    x = year_helpers.batch_two()
    plan, _, b = lib_burden(x)
    assert all(b.excluded(t).any() for t in plan.tasks)
    assert b.spared.any() and b.certain.any() and (b.factor < 1).any()
    for i in range(25):
        check_agreement({**x, "seed": ss.Seed.from_hex(f"{i:032x}")})


@pytest.mark.parametrize(("day", "years", "expected"), [
    (dt.date(2028, 2, 29), 1, dt.date(2027, 2, 28)),
    (dt.date(2028, 2, 29), 4, dt.date(2024, 2, 29)),
    (dt.date(2026, 3, 1), 2, dt.date(2024, 3, 1)),
    (dt.date(1, 5, 5), 1, None),
])
def test_years_before(day: dt.date, years: int, expected: dt.date | None) -> None:
    from shuangsuiji.sampling.burden import years_before

    assert years_before(day, years) == expected
    assert ref_year.years_before(day, years) == expected
