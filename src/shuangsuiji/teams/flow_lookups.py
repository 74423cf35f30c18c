"""The lookup tables that the solver's steps share (:mod:`.solver`).

:class:`FlowLookups` holds what the attempts of one ``solve`` share: the preference orders, each
slot's candidate list, exclusions, the scan order, seats per visit, and scratch arrays that are
all False between uses. :class:`SeatTable` holds each person's seats while a staffing changes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .flow_problem import I64, IntArray, Preferences, Problem

__all__ = ["FlowLookups", "SeatTable", "excl_keys", "in_sorted"]


def excl_keys(p: Problem) -> I64:
    """(visit, person) keys of the exclusions, sorted."""
    visits = np.repeat(np.arange(p.n_visits, dtype=np.int64), np.diff(p.excl_indptr))
    keys: I64 = np.sort(visits * p.n_people + p.excl_members.astype(np.int64))
    return keys


def in_sorted(sorted_keys: I64, keys: I64) -> npt.NDArray[np.bool_]:
    """Whether each key is in ``sorted_keys``."""
    if sorted_keys.size == 0:
        return np.zeros(keys.shape[0], bool)
    i = np.searchsorted(sorted_keys, keys)
    i[i == sorted_keys.size] = 0
    out: npt.NDArray[np.bool_] = sorted_keys[i] == keys
    return out


class FlowLookups:
    """State shared by the attempts of one ``solve``: the preference head and lookup tables."""

    def __init__(self, p: Problem, prefs: Preferences) -> None:
        self.p = p
        self.prefs = prefs
        self.base = p.list_indptr[p.slot_list]
        self.size = np.diff(p.list_indptr)[p.slot_list]
        self.excl_keys = excl_keys(p)
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

    def is_member(self, lists: IntArray, people: IntArray) -> npt.NDArray[np.bool_]:
        """Whether each person is on the matching candidate list."""
        if self.member_matrix is not None:
            out: npt.NDArray[np.bool_] = self.member_matrix[lists, people]
            return out
        keys = lists.astype(np.int64) * self.p.n_people + people
        return in_sorted(self.member_keys, keys)

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


class SeatTable:
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
