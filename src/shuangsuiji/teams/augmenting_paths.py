"""Step 2 of ``fill``: a shortest augmenting path for each seat left empty (spec §8.7).

Each seat still empty after serial dictatorship, in seat order, gets a shortest augmenting path in
the residual network of ``source -> seat -> (visit, person) -> person -> sink``, found by a
breadth-first search whose every tie is fixed: a seat scans its candidates in scan order, and a
person's seats are walked in seat order. This is the augmenting-path method of Ford & Fulkerson
(1956) with Edmonds–Karp's shortest paths (1972): when no path exists from a seat, no
assignment fills all seats, and what the search reached is a Hall violation (Hall 1935).
"""

from __future__ import annotations

from collections import deque

import numpy as np
import numpy.typing as npt

from .flow_lookups import FlowLookups, SeatTable
from .flow_problem import I64, IntArray

__all__ = ["augment", "direct", "mates"]


def augment(
    lk: FlowLookups,
    u0: int,
    caps: I64,
    seat_arr: IntArray,
    table: SeatTable,
    loads: I64,
) -> tuple[bool, IntArray, IntArray]:
    """One breadth-first search from empty seat ``u0`` (spec §8.7); augments if it can.

    Returns whether it did and, if not, the seats and people the search reached. A seat is
    reached when it is marked (reached through a teammate) or when the person on it is: a
    person's seats are all reached the moment the person is, so they are queued as one block
    and walked, in seat order, when the block comes up.
    """
    search = _Search(lk, u0, caps, seat_arr, table, loads)
    try:
        end = search.run()
    finally:
        lk.marked[np.fromiter(search.marked, np.intp, len(search.marked))] = False
    if end < 0:
        seen = np.flatnonzero(search.person_seen).astype(np.intp)
        marked = np.fromiter(search.marked, np.intp, len(search.marked))
        reached = np.union1d(marked, table.seats_of(seen))
        return False, reached.astype(np.intp), seen
    search.walk_back(end)
    return True, np.zeros(0, np.intp), np.zeros(0, np.intp)


