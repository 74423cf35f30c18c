"""Plan.from_dict / to_dict: the published schema, its JSON round trip, and every validation
branch of plan/ (plan.py, checks.py, parts.py). Each bad input is an InputError (a ValueError)
whose message names the task and the key at fault; a typo is never silently ignored."""

from __future__ import annotations

import copy
import json
import math
import re
from typing import Any

import attrs
import pytest

import shuangsuiji as ss


def _names(*fragments: str) -> str:
    """A ``match=`` pattern requiring every fragment, in any order."""
    return "(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments)


def _plan(*tasks: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"name": "2024年检验检测机构双随机抽查", "tasks": list(tasks), **top}


def _task(**kw: Any) -> dict[str, Any]:
    return {"name": "t", "size": {"rate": 0.1}, **kw}


def _bad(d: Any, *fragments: str) -> str:
    with pytest.raises(ss.InputError, match=_names(*fragments)) as info:
        ss.Plan.from_dict(d)
    return str(info.value)


FULL_PLAN: dict[str, Any] = {
    "name": "2024年河北省检验检测机构双随机抽查",
    "general_max_rate": 0.1,
    "tasks": [
        {
            "name": "资质认定-重点",
            "kind": "key",
            "where": {"city": ["石家庄", "保定"], "accredited": True, "staff": 3},
            "strata": ["city"],
            "size": {"rate": 0.3, "minimum": 2, "rounding": "random"},
            "cooloff": {"column": "last_inspected", "days": 365, "as_of": "2024-06-30"},
            "namespace": "检验检测-共享",
        },
        {
            "name": "neyman",
            "strata": ["city", "sector"],
            "size": {
                "total": 20,
                "allocation": "neyman",
                "minimum": 1,
                "anticipated": {"石家庄": 0.1, "保定": 0.25, "唐山": 0},
            },
        },
        {"name": "equal", "strata": ["city"], "size": {"total": 9, "allocation": "equal"}},
        {"name": "per", "strata": ["city"], "size": {"per_stratum": {"石家庄": 3, "保定": 0}}},
        {"name": "census", "size": {"census": True}, "where": {"grade": "D"}},
        {
            "name": "risk-rates",
            "kind": "general",
            "risk": {"column": "grade", "rates": {"A": 0.02, "B": 0.05, "C": 0.1, "D": 0}},
        },
        {
            "name": "risk-rates-sized",
            "risk": {"column": "grade", "rates": {"A": 0.5, "B": 1}},
            "size": {"rounding": "round", "minimum": 1},
        },
        {
            "name": "risk-weights",
            "size": {"total": 10},
            "risk": {"column": "grade", "weights": {"A": 1, "B": 2.5, "C": 0}},
        },
        {
            "name": "risk-column",
            "kind": "general",
            "size": {"rate": 0.05, "rounding": "round"},
            "risk": {"column": "score"},
            "namespace": "检验检测-共享",
        },
    ],
}


# -- round trip -------------------------------------------------------------------------------
def test_full_plan_json_round_trip() -> None:
    p = ss.Plan.from_dict(FULL_PLAN)
    d = p.to_dict()
    again = ss.Plan.from_dict(json.loads(json.dumps(d, ensure_ascii=False)))
    assert again == p
    assert again.to_dict() == d
    assert ss.Plan.from_dict(ss.Plan.from_dict(d).to_dict()).to_dict() == d
    assert json.loads(p.to_json()) == json.loads(json.dumps(d))
    # to_json sorts keys; with keys already in order the JSON text round trip is exact too
    q = ss.Plan.from_json(p.to_json())
    assert q.to_json() == p.to_json()
    assert ss.Plan.from_json(q.to_json()) == q


@pytest.mark.parametrize(
    "task",
    [
        {"name": "t", "size": {"rate": 0.1}, "where": {"city": "保定", "accredited": True}},
        {"name": "t", "risk": {"column": "grade", "rates": {"C": 0.1, "A": 0.05}}},
        {"name": "t", "strata": ["city"], "size": {"per_stratum": {"唐山": 1, "保定": 2}}},
    ],
    ids=["where", "rates", "per_stratum"],
)
def test_to_json_round_trip_is_identity(task: dict) -> None:
    p = ss.Plan.from_dict(_plan(task))
    assert ss.Plan.from_json(p.to_json()) == p


