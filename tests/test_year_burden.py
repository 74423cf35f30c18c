"""The burden of a batch (docs/spec.md §11.2–11.4): the spec's test vector, the public
``history=`` / ``as_of=`` / ``horizon=`` entry points, and every refusal, each naming its
culprit."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import numpy as np
import pytest
import ref_year
import year_helpers
from spec_text import SPEC, markdown_table

import shuangsuiji as ss
from shuangsuiji.plan.year import YearRules
from shuangsuiji.sampling import engine
from shuangsuiji.sampling.burden import Inspection, burden_of
from shuangsuiji.sampling.history import batch_burden

VECTOR = SPEC[SPEC.index("#### 11.4.1 Burden test vector"):]


def _table(first_col: str) -> list[list[str]]:
    return markdown_table(VECTOR, first_col)


def _json_blocks() -> list[Any]:
    return [json.loads(b) for b in re.findall(r"```json\n(.*?)```", VECTOR, re.DOTALL)][:2]


def spec_vector() -> dict[str, Any]:
    """The §11.4.1 vector: rules, tasks, history, days, and the expected rows."""
    rules, tasks = _json_blocks()
    day, horizon = re.search(r"batch day `([0-9-]+)`, horizon `([0-9-]+)`", VECTOR).groups()
    history = [
        {"id": i, "date": d, "kind": k, "departments": [x.strip() for x in deps.split(",")]}
        for i, d, k, deps in _table("history id")
    ]
    expected = _table("burden id")
    rows = [{"id": r[0], "credit": r[1]} for r in expected]
    return {"plan": {"name": "第二批", "year": rules, "tasks": tasks}, "rows": rows,
            "history": history, "day": day, "horizon": horizon, "expected": expected}


V = spec_vector()
TASK_COLS = ["weights", "srs", "rates"]


def test_vector_table_is_complete() -> None:
    assert len(V["expected"]) == 8 and len(V["history"]) == 10
    assert [t["name"] for t in V["plan"]["tasks"]] == TASK_COLS


def _expected_pi() -> dict[tuple[str, str], float]:
    out = {}
    for row in V["expected"]:
        for task, cell in zip(TASK_COLS, row[5:]):
            if cell != "—":
                out[(task, row[0])] = float(cell)
    return out


def test_spec_vector_library() -> None:
    targets = ss.Targets.from_records(V["rows"])
    b = batch_burden(V["plan"], targets, V["history"], V["day"], V["horizon"])
    assert b is not None and b.coverage_in_force
    plan = ss.Plan.from_dict(V["plan"])
    for i, row in enumerate(V["expected"]):
        _, _, capped, factor, certain = row[:5]
        assert b.excluded(plan.tasks[0])[i] == (capped == "yes"), row[0]
        assert b.factor[i] == float(factor), row[0]
        assert b.certain[i] == (certain == "yes"), row[0]
    pi = ss.inclusion_probabilities(V["plan"], targets, history=V["history"], as_of=V["day"],
                                    horizon=V["horizon"])
    got = {(r["task"], r["id"]): r["inclusion_probability"] for r in pi.to_records()}
    assert got == _expected_pi()
    sizes = {(s["task"], s["stratum"]): (s["design"], s["size"], s["expected"])
             for s in pi.summary()}
    assert sizes[("weights", "all")] == ("pips", [3], 3.0)
    assert sizes[("srs", "all")] == ("pips", [4, 5], 4.1)
    assert sizes[("rates", "credit=A")] == ("none", [0], 0.0)
    assert sizes[("rates", "credit=C")] == ("pips", [2], 2.0)


def _ref_history() -> list[dict[str, Any]]:
    return [{**h, "date": dt.date.fromisoformat(h["date"])} for h in V["history"]]


def test_spec_vector_reference() -> None:
    day, horizon = dt.date.fromisoformat(V["day"]), dt.date.fromisoformat(V["horizon"])
    ref = ref_year.burden(V["plan"]["year"], V["plan"], V["rows"], _ref_history(), day, horizon)
    for row in V["expected"]:
        assert ref.capped[("weights", row[0])] == (row[2] == "yes")
        assert ref.factor[row[0]] == float(row[3])
        assert ref.certain[row[0]] == (row[4] == "yes")
    got = {k: p for k, (_, p) in ref_year.inclusion_probabilities(V["plan"], V["rows"],
                                                                   ref).items()}
    assert got == _expected_pi()


def test_spec_vector_draws_agree() -> None:
    """Both implementations draw the same sets from the vector, whatever the seed."""
    targets = ss.Targets.from_records(V["rows"])
    day, horizon = dt.date.fromisoformat(V["day"]), dt.date.fromisoformat(V["horizon"])
    ref = ref_year.burden(V["plan"]["year"], V["plan"], V["rows"], _ref_history(), day, horizon)
    for i in range(30):
        seed = ss.Seed.from_hex(f"{i:032x}")
        sel = ss.draw(V["plan"], targets, seed, history=V["history"], as_of=V["day"],
                      horizon=V["horizon"])
        assert sel.id_set() == frozenset(ref_year.draw(V["plan"], V["rows"], seed.value, ref))
        assert "91130100MA0D0001X1" not in sel.ids.tolist()  # capped
        assert {"91130100MA0D0004X4"} <= set(sel.ids_for("weights"))  # certain


# -- the public entry points ---------------------------------------------------------------------
PLAIN = {"name": "p", "tasks": [{"name": "t", "size": {"rate": 0.5}}]}


def test_no_year_rules_is_todays_draw() -> None:
    targets = ss.Targets.from_records(year_helpers.registry())
    seed = ss.Seed.from_hex("00" * 16)
    assert batch_burden(PLAIN, targets) is None
    a = ss.draw(PLAIN, targets, seed)
    b = engine.draw(PLAIN, targets, seed)
    assert a.to_records() == b.to_records() and a.summary() == b.summary()


def test_year_rules_without_history_is_the_first_batch() -> None:
    """An empty history: no cap reached, every factor 1, the coverage not in force; with a
    spread or a coverage every cell is πps with the base weights."""
    x = year_helpers.batch_two()
    targets = ss.Targets.from_records(x["rows"])
    seed = ss.Seed.from_hex("11" * 16)
    plan = ss.Plan.from_dict(x["plan"])
    assert plan.year is not None
    empty = burden_of(plan.year, plan, targets, [], x["day"], x["day"])
    sel = ss.draw(x["plan"], targets, seed)
    assert sel.to_records() == engine.draw(plan, targets, seed, burden=empty).to_records()
    assert {s["design"] for s in sel.summary()} <= {"pips", "none"}
    assert (empty.factor == 1).all() and not empty.certain.any()
    # the days do not matter without a history
    later = ss.draw(x["plan"], targets, seed, history=[], as_of="2030-01-01")
    assert later.to_records() == sel.to_records()


def test_history_rows_may_be_inspections_and_dates_may_carry_times() -> None:
    x = year_helpers.batch_two()
    targets = ss.Targets.from_records(x["rows"])
    rows = [{**h, "date": h["date"].isoformat() + "T09:30:00"} for h in x["history"]]
    objects = [Inspection(h["id"], h["date"], tuple(h["departments"]), h["kind"])
               for h in x["history"]]
    a = ss.inclusion_probabilities(x["plan"], targets, history=rows, as_of=x["day"],
                                   horizon=x["horizon"])
    b = ss.inclusion_probabilities(x["plan"], targets, history=objects,
                                   as_of=x["day"].isoformat(), horizon=x["horizon"])
    assert a.to_records() == b.to_records()


def test_unknown_ids_are_ignored() -> None:
    x = year_helpers.batch_two()
    targets = ss.Targets.from_records(x["rows"])
    plan = ss.Plan.from_dict(x["plan"])
    assert plan.year is not None
    insp = [Inspection(h["id"], h["date"], tuple(h["departments"]), h["kind"])
            for h in x["history"]]
    gone = [Inspection("NOT-HERE", x["day"], (), "random")] * 5
    a = burden_of(plan.year, plan, targets, insp, x["day"], x["horizon"])
    b = burden_of(plan.year, plan, targets, insp + gone, x["day"], x["horizon"])
    assert np.array_equal(a.factor, b.factor) and np.array_equal(a.certain, b.certain)
    assert all(np.array_equal(a.excluded(t), b.excluded(t)) for t in plan.tasks)


def test_summary_counts() -> None:
    targets = ss.Targets.from_records(V["rows"])
    b = batch_burden(V["plan"], targets, V["history"], V["day"], V["horizon"])
    assert b is not None
    s = b.summary(ss.Plan.from_dict(V["plan"]), targets)
    assert s[0] == {"task": "weights", "eligible": 8, "capped": 1, "spared": 2, "overdue": 2,
                    "certain": 2}


@pytest.mark.parametrize(("column", "values", "rows"), [
    ("n", ["3"], {"E3"}),
    ("ok", ["true"], {"E1", "E3"}),
    ("x", ["0.5"], {"E1"}),
    ("x", ["2"], {"E2"}),
])
def test_except_values_are_read_as_cell_labels(column: str, values: list[str],
                                               rows: set[str]) -> None:
    """Numbers, booleans and floats are compared as a cell label writes them (§11.4 step 2);
    a missing value is never excepted."""
    recs = [{"id": f"E{i}", "n": i, "ok": i % 2 == 1, "x": [None, 0.5, 2.0, None][i]}
            for i in range(4)]
    targets = ss.Targets.from_records(recs)
    year = {"spread": {"days": 10, "factor": 0.5, "except": {"column": column, "values": values}}}
    plan = ss.Plan.from_dict({**PLAIN, "year": year})
    assert plan.year is not None
    insp = [Inspection(f"E{i}", dt.date(2026, 1, 1)) for i in range(4)]
    b = burden_of(plan.year, plan, targets, insp, dt.date(2026, 1, 5), dt.date(2026, 1, 1))
    assert {f"E{i}" for i in range(4) if b.factor[i] == 1.0} == rows


def test_per_department_cap_counts_each_department() -> None:
    recs = [{"id": f"E{i}"} for i in range(3)]
    targets = ss.Targets.from_records(recs)
    deps = year_helpers.DEPTS
    plan = ss.Plan.from_dict({"name": "p", "year": {
        "departments": deps, "cap": {"per_year": 1, "scope": "department", "directed": False}},
        "tasks": [{"name": "a", "department": deps[0], "size": {"rate": 0.5}},
                  {"name": "b", "department": deps[1], "size": {"rate": 0.5},
                   "team": {"departments": [deps[0]]}}]})
    assert plan.year is not None
    day = dt.date(2026, 6, 1)
    insp = [Inspection("E0", day, (deps[0],)), Inspection("E1", day, (deps[1],)),
            Inspection("E2", day, (deps[0],), "directed"),
            Inspection("E2", day, (deps[1],), "prior")]
    b = burden_of(plan.year, plan, targets, insp, day, day)
    a_task, b_task = plan.tasks
    assert b.excluded(a_task).tolist() == [True, False, False]
    assert b.excluded(b_task).tolist() == [True, True, False]  # b's team includes deps[0]


# -- refusals ------------------------------------------------------------------------------------
YEAR_PLAN = {"name": "p", "year": {"departments": ["甲", "乙"], "cap": {"per_year": 1}},
             "tasks": [{"name": "t", "department": "甲", "size": {"rate": 0.5}}]}
ROWS = [{"id": f"E{i}", "credit": "AB"[i % 2]} for i in range(4)]
GOOD = {"id": "E1", "date": "2026-01-02", "kind": "random", "departments": ["甲"]}


@pytest.mark.parametrize(("history", "message"), [
    ([GOOD, {**GOOD, "when": 1}], "history row 1: unknown key 'when'"),
    ([{"id": "E1", "kind": "random"}], "history row 0: missing key 'date'"),
    ([GOOD, GOOD, {**GOOD, "date": "2026-13-01"}], "history row 2, key 'date': '2026-13-01'"),
    ([{**GOOD, "date": "01/02/2026"}], "history row 0, key 'date': '01/02/2026'"),
    ([{**GOOD, "kind": "complaint"}], "history row 0, key 'kind': 'complaint'"),
    ([{**GOOD, "id": 1.5}], "history row 0, key 'id': 1.5"),
    ([{**GOOD, "id": ""}], "history row 0, key 'id': ''"),
    ([{**GOOD, "departments": "甲"}], "history row 0, key 'departments': expected a list of names, got '甲'"),
    ([{**GOOD, "departments": ["丙"]}], "history row 0, key 'departments': '丙'"),
    ([{**GOOD, "departments": [" 甲"]}], "history row 0, key 'departments': ' 甲'"),
    ([{**GOOD, "date": "2026-05-02"}], "history row 0, key 'date': 2026-05-02 is after as_of"),
    ([GOOD, ("E1", "2026-01-02")], "history row 1: expected a mapping"),
    ("E1,2026-01-02", "history: expected an iterable"),
    ({"id": "E1"}, "history: expected an iterable"),
    (5, "history: expected an iterable"),
])
def test_bad_history_rows_are_named(history: Any, message: str) -> None:
    targets = ss.Targets.from_records(ROWS)
    with pytest.raises(ss.InputError) as exc:
        ss.draw(YEAR_PLAN, targets, ss.Seed.from_hex("00" * 16), history=history,
                as_of="2026-05-01")
    assert message in str(exc.value)
    with pytest.raises(ss.InputError, match=re.escape(message)):
        ss.inclusion_probabilities(YEAR_PLAN, targets, history=history, as_of="2026-05-01")


def test_prior_inspections_may_name_other_departments() -> None:
    targets = ss.Targets.from_records(ROWS)
    old = {**GOOD, "kind": "prior", "departments": ["旧局"]}
    ss.inclusion_probabilities(YEAR_PLAN, targets, history=[old], as_of="2026-05-01")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"history": [GOOD]}, "as_of: missing; with a history"),
    ({"horizon": "2026-01-01"}, "as_of: missing; with a horizon"),
    ({"history": [], "as_of": "2026-02-30"}, "as_of: '2026-02-30' is not an ISO date"),
    ({"history": [], "as_of": dt.datetime(2026, 1, 1, 9)}, "as_of: "),
    ({"history": [], "as_of": "2026-01-01", "horizon": "2026-02-01"},
     "horizon: 2026-02-01 is after as_of 2026-01-01"),
    ({"history": [], "as_of": "2026-01-01", "horizon": "soon"}, "horizon: 'soon'"),
])
def test_bad_days_are_named(kwargs: dict[str, Any], message: str) -> None:
    targets = ss.Targets.from_records(ROWS)
    with pytest.raises(ss.InputError, match=re.escape(message)):
        ss.inclusion_probabilities(YEAR_PLAN, targets, **kwargs)


@pytest.mark.parametrize("name", ["history", "as_of", "horizon"])
def test_a_history_needs_year_rules(name: str) -> None:
    targets = ss.Targets.from_records(ROWS)
    value = [] if name == "history" else "2026-01-01"
    with pytest.raises(ss.InputError, match=f"{name}: the plan has no 'year' rules"):
        ss.draw(PLAIN, targets, ss.Seed.from_hex("00" * 16), **{name: value})


def test_burden_of_refuses_bad_arguments() -> None:
    targets = ss.Targets.from_records(ROWS)
    plan = ss.Plan.from_dict(YEAR_PLAN)
    rules = plan.year
    assert rules is not None
    day = dt.date(2026, 5, 1)
    with pytest.raises(ss.InputError, match="horizon 2026-05-02 is after the batch day"):
        burden_of(rules, plan, targets, [], day, dt.date(2026, 5, 2))
    with pytest.raises(ss.InputError, match="the batch day: expected a datetime.date"):
        burden_of(rules, plan, targets, [], dt.datetime(2026, 5, 1, 8), day)
    with pytest.raises(ss.InputError, match=r"inspections\[1\]: expected a shuangsuiji Insp"):
        burden_of(rules, plan, targets, [Inspection("E1", day), GOOD], day, day)
    with pytest.raises(ss.InputError, match="rules must be YearRules"):
        burden_of({"cap": 1}, plan, targets, [], day, day)  # type: ignore[arg-type]
    later = ss.Plan.from_dict({"name": "q", "tasks": [
        {"name": "t", "department": "丙", "size": {"rate": 0.5}}]})
    with pytest.raises(ss.InputError, match="task 't', key 'department': '丙' is not one of"):
        burden_of(rules, later, targets, [], day, day)
    per_dep = YearRules.from_dict({"departments": ["甲"], "cap": {"per_year": 1,
                                                                   "scope": "department"}})
    nameless = ss.Plan.from_dict(PLAIN)
    with pytest.raises(ss.InputError, match="task 't', key 'department': missing"):
        burden_of(per_dep, nameless, targets, [], day, day)
    spread = YearRules.from_dict({"spread": {"days": 9, "factor": 0.5,
                                             "except": {"column": "klass", "values": ["D"]}}})
    with pytest.raises(ss.InputError, match="year.spread.except.column.*'klass' does not exist"):
        burden_of(spread, nameless, targets, [], day, day)


@pytest.mark.parametrize(("args", "message"), [
    (("", dt.date(2026, 1, 1)), "Inspection.id: ''"),
    (("E1", "2026-01-01"), "Inspection.day: '2026-01-01'"),
    (("E1", dt.datetime(2026, 1, 1)), "Inspection.day"),
    (("E1", dt.date(2026, 1, 1), "甲"), "Inspection.departments: expected a list"),
    (("E1", dt.date(2026, 1, 1), ("",)), "Inspection.departments: '' is not"),
    (("E1", dt.date(2026, 1, 1), (), "tip"), "Inspection.kind: 'tip'"),
])
def test_inspection_checks_its_fields(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ss.InputError, match=re.escape(message)):
        Inspection(*args)


def test_engine_refuses_a_burden_of_another_snapshot_or_year() -> None:
    targets = ss.Targets.from_records(ROWS)
    plan = ss.Plan.from_dict(YEAR_PLAN)
    assert plan.year is not None
    day = dt.date(2026, 5, 1)
    b = burden_of(plan.year, plan, targets, [], day, day)
    other = ss.Targets.from_records(list(reversed(ROWS)))
    with pytest.raises(ss.InputError, match="another registry snapshot"):
        engine.inclusion_probabilities(plan, other, burden=b)
    changed = ss.Plan.from_dict({**YEAR_PLAN, "year": {**YEAR_PLAN["year"],
                                                        "cap": {"per_year": 2}}})
    with pytest.raises(ss.InputError, match="other year rules"):
        engine.draw(changed, targets, ss.Seed.from_hex("00" * 16), burden=b)
    with pytest.raises(ss.InputError, match="burden must be a Burden"):
        engine.stratum_summaries(plan, targets, burden="b")  # type: ignore[arg-type]
    # a later batch's plan carries no year rules: the burden brings them
    later = ss.Plan.from_dict({"name": "q", "tasks": YEAR_PLAN["tasks"]})
    assert engine.stratum_summaries(later, targets, burden=b)


def test_general_cap_counts_certain_units() -> None:
    """Coverage certainty cannot push a general task over general_max_rate (spec §11.4 step 8)."""
    rows = [{"id": f"E{i:02d}"} for i in range(20)]
    targets = ss.Targets.from_records(rows)
    plan = {"name": "p", "year": {"coverage": {"years": 1, "certain": True}},
            "tasks": [{"name": "g", "kind": "general", "size": {"rate": 0.05}}]}
    hist = [{"id": f"E{i:02d}", "date": "2025-09-01", "kind": "prior"} for i in range(19)]
    # n = ⌈0.05·20⌉ = 1 plus 1 certain: 2 of 20, at the cap of 10%; then 1 + 5 of 20: 30%
    ss.inclusion_probabilities(plan, targets, history=hist, as_of="2026-03-01",
                               horizon="2025-01-01")
    with pytest.raises(ss.InputError, match="task 'g', key 'size'.*above general_max_rate"):
        ss.inclusion_probabilities(plan, targets, history=hist[:15], as_of="2026-03-01",
                                   horizon="2025-01-01")
