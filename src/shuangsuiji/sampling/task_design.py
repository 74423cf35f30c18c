"""Each task's design before any seed (docs/spec.md §5–6.1): cells, sizes, designs and π.

For one task: its eligible rows grouped into cells (:mod:`.strata`), the units that can be
drawn per cell (positive weight), each cell's size and design (:mod:`.cell_sizes`), and every
unit's π: E[n]/N for SRS and census cells, capped πps on the 2**-64 grid under risk weights
(:mod:`.pips_design`). The result, :class:`TaskDesign`, is what :func:`.engine.inclusion_probabilities`
publishes and what :func:`.task_draw.draw_task` draws from.
"""

from __future__ import annotations

from fractions import Fraction

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..plan.plan import Plan, Task
from ..registry.targets import Targets
from .burden import Burden
from .cell_sizes import Cell, Sizes, cell_methods, cell_sizes, dist_key, size_values
from .pips_design import grouped_pips, unit_pips
from .selection import StratumSummary
from .sizes import SizeDist, decimal_rate
from .strata import Cells, cells_of, eligible_rows
from .units import Units
from .weights import Groups, unit_groups

__all__ = ["TaskDesign", "design_task", "plan_designs"]


@attrs.frozen(eq=False)
class TaskDesign:
    task: Task
    eligible: int
    cells: Cells
    specs: tuple[Cell, ...]
    units: Units
    pi_min: npt.NDArray[np.float64]  # per cell, over units with π > 0 (0 if none)
    pi_max: npt.NDArray[np.float64]

    def summaries(self, drawn: npt.NDArray[np.intp] | None = None) -> list[StratumSummary]:
        name = self.task.name
        lo, hi = self.pi_min.tolist(), self.pi_max.tolist()
        d = [None] * len(self.specs) if drawn is None else drawn.tolist()
        sv = {k: v.tolist() for k, v in size_values(list(self.specs)).items()}
        return [
            StratumSummary(
                task=name,
                stratum=cell.label,
                design=cell.method,
                population=cell.population,
                expected=sv["expected"][c],
                size=(sv["low"][c],) if sv["fixed"][c] else (sv["low"][c], sv["high"][c]),
                pi_min=lo[c],
                pi_max=hi[c],
                rate=cell.rate,
                drawn=d[c],
            )
            for c, cell in enumerate(self.specs)
        ]


def _is_pips(task: Task) -> bool:
    """Whether the task draws πps: risk weights (by class or a column), unless a census."""
    risk = task.risk
    return (
        risk is not None
        and risk.mode in ("weights", "column")
        and (task.size is None or task.size.mode != "census")
    )


def _srs_pi(specs: list[Cell]) -> npt.NDArray[np.float64]:
    """Per cell, π = E[n]/N exactly, rounded once; cells of one size and population share it."""
    seen: dict[tuple[int, ...], float] = {}
    pi = np.zeros(len(specs))
    for c, cell in enumerate(specs):
        if cell.method != "none":
            k = (*dist_key(cell.size), cell.population)
            if k not in seen:
                seen[k] = float(cell.size.expected / cell.population)
            pi[c] = seen[k]
    return pi