def test_round_trip_of_the_original_dict() -> None:
    p = ss.Plan.from_dict(json.loads(json.dumps(FULL_PLAN)))
    assert p == ss.Plan.from_dict(FULL_PLAN)
    assert [t.name for t in p.tasks] == [t["name"] for t in FULL_PLAN["tasks"]]


def test_to_dict_fills_in_the_defaults() -> None:
    p = ss.Plan.from_dict(_plan({"name": "t", "size": {"rate": 0.1}}))
    assert p.to_dict() == {
        "name": "2024年检验检测机构双随机抽查",
        "general_max_rate": 0.1,
        "tasks": [
            {"name": "t", "kind": "key", "size": {"rate": 0.1, "minimum": 0, "rounding": "ceil"}}
        ],
    }
    p = ss.Plan.from_dict(_plan({"name": "t", "size": {"total": 3}}))
    assert p.to_dict()["tasks"][0]["size"] == {
        "total": 3,
        "allocation": "proportional",
        "minimum": 0,
    }


def test_to_dict_is_plain_json_data() -> None:
    d = ss.Plan.from_dict(FULL_PLAN).to_dict()

    def walk(x: Any) -> None:
        assert isinstance(x, (dict, list, str, int, float, bool)) or x is None, type(x)
        if isinstance(x, dict):
            assert all(isinstance(k, str) for k in x)
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(d)
    assert json.loads(json.dumps(d)) == d


def test_integers_are_accepted_where_rates_are_floats() -> None:
    p = ss.Plan.from_dict(_plan(_task(size={"rate": 1}), general_max_rate=1))
    assert p.tasks[0].size is not None and p.tasks[0].size.rate == 1.0
    assert ss.Plan.from_dict(p.to_dict()) == p


def test_from_dict_does_not_alias_the_input() -> None:
    d = copy.deepcopy(FULL_PLAN)
    p = ss.Plan.from_dict(d)
    d["tasks"][0]["where"]["city"].append("唐山")
    d["tasks"][0]["strata"].append("sector")
    assert p == ss.Plan.from_dict(FULL_PLAN)


def test_plan_is_frozen() -> None:
    p = ss.Plan.from_dict(FULL_PLAN)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        p.name = "x"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        p.tasks[0].name = "x"  # type: ignore[misc]


def test_task_lookup_and_namespace() -> None:
    p = ss.Plan.from_dict(FULL_PLAN)
    assert p.task("equal").prn_namespace == "equal"
    assert p.task("资质认定-重点").prn_namespace == "检验检测-共享"
    with pytest.raises(ss.InputError, match=_names("'nope'", "资质认定-重点")):
        p.task("nope")


def test_input_error_is_a_value_error() -> None:
    assert issubclass(ss.InputError, ValueError)
    with pytest.raises(ValueError):
        ss.Plan.from_dict(_plan(_task(size={"rate": 1.5})))


def test_invalid_json() -> None:
    with pytest.raises(ss.InputError, match="plan JSON is not valid"):
        ss.Plan.from_json('{"name": "x", "tasks": [}')


# -- the plan's own keys ----------------------------------------------------------------------
@pytest.mark.parametrize("d", [[1, 2], "plan", None, 3])
def test_plan_not_a_mapping(d: Any) -> None:
    _bad(d, "expected a mapping", type(d).__name__)


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("nmae", "did you mean 'name'?"),
        ("task", "did you mean 'tasks'?"),
        ("general_max_rates", "did you mean 'general_max_rate'?"),
        ("publicaton", "did you mean 'publication'?"),
        ("budget", "allowed keys are ['name', 'tasks', 'general_max_rate', 'publication', 'year']"),
    ],
)
def test_unknown_plan_key(key: str, hint: str) -> None:
    d = _plan(_task())
    d[key] = 1
    _bad(d, f"plan key '{key}'", "unknown key", hint)


