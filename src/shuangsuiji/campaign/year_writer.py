"""The year's records as the writer builds them (docs/spec.md §11.5–11.6): the first
commitment's ``prior`` member (prior-year logs, verified before use), a later batch's ``batch``
body, and a ``directed`` check's body. Each function checks everything and raises InputError
naming the culprit before anything is written.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .._util.times import day_of, parse_date
from ..errors import InputError
from ..plan.plan import Plan, as_plan
from ..randomness.declared import Randomness
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from . import record_bodies as B
from .assign_step import assignment_inputs
from .commitment import registry_entry
from .history import batch_burden, batch_strata, burden_body, inspections_before, record_day
from .state import CampaignState, batch_plan_problem, read_state
from .verify import load, verify

__all__ = ["batch_body", "batch_plan", "directed_body", "prior_member", "reason_of"]


# -- prior years -------------------------------------------------------------------------------
def _prior_entry(item: Any, i: int) -> tuple[str | os.PathLike[str], Any, Any]:
    if isinstance(item, Mapping):
        item = (item.get("log"), item.get("targets"), item.get("inspectors"))
    if isinstance(item, (str, bytes)) or not isinstance(item, Sequence) or len(item) != 3:
        raise InputError(
            f"prior[{i}]: expected (log path, targets, inspectors), got {item!r}"
        )
    return item[0], item[1], item[2]


def prior_member(prior: Iterable[Any]) -> dict[str, Any]:
    """The commitment's ``prior`` member from ``[(log path, targets, inspectors), ...]``
    (docs/spec.md §11.5): each log is verified with :func:`verify` against its registries
    first, and refused (InputError with the report) unless it passes. ``logs`` lists each
    log's Merkle root, size and first day; ``inspections`` every inspection the logs hold, as
    sorted ``[id, day, kind]`` (kind ``random``, ``directed`` or, for their own prior years,
    ``prior``)."""
    logs: list[dict[str, Any]] = []
    rows: list[list[str]] = []
    for i, item in enumerate(prior):
        path, targets, inspectors = _prior_entry(item, i)
        report = verify(path, targets, inspectors)
        if not report.ok:
            raise InputError(
                f"prior[{i}]: the prior-year log {os.fspath(path)!r} does not verify, so its "
                f"inspections cannot be history:\n{report.text()}"
            )
        state = read_state(load(path).records)
        first = record_day(state, 0)
        assert first is not None  # verify checked every time
        logs.append({"root": report.summary["root"], "size": report.summary["records"],
                     "first_day": first.isoformat()})
        rows += [[x.id, x.day.isoformat(), x.kind] for x in inspections_before(state, state.size)]
    return {"logs": logs, "inspections": sorted(rows)}


# -- a later batch -----------------------------------------------------------------------------
def batch_plan(plan: Plan | Mapping[str, Any], state: CampaignState) -> Plan:
    """The plan of a later batch, checked (docs/spec.md §11.5): a plan dict without
    ``publication`` takes the year's; no ``year`` key; departments among the year's."""
    year = state.plan
    assert year is not None
    if isinstance(plan, Mapping) and "publication" not in plan:
        plan = {**plan, "publication": year.publication.to_dict()}
    p = as_plan(plan)
    problem = batch_plan_problem(p, year)
    if problem is not None:
        raise InputError(f"commit_batch: batch {len(state.batches) + 1}'s plan: {problem}")
    return p


def batch_body(
    state: CampaignState,
    plan: Plan,
    targets: Targets,
    inspectors: Inspectors,
    randomness: Randomness,
    history: Iterable[Any],
    recusals: Iterable[Any],
    t: _dt.datetime,
) -> dict[str, Any]:
    """The ``batch`` record's body for batch k >= 2, committed at ``t`` (docs/spec.md §11.5):
    its π summary and burden follow from the year rules, ``plan``, ``targets`` and the history
    of every record so far; computing them validates the plan against the data."""
    assert state.plan is not None
    day = day_of(t, state.plan.publication.tz)
    burden = batch_burden(state, plan, targets, state.size, day)
    strata = batch_strata(plan, targets, burden)
    return {
        "batch": len(state.batches) + 1,
        "plan": plan.to_dict(),
        "targets": registry_entry(targets),
        "inspectors": registry_entry(inspectors),
        "randomness": randomness.to_dict(),
        "inclusion_probabilities": B.strata_body(strata, drawn=False),
        "assignment_inputs": assignment_inputs(history, recusals),
        "burden": burden_body(burden, plan, targets),
    }


# -- directed checks ---------------------------------------------------------------------------
def reason_of(reason: Any) -> str:
    """A directed check's reason as the log stores it (one of
    :data:`~.record_bodies.DIRECTED_REASONS`; English aliases accepted)."""
    if isinstance(reason, str):
        r = B.REASON_ALIASES.get(reason.strip().lower(), reason.strip())
        if r in B.DIRECTED_REASONS:
            return r
    raise InputError(
        f"record_directed: reason {reason!r} is not one of {list(B.DIRECTED_REASONS)} (or "
        f"{list(B.REASON_ALIASES)})"
    )


def directed_body(
    state: CampaignState,
    targets: Targets | None,
    target_id: Any,
    reason: Any,
    source: Any,
    department: Any,
    date: Any,
    t: _dt.datetime,
) -> dict[str, Any]:
    """The ``directed`` record's body (docs/spec.md §11.6), checked: the target is in the
    latest batch's target registry, the department one of the year's (when it lists them), the
    date a day not after the record's."""
    assert state.plan is not None
    if state.version == 1:
        raise InputError(
            f"record_directed: this log is format {B.FORMAT_1!r}, which has no directed checks; "
            "start the year's log with this library version"
        )
    if isinstance(target_id, bool) or not isinstance(target_id, (str, int)):
        raise InputError(f"record_directed: target ID {target_id!r} is not text or a number")
    tid = str(target_id)
    if targets is None:
        raise InputError(
            "record_directed needs the latest batch's target registry: open the campaign "
            "with Campaign.open(path, targets, inspectors)"
        )
    try:
        targets.index_of(tid)
    except (InputError, KeyError):
        raise InputError(
            f"record_directed: target {tid!r} is not in the target registry of batch "
            f"{len(state.batches)}; a directed check is of a registered enterprise"
        ) from None
    if not isinstance(source, str) or not source.strip():
        raise InputError(f"record_directed: source {source!r} is not text (e.g. a case number)")
    return {
        "id": tid,
        "reason": reason_of(reason),
        "source": source,
        "department": _department(state, department),
        "date": _date(date, day_of(t, state.plan.publication.tz)),
    }


def _department(state: CampaignState, department: Any) -> str | None:
    rules = None if state.plan is None else state.plan.year
    known = () if rules is None else rules.departments
    if department is None and not known:
        return None
    if not isinstance(department, str) or not department.strip():
        raise InputError(f"record_directed: department {department!r} is not a department's name")
    if known and department not in known:
        raise InputError(
            f"record_directed: department {department!r} is not one of the year's departments "
            f"{list(known)}"
        )
    return department


def _date(date: Any, today: _dt.date) -> str:
    day = parse_date(date, "record_directed: date")
    if day > today:
        raise InputError(
            f"record_directed: date {day.isoformat()} is after the record's day "
            f"({today.isoformat()}); record a check once it was made"
        )
    return day.isoformat()
