"""π and grid values q of a πps task's units, every cell at once (docs/spec.md §6.1, §6.4).

Under risk weights each cell's π is Tillé's capped πps (:mod:`.capping`) and q its value on the
2**-64 grid (:mod:`.grid`), under the smaller and, with random rounding, the larger size; the
stated π mixes the two. With class weights (:func:`grouped_pips`) units of one (cell, group)
share π and q; with a numeric weight column (:func:`unit_pips`) they are computed unit by unit.
Each cell's grid deficit goes to the free unit with the largest q, ties to the smallest ID.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..plan.plan import Task
from ..registry.targets import Targets
from .capping import CellError, pips_table, pips_units
from .cell_sizes import Cell, size_values
from .grid import GRID, absorbs_table, quantize, quantize_table, quantize_units
from .strata import Cells
from .ties import lexmin_segments
from .unit_order import CHUNK
from .units import MemberIds, Units

__all__ = ["grouped_pips", "unit_pips"]

# per size ("low", "high"): the eligible positions of units whose q is their own, and those q
_Own = tuple[list[npt.NDArray[np.intp]], list[npt.NDArray[np.uint64]]]


def _stated(q: npt.NDArray[np.uint64], certain: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """π as stated: 1 for certain units, else q / 2**64 (spec §6.1)."""
    return np.where(certain, 1.0, q.astype(np.float64) / float(GRID))


def _mix(
    pi_low: npt.NDArray[np.float64],
    pi_high: npt.NDArray[np.float64],
    f: npt.NDArray[np.float64],
    fixed: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float64]:
    """π under random rounding: (1 - f)·π(n_lo) + f·π(n_lo + 1); π(n_lo) for fixed sizes."""
    return np.where(fixed, pi_low, (1.0 - f) * pi_low + f * pi_high)


def _receivers(
    targets: Targets, cells: Cells, group: npt.NDArray[np.intp], candidates: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Cells with candidate groups, and in each the eligible position of the candidate unit with
    the smallest ID (spec §6.1: the deficit goes to the largest q, ties to the smallest ID)."""
    if not candidates.any():
        return np.empty(0, np.intp), np.empty(0, np.intp)
    table = candidates.reshape(-1)
    pos = np.concatenate(
        [np.flatnonzero(table[group[s : s + CHUNK]]) + s for s in range(0, group.size, CHUNK)]
    )
    cell, at = lexmin_segments(targets.id_bytes, cells.rows[pos], cells.code[pos])
    return cell, pos[at]


def _risk_designs(
    task: Task,
    cells: Cells,
    specs: list[Cell],
    sv: Mapping[str, npt.NDArray[Any]],
    pips: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float64]],
) -> Iterator[tuple[str, npt.NDArray[np.int64], npt.NDArray[np.float64]]]:
    """``(which, n, π)`` under the low, then the high size of every cell (``pips(n)``).

    Cells of other methods get n = 0, as do fixed-size cells under the high size (they have no
    second design). The units a burden makes certain are not part of n (spec §11.4: they are
    drawn in addition). A :class:`.capping.CellError` becomes an InputError naming the stratum.
    """
    fixed = sv["fixed"]
    is_pips = np.array([c.method == "pips" for c in specs], bool)
    extra = np.array([c.certain for c in specs], np.int64)
    for which in ("low", "high"):
        n = np.where(is_pips & (~fixed if which == "high" else True), sv[which] - extra, 0)
        try:
            pi = pips(n)
        except CellError as exc:
            raise InputError(
                f"task {task.name!r}, key 'risk', stratum {cells.labels[exc.cell]!r}: {exc}"
            ) from None
        yield which, n, pi


def grouped_pips(
    task: Task,
    targets: Targets,
    cells: Cells,
    group: npt.NDArray[np.intp],
    w: npt.NDArray[np.float64],
    count: npt.NDArray[np.intp],
    specs: list[Cell],
    certain: npt.NDArray[np.bool_] | None = None,
) -> Units:
    """π and q of every (cell, group) at once (:func:`.capping.pips_table`), deficits placed.

    ``certain`` (cell × group) marks the groups a burden draws with certainty in addition to n
    (spec §11.4): their weight is 0 in ``w``, so the πps part gives them q = 0; they are stated
    π = 1 and drawn outright.
    """
    ncell, ngroup = count.shape
    sv = size_values(specs)
    wt = np.broadcast_to(w, (ncell, ngroup))
    tables: dict[str, tuple[Any, Any]] = {}
    own: dict[str, _Own] = {}
    designs = _risk_designs(task, cells, specs, sv, lambda n: pips_table(wt, count, n))
    for which, n, pi in designs:
        q, own[which] = _grouped_grid(targets, cells, group, count, n, pi)
        flags = pi >= 1.0 if certain is None else (pi >= 1.0) | certain
        tables[which] = (q.reshape(-1), flags.reshape(-1))
    q_low, c_low = tables["low"]
    q_high, c_high = tables["high"]
    f, fixed = sv["p_high"], sv["fixed"]
    pi_tab = _mix(
        _stated(q_low, c_low).reshape(ncell, ngroup),
        _stated(q_high, c_high).reshape(ncell, ngroup),
        f[:, None],
        fixed[:, None],
    ).reshape(-1)
    if certain is not None:
        pi_tab[certain.reshape(-1)] = 1.0  # exactly 1 under either size, not a mix of two
    exc_pos, e_q_low, e_q_high = _own_values(group, own, q_low, q_high)
    gc = group[exc_pos] // ngroup
    e_pi = _mix(
        _stated(e_q_low, c_low[group[exc_pos]]),
        _stated(e_q_high, c_high[group[exc_pos]]),
        f[gc],
        fixed[gc],
    )
    return Units(
        group,
        ngroup,
        False,
        pi_tab,
        q_low,
        q_high,
        c_low,
        c_high,
        exc_pos.astype(np.intp),
        e_pi,
        e_q_low,
        e_q_high,
    )


