"""The demo inspector pool and history (shuangsuiji.datasets.province_inspectors,
inspection_history): pinned contents, determinism, shape, and feasibility for the demo plan."""

from __future__ import annotations

import collections
import re
from collections import deque
from typing import Any

import pytest
from pinned_data import digest, digests_under_hash_seed, unstable_randomness

import shuangsuiji as ss
from shuangsuiji import datasets
from shuangsuiji.datasets import officers as pool_module

# SHA-256 of the canonical JSON of the pool's records and of the history. If these change, the
# demo data changed, and with it every published demo output: bump POOL_TAG instead.
RECORDS_SHA256 = "f80954bf033acc6d6973a6364f7c3def80ab04b30e665d181eb7761f5ecf2312"
HISTORY_SHA256 = "ad16a21968843efb257a29fe91d6f8407d977813e56a04c1931414b096088d26"


@pytest.fixture(scope="module")
def pool() -> list[dict[str, Any]]:
    return datasets.province_inspectors_records()


@pytest.fixture(scope="module")
def history() -> list[dict[str, Any]]:
    return datasets.inspection_history()


@pytest.fixture(scope="module")
def labs() -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in datasets.province_labs_records()}


def test_contents_are_pinned(pool: list[dict[str, Any]], history: list[dict[str, Any]]) -> None:
    assert digest(pool) == RECORDS_SHA256
    assert digest(history) == HISTORY_SHA256


def test_contents_do_not_depend_on_the_hash_seed() -> None:
    calls = "d.province_inspectors_records(), d.inspection_history()"
    assert digests_under_hash_seed(calls, "4321") == [RECORDS_SHA256, HISTORY_SHA256]


def test_generator_uses_no_unstable_randomness() -> None:
    assert unstable_randomness("datasets/officers.py") is None


def test_fresh_lists_each_call(pool: list[dict[str, Any]]) -> None:
    again = datasets.province_inspectors_records()
    assert again == pool and again is not pool
    again[0]["qualifications"].append("x")
    assert datasets.province_inspectors_records() == pool


def test_shape(pool: list[dict[str, Any]]) -> None:
    officers = [r for r in pool if r["role"] == "officer"]
    experts = [r for r in pool if r["role"] == "expert"]
    assert len(officers) == 300 and len(experts) == 40
    assert [r["id"] for r in officers] == [f"JF{i:04d}" for i in range(1, 301)]
    assert [r["id"] for r in experts] == [f"ZJ{i:03d}" for i in range(1, 41)]
    units = collections.Counter(r["unit"] for r in officers)
    assert len(units) == 12 and set(units) == {u.name for u in pool_module.INSPECTOR_UNITS}
    assert {r["region"] for r in officers} == {c.name for c in datasets.CITIES}
    fields = {f.name for f in datasets.FIELDS}
    for r in pool:
        assert list(r) == ["id", *ss.registry.inspectors.STANDARD_COLUMNS, "title"]
        assert 1 <= len(r["qualifications"]) <= 3 and set(r["qualifications"]) <= fields
        assert len(set(r["qualifications"])) == len(r["qualifications"])
    for r in officers:
        assert re.fullmatch(r"冀13\d{2}\d{2}\d{5}", r["certificate"]), r["certificate"]
        assert isinstance(r["capacity"], int) and r["capacity"] >= 1
    assert len({r["certificate"] for r in officers}) == 300
    assert len({r["name"] for r in pool}) == len(pool)  # no two people share a name
    for r in experts:
        assert r["certificate"] is None and r["conflicts"] == [] and r["active"]
        assert r["unit"] in {i.name for i in pool_module.EXPERT_INSTITUTIONS}
    # every field has experts, and its officers
    for f in fields:
        assert sum(f in r["qualifications"] for r in experts) >= 3, f
        assert sum(f in r["qualifications"] for r in officers) >= 10, f


def test_units_hold_their_fields(pool: list[dict[str, Any]]) -> None:
    by_unit = {u.name: {f for f, _ in u.fields} for u in pool_module.INSPECTOR_UNITS}
    for r in pool:
        if r["role"] == "officer":
            assert set(r["qualifications"]) <= by_unit[r["unit"]]
    eco = [r for r in pool if r["unit"] == "河北省生态环境厅"]
    assert all("生态环境监测" in r["qualifications"] for r in eco)


def test_some_inactive_some_tight_capacities(pool: list[dict[str, Any]]) -> None:
    officers = [r for r in pool if r["role"] == "officer"]
    inactive = sum(not r["active"] for r in officers)
    assert 3 <= inactive <= 20
    tight = sum(r["capacity"] <= 2 for r in officers)
    assert 5 <= tight <= 40  # where capacity binds


