"""The public inspector strategies (shuangsuiji.strategies.inspector_records / inspectors):
valid by construction, following their parameters, and varied."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import shuangsuiji as ss
from shuangsuiji import strategies as sst


@settings(max_examples=60, deadline=None)
@given(
    sst.inspector_records(
        min_size=3,
        max_size=10,
        fields=["食品", "药品"],
        regions=2,
        units=["甲局", "乙局"],
        list_style="list",
    )
)
def test_records_follow_the_parameters(rows: list[dict[str, Any]]) -> None:
    assert 3 <= len(rows) <= 10
    assert len({r["id"] for r in rows}) == len(rows)
    certificates = [r["certificate"] for r in rows if r["certificate"] is not None]
    assert len(set(certificates)) == len(certificates)
    for r in rows:
        assert set(r) == {*ss.registry.inspectors.STANDARD_COLUMNS, "id"}
        assert r["unit"] in ("甲局", "乙局") and r["region"] in sst.REGIONS[:2]
        assert isinstance(r["qualifications"], list) and set(r["qualifications"]) <= {
            "食品",
            "药品",
        }
        assert r["role"] in ("officer", "expert")
        assert (r["certificate"] is None) == (r["role"] == "expert")
        assert r["capacity"] is None or 0 <= r["capacity"] <= 5
        assert isinstance(r["conflicts"], list) and len(r["conflicts"]) <= 3
        assert isinstance(r["active"], bool)
    ss.Inspectors.from_records(rows)


@settings(max_examples=40, deadline=None)
@given(
    sst.inspectors(
        experts=False,
        capacity=False,
        active=False,
        conflicts=False,
        list_style="string",
        min_officers=2,
    )
)
def test_optional_columns_can_be_left_out(ins: ss.Inspectors) -> None:
    assert len(ins) >= 2 and not ins.is_expert.any()
    assert (ins.capacity == -1).all() and ins.active.all() and ins.conflict_ids.size == 0
    assert set(ins.fields) <= set(sst.FIELDS[:2])


@settings(max_examples=40, deadline=None)
@given(sst.inspectors(min_size=4, max_size=8, min_officers=4, conflicts=["T1", "T2", "T3"]))
def test_conflicts_come_from_the_given_targets(ins: ss.Inspectors) -> None:
    assert int((~ins.is_expert).sum()) >= 4
    assert {c.decode() for c in ins.conflict_ids.tolist()} <= {"T1", "T2", "T3"}


def test_strategies_cover_every_form() -> None:
    """Over many examples: both list forms, both roles, limits and no limits, inactive people,
    conflicts, people without qualifications; all build."""
    seen: Counter[str] = Counter()

    @settings(
        max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(sst.inspector_records(max_size=8))
    def check(rows: list[dict[str, Any]]) -> None:
        ins = ss.Inspectors.from_records(rows)
        for r in rows:
            seen[f"qualifications:{type(r['qualifications']).__name__}"] += 1
            seen[f"role:{r['role']}"] += 1
            seen["capacity:none" if r["capacity"] is None else "capacity:int"] += 1
            seen[f"active:{r['active']}"] += 1
            seen["conflicts" if r["conflicts"] else "no conflicts"] += 1
        seen["unqualified"] += int((ins.qual_indptr[1:] == ins.qual_indptr[:-1]).sum())

    check()
    for key in (
        "qualifications:list",
        "qualifications:str",
        "role:officer",
        "role:expert",
        "capacity:none",
        "capacity:int",
        "active:True",
        "active:False",
        "conflicts",
        "no conflicts",
        "unqualified",
    ):
        assert seen[key] > 0, (key, seen)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_size": 0},
        {"min_size": 5, "max_size": 4},
        {"fields": 0},
        {"fields": 99},
        {"regions": []},
        {"units": 0},
        {"list_style": "csv"},
        {"conflicts": []},
        {"min_officers": 50},
    ],
)
def test_bad_parameters(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        sst.inspector_records(**kwargs)
