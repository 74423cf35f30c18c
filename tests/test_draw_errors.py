"""Data-dependent errors of ``inclusion_probabilities`` and ``draw``: every one is an InputError
whose message names the task, the plan key and the culprit (column, value, row)."""

from __future__ import annotations

import re
from typing import Any

import pytest

import shuangsuiji as ss

SEED = ss.Seed.from_hex("000102030405060708090a0b0c0d0e0f")
CITIES = ["石家庄", "保定", "唐山"]


def _names(*fragments: str) -> str:
    """A ``match=`` pattern requiring every fragment, in any order."""
    return "(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments)


def _rows(n: int = 30) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        rows.append(
            {
                "id": f"91130100MA0C{i:04d}XX",
                "city": CITIES[i % 3],
                "grade": "ABC"[i % 3] if i != n - 1 else "D",  # one lab in class D (last row)
                "staff": i % 2 + 1,  # int column: 1, 2
                "accredited": i % 2 == 0,  # bool column
                "score": float(i % 5),  # float column: 0..4
                "last": "2024-03-01" if i % 4 else "2023-01-15",
            }
        )
    return rows


@pytest.fixture(scope="module")
def labs() -> ss.Targets:
    return ss.Targets.from_records(_rows())


def _plan(**task: Any) -> dict[str, Any]:
    return {"name": "2024 检验检测机构抽查", "tasks": [{"name": "资质认定", **task}]}


def _both(plan: dict[str, Any], targets: ss.Targets, match: str) -> None:
    """The error is raised before any seed is involved, and again by draw()."""
    with pytest.raises(ss.InputError, match=match):
        ss.inclusion_probabilities(plan, targets)
    with pytest.raises(ss.InputError, match=match):
        ss.draw(plan, targets, SEED)
    with pytest.raises(ss.InputError, match=match):
        ss.draw(ss.Plan.from_dict(plan), targets, SEED)


def test_sanity_the_fixture_plan_draws(labs: ss.Targets) -> None:
    sel = ss.draw(_plan(size={"total": 6}, strata=["city"]), labs, SEED)
    assert len(sel) == 6


# -- where ------------------------------------------------------------------------------------
def test_where_value_that_does_not_occur(labs: ss.Targets) -> None:
    plan = _plan(size={"rate": 0.5}, where={"city": "石家"})
    _both(plan, labs, _names("'资质认定'", "'where.city'", "'石家'", "石家庄"))


def test_where_list_with_one_typo(labs: ss.Targets) -> None:
    plan = _plan(size={"rate": 0.5}, where={"city": ["保定", "唐三"]})
    _both(plan, labs, _names("'资质认定'", "'where.city'", "'唐三'"))


@pytest.mark.parametrize(
    ("where", "value"),
    [({"staff": 7}, "7"), ({"score": "abc"}, "'abc'"), ({"accredited": "false"}, "'false'")],
    ids=["int", "float", "bool"],
)
def test_where_value_not_in_non_text_column(labs: ss.Targets, where: dict, value: str) -> None:
    col = next(iter(where))
    _both(
        _plan(size={"rate": 0.5}, where=where), labs, _names("'资质认定'", f"'where.{col}'", value)
    )


# -- columns that do not exist ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("task", "key", "column"),
    [
        ({"size": {"rate": 0.5}, "where": {"cty": "保定"}}, "where.cty", "cty"),
        ({"size": {"rate": 0.5}, "strata": ["city", "district"]}, "strata", "district"),
        ({"risk": {"column": "grd", "rates": {"A": 0.1}}}, "risk.column", "grd"),
        (
            {"size": {"total": 3}, "risk": {"column": "grd", "weights": {"A": 1}}},
            "risk.column",
            "grd",
        ),
        ({"size": {"total": 3}, "risk": {"column": "scor"}}, "risk.column", "scor"),
        (
            {
                "size": {"rate": 0.5},
                "cooloff": {"column": "lst", "days": 30, "as_of": "2024-06-01"},
            },
            "cooloff.column",
            "lst",
        ),
    ],
    ids=["where", "strata", "risk-rates", "risk-weights", "risk-column", "cooloff"],
)
def test_missing_column_is_named(labs: ss.Targets, task: dict, key: str, column: str) -> None:
    _both(_plan(**task), labs, _names("'资质认定'", f"'{key}'", f"'{column}'", "does not exist"))


