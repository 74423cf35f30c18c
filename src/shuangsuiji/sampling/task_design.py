"""Each task's design before any seed (docs/spec.md §5–6.1): cells, sizes, designs and π.

For one task: its eligible rows grouped into cells (:mod:`.strata`), the units that can be
drawn per cell (positive weight), each cell's size and design (:mod:`.cell_sizes`), and every
unit's π: E[n]/N for SRS and census cells, capped πps on the 2**-64 grid under risk weights
(:mod:`.pips_design`). The result, :class:`TaskDesign`, is what :func:`.engine.inclusion_probabilities`
publishes and what :func:`.task_draw.draw_task` draws from.
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..plan.plan import Plan, Task
from ..registry.targets import Targets
from .cell_sizes import Cell, cell_methods, cell_sizes, dist_key, size_values
from .pips_design import grouped_pips, unit_pips
from .selection import StratumSummary
from .sizes import decimal_rate
from .strata import Cells, cells_of, class_groups, eligible_rows, unit_weights
from .units import Units

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


class _Groups(NamedTuple):
    """A task's units grouped for π: ``group[i]`` is unit i's entry ``cell * ngroup + g``;
    ``counts`` the units per entry and ``values`` the entries' class weights (class weights),
    ``w_units`` each unit's weight (a numeric weight column); ``caps`` per cell, the units that
    can be drawn (positive weight)."""

    group: npt.NDArray[np.intp]
    ngroup: int
    caps: list[int]
    counts: npt.NDArray[np.intp] | None = None
    values: npt.NDArray[np.float64] | None = None
    w_units: npt.NDArray[np.float64] | None = None


def _is_pips(task: Task) -> bool:
    """Whether the task draws πps: risk weights (by class or a column), unless a census."""
    risk = task.risk
    return (
        risk is not None
        and risk.mode in ("weights", "column")
        and (task.size is None or task.size.mode != "census")
    )


def _groups(task: Task, targets: Targets, cells: Cells, pips_mode: bool) -> _Groups:
    """Units grouped by cell and, under class weights, by the weight of their class."""
    ncell = len(cells)
    risk = task.risk
    if pips_mode and risk is not None and risk.mode == "weights":
        group, values, count = class_groups(
            task, targets, cells, "risk.weights", dict(risk.weights)
        )
        ngroup = values.size
        caps = count.reshape(ncell, ngroup)[:, values > 0].sum(axis=1).tolist()
        return _Groups(group, ngroup, caps, count, values)
    if pips_mode:
        w_units = unit_weights(task, targets, cells.rows)
        caps = np.bincount(cells.code, weights=w_units > 0, minlength=ncell).astype(int).tolist()
        return _Groups(cells.code, 1, caps, w_units=w_units)
    return _Groups(cells.code, 1, cells.counts.tolist(), cells.counts)


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


def design_task(task: Task, targets: Targets, general_max_rate: float) -> TaskDesign:
    """One task's cells, sizes, designs and π (no seed). Raises InputError for data errors."""
    rows = eligible_rows(task, targets)
    cells = cells_of(task, targets, rows)
    ncell = len(cells)
    pips_mode = _is_pips(task)
    g = _groups(task, targets, cells, pips_mode)
    sizes = cell_sizes(task, cells, g.caps)
    pops = cells.counts.tolist()
    methods = cell_methods(sizes, pops, pips_mode)
    specs = [
        Cell(cells.labels[c], pops[c], methods[c], dist, rate)
        for c, (dist, rate) in enumerate(sizes)
    ]
    units: Units
    if not pips_mode:
        units = Units(g.group, 1, False, _srs_pi(specs))
    elif g.w_units is None:
        assert g.counts is not None and g.values is not None
        units = grouped_pips(
            task, targets, cells, g.group, g.values, g.counts.reshape(ncell, g.ngroup), specs
        )
    else:
        units = unit_pips(task, targets, cells, g.w_units, specs)
    pi_min, pi_max = _pi_range(cells, units, g.counts)
    design = TaskDesign(task, int(rows.size), cells, tuple(specs), units, pi_min, pi_max)
    if task.kind == "general" and rows.size:
        _check_general_cap(task, specs, int(rows.size), general_max_rate)
    return design


def plan_designs(plan: Plan, targets: Targets) -> list[TaskDesign]:
    """Every task's cells, sizes and π (no seed). Raises InputError for data-dependent errors."""
    if not isinstance(targets, Targets):
        raise InputError(f"targets must be shuangsuiji.Targets, got {type(targets).__name__}")
    return [design_task(t, targets, plan.general_max_rate) for t in plan.tasks]
