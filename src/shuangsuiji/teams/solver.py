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
"""

from __future__ import annotations

import bisect
from collections import deque
from typing import Protocol

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["INF", "Outcome", "Preferences", "Problem", "Staffing", "fill", "lower_bound", "solve"]

INF = 1 << 60  # "no limit" as a capacity
_SEQUENTIAL_BELOW = 1000  # finish deferred acceptance in Python once fewer slots propose

IntArray = npt.NDArray[np.intp]
I64 = npt.NDArray[np.int64]


class Preferences(Protocol):
    """Each slot's random preference order over positions in its candidate list."""

    def at(self, slots: IntArray, steps: I64) -> I64:
        """Position number ``steps[i]`` of slot ``slots[i]``'s order (-1 past its end)."""
        ...

    def prefetch(self, slots: IntArray, steps: int) -> None:
        """A hint: the first ``steps`` positions of ``slots`` will be read one slot at a time."""
        ...


@attrs.frozen(eq=False)
class Problem:
    """One pool's staffing problem.

    * ``n_people``: the pool's size; people are 0..n-1;
    * slots in seat order: ``slot_visit`` (non-decreasing), ``slot_demand`` (seats, >= 1),
      ``slot_list`` (which candidate list);
    * candidate lists in CSR form: ``list_members[list_indptr[k]:list_indptr[k+1]]``, the
      people of list ``k`` in ascending order (which is ID order);
    * exclusions per visit in CSR form (``excl_indptr``, ``excl_members``, sorted): people who
      may not sit on that visit although their list holds them (conflicts, recusals, rotation);
    * ``scan_rank``: each person's place in the augmentation's scan order.
    """

    n_people: int
    n_visits: int
    slot_visit: IntArray
    slot_demand: I64
    slot_list: IntArray
    list_indptr: I64
    list_members: IntArray
    excl_indptr: I64
    excl_members: IntArray
    scan_rank: IntArray

    @property
    def n_slots(self) -> int:
        return int(self.slot_visit.shape[0])

    @property
    def n_seats(self) -> int:
        return int(self.slot_demand.sum())

    def list_of(self, k: int) -> IntArray:
        lo, hi = int(self.list_indptr[k]), int(self.list_indptr[k + 1])
        return self.list_members[lo:hi]

    def excluded(self, v: int) -> IntArray:
        lo, hi = int(self.excl_indptr[v]), int(self.excl_indptr[v + 1])
        return self.excl_members[lo:hi]


@attrs.frozen(eq=False)
class Staffing:
    """The result of :func:`fill`: who sits on each seat, and what blocked the first empty one.

    Seats are numbered slot by slot (``seat_slot``); ``seat_person`` is -1 for a seat no
    augmenting path reaches. For the first such seat, ``blocked_seats`` and ``blocked_people``
    are what its search reached: every one of those people was full, so the seats' visits need
    more than those people can give (a Hall violation; Hall 1935).
    """

    seat_slot: IntArray
    seat_person: IntArray
    loads: I64
    blocked_seats: IntArray
    blocked_people: IntArray
    proposals: int = 0
    searches: int = 0

    @property
    def complete(self) -> bool:
        return bool((self.seat_person >= 0).all())


@attrs.frozen(eq=False)
class Outcome:
    """What :func:`solve` returns: the staffing, and the caps and regime that produced it.

    ``regime`` is ``"free"`` (capacities did not bind: each visit's own best team) or
    ``"balanced"`` (caps ``min(c, lam)``, ``lam`` the least feasible uniform cap); or, with
    ``staffing`` the attempt that failed, ``"unstaffable"`` (``fill(∞)``: some visit cannot be
    staffed whatever the capacities) or ``"over-capacity"`` (``fill(c)``: the capacities
    cannot take every visit).
    """

    staffing: Staffing
    regime: str
    lam: int | None
    caps: I64
    attempts: int


def _excl_keys(p: Problem) -> I64:
    visits = np.repeat(np.arange(p.n_visits, dtype=np.int64), np.diff(p.excl_indptr))
    keys: I64 = np.sort(visits * p.n_people + p.excl_members.astype(np.int64))
    return keys


