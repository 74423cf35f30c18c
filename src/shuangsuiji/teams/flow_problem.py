"""The staffing problem and its answers, as arrays (spec §8.6–8.8): the types of :mod:`.solver`.

A :class:`Problem` is one pool's seats and candidates; :class:`Preferences` gives each slot's
random preference order; :class:`Staffing` is who sits where after :func:`.solver.fill`, and
:class:`Outcome` what :func:`.solver.solve` returns. No registries, no strings.
"""

from __future__ import annotations

from typing import Protocol

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["I64", "INF", "IntArray", "Outcome", "Preferences", "Problem", "Staffing"]

INF = 1 << 60  # "no limit" as a capacity

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
    """The result of :func:`.solver.fill`: who sits on each seat, and what blocked the first
    empty one.

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
    """What :func:`.solver.solve` returns: the staffing, and the caps and regime that produced
    it.

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
