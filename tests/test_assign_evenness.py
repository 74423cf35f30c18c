"""The balanced regime spreads load as evenly as the constraints allow (spec §8.8, step 4).

* brute force over every valid assignment of the seat model: in the balanced regime the sorted
  load vector of ``assign`` is the one of least Σ load² (which is also the lexicographically most
  even one: Harvey, Ladner, Lovász & Tamir 2006; Frank & Murota 2022);
* the reviewer's repro of issue 3: 6 targets x 2 officers, one officer with capacity 1, five
  unlimited: the loads are always (3, 2, 2, 2, 2, 1), never (3, 3, 3, 2, 1, 0);
* determinism and row-order independence of the balanced result.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import ref_assign as RA
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_assign_reference import _as_ref_seats, _Orders, _ref_inputs, problem_of, seat_problems

import shuangsuiji as ss
from shuangsuiji import strategies as sst
from shuangsuiji.teams import solver as staffing


def _most_even(seats: list[dict[str, Any]], cap: dict[str, float]) -> list[int] | None:
    """The sorted load vector of least Σ load² over every valid assignment (None: none)."""
    best: tuple[int, list[int]] | None = None
    for load in RA.valid_loads(seats, cap):
        vec = sorted(load.values(), reverse=True)
        score = sum(x * x for x in vec)
        if best is None or score < best[0]:
            best = (score, vec)
    return None if best is None else best[1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sst.assign_scenarios(max_targets=4, max_people=7, max_tasks=2))
def test_balanced_loads_are_the_most_even_possible(sc: Any) -> None:
    try:
        got = sc.run()
    except ss.InfeasibleError:
        event("infeasible")
        return
    inputs = _ref_inputs(sc)
    for pool in got.pools:
        if pool.regime != "balanced":
            continue
        seats, cap = RA.pool_seats(**inputs, role=pool.role)
        if len(seats) > 8:
            event("too large for brute force")
            continue
        event("balanced, checked")
        want = _most_even(seats, cap)
        loads = {r["inspector"]: r["visits"] for r in got.workload() if r["role"] == pool.role}
        vec = sorted((loads.get(p, 0) for p in cap), reverse=True)
        assert vec == want


def _repro(seed: ss.Seed, reverse: bool = False) -> ss.Assignment:
    rows = [{"id": f"X{i}", "field": "食品", "region": "A"} for i in range(6)]
    people = [
        {
            "id": f"O{k}",
            "name": f"O{k}",
            "unit": "U",
            "region": "B",
            "qualifications": ["食品"],
            "role": "officer",
            "certificate": f"C{k}",
            "active": True,
            "capacity": 1 if k == 1 else None,
        }
        for k in range(1, 7)
    ]
    if reverse:
        rows, people = rows[::-1], people[::-1]
    plan = {
        "name": "p",
        "tasks": [
            {
                "name": "t",
                "size": {"census": True},
                "team": {"officers": 2, "match": {"column": "field"}},
            }
        ],
    }
    targets = ss.Targets.from_records(rows)
    return ss.assign(plan, ss.draw(plan, targets, seed), ss.Inspectors.from_records(people), seed)


def _seed(i: int) -> ss.Seed:
    return ss.Seed.from_hex(hashlib.sha256(str(i).encode()).hexdigest())


def test_reviewer_repro_is_always_most_even() -> None:
    # Before step 4, about 30 of these 300 seeds gave (3, 3, 3, 2, 1, 0) in the balanced regime.
    balanced = 0
    for i in range(300):
        a = _repro(_seed(i))
        if a.pools[0].regime != "balanced":
            continue
        balanced += 1
        w = sorted((r["visits"] for r in a.workload() if r["role"] == "officer"), reverse=True)
        assert tuple(w) == (3, 2, 2, 2, 2, 1), i
    assert balanced > 150  # the regime under test is the common one here


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
def test_balanced_result_is_deterministic_and_row_order_free(i: int) -> None:
    one = _repro(_seed(i))
    assert one.to_records() == _repro(_seed(i)).to_records()
    assert one.to_records() == _repro(_seed(i), reverse=True).to_records()


@st.composite
def crowded_problems(draw: st.DrawFn) -> tuple[staffing.Problem, Any, Any]:
    """Small seat problems where capacities tend to bind: few visits of one or two seats each
    (at most 8 seats, for brute force), wide lists, mostly unlimited people and a few capped."""
    n_people = draw(st.integers(2, 6))
    n_visits = draw(st.integers(2, 4))
    everyone = list(range(n_people))
    lists = [everyone] + [
        sorted(draw(st.sets(st.sampled_from(everyone), min_size=2)))
        for _ in range(draw(st.integers(0, 1)))
    ]
    sv, sd, sl = [], [], []
    for v in range(n_visits):
        sv.append(v)
        sd.append(min(draw(st.integers(1, 2)), len(everyone)))
        sl.append(draw(st.integers(0, len(lists) - 1)))
    excl = [sorted(draw(st.sets(st.sampled_from(everyone), max_size=1))) for _ in sv]
    scan = draw(st.permutations(everyone))
    orders = [draw(st.permutations(list(range(len(lists[k]))))) for k in sl]
    caps = np.array(
        [draw(st.sampled_from([0, 1, 1, 2, staffing.INF, staffing.INF])) for _ in everyone],
        np.int64,
    )
    problem = problem_of(n_people, n_visits, sv, sd, sl, lists, excl, scan)
    return problem, _Orders(orders), caps


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(seat_problems(), crowded_problems()))
def test_solver_evens_out_like_the_reference_and_brute_force(
    problem: tuple[staffing.Problem, Any, Any],
) -> None:
    """On random seat problems: in the balanced regime, the solver's seats are the reference's
    step 4 applied to the reference's fill at λ*, and its sorted loads those of least Σ load²."""
    p, orders, caps = problem
    out = staffing.solve(p, orders, caps)
    if out.regime != "balanced":
        event(out.regime)
        return
    event("balanced")
    seats = _as_ref_seats(p, orders)
    scan = {str(o): int(p.scan_rank[o]) for o in range(p.n_people)}
    cap = {str(o): (RA.INF if c >= staffing.INF else int(c)) for o, c in enumerate(caps.tolist())}
    barred = {str(v): {str(o) for o in p.excluded(v).tolist()} for v in range(p.n_visits)}
    assert out.lam is not None
    low = {o: min(c, out.lam) for o, c in cap.items()}
    ref = RA.even(seats, RA.fill(seats, low, scan, barred), cap, scan, barred)
    got: dict[int, list[int]] = {}
    for u, s in enumerate(out.staffing.seat_slot.tolist()):
        got.setdefault(s, []).append(int(out.staffing.seat_person[u]))
    exp: dict[int, list[int]] = {}
    for u, seat in enumerate(seats):
        exp.setdefault(int(seat["slot"]), []).append(int(ref[u]))  # type: ignore[arg-type]
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in exp.items()}
    assert (
        out.staffing.loads.tolist()
        == np.bincount(out.staffing.seat_person, minlength=p.n_people).tolist()
    )
    vec = sorted(out.staffing.loads.tolist(), reverse=True)
    assert vec == _most_even(seats, cap)
    assert vec[0] == out.lam
