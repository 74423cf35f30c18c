"""One task's draw, once the seed exists (docs/spec.md §6.2–6.5).

The seed decides, per cell, the random-rounding coin and the systematic start
(:mod:`.seed_values`), and per unit its PRN in the task's namespace. Units of the cells that are
not left alone are put in (cell, PRN, ID) order (:mod:`.unit_order`) while their PRNs are
hashed; SRS and census cells take their first n places, πps cells the places the systematic
points hit (:mod:`.systematic_pass`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..randomness.prn import Rows, Sink, prn_key, siphash24, siphash24_chunks
from ..randomness.seed import Seed
from ..registry.targets import Targets
from .cell_sizes import size_values
from .seed_values import larger_sizes, starts
from .systematic_pass import systematic_places
from .task_design import TaskDesign
from .unit_order import order_units
from .units import MemberIds

__all__ = ["draw_task"]


class _Prns:
    """PRNs of the units of a draw (registry rows ``rows``, or every row when None)."""

    def __init__(self, seed: Seed, ns: str, targets: Targets, rows: npt.NDArray[np.intp] | None):
        self.key = prn_key(seed.value, ns)
        self.ids = targets.id_bytes
        self.rows = rows

    def into(self, sink: Sink) -> None:
        rows = self.rows
        if rows is None:
            siphash24_chunks(self.key, self.ids, sink)
        elif rows.size > self.ids.shape[0] // 2:
            # hashing every ID beats gathering most of them first
            where = np.full(self.ids.shape[0], -1, np.intp)
            where[rows] = np.arange(rows.size)

            def some(r: Rows, h: npt.NDArray[np.uint64]) -> None:
                p = where[r]
                keep = p >= 0
                sink(p[keep], h[keep])

            siphash24_chunks(self.key, self.ids, some)
        else:
            siphash24_chunks(self.key, self.ids[rows], sink)

    def at(self, pos: npt.NDArray[np.intp]) -> npt.NDArray[np.uint64]:
        return siphash24(self.key, self.ids[pos if self.rows is None else self.rows[pos]])


def _ranges(first: npt.NDArray[np.intp], length: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """Concatenated ``arange(first[i], first[i] + length[i])``."""
    total = int(length.sum())
    out = np.arange(total, dtype=np.intp)
    out += np.repeat(first - (np.cumsum(length) - length), length)
    return out


def draw_task(
    td: TaskDesign, targets: Targets, seed: Seed
) -> tuple[
    npt.NDArray[np.intp],
    npt.NDArray[np.intp],
    npt.NDArray[np.float64],
    npt.NDArray[np.uint64],
    npt.NDArray[np.intp],
]:
    """The drawn units of one task in output order: rows, cells, π, PRNs; and drawn per cell."""
    cells, units, specs = td.cells, td.units, td.specs
    ns = td.task.prn_namespace
    ncell, ngroup = len(cells), units.ngroup
    sv = size_values(list(specs))
    methods = np.array([c.method for c in specs])
    high = larger_sizes(specs, np.flatnonzero(~sv["fixed"] & (methods != "none")), seed.value, ns)
    n = np.where(methods == "none", 0, np.where(high, sv["high"], sv["low"])).astype(np.intp)
    start = starts(specs, np.flatnonzero(methods == "pips"), seed.value, ns)
    live = methods != "none"
    # units that can be drawn: every unit of a cell that is not left alone
    act: npt.NDArray[np.intp] | None = None
    if not live.all():
        act = np.flatnonzero(live[cells.code])
    rows = cells.rows if act is None else cells.rows[act]
    prns = _Prns(seed, ns, targets, None if act is None and cells.all_rows else rows)
    group = units.group if act is None else units.group[act]
    sizes = np.where(live, cells.counts, 0)
    ids = targets.id_bytes if prns.rows is None else MemberIds(targets.id_bytes, rows)
    order = order_units(prns, rows.size, group, ngroup, ncell, ids, sizes)
    first = np.cumsum(sizes) - sizes  # each cell's first place in the order
    pips = methods == "pips"
    if pips.any():
        places = systematic_places(td, order, act, high, start)
    else:
        # SRS: each cell's first n places; census: all of them (n = population)
        places = _ranges(first, n)
    pos = order.positions(places)
    cell = np.searchsorted(np.cumsum(sizes), places, side="right").astype(np.intp)
    drawn = np.bincount(cell, minlength=ncell).astype(np.intp)
    bad = np.flatnonzero(drawn != n)
    if bad.size:  # pragma: no cover - guarded by quantize's exact total
        c = int(bad[0])
        raise ArithmeticError(f"cell {cells.labels[c]!r}: drew {drawn[c]}, expected {n[c]}")
    epos = pos if act is None else act[pos]
    return rows[pos], cell, units.pi_at(epos), prns.at(pos), drawn