def _in_sorted(sorted_keys: I64, keys: I64) -> npt.NDArray[np.bool_]:
    if sorted_keys.size == 0:
        return np.zeros(keys.shape[0], bool)
    i = np.searchsorted(sorted_keys, keys)
    i[i == sorted_keys.size] = 0
    out: npt.NDArray[np.bool_] = sorted_keys[i] == keys
    return out


class _Solver:
    """State shared by the attempts of one ``solve``: the preference head and lookup tables."""

    def __init__(self, p: Problem, prefs: Preferences) -> None:
        self.p = p
        self.prefs = prefs
        self.base = p.list_indptr[p.slot_list]
        self.size = np.diff(p.list_indptr)[p.slot_list]
        self.excl_keys = _excl_keys(p)
        self.excl_sets: dict[int, frozenset[int]] = {}
        self.scan_lists: dict[int, IntArray] = {}
        self.seat_start = np.concatenate([[0], np.cumsum(p.slot_demand)]).astype(np.intp)
        self.seat_slot = np.repeat(np.arange(p.n_slots, dtype=np.intp), p.slot_demand)
        self.seat_visit = p.slot_visit[self.seat_slot]
        first = np.searchsorted(self.seat_visit, np.arange(p.n_visits + 1))
        self.visit_seats = first.astype(np.intp)
        self.member_sets: dict[int, frozenset[int]] = {}
        self.scratch = np.zeros(p.n_people, bool)  # all False between uses
        self.marked = np.zeros(int(self.seat_start[-1]), bool)  # all False between searches
        self.list_live = np.zeros(p.list_indptr.size - 1, bool)  # scratch, per search block
        # (list, person) membership: a bool matrix when small, else sorted keys
        n_lists = p.list_indptr.size - 1
        self.member_matrix: npt.NDArray[np.bool_] | None = None
        if n_lists * p.n_people <= 1 << 26:
            self.member_matrix = np.zeros((n_lists, p.n_people), bool)
            self.member_matrix[
                np.repeat(np.arange(n_lists), np.diff(p.list_indptr)), p.list_members
            ] = True
        self.member_keys: I64 = np.repeat(
            np.arange(p.list_indptr.size - 1, dtype=np.int64), np.diff(p.list_indptr)
        ) * p.n_people + p.list_members.astype(np.int64)

    # -- lookups --------------------------------------------------------------------------------
    def is_member(self, lists: IntArray, people: IntArray) -> npt.NDArray[np.bool_]:
        """Whether each person is on the matching candidate list."""
        if self.member_matrix is not None:
            out: npt.NDArray[np.bool_] = self.member_matrix[lists, people]
            return out
        keys = lists.astype(np.int64) * self.p.n_people + people
        return _in_sorted(self.member_keys, keys)

    def excl(self, v: int) -> frozenset[int]:
        s = self.excl_sets.get(v)
        if s is None:
            s = frozenset(self.p.excluded(v).tolist())
            self.excl_sets[v] = s
        return s

    def scan_list(self, k: int) -> IntArray:
        """List ``k`` in scan order."""
        out = self.scan_lists.get(k)
        if out is None:
            members = self.p.list_of(k)
            out = members[np.argsort(self.p.scan_rank[members], kind="stable")]
            self.scan_lists[k] = out
        return out

    def members(self, k: int) -> frozenset[int]:
        out = self.member_sets.get(k)
        if out is None:
            out = frozenset(self.p.list_of(k).tolist())
            self.member_sets[k] = out
        return out

    # -- step 1: serial dictatorship as deferred acceptance -------------------------------------
    def dictatorship(self, caps: I64) -> tuple[IntArray, IntArray, int]:
        """Who holds whom after deferred acceptance, as (slot, person) pairs, and #proposals.

        Rounds run vectorised: every slot short of people proposes to the next person in its
        order, and each person keeps, by seat order, at most one slot per visit and at most
        ``caps`` slots in all. A person's kept slots sit in a row of ``table`` (sorted, -1
        padded), so a round costs in proportion to the people it touches.
        """
        p = self.p
        n_slots, n_people = p.n_slots, p.n_people
        need = p.slot_demand.copy()
        ptr = np.zeros(n_slots, np.int64)
        done = np.zeros(n_slots, bool)  # preference order used up
        finite = caps[caps < INF]
        width = int(min(max(int(finite.max()) if finite.size else 1, 1), n_slots, 64))
        table = np.full((n_people, width), -1, np.intp)
        proposals = 0
        while True:
            act = np.flatnonzero((need > 0) & ~done)
            if act.size == 0 or act.size < _SEQUENTIAL_BELOW:
                break
            pos = self.prefs.at(act, ptr[act])
            ptr[act] += 1
            ended = pos < 0
            done[act[ended]] = True
            act, pos = act[~ended], pos[~ended]
            person = p.list_members[self.base[act] + pos]
            keys = p.slot_visit[act].astype(np.int64) * n_people + person
            ok = ~_in_sorted(self.excl_keys, keys)
            act, person = act[ok], person[ok]
            if act.size == 0:
                continue
            proposals += int(act.size)
            touched = np.unique(person)
            rows = table[touched]
            filled = rows >= 0
            old_slot = rows[filled]
            old_person = np.repeat(touched, filled.sum(axis=1))
            cs = np.concatenate([old_slot, act])
            cp = np.concatenate([old_person, person])
            order = np.lexsort((cs, cp))
            cs, cp = cs[order], cp[order]
            cv = p.slot_visit[cs]
            first = np.ones(cs.shape[0], bool)
            first[1:] = (cp[1:] != cp[:-1]) | (cv[1:] != cv[:-1])  # once per visit: best slot
            group = np.ones(cs.shape[0], bool)
            group[1:] = cp[1:] != cp[:-1]
            counted = np.cumsum(first)
            starts = np.flatnonzero(group)
            before = (counted - first)[starts]  # kept entries before each person's group
            rank = counted - 1 - np.repeat(before, np.diff(np.append(starts, cs.shape[0])))
            keep = first & (rank < caps[cp])
            if keep.any() and int(rank[keep].max()) >= table.shape[1]:
                grown = np.full((n_people, 2 * int(rank[keep].max()) + 1), -1, np.intp)
                grown[:, : table.shape[1]] = table
                table = grown
            table[touched] = -1
            table[cp[keep], rank[keep]] = cs[keep]
            gained = np.bincount(cs[keep], minlength=n_slots)
            lost = np.bincount(old_slot, minlength=n_slots)
            need += lost - gained
        if bool(((need > 0) & ~done).any()):
            more, table = self._sequential(caps, table, need, ptr, done)
            proposals += more
        hp, hr = np.nonzero(table >= 0)
        return table[hp, hr], hp.astype(np.intp), proposals

    def _sequential(
        self, caps: I64, table: IntArray, need: I64, ptr: I64, done: npt.NDArray[np.bool_]
    ) -> tuple[int, IntArray]:
        """Deferred acceptance, one proposal at a time, from the state the rounds left.

        A proposal skips straight to the first person in the slot's order who would accept it
        (one numpy scan of a stretch of the order): everyone before would reject it, and a
        person who rejects a slot never accepts it later, because people only trade up. Writes
        the result back into ``table``, or a wider copy, which it returns with #proposals.
        """
        p = self.p
        visit = p.slot_visit.tolist()
        count = (table >= 0).sum(axis=1).astype(np.int64)
        worst = table.max(axis=1).astype(np.int64)
        held: dict[int, list[int]] = {}  # people touched here: their kept slots, sorted

        def held_of(o: int) -> list[int]:
            lst = held.get(o)
            if lst is None:
                row = table[o]
                lst = sorted(row[row >= 0].tolist())
                held[o] = lst
            return lst

        hp, hr = np.nonzero(table >= 0)
        hs = table[hp, hr]
        order = np.argsort(hs, kind="stable")
        bounds = np.searchsorted(hs[order], np.arange(p.n_slots + 1))
        by_slot = hp[order]
        slot_people: dict[int, list[int]] = {}

        def people_of(s: int) -> list[int]:
            lst = slot_people.get(s)
            if lst is None:
                lst = by_slot[bounds[s] : bounds[s + 1]].tolist()
                slot_people[s] = lst
            return lst

        cap = caps.tolist()
        members = p.list_members
        base = self.base.tolist()
        slot_lo = np.searchsorted(p.slot_visit, np.arange(p.n_visits + 1)).tolist()
        pending = np.flatnonzero((need > 0) & ~done)
        stack = pending.tolist()
        need_l = need.tolist()
        ptr_l = ptr.tolist()
        proposals = 0

        def drop(o: int, s: int) -> None:
            lst = held_of(o)
            lst.remove(s)
            count[o] -= 1
            worst[o] = lst[-1] if lst else -1
            people_of(s).remove(o)
            need_l[s] += 1
            stack.append(s)

        wave: list[int] = []
        while stack or wave:
            if not wave:
                # proposals may be handled in any order: take the stack as one wave, and fetch
                # the preference orders of its slots in one vectorised pass
                wave = sorted(set(stack), reverse=True)
                stack.clear()
                ahead = np.array(wave, np.intp)
                at_step = np.array([ptr_l[a] for a in wave], np.int64)
                near = ahead[at_step < 16]
                far = ahead[at_step >= 16]
                if near.size:
                    self.prefs.prefetch(near, 16)
                if far.size:  # slots already past their first choices tend to walk far
                    self.prefs.prefetch(far, int(at_step.max()) + 64)
            s = wave.pop()
            v = visit[s]
            if need_l[s] <= 0:
                continue
            rivals: dict[int, int] = {}  # people on this visit's other slots -> their slot
            for t in range(slot_lo[v], slot_lo[v + 1]):
                if t != s:
                    for o in people_of(t):
                        rivals[o] = t
            excl = self.excl(v)
            size = int(self.size[s])
            width = 4
            # nobody left who would accept: skip the walk (its order cannot matter)
            whole = self.p.list_of(int(self.p.slot_list[s]))
            could = (count[whole] < caps[whole]) | (worst[whole] > s)
            if not any(
                could[i] and o not in excl and rivals.get(o, s + 1) > s
                for i, o in zip(np.flatnonzero(could).tolist(), whole[could].tolist())
            ):
                ptr_l[s] = size
                continue
            while need_l[s] > 0 and ptr_l[s] < size:
                stop = min(size, ptr_l[s] + width)
                width = 16 if width < 16 else size  # then the whole rest in one pass
                steps = np.arange(ptr_l[s], stop, dtype=np.int64)
                rest = self.prefs.at(np.full(steps.size, s, np.intp), steps)
                cand = members[base[s] + rest]
                # would accept: room, or a worse slot to drop; teammates are fixed below
                acc = (count[cand] < caps[cand]) | (worst[cand] > s)
                fix = excl | rivals.keys()
                if fix:
                    idx = np.flatnonzero(np.isin(cand, np.fromiter(fix, np.intp, len(fix))))
                    for i in idx.tolist():
                        o = int(cand[i])
                        acc[i] = o not in excl and rivals.get(o, -1) > s
                i = 0
                while need_l[s] > 0:
                    hits = np.flatnonzero(acc[i:])
                    if hits.size == 0:
                        i = rest.size
                        break
                    i += int(hits[0])
                    o = int(cand[i])
                    i += 1
                    proposals += 1
                    rival = rivals.pop(o, None)
                    if rival is not None:
                        drop(o, rival)
                    elif count[o] >= cap[o]:
                        drop(o, int(worst[o]))
                    lst = held_of(o)
                    bisect.insort(lst, s)
                    count[o] += 1
                    worst[o] = lst[-1]
                    people_of(s).append(o)
                    need_l[s] -= 1
                ptr_l[s] += i
        widest = max((len(x) for x in held.values()), default=0)
        if widest > table.shape[1]:
            grown = np.full((p.n_people, widest), -1, np.intp)
            grown[:, : table.shape[1]] = table
            table = grown
        for o, lst in held.items():
            table[o] = -1
            table[o, : len(lst)] = lst
        return proposals, table

    # -- step 4: evening out (balanced regime) ----------------------------------------------------
    def even(self, st: Staffing, caps: I64) -> Staffing:
        """Move seats along alternating paths until no load can drop to even out (spec §8.8).

        For L = max load down to 2, each person a at load L, in scan order, offers up their first
        seat in seat order; a §8.7 search from it under ``min(caps, L - 1)`` ends at someone at
        load <= L - 2 with room (then a's load drops by one, theirs grows by one) or fails (a
        keeps the seat). A b-matching with no such path minimises Σ load² and its sorted load
        vector is the least majorised one (Harvey, Ladner, Lovász & Tamir 2006; Frank & Murota
        2022, decreasingly minimal bases). A failed search reaches a closed set: nobody in it
        can have a path at this level later either, so they are skipped (the result is as if
        each had searched and failed).
        """
        p = self.p
        seat_arr = st.seat_person.copy()
        loads = st.loads.copy()
        table = _SeatTable(seat_arr, p.n_people)
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
                mine = table.seats_of(np.array([a], np.intp)).tolist()
                loads[a] -= 1
                searches += 1
                moved = False
                for s in mine:  # a direct taker for one of a's seats: a path of one step
                    seat_arr[s] = -1
                    b = self._direct(s, cap_l, seat_arr, loads)
                    if b >= 0:
                        table.remove(a, s)
                        seat_arr[s] = b
                        table.add(b, s)
                        loads[b] += 1
                        moved = True
                        break
                    seat_arr[s] = a
                if moved:
                    continue
                s = mine[0]
                seat_arr[s] = -1
                table.remove(a, s)
                found, _, seen = self._augment(s, cap_l, seat_arr, table, loads)
                if not found:
                    seat_arr[s] = a
                    table.add(a, s)
                    loads[a] += 1
                    dead[seen] = True
        return Staffing(
            st.seat_slot,
            seat_arr,
            loads,
            st.blocked_seats,
            st.blocked_people,
            st.proposals,
            searches,
        )

    def _direct(self, s: int, caps: I64, seat_arr: IntArray, loads: I64) -> int:
        """The first candidate of empty seat ``s``, in scan order, with room and free to sit on
        it (not barred, not on its visit): where a search from ``s`` stops at once; else -1."""
        v = int(self.seat_visit[s])
        cand = self.scan_list(int(self.p.slot_list[self.seat_slot[s]]))
        hits = cand[loads[cand] < caps[cand]]
        if hits.size == 0:
            return -1
        team = seat_arr[int(self.visit_seats[v]) : int(self.visit_seats[v + 1])]
        excl = self.excl(v)
        for o in hits.tolist():
            if o not in excl and not bool((team == o).any()):
                return int(o)
        return -1

    # -- step 2: augmentation ---------------------------------------------------------------------
    def fill(self, caps: I64) -> Staffing:
        p = self.p
        held_slot, held_person, proposals = self.dictatorship(caps)
        order = np.lexsort((held_person, held_slot))
        held_slot, held_person = held_slot[order], held_person[order]
        first = np.searchsorted(held_slot, held_slot)  # index of each slot's first entry
        seat = self.seat_start[held_slot] + (np.arange(held_slot.size) - first)
        seat_arr = np.full(int(self.seat_start[-1]), -1, np.intp)
        seat_arr[seat] = held_person
        loads = np.bincount(held_person, minlength=p.n_people).astype(np.int64)
        blocked_seats = np.zeros(0, np.intp)
        blocked_people = np.zeros(0, np.intp)
        searches = 0
        empty = np.flatnonzero(seat_arr < 0)
        if empty.size:
            table = _SeatTable(seat_arr, p.n_people)
            for u0 in empty.tolist():
                searches += 1
                found, reached_seats, reached_people = self._augment(
                    u0, caps, seat_arr, table, loads
                )
                if not found and blocked_seats.size == 0:
                    blocked_seats, blocked_people = reached_seats, reached_people
        return Staffing(
            self.seat_slot,
            seat_arr,
            loads,
            blocked_seats,
            blocked_people,
            proposals,
            searches,
        )

    def _mates(
        self,
        seats: IntArray,
        k_of: IntArray,
        seat_arr: IntArray,
        person_seen: npt.NDArray[np.bool_],
        marked: npt.NDArray[np.bool_],
    ) -> npt.NDArray[np.bool_]:
        """Which of ``seats`` have an unreached teammate (on an unmarked seat) on their list."""
        v = self.seat_visit[seats]
        lo = self.visit_seats[v]
        count = self.visit_seats[v + 1] - lo
        out = np.zeros(seats.size, bool)
        for j in range(int(count.max(initial=0))):
            other = np.where(j < count, lo + j, seats)
            mate = seat_arr[other]
            ok = (other != seats) & (mate >= 0)
            mate = np.maximum(mate, 0)
            ok &= ~person_seen[mate] & ~marked[other]
            ok &= self.is_member(k_of, mate)
            out |= ok
        return out

    def _augment(
        self,
        u0: int,
        caps: I64,
        seat_arr: IntArray,
        table: _SeatTable,
        loads: I64,
    ) -> tuple[bool, IntArray, IntArray]:
        """One breadth-first search from empty seat ``u0`` (spec §8.7); augments if it can.

        A seat is reached when it is marked (reached through a teammate) or when the person on
        it is: a person's seats are all reached the moment the person is, so they are queued as
        one block and walked, in seat order, when the block comes up.
        """
        p = self.p
        seat_visit = self.seat_visit
        seat_slot = self.seat_slot
        visit_seats = self.visit_seats
        person_seen = np.zeros(p.n_people, bool)
        scratch = self.scratch
        marked_arr = self.marked
        person_parent = np.full(p.n_people, -1, np.intp)
        marked: dict[int, tuple[int, int]] = {u0: (-1, -1)}  # seat -> (seat, teammate)
        marked_arr[u0] = True
        leftover: dict[int, IntArray] = {}
        queue: deque[tuple[int, int | IntArray]] = deque([(0, u0)])  # (0, seat) | (1, people)

        def expand(s: int) -> int:
            """Scan seat s's candidates; the first spare person found, else -1."""
            v = int(seat_visit[s])
            k = int(p.slot_list[seat_slot[s]])
            team = {
                int(seat_arr[w]): w
                for w in range(int(visit_seats[v]), int(visit_seats[v + 1]))
                if w != s and seat_arr[w] >= 0
            }
            skip = set(team) | self.excl(v)
            skip.add(int(seat_arr[s]))
            cand = leftover.get(k)
            if cand is None:
                cand = self.scan_list(k)
            cand = cand[~person_seen[cand]]
            skip.discard(-1)
            marks = np.fromiter(skip, np.intp, len(skip))
            scratch[marks] = True
            drop = scratch[cand]
            scratch[marks] = False
            regular = cand[~drop]
            if k not in leftover:
                leftover[k] = cand[drop]
            if regular.size:
                spare = loads[regular] < caps[regular]
                if spare.any():
                    o = int(regular[int(np.argmax(spare))])
                    person_parent[o] = s
                    return o
            members = self.members(k)
            forced = sorted(
                (int(p.scan_rank[o]), o, w)
                for o, w in team.items()
                if o in members and w not in marked and not person_seen[o]
            )
            person_seen[regular] = True
            person_parent[regular] = s
            if not forced:
                if regular.size:
                    queue.append((1, regular))
                return -1
            ranks = p.scan_rank[regular]
            cut = 0
            for rank, o, w in forced:
                i = int(np.searchsorted(ranks, rank))
                if i > cut:
                    queue.append((1, regular[cut:i]))
                cut = i
                marked[w] = (s, o)
                marked_arr[w] = True
                queue.append((0, w))
            if cut < regular.size:
                queue.append((1, regular[cut:]))
            return -1

        end = -1
        try:
            while queue and end < 0:
                kind, item = queue.popleft()
                if kind == 0:
                    assert isinstance(item, int)
                    end = expand(item)
                    continue
                assert not isinstance(item, int)
                seats = table.seats_of(item)
                seats = seats[~marked_arr[seats]]
                if seats.size == 0:
                    continue
                # Expanding a seat whose list was already scanned in this search, with no
                # leftover of that list still unreached and no unreached teammate on it, finds
                # and queues nothing: such seats are skipped, which leaves the search unchanged.
                # Reached people and marked seats only grow, so a skip stays valid; a list
                # scanned for the first time makes its other seats here skippable.
                k_of = p.slot_list[seat_slot[seats]]
                mates = self._mates(seats, k_of, seat_arr, person_seen, marked_arr)
                live = self.list_live
                for k in np.unique(k_of).tolist():
                    rest = leftover.get(k)
                    live[k] = rest is None or bool((~person_seen[rest]).any())
                need = live[k_of] | mates
                at = 0
                while end < 0:
                    ahead = np.flatnonzero(need[at:])
                    if ahead.size == 0:
                        break
                    i = at + int(ahead[0])
                    k = int(k_of[i])
                    end = expand(int(seats[i]))
                    at = i + 1
                    if end < 0 and live[k] and at < seats.size:
                        live[k] = bool((~person_seen[leftover[k]]).any())
                        if not live[k]:  # nothing left on the list: only teammates matter
                            tail = at + np.flatnonzero(k_of[at:] == k)
                            if tail.size:
                                need[tail] = self._mates(
                                    seats[tail], k_of[tail], seat_arr, person_seen, marked_arr
                                )
        finally:
            marked_arr[np.fromiter(marked, np.intp, len(marked))] = False
        if end < 0:
            seen = np.flatnonzero(person_seen).astype(np.intp)
            reached = np.union1d(np.fromiter(marked, np.intp, len(marked)), table.seats_of(seen))
            return False, reached.astype(np.intp), seen
        # walk back: each seat on the path takes the person the next seat gives up
        s, new = int(person_parent[end]), end
        loads[end] += 1
        while True:
            old = int(seat_arr[s])
            seat_arr[s] = new
            table.add(new, s)
            if old < 0:
                break
            table.remove(old, s)
            prev = marked.get(s, (-2, -2))[0]
            s = int(person_parent[old]) if prev == -2 else prev
            new = old
        return True, np.zeros(0, np.intp), np.zeros(0, np.intp)


