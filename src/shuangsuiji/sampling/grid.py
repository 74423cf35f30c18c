"""π on the grid of 2**-64, with an exact total per cell (docs/spec.md §6.1).

:func:`quantize` is the definition for one cell; :func:`quantize_table` (groups of units that
share a π) and :func:`quantize_units` (unit by unit) are its many-cell forms, which leave the
placing of each cell's deficit to the caller (:func:`absorbs_table`,
:func:`.ties.lexmin_segments`). On this grid :func:`.systematic.systematic` gives every unit
exactly its stated π.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .ties import IdLookup, lexmin

__all__ = ["GRID", "absorbs", "absorbs_table", "quantize", "quantize_table", "quantize_units"]

GRID = 1 << 64  # π is stated in units of 2**-64
_U64 = np.uint64


def quantize(pi: npt.NDArray[np.float64], n: int, id_bytes: IdLookup) -> npt.NDArray[np.uint64]:
    """π on the grid of 2**-64: ``q = floor(π * 2**64)`` with Σq = (n - #certain) * 2**64 exactly.

    Certainty units (π = 1) get q = 0 here and are taken outright; zero-π units get q = 0. The
    floating-point deficit D = (n - #certain) * 2**64 - Σq (|D| is about n * 2**13 at most, i.e.
    below 1e-15 in probability) is computed in wrapping uint64 arithmetic and given to the unit
    with the largest q, ties broken by the smallest ID (UTF-8 bytes), repeatedly if one unit
    cannot absorb it. For π >= 2**-12 the product π * 2**64 is already an integer, so q is π
    exactly for every unit but that one.
    """
    q = np.zeros(pi.shape, _U64)
    certain = pi >= 1.0
    free = np.flatnonzero((pi > 0) & ~certain)
    q[free] = (pi[free] * float(GRID)).astype(_U64)
    # (n - #certain) * 2**64 is 0 modulo 2**64, so the wrapped sum alone gives the deficit
    d = (-int(np.sum(q[free], dtype=_U64))) % GRID
    deficit = d - GRID if d >= GRID // 2 else d
    pool = free
    qpool = q[free]
    while deficit != 0:
        if pool.size == 0:
            raise ArithmeticError("π deficit could not be placed; π does not sum to n")
        r = lexmin(id_bytes, pool[qpool == qpool.max()])
        qr = int(q[r])
        give = min(deficit, GRID - 1 - qr) if deficit > 0 else -min(-deficit, qr)
        q[r] = _U64(qr + give)
        deficit -= give
        keep = pool != r
        pool, qpool = pool[keep], qpool[keep]
    return q


def quantize_table(
    pi: npt.NDArray[np.float64], count: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """:func:`quantize` for many cells at once, on groups of units that share a π.

    Returns ``(q, deficit, candidates)``: each group's grid value, each cell's signed deficit
    D (wrapping arithmetic, as in :func:`quantize`), and the groups whose units may receive it
    (the free units with the largest q). Which unit receives D depends on IDs, so it is left to
    the caller: :func:`lexmin_segments` over the candidates' units, then :func:`absorb`.
    """
    certain = pi >= 1.0
    free = (pi > 0) & ~certain
    q = np.zeros(pi.shape, _U64)
    q[free] = (pi[free] * float(GRID)).astype(_U64)
    total = (count.astype(_U64) * q).sum(axis=1, dtype=_U64)  # wraps modulo 2**64
    deficit = (_U64(0) - total).view(np.int64)
    pool = free & (count > 0)
    qmax = np.where(pool, q, _U64(0)).max(axis=1, initial=_U64(0))
    candidates = pool & (q == qmax[:, None]) & (deficit != 0)[:, None]
    if bool(((deficit != 0) & ~pool.any(axis=1)).any()):
        raise ArithmeticError("π deficit could not be placed; π does not sum to n")
    return q, deficit, candidates


def quantize_units(
    pi: npt.NDArray[np.float64], cell: npt.NDArray[np.intp], ncell: int
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.uint64]]:
    """:func:`quantize` for many cells at once, unit by unit, before the deficits are placed.

    Returns ``(q, deficit, qmax)``: each unit's grid value, each cell's signed deficit D and
    the largest q among its free units. D goes to the free unit with q = qmax and the smallest
    ID (the caller's :func:`lexmin_segments`), unless it does not fit there (:func:`absorbs`).
    """
    certain = pi >= 1.0
    free = (pi > 0) & ~certain
    q = np.zeros(pi.shape, _U64)
    q[free] = (pi[free] * float(GRID)).astype(_U64)
    total = np.zeros(ncell, _U64)
    np.add.at(total, cell, q)  # wraps modulo 2**64
    deficit = (_U64(0) - total).view(np.int64)
    qmax = np.zeros(ncell, _U64)
    np.maximum.at(qmax, cell[free], q[free])
    pool = np.bincount(cell[free], minlength=ncell) > 0
    if bool(((deficit != 0) & ~pool).any()):
        raise ArithmeticError("π deficit could not be placed; π does not sum to n")
    return q, deficit, qmax


def absorbs(q: int, deficit: int) -> bool:
    """Whether one unit with grid value ``q`` takes the whole deficit (else several units do)."""
    return q + deficit < GRID if deficit > 0 else q >= -deficit


def absorbs_table(
    q: npt.NDArray[np.uint64], deficit: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """:func:`absorbs` elementwise, in uint64 arithmetic (|deficit| < 2**63)."""
    d = deficit.view(_U64)
    top = _U64(GRID - 1)
    out: npt.NDArray[np.bool_] = np.where(deficit > 0, q <= top - d, q >= _U64(0) - d)
    return out