@pytest.mark.parametrize("name", [None, "", "   ", 5])
def test_plan_name(name: Any) -> None:
    d = _plan(_task())
    d["name"] = name
    _bad(d, "plan key 'name'", "non-empty name")
    del d["name"]
    _bad(d, "plan key 'name'")


@pytest.mark.parametrize("tasks", [[], None, "t", {"name": "t"}, 3])
def test_tasks_must_be_a_non_empty_list(tasks: Any) -> None:
    _bad({"name": "p", "tasks": tasks}, "plan key 'tasks'", "non-empty list")


def test_tasks_missing() -> None:
    _bad({"name": "p"}, "plan key 'tasks'")


@pytest.mark.parametrize("cap", [-0.1, 1.5, "0.1", True, None, math.nan])
def test_general_max_rate_bad(cap: Any) -> None:
    _bad(_plan(_task(), general_max_rate=cap), "plan key 'general_max_rate'", "rate")


def test_duplicate_task_names() -> None:
    _bad(_plan(_task(), _task(size={"total": 3})), "task 't', key 'name'", "two tasks")


# -- task keys --------------------------------------------------------------------------------
@pytest.mark.parametrize("task", ["t", 3, None, ["name", "t"]])
def test_task_not_a_mapping(task: Any) -> None:
    _bad(_plan(_task(name="a"), task), "tasks[1]", "expected a mapping")


@pytest.mark.parametrize("name", [None, "", "  ", 7])
def test_task_name_empty_or_missing(name: Any) -> None:
    _bad(_plan(_task(name=name)), "tasks[0], key 'name'", "non-empty name")


def test_task_name_missing_is_task_zero_or_later() -> None:
    _bad(_plan(_task(name="a"), {"size": {"rate": 0.1}}), "tasks[1], key 'name'")


def test_misspelt_task_name_key_is_named() -> None:
    _bad(_plan({"nme": "t", "size": {"rate": 0.1}}), "'nme'", "did you mean 'name'")


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("strat", "did you mean 'strata'?"),
        ("sizes", "did you mean 'size'?"),
        ("wher", "did you mean 'where'?"),
        ("cool_off", "did you mean 'cooloff'?"),
        ("namespce", "did you mean 'namespace'?"),
        ("kinds", "did you mean 'kind'?"),
        ("rsik", "did you mean 'risk'?"),
        ("目标", "allowed keys are"),
    ],
)
def test_unknown_task_key(key: str, hint: str) -> None:
    _bad(_plan(_task(**{key: ["city"]})), f"task 't', key '{key}'", "unknown key", hint)


@pytest.mark.parametrize("kind", ["重点", "Key", "", None, "general "])
def test_kind_invalid(kind: Any) -> None:
    _bad(_plan(_task(kind=kind)), "task 't', key 'kind'", repr(kind))


@pytest.mark.parametrize("strata", ["city", 3, [""], [1], ["city", None], {"city": 1}])
def test_strata_not_a_list_of_names(strata: Any) -> None:
    _bad(_plan(_task(strata=strata)), "task 't', key 'strata'", "list of column names")


def test_strata_duplicated() -> None:
    _bad(_plan(_task(strata=["city", "sector", "city"])), "task 't', key 'strata'", "twice")


@pytest.mark.parametrize("ns", ["", 5, ["a"]])
def test_namespace_invalid(ns: Any) -> None:
    _bad(_plan(_task(namespace=ns)), "task 't', key 'namespace'", "non-empty string")


# -- where ------------------------------------------------------------------------------------
@pytest.mark.parametrize("where", [["city"], "city=保定", 3])
def test_where_not_a_mapping(where: Any) -> None:
    _bad(_plan(_task(where=where)), "task 't', key 'where'", "mapping")


def test_where_empty_list() -> None:
    _bad(_plan(_task(where={"city": []})), "task 't', key 'where.city'", "empty list")


@pytest.mark.parametrize("value", [{}, {"in": ["保定"]}, None, {"保定"}])
def test_where_value_not_a_value_or_list(value: Any) -> None:
    _bad(_plan(_task(where={"city": value})), "task 't', key 'where.city'", "value or a list")


