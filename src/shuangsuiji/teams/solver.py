"""The staffing solver: fill every seat with a distinct candidate within capacities (spec §8.6–8.8).

Arrays in, arrays out; no registries, no strings. The problem is a bipartite b-matching between
*seats* and *people* (officers, or experts, one pool at a time), which is a network flow::

    source -> seat (1) -> (visit, person) (1) -> person (cap) -> sink

Seats come in *slots*: a slot is ``demand`` interchangeable seats of one visit that share one
candidate list and one random preference order. Slots are given in *seat order* (the visits in
their random order, then each visit's slots in order); a slot's index is its priority.

``fill(caps)`` is defined in three steps, which docs/spec.md §8.6–8.7 state in full:

1. **Serial dictatorship.** In seat order, each seat takes the first person of its preference
   order who has room under ``caps`` and is not yet on its visit. We compute it as the
   seat-proposing deferred acceptance (Gale & Shapley 1962) in which every person ranks seats by
   seat order: with one common priority order, deferred acceptance *is* serial dictatorship, and
   its outcome does not depend on the order in which proposals are processed (Roth &
   Sotomayor 1990, ch. 5; Hatfield & Milgrom 2005 for the laminar "once per visit, at most cap"
   choice rule). So rounds of proposals run vectorised with numpy, and the long tail one
   proposal at a time in Python, with the same result.
2. **Augmentation.** Each seat still empty, in seat order, gets a shortest augmenting path in the
   residual network, found by a breadth-first search whose every tie is fixed (spec §8.7). This
   is the augmenting-path method of Ford & Fulkerson (1956) with Edmonds–Karp's shortest paths
   (1972): when no path exists from a seat, no assignment fills all seats.
3. ``solve``: the capacity regime (spec §8.8). With unlimited capacities the seats of one visit
   never compete with another's, so ``fill(∞)`` is each visit's own best team. If it respects
   the capacities it is the answer; otherwise the answer is ``fill(min(c, λ*))``, where λ* is the
   least uniform cap on anyone's load that still admits a full assignment, evened out:
4. **Evening out** (balanced regime only, spec §8.8 step 4): seats move along alternating paths
   from people at load L to people at load <= L - 2 until no such path exists, which leaves the
   least Σ load² (Harvey, Ladner, Lovász & Tamir 2006, "Semi-matchings for bipartite graphs
   and load balancing"; Frank & Murota 2022, decreasingly minimal bases).

This module holds ``fill``, ``solve`` and the capacity regime; the steps live beside it:
:mod:`.flow_problem` (the types), :mod:`.flow_lookups` (the tables the steps share),
:mod:`.deferred_acceptance` (step 1), :mod:`.augmenting_paths` (step 2) and
:mod:`.evening_out` (step 4).
"""

from __future__ import annotations

import numpy as np

from .augmenting_paths import augment
from .deferred_acceptance import dictatorship
from .evening_out import even
from .flow_lookups import FlowLookups, SeatTable
from .flow_problem import I64, INF, Outcome, Preferences, Problem, Staffing

__all__ = ["INF", "Outcome", "Preferences", "Problem", "Staffing", "fill", "lower_bound", "solve"]


def fill(p: Problem, prefs: Preferences, caps: I64) -> Staffing:
    """Serial dictatorship then augmentation under ``caps`` (spec §8.6–8.7)."""
    return _fill(FlowLookups(p, prefs), np.asarray(caps, np.int64))


def _fill(lk: FlowLookups, caps: I64) -> Staffing:
    """``fill`` with the lookups of a ``solve``: dictatorship, then a search per empty seat."""
    p = lk.p
    held_slot, held_person, proposals = dictatorship(lk, caps)
    order = np.lexsort((held_person, held_slot))
    held_slot, held_person = held_slot[order], held_person[order]
    first = np.searchsorted(held_slot, held_slot)  # index of each slot's first entry
    seat = lk.seat_start[held_slot] + (np.arange(held_slot.size) - first)
    seat_arr = np.full(int(lk.seat_start[-1]), -1, np.intp)
    seat_arr[seat] = held_person
    loads = np.bincount(held_person, minlength=p.n_people).astype(np.int64)
    blocked_seats = np.zeros(0, np.intp)
    blocked_people = np.zeros(0, np.intp)
    searches = 0
    empty = np.flatnonzero(seat_arr < 0)
    if empty.size:
        table = SeatTable(seat_arr, p.n_people)
        for u0 in empty.tolist():
            searches += 1
            found, reached_seats, reached_people = augment(lk, u0, caps, seat_arr, table, loads)
            if not found and blocked_seats.size == 0:
                blocked_seats, blocked_people = reached_seats, reached_people
    return Staffing(
        lk.seat_slot,
        seat_arr,
        loads,
        blocked_seats,
        blocked_people,
        proposals,
        searches,
    )


def _water_level(caps: I64, demand: int) -> int:
    """The least λ with Σ min(caps, λ) >= demand (INF if even λ = ∞ falls short)."""
    if demand <= 0:
        return 0
    c = np.sort(caps)
    if int(np.minimum(c, demand).sum()) < demand:
        return INF
    lo, hi = 0, demand  # Σ min(c, hi) >= demand since each c >= 1 counts... checked below
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if int(np.minimum(c, mid).sum()) >= demand:
            hi = mid
        else:
            lo = mid
    return hi


def lower_bound(p: Problem, caps: I64) -> int:
    """A lower bound on λ*: each list's seats need Σ min(c, λ) over its people (Hall 1935)."""
    lb = 0
    demand = np.bincount(p.slot_list, weights=p.slot_demand, minlength=p.list_indptr.size - 1)
    for k in np.flatnonzero(demand).tolist():
        members = p.list_of(k)
        lb = max(lb, _water_level(caps[members], int(demand[k])))
    every = np.unique(p.list_members)
    return max(lb, _water_level(caps[every], p.n_seats))


def solve(p: Problem, prefs: Preferences, capacity: I64) -> Outcome:
    """The assignment of spec §8.8: ``fill(∞)`` if it fits, else ``fill(min(c, λ*))`` evened."""
    lk = FlowLookups(p, prefs)
    cap = np.where(np.asarray(capacity) < 0, INF, capacity).astype(np.int64)
    unlimited = np.full(p.n_people, INF, np.int64)
    free = _fill(lk, unlimited)
    attempts = 1
    if not free.complete:
        return Outcome(free, "unstaffable", None, unlimited, attempts)
    if bool((free.loads <= cap).all()):
        return Outcome(free, "free", None, cap, attempts)
    lo = lower_bound(p, cap) - 1  # λ = lo is known (or assumed) infeasible
    tried: dict[int, Staffing] = {}

    def attempt(lam: int) -> Staffing:
        nonlocal attempts
        attempts += 1
        tried[lam] = _fill(lk, np.minimum(cap, lam))
        return tried[lam]

    if lo + 1 < INF and attempt(lo + 1).complete:
        lam = lo + 1
        return Outcome(
            even(lk, tried[lam], cap), "balanced", lam, np.minimum(cap, lam), attempts
        )
    lo += 1
    whole = _fill(lk, cap)
    attempts += 1
    if not whole.complete:
        return Outcome(whole, "over-capacity", None, cap, attempts)
    hi = int(whole.loads.max())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if attempt(mid).complete:
            hi = mid
        else:
            lo = mid
    best = tried.get(hi)
    if best is None:
        best = whole if bool((np.minimum(cap, hi) == cap).all()) else attempt(hi)
    return Outcome(even(lk, best, cap), "balanced", hi, np.minimum(cap, hi), attempts)
