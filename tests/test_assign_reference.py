"""``assign`` against the stdlib reference of spec §8 and against brute force.

* the fast code and ``ref_assign.assign_ref`` (written from the spec) give the same records, or
  both find no valid assignment;
* brute force over every assignment of the seat model finds one if and only if ``assign`` does,
  and in the balanced regime ``assign``'s maximum load is the least maximum load possible.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

import numpy as np
import pytest
import ref_assign as RA
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji import strategies as sst
from shuangsuiji.teams import deferred_acceptance
from shuangsuiji.teams import solver as staffing

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ref_inputs(sc: Any) -> dict[str, Any]:
    return {
        "plan": sc.plan.to_dict(),
        "targets": {r["id"]: r for r in sc.targets.to_records()},
        "drawn": [(r["task"], r["id"]) for r in sc.selection.to_records()],
        "people": sc.inspectors.to_records(),
        "seed": sc.seed.value,
        "history": [(h["inspector"], h["target"], h["date"]) for h in sc.history],
        "recusals": list(sc.recusals),
    }


def _run(sc: Any) -> ss.Assignment | None:
    try:
        out: ss.Assignment = sc.run()
        return out
    except ss.InfeasibleError:
        return None


@SETTINGS
@given(sst.assign_scenarios())
def test_fast_code_matches_the_reference(sc: Any) -> None:
    got = _run(sc)
    try:
        ref = RA.assign_ref(**_ref_inputs(sc))
    except RA.Unstaffable as exc:
        event(f"infeasible ({exc.kind})")
        assert got is None
        return
    assert got is not None
    event("feasible: " + "/".join(p.regime for p in got.pools))
    assert got.to_records() == ref["records"]
    regimes = {p.role: (p.regime, p.cap) for p in got.pools}
    assert regimes == ref["regimes"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sst.assign_scenarios(max_targets=4, max_people=7, max_tasks=2))
def test_brute_force_finds_an_assignment_iff_assign_does(sc: Any) -> None:
    got = _run(sc)
    inputs = _ref_inputs(sc)
    feasible = True
    for role in ("officer", "expert"):
        seats, cap = RA.pool_seats(**inputs, role=role)
        if len(seats) > 8:
            event("too large for brute force")
            return  # brute force would be slow; the reference test covers larger cases
        ok, least_max = RA.brute_force(seats, cap)
        feasible &= ok
        if got is not None and ok:
            pool = next(p for p in got.pools if p.role == role)
            if pool.regime == "balanced":
                assert pool.max_load == least_max == pool.cap
    event("feasible" if feasible else "infeasible")
    assert (got is not None) == feasible


# -- the solver alone, on random seat problems ---------------------------------------------------
class _Orders:
    """Preferences from explicit orders (positions into each slot's list)."""

    def __init__(self, orders: list[list[int]]) -> None:
        self.orders = orders

    def at(self, slots: Any, steps: Any) -> Any:
        return np.array(
            [
                self.orders[a][b] if b < len(self.orders[a]) else -1
                for a, b in zip(slots.tolist(), steps.tolist())
            ],
            np.int64,
        )

    def prefetch(self, slots: Any, steps: int) -> None:
        pass


def problem_of(
    n_people: int,
    n_visits: int,
    slot_visit: list[int],
    slot_demand: list[int],
    slot_list: list[int],
    lists: list[list[int]],
    excl: list[list[int]],
    scan: list[int],
) -> staffing.Problem:
    """A seat problem from plain lists: each slot's visit, demand and list, the lists' and the
    visits' excluded members (packed as CSR), and the scan order."""
    return staffing.Problem(
        n_people,
        n_visits,
        np.array(slot_visit, np.intp),
        np.array(slot_demand, np.int64),
        np.array(slot_list, np.intp),
        np.cumsum([0] + [len(x) for x in lists]).astype(np.int64),
        np.array(functools.reduce(operator.iadd, lists, []), np.intp),
        np.cumsum([0] + [len(x) for x in excl]).astype(np.int64),
        np.array(functools.reduce(operator.iadd, excl, []), np.intp),
        np.array(scan, np.intp),
    )


@st.composite
def seat_problems(draw: st.DrawFn) -> tuple[staffing.Problem, _Orders, Any]:
    n_people = draw(st.integers(1, 6))
    n_visits = draw(st.integers(1, 3))
    lists = [
        sorted(draw(st.sets(st.integers(0, n_people - 1), min_size=1)))
        for _ in range(draw(st.integers(1, 3)))
    ]
    sv, sd, sl = [], [], []
    for v in range(n_visits):
        for _ in range(draw(st.integers(1, 2))):
            sv.append(v)
            sd.append(draw(st.integers(1, 2)))
            sl.append(draw(st.integers(0, len(lists) - 1)))
    excl = [
        sorted(draw(st.sets(st.integers(0, n_people - 1), max_size=1))) for _ in range(n_visits)
    ]
    scan = draw(st.permutations(list(range(n_people))))
    orders = [draw(st.permutations(list(range(len(lists[k]))))) for k in sl]
    caps = np.array(
        [draw(st.sampled_from([0, 1, 1, 2, 3, staffing.INF])) for _ in range(n_people)], np.int64
    )
    problem = problem_of(n_people, n_visits, sv, sd, sl, lists, excl, scan)
    return problem, _Orders(orders), caps


def _as_ref_seats(p: staffing.Problem, orders: _Orders) -> list[dict[str, Any]]:
    seats = []
    for s in range(p.n_slots):
        v = int(p.slot_visit[s])
        members = [str(o) for o in p.list_of(int(p.slot_list[s])).tolist()]
        barred = {str(o) for o in p.excluded(v).tolist()}
        order = [members[i] for i in orders.orders[s] if members[i] not in barred]
        for _ in range(int(p.slot_demand[s])):
            seats.append(
                {"visit": str(v), "stream": s, "slot": s, "cands": members, "order": order}
            )
    return seats


@pytest.mark.parametrize("rounds_below", [0, 3, 10**9])
@settings(max_examples=150, deadline=None)
@given(seat_problems())
def test_solver_matches_the_literal_procedure(
    rounds_below: int, problem: tuple[staffing.Problem, _Orders, Any]
) -> None:
    """Vectorised rounds, the sequential tail, or both: the same serial dictatorship, and the
    same augmentation as the reference's literal breadth-first search."""
    p, orders, caps = problem
    old = deferred_acceptance._SEQUENTIAL_BELOW
    deferred_acceptance._SEQUENTIAL_BELOW = rounds_below
    try:
        st_ = staffing.fill(p, orders, caps)
    finally:
        deferred_acceptance._SEQUENTIAL_BELOW = old
    seats = _as_ref_seats(p, orders)
    scan = {str(o): int(p.scan_rank[o]) for o in range(p.n_people)}
    cap = {str(o): (RA.INF if c >= staffing.INF else int(c)) for o, c in enumerate(caps.tolist())}
    barred = {str(v): {str(o) for o in p.excluded(v).tolist()} for v in range(p.n_visits)}
    ref = RA.fill(seats, cap, scan, barred)
    got: dict[int, list[int]] = {}
    for u, s in enumerate(st_.seat_slot.tolist()):
        got.setdefault(s, []).append(int(st_.seat_person[u]))
    exp: dict[int, list[int]] = {}
    u = 0
    for s in range(p.n_slots):
        for _ in range(int(p.slot_demand[s])):
            exp.setdefault(s, []).append(-1 if ref[u] is None else int(ref[u]))
            u += 1
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in exp.items()}
    ok, _least = RA.brute_force(seats, cap)
    assert st_.complete == ok