# -- size -------------------------------------------------------------------------------------
def test_size_missing() -> None:
    _bad(_plan({"name": "t"}), "task 't', key 'size'", "missing")
    _bad(_plan({"name": "t", "risk": {"column": "score"}}), "task 't', key 'size'", "missing")


@pytest.mark.parametrize("size", [{}, 0.1, 10, "census", None, []])
def test_size_without_a_mode(size: Any) -> None:
    _bad(
        _plan(_task(size=size)),
        "task 't', key 'size'",
        "'rate', 'total', 'per_stratum' or 'census'",
    )


@pytest.mark.parametrize(
    ("size", "key", "hint"),
    [
        ({"rte": 0.1}, "size.rte", "did you mean 'rate'?"),
        ({"totl": 5}, "size.totl", "did you mean 'total'?"),
        ({"per-stratum": {}}, "size.per-stratum", "did you mean 'per_stratum'?"),
        ({"rate": 0.1, "minimun": 2}, "size.minimun", "did you mean 'minimum'?"),
        ({"rate": 0.1, "roundng": "ceil"}, "size.roundng", "did you mean 'rounding'?"),
        ({"rate": 0.1, "allocation": "equal"}, "size.allocation", "allowed keys are"),
        ({"rate": 0.1, "total": 5}, "size.total", "unknown key"),
        ({"total": 5, "alocation": "equal"}, "size.alocation", "did you mean 'allocation'?"),
        ({"total": 5, "anticipate": {"a": 0.1}}, "size.anticipate", "did you mean 'anticipated'?"),
        ({"total": 5, "rounding": "ceil"}, "size.rounding", "unknown key"),
        ({"per_stratum": {"a": 1}, "minimum": 1}, "size.minimum", "unknown key"),
        ({"census": True, "rate": 1.0}, "size.rate", "unknown key"),
    ],
)
def test_unknown_size_key(size: dict, key: str, hint: str) -> None:
    _bad(_plan(_task(size=size)), f"task 't', key '{key}'", hint)


@pytest.mark.parametrize("rate", [-0.1, 1.5, 1.0000001, -1e-300, math.inf, math.nan])
def test_rate_outside_unit_interval(rate: float) -> None:
    _bad(_plan(_task(size={"rate": rate})), "task 't', key 'size.rate'", repr(rate))


@pytest.mark.parametrize("rate", ["0.1", None, [0.1], True, False])
def test_rate_not_a_number(rate: Any) -> None:
    _bad(
        _plan(_task(size={"rate": rate})),
        "task 't', key 'size.rate'",
        "must be a number",
        repr(rate),
    )


@pytest.mark.parametrize("rounding", ["floor", "CEIL", None, 1])
def test_bad_rounding(rounding: Any) -> None:
    _bad(
        _plan(_task(size={"rate": 0.1, "rounding": rounding})),
        "task 't', key 'size.rounding'",
        repr(rounding),
    )


@pytest.mark.parametrize("allocation", ["optimal", "Neyman", None])
def test_bad_allocation(allocation: Any) -> None:
    _bad(
        _plan(_task(size={"total": 5, "allocation": allocation})),
        "task 't', key 'size.allocation'",
        repr(allocation),
    )


def test_neyman_without_anticipated() -> None:
    _bad(
        _plan(_task(size={"total": 5, "allocation": "neyman"})),
        "task 't', key 'size.anticipated'",
        "Neyman",
    )


@pytest.mark.parametrize("allocation", [None, "proportional", "equal"])
def test_anticipated_without_neyman(allocation: str | None) -> None:
    size: dict[str, Any] = {"total": 5, "anticipated": {"a": 0.1}}
    if allocation:
        size["allocation"] = allocation
    _bad(
        _plan(_task(size=size)),
        "task 't', key 'size.anticipated'",
        "only used with allocation 'neyman'",
    )