def test_conflicts_name_real_labs_of_the_officers_city_and_field(
    pool: list[dict[str, Any]], labs: dict[str, dict[str, Any]]
) -> None:
    declared = [(r, c) for r in pool for c in r["conflicts"]]
    assert 30 <= len(declared) <= 100
    for r, c in declared:
        assert c in labs
        assert labs[c]["city"] == r["region"] and labs[c]["field"] in r["qualifications"]


def test_history(
    pool: list[dict[str, Any]], history: list[dict[str, Any]], labs: dict[str, dict[str, Any]]
) -> None:
    people = {r["id"]: r for r in pool}
    assert 400 <= len(history) <= 1000
    visits = collections.defaultdict(list)
    for h in history:
        assert list(h) == ["inspector", "target", "date"]
        assert pool_module.HISTORY_FROM <= h["date"] < pool_module.HISTORY_BEFORE
        assert h["date"] == labs[h["target"]]["last_inspected"]
        p = people[h["inspector"]]
        assert labs[h["target"]]["field"] in p["qualifications"]
        assert h["target"] not in p["conflicts"]
        visits[h["target"]].append(p)
    assert 200 <= len(visits) <= 500  # a few hundred past inspections
    for team in visits.values():
        roles = collections.Counter(p["role"] for p in team)
        assert roles["officer"] == 2 and roles["expert"] <= 1
        assert len({p["id"] for p in team}) == len(team)
    keys = [(h["date"], h["target"], h["inspector"]) for h in history]
    assert keys == sorted(keys)


def test_registry(pool: list[dict[str, Any]]) -> None:
    ins = datasets.province_inspectors()
    assert isinstance(ins, ss.Inspectors) and len(ins) == 340
    assert ins.to_records() == pool
    assert ins.fields == tuple(sorted(f.name for f in datasets.FIELDS))
    assert int(ins.is_expert.sum()) == 40
    assert ins.column("title").kind == "str"


def _max_flow(cap: dict[tuple[str, str], int], s: str, t: str) -> int:
    """Edmonds–Karp: shortest augmenting paths (breadth-first) on a residual dict."""
    adj: dict[str, set[str]] = collections.defaultdict(set)
    for u, v in list(cap):
        adj[u].add(v)
        adj[v].add(u)
        cap.setdefault((v, u), 0)
    flow = 0
    while True:
        parent: dict[str, str | None] = {s: None}
        queue = deque([s])
        while queue and t not in parent:
            u = queue.popleft()
            for v in sorted(adj[u]):
                if v not in parent and cap[(u, v)] > 0:
                    parent[v] = u
                    queue.append(v)
        if t not in parent:
            return flow
        path = []
        v = t
        while parent[v] is not None:
            u = parent[v]
            assert u is not None
            path.append((u, v))
            v = u
        b = min(cap[e] for e in path)
        for u, v in path:
            cap[(u, v)] -= b
            cap[(v, u)] += b
        flow += b


def test_the_demo_plan_can_be_staffed(pool: list[dict[str, Any]]) -> None:
    """Two qualified, active officers for every lab the demo draw picks, within capacities.

    A necessary condition for any team rule that requires qualified officers (match "all"):
    the flow source -> field (2 per drawn lab) -> qualified officer (at most one per visit) ->
    sink (capacity) saturates. Each field also keeps slack of at least 50% over its demand,
    and the capacity-1-to-3 officers still bind somewhere (total demand > 2 per officer).
    """
    targets = datasets.province_labs()
    sel = ss.draw(datasets.demo_plan(), targets, datasets.demo_seed())
    field = {r["id"]: r["field"] for r in targets.to_records()}
    demand = collections.Counter(field[r["id"]] for r in sel.to_records())
    active = [r for r in pool if r["role"] == "officer" and r["active"]]
    cap: dict[tuple[str, str], int] = {}
    for f, n in demand.items():
        cap[("source", f)] = 2 * n
        holders = [r for r in active if f in r["qualifications"]]
        assert sum(r["capacity"] for r in holders) >= 1.5 * 2 * n, f
        for r in holders:
            cap[(f, r["id"])] = n
    for r in active:
        cap[(r["id"], "sink")] = r["capacity"]
    assert _max_flow(cap, "source", "sink") == 2 * sum(demand.values())
    assert 2 * sum(demand.values()) > 2 * len(active)
