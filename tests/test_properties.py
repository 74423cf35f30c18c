"""Properties every draw must have, on registries and plans from ``shuangsuiji.strategies``.

Order independence (row shuffles), determinism (in-process and across processes with different
``PYTHONHASHSEED``), locality (targets added to other strata change nothing in a stratum whose
size does not depend on them), consistency of PRNs, and the probability bookkeeping: Σπ per cell
is its expected size, 0 <= π <= 1, drawn counts are possible sizes, the minimum and ceil rules,
per-stratum sizes, census, cool-off and ``where`` exclusions. Eligibility is recomputed with the
independent reference (tests/ref_draw.py), not taken from the library.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path
from typing import Any

import ref_draw
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import prn_int

import shuangsuiji as ss
from shuangsuiji import strategies as sst

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SRC = Path(__file__).resolve().parents[1] / "src"

Rows = list[dict[str, Any]]


@st.composite
def instances(draw: st.DrawFn, max_size: int = 25, **plan_options: Any) -> tuple[Rows, dict[str, Any], ss.Seed]:
    rows = draw(sst.records(max_size=max_size))
    plan = draw(sst.plan_dicts(ss.Targets.from_records(rows), **plan_options))
    return rows, plan, draw(sst.seeds())


def _draw(rows: Rows, plan: dict[str, Any], seed: ss.Seed) -> ss.Selection:
    return ss.draw(plan, ss.Targets.from_records(rows), seed)


def _task_id(record: dict[str, Any]) -> tuple[str, str]:
    return (record["task"], record["id"])


def _by_cell(sel: ss.Selection) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in sel.to_records():
        out[(r["task"], r["stratum"])].add(r["id"])
    return out


# -- order independence and determinism ---------------------------------------------------------
@SETTINGS
@given(instances(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(instance: Any, rnd: Any) -> None:
    rows, plan, seed = instance
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    a, b = _draw(rows, plan, seed), _draw(shuffled, plan, seed)
    # records come in a canonical order (cells in value order, PRN order within a cell)
    assert a.to_records() == b.to_records()
    assert a.summary() == b.summary()
    pa = ss.inclusion_probabilities(plan, ss.Targets.from_records(rows)).to_records()
    pb = ss.inclusion_probabilities(plan, ss.Targets.from_records(shuffled)).to_records()
    assert sorted(pa, key=_task_id) == sorted(pb, key=_task_id)


@SETTINGS
@given(instances())
def test_same_call_twice_gives_the_same_draw(instance: Any) -> None:
    rows, plan, seed = instance
    targets = ss.Targets.from_records(rows)
    a, b = ss.draw(plan, targets, seed), ss.draw(plan, targets, seed)
    assert a.to_records() == b.to_records()
    assert a.summary() == b.summary()
    assert a.prn_int.tolist() == b.prn_int.tolist()
    # a Plan and its dict draw the same
    assert ss.draw(ss.Plan.from_dict(plan), targets, seed).to_records() == a.to_records()


_SUBPROCESS_SCRIPT = """
import json, sys
import shuangsuiji as ss
out = []
for case in json.load(sys.stdin):
    targets = ss.Targets.from_records(case["rows"])
    sel = ss.draw(case["plan"], targets, ss.Seed.from_hex(case["seed"]))
    out.append({"records": sel.to_records(), "summary": sel.summary()})
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def _in_fresh_process(cases: list[dict[str, Any]], hashseed: str) -> Any:
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(
        [sys.executable, "-c", _SUBPROCESS_SCRIPT],
        input=json.dumps(cases, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def test_same_draw_in_fresh_processes_with_other_hash_seeds() -> None:
    """Nothing depends on Python's str hashing, set/dict iteration or process state."""
    cases: list[dict[str, Any]] = []

    @settings(max_examples=25, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(instances())
    def collect(instance: Any) -> None:
        rows, plan, seed = instance
        cases.append({"rows": rows, "plan": plan, "seed": seed.hex})

    collect()
    here = [
        {"records": s.to_records(), "summary": s.summary()}
        for s in (_draw(c["rows"], c["plan"], ss.Seed.from_hex(c["seed"])) for c in cases)
    ]
    here = json.loads(json.dumps(here, ensure_ascii=False))
    assert _in_fresh_process(cases, "0") == here
    assert _in_fresh_process(cases, "12345") == here


# -- locality -----------------------------------------------------------------------------------
def _ids_by_task_cell(plan: dict[str, Any], rows: Rows) -> dict[str, dict[str, str]]:
    """task -> id -> stratum label, from the library's π records."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for r in ss.inclusion_probabilities(plan, ss.Targets.from_records(rows)).to_records():
        out[r["task"]][r["id"]] = r["stratum"]
    return out


@SETTINGS
@given(
    instances(size_modes=["rate", "per_stratum", "census"]),
    st.integers(0, 10**6),
    st.integers(1, 3),
)
def test_targets_added_to_another_stratum_change_nothing_here(
    instance: Any, pick: int, copies: int
) -> None:
    """Sizes from rates, per-stratum counts and census are per cell, so are the draws."""
    rows, plan, seed = instance
    donor = rows[pick % len(rows)]
    new = [dict(donor, id=f"新增-{k}") for k in range(copies)]  # same values: same cells
    before = _ids_by_task_cell(plan, rows)
    a, b = _by_cell(_draw(rows, plan, seed)), _by_cell(_draw(rows + new, plan, seed))
    for task in plan["tasks"]:
        name = task["name"]
        donor_cell = before[name].get(donor["id"])  # None: the donor is not eligible
        for cell in {c for t, c in a.keys() | b.keys() if t == name}:
            if cell != donor_cell:
                assert a.get((name, cell), set()) == b.get((name, cell), set()), (name, cell)


@SETTINGS
@given(instances(size_modes=["rate", "census"]), st.integers(0, 10**6))
def test_a_new_stratum_value_changes_no_existing_stratum(instance: Any, pick: int) -> None:
    """A new region shifts the cells' numbering but not their labels, which the draw uses."""
    rows, plan, seed = instance
    new = [dict(rows[pick % len(rows)], id=f"NEW{k}", region="新区") for k in range(3)]
    for task in plan["tasks"]:  # a class map on region needs an entry for the new value
        risk = task.get("risk", {})
        if risk.get("column") == "region":
            for key in ("rates", "weights"):
                if key in risk:
                    risk[key]["新区"] = 0.05
    by_region = {t["name"] for t in plan["tasks"] if "region" in t.get("strata", [])}
    a, b = _by_cell(_draw(rows, plan, seed)), _by_cell(_draw(rows + new, plan, seed))
    for (task, cell), ids in a.items():
        if task in by_region:  # the new rows form new cells of their own
            assert b.get((task, cell), set()) == ids, (task, cell)
    assert not any("region=新区" in cell for (task, cell) in a)


@SETTINGS
@given(sst.records(max_size=20), st.text(min_size=0, max_size=5), sst.seeds())
def test_adding_a_target_keeps_every_other_prn(rows: Rows, namespace: str, seed: ss.Seed) -> None:
    plan = {"name": "all", "tasks": [{"name": "census", "size": {"census": True},
                                      **({"namespace": namespace} if namespace else {})}]}
    ns = namespace or "census"
    a = _draw(rows, plan, seed)
    b = _draw([*rows, dict(rows[0], id="ZZZ-新")], plan, seed)
    prn_a = dict(zip(a.ids.tolist(), a.prn_int.tolist()))
    prn_b = dict(zip(b.ids.tolist(), b.prn_int.tolist()))
    assert set(prn_b) == set(prn_a) | {"ZZZ-新"}
    for target_id, h in prn_a.items():
        assert prn_b[target_id] == h
        assert h == prn_int(seed.value, ns, target_id)  # and it is the spec's PRN


# -- probabilities and sizes --------------------------------------------------------------------
def _caps(task: dict[str, Any], rows: Rows) -> dict[str, int]:
    """Cell label -> how many can be drawn (weight > 0 under a weight design), per the reference."""
    out = {}
    for c in ref_draw.design_task(task, rows):
        pips = bool(c.weights)  # the reference fills weights under a weight design only
        out[c.label] = sum(1 for w in c.weights if w > 0) if pips else len(c.members)
    return out


def _rate_of(task: dict[str, Any], summary: dict[str, Any]) -> float | None:
    """The cell's rate when its size comes from a rate (size.rate or a class rate), else None."""
    risk = task.get("risk", {})
    if "rates" in risk:
        cls = summary["stratum"].rsplit("|", 1)[-1].split("=", 1)[1]
        return float(risk["rates"][cls])
    if "rate" in task.get("size", {}):
        return float(task["size"]["rate"])
    return None


def _requested(task: dict[str, Any], label: str) -> int:
    per = task["size"]["per_stratum"]
    return int(per[label] if label in per else per[label.split("=", 1)[1]])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_probabilities_sizes_and_exclusions(instance: Any) -> None:
    rows, plan, seed = instance
    targets = ss.Targets.from_records(rows)
    ip = ss.inclusion_probabilities(plan, targets)
    sel = ss.draw(plan, targets, seed)
    tasks = {t["name"]: t for t in plan["tasks"]}

    pis: dict[tuple[str, str], list[float]] = defaultdict(list)
    pi_of: dict[tuple[str, str], float] = {}
    for r in ip.to_records():
        p = r["inclusion_probability"]
        assert 0.0 <= p <= 1.0
        pis[(r["task"], r["stratum"])].append(p)
        pi_of[(r["task"], r["id"])] = p
    drawn = _by_cell(sel)

    # only eligible targets (where + cool-off, recomputed independently) are listed or drawn
    for name, task in tasks.items():
        eligible = {str(rows[i]["id"]) for i in ref_draw.eligible(task, rows)}
        assert {i for (t, i) in pi_of if t == name} == eligible
        assert {i for (t, i) in sel.id_set() if t == name} <= eligible
        if task.get("size", {}).get("census"):
            assert set(sel.ids_for(name)) == eligible

    # every drawn unit had π > 0, carries its published π, and certain units are drawn
    for r in sel.to_records():
        assert r["inclusion_probability"] == pi_of[(r["task"], r["id"])] > 0
    for (t, i), p in pi_of.items():
        if p == 1.0:
            assert (t, i) in sel.id_set()

    assert ip.summary() == [dict(s, drawn=None, drawn_rate=None) for s in sel.summary()]
    for s in sel.summary():
        task = tasks[s["task"]]
        cell = (s["task"], s["stratum"])
        N, sizes, expected = s["population"], s["size"], s["expected"]
        cell_pi = pis[cell]
        assert len(cell_pi) == N
        assert s["drawn"] == len(drawn.get(cell, ())) and s["drawn"] in sizes
        assert min(sizes) >= 0 and max(sizes) <= N
        assert math.fsum(cell_pi) == _approx(expected, 1e-9 * max(1, N))
        if len(sizes) == 1:
            assert math.fsum(cell_pi) == _approx(sizes[0], 1e-9 * max(1, sizes[0]))
        else:
            assert sizes[1] == sizes[0] + 1 and sizes[0] < expected < sizes[1]
        if s["design"] == "srs" and len(sizes) == 1:
            assert all(p == float(Fraction(sizes[0], N)) for p in cell_pi)  # exact
        if s["design"] == "none":
            assert cell_pi == [0.0] * N and s["drawn"] == 0
        if s["design"] == "census":
            assert cell_pi == [1.0] * N and s["drawn"] == N

        rate = _rate_of(task, s)
        size = task.get("size", {})
        cap = _caps(task, rows)[s["stratum"]]
        if rate == 0.0:
            assert sizes == [0] and set(cell_pi) <= {0.0}
        elif rate is not None:
            minimum = size.get("minimum", 0)
            assert min(sizes) >= min(minimum, cap)  # small-population rule
            if size.get("rounding", "ceil") == "ceil":
                assert min(sizes) >= min(cap, rate * N) - 1e-9  # "at least the rate"
        if "per_stratum" in size:
            assert sizes == [_requested(task, s["stratum"])]
        if "total" in size:
            assert min(sizes) >= min(size.get("minimum", 0), cap)
    for name, task in tasks.items():
        if "total" in task.get("size", {}):
            got = sum(s["drawn"] for s in sel.summary() if s["task"] == name)
            assert got == task["size"]["total"]


class _approx:
    """Equality within an absolute tolerance (pytest.approx without its relative default)."""

    def __init__(self, value: float, tol: float) -> None:
        self.value, self.tol = value, tol

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (int, float)) and abs(other - self.value) <= self.tol

    def __repr__(self) -> str:
        return f"{self.value} ± {self.tol}"


@SETTINGS
@given(instances(risk_modes=["rates"], kinds=["key"]))
def test_rate_zero_classes_are_never_drawn(instance: Any) -> None:
    rows, plan, seed = instance
    targets = ss.Targets.from_records(rows)
    sel = ss.draw(plan, targets, seed)
    for task in plan["tasks"]:
        risk = task.get("risk", {})
        if "rates" not in risk:
            continue
        zero = {c for c, r in risk["rates"].items() if r == 0}
        for r in ss.inclusion_probabilities(plan, targets).to_records():
            cls = r["stratum"].rsplit("|", 1)[-1].split("=", 1)[1]
            if r["task"] == task["name"] and cls in zero:
                assert r["inclusion_probability"] == 0
        for r in sel.to_records():
            if r["task"] == task["name"]:
                assert r["stratum"].rsplit("|", 1)[-1].split("=", 1)[1] not in zero
                assert r["inclusion_probability"] > 0  # π = 0 ⇔ never drawn


@SETTINGS
@given(sst.records(max_size=25), st.lists(sst.seeds(), min_size=3, max_size=3))
def test_coordinated_tasks_share_prns(rows: Rows, more_seeds: list[ss.Seed]) -> None:
    """Two SRS tasks in one namespace with nested rates draw nested samples (joint visits)."""
    plan = {"name": "coord", "tasks": [
        {"name": "small", "namespace": "ns", "size": {"rate": 0.2, "rounding": "round"}},
        {"name": "large", "namespace": "ns", "size": {"rate": 0.6, "rounding": "round"}},
    ]}
    for seed in more_seeds:
        sel = _draw(rows, plan, seed)
        assert set(sel.ids_for("small")) <= set(sel.ids_for("large"))


def test_general_task_rates_stay_within_the_cap() -> None:
    """The strategies keep general tasks valid: their expected rate never passes the cap."""
    seen: Counter[str] = Counter()

    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(instances(kinds=["general"]))
    def check(instance: Any) -> None:
        rows, plan, _ = instance
        cap = plan.get("general_max_rate", 0.1)
        for s in ss.inclusion_probabilities(plan, ss.Targets.from_records(rows)).summary():
            seen[s["design"]] += 1
        for task in plan["tasks"]:
            elig = len(ref_draw.eligible(task, rows))
            cells = ref_draw.design_task(task, rows)
            expected = sum((c.size.expected for c in cells), Fraction(0))
            assert expected <= Fraction(repr(cap)) * elig  # rates as stated (spec §5.1)

    check()
    assert seen["srs"] + seen["pips"] > 0


def test_cell_labels_are_unique() -> None:
    rows = [
        {"id": "a", "region": "X|field=Y", "field": "Z"},
        {"id": "b", "region": "X", "field": "Y|field=Z"},
        {"id": "c", "region": None, "field": "Z"},
        {"id": "d", "region": "(missing)", "field": "Z"},
    ]
    plan = {"name": "p", "tasks": [{"name": "t", "strata": ["region", "field"],
                                    "size": {"rate": 0.5, "rounding": "random"}}]}
    labels = [s["stratum"] for s in
              ss.inclusion_probabilities(plan, ss.Targets.from_records(rows)).summary()]
    assert len(set(labels)) == len(labels) == 4, labels