@pytest.mark.parametrize(
    ("anticipated", "key"),
    [
        ({"石家庄": 1.5}, "size.anticipated.石家庄"),
        ({"a": 0.1, "b": "0.2"}, "size.anticipated.b"),
        ({}, "size.anticipated"),
        ([0.1, 0.2], "size.anticipated"),
        ({"a": -0.01}, "size.anticipated.a"),
    ],
)
def test_bad_anticipated(anticipated: Any, key: str) -> None:
    _bad(
        _plan(_task(size={"total": 5, "allocation": "neyman", "anticipated": anticipated})),
        f"task 't', key '{key}'",
    )


@pytest.mark.parametrize("total", [-1, 2.5, 5.0, "5", True, None])
def test_total_not_a_whole_number(total: Any) -> None:
    _bad(
        _plan(_task(size={"total": total})),
        "task 't', key 'size.total'",
        "whole number",
        repr(total),
    )


@pytest.mark.parametrize(
    ("size", "minimum"),
    [("rate", -1), ("rate", 1.5), ("total", -2), ("total", "3"), ("rate", True)],
)
def test_minimum_not_a_whole_number(size: str, minimum: Any) -> None:
    s = {"rate": {"rate": 0.1}, "total": {"total": 5}}[size]
    _bad(
        _plan(_task(size={**s, "minimum": minimum})), "task 't', key 'size.minimum'", repr(minimum)
    )


@pytest.mark.parametrize(
    ("per_stratum", "key"),
    [
        ({"石家庄": -1}, "size.per_stratum.石家庄"),
        ({"a": 1.5}, "size.per_stratum.a"),
        ({"a": 2, "b": True}, "size.per_stratum.b"),
        ({"a": "3"}, "size.per_stratum.a"),
        ({}, "size.per_stratum"),
        ([1, 2], "size.per_stratum"),
        (5, "size.per_stratum"),
    ],
)
def test_bad_per_stratum(per_stratum: Any, key: str) -> None:
    _bad(_plan(_task(strata=["city"], size={"per_stratum": per_stratum})), f"task 't', key '{key}'")


@pytest.mark.parametrize("census", [False, "true", 1, None])
def test_census_must_be_true(census: Any) -> None:
    _bad(
        _plan(_task(size={"census": census})),
        "task 't', key 'size.census'",
        "must be true",
        repr(census),
    )


# -- risk -------------------------------------------------------------------------------------
@pytest.mark.parametrize("risk", ["grade", ["grade"], 1])
def test_risk_not_a_mapping(risk: Any) -> None:
    _bad(_plan(_task(risk=risk)), "task 't', key 'risk'", "expected a mapping")


@pytest.mark.parametrize(
    ("risk", "key", "hint"),
    [
        ({"column": "grade", "rate": {"A": 0.1}}, "risk.rate", "did you mean 'rates'?"),
        ({"colunm": "grade", "rates": {"A": 0.1}}, "risk.colunm", "did you mean 'column'?"),
        ({"column": "grade", "weight": {"A": 1}}, "risk.weight", "did you mean 'weights'?"),
        ({"column": "grade", "scores": {"A": 1}}, "risk.scores", "unknown key"),
    ],
)
def test_unknown_risk_key(risk: dict, key: str, hint: str) -> None:
    _bad(_plan(_task(risk=risk)), f"task 't', key '{key}'", hint)


@pytest.mark.parametrize(
    "risk",
    [{"rates": {"A": 0.1}}, {"column": ""}, {"column": 3}, {"column": None, "weights": {"A": 1}}],
)
def test_risk_column_missing(risk: dict) -> None:
    _bad(_plan(_task(risk=risk)), "task 't', key 'risk.column'", "risk column name")


def test_risk_rates_and_weights_together() -> None:
    risk = {"column": "grade", "rates": {"A": 0.1}, "weights": {"A": 1}}
    _bad(_plan(_task(size={"total": 3}, risk=risk)), "task 't', key 'risk'", "not both")


@pytest.mark.parametrize(
    ("rates", "key"),
    [
        ({"A": 0.1, "C": 1.5}, "risk.rates.C"),
        ({"A": -0.1}, "risk.rates.A"),
        ({"A": "0.1"}, "risk.rates.A"),
        ({"A": True}, "risk.rates.A"),
        ({}, "risk.rates"),
        ([0.1], "risk.rates"),
    ],
)
def test_bad_risk_rates(rates: Any, key: str) -> None:
    _bad(
        _plan({"name": "t", "risk": {"column": "grade", "rates": rates}}), f"task 't', key '{key}'"
    )


