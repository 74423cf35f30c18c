"""The seat model: what one visit's team must satisfy, as seats that distinct people fill.

A visit is one target that one or more tasks drew (进一次门、查多项事). Each task states its team
rules (:class:`~shuangsuiji.plan.parts.Team`); the visit's team must satisfy all of them at once.
Rules of the form "at least one officer who ..." (a joint inspection's departments, ``match``
with ``who: "any"``) become *seats*: a seat is a filter, and the team's officers must be
assignable to the seats one to one. Seats make staffing a network flow, so it can be solved
exactly and checked against brute force; "at least one officer per set" with overlapping sets
is a set-cover problem and is not (docs/spec.md §8.2 says why and states the rules below).

:func:`visit_rule` turns the rules of a visit's tasks, with the target's values filled in,
into a :class:`VisitRule`:

1. every officer holds ``quals_all``: the target's value in ``match.column`` of each task with
   ``who: "all"``;
2. seats, task by task: a task with departments ``[D1, D2, ...]`` gives the seat
   (D1, its "any" value if ``who`` is "any") and seats (D2), (D3), ...: the initiating
   department's officer is the qualified one. A task with ``who: "any"`` and no departments
   gives the seat (any unit, its value);
3. values already in ``quals_all`` are dropped from seats, and seats left with no unit and no
   value are dropped; a seat implied by another (same unit or none, values a subset) is
   dropped, and so are duplicates;
4. seats are ordered by unit (seats with a unit first, by code point), then by their values;
5. the team has ``max(officers of the tasks, number of seats)`` officers; the seats beyond the
   filtered ones are *open*: any eligible officer fills them;
6. experts: each distinct requirement (the task's ``match`` value) is an *expert seat* of
   ``max(experts of the tasks with that value)`` places, ordered by value and numbered from 0
   (its stream). Different requirements take different experts: each task brings its own, and
   no expert needs every field of a joint visit.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["Seat", "TaskNeeds", "VisitRule", "visit_rule"]


@attrs.frozen(order=False)
class Seat:
    """A filtered seat: an officer of ``unit`` (None: any unit) holding every value in ``quals``."""

    unit: str | None
    quals: frozenset[str]

    def implies(self, other: Seat) -> bool:
        """Whoever fills ``self`` could fill ``other``."""
        return (other.unit is None or other.unit == self.unit) and other.quals <= self.quals

    @property
    def sort_key(self) -> tuple[int, str, tuple[str, ...]]:
        return (0 if self.unit is not None else 1, self.unit or "", tuple(sorted(self.quals)))

    def describe(self) -> str:
        parts = []
        if self.unit is not None:
            parts.append(f"unit {self.unit}")
        if self.quals:
            parts.append("qualified for " + ", ".join(sorted(self.quals)))
        return " and ".join(parts)


@attrs.frozen
class TaskNeeds:
    """One task's team rules with the target's values filled in.

    ``value`` is the target's value in the task's ``match.column`` (None without ``match``);
    ``regions`` the target's value in ``region_column`` when ``cross_region`` (else None);
    ``cutoff`` the rotation cutoff date (ISO text) or None.
    """

    officers: int
    experts: int = 0
    value: str | None = None
    who: str = "all"
    departments: tuple[str, ...] = ()
    region: str | None = None
    cutoff: str | None = None


@attrs.frozen
class VisitRule:
    """The team rules of one visit (the union over the tasks that drew its target)."""

    officers: int
    experts: int
    quals_all: frozenset[str]
    regions_out: frozenset[str]
    seats: tuple[Seat, ...]
    expert_seats: tuple[tuple[frozenset[str], int], ...]  # (values held, places), stream order
    cutoff: str | None

    @property
    def open_seats(self) -> int:
        return self.officers - len(self.seats)


def visit_rule(needs: Sequence[TaskNeeds]) -> VisitRule:
    """The visit's rule from its tasks' needs, in plan order (see the module docstring)."""
    if not needs:
        raise ValueError("a visit has at least one task")
    quals_all = frozenset(n.value for n in needs if n.value is not None and n.who == "all")
    raw: list[Seat] = []
    for n in needs:
        anyq = frozenset([n.value]) if n.value is not None and n.who == "any" else frozenset()
        if n.departments:
            raw.append(Seat(n.departments[0], anyq))
            raw += [Seat(d, frozenset()) for d in n.departments[1:]]
        elif anyq:
            raw.append(Seat(None, anyq))
    reduced = {Seat(s.unit, s.quals - quals_all) for s in raw}
    reduced = {s for s in reduced if s.unit is not None or s.quals}
    seats = [s for s in reduced if not any(t != s and t.implies(s) for t in reduced)]
    seats.sort(key=lambda s: s.sort_key)
    cutoffs = [n.cutoff for n in needs if n.cutoff is not None]
    places: dict[frozenset[str], int] = {}
    for n in needs:
        if n.experts:
            q = frozenset([n.value]) if n.value is not None else frozenset()
            places[q] = max(places.get(q, 0), n.experts)
    expert_seats = tuple(sorted(places.items(), key=lambda qc: sorted(qc[0])))
    return VisitRule(
        officers=max(max(n.officers for n in needs), len(seats)),
        experts=sum(places.values()),
        quals_all=quals_all,
        regions_out=frozenset(n.region for n in needs if n.region is not None),
        seats=tuple(seats),
        expert_seats=expert_seats,
        cutoff=min(cutoffs) if cutoffs else None,
    )