# -- risk -------------------------------------------------------------------------------------
def test_risk_class_missing_from_weights(labs: ss.Targets) -> None:
    plan = _plan(size={"total": 5}, risk={"column": "grade", "weights": {"A": 1, "B": 2, "C": 3}})
    _both(plan, labs, _names("'资质认定'", "'risk.weights'", "grade='D'", "rows 29"))


def test_risk_class_missing_from_rates(labs: ss.Targets) -> None:
    plan = _plan(risk={"column": "grade", "rates": {"A": 0.1, "B": 0.2, "C": 0.3}})
    _both(plan, labs, _names("'资质认定'", "'risk.rates'", "grade='D'"))


def test_risk_class_missing_from_rates_names_rows(labs: ss.Targets) -> None:
    plan = _plan(risk={"column": "grade", "rates": {"A": 0.1, "B": 0.2, "C": 0.3}})
    _both(plan, labs, _names("'risk.rates'", "grade='D'", "29"))


def test_risk_class_of_a_number_column(labs: ss.Targets) -> None:
    plan = _plan(risk={"column": "staff", "rates": {"1": 0.5}})
    _both(plan, labs, _names("'资质认定'", "'risk.rates'", "staff='2'"))
    ok = ss.inclusion_probabilities(
        _plan(risk={"column": "staff", "rates": {"1": 0.5, "2": 0}}), labs
    )
    assert sorted(s.stratum for s in ok.strata) == ["staff=1", "staff=2"]


def test_text_column_as_weight_column(labs: ss.Targets) -> None:
    plan = _plan(size={"total": 5}, risk={"column": "city"})
    _both(plan, labs, _names("'资质认定'", "'risk.column'", "'city'", "holds text", "weights"))


@pytest.mark.parametrize(
    ("bad", "shown"),
    [(-3.0, "-3.0"), (None, "None"), (float("inf"), "inf"), (float("nan"), "None"), (-1, "-1")],
    ids=["negative", "missing", "inf", "nan", "negative-int"],
)
def test_bad_weight_names_column_row_and_value(bad: Any, shown: str) -> None:
    ws: list[Any] = [1.0, 2.0, 1.5, 1.0, 3.0] if not isinstance(bad, int) else [1, 2, 1, 1, 3]
    ws[3] = bad
    t = ss.Targets.from_records([{"id": f"L{i}", "w": w} for i, w in enumerate(ws)])
    plan = _plan(size={"total": 2}, risk={"column": "w"})
    _both(plan, t, _names("'资质认定'", "'risk.column'", "'w'", f"{shown} at row 3", ">= 0"))


def test_bad_weight_outside_the_eligible_rows_is_ignored() -> None:
    t = ss.Targets.from_records(
        [
            {"id": "L0", "w": 1.0, "city": "A"},
            {"id": "L1", "w": -1.0, "city": "B"},
            {"id": "L2", "w": 2.0, "city": "A"},
        ]
    )
    pi = ss.inclusion_probabilities(
        _plan(size={"total": 1}, risk={"column": "w"}, where={"city": "A"}), t
    )
    assert sorted(pi.ids.tolist()) == ["L0", "L2"]


# -- sizes against the data -------------------------------------------------------------------
def test_total_above_eligible_population(labs: ss.Targets) -> None:
    _both(_plan(size={"total": 31}), labs, _names("'资质认定'", "'size.total'", "31", "30"))


def test_total_above_population_after_where(labs: ss.Targets) -> None:
    plan = _plan(size={"total": 11}, where={"city": "保定"})
    _both(plan, labs, _names("'资质认定'", "'size.total'", "11", "10"))


def test_total_above_positive_weights(labs: ss.Targets) -> None:
    # score is 0 for 6 of 30 labs: only 24 can be drawn
    plan = _plan(size={"total": 25}, risk={"column": "score"})
    _both(plan, labs, _names("'资质认定'", "'size.total'", "25", "24"))


def test_total_below_sum_of_minimums(labs: ss.Targets) -> None:
    plan = _plan(size={"total": 5, "minimum": 3}, strata=["city"])
    _both(plan, labs, _names("'资质认定'", "'size.total'", "minimum", "9"))


def test_per_stratum_missing_a_stratum(labs: ss.Targets) -> None:
    plan = _plan(size={"per_stratum": {"石家庄": 1, "保定": 1}}, strata=["city"])
    _both(plan, labs, _names("'资质认定'", "'size.per_stratum'", "city=唐山"))


