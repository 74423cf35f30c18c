"""Step 4 of ``solve``, balanced regime only: evening out the loads (spec §8.8 step 4).

Seats move along alternating paths from people at load L to people at load <= L - 2 until no
such path exists, which leaves the least Σ load²: a b-matching with no such path minimises
Σ load² and its sorted load vector is the least majorised one (Harvey, Ladner, Lovász & Tamir
2006, "Semi-matchings for bipartite graphs and load balancing"; Frank & Murota 2022,
decreasingly minimal bases).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .augmenting_paths import augment, direct
from .flow_lookups import FlowLookups, SeatTable
from .flow_problem import I64, IntArray, Staffing

__all__ = ["even"]


def even(lk: FlowLookups, st: Staffing, caps: I64) -> Staffing:
    """Move seats along alternating paths until no load can drop to even out (spec §8.8).

    For L = max load down to 2, each person a at load L, in scan order, offers up their first
    seat in seat order; a §8.7 search from it under ``min(caps, L - 1)`` ends at someone at
    load <= L - 2 with room (then a's load drops by one, theirs grows by one) or fails (a
    keeps the seat). A failed search reaches a closed set: nobody in it can have a path at this
    level later either, so they are skipped (the result is as if each had searched and failed).
    """
    p = lk.p
    seat_arr = st.seat_person.copy()
    loads = st.loads.copy()
    table = SeatTable(seat_arr, p.n_people)
    by_scan = np.argsort(p.scan_rank, kind="stable").astype(np.intp)
    searches = st.searches
    top = int(loads.max(initial=0))
    for level in range(top, 1, -1):
        cap_l = np.minimum(caps, level - 1)
        if not bool((loads < cap_l).any()):
            continue
        dead = np.zeros(p.n_people, bool)
        for a in by_scan[loads[by_scan] == level].tolist():
            if dead[a] or loads[a] != level or not bool((loads < cap_l).any()):
                continue
            searches += 1
            _offer(lk, a, cap_l, seat_arr, table, loads, dead)
    return Staffing(
        st.seat_slot,
        seat_arr,
        loads,
        st.blocked_seats,
        st.blocked_people,
        st.proposals,
        searches,
    )


def _offer(
    lk: FlowLookups,
    a: int,
    cap_l: I64,
    seat_arr: IntArray,
    table: SeatTable,
    loads: I64,
    dead: npt.NDArray[np.bool_],
) -> None:
    """Person ``a`` offers up a seat under ``cap_l``: first a direct taker for any of a's
    seats (a path of one step), else a search from a's first seat; a failed search marks
    everyone it reached ``dead`` and a keeps the seat."""
    mine = table.seats_of(np.array([a], np.intp)).tolist()
    loads[a] -= 1
    for s in mine:
        seat_arr[s] = -1
        b = direct(lk, s, cap_l, seat_arr, loads)
        if b >= 0:
            table.remove(a, s)
            seat_arr[s] = b
            table.add(b, s)
            loads[b] += 1
            return
        seat_arr[s] = a
    s = mine[0]
    seat_arr[s] = -1
    table.remove(a, s)
    found, _, seen = augment(lk, s, cap_l, seat_arr, table, loads)
    if not found:
        seat_arr[s] = a
        table.add(a, s)
        loads[a] += 1
        dead[seen] = True
