"""The year's history as the log holds it, and what a batch draws and assigns from it
(docs/spec.md §11.5, §11.7). Shared by the writer and the checker, so both compute the same.

- :func:`inspections_before`: every inspection the log holds before a record: prior years'
  (committed in the first commitment), random visits (one per batch and drawn target, on the
  day of the batch's seed record) and directed checks (on their date).
- :func:`batch_burden`: the burden of a batch (eligibility, weights, spec §11.4) from that
  history (:func:`shuangsuiji.sampling.burden.burden_of`); :func:`batch_strata` and
  :func:`batch_draw` pass it to the engine.
- :func:`batch_assign`: ``assign`` for a batch, with the rotation history (the committed
  inputs and this year's teams) and the officers' remaining yearly visits (``officer_cap``).

Everything here is a function of the log's records and the batch's registries; no clock, no
side input.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np

from .._util.times import day_of
from ..errors import InputError
from ..plan.plan import Plan
from ..randomness.seed import Seed
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from ..sampling.burden import Burden, Inspection, burden_of
from ..sampling.engine import draw, stratum_summaries
from ..sampling.selection import Selection, StratumSummary
from .assign_step import run_assign
from .state import Batch, CampaignState

__all__ = [
    "batch_assign",
    "batch_burden",
    "batch_day",
    "batch_draw",
    "batch_strata",
    "burden_body",
    "horizon",
    "inspections_before",
    "officer_load",
    "random_inspections",
    "record_day",
    "rotation_history",
    "year_inspectors",
]

def _tz(state: CampaignState) -> _dt.tzinfo | None:
    return None if state.plan is None else state.plan.publication.tz


def record_day(state: CampaignState, seq: int | None) -> _dt.date | None:
    """The day of record ``seq`` in the publication time zone (None: no seq, or no readable
    time: the time check reports that)."""
    if seq is None:
        return None
    m = state.time_of(seq)
    return None if m is None else day_of(m, _tz(state))


def batch_day(state: CampaignState, batch: Batch) -> _dt.date | None:
    """The batch day: the day of the record that committed the batch (spec §11.4)."""
    return record_day(state, batch.seq)


def horizon(state: CampaignState) -> _dt.date | None:
    """The first day the history covers: the earliest prior-year log's first day, else the
    first batch's day (spec §11.4)."""
    first = batch_day(state, state.batches[0]) if state.batches else None
    prior = (state.commitment or {}).get("prior") or {}
    days = [_dt.date.fromisoformat(p["first_day"]) for p in prior.get("logs", [])]
    return min(days, default=first)


def random_inspections(state: CampaignState, batch: Batch) -> list[Inspection]:
    """The random visits of a revealed ``batch``: one per drawn target, on its seed's day,
    by the departments of the tasks that drew it."""
    key = (batch.seed_seq, batch.selection_seq, len(batch.drawn_by_id))
    if batch.visits is not None and batch.visits[0] == key:
        cached: list[Inspection] = batch.visits[1]
        return cached
    day = record_day(state, batch.seed_seq)
    if day is None or batch.plan is None:
        return []
    tasks = {t.name: t for t in batch.plan.tasks}
    out = []
    for tid, names in batch.drawn_by_id.items():
        deps = sorted({d for n in names if n in tasks for d in tasks[n].departments})
        out.append(Inspection(tid, day, tuple(deps), "random"))
    batch.visits = (key, out)
    return out


def inspections_before(state: CampaignState, seq: int) -> list[Inspection]:
    """Every inspection the log holds in records before ``seq`` (spec §11.7), sorted by
    (day, id, kind, departments): prior years', this year's random visits (batches whose
    selection is before ``seq``) and directed checks."""
    out: list[Inspection] = []
    prior = (state.commitment or {}).get("prior") or {}
    for tid, day, _kind in prior.get("inspections", []):
        out.append(Inspection(tid, _dt.date.fromisoformat(day), (), "prior"))
    for b in state.batches:
        if b.selection_seq is not None and b.selection_seq < seq:
            out.extend(random_inspections(state, b))
    for dseq, body in state.directed.items():
        if dseq < seq:
            deps = () if body["department"] is None else (body["department"],)
            out.append(Inspection(body["id"], _dt.date.fromisoformat(body["date"]), deps,
                                  "directed"))
    return sorted(out, key=lambda i: (i.day, i.id, i.kind, i.departments))


# -- the draw of a batch ---------------------------------------------------------------------
def batch_burden(
    state: CampaignState, plan: Plan, targets: Targets, seq: int, day: _dt.date | None
) -> Burden | None:
    """The burden of the batch committed at record ``seq`` on ``day`` (spec §11.4):
    ``burden_of(state.plan.year, plan, targets, inspections_before(state, seq), day,
    horizon(state))`` when the year has rules.

    None when the year has no rules (or the batch day cannot be read: the time check reports
    that): the batch is then drawn as a single campaign is."""
    rules = None if state.plan is None else state.plan.year
    if rules is None or day is None:
        return None
    start = horizon(state) or day
    return burden_of(rules, plan, targets, inspections_before(state, seq), day, min(start, day))