def test_per_stratum_unknown_stratum(labs: ss.Targets) -> None:
    plan = _plan(
        size={"per_stratum": {"石家庄": 1, "保定": 1, "唐山": 1, "北京": 1}}, strata=["city"]
    )
    _both(plan, labs, _names("'资质认定'", "'size.per_stratum.北京'", "no such stratum"))


def test_per_stratum_more_than_available(labs: ss.Targets) -> None:
    plan = _plan(size={"per_stratum": {"石家庄": 11, "保定": 1, "唐山": 1}}, strata=["city"])
    _both(plan, labs, _names("'资质认定'", "'size.per_stratum'", "11", "city=石家庄", "only 10"))


def test_per_stratum_full_labels_accepted(labs: ss.Targets) -> None:
    plan = _plan(
        size={"per_stratum": {"city=石家庄": 2, "city=保定": 0, "city=唐山": 1}}, strata=["city"]
    )
    assert len(ss.draw(plan, labs, SEED)) == 3


def test_neyman_anticipated_missing_a_stratum(labs: ss.Targets) -> None:
    plan = _plan(
        size={"total": 6, "allocation": "neyman", "anticipated": {"石家庄": 0.1, "保定": 0.2}},
        strata=["city"],
    )
    _both(plan, labs, _names("'资质认定'", "'size.anticipated'", "city=唐山"))


def test_neyman_anticipated_unknown_stratum(labs: ss.Targets) -> None:
    plan = _plan(
        size={
            "total": 6,
            "allocation": "neyman",
            "anticipated": {"石家庄": 0.1, "保定": 0.2, "唐山": 0.3, "邯郸": 0.1},
        },
        strata=["city"],
    )
    _both(plan, labs, _names("'资质认定'", "'size.anticipated.邯郸'"))


def test_neyman_with_zero_anticipated_rate_and_minimum() -> None:
    # regression (fixed in 8ce50cd): stratum A (9 labs) was given 10 and 11 drawn for 10
    rows = [{"id": f"A{i}", "city": "A"} for i in range(9)]
    rows += [{"id": f"B{i}", "city": "B"} for i in range(2)]
    t = ss.Targets.from_records(rows)
    plan = _plan(
        size={
            "total": 10,
            "minimum": 2,
            "allocation": "neyman",
            "anticipated": {"A": 0.5, "B": 0.0},
        },
        strata=["city"],
    )
    pi = ss.inclusion_probabilities(plan, t)
    assert {s.stratum: s.size for s in pi.strata} == {"city=A": (8,), "city=B": (2,)}
    assert len(ss.draw(plan, t, SEED)) == 10


def test_nan_in_a_numeric_stratum_column_is_its_own_cell() -> None:
    # spec §5 step 2: a missing number is a value of its own, written (missing), sorted last
    t = ss.Targets.from_records(
        [{"id": "L0", "x": 1.5}, {"id": "L1", "x": None}, {"id": "L2", "x": 2.5}]
    )
    summary = ss.inclusion_probabilities(_plan(size={"rate": 1.0}, strata=["x"]), t).summary()
    assert [s["stratum"] for s in summary] == ["x=1.5", "x=2.5", "x=(missing)"]


# -- cool-off ---------------------------------------------------------------------------------
def test_cooloff_non_date_value_names_value_and_row() -> None:
    rows = _rows(6)
    rows[4]["last"] = "2024-02-30"
    t = ss.Targets.from_records(rows)
    plan = _plan(size={"rate": 0.5}, cooloff={"column": "last", "days": 30, "as_of": "2024-06-01"})
    _both(
        plan,
        t,
        _names("'资质认定'", "'cooloff.column'", "'last'", "'2024-02-30'", "row 4", "YYYY-MM-DD"),
    )


def test_cooloff_text_column_that_is_not_dates(labs: ss.Targets) -> None:
    plan = _plan(size={"rate": 0.5}, cooloff={"column": "city", "days": 30, "as_of": "2024-06-01"})
    _both(plan, labs, _names("'资质认定'", "'cooloff.column'", "'city'", "row 1", "ISO date"))


def test_cooloff_number_column(labs: ss.Targets) -> None:
    plan = _plan(size={"rate": 0.5}, cooloff={"column": "staff", "days": 30, "as_of": "2024-06-01"})
    _both(plan, labs, _names("'资质认定'", "'cooloff.column'", "'staff'", "int"))