class _Search:
    """The state of one search: people reached (and from which seat), seats marked (and
    through which seat and teammate), each list's unreached leftover, and the queue."""

    def __init__(
        self,
        lk: FlowLookups,
        u0: int,
        caps: I64,
        seat_arr: IntArray,
        table: SeatTable,
        loads: I64,
    ) -> None:
        n_people = lk.p.n_people
        self.lk = lk
        self.caps = caps
        self.seat_arr = seat_arr
        self.table = table
        self.loads = loads
        self.person_seen = np.zeros(n_people, bool)
        self.person_parent = np.full(n_people, -1, np.intp)
        self.marked: dict[int, tuple[int, int]] = {u0: (-1, -1)}  # seat -> (seat, teammate)
        lk.marked[u0] = True
        self.leftover: dict[int, IntArray] = {}
        # (0, seat) | (1, people)
        self.queue: deque[tuple[int, int | IntArray]] = deque([(0, u0)])

    def run(self) -> int:
        """Search until a person with room is reached (returned), else -1."""
        end = -1
        while self.queue and end < 0:
            kind, item = self.queue.popleft()
            if kind == 0:
                assert isinstance(item, int)
                end = self.expand(item)
            else:
                assert not isinstance(item, int)
                end = self._walk_block(item)
        return end

    def expand(self, s: int) -> int:
        """Scan seat s's candidates; the first spare person found, else -1."""
        lk = self.lk
        v = int(lk.seat_visit[s])
        k = int(lk.p.slot_list[lk.seat_slot[s]])
        seat_arr = self.seat_arr
        team = {
            int(seat_arr[w]): w
            for w in range(int(lk.visit_seats[v]), int(lk.visit_seats[v + 1]))
            if w != s and seat_arr[w] >= 0
        }
        regular = self._unreached(s, v, k, team)
        if regular.size:
            spare = self.loads[regular] < self.caps[regular]
            if spare.any():
                o = int(regular[int(np.argmax(spare))])
                self.person_parent[o] = s
                return o
        self._reach(s, k, team, regular)
        return -1

    def _unreached(self, s: int, v: int, k: int, team: dict[int, int]) -> IntArray:
        """Seat ``s``'s candidates (list ``k``) not yet reached who may sit on it: not on its
        visit, not barred. The first scan of a list keeps the others as its leftover."""
        lk = self.lk
        skip = set(team) | lk.excl(v)
        skip.add(int(self.seat_arr[s]))
        cand = self.leftover.get(k)
        if cand is None:
            cand = lk.scan_list(k)
        cand = cand[~self.person_seen[cand]]
        skip.discard(-1)
        marks = np.fromiter(skip, np.intp, len(skip))
        lk.scratch[marks] = True
        drop = lk.scratch[cand]
        lk.scratch[marks] = False
        regular = cand[~drop]
        if k not in self.leftover:
            self.leftover[k] = cand[drop]
        return regular

    def _reach(self, s: int, k: int, team: dict[int, int], regular: IntArray) -> None:
        """Mark ``regular`` reached from seat ``s`` and queue them, in scan order, with the
        seats of teammates who could move to ``s`` (each where its holder ranks)."""
        p = self.lk.p
        members = self.lk.members(k)
        forced = sorted(
            (int(p.scan_rank[o]), o, w)
            for o, w in team.items()
            if o in members and w not in self.marked and not self.person_seen[o]
        )
        self.person_seen[regular] = True
        self.person_parent[regular] = s
        if not forced:
            if regular.size:
                self.queue.append((1, regular))
            return
        ranks = p.scan_rank[regular]
        cut = 0
        for rank, o, w in forced:
            i = int(np.searchsorted(ranks, rank))
            if i > cut:
                self.queue.append((1, regular[cut:i]))
            cut = i
            self.marked[w] = (s, o)
            self.lk.marked[w] = True
            self.queue.append((0, w))
        if cut < regular.size:
            self.queue.append((1, regular[cut:]))

    def _walk_block(self, people: IntArray) -> int:
        """Expand, in seat order, the unmarked seats of a block of reached people; the first
        spare person found, else -1.

        Expanding a seat whose list was already scanned in this search, with no leftover of
        that list still unreached and no unreached teammate on it, finds and queues nothing:
        such seats are skipped, which leaves the search unchanged. Reached people and marked
        seats only grow, so a skip stays valid; a list scanned for the first time makes its
        other seats here skippable.
        """
        lk, seen, leftover = self.lk, self.person_seen, self.leftover
        seats = self.table.seats_of(people)
        seats = seats[~lk.marked[seats]]
        if seats.size == 0:
            return -1
        k_of = lk.p.slot_list[lk.seat_slot[seats]]
        need = mates(lk, seats, k_of, self.seat_arr, seen, lk.marked)
        live = lk.list_live
        for k in np.unique(k_of).tolist():
            rest = leftover.get(k)
            live[k] = rest is None or bool((~seen[rest]).any())
        need |= live[k_of]
        at = 0
        end = -1
        while end < 0:
            ahead = np.flatnonzero(need[at:])
            if ahead.size == 0:
                break
            i = at + int(ahead[0])
            k = int(k_of[i])
            end = self.expand(int(seats[i]))
            at = i + 1
            if end < 0 and live[k] and at < seats.size:
                live[k] = bool((~seen[leftover[k]]).any())
                if not live[k]:  # nothing left on the list: only teammates matter
                    tail = at + np.flatnonzero(k_of[at:] == k)
                    if tail.size:
                        need[tail] = mates(
                            lk, seats[tail], k_of[tail], self.seat_arr, seen, lk.marked
                        )
        return end

    def walk_back(self, end: int) -> None:
        """Augment: each seat on the path takes the person the next seat gives up."""
        seat_arr, table = self.seat_arr, self.table
        s, new = int(self.person_parent[end]), end
        self.loads[end] += 1
        while True:
            old = int(seat_arr[s])
            seat_arr[s] = new
            table.add(new, s)
            if old < 0:
                break
            table.remove(old, s)
            prev = self.marked.get(s, (-2, -2))[0]
            s = int(self.person_parent[old]) if prev == -2 else prev
            new = old


def mates(
    lk: FlowLookups,
    seats: IntArray,
    k_of: IntArray,
    seat_arr: IntArray,
    person_seen: npt.NDArray[np.bool_],
    marked: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """Which of ``seats`` have an unreached teammate (on an unmarked seat) on their list."""
    v = lk.seat_visit[seats]
    lo = lk.visit_seats[v]
    count = lk.visit_seats[v + 1] - lo
    out = np.zeros(seats.size, bool)
    for j in range(int(count.max(initial=0))):
        other = np.where(j < count, lo + j, seats)
        mate = seat_arr[other]
        ok = (other != seats) & (mate >= 0)
        mate = np.maximum(mate, 0)
        ok &= ~person_seen[mate] & ~marked[other]
        ok &= lk.is_member(k_of, mate)
        out |= ok
    return out


def direct(lk: FlowLookups, s: int, caps: I64, seat_arr: IntArray, loads: I64) -> int:
    """The first candidate of empty seat ``s``, in scan order, with room and free to sit on
    it (not barred, not on its visit): where a search from ``s`` stops at once; else -1."""
    v = int(lk.seat_visit[s])
    cand = lk.scan_list(int(lk.p.slot_list[lk.seat_slot[s]]))
    hits = cand[loads[cand] < caps[cand]]
    if hits.size == 0:
        return -1
    team = seat_arr[int(lk.visit_seats[v]) : int(lk.visit_seats[v + 1])]
    excl = lk.excl(v)
    for o in hits.tolist():
        if o not in excl and not bool((team == o).any()):
            return int(o)
    return -1
