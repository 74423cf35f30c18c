"""The synthetic province: pinned contents, shares, valid and unique codes, the demo plan and seed."""

from __future__ import annotations

import collections
import datetime as dt
from typing import Any

import pytest
from pinned_data import digest, digests_under_hash_seed, unstable_randomness

from shuangsuiji import datasets
from shuangsuiji.datasets import (
    CITIES,
    CREDIT_CLASSES,
    DATA_AS_OF,
    FIELDS,
    demo_plan,
    demo_seed,
    province_labs,
    province_labs_records,
)
from shuangsuiji.registry.uscc import is_valid_uscc, org_code_check_char, uscc_check_char

# SHA-256 of the canonical JSON of province_labs_records(2600). If this changes, the demo data
# changed: every published demo output and doc example changes with it. Bump DATASET_TAG instead.
RECORDS_SHA256 = "8d76d8cad3de04aa0e8ee9fd3f77881c40e239c68152a98cf64108e02f8d2d38"
DEMO_SEED_HEX = "701757d4585bbf859b6138f785c16352dd0cee0d1412572935f773e7899f71c2"


@pytest.fixture(scope="module")
def labs() -> list[dict[str, Any]]:
    return province_labs_records()


def test_contents_are_pinned(labs: list[dict[str, Any]]) -> None:
    assert len(labs) == 2600
    assert digest(labs) == RECORDS_SHA256


def test_contents_do_not_depend_on_the_hash_seed() -> None:
    assert digests_under_hash_seed("d.province_labs_records()", "12345") == [RECORDS_SHA256]


def test_generator_uses_no_unstable_randomness() -> None:
    for module in ("datasets/labs.py", "datasets/bits.py"):
        assert unstable_randomness(module) is None


def test_rows_depend_on_their_index_only(labs: list[dict[str, Any]]) -> None:
    assert province_labs_records(100) == labs[:100]


def test_columns_and_types(labs: list[dict[str, Any]]) -> None:
    keys = [
        "id",
        "name",
        "city",
        "field",
        "entity_type",
        "credit",
        "complaints",
        "last_inspected",
        "established",
    ]
    for r in labs:
        assert list(r) == keys
        assert isinstance(r["complaints"], int) and r["complaints"] >= 0
    assert {r["city"] for r in labs} == {c.name for c in CITIES}
    assert {r["field"] for r in labs} == {f.name for f in FIELDS}
    assert {r["credit"] for r in labs} == {"A", "B", "C", "D"}


@pytest.mark.parametrize(
    ("column", "shares"),
    [
        ("city", {c.name: c.share / 1000 for c in CITIES}),
        ("field", {f.name: f.share / 1000 for f in FIELDS}),
        ("credit", {k: w / 1000 for k, w in CREDIT_CLASSES}),
    ],
)
def test_shares_are_near_their_targets(
    labs: list[dict[str, Any]], column: str, shares: dict[str, float]
) -> None:
    counts = collections.Counter(r[column] for r in labs)
    for value, share in shares.items():
        # 4 binomial standard deviations at n = 2600 is at most 3.9 percentage points.
        sd = (share * (1 - share) / len(labs)) ** 0.5
        assert abs(counts[value] / len(labs) - share) < 4 * sd, (value, counts[value])


def test_credit_codes_are_valid_and_unique(labs: list[dict[str, Any]]) -> None:
    division = {c.name: c.division for c in CITIES}
    prefix = {"企业": "91", "事业单位": "12", "民办非企业单位": "52"}
    ids = [str(r["id"]) for r in labs]
    assert len(set(ids)) == len(ids)
    for r, code in zip(labs, ids):
        assert len(code) == 18 and is_valid_uscc(code), code
        assert code[:2] == prefix[str(r["entity_type"])]
        assert code[2:8] == division[str(r["city"])]
        assert org_code_check_char(code[8:16]) == code[16]


def test_names_are_unique_and_local(labs: list[dict[str, Any]]) -> None:
    names = [str(r["name"]) for r in labs]
    assert len(set(names)) == len(names)
    assert all(str(r["name"]).startswith(str(r["city"])) for r in labs)


def test_riskier_classes_draw_more_complaints(labs: list[dict[str, Any]]) -> None:
    mean = {
        k: sum(int(r["complaints"]) for r in labs if r["credit"] == k)
        / sum(1 for r in labs if r["credit"] == k)
        for k, _ in CREDIT_CLASSES
    }
    assert mean["A"] < mean["B"] < mean["C"] < mean["D"]
    assert 0 < mean["A"] < 0.5 and mean["D"] > 1.5


def test_dates_are_consistent(labs: list[dict[str, Any]]) -> None:
    as_of = dt.date.fromisoformat(DATA_AS_OF)
    never = 0
    for r in labs:
        est = dt.date.fromisoformat(str(r["established"]))
        assert dt.date(1985, 1, 1) <= est < as_of
        if r["last_inspected"] is None:
            never += 1
            continue
        last = dt.date.fromisoformat(str(r["last_inspected"]))
        assert est + dt.timedelta(days=90) <= last < as_of
    assert 0.1 < never / len(labs) < 0.4


def test_province_labs_is_a_registry(labs: list[dict[str, Any]]) -> None:
    t = province_labs(300)
    assert len(t) == 300
    assert t.ids() == [r["id"] for r in labs[:300]]
    assert t.column("credit").kind == "str"
    assert t.column("complaints").kind == "int"
    assert t.column("last_inspected").missing.any()


@pytest.mark.parametrize("n", [0, -1, True, 2.5, datasets.MAX_ROWS + 1])
def test_bad_sizes_are_refused(n: object) -> None:
    with pytest.raises(ValueError, match="n must be"):
        province_labs_records(n)  # type: ignore[arg-type]


@pytest.mark.slow
def test_scales_to_a_hundred_thousand() -> None:
    rows = province_labs_records(100_000)
    assert len({r["id"] for r in rows}) == 100_000
    assert len({r["name"] for r in rows}) == 100_000


def test_demo_plan_is_valid_and_round_trips() -> None:
    from shuangsuiji.plan.plan import Plan

    d = demo_plan()
    plan = Plan.from_dict(d)
    assert plan.name == "河北省2026年检验检测机构双随机抽查计划"
    assert Plan.from_dict(plan.to_dict()) == plan
    fields = {f.name for f in FIELDS}
    covered: list[str] = []
    for t in d["tasks"]:
        f = t["where"]["field"]
        covered += f if isinstance(f, list) else [f]
    assert sorted(covered) == sorted(fields)  # every field in exactly one task
    assert {t["kind"] for t in d["tasks"]} == {"key", "general"}
    assert demo_plan() == d and demo_plan() is not d  # a fresh dict each call


def test_demo_seed() -> None:
    seed = demo_seed()
    assert seed.hex == DEMO_SEED_HEX
    assert seed.key_string == "3.11.17.24.29.33./3512.34/10846.72/"
    assert len(datasets.DEMO_SEED_SOURCES) == len(datasets.DEMO_SEED_SOURCE_NOTES)


def test_uscc_check_characters() -> None:
    # A commonly published valid code, and the GB 11714 worked example D2143569-X.
    assert is_valid_uscc("91350100M000100Y43")
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert org_code_check_char("D2143569") == "X"
    assert not is_valid_uscc("91350100M000100Y44")  # wrong check
    assert not is_valid_uscc("91350100M000100Y4")  # too short
    assert not is_valid_uscc("91350100M000100I43")  # I is not in the alphabet
    with pytest.raises(ValueError, match="alphabet"):
        uscc_check_char("91350100M000100O4")
