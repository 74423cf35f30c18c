"""The units of a task grouped for π: by cell and weight (docs/spec.md §5 step 3, §11.4).

Under risk weights a unit's weight is its class weight (units of one class share it, so they
are kept as one group per cell) or its value in a numeric column (unit by unit). Without risk
weights every unit of a cell is alike (one group). A batch's burden (:mod:`.burden`) multiplies
each weight by the unit's factor, of which there are only a few distinct values, so grouping
survives: a group becomes (class, factor level), plus one group of the units drawn with
certainty in addition to the cell's size.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ..plan.plan import Task
from ..registry.targets import Targets
from .burden import Burden
from .strata import Cells, class_groups, unit_weights

__all__ = ["Groups", "unit_groups"]


class Groups(NamedTuple):
    """A task's units grouped for π: ``group[i]`` is unit i's entry ``cell * ngroup + g``;
    ``counts`` the units per entry and ``values`` each group's weight (grouped), or
    ``w_units`` each unit's weight (a numeric weight column); ``caps`` per cell, the units that
    can be drawn at random (positive weight, not certain). ``certain`` marks the groups
    (grouped) or the units (``w_units``) drawn with certainty under the burden."""

    group: npt.NDArray[np.intp]
    ngroup: int
    caps: list[int]
    counts: npt.NDArray[np.intp] | None = None
    values: npt.NDArray[np.float64] | None = None
    w_units: npt.NDArray[np.float64] | None = None
    certain: npt.NDArray[np.bool_] | None = None


def unit_groups(
    task: Task, targets: Targets, cells: Cells, pips_mode: bool, burden: Burden | None
) -> Groups:
    """Units grouped by cell and, under class weights, by the weight of their class; with a
    burden that moves weights (spread or coverage), by their factor too (spec §11.4)."""
    if pips_mode and burden is not None and burden.pips:
        return _burdened(task, targets, cells, burden)
    ncell = len(cells)
    risk = task.risk
    if pips_mode and risk is not None and risk.mode == "weights":
        group, values, count = class_groups(
            task, targets, cells, "risk.weights", dict(risk.weights)
        )
        ngroup = values.size
        caps = count.reshape(ncell, ngroup)[:, values > 0].sum(axis=1).tolist()
        return Groups(group, ngroup, caps, count, values)
    if pips_mode:
        w_units = unit_weights(task, targets, cells.rows)
        caps = np.bincount(cells.code, weights=w_units > 0, minlength=ncell).astype(int).tolist()
        return Groups(cells.code, 1, caps, w_units=w_units)
    return Groups(cells.code, 1, cells.counts.tolist(), cells.counts)


def _burdened(task: Task, targets: Targets, cells: Cells, burden: Burden) -> Groups:
    """Weights base ⊗ factor (base: the class weight, the weight column, or 1); units with a
    positive base that the burden makes certain apart, with weight 0 for the πps part."""
    ncell = len(cells)
    rows = cells.rows
    risk = task.risk
    certain = burden.certain[rows]
    if risk is not None and risk.mode == "column":
        base = unit_weights(task, targets, rows)
        certain &= base > 0
        w = np.where(certain, 0.0, base * burden.factor[rows])
        caps = np.bincount(cells.code, weights=w > 0, minlength=ncell).astype(int).tolist()
        return Groups(cells.code, 1, caps, w_units=w, certain=certain)
    if risk is not None and risk.mode == "weights":
        group, base_values, _ = class_groups(
            task, targets, cells, "risk.weights", dict(risk.weights)
        )
    else:  # no risk weights, or class rates: base 1
        group, base_values = cells.code, np.ones(1)
    k = burden.levels.size
    # sub-group: the unit's factor level, or k for the certain
    sub = np.where(certain, np.uint8(k), burden.level[rows])
    unit = group * (k + 1)
    unit += sub
    values = (base_values[:, None] * np.append(burden.levels, 0.0)[None, :]).reshape(-1)
    cert_cols = np.zeros((base_values.size, k + 1), bool)
    cert_cols[:, k] = base_values > 0
    ngroup = values.size
    counts = np.bincount(unit, minlength=ncell * ngroup).astype(np.intp)
    caps = counts.reshape(ncell, ngroup)[:, values > 0].sum(axis=1).tolist()
    return Groups(unit, ngroup, caps, counts, values, certain=cert_cols.reshape(-1))
