"""``inclusion_probabilities(plan, targets)`` and ``draw(plan, targets, seed)`` (docs/spec.md §5–6).

For each task: eligible rows (``where``, cool-off) are grouped into cells (strata, plus the risk
class under class rates); each cell gets a size and a design, and from them every unit's π, all
before any seed exists. The seed then decides, per cell, through the PRNs of the task's namespace
and two per-cell values: the random-rounding coin and the systematic start.

Designs per cell: ``census`` (π = 1), ``none`` (π = 0: rate 0, "left alone"), ``srs`` (the n
smallest PRNs; π = E[n]/N) and ``pips`` (systematic πps along PRN order; π = q/2**64).

Every cell of a task is handled at once, never in a Python loop over rows: units of a cell that
share a class weight share π and q, kept once per (cell, group) (:class:`.units.Units`); the
units of all cells are put in (cell, PRN, ID) order by one sort of packed keys
(:mod:`.unit_order`); and one chunked pass along that order selects (SRS: each cell's first n;
πps: the systematic points, :mod:`.systematic_pass`). The results are those of the unit-by-unit
definitions in :mod:`.designs`, bit for bit (docs/performance.md explains the engine,
tests/test_engine.py checks it).

This module holds the entry points; the design before the seed is :mod:`.task_design`, the
draw of one task :mod:`.task_draw`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import InputError
from ..plan.plan import Plan, as_plan
from ..randomness.seed import Seed
from ..registry.fingerprint import id_order
from ..registry.targets import Targets
from .burden import Burden
from .selection import InclusionProbabilities, Selection, StratumSummary
from .task_design import plan_designs
from .task_draw import draw_task

__all__ = ["ALGORITHM", "draw", "inclusion_probabilities", "stratum_summaries"]

ALGORITHM = "shuangsuiji-draw/1"


def stratum_summaries(
    plan: Plan | Mapping[str, Any], targets: Targets, *, burden: Burden | None = None
) -> tuple[StratumSummary, ...]:
    """The per-stratum π summary, as ``inclusion_probabilities(plan, targets).strata``.

    For the commitment and its replay, which publish only the summary: it skips ordering every
    eligible ID, the bulk of the per-unit table's cost at national scale.
    """
    designs = plan_designs(as_plan(plan), targets, burden)
    return tuple(s for td in designs for s in td.summaries())


def inclusion_probabilities(
    plan: Plan | Mapping[str, Any], targets: Targets, *, burden: Burden | None = None
) -> InclusionProbabilities:
    """π of every eligible target under every task: publishable before the seed exists.

    ``burden`` (:func:`.burden.burden_of`) applies a batch's year rules (docs/spec.md §11.4):
    the cap and a factor 0 remove targets, and with a spread or a coverage every non-census
    cell is πps with weight base × factor, certain units at π = 1 in addition to n. Without
    it, the plan is drawn as §5–6 say, whatever year rules it holds.
    """
    p = as_plan(plan)
    designs = plan_designs(p, targets, burden)
    t_idx, strata, id_parts, pis = [], [], [], []
    summaries: list[StratumSummary] = []
    for ti, td in enumerate(designs):
        cells = td.cells
        m = cells.rows.size
        ids = targets.id_bytes if cells.all_rows else targets.id_bytes[cells.rows]
        # by cell, then by ID bytes, so the published table never shows registry row order
        o = id_order(ids)
        small = np.int16 if len(cells) < 1 << 15 else np.int32
        o = o[np.argsort(cells.code[o].astype(small), kind="stable")]
        t_idx.append(np.full(m, ti, np.int32))
        strata.append(
            (np.repeat(np.arange(len(cells)), cells.counts) + len(summaries)).astype(np.int32)
        )
        id_parts.append(ids[o])
        pis.append(td.units.pi_at(o))
        summaries += td.summaries()
    return InclusionProbabilities(
        tasks=tuple(t.name for t in p.tasks),
        task_index=np.concatenate(t_idx) if t_idx else np.empty(0, np.int32),
        stratum_index=np.concatenate(strata) if strata else np.empty(0, np.int32),
        id_bytes=np.concatenate(id_parts) if id_parts else targets.id_bytes[:0],
        pi=np.concatenate(pis) if pis else np.empty(0),
        strata=tuple(summaries),
    )


def draw(
    plan: Plan | Mapping[str, Any], targets: Targets, seed: Seed, *, burden: Burden | None = None
) -> Selection:
    """Draw every task of ``plan`` from ``targets`` with ``seed``: a pure, replayable function.

    The result depends only on (seed, plan, registry contents, and the burden when given: see
    :func:`inclusion_probabilities`): not on row order, platform, thread count or library
    internals (docs/spec.md §6, §11.4).
    """
    p = as_plan(plan)
    if not isinstance(seed, Seed):
        raise InputError(f"seed must be a shuangsuiji.Seed, got {type(seed).__name__}")
    designs = plan_designs(p, targets, burden)
    t_idx, strata, rows, pis, hs = [], [], [], [], []
    summaries: list[StratumSummary] = []
    for ti, td in enumerate(designs):
        r, cell, pi, h, drawn = draw_task(td, targets, seed)
        t_idx.append(np.full(r.size, ti, np.int32))
        strata.append(np.array(td.cells.labels, dtype=object)[cell])
        rows.append(r)
        pis.append(pi)
        hs.append(h)
        summaries += td.summaries(drawn)
    r = np.concatenate(rows) if rows else np.empty(0, np.intp)
    return Selection(
        plan_name=p.name,
        seed_hex=seed.hex,
        algorithm=ALGORITHM,
        tasks=tuple(t.name for t in p.tasks),
        task_index=np.concatenate(t_idx) if t_idx else np.empty(0, np.int32),
        stratum=np.concatenate(strata) if strata else np.empty(0, object),
        ids=np.array(targets.ids(r), dtype=object),
        rows=r,
        pi=np.concatenate(pis) if pis else np.empty(0),
        prn_int=np.concatenate(hs) if hs else np.empty(0, np.uint64),
        strata=tuple(summaries),
        targets=targets,
    )
