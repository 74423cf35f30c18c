"""Every bad-input path of the team rules and of ``assign``: the error type, and a message that
names the culprit (task and key, row and value, target, officer)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import shuangsuiji as ss

SEED = ss.Seed.from_hex("00" * 16)


def _task(team: Any = None, **extra: Any) -> dict[str, Any]:
    task: dict[str, Any] = {"name": "食品抽查", "size": {"census": True}}
    if team is not None:
        task["team"] = team
    task.update(extra)
    return task


def _plan(team: Any = None, **extra: Any) -> dict[str, Any]:
    return {"name": "plan", "tasks": [_task(team, **extra)]}


# -- plan: team and items -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("team", "extra", "needles"),
    [
        ("two", {}, ["'team'", "expected a mapping"]),
        ({"oficers": 2}, {}, ["team.oficers", "did you mean 'officers'"]),
        ({"officers": 1}, {}, ["team.officers", "at least 2"]),
        ({"officers": True}, {}, ["team.officers", "True"]),
        ({"officers": 2.0}, {}, ["team.officers", "2.0"]),
        ({"experts": -1}, {}, ["team.experts", "-1"]),
        ({"experts": 1}, {}, ["team.experts", "give team.match"]),
        ({"match": "field"}, {}, ["team.match", "expected a mapping"]),
        ({"match": {"who": "all"}}, {}, ["team.match.column"]),
        ({"match": {"column": ""}}, {}, ["team.match.column"]),
        ({"match": {"column": "field", "who": "most"}}, {}, ["team.match.who", "'most'"]),
        ({"match": {"column": "field", "whom": "all"}}, {}, ["team.match.whom", "'who'"]),
        ({"cross_region": "yes"}, {}, ["team.cross_region", "true or false"]),
        ({"region_column": ""}, {}, ["team.region_column"]),
        ({"departments": "市场局"}, {}, ["team.departments", "list"]),
        ({"departments": ["市场局", 3]}, {}, ["team.departments"]),
        ({"departments": [" 市场局"]}, {}, ["team.departments"]),
        ({"departments": ["a", "a"]}, {}, ["team.departments", "twice"]),
        ({"departments": ["a", "b", "c"]}, {}, ["team.departments", "officers is 2", "3"]),
        ({"rotation_days": -5}, {}, ["team.rotation_days", "-5"]),
        ({"rotation_days": 365}, {}, ["team.as_of", "missing"]),
        ({"as_of": "2026-01-01"}, {}, ["team.as_of", "only used with rotation_days"]),
        ({"rotation_days": 30, "as_of": "2026/01/01"}, {}, ["team.as_of", "2026/01/01"]),
        ({"rotation_days": 30, "as_of": "2026-02-30"}, {}, ["team.as_of", "2026-02-30"]),
        ({"rotation_days": 10**6, "as_of": "0005-01-01"}, {}, ["team.rotation_days", "year 1"]),
        (None, {"items": "检查项目"}, ["'items'", "list"]),
        (None, {"items": []}, ["'items'"]),
        (None, {"items": ["a", ""]}, ["'items'"]),
        (None, {"items": ["a", "a"]}, ["'items'", "twice"]),
    ],
)
def test_bad_team_rules_name_task_and_key(
    team: Any, extra: dict[str, Any], needles: list[str]
) -> None:
    with pytest.raises(ss.InputError) as exc:
        ss.Plan.from_dict(_plan(team, **extra))
    msg = str(exc.value)
    assert "食品抽查" in msg
    for n in needles:
        assert n in msg, (n, msg)


def test_team_defaults_and_round_trip() -> None:
    plan = ss.Plan.from_dict(_plan())
    assert plan.tasks[0].team is None
    assert plan.tasks[0].team_rules.officers == 2
    full = {
        "officers": 3,
        "experts": 1,
        "match": {"column": "field", "who": "any"},
        "cross_region": True,
        "region_column": "city",
        "departments": ["a", "b"],
        "rotation_days": 365,
        "as_of": "2026-01-01",
    }
    plan = ss.Plan.from_dict(_plan(full, items=["资质", "报告"]))
    assert plan.to_dict()["tasks"][0]["team"] == full
    assert ss.Plan.from_dict(plan.to_dict()) == plan
    assert ss.Plan.from_json(plan.to_json()) == plan


# -- assign: arguments and data -----------------------------------------------------------------
def _targets() -> ss.Targets:
    return ss.Targets.from_records(
        [
            {"id": "T1", "field": "食品", "city": "保定"},
            {"id": "T2", "field": "食品", "city": None},
            {"id": "T3", "field": None, "city": "保定"},
        ]
    )


def _people(n: int = 4, **over: Any) -> list[dict[str, Any]]:
    rows = []
    for k in range(n):
        row = {
            "id": f"JF{k}",
            "name": f"officer {k}",
            "unit": "市场局",
            "region": "石家庄",
            "qualifications": ["食品"],
            "role": "officer",
            "certificate": f"C{k}",
        }
        row.update(over)
        rows.append(row)
    return rows


def _run(plan: dict[str, Any], **kw: Any) -> ss.Assignment:
    targets = _targets()
    sel = ss.draw(plan, targets, SEED)
    ins = kw.pop("inspectors", ss.Inspectors.from_records(_people()))
    return ss.assign(plan, sel, ins, SEED, **kw)


def _plan_t1(team: dict[str, Any] | None = None) -> dict[str, Any]:
    return _plan(team, where={"field": "食品", "city": "保定"})


def test_argument_types_are_checked() -> None:
    plan = _plan_t1()
    sel = ss.draw(plan, _targets(), SEED)
    ins = ss.Inspectors.from_records(_people())
    with pytest.raises(ss.InputError, match="plan must be a Plan"):
        ss.assign([plan], sel, ins, SEED)  # type: ignore[arg-type]
    with pytest.raises(ss.InputError, match="selection must be a Selection"):
        ss.assign(plan, sel.to_records(), ins, SEED)  # type: ignore[arg-type]
    with pytest.raises(ss.InputError, match="inspectors must be an Inspectors"):
        ss.assign(plan, sel, _people(), SEED)  # type: ignore[arg-type]
    with pytest.raises(ss.InputError, match="seed must be a Seed"):
        ss.assign(plan, sel, ins, "00" * 16)  # type: ignore[arg-type]


def test_a_selection_from_another_plan_is_refused() -> None:
    plan = _plan_t1()
    sel = ss.draw(plan, _targets(), SEED)
    other = copy.deepcopy(plan)
    other["tasks"][0]["name"] = "药品抽查"
    with pytest.raises(ss.InputError, match="食品抽查"):
        ss.assign(other, sel, ss.Inspectors.from_records(_people()), SEED)


def test_a_selection_without_its_registry_cannot_be_matched() -> None:
    plan = _plan_t1({"match": {"column": "field"}})
    sel = ss.draw(plan, _targets(), SEED)
    bare = ss.Selection(
        sel.plan_name,
        sel.seed_hex,
        sel.algorithm,
        sel.tasks,
        sel.task_index,
        sel.stratum,
        sel.ids,
        sel.rows,
        sel.pi,
        sel.prn_int,
        sel.strata,
    )
    with pytest.raises(ss.InputError, match="no target registry.*'field'"):
        ss.assign(plan, bare, ss.Inspectors.from_records(_people()), SEED)
    # without rules that read columns, a bare selection is enough
    assert ss.assign(_plan_t1(), bare, ss.Inspectors.from_records(_people()), SEED).n_visits == 1


def test_an_unknown_match_column_suggests_the_right_one() -> None:
    with pytest.raises(ss.InputError) as exc:
        _run(_plan_t1({"match": {"column": "feild"}}))
    assert "team.match.column" in str(exc.value) and "did you mean 'field'" in str(exc.value)


@pytest.mark.parametrize(
    ("team", "target", "column"),
    [
        ({"match": {"column": "field"}}, "T3", "field"),
        ({"cross_region": True, "region_column": "city"}, "T2", "city"),
    ],
)
def test_a_missing_target_value_names_target_and_column(
    team: dict[str, Any], target: str, column: str
) -> None:
    plan = _plan(team)
    with pytest.raises(ss.InputError) as exc:
        _run(plan)
    msg = str(exc.value)
    assert repr(target) in msg and repr(column) in msg and "食品抽查" in msg


@pytest.mark.parametrize(
    ("history", "needles"),
    [
        ("JF0,T1,2025-01-01", ["history", "list of rows"]),
        ({"inspector": "JF0"}, ["history", "list of rows"]),
        ([{"inspector": "JF0", "target": "T1"}], ["history[0]", "'date'"]),
        ([("JF0", "T1")], ["history[0]", "mapping"]),
        ([{"inspector": "JF9", "target": "T1", "date": "2025-01-01"}], ["history[0]", "'JF9'"]),
        ([{"inspector": "JF0", "target": "T9", "date": "2025-01-01"}], ["history[0]", "'T9'"]),
        (
            [{"inspector": "JF0", "target": "T1", "date": "2025-13-01"}],
            ["history[0]", "2025-13-01"],
        ),
        ([{"inspector": "JF0", "target": "T1", "date": 20250101}], ["history[0]", "20250101"]),
        ([{"inspector": 1.5, "target": "T1", "date": "2025-01-01"}], ["history[0]", "1.5"]),
        (
            [
                {"inspector": "JF0", "target": "T1", "date": "2025-01-01"},
                ("JF1", "T1", "2025-01-0x"),
            ],
            ["history[1]", "2025-01-0x"],
        ),
    ],
)
def test_bad_history_rows_are_named(history: Any, needles: list[str]) -> None:
    with pytest.raises(ss.InputError) as exc:
        _run(_plan_t1(), history=history)
    for n in needles:
        assert n in str(exc.value), (n, str(exc.value))


@pytest.mark.parametrize(
    ("recusals", "needles"),
    [
        ("T1", ["recusals", "list of rows"]),
        ([("T1",)], ["recusals[0]", "mapping"]),
        ([{"target": "T1"}], ["recusals[0]", "'inspector'"]),
        ([("T1", "JF9")], ["recusals[0]", "'JF9'"]),
        ([("T1", "JF0"), ("T9", "JF0")], ["recusals[1]", "'T9'"]),
        ([(True, "JF0")], ["recusals[0]", "True"]),
    ],
)
def test_bad_recusal_requests_are_named(recusals: Any, needles: list[str]) -> None:
    with pytest.raises(ss.InputError) as exc:
        _run(_plan_t1(), recusals=recusals)
    for n in needles:
        assert n in str(exc.value), (n, str(exc.value))


def test_tables_are_accepted_for_history_and_recusals() -> None:
    pd = pytest.importorskip("pandas")
    history = pd.DataFrame({"inspector": ["JF0"], "target": ["T1"], "date": ["2025-12-01"]})
    recusals = pd.DataFrame({"target": ["T1"], "inspector": ["JF1"]})
    plan = _plan_t1({"rotation_days": 365, "as_of": "2026-01-01"})
    a = _run(plan, history=history, recusals=recusals)
    team = {x["inspector"] for x in a.advance_notice("T1")["team"]}
    assert team == {"JF2", "JF3"}
    assert a.recusal_records() == [{"target": "T1", "inspector": "JF1", "source": "requested"}]


# -- infeasible staffing --------------------------------------------------------------------------
def test_an_unstaffable_target_is_explained() -> None:
    people = _people(6, active=True)
    people[0]["active"] = False
    people[1]["qualifications"] = []
    people[2]["region"] = "保定"
    people[3]["conflicts"] = ["T1"]
    plan = _plan_t1(
        {
            "officers": 2,
            "match": {"column": "field"},
            "cross_region": True,
            "region_column": "city",
            "rotation_days": 365,
            "as_of": "2026-01-01",
        }
    )
    with pytest.raises(ss.InfeasibleError) as exc:
        _run(
            plan,
            inspectors=ss.Inspectors.from_records(people),
            history=[{"inspector": "JF5", "target": "T1", "date": "2025-06-01"}],
            recusals=[("T1", "JF4")],
        )
    msg = str(exc.value)
    for needle in (
        "'T1'",
        "field 食品",
        "city 保定",
        "食品抽查",
        "0 eligible officers, 2 required",
        "1 inactive",
        "1 not qualified for 食品",
        "1 from the target's region (保定)",
        "1 excluded by declared conflicts",
        "1 by recusal requests",
        "1 by rotation",
    ):
        assert needle in msg, (needle, msg)
    assert isinstance(exc.value, ss.InputError)


def test_an_unfillable_department_seat_is_named() -> None:
    plan = _plan_t1({"officers": 2, "departments": ["环境厅"]})
    with pytest.raises(ss.InfeasibleError, match="no eligible officer for the seat 'unit 环境厅'"):
        _run(plan)


def test_a_misspelt_department_suggests_the_registry_unit() -> None:
    plan = _plan_t1({"officers": 2, "departments": ["市场监管局"]})
    people = _people(2) + _people(1, id="JF9", unit="市场监督管理局", certificate="C9")
    with pytest.raises(ss.InfeasibleError) as exc:
        _run(plan, inspectors=ss.Inspectors.from_records(people))
    msg = str(exc.value)
    assert "'市场监管局' is no unit of the inspector registry" in msg, msg
    assert "did you mean '市场监督管理局'?" in msg, msg


def test_an_unfillable_expert_seat_is_named() -> None:
    plan = _plan_t1({"officers": 2, "experts": 1, "match": {"column": "field"}})
    with pytest.raises(ss.InfeasibleError, match="0 eligible experts, 1 required"):
        _run(plan)


def _joint_expert_visit() -> tuple[ss.Plan, ss.Selection, ss.Targets]:
    """Two tasks on one target, one asking an expert for field 食品, the other for f2 药品."""
    targets = ss.Targets.from_records([{"id": "X1", "field": "食品", "f2": "药品"}])
    tasks = [
        {
            "name": name,
            "where": {"field": "食品"},
            "size": {"census": True},
            "team": {"officers": 2, "experts": 1, "match": {"column": column}},
        }
        for name, column in (("t1", "field"), ("t2", "f2"))
    ]
    plan = ss.Plan.from_dict({"name": "p", "tasks": tasks})
    return plan, ss.draw(plan, targets, SEED), targets


def _joint_people(*experts: tuple[str, list[str]]) -> ss.Inspectors:
    rows = [
        {"id": o, "unit": "U", "region": "B", "qualifications": ["食品", "药品"]}
        for o in ("O1", "O2")
    ]
    rows += [
        {"id": e, "unit": "院", "region": "", "qualifications": q, "role": "expert"}
        for e, q in experts
    ]
    for r in rows:
        r.setdefault("role", "officer")
        r.update(name=r["id"], certificate="C" + r["id"])
    return ss.Inspectors.from_records(rows)


def test_a_joint_visit_takes_one_expert_per_requirement() -> None:
    # review finding A: {E1 (食品), E2 (药品)} satisfies both tasks; no expert needs both fields
    plan, sel, _ = _joint_expert_visit()
    got = ss.assign(plan, sel, _joint_people(("E1", ["食品"]), ("E2", ["药品"])), SEED)
    assert [r["inspector"] for r in got.to_records() if r["task"] == "t1"] == [
        "O1",
        "O2",
        "E1",
        "E2",
    ]
    # one expert holding both fields still cannot sit on both seats
    with pytest.raises(ss.InfeasibleError) as exc:
        ss.assign(plan, sel, _joint_people(("E1", ["食品", "药品"])), SEED)
    assert "'X1'" in str(exc.value) and "expert" in str(exc.value)


def test_a_short_expert_seat_is_named() -> None:
    plan, sel, _ = _joint_expert_visit()
    with pytest.raises(
        ss.InfeasibleError, match="no eligible expert for the seat 'qualified for 药品'"
    ):
        ss.assign(plan, sel, _joint_people(("E1", ["食品"]), ("E3", ["食品"])), SEED)


def test_binding_capacities_name_the_visits_and_officers() -> None:
    plan = _plan({"officers": 2})  # all three targets
    people = _people(4, capacity=1)
    with pytest.raises(ss.InfeasibleError) as exc:
        _run(plan, inspectors=ss.Inspectors.from_records(people))
    msg = str(exc.value)
    assert msg.count("capacity:") == 1
    # the search from the first empty seat reaches 5 places, which 4 officers of capacity 1 fill
    for needle in ("T1", "T2", "T3", "JF0 (capacity 1)", "JF3 (capacity 1)", "5 officer places"):
        assert needle in msg, (needle, msg)
    # one more place each and it fits
    _run(plan, inspectors=ss.Inspectors.from_records(_people(4, capacity=2)))


def test_all_problems_are_listed_together() -> None:
    plan = _plan({"officers": 3, "match": {"column": "field"}}, where={"field": "食品"})
    with pytest.raises(ss.InfeasibleError) as exc:
        _run(plan, inspectors=ss.Inspectors.from_records(_people(2)))
    msg = str(exc.value)
    assert "(2 problem(s))" in msg and "'T1'" in msg and "'T2'" in msg


# -- Assignment lookups ---------------------------------------------------------------------------
def test_unknown_visits_are_refused() -> None:
    a = _run(_plan_t1())
    with pytest.raises(ss.InputError, match="'V9'"):
        a.advance_notice("V9")
    with pytest.raises(ss.InputError, match="visit index 5"):
        a.advance_notice(5)


def test_workload_needs_the_registry() -> None:
    import attrs

    a = attrs.evolve(_run(_plan_t1()), inspectors=None)
    with pytest.raises(ss.InputError, match="workload needs it"):
        a.workload()
    with pytest.raises(ss.InputError, match="workload needs it"):
        a.workload_summary()


def test_numeric_match_columns_compare_as_text() -> None:
    """A field code held as an int column matches the qualification "3" (spec §5 labels)."""
    targets = ss.Targets.from_records([{"id": "T1", "code": 3}, {"id": "T2", "code": 4}])
    people = _people(3, qualifications=["3"]) + [
        {**_people(1)[0], "id": "JF9", "certificate": "C9", "qualifications": ["4"]}
    ]
    plan = _plan({"match": {"column": "code", "who": "any"}})
    a = ss.assign(plan, ss.draw(plan, targets, SEED), ss.Inspectors.from_records(people), SEED)
    t1 = {m["inspector"] for m in a.advance_notice("T1")["team"]}
    t2 = {m["inspector"] for m in a.advance_notice("T2")["team"]}
    assert t1 <= {"JF0", "JF1", "JF2", "JF9"} and t1 & {"JF0", "JF1", "JF2"}
    assert "JF9" in t2