def _pi_range(
    cells: Cells, units: Units, count: npt.NDArray[np.intp] | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per cell, the smallest and largest π > 0 (0 when no unit has π > 0)."""
    ncell = len(cells)
    if units.per_unit:
        pi = units.pi[cells.order]
        pos = pi > 0
        lo, hi = np.full(ncell, np.inf), np.full(ncell, -np.inf)
        some = np.flatnonzero(cells.counts > 0)  # reduceat needs non-empty segments
        if some.size:
            lo[some] = np.minimum.reduceat(np.where(pos, pi, np.inf), cells.starts[some])
            hi[some] = np.maximum.reduceat(np.where(pos, pi, -np.inf), cells.starts[some])
    else:
        assert count is not None
        tab = units.pi.reshape(ncell, units.ngroup)
        pos = (tab > 0) & (count.reshape(ncell, units.ngroup) > 0)
        lo = np.where(pos, tab, np.inf).min(axis=1)
        hi = np.where(pos, tab, -np.inf).max(axis=1)
        if units.exc_pos.size:
            c = cells.code[units.exc_pos]
            e = units.exc_pi
            np.minimum.at(lo, c[e > 0], e[e > 0])
            np.maximum.at(hi, c[e > 0], e[e > 0])
    return np.where(np.isfinite(lo), lo, 0.0), np.where(np.isfinite(hi), hi, 0.0)


def _check_general_cap(
    task: Task, specs: list[Cell], eligible: int, general_max_rate: float
) -> None:
    """Refuse a general task whose expected sample exceeds ``general_max_rate`` of its eligible
    targets."""
    expected = sum((c.size.expected for c in specs), Fraction(0))
    # The cap is on the expected rate the data give, which minimums can push past the
    # declared rate; a general task may never exceed it (domain.md: "strictly capped").
    if expected > decimal_rate(general_max_rate) * eligible:
        raise InputError(
            f"task {task.name!r}, key 'size': expected sample {float(expected):.1f} of "
            f"{eligible} eligible targets is a rate of {float(expected) / eligible:.2%}, "
            f"above general_max_rate {general_max_rate:g}; lower the size or the minimum, or use "
            "rounding 'random' (exactly the rate in expectation) or 'round' instead of 'ceil'"
        )


def _certain_counts(task: Task, cells: Cells, g: Groups, sizes: Sizes) -> npt.NDArray[np.intp]:
    """Per cell, the units drawn with certainty in addition to its size (spec §11.4): none in a
    cell the task leaves alone (rate 0, or a per-stratum size of 0)."""
    ncell = len(cells)
    if g.certain is None:
        return np.zeros(ncell, np.intp)
    if g.w_units is not None:
        out = np.bincount(cells.code[g.certain], minlength=ncell).astype(np.intp)
    else:
        assert g.counts is not None
        out = g.counts.reshape(ncell, g.ngroup)[:, g.certain].sum(axis=1).astype(np.intp)
    per_stratum = task.size is not None and task.size.mode == "per_stratum"
    alone = [rate == 0 or (per_stratum and dist.high == 0) for dist, rate in sizes]
    out[np.asarray(alone, bool)] = 0
    return out


def _with_certain(sizes: Sizes, certain: npt.NDArray[np.intp]) -> Sizes:
    """Sizes with each cell's certain units added (they are drawn in addition to n)."""
    if not certain.any():
        return sizes
    return [
        (SizeDist(d.low + c, d.high + c, d.p_high) if c else d, rate)
        for (d, rate), c in zip(sizes, certain.tolist())
    ]


def _pips_units(task: Task, targets: Targets, cells: Cells, g: Groups, specs: list[Cell]) -> Units:
    """π and q of a πps task's units, the burden's certain units at π = 1 (q = 0)."""
    ncell = len(cells)
    live = np.array([c.certain > 0 for c in specs], bool)
    if g.w_units is None:
        assert g.counts is not None and g.values is not None
        certain = None
        if g.certain is not None and live.any():
            certain = g.certain[None, :] & live[:, None]
        return grouped_pips(
            task,
            targets,
            cells,
            g.group,
            g.values,
            g.counts.reshape(ncell, g.ngroup),
            specs,
            certain,
        )
    unit_certain = None
    if g.certain is not None and live.any():
        unit_certain = g.certain & live[cells.code]
    return unit_pips(task, targets, cells, g.w_units, specs, unit_certain)


def _is_census(task: Task) -> bool:
    return task.size is not None and task.size.mode == "census"


def design_task(
    task: Task, targets: Targets, general_max_rate: float, burden: Burden | None = None
) -> TaskDesign:
    """One task's cells, sizes, designs and π (no seed), under a batch's burden if given
    (spec §11.4). Raises InputError for data errors."""
    rows = eligible_rows(task, targets)
    if burden is not None:
        rows = burden.keep(task, rows)
    cells = cells_of(task, targets, rows)
    pips_mode = _is_pips(task) or (burden is not None and burden.pips and not _is_census(task))
    g = unit_groups(task, targets, cells, pips_mode, burden)
    sizes = cell_sizes(task, cells, g.caps)
    certain = _certain_counts(task, cells, g, sizes)
    sizes = _with_certain(sizes, certain)
    pops = cells.counts.tolist()
    methods = cell_methods(sizes, pops, pips_mode)
    cert = certain.tolist()
    specs = [
        Cell(cells.labels[c], pops[c], methods[c], dist, rate, cert[c])
        for c, (dist, rate) in enumerate(sizes)
    ]
    units: Units
    if not pips_mode:
        units = Units(g.group, 1, False, _srs_pi(specs))
    else:
        units = _pips_units(task, targets, cells, g, specs)
    pi_min, pi_max = _pi_range(cells, units, g.counts)
    design = TaskDesign(task, int(rows.size), cells, tuple(specs), units, pi_min, pi_max)
    if task.kind == "general" and rows.size:
        _check_general_cap(task, specs, int(rows.size), general_max_rate)
    return design


def plan_designs(plan: Plan, targets: Targets, burden: Burden | None = None) -> list[TaskDesign]:
    """Every task's cells, sizes and π (no seed), under a batch's burden if given. Raises
    InputError for data-dependent errors, and for a burden of another snapshot or year."""
    if not isinstance(targets, Targets):
        raise InputError(f"targets must be shuangsuiji.Targets, got {type(targets).__name__}")
    if burden is not None:
        _check_burden(plan, targets, burden)
    return [design_task(t, targets, plan.general_max_rate, burden) for t in plan.tasks]


def _check_burden(plan: Plan, targets: Targets, burden: Burden) -> None:
    if not isinstance(burden, Burden):
        raise InputError(f"burden must be a Burden (burden_of), got {type(burden).__name__}")
    same = burden.id_bytes is targets.id_bytes or (
        burden.id_bytes.shape == targets.id_bytes.shape
        and bool(np.array_equal(burden.id_bytes, targets.id_bytes))
    )
    if not same:
        raise InputError(
            "burden: computed for another registry snapshot (its IDs are not these targets' "
            "IDs in this order); compute it with burden_of from these targets"
        )
    if plan.year is not None and plan.year != burden.rules:
        raise InputError("burden: computed under other year rules than the plan's 'year'")