class _SeatTable:
    """Each person's seats, sorted, as the rows of a -1 padded table (vectorised gathers)."""

    def __init__(self, seat_person: IntArray, n_people: int) -> None:
        filled = np.flatnonzero(seat_person >= 0)
        who = seat_person[filled]
        order = np.lexsort((filled, who))
        who, filled = who[order], filled[order]
        counts = np.bincount(who, minlength=n_people)
        width = max(int(counts.max(initial=0)), 1) + 1
        self.rows = np.full((n_people, width), -1, np.intp)
        first = np.searchsorted(who, who)
        self.rows[who, np.arange(who.size) - first] = filled
        self.count = counts.astype(np.intp)

    def seats_of(self, people: IntArray) -> IntArray:
        """The seats of ``people``, person by person, each person's in seat order."""
        block = self.rows[people].reshape(-1)
        out: IntArray = block[block >= 0]
        return out

    def add(self, person: int, seat: int) -> None:
        n = int(self.count[person])
        if n + 1 > self.rows.shape[1]:
            grown = np.full((self.rows.shape[0], 2 * self.rows.shape[1]), -1, np.intp)
            grown[:, : self.rows.shape[1]] = self.rows
            self.rows = grown
        row = self.rows[person]
        i = int(np.searchsorted(row[:n], seat))
        row[i + 1 : n + 1] = row[i:n].copy()
        row[i] = seat
        self.count[person] = n + 1

    def remove(self, person: int, seat: int) -> None:
        n = int(self.count[person])
        row = self.rows[person]
        i = int(np.searchsorted(row[:n], seat))
        row[i : n - 1] = row[i + 1 : n].copy()
        row[n - 1] = -1
        self.count[person] = n - 1


def fill(p: Problem, prefs: Preferences, caps: I64) -> Staffing:
    """Serial dictatorship then augmentation under ``caps`` (spec §8.6–8.7)."""
    return _Solver(p, prefs).fill(np.asarray(caps, np.int64))


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
    solver = _Solver(p, prefs)
    cap = np.where(np.asarray(capacity) < 0, INF, capacity).astype(np.int64)
    unlimited = np.full(p.n_people, INF, np.int64)
    free = solver.fill(unlimited)
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
        tried[lam] = solver.fill(np.minimum(cap, lam))
        return tried[lam]

    if lo + 1 < INF and attempt(lo + 1).complete:
        lam = lo + 1
        return Outcome(
            solver.even(tried[lam], cap), "balanced", lam, np.minimum(cap, lam), attempts
        )
    lo += 1
    whole = solver.fill(cap)
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
    return Outcome(solver.even(best, cap), "balanced", hi, np.minimum(cap, hi), attempts)