@pytest.mark.parametrize(
    ("weights", "key"),
    [
        ({"A": -1}, "risk.weights.A"),
        ({"A": 1, "B": math.inf}, "risk.weights.B"),
        ({"A": math.nan}, "risk.weights.A"),
        ({"A": True}, "risk.weights.A"),
        ({"A": "2"}, "risk.weights.A"),
        ({}, "risk.weights"),
    ],
)
def test_bad_risk_weights(weights: Any, key: str) -> None:
    _bad(
        _plan(_task(size={"total": 3}, risk={"column": "grade", "weights": weights})),
        f"task 't', key '{key}'",
    )


@pytest.mark.parametrize("size", [{"total": 5}, {"census": True}, {"per_stratum": {"A": 1}}])
def test_risk_rates_with_a_non_rate_size(size: dict) -> None:
    _bad(
        _plan(_task(size=size, risk={"column": "grade", "rates": {"A": 0.1}})),
        "task 't', key 'size'",
        "risk class rates",
    )


def test_risk_rates_with_a_size_rate() -> None:
    # the classes set the rates: a size.rate beside them would be silently unused, so it is refused
    _bad(
        _plan(
            _task(size={"rate": 0.5, "minimum": 1}, risk={"column": "grade", "rates": {"A": 0.1}})
        ),
        "task 't', key 'size'",
        "risk class rates",
        "'rounding' and 'minimum'",
    )


@pytest.mark.parametrize(
    "size", [{"minimum": 2}, {"rounding": "random"}, {"minimum": 1, "rounding": "ceil"}]
)
def test_size_rate_missing_without_class_rates(size: dict) -> None:
    _bad(_plan(_task(size=size)), "task 't', key 'size.rate'", "missing")


def test_class_rates_with_rounding_and_minimum_only() -> None:
    d = _plan(
        {
            "name": "t",
            "risk": {"column": "grade", "rates": {"A": 0.1}},
            "size": {"rounding": "random", "minimum": 2},
        }
    )
    p = ss.Plan.from_dict(d)
    size = p.tasks[0].size
    assert size is not None and size.rate is None
    assert (size.rounding, size.minimum) == ("random", 2)
    assert p.to_dict()["tasks"][0]["size"] == {"rounding": "random", "minimum": 2}
    assert ss.Plan.from_dict(json.loads(json.dumps(p.to_dict()))) == p


def test_risk_rates_column_already_a_stratum() -> None:
    _bad(
        _plan({"name": "t", "strata": ["grade"], "risk": {"column": "grade", "rates": {"A": 0.1}}}),
        "task 't', key 'risk.column'",
        "already a stratum",
    )


def test_risk_rates_need_no_size() -> None:
    p = ss.Plan.from_dict(_plan({"name": "t", "risk": {"column": "grade", "rates": {"A": 0.1}}}))
    assert p.tasks[0].size is None and p.tasks[0].risk is not None
    assert p.tasks[0].risk.mode == "rates"


# -- cooloff ----------------------------------------------------------------------------------
COOLOFF = {"column": "last_inspected", "days": 365, "as_of": "2024-06-30"}


@pytest.mark.parametrize("cooloff", ["365", 365, ["last_inspected"]])
def test_cooloff_not_a_mapping(cooloff: Any) -> None:
    _bad(_plan(_task(cooloff=cooloff)), "task 't', key 'cooloff'", "expected a mapping")


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("day", "did you mean 'days'?"),
        ("asof", "did you mean 'as_of'?"),
        ("colum", "did you mean 'column'?"),
        ("months", "allowed keys are"),
    ],
)
def test_unknown_cooloff_key(key: str, hint: str) -> None:
    _bad(_plan(_task(cooloff={**COOLOFF, key: 1})), f"task 't', key 'cooloff.{key}'", hint)


@pytest.mark.parametrize("missing", ["column", "days", "as_of"])
def test_cooloff_missing_key(missing: str) -> None:
    c = {k: v for k, v in COOLOFF.items() if k != missing}
    _bad(_plan(_task(cooloff=c)), f"task 't', key 'cooloff.{missing}'", "missing")


