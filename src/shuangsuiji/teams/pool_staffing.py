"""One pool's staffing (spec §8, step 4): its seats as a flow problem, solved.

Each visit's seats become *slots* in seat order: the visits in their random order (``position``,
from :mod:`.seat_rankings`), then each visit's slots: for officers, the filtered seats in stream
order (1, 2, ...) then the open seats (stream 0) as one slot; for experts, one slot per expert
seat (streams 0, 1, ...). Each slot ranks its candidates by its own random stream, and
:func:`.solver.solve` fills the seats (§8.6–8.8).
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from ..randomness.prn import prn_key
from ..randomness.seed import Seed
from .exclusions import Exclusions
from .flow_problem import Outcome, Problem
from .pools import Pool
from .seat_rankings import NS_EXPERTS, NS_INSPECTORS, NS_OFFICERS, Streams, order_key, seat_labels
from .solver import solve
from .team_seats import VisitRule
from .visits import IntArray, Visits

__all__ = ["Staffed", "staff"]


@attrs.frozen
class Staffed:
    """A pool's outcome: per visit, its members (pool indexes) in team order."""

    outcome: Outcome
    member_visit: IntArray  # per seat: visit index (empty unless staffed)
    member_rank: npt.NDArray[np.int64]  # order within the team: filtered seats by stream, open
    member_person: IntArray  # pool index
    problem: Problem
    slot_stream: npt.NDArray[np.int64]
    order: IntArray  # visit index at each position


def staff(
    pool: Pool,
    seed: Seed,
    visits: Visits,
    group: IntArray,
    rules: list[VisitRule],
    excl: Exclusions,
    position: IntArray,
) -> Staffed | None:
    """Build one pool's staffing problem (slots in seat order) and solve it; None: no seats."""
    n = visits.ids.shape[0]
    order = np.argsort(position)  # visit at each position
    specs = [_slot_specs(pool, r) for r in rules]
    count = np.array([len(s) for s in specs], np.int64)
    if int(count[group].sum()) == 0:
        return None
    slot_pos, slot_list, slot_demand, slot_stream = _slots(specs, count, group[order], n)
    sizes = np.array([lst.size for lst in pool.lists], np.int64)
    problem = Problem(
        len(pool),
        n,
        slot_pos,
        slot_demand,
        slot_list,
        np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
        np.concatenate(pool.lists).astype(np.intp) if pool.lists else np.zeros(0, np.intp),
        *_exclusions_by_position(pool, excl, position, n),
        order_key(seed.value, NS_INSPECTORS, pool.ins.id_bytes[pool.rows]),
    )
    labels = seat_labels(visits.ids[order][slot_pos], slot_stream)
    key = prn_key(seed.value, NS_EXPERTS if pool.expert else NS_OFFICERS)
    prefs = Streams(key, labels, sizes[slot_list])
    cap = pool.ins.capacity[pool.rows].astype(np.int64)
    outcome = solve(problem, prefs, cap)
    st = outcome.staffing
    seat_visit = order[slot_pos[st.seat_slot]].astype(np.intp)
    seat_stream = slot_stream[st.seat_slot]
    # filtered officer seats by stream number, then the open seats (stream 0) and every
    # expert, whose people go by ID
    by_id = pool.expert | (seat_stream == 0)
    rank = np.where(by_id, np.iinfo(np.int64).max, seat_stream)
    return Staffed(outcome, seat_visit, rank, st.seat_person, problem, slot_stream, order)


def _slot_specs(pool: Pool, r: VisitRule) -> list[tuple[int, int, int]]:
    """The slots of a visit with rule ``r``, in order: (candidate list, seats, stream)."""
    if pool.expert:
        return [
            (pool.list_id(q, frozenset(), None), c, j) for j, (q, c) in enumerate(r.expert_seats)
        ]
    spec = [
        (pool.list_id(r.quals_all | s.quals, r.regions_out, s.unit), 1, j)
        for j, s in enumerate(r.seats, 1)
    ]
    if r.open_seats:
        spec.append((pool.list_id(r.quals_all, r.regions_out, None), r.open_seats, 0))
    return spec


def _slots(
    specs: list[list[tuple[int, int, int]]], count: npt.NDArray[np.int64], groups: IntArray, n: int
) -> tuple[IntArray, IntArray, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every slot in seat order: its visit position, candidate list, seats and stream.

    ``specs[g]`` are the slots of rule group ``g`` (``count[g]`` of them); ``groups`` is the
    group of the visit at each position.
    """
    flat = np.array([x for s in specs for x in s], np.int64).reshape(-1, 3)
    start = np.concatenate([[0], np.cumsum(count)])
    per_pos = count[groups]
    slot_pos = np.repeat(np.arange(n, dtype=np.intp), per_pos)
    within = np.arange(slot_pos.size) - np.repeat(np.cumsum(per_pos) - per_pos, per_pos)
    spec_row = start[groups][slot_pos] + within
    return (
        slot_pos,
        flat[spec_row, 0].astype(np.intp),
        flat[spec_row, 1],
        flat[spec_row, 2],
    )


def _exclusions_by_position(
    pool: Pool, excl: Exclusions, position: IntArray, n: int
) -> tuple[npt.NDArray[np.int64], IntArray]:
    """The pool's exclusions per visit position, in CSR form (indptr, pool indexes, sorted)."""
    pp = pool.pos[excl.row]
    mine = pp >= 0
    ev = position[excl.visit[mine]]
    ep = pp[mine]
    o = np.lexsort((ep, ev))
    ev, ep = ev[o], ep[o]
    excl_indptr = np.searchsorted(ev, np.arange(n + 1)).astype(np.int64)
    return excl_indptr, ep.astype(np.intp)
