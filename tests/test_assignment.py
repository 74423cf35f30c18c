"""The Assignment value: records, joint visits, team order, notices (双清单), workload, recusals."""

from __future__ import annotations

from typing import Any

import pytest

import shuangsuiji as ss

SEED = ss.Seed.from_hex("0f" * 16)


def _targets() -> ss.Targets:
    return ss.Targets.from_records(
        [
            {"id": "91130100MA0C0001X1", "field": "食品", "city": "保定"},
            {"id": "91130100MA0C0002X2", "field": "食品", "city": "石家庄"},
            {"id": "91130100MA0C0003X3", "field": "药品", "city": "保定"},
        ]
    )


def _inspectors() -> ss.Inspectors:
    rows = []
    for k in range(8):
        rows.append(
            {
                "id": f"JF{k:02d}",
                "name": f"干部{k}",
                "unit": "市场局" if k < 5 else "药监局",
                "region": "石家庄" if k % 2 else "保定",
                "qualifications": ["食品", "药品"] if k != 7 else ["药品"],
                "role": "officer",
                "certificate": f"冀{k:04d}",
                "capacity": None,
                "conflicts": ["91130100MA0C0001X1"] if k == 0 else [],
            }
        )
    rows.append(
        {
            "id": "ZJ01",
            "name": "专家甲",
            "unit": "检验院",
            "region": None,
            "qualifications": ["食品"],
            "role": "expert",
            "certificate": None,
        }
    )
    return ss.Inspectors.from_records(rows)


PLAN: dict[str, Any] = {
    "name": "联合抽查",
    "tasks": [
        {
            "name": "食品",
            "where": {"field": "食品"},
            "size": {"census": True},
            "team": {"officers": 2, "experts": 1, "match": {"column": "field"}},
            "items": ["食品检验资质", "检验报告"],
        },
        {
            "name": "保定联合",
            "where": {"city": "保定"},
            "size": {"census": True},
            "team": {"officers": 2, "departments": ["市场局", "药监局"]},
            "items": ["检验报告", "计量器具"],
        },
    ],
}


@pytest.fixture(scope="module")
def assignment() -> ss.Assignment:
    sel = ss.draw(PLAN, _targets(), SEED)
    return ss.assign(PLAN, sel, _inspectors(), SEED, recusals=[("91130100MA0C0003X3", "JF07")])


def test_one_visit_per_target_and_records_per_task(assignment: ss.Assignment) -> None:
    a = assignment
    assert a.visit_ids == ("V0001", "V0002", "V0003")
    assert a.visit_targets == ("91130100MA0C0001X1", "91130100MA0C0002X2", "91130100MA0C0003X3")
    assert [a.visit_tasks(v) for v in range(3)] == [(0, 1), (0,), (1,)]
    recs = a.to_records()
    assert len(recs) == len(a)
    assert all(set(r) == {"task", "id", "inspector", "role", "visit"} for r in recs)
    joint = [r for r in recs if r["visit"] == "V0001"]
    by_task = {t: [r["inspector"] for r in joint if r["task"] == t] for t in ("食品", "保定联合")}
    assert by_task["食品"] == by_task["保定联合"]  # one team serves both tasks
    assert [r["task"] for r in joint] == ["食品"] * 3 + ["保定联合"] * 3
    assert a.algorithm == ss.ASSIGN_ALGORITHM == "shuangsuiji-assign/1"
    assert a.seed_hex == SEED.hex and a.plan_name == "联合抽查"


def test_joint_team_satisfies_both_tasks(assignment: ss.Assignment) -> None:
    note = assignment.advance_notice("V0001")
    officers = [m for m in note["team"] if m["role"] == "officer"]
    experts = [m for m in note["team"] if m["role"] == "expert"]
    assert len(officers) == 2 and [m["inspector"] for m in experts] == ["ZJ01"]
    # departments: seat (市场局) then seat (药监局), filtered seats first in stream order
    assert [m["unit"] for m in officers] == ["市场局", "药监局"]
    assert "JF00" not in {m["inspector"] for m in officers}  # declared conflict
    assert note["items"] == ["食品检验资质", "检验报告", "计量器具"]  # union, no repeats
    assert note["tasks"] == ["食品", "保定联合"]
    assert set(officers[0]) == {"inspector", "role", "name", "unit", "certificate"}


def test_notices_match_the_notice_helpers_reading_of_the_records(
    assignment: ss.Assignment,
) -> None:
    from shuangsuiji.notices.visits import visits_from_assignment

    ins = _inspectors()
    rebuilt = visits_from_assignment(assignment.to_records(), ins.to_records(), items=PLAN)
    mine = assignment.notices()
    for v in mine:  # the helper omits empty fields such as an expert's certificate
        for m in v["team"]:
            if m["certificate"] == "":
                del m["certificate"]
    assert rebuilt == mine
    assert assignment.visits() == assignment.notices()


def test_lookups_by_visit_target_or_index(assignment: ss.Assignment) -> None:
    a = assignment
    assert (
        a.advance_notice(2) == a.advance_notice("V0003") == a.advance_notice("91130100MA0C0003X3")
    )
    assert len(a.team(0)) == 3


def test_workload_and_summary(assignment: ss.Assignment) -> None:
    work = assignment.workload()
    assert [w["inspector"] for w in work] == sorted(w["inspector"] for w in work)
    total = sum(w["visits"] for w in work)
    assert total == len(assignment.member_rows)
    assert all(w["capacity"] is None for w in work)
    summary = {s["role"]: s for s in assignment.workload_summary()}
    assert summary["officer"]["visits"] == 6 and summary["expert"]["visits"] == 2
    assert summary["officer"]["regime"] == "free"


def test_recusals_of_both_sources_are_recorded(assignment: ss.Assignment) -> None:
    assert assignment.recusal_records() == [
        {"target": "91130100MA0C0001X1", "inspector": "JF00", "source": "declared"},
        {"target": "91130100MA0C0003X3", "inspector": "JF07", "source": "requested"},
    ]


def test_to_pandas_matches_records(assignment: ss.Assignment) -> None:
    pytest.importorskip("pandas")
    df = assignment.to_pandas()
    assert df.to_dict("records") == assignment.to_records()


def test_an_empty_selection_gives_an_empty_assignment() -> None:
    plan = {"name": "none", "tasks": [{"name": "t", "size": {"rate": 0.0}}]}
    sel = ss.draw(plan, _targets(), SEED)
    a = ss.assign(plan, sel, _inspectors(), SEED)
    assert a.n_visits == 0 and a.to_records() == [] and len(a) == 0
    assert [p.regime for p in a.pools] == ["none", "none"]


def test_visit_ids_widen_with_the_number_of_visits() -> None:
    rows = [{"id": f"T{i:05d}", "field": "食品"} for i in range(10_001)]
    plan = {"name": "many", "tasks": [{"name": "t", "size": {"census": True}}]}
    targets = ss.Targets.from_records(rows)
    people = [
        {
            "id": f"P{k}",
            "name": "n",
            "unit": "u",
            "region": "r",
            "qualifications": [],
            "role": "officer",
            "certificate": f"C{k}",
        }
        for k in range(3)
    ]
    a = ss.assign(plan, ss.draw(plan, targets, SEED), ss.Inspectors.from_records(people), SEED)
    assert a.visit_ids[0] == "V00001" and a.visit_ids[-1] == "V10001"