@pytest.mark.parametrize("column", ["", 5, None])
def test_cooloff_column_invalid(column: Any) -> None:
    _bad(_plan(_task(cooloff={**COOLOFF, "column": column})), "task 't', key 'cooloff.column'")


@pytest.mark.parametrize(
    "as_of", ["2024-13-01", "2024-02-30", "2024/06/30", "30.06.2024", "yesterday", "", None, True]
)
def test_cooloff_bad_as_of(as_of: Any) -> None:
    _bad(
        _plan(_task(cooloff={**COOLOFF, "as_of": as_of})),
        "task 't', key 'cooloff.as_of'",
        repr(as_of),
        "YYYY-MM-DD",
    )


@pytest.mark.parametrize("as_of", [20240630, "20240630", "2024-W26-7"])
def test_cooloff_as_of_only_yyyy_mm_dd(as_of: Any) -> None:
    _bad(_plan(_task(cooloff={**COOLOFF, "as_of": as_of})), "task 't', key 'cooloff.as_of'")


@pytest.mark.parametrize("days", [-1, 1.5, "30", True, None])
def test_cooloff_bad_days(days: Any) -> None:
    _bad(
        _plan(_task(cooloff={**COOLOFF, "days": days})), "task 't', key 'cooloff.days'", repr(days)
    )


def test_cooloff_cutoff() -> None:
    p = ss.Plan.from_dict(_plan(_task(cooloff=COOLOFF)))
    c = p.tasks[0].cooloff
    assert c is not None and str(c.cutoff) == "2023-07-01"


# -- the general (一般) cap -------------------------------------------------------------------
def test_general_task_rate_above_cap() -> None:
    msg = _bad(
        _plan(_task(kind="general", size={"rate": 0.15})),
        "task 't', key 'size.rate'",
        "0.15",
        "general_max_rate 0.1",
        "'key'",
    )
    assert "一般" in msg


def test_general_task_class_rate_above_cap() -> None:
    risk = {"column": "grade", "rates": {"A": 0.05, "B": 0.1, "C": 0.2}}
    _bad(
        _plan({"name": "t", "kind": "general", "risk": risk}),
        "task 't', key 'risk.rates.C'",
        "0.2",
        "general_max_rate 0.1",
    )


def test_general_census_above_cap() -> None:
    _bad(
        _plan(_task(kind="general", size={"census": True})),
        "task 't', key 'size.census'",
        "general_max_rate",
    )


def test_general_task_at_the_cap_and_key_task_above_it() -> None:
    ss.Plan.from_dict(_plan(_task(kind="general", size={"rate": 0.1})))
    ss.Plan.from_dict(_plan(_task(kind="key", size={"rate": 0.9})))
    ss.Plan.from_dict(
        _plan(
            {
                "name": "t",
                "kind": "general",
                "risk": {"column": "grade", "rates": {"A": 0.1, "B": 0}},
            }
        )
    )


def test_custom_general_max_rate() -> None:
    ss.Plan.from_dict(_plan(_task(kind="general", size={"rate": 0.15}), general_max_rate=0.2))
    _bad(
        _plan(_task(kind="general", size={"rate": 0.25}), general_max_rate=0.2),
        "task 't', key 'size.rate'",
        "general_max_rate 0.2",
    )
    _bad(
        _plan(_task(kind="general", size={"rate": 0.1}), general_max_rate=0.05),
        "task 't', key 'size.rate'",
        "general_max_rate 0.05",
    )
    p = ss.Plan.from_dict(_plan(_task(kind="general", size={"rate": 0.15}), general_max_rate=0.2))
    assert p.general_max_rate == 0.2 and p.to_dict()["general_max_rate"] == 0.2
    assert ss.Plan.from_dict(p.to_dict()) == p


def test_cap_names_the_offending_task_among_several() -> None:
    _bad(
        _plan(_task(name="a"), _task(name="b", kind="general", size={"rate": 0.3})),
        "task 'b', key 'size.rate'",
    )
