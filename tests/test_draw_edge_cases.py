"""Edge cases found in review: each was a silent wrong answer or a non-InputError before."""

from __future__ import annotations

import pytest

import shuangsuiji as ss
from shuangsuiji.plan.plan import Size, Task

SEED = ss.Seed.from_hex("00" * 16)


def test_many_strata_values_do_not_overflow_the_cell_key() -> None:
    # 5 columns of 7000 distinct values: 7000**5 > 2**62 combinations
    n = 7000
    cols = {k: [f"{(i * (j + 3)) % n:05d}" for i in range(n)] for j, k in enumerate("abcde")}
    rows = [{"id": f"id{i}", **{k: cols[k][i] for k in cols}} for i in range(n)]
    t = ss.Targets.from_records(rows)
    plan = {"name": "p", "tasks": [{"name": "t", "strata": list("abcde"), "size": {"rate": 1.0}}]}
    pi = ss.inclusion_probabilities(plan, t)
    by_id = {r["id"]: r for r in rows}
    for rec in pi.to_records():
        row = by_id[rec["id"]]
        assert rec["stratum"] == "|".join(f"{k}={row[k]}" for k in "abcde")


def test_pi_table_order_does_not_depend_on_row_order() -> None:
    rows = [{"id": f"T{i:03d}", "g": "xy"[i % 2]} for i in range(40)]
    plan = {"name": "p", "tasks": [{"name": "t", "strata": ["g"], "size": {"rate": 0.2}}]}
    a = ss.inclusion_probabilities(plan, ss.Targets.from_records(rows)).to_records()
    b = ss.inclusion_probabilities(plan, ss.Targets.from_records(rows[::-1])).to_records()
    assert a == b


def test_where_on_large_integers_is_exact() -> None:
    t = ss.Targets.from_records([{"id": "a", "x": 2**53}, {"id": "b", "x": 2**53 + 1}])
    plan = {"name": "p", "tasks": [{"name": "t", "where": {"x": 2**53 + 1},
                                    "size": {"census": True}}]}
    assert ss.draw(plan, t, SEED).ids.tolist() == ["b"]


def test_capacity_shortfall_is_infeasible_and_an_input_error() -> None:
    t = ss.Targets.from_records([{"id": f"i{i}"} for i in range(3)])
    plan = {"name": "p", "tasks": [{"name": "t", "size": {"total": 5}}]}
    with pytest.raises(ss.InfeasibleError, match=r"task 't', key 'size.total'.*5"):
        ss.draw(plan, t, SEED)
    assert issubclass(ss.InfeasibleError, ss.InputError)


def test_neyman_is_symmetric_in_p_and_one_minus_p() -> None:
    t = ss.Targets.from_records([{"id": f"i{i}", "g": "AB"[i // 10]} for i in range(20)])

    def sizes(a: dict[str, float]) -> list[list[int]]:
        plan = {"name": "p", "tasks": [{"name": "t", "strata": ["g"], "size": {
            "total": 3, "allocation": "neyman", "anticipated": a}}]}
        return [s["size"] for s in ss.inclusion_probabilities(plan, t).summary()]

    # p(1-p) is equal, so the tie goes to the earlier stratum both ways
    assert sizes({"A": 0.9, "B": 0.1}) == sizes({"A": 0.1, "B": 0.9}) == [[2], [1]]


def test_a_bare_key_matching_two_strata_is_refused() -> None:
    t = ss.Targets.from_records([{"id": "a", "c": None}, {"id": "b", "c": "(missing)"}])
    plan = {"name": "p", "tasks": [{"name": "t", "strata": ["c"],
                                    "size": {"per_stratum": {"(missing)": 1}}}]}
    with pytest.raises(ss.InputError, match=r"per_stratum.\(missing\).*more than one stratum"):
        ss.inclusion_probabilities(plan, t)


def test_weights_beyond_the_float_range_are_an_input_error() -> None:
    t = ss.Targets.from_records([{"id": f"i{i}", "w": 1.7e308} for i in range(10)])
    plan = {"name": "p", "tasks": [{"name": "t", "size": {"total": 2}, "risk": {"column": "w"}}]}
    with pytest.raises(ss.InputError, match=r"task 't', key 'risk'.*float range"):
        ss.draw(plan, t, SEED)


def test_cooloff_before_year_one_is_refused_when_the_plan_is_read() -> None:
    with pytest.raises(ss.InputError, match=r"key 'cooloff.days'.*before year 1"):
        ss.Plan.from_dict({"name": "p", "tasks": [{"name": "t", "size": {"rate": 0.1},
            "cooloff": {"column": "d", "days": 10**9, "as_of": "2026-01-01"}}]})


def test_a_plan_built_by_hand_is_validated_by_draw() -> None:
    plan = ss.Plan("p", (Task("t", size=Size("rate", rate=7.0)),))
    t = ss.Targets.from_records([{"id": "a"}])
    with pytest.raises(ss.InputError, match=r"task 't', key 'size.rate'.*outside \[0, 1\]"):
        ss.draw(plan, t, SEED)


def test_bool_weight_column_is_refused() -> None:
    t = ss.Targets.from_records([{"id": "a", "w": True}, {"id": "b", "w": False}])
    plan = {"name": "p", "tasks": [{"name": "t", "size": {"total": 1}, "risk": {"column": "w"}}]}
    with pytest.raises(ss.InputError, match=r"'risk.column'.*'w' holds true/false"):
        ss.draw(plan, t, SEED)


def test_bool_and_float_strata_labels() -> None:
    t = ss.Targets.from_records(
        [{"id": "a", "b": True, "f": 1e-5}, {"id": "b", "b": False, "f": 2.0}]
    )
    plan = {"name": "p", "tasks": [{"name": "t", "strata": ["b", "f"], "size": {"rate": 1.0}}]}
    labels = [s["stratum"] for s in ss.inclusion_probabilities(plan, t).summary()]
    assert labels == ["b=false|f=2", "b=true|f=1e-05"]
