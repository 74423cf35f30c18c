"""Step 1 of ``fill``: serial dictatorship, computed as deferred acceptance (spec §8.6).

In seat order, each seat takes the first person of its preference order who has room under
``caps`` and is not yet on its visit. We compute it as the seat-proposing deferred acceptance
(Gale & Shapley 1962) in which every person ranks seats by seat order: with one common priority
order, deferred acceptance *is* serial dictatorship, and its outcome does not depend on the
order in which proposals are processed (Roth & Sotomayor 1990, ch. 5; Hatfield & Milgrom 2005
for the laminar "once per visit, at most cap" choice rule). So rounds of proposals run
vectorised with numpy, and the long tail one proposal at a time in Python, with the same result.
"""

from __future__ import annotations

import bisect

import numpy as np
import numpy.typing as npt

from .flow_lookups import FlowLookups, in_sorted
from .flow_problem import I64, INF, IntArray, Problem

__all__ = ["dictatorship"]

_SEQUENTIAL_BELOW = 1000  # finish deferred acceptance in Python once fewer slots propose


def dictatorship(lk: FlowLookups, caps: I64) -> tuple[IntArray, IntArray, int]:
    """Who holds whom after deferred acceptance, as (slot, person) pairs, and #proposals.

    Rounds run vectorised: every slot short of people proposes to the next person in its
    order, and each person keeps, by seat order, at most one slot per visit and at most
    ``caps`` slots in all. A person's kept slots sit in a row of ``table`` (sorted, -1
    padded), so a round costs in proportion to the people it touches.
    """
    p = lk.p
    need = p.slot_demand.copy()
    ptr = np.zeros(p.n_slots, np.int64)
    done = np.zeros(p.n_slots, bool)  # preference order used up
    finite = caps[caps < INF]
    width = int(min(max(int(finite.max()) if finite.size else 1, 1), p.n_slots, 64))
    table = np.full((p.n_people, width), -1, np.intp)
    proposals = 0
    while True:
        act = np.flatnonzero((need > 0) & ~done)
        if act.size == 0 or act.size < _SEQUENTIAL_BELOW:
            break
        act, person = _proposals(lk, act, ptr, done)
        if act.size == 0:
            continue
        proposals += int(act.size)
        table = _round(p, caps, table, need, act, person)
    if bool(((need > 0) & ~done).any()):
        more, table = _Sequential(lk, caps, table, need, ptr, done).run()
        proposals += more
    hp, hr = np.nonzero(table >= 0)
    return table[hp, hr], hp.astype(np.intp), proposals


def _proposals(
    lk: FlowLookups, act: IntArray, ptr: I64, done: npt.NDArray[np.bool_]
) -> tuple[IntArray, IntArray]:
    """The round's proposals: each slot of ``act`` to the next person in its order, unless the
    order is used up (``done``) or the person is barred from its visit. Advances ``ptr``."""
    p = lk.p
    pos = lk.prefs.at(act, ptr[act])
    ptr[act] += 1
    ended = pos < 0
    done[act[ended]] = True
    act, pos = act[~ended], pos[~ended]
    person = p.list_members[lk.base[act] + pos]
    keys = p.slot_visit[act].astype(np.int64) * p.n_people + person
    ok = ~in_sorted(lk.excl_keys, keys)
    return act[ok], person[ok]


def _round(
    p: Problem, caps: I64, table: IntArray, need: I64, act: IntArray, person: IntArray
) -> IntArray:
    """Each person touched keeps the best of their held and proposing slots; updates ``need``
    and returns ``table`` (or a wider copy)."""
    touched = np.unique(person)
    rows = table[touched]
    filled = rows >= 0
    old_slot = rows[filled]
    old_person = np.repeat(touched, filled.sum(axis=1))
    cs = np.concatenate([old_slot, act])
    cp = np.concatenate([old_person, person])
    order = np.lexsort((cs, cp))
    cs, cp = cs[order], cp[order]
    keep, rank = _kept(p, caps, cs, cp)
    if keep.any() and int(rank[keep].max()) >= table.shape[1]:
        grown = np.full((p.n_people, 2 * int(rank[keep].max()) + 1), -1, np.intp)
        grown[:, : table.shape[1]] = table
        table = grown
    table[touched] = -1
    table[cp[keep], rank[keep]] = cs[keep]
    gained = np.bincount(cs[keep], minlength=p.n_slots)
    lost = np.bincount(old_slot, minlength=p.n_slots)
    need += lost - gained
    return table