def burden_body(burden: Burden | None, plan: Plan, targets: Targets) -> Any:
    """The ``burden`` member of a ``batch`` record: the burden's per-task counts (eligible,
    capped, spared, overdue, certain), or null when no burden applies (see
    :func:`batch_burden`)."""
    return None if burden is None else burden.summary(plan, targets)


def batch_strata(plan: Plan, targets: Targets, burden: Burden | None) -> list[StratumSummary]:
    """The π summary of a batch, before its seed (``stratum_summaries`` with its burden)."""
    return list(stratum_summaries(plan, targets, burden=burden))


def batch_draw(plan: Plan, targets: Targets, seed: Seed, burden: Burden | None) -> Selection:
    """The draw of a batch (``draw`` with its burden)."""
    return draw(plan, targets, seed, burden=burden)


# -- the assignment of a batch ---------------------------------------------------------------
def _in(ids: Iterable[str], known: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    enc = np.array([x.encode("utf-8") for x in ids], dtype="S")
    return np.isin(enc, known) if enc.size else np.zeros(0, bool)


def rotation_history(
    state: CampaignState, batch: Batch, targets: Targets, inspectors: Inspectors
) -> list[list[str]]:
    """The rotation history of ``batch``'s assignment (spec §11.7), as committed rows
    ``[inspector, target, date]``. Batch 1: its committed history, as in format /1. Batch k:
    batch 1's and batch k's committed history, plus every team member of the earlier batches
    on the day of their batch's seed; rows whose inspector or target is not in the batch's
    registries are left out (they bar no one); sorted, duplicates removed."""
    first = state.batches[0].body["assignment_inputs"]["history"]
    if batch.number == 1:
        return list(first)
    rows = {tuple(r) for r in first} | {tuple(r) for r in batch.body["assignment_inputs"][
        "history"]}
    for b in state.batches[: batch.number - 1]:
        day = record_day(state, b.seed_seq)
        cols = (b.assignment or {}).get("rows")
        if day is None or not cols:
            continue
        rows |= {(p, t, day.isoformat()) for p, t in zip(cols["inspector"], cols["id"])}
    ordered = sorted(rows)
    keep = _in((r[0] for r in ordered), inspectors.id_bytes) & _in(
        (r[1] for r in ordered), targets.id_bytes
    )
    return [list(r) for r, k in zip(ordered, keep.tolist()) if k]


def officer_load(state: CampaignState, batch: Batch) -> Counter[str]:
    """Visits per officer (role ``officer``) in the batches before ``batch``."""
    load: Counter[str] = Counter()
    for b in state.batches[: batch.number - 1]:
        cols = (b.assignment or {}).get("rows")
        if not cols:
            continue
        visits = {(p, v) for p, r, v in zip(cols["inspector"], cols["role"], cols["visit"])
                  if r == "officer"}
        load.update(p for p, _v in visits)
    return load


def year_inspectors(state: CampaignState, batch: Batch, inspectors: Inspectors) -> Inspectors:
    """``inspectors`` with each officer's capacity lowered to the visits left in the year
    (``year.officer_cap`` minus :func:`officer_load`; the registry's own capacity when lower).
    Unchanged without an officer cap."""
    rules = None if state.plan is None else state.plan.year
    if rules is None or rules.officer_cap is None:
        return inspectors
    load = officer_load(state, batch)
    left = np.array([max(rules.officer_cap - load.get(i, 0), 0) for i in
                     (x.decode("utf-8") for x in inspectors.id_bytes.tolist())], np.int64)
    cap = np.asarray(inspectors.capacity)
    new = np.where(inspectors.is_expert, cap, np.where(cap < 0, left, np.minimum(cap, left)))
    return attrs.evolve(inspectors, capacity=new)


def batch_assign(
    state: CampaignState,
    batch: Batch,
    plan: Plan,
    selection: Selection,
    targets: Targets,
    inspectors: Inspectors,
    seed: Seed,
) -> Any:
    """``assign`` for ``batch`` (spec §11.7): its committed recusals, :func:`rotation_history`
    and :func:`year_inspectors`. Batch 1 of a year without an officer cap is exactly format
    /1's assignment."""
    committed = batch.body.get("assignment_inputs")
    if not isinstance(committed, Mapping):
        raise InputError("the batch's assignment_inputs is not a mapping")
    inputs: Mapping[str, Any] = committed
    if batch.number > 1:
        inputs = {
            "history": rotation_history(state, batch, targets, inspectors),
            "recusals": committed.get("recusals"),
        }
    staffed = year_inspectors(state, batch, inspectors)
    return run_assign(plan, selection, staffed, seed, inputs)
