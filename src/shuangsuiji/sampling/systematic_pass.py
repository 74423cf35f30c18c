"""The systematic pass of a πps task: every cell's systematic points along one order (spec §6.4).

The definition (:func:`.systematic.systematic`) works one cell at a time. Here the units of all
cells are already in (cell, PRN, ID) order (:mod:`.unit_order`), and one chunked pass along that
order accumulates q and finds the units the points hit, never looping over rows in Python.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .task_design import TaskDesign
from .unit_order import CHUNK, UnitOrder
from .units import Units

__all__ = ["systematic_places"]


def systematic_places(
    td: TaskDesign,
    order: UnitOrder,
    act: npt.NDArray[np.intp] | None,
    high: npt.NDArray[np.bool_],
    start: npt.NDArray[np.uint64],
) -> npt.NDArray[np.intp]:
    """Places (in draw order) of the units a πps task draws: certain ones and those hit by the
    systematic points (spec §6.4), in one chunked pass along the order.

    ``act`` maps the order's positions to eligible positions (None: the same); ``high`` and
    ``start`` are per cell. ``C_{k-1}`` is the cumulative q along the whole order, not restarted
    per cell: each cell's q sum to a multiple of 2**64 (§6.1), which is 0 in wrapping arithmetic.
    """
    cells, units = td.cells, td.units
    q_src, c_src, start_src = _chosen_tables(units, cells.code, high, start)
    certain = bool(c_src.any())
    e_place, e_q = _own_places(td, order, act, high)
    carry = np.uint64(0)
    found = []
    for s in range(0, order.size, CHUNK):
        sl = slice(s, min(s + CHUNK, order.size))
        if units.per_unit:
            epos = order.positions(sl)
            if act is not None:
                epos = act[epos]
            q = q_src[epos]
            t = start_src[cells.code[epos]]
            cert = c_src[epos] if certain else None
        else:
            u = order.units(sl)
            q = q_src[u]
            t = start_src[u]
            cert = c_src[u] if certain else None
            if e_place.size:
                a, b = np.searchsorted(e_place, [sl.start, sl.stop])
                if b > a:
                    q[e_place[a:b] - s] = e_q[a:b]
        c = np.cumsum(q)
        c += carry
        carry = c[-1]
        t -= c
        t += q
        hit = t < q  # (start - C_{k-1}) mod 2**64 < q_k
        if cert is not None:
            hit |= cert
        idx = np.flatnonzero(hit)
        if idx.size:
            found.append(idx + s)
    if carry != 0:  # pragma: no cover - guarded by quantize's exact totals
        raise ArithmeticError("grid values do not sum to whole units; π does not sum to n")
    return np.concatenate(found) if found else np.empty(0, np.intp)


def _chosen_tables(
    units: Units,
    code: npt.NDArray[np.intp],
    high: npt.NDArray[np.bool_],
    start: npt.NDArray[np.uint64],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_], npt.NDArray[np.uint64]]:
    """Per table entry (unit, or cell-group), q and certainty under the size each cell's coin
    chose, and the start: per cell-group, or per cell with per-unit tables (``code`` is each
    unit's cell)."""
    assert units.q_low is not None and units.q_high is not None
    assert units.certain_low is not None and units.certain_high is not None
    start_src = start if units.per_unit else np.repeat(start, units.ngroup)
    if not high.any():
        return units.q_low, units.certain_low, start_src
    hi = high[code] if units.per_unit else np.repeat(high, units.ngroup)
    q_src = np.where(hi, units.q_high, units.q_low)
    c_src = np.where(hi, units.certain_high, units.certain_low)
    return q_src, c_src, start_src


def _own_places(
    td: TaskDesign,
    order: UnitOrder,
    act: npt.NDArray[np.intp] | None,
    high: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.uint64]]:
    """Places in the order of the units whose q is their own, not their group's (deficit
    receivers, spec §6.1), with that q under the chosen size; sorted by place."""
    cells, units = td.cells, td.units
    if units.per_unit or not units.exc_pos.size:
        return np.empty(0, np.intp), np.empty(0, np.uint64)
    e_pos = units.exc_pos
    live = np.array([c.method != "none" for c in td.specs], bool)
    keep = live[cells.code[e_pos]]
    e_pos = e_pos[keep]
    e_act = e_pos if act is None else np.searchsorted(act, e_pos)
    e_high = high[cells.code[e_pos]]
    e_q = np.where(e_high, units.exc_q_high[keep], units.exc_q_low[keep])
    e_place = order.places(e_act, units.group[e_pos])
    o = np.argsort(e_place)
    return e_place[o], e_q[o]
