"""The year rules of a plan (plan key ``year``, docs/spec.md §11.1): parsed strictly, published as
given, and every bad value named."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import shuangsuiji as ss

YEAR: dict[str, Any] = {
    "departments": ["市场监管局", "生态环境局"],
    "cap": {"per_year": 2, "scope": "department", "directed": True},
    "spread": {"days": 180, "factor": 0.25, "except": {"column": "credit", "values": ["D"]}},
    "coverage": {"years": 3, "factor": 4.0},
    "officer_cap": {"per_year": 40},
}


def plan(year: Any = None, **task: Any) -> dict[str, Any]:
    t = {"name": "食品", "size": {"rate": 0.1}, "department": "市场监管局", **task}
    out: dict[str, Any] = {"name": "2026年计划", "tasks": [t]}
    if year is not None:
        out["year"] = year
    return out


def test_round_trip() -> None:
    p = ss.Plan.from_dict(plan(YEAR, team={"departments": ["市场监管局", "生态环境局"]}))
    assert p.to_dict()["year"] == YEAR
    assert ss.Plan.from_dict(p.to_dict()) == p
    assert p.tasks[0].departments == ("市场监管局", "生态环境局")
    assert p.year is not None and p.year.cap is not None and p.year.cap.per_year == 2


def test_design_md_example_and_defaults() -> None:
    p = ss.Plan.from_dict(plan({"cap": {"per_year": 2}, "spread": {"days": 180, "factor": 0.25}}))
    assert p.to_dict()["year"] == {
        "cap": {"per_year": 2, "scope": "all", "directed": True},
        "spread": {"days": 180, "factor": 0.25},
    }
    assert ss.Plan.from_dict(plan({"coverage": {"years": 2, "certain": True}})).to_dict()[
        "year"
    ] == {"coverage": {"years": 2, "certain": True}}


def test_a_plan_without_year_rules_is_unchanged() -> None:
    d = plan()
    del d["tasks"][0]["department"]
    p = ss.Plan.from_dict(d)
    assert (
        p.year is None and "year" not in p.to_dict() and "department" not in p.to_dict()["tasks"][0]
    )


def _with(path: str, value: Any) -> dict[str, Any]:
    y = copy.deepcopy(YEAR)
    *head, last = path.split(".")
    node = y
    for k in head:
        node = node[k]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return y


BAD = [
    (_with("caps", 1), "'year.caps': unknown key; did you mean 'cap'?"),
    ({}, "plan key 'year': empty"),
    (_with("cap.per_year", 0), "'year.cap.per_year': expected a whole number >= 1, got 0"),
    (_with("cap.per_year", 1.5), "'year.cap.per_year'"),
    (_with("cap.per_year", KeyError), "'year.cap.per_year': missing"),
    (_with("cap.scope", "city"), "'year.cap.scope': 'city' is not 'all'"),
    (_with("cap.directed", "yes"), "'year.cap.directed': expected true or false"),
    (_with("cap.limit", 3), "'year.cap.limit': unknown key"),
    (_with("departments", []), "'year.departments': expected a non-empty list"),
    (_with("departments", ["市场监管局", "市场监管局"]), "'市场监管局' is listed twice"),
    (
        _with("departments", KeyError),
        "'year.cap.scope': a per-department cap needs the departments",
    ),
    (_with("spread.days", 0), "'year.spread.days'"),
    (_with("spread.factor", 1.5), "'year.spread.factor'"),
    (_with("spread.factor", KeyError), "'year.spread.factor': missing"),
    (_with("spread.except.values", "D"), "'year.spread.except.values': expected a non-empty list"),
    (_with("spread.except.column", ""), "'year.spread.except.column'"),
    (_with("spread.factor", 1), "'year.spread.except': with factor 1 nobody is spared"),
    (_with("coverage.factor", 0.5), "'year.coverage.factor': 0.5 is below 1"),
    (_with("coverage.certain", True), "'year.coverage': give 'factor'"),
    (_with("coverage.factor", KeyError), "'year.coverage': give 'factor'"),
    (_with("coverage.years", KeyError), "'year.coverage.years': missing"),
    (_with("officer_cap.per_year", -1), "'year.officer_cap.per_year'"),
]


@pytest.mark.parametrize(("year", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_year_rules_name_the_key(year: Any, message: str) -> None:
    with pytest.raises(ss.InputError) as e:
        ss.Plan.from_dict(plan(year))
    assert message in str(e.value)


def test_departments_must_be_the_years() -> None:
    with pytest.raises(ss.InputError, match="task '食品', key 'department': '公安局' is not one"):
        ss.Plan.from_dict(plan(YEAR, department="公安局"))
    with pytest.raises(ss.InputError, match="key 'team.departments': '交通局' is not one"):
        ss.Plan.from_dict(plan(YEAR, team={"departments": ["交通局"]}))
    with pytest.raises(ss.InputError, match="key 'department': missing; under a per-department"):
        ss.Plan.from_dict({**plan(YEAR), "tasks": [{"name": "食品", "size": {"rate": 0.1}}]})
    with pytest.raises(ss.InputError, match="key 'department': expected a department's name"):
        ss.Plan.from_dict(plan(department=" 市场监管局"))