def _grouped_grid(
    targets: Targets,
    cells: Cells,
    group: npt.NDArray[np.intp],
    count: npt.NDArray[np.intp],
    n: npt.NDArray[np.int64],
    pi: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.uint64], _Own]:
    """q of every (cell, group) under one size, and the units whose q is not their group's:
    each cell's deficit receiver, or the several units a deficit spills over (spec §6.1)."""
    q, deficit, cand = quantize_table(pi, count)
    qmax = np.where(cand, q, np.uint64(0)).max(axis=1)
    simple = absorbs_table(qmax, deficit)
    cell, pos = _receivers(targets, cells, group, cand & simple[:, None])
    # q + D stays in [0, 2**64) when absorbed, so wrapping uint64 arithmetic is exact
    pos_l, val_l = [pos], [qmax[cell] + deficit[cell].view(np.uint64)]
    for c in np.flatnonzero((deficit != 0) & ~simple).tolist():
        # the deficit spills over several units (π within 2**-40 of 0 or 1): unit by unit
        at = np.flatnonzero(cells.code == c)
        ids = MemberIds(targets.id_bytes, cells.rows[at])
        qu = quantize(pi.reshape(-1)[group[at]], int(n[c]), ids)
        mine = qu != q.reshape(-1)[group[at]]
        pos_l.append(at[mine])
        val_l.append(qu[mine])
    return q, (pos_l, val_l)


def _own_values(
    group: npt.NDArray[np.intp],
    own: Mapping[str, _Own],
    q_low: npt.NDArray[np.uint64],
    q_high: npt.NDArray[np.uint64],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """The units with a q of their own under either size (ascending eligible positions) and
    their q under both sizes: their own where they have one, else their group's."""
    exc_pos = np.unique(np.concatenate(own["low"][0] + own["high"][0]))
    g = group[exc_pos]
    e_q = {}
    for which, qt in (("low", q_low), ("high", q_high)):
        vals = qt[g]
        for p, v in zip(*own[which]):
            vals[np.searchsorted(exc_pos, p)] = v
        e_q[which] = vals
    return exc_pos, e_q["low"], e_q["high"]


def unit_pips(
    task: Task,
    targets: Targets,
    cells: Cells,
    w: npt.NDArray[np.float64],
    specs: list[Cell],
    certain: npt.NDArray[np.bool_] | None = None,
) -> Units:
    """π and q unit by unit, every cell at once (a numeric weight column: few units share a
    weight), with :func:`.capping.pips_units` and :func:`.grid.quantize_units`.

    ``certain`` marks the units a burden draws with certainty in addition to n (weight 0 in
    ``w``; stated π = 1, spec §11.4)."""
    ncell = len(cells)
    code = cells.code
    sv = size_values(specs)
    fixed = sv["fixed"]
    tables = {}
    for which, n, pi in _risk_designs(task, cells, specs, sv, lambda n: pips_units(w, code, n)):
        q, deficit, qmax = quantize_units(pi, code, ncell)
        simple = absorbs_table(qmax, deficit)
        # the deficit goes to the free unit with the largest q, ties to the smallest ID
        cand = np.flatnonzero(
            ((deficit != 0) & simple)[code] & (pi > 0) & (pi < 1.0) & (q == qmax[code])
        )
        cell, at = lexmin_segments(targets.id_bytes, cells.rows[cand], code[cand])
        q[cand[at]] = qmax[cell] + deficit[cell].view(np.uint64)  # stays below 2**64
        for c in np.flatnonzero((deficit != 0) & ~simple).tolist():
            # the deficit spills over several units (π within 2**-40 of 0 or 1)
            at_c = np.flatnonzero(code == c)
            ids = MemberIds(targets.id_bytes, cells.rows[at_c])
            q[at_c] = quantize(pi[at_c], int(n[c]), ids)
        tables[which] = (q, pi >= 1.0 if certain is None else (pi >= 1.0) | certain)
    q_low, c_low = tables["low"]
    q_high, c_high = tables["high"]
    pi_all = _mix(_stated(q_low, c_low), _stated(q_high, c_high), sv["p_high"][code], fixed[code])
    if certain is not None:
        pi_all[certain] = 1.0
    return Units(code, 1, True, pi_all, q_low, q_high, c_low, c_high)
