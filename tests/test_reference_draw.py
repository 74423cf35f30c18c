"""The library's draw agrees with the stdlib reference implementation (tests/ref_draw.py).

On hypothesis-generated registries and plans, both implementations must give the same cells
(label, design, population, possible sizes, expected size), the same π for every eligible target
and the same set of (task, id) drawn, for every design: srs, pips, random rounding, class rates,
per_stratum, total allocations and census.

π is compared exactly: both follow spec §6.1 to the last bit.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import ref_draw
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji import strategies as sst
from shuangsuiji.sampling import designs as D
from shuangsuiji.strategies.registries import weight_values

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def instances(draw: st.DrawFn, **plan_options: Any) -> tuple[list[dict[str, Any]], dict[str, Any], ss.Seed]:
    rows = draw(sst.records(max_size=25))
    plan = draw(sst.plan_dicts(ss.Targets.from_records(rows), **plan_options))
    return rows, plan, draw(sst.seeds())


def check_agreement(rows: list[dict[str, Any]], plan: dict[str, Any], seed: ss.Seed) -> None:
    targets = ss.Targets.from_records(rows)
    sel = ss.draw(plan, targets, seed)
    designs = {(s["task"], s["stratum"]): s for s in sel.summary()}

    # cells: same labels in the same order, same design and sizes
    ref_cells = [
        (task["name"], c) for task in plan["tasks"] for c in ref_draw.design_task(task, rows)
    ]
    assert [(t, c.label) for t, c in ref_cells] == [(s["task"], s["stratum"]) for s in sel.summary()]
    for t, c in ref_cells:
        s = designs[(t, c.label)]
        assert s["design"] == c.method, (t, c.label)
        assert s["population"] == len(c.members)
        sizes = [c.size.low] if c.size.fixed else [c.size.low, c.size.high]
        assert s["size"] == sizes, (t, c.label)
        assert s["expected"] == float(c.size.expected)

    # π of every eligible target, before the seed
    ref_pi = ref_draw.inclusion_probabilities(plan, rows)
    lib_pi = {
        (r["task"], r["id"]): (r["stratum"], r["inclusion_probability"])
        for r in ss.inclusion_probabilities(plan, targets).to_records()
    }
    assert ref_pi.keys() == lib_pi.keys()
    for key, (stratum, p) in lib_pi.items():
        ref_stratum, ref_p = ref_pi[key]
        assert stratum == ref_stratum
        assert p == ref_p, (key, p, ref_p)

    # the draw: exactly the same (task, id) set, with the same strata
    ref = ref_draw.draw(plan, rows, seed.value)
    assert sel.id_set() == frozenset(ref)
    for r in sel.to_records():
        assert (r["stratum"], r["inclusion_probability"]) == ref[(r["task"], r["id"])]


@SETTINGS
@given(instances())
def test_reference_agrees_on_any_plan(instance: Any) -> None:
    check_agreement(*instance)


@SETTINGS
@given(instances(risk_modes=[None], size_modes=["rate"]))
def test_reference_agrees_on_srs_rates(instance: Any) -> None:
    check_agreement(*instance)


@SETTINGS
@given(instances(risk_modes=["column", "weights"]))
def test_reference_agrees_on_pips(instance: Any) -> None:
    check_agreement(*instance)


@SETTINGS
@given(instances(risk_modes=["rates"], kinds=["key"]))
def test_reference_agrees_on_class_rates(instance: Any) -> None:
    check_agreement(*instance)


@SETTINGS
@given(instances(kinds=["general"]))
def test_reference_agrees_on_general_random_rounding(instance: Any) -> None:
    check_agreement(*instance)


@SETTINGS
@given(instances(size_modes=["per_stratum", "total", "census"], kinds=["key"]))
def test_reference_agrees_on_per_stratum_total_and_census(instance: Any) -> None:
    check_agreement(*instance)


def test_reference_agrees_on_adversarial_pips() -> None:
    """Certainty units, tiny and zero weights, ties and random rounding in one cell, many seeds."""
    weights = [1e6, 1e6, 1.0, 1.0, 1.0, 1e-9, 0.0, 0.0, 3.0, 3.0, 0.5]
    rows = [{"id": f"U{i:02d}", "w": w, "g": "x"} for i, w in enumerate(weights)]
    plan = {"name": "adv", "tasks": [
        {"name": "rnd", "size": {"rate": 0.37, "rounding": "random"}, "risk": {"column": "w"}},
        {"name": "fix", "size": {"total": 5}, "risk": {"column": "w"}},
        {"name": "min", "size": {"rate": 0.01, "minimum": 4}, "risk": {"column": "w"}},
    ]}
    for i in range(40):
        check_agreement(rows, plan, ss.Seed.from_hex(f"{i:032x}"))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 6), min_size=0, max_size=6).flatmap(
        lambda caps: st.tuples(
            st.just(caps),
            st.lists(st.sampled_from([Fraction(0), Fraction(1), Fraction(2), Fraction(1, 3)]),
                     min_size=len(caps), max_size=len(caps)),
            st.integers(0, 3),
        )
    ),
    st.integers(0, 40),
)
def test_allocation_agrees(problem: Any, total_seed: int) -> None:
    """design.allocate against the reference, ties and bounds included (equal caps are common)."""
    caps, shares, minimum = problem
    lower, upper = sum(min(minimum, c) for c in caps), sum(caps)
    if lower > upper:
        return
    total = lower + total_seed % (upper - lower + 1)
    assert D.allocate(total, caps, shares, minimum) == ref_draw.allocate(total, caps, shares, minimum)


def test_allocation_ties_go_to_the_earlier_stratum() -> None:
    assert ref_draw.allocate(4, [5, 5, 5], [Fraction(1)] * 3, 0) == [2, 1, 1]
    assert D.allocate(4, [5, 5, 5], [Fraction(1)] * 3, 0) == [2, 1, 1]
    shares = [Fraction(c) for c in (3, 3, 9)]
    assert D.allocate(7, [3, 3, 9], shares, 2) == ref_draw.allocate(7, [3, 3, 9], shares, 2)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 60),
    st.one_of(st.sampled_from([0.0, 0.07, 0.1, 0.3, 1 / 3, 0.5, 1.0]), st.floats(0, 1)),
    st.sampled_from(["ceil", "round", "random"]),
    st.integers(0, 5),
    st.integers(0, 60),
)
def test_rate_size_agrees(N: int, rate: float, rounding: str, minimum: int, cap: int) -> None:
    cap = min(cap, N)
    lib = D.rate_size(N, rate, rounding, minimum, cap)
    ref = ref_draw.rate_size(N, rate, rounding, minimum, cap)
    assert (lib.low, lib.high, lib.p_high) == (ref.low, ref.high, ref.p_high)


@settings(max_examples=300, deadline=None)
@given(st.lists(weight_values(), min_size=1, max_size=12), st.integers(0, 12))
def test_capped_pi_agrees(w: list[float], n: int) -> None:
    n = min(n, sum(1 for x in w if x > 0))
    assert D.pips(np.array(w), n).tolist() == ref_draw.capped_pi(w, n)


SPEC_ROWS = [
    {"id": f"91130100MA0C{i:04d}X{i % 10}", "city": "石家庄" if i < 7 else "保定",
     "credit": "ABCD"[i % 4]}
    for i in range(12)
]
SPEC_PLAN = {"name": "vector", "tasks": [
    {"name": "srs", "strata": ["city"], "size": {"rate": 0.3, "rounding": "random"}},
    {"name": "pips", "strata": ["city"], "size": {"per_stratum": {"石家庄": 3, "保定": 2}},
     "risk": {"column": "credit", "weights": {"A": 1, "B": 2, "C": 4, "D": 8}}}]}


def test_reference_reproduces_spec_vector() -> None:
    """docs/spec.md §6.6: the reference draws the published set."""
    got = ref_draw.draw(SPEC_PLAN, SPEC_ROWS, bytes(range(16)))
    assert sorted(got) == sorted([
        ("srs", "91130100MA0C0011X1"), ("srs", "91130100MA0C0008X8"),
        ("srs", "91130100MA0C0003X3"), ("srs", "91130100MA0C0000X0"),
        ("pips", "91130100MA0C0007X7"), ("pips", "91130100MA0C0011X1"),
        ("pips", "91130100MA0C0002X2"), ("pips", "91130100MA0C0003X3"),
        ("pips", "91130100MA0C0005X5"),
    ])
    check_agreement(SPEC_ROWS, SPEC_PLAN, ss.Seed.from_hex("000102030405060708090a0b0c0d0e0f"))


@settings(max_examples=300, deadline=None)
@given(st.lists(weight_values(), min_size=1, max_size=12), st.integers(1, 12))
def test_quantize_agrees(w: list[float], n: int) -> None:
    """The 2**-64 grid, the deficit and its placement (ties by ID bytes) agree exactly."""
    n = min(n, sum(1 for x in w if x > 0))
    ids = [f"U{k % 3}{'x' * (k % 2)}".encode() + bytes([65 + k]) for k in range(len(w))]
    pi = ref_draw.capped_pi(w, n)
    lib = D.quantize(np.array(pi), n, np.array(ids, dtype="S"))
    ref = ref_draw.quantize(pi, n, ids)
    assert [int(x) for x in lib] == ref
    certain = sum(1 for p in pi if p >= 1.0)
    assert sum(ref) == (n - certain) << 64


def test_reference_quantize_total() -> None:
    """The reference's own quantisation hits (n - #certain)·2**64 exactly (spec §6.1)."""
    w = [8.0, 1.0, 2.0, 4.0, 8.0]
    pi = ref_draw.capped_pi(w, 2)
    q = ref_draw.quantize(pi, 2, [b"7", b"8", b"9", b"10", b"11"])
    assert sum(q) == 2 << 64
    assert math.fsum(pi) == pytest.approx(2.0, abs=1e-15)
