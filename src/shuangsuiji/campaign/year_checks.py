"""The checks of the year's directed checks and caps (docs/spec.md §11.8, a step of
:func:`~.verify.verify`): each ``directed`` record names an enterprise in the target registry of
the batch in force (the last committed before it), one of the year's departments (when the year
lists them) and a date not after its own day; a directed check of an enterprise already at the
year's cap is a *warning* (``cap``): allowed by law, but reported. The summary counts batches,
random visits and directed checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from ..plan.year import Cap
from .history import random_inspections, record_day
from .replay import Registries
from .report import Findings
from .state import CampaignState

__all__ = ["check_year"]


class _Counts:
    """Inspections of this year per enterprise (and per enterprise and department)."""

    def __init__(self) -> None:
        self.all: Counter[str] = Counter()
        self.by_department: Counter[tuple[str, str]] = Counter()

    def add(self, tid: str, departments: Sequence[str]) -> None:
        self.all[tid] += 1
        for d in departments:
            self.by_department[(tid, d)] += 1

    def reached(self, cap: Cap, tid: str, department: str | None) -> int | None:
        """The count that puts ``tid`` at the cap (for ``department`` under a per-department
        cap), or None when it is below."""
        n = self.all[tid] if cap.scope == "all" else self.by_department[(tid, department or "")]
        return n if n >= cap.per_year else None


def check_year(
    state: CampaignState, registries: Sequence[Registries], f: Findings, summary: dict[str, Any]
) -> None:
    """Check every directed record and count the year (see the module docstring)."""
    if state.version == 1:
        return
    rules = None if state.plan is None else state.plan.year
    cap = None if rules is None else rules.cap
    counts = _Counts()
    events = sorted(
        [(b.selection_seq, b.number) for b in state.batches if b.selection_seq is not None]
        + [(seq, 0) for seq in state.directed]
    )
    random = 0
    for seq, number in events:
        if number:
            for insp in random_inspections(state, state.batches[number - 1]):
                counts.add(insp.id, insp.departments)
                random += 1
            continue
        body = state.directed[seq]
        _check_directed(state, registries, seq, body, f)
        if cap is not None and cap.directed:
            n = counts.reached(cap, body["id"], body["department"])
            if n is not None:
                where = "" if cap.scope == "all" else f" by {body['department']}"
                f.warning(seq, "cap", f"the directed check of {body['id']!r} comes after {n} "
                                      f"inspection(s){where} this year, at or over the cap of "
                                      f"{cap.per_year}: allowed, and reported")
            counts.add(body["id"], () if body["department"] is None else (body["department"],))
    if len(state.batches) > 1 or state.directed:
        summary["batches"] = len(state.batches)
        summary["inspections"] = {"random": random, "directed": len(state.directed)}


def _check_directed(
    state: CampaignState,
    registries: Sequence[Registries],
    seq: int,
    body: dict[str, Any],
    f: Findings,
) -> None:
    """The directed check at ``seq``: its enterprise, department and date."""
    batch = max((b for b in state.batches if b.seq < seq), key=lambda b: b.number)
    regs = registries[batch.number - 1] if batch.number <= len(registries) else None
    if regs is not None and body["id"] not in regs[0]:
        f.error(seq, "directed", f"the directed check's enterprise {body['id']!r} is not in "
                                 f"the target registry of batch {batch.number}")
    rules = None if state.plan is None else state.plan.year
    known = () if rules is None else rules.departments
    if known and body["department"] not in known:
        f.error(seq, "directed", f"the directed check's department {body['department']!r} is "
                                 f"not one of the year's departments {list(known)}")
    day = record_day(state, seq)
    if day is not None and body["date"] > day.isoformat():
        f.error(seq, "directed", f"the directed check is dated {body['date']}, after its "
                                 f"record's day {day.isoformat()}")