def _kept(
    p: Problem, caps: I64, cs: IntArray, cp: IntArray
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
    """Which (slot, person) pairs, sorted by person then slot, the person keeps: the best slot
    per visit, up to the person's cap; and each pair's rank among the person's kept ones."""
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
    return keep, rank


class _Sequential:
    """Deferred acceptance, one proposal at a time, from the state the rounds left.

    A proposal skips straight to the first person in the slot's order who would accept it
    (one numpy scan of a stretch of the order): everyone before would reject it, and a person
    who rejects a slot never accepts it later, because people only trade up. :meth:`run`
    writes the result back into ``table``, or a wider copy, which it returns with #proposals.
    """

    def __init__(
        self,
        lk: FlowLookups,
        caps: I64,
        table: IntArray,
        need: I64,
        ptr: I64,
        done: npt.NDArray[np.bool_],
    ) -> None:
        p = lk.p
        self.lk = lk
        self.caps = caps
        self.cap = caps.tolist()
        self.table = table
        self.visit = p.slot_visit.tolist()
        self.count = (table >= 0).sum(axis=1).astype(np.int64)
        self.worst = table.max(axis=1).astype(np.int64)
        self.held: dict[int, list[int]] = {}  # people touched here: their kept slots, sorted
        hp, hr = np.nonzero(table >= 0)
        hs = table[hp, hr]
        order = np.argsort(hs, kind="stable")
        self.bounds = np.searchsorted(hs[order], np.arange(p.n_slots + 1))
        self.by_slot = hp[order]
        self.slot_people: dict[int, list[int]] = {}
        self.base = lk.base.tolist()
        self.slot_lo = np.searchsorted(p.slot_visit, np.arange(p.n_visits + 1)).tolist()
        self.stack = np.flatnonzero((need > 0) & ~done).tolist()
        self.need = need.tolist()
        self.ptr = ptr.tolist()
        self.proposals = 0

    def held_of(self, o: int) -> list[int]:
        """The slots person ``o`` holds, sorted."""
        lst = self.held.get(o)
        if lst is None:
            row = self.table[o]
            lst = sorted(row[row >= 0].tolist())
            self.held[o] = lst
        return lst

    def people_of(self, s: int) -> list[int]:
        """The people slot ``s`` holds."""
        lst = self.slot_people.get(s)
        if lst is None:
            lst = self.by_slot[self.bounds[s] : self.bounds[s + 1]].tolist()
            self.slot_people[s] = lst
        return lst

    def drop(self, o: int, s: int) -> None:
        """Person ``o`` lets slot ``s`` go; ``s`` proposes again."""
        lst = self.held_of(o)
        lst.remove(s)
        self.count[o] -= 1
        self.worst[o] = lst[-1] if lst else -1
        self.people_of(s).remove(o)
        self.need[s] += 1
        self.stack.append(s)

    def run(self) -> tuple[int, IntArray]:
        """Propose until every slot is full or has used up its order; (#proposals, table)."""
        wave: list[int] = []
        while self.stack or wave:
            if not wave:
                wave = self._wave()
            s = wave.pop()
            if self.need[s] > 0:
                self._serve(s)
        return self.proposals, self._table()

    def _wave(self) -> list[int]:
        """Proposals may be handled in any order: take the stack as one wave (in slot order),
        and fetch the preference orders of its slots in one vectorised pass."""
        wave = sorted(set(self.stack), reverse=True)
        self.stack.clear()
        ahead = np.array(wave, np.intp)
        at_step = np.array([self.ptr[a] for a in wave], np.int64)
        near = ahead[at_step < 16]
        far = ahead[at_step >= 16]
        if near.size:
            self.lk.prefs.prefetch(near, 16)
        if far.size:  # slots already past their first choices tend to walk far
            self.lk.prefs.prefetch(far, int(at_step.max()) + 64)
        return wave

    def _serve(self, s: int) -> None:
        """Slot ``s`` proposes along its order until it is full or the order is used up."""
        v = self.visit[s]
        rivals: dict[int, int] = {}  # people on this visit's other slots -> their slot
        for t in range(self.slot_lo[v], self.slot_lo[v + 1]):
            if t != s:
                for o in self.people_of(t):
                    rivals[o] = t
        excl = self.lk.excl(v)
        size = int(self.lk.size[s])
        if not self._anyone_would_accept(s, rivals, excl):
            self.ptr[s] = size  # skip the walk: its order cannot matter
            return
        width = 4
        while self.need[s] > 0 and self.ptr[s] < size:
            stop = min(size, self.ptr[s] + width)
            width = 16 if width < 16 else size  # then the whole rest in one pass
            cand, acc = self._stretch(s, stop, rivals, excl)
            self.ptr[s] += self._propose(s, cand, acc, rivals)

    def _anyone_would_accept(self, s: int, rivals: dict[int, int], excl: frozenset[int]) -> bool:
        p = self.lk.p
        whole = p.list_of(int(p.slot_list[s]))
        could = (self.count[whole] < self.caps[whole]) | (self.worst[whole] > s)
        return any(
            could[i] and o not in excl and rivals.get(o, s + 1) > s
            for i, o in zip(np.flatnonzero(could).tolist(), whole[could].tolist())
        )

    def _stretch(
        self, s: int, stop: int, rivals: dict[int, int], excl: frozenset[int]
    ) -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """The people at steps ``ptr[s]``..``stop`` of ``s``'s order, and who would accept it."""
        steps = np.arange(self.ptr[s], stop, dtype=np.int64)
        rest = self.lk.prefs.at(np.full(steps.size, s, np.intp), steps)
        cand = self.lk.p.list_members[self.base[s] + rest]
        # would accept: room, or a worse slot to drop; teammates are fixed below
        acc = (self.count[cand] < self.caps[cand]) | (self.worst[cand] > s)
        fix = excl | rivals.keys()
        if fix:
            idx = np.flatnonzero(np.isin(cand, np.fromiter(fix, np.intp, len(fix))))
            for i in idx.tolist():
                o = int(cand[i])
                acc[i] = o not in excl and rivals.get(o, -1) > s
        return cand, acc

    def _propose(
        self, s: int, cand: IntArray, acc: npt.NDArray[np.bool_], rivals: dict[int, int]
    ) -> int:
        """Slot ``s`` proposes to the accepting people of a stretch while it has room; returns
        the number of steps of its order used."""
        i = 0
        while self.need[s] > 0:
            hits = np.flatnonzero(acc[i:])
            if hits.size == 0:
                return int(cand.size)
            i += int(hits[0])
            o = int(cand[i])
            i += 1
            self.proposals += 1
            rival = rivals.pop(o, None)
            if rival is not None:
                self.drop(o, rival)
            elif self.count[o] >= self.cap[o]:
                self.drop(o, int(self.worst[o]))
            lst = self.held_of(o)
            bisect.insort(lst, s)
            self.count[o] += 1
            self.worst[o] = lst[-1]
            self.people_of(s).append(o)
            self.need[s] -= 1
        return i

    def _table(self) -> IntArray:
        """The kept slots written back into the table (widened if a person holds more)."""
        table = self.table
        widest = max((len(x) for x in self.held.values()), default=0)
        if widest > table.shape[1]:
            grown = np.full((self.lk.p.n_people, widest), -1, np.intp)
            grown[:, : table.shape[1]] = table
            table = grown
        for o, lst in self.held.items():
            table[o] = -1
            table[o, : len(lst)] = lst
        return table
