"""Why a staffing is impossible, in words: the messages of ``assign``'s InfeasibleError.

Two kinds (docs/spec.md §8.9):

* a **visit** that no team can staff, whatever the capacities: the message names the target, its
  values in the columns the rules read, its tasks, how many people are eligible against how
  many are required, and where the others went: inactive, not qualified, from the target's
  region, barred by a declared conflict, a recusal request or rotation (each person counted
  once, under the first reason in that order), plus any seat nobody can fill;
* **capacities** that cannot take every visit: the breadth-first search from the first seat left
  empty reached a set of seats whose every candidate is already full (a violation of Hall's
  condition, Hall 1935). The message names those visits and the people whose capacities bind.
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np
import numpy.typing as npt

from ..plan.plan import Plan
from .exclusions import CONFLICT, REQUEST, ROTATION, Exclusions
from .pool_staffing import Staffed
from .pools import Pool
from .rule_groups import ColumnCodes
from .team_seats import Seat, VisitRule
from .visits import Visits

__all__ = ["explain_capacity", "explain_visit"]

_SHOW = 5


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:_SHOW])
    return shown + (f" and {len(items) - _SHOW} more" if len(items) > _SHOW else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def explain_visit(
    pool: Pool,
    v: int,
    rule: VisitRule,
    visits: Visits,
    excl: Exclusions,
    cols: ColumnCodes,
    plan: Plan,
) -> str:
    """Why visit ``v`` cannot be staffed from ``pool`` (see the module docstring)."""
    role = "expert" if pool.expert else "officer"
    need, quals, regions, seats = _filter(pool, rule)
    eligible, parts = _eligible(pool, v, excl, quals, regions)
    msg = (
        f"target {visits.ids[v].decode('utf-8')!r} ({_where(v, visits, cols, plan)}): "
        f"{_plural(int(eligible.sum()), 'eligible ' + role)}, {need} required"
    )
    if parts:
        msg += f"; of {_plural(len(pool), role)}: " + ", ".join(parts)
    seat_notes = _seat_notes(pool, role, eligible, quals, regions, seats)
    if seat_notes:
        msg += "; " + "; ".join(seat_notes)
    elif int(eligible.sum()) >= need:
        msg += "; the seats (" + ", ".join(s.describe() for s, _ in seats) + ") cannot all go to "
        msg += f"different {role}s"
    return msg


def _where(v: int, visits: Visits, cols: ColumnCodes, plan: Plan) -> str:
    """The visit's values in the columns the rules read, and its tasks."""
    tasks = [plan.tasks[t].name for t in visits.tasks_of(v)]
    values = []
    for name, (codes, labels) in sorted(cols.items()):
        c = int(codes[v])
        values.append(f"{name} {labels[c] if c >= 0 else '(missing)'}")
    return "; ".join(x for x in (", ".join(values), "tasks " + ", ".join(tasks)) if x)


def _filter(
    pool: Pool, rule: VisitRule
) -> tuple[int, frozenset[str], frozenset[str], list[tuple[Seat, int]]]:
    """The pool's part of a rule: people required, the filter everyone passes (qualifications,
    regions excluded) and the seats of their own, with their places."""
    seats: list[tuple[Seat, int]] = []  # (seat, places)
    regions: frozenset[str] = frozenset()
    if pool.expert:
        # one requirement is the whole filter; several are seats of their own (§8.2)
        need, quals = rule.experts, frozenset[str]()
        if len(rule.expert_seats) == 1:
            quals = rule.expert_seats[0][0]
        else:
            seats = [(Seat(None, q), c) for q, c in rule.expert_seats]
    else:
        need, quals, regions = rule.officers, rule.quals_all, rule.regions_out
        seats = [(seat, 1) for seat in rule.seats]
    return need, quals, regions, seats


def _eligible(
    pool: Pool, v: int, excl: Exclusions, quals: frozenset[str], regions: frozenset[str]
) -> tuple[npt.NDArray[np.bool_], list[str]]:
    """Who may sit on visit ``v`` under the filter, and where the others went (each person
    counted once, under the first reason: inactive, not qualified, region, conflict,
    request, rotation)."""
    active = pool.active
    qual = pool.mask(quals, frozenset(), None)
    base = pool.mask(quals, regions, None)
    mine = excl.visit == v
    bits = np.zeros(len(pool), np.int64)
    pos = pool.pos[excl.row[mine]]
    keep = pos >= 0
    bits[pos[keep]] = excl.reason[mine][keep]
    conflict = base & ((bits & CONFLICT) != 0)
    request = base & ~conflict & ((bits & REQUEST) != 0)
    rotation = base & ~conflict & ~request & ((bits & ROTATION) != 0)
    parts: list[str] = []
    for count, what in (
        (int((~active).sum()), "inactive"),
        (int((active & ~qual).sum()), f"not qualified for {', '.join(sorted(quals))}"),
        (int((qual & ~base).sum()), f"from the target's region ({', '.join(sorted(regions))})"),
        (int(conflict.sum()), "excluded by declared conflicts"),
        (int(request.sum()), "by recusal requests"),
        (int(rotation.sum()), "by rotation"),
    ):
        if count:
            parts.append(f"{count} {what}")
    return base & (bits == 0), parts


def _seat_notes(
    pool: Pool,
    role: str,
    eligible: npt.NDArray[np.bool_],
    quals: frozenset[str],
    regions: frozenset[str],
    seats: list[tuple[Seat, int]],
) -> list[str]:
    """The seats that too few of the eligible people can fill, with a hint for a unit that
    the inspector registry does not have."""
    notes = []
    for seat, places in seats:
        m = eligible & pool.mask(quals | seat.quals, regions, seat.unit)
        k = int(m.sum())
        if k == 0:
            notes.append(f"no eligible {role} for the seat '{seat.describe()}'")
            units = sorted(set(pool.ins.unit.tolist()) - {""})
            if seat.unit is not None and seat.unit not in units:
                near = difflib.get_close_matches(seat.unit, units, 1, 0.5)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                notes[-1] += (
                    f" ({seat.unit!r} is no unit of the inspector registry{hint} "
                    "fix the task's departments)"
                )
        elif k < places:
            notes.append(
                f"{_plural(k, 'eligible ' + role)} for the seat '{seat.describe()}', "
                f"{places} required"
            )
    return notes


def explain_capacity(pool: Pool, s: Staffed, visits: Visits) -> str:
    """The visits and people of a capacity (Hall) violation; see the module docstring."""
    role = "expert" if pool.expert else "officer"
    st = s.outcome.staffing
    seats = st.blocked_seats
    pos = np.unique(s.problem.slot_visit[st.seat_slot[seats]])
    targets = sorted(visits.ids[s.order[pos]].tolist())
    people = st.blocked_people
    ids: list[Any] = pool.ins.id_bytes[pool.rows[people]].tolist()
    caps = s.outcome.caps[people].tolist()
    named = sorted(f"{i.decode('utf-8')} (capacity {c})" for i, c in zip(ids, caps))
    holders = st.seat_person[seats]
    teammates = int((~np.isin(holders, people) & (holders >= 0)).sum())
    also = f", and by the {teammates} teammates already on them" if teammates else ""
    listed = _listing([t.decode("utf-8") for t in targets])
    return (
        f"capacity: {_plural(int(seats.size), role + ' place')} on "
        f"{_plural(len(targets), 'visit')} (targets {listed}) can only be filled by "
        f"{_plural(len(named), role)} whose capacities are all taken ({_listing(named)}){also}; "
        f"one place stays empty. Raise those capacities, add {role}s able to take these "
        "visits, or relax the team rules"
    )