def test_cooloff_leaves_out_recent_inspections(labs: ss.Targets) -> None:
    plan = _plan(
        size={"census": True}, cooloff={"column": "last", "days": 365, "as_of": "2024-06-01"}
    )
    pi = ss.inclusion_probabilities(plan, labs)
    assert len(pi.ids) == 8  # rows 0, 4, ..., 28 were last inspected in 2023-01


# -- the general (一般) cap against the data ---------------------------------------------------
def test_general_ceil_rounding_over_the_cap(labs: ss.Targets) -> None:
    t = ss.Targets.from_records(_rows(24))
    plan = _plan(kind="general", size={"rate": 0.1})  # ceil(2.4) = 3 of 24 is 12.5%
    _both(
        plan, t, _names("'资质认定'", "'size'", "general_max_rate", "12.50%", "'random'", "'round'")
    )
    for rounding in ("round", "random"):
        plan = _plan(kind="general", size={"rate": 0.1, "rounding": rounding})
        sel = ss.draw(plan, t, SEED)
        assert len(sel) in (2, 3)


def test_general_minimum_over_the_cap(labs: ss.Targets) -> None:
    plan = _plan(kind="general", size={"rate": 0.05, "minimum": 5, "rounding": "random"})
    _both(plan, labs, _names("'资质认定'", "'size'", "general_max_rate", "minimum"))


def test_general_total_over_the_cap(labs: ss.Targets) -> None:
    _both(
        _plan(kind="general", size={"total": 4}),
        labs,
        _names("'资质认定'", "'size'", "4.0 of 30", "general_max_rate"),
    )
    assert len(ss.draw(_plan(kind="general", size={"total": 3}), labs, SEED)) == 3


def test_general_cap_raised_by_the_plan(labs: ss.Targets) -> None:
    plan = _plan(kind="general", size={"total": 4})
    plan["general_max_rate"] = 0.2
    assert len(ss.draw(plan, labs, SEED)) == 4


def test_general_task_at_exactly_the_cap() -> None:
    t = ss.Targets.from_records([{"id": f"L{i:03d}"} for i in range(100)])
    plan = _plan(kind="general", size={"rate": 0.1})
    assert len(ss.draw(plan, t, SEED)) == 10


def test_rate_of_a_key_task_is_not_rounded_up_past_the_decimal(labs: ss.Targets) -> None:
    assert len(ss.draw(_plan(size={"rate": 0.1}), labs, SEED)) == 3


# -- wrong argument types ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("seed", "type_name"),
    [
        ("000102030405060708090a0b0c0d0e0f", "str"),
        (bytes(16), "bytes"),
        (12345, "int"),
        (None, "NoneType"),
    ],
)
def test_seed_must_be_a_seed(labs: ss.Targets, seed: Any, type_name: str) -> None:
    with pytest.raises(ss.InputError, match=_names("shuangsuiji.Seed", type_name)):
        ss.draw(_plan(size={"total": 1}), labs, seed)


@pytest.mark.parametrize(
    ("targets", "type_name"),
    [(_rows(3), "list"), ({"id": ["a"]}, "dict"), (None, "NoneType")],
)
def test_targets_must_be_targets(targets: Any, type_name: str) -> None:
    with pytest.raises(ss.InputError, match=_names("shuangsuiji.Targets", type_name)):
        ss.inclusion_probabilities(_plan(size={"total": 1}), targets)
    with pytest.raises(ss.InputError, match=_names("shuangsuiji.Targets", type_name)):
        ss.draw(_plan(size={"total": 1}), targets, SEED)


@pytest.mark.parametrize(("plan", "type_name"), [("plan.json", "str"), ([{"name": "t"}], "list")])
def test_plan_must_be_a_plan_or_dict(labs: ss.Targets, plan: Any, type_name: str) -> None:
    with pytest.raises(ss.InputError, match=_names("Plan", type_name)):
        ss.draw(plan, labs, SEED)
    with pytest.raises(ss.InputError, match=_names("Plan", type_name)):
        ss.inclusion_probabilities(plan, labs)


def test_dict_plan_is_validated_by_draw(labs: ss.Targets) -> None:
    with pytest.raises(
        ss.InputError, match=_names("'资质认定'", "'size.totl'", "did you mean 'total'")
    ):
        ss.draw(_plan(size={"totl": 1}), labs, SEED)


def test_errors_are_value_errors(labs: ss.Targets) -> None:
    with pytest.raises(ValueError):
        ss.draw(_plan(size={"total": 31}), labs, SEED)
