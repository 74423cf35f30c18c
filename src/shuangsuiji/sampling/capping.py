"""πps with certainty capping, and the correctly rounded sums it needs (docs/spec.md §6.1).

- :func:`exact_sum` is the correctly rounded sum (like ``math.fsum``), independent of order;
  :func:`exact_sums` gives it per cell at once.
- :func:`pips` is Tillé's iterative certainty capping, as R ``sampling::inclusionprobabilities``
  (Tillé 2006, *Sampling Algorithms*, §2.10 / algorithm 2.1), for one cell.
- :func:`pips_table` (groups of units sharing a weight) and :func:`pips_units` (unit by unit)
  are its many-cell forms, bit for bit the same numbers.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import numpy.typing as npt

__all__ = ["CellError", "exact_sum", "exact_sums", "pips", "pips_table", "pips_units"]

_BINCOUNT_ROWS = 1 << 26  # float64 bincount of values < 2**26 stays exact below 2**53


def exact_sum(w: npt.NDArray[np.float64]) -> float:
    """The correctly rounded sum of finite doubles (the result ``math.fsum`` gives), vectorised.

    Each double is split as m * 2**e with an integer m < 2**53; m is split into two 26/27-bit
    halves whose per-exponent sums are exact in float64 bincounts; the exact total is assembled
    as a Python integer and rounded once.
    """
    if w.size == 0:
        return 0.0
    w = np.asarray(w, np.float64)
    if w.min() >= 0:
        # non-negative integers with a total below 2**53: every partial sum is an integer that
        # binary64 holds exactly, so numpy's sum is exact in any order (class weights 1/2/4/8)
        with np.errstate(over="ignore"):
            total = float(w.sum())
        if total < 2.0**53 and bool((w == np.floor(w)).all()):
            return total
    mant, exp = np.frexp(w)
    m = (mant * 2.0**53).astype(np.int64)
    e = exp.astype(np.int64)
    nz = m != 0
    if not nz.any():
        return 0.0
    emin = int(e[nz].min())
    off = np.where(nz, e - emin, 0)
    sign = np.sign(m)
    am = np.abs(m)
    hi = (am >> 26).astype(np.float64) * sign
    lo = (am & ((1 << 26) - 1)).astype(np.float64) * sign
    nbins = int(off.max()) + 1
    total = 0
    for s in range(0, w.size, _BINCOUNT_ROWS):
        sl = slice(s, s + _BINCOUNT_ROWS)
        sh = np.bincount(off[sl], weights=hi[sl], minlength=nbins)
        so = np.bincount(off[sl], weights=lo[sl], minlength=nbins)
        for o in np.flatnonzero((sh != 0) | (so != 0)).tolist():
            total += ((int(sh[o]) << 26) + int(so[o])) << o
    # value = total * 2**(emin - 53)
    shift = emin - 53
    try:
        return float(Fraction(total) * (Fraction(2) ** shift))
    except OverflowError:
        return math.inf if total > 0 else -math.inf


def pips(w: npt.NDArray[np.float64], n: int) -> npt.NDArray[np.float64]:
    """Inclusion probabilities proportional to size with certainty capping (Tillé 2006, §2.10).

    π_k = min(1, c * w_k) with Σπ = n. Iteratively: every unit whose π reaches 1 is fixed at 1
    and the remaining n' = n - #certain is spread over the rest as π_k = (n' * w_k) / S', where
    S' is :func:`exact_sum` of their weights (two correctly rounded IEEE operations per unit).
    Zero weights get π = 0. ``n`` must not exceed the number of positive weights.
    """
    w = np.asarray(w, np.float64)
    pi = np.zeros(w.shape, np.float64)
    pos = w > 0
    npos = int(pos.sum())
    if n < 0 or n > npos:
        raise ValueError(f"cannot draw {n} from {npos} units with positive weight")
    certain = np.zeros(w.shape, bool)
    n_rem = n
    while n_rem > 0:
        free = np.flatnonzero(pos & ~certain)
        total = exact_sum(w[free])
        if not np.isfinite(total):
            raise ValueError("the weights sum beyond the float range; scale them down")
        p = (float(n_rem) * w[free]) / total
        newly = p >= 1.0
        if not newly.any():
            pi[free] = p
            break
        certain[free[newly]] = True
        n_rem -= int(newly.sum())
    pi[certain] = 1.0
    return pi


class CellError(ValueError):
    """A design error in one cell of a table (``cell`` is its index)."""

    def __init__(self, cell: int, message: str) -> None:
        super().__init__(message)
        self.cell = cell


def _group_sums(
    w: npt.NDArray[np.float64], count: npt.NDArray[np.intp], free: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """Per row, the correctly rounded Σ count·w over ``free`` entries (what :func:`exact_sum`
    gives for the units expanded); inf beyond the float range.

    Integer weights with a float total below 2**52 are summed in float64, which is then exact
    (every product and partial sum is an integer below 2**53); other rows exactly as fractions.
    """
    terms = np.where(free, count * w, 0.0)
    out: npt.NDArray[np.float64] = terms.sum(axis=1)
    slow = ~(out < 2.0**52)
    if not bool((w == np.floor(w)).all()):
        slow[:] = True
    for c in np.flatnonzero(slow & free.any(axis=1)).tolist():
        g = np.flatnonzero(free[c])
        exact = sum(
            (Fraction(float(x)) * int(k) for x, k in zip(w[c, g].tolist(), count[c, g].tolist())),
            Fraction(0),
        )
        try:
            out[c] = float(exact)
        except OverflowError:
            out[c] = math.inf
    return out


def _check_sizes(n: npt.NDArray[np.int64], npos: npt.NDArray[np.int64]) -> None:
    """Raise :class:`CellError` for the first cell whose size is not within 0..npos."""
    bad = np.flatnonzero((n < 0) | (n > npos))
    if bad.size:
        c = int(bad[0])
        raise CellError(
            c, f"cannot draw {int(n[c])} from {int(npos[c])} units with positive weight"
        )


def pips_table(
    w: npt.NDArray[np.float64], count: npt.NDArray[np.intp], n: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """:func:`pips` for many cells at once, on groups of units that share a weight.

    Row c is a cell, column g a group of ``count[c, g]`` units of weight ``w[c, g]``; ``n[c]``
    is the cell's size. Each group gets the π :func:`pips` gives each of its units, bit for
    bit: the same capping rounds, the same correctly rounded sums (:func:`_group_sums`) and the
    same two IEEE operations per value. Raises :class:`CellError` naming the first bad cell.
    """
    w = np.asarray(w, np.float64)
    pos = (w > 0) & (count > 0)
    npos = np.where(pos, count, 0).sum(axis=1)
    _check_sizes(n, npos)
    pi = np.zeros(w.shape, np.float64)
    certain = np.zeros(w.shape, bool)
    n_rem = np.asarray(n, np.int64).copy()
    active = n_rem > 0
    while active.any():
        free = pos & ~certain & active[:, None]
        total = _group_sums(w, count, free)
        inf = np.flatnonzero(active & ~np.isfinite(total))
        if inf.size:
            raise CellError(int(inf[0]), "the weights sum beyond the float range; scale them down")
        # entries that are not free may overflow or divide by 0: their p is never used
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            p = (n_rem.astype(np.float64)[:, None] * w) / total[:, None]
        newly = free & (p >= 1.0)
        done = active & ~newly.any(axis=1)
        take = free & done[:, None]
        pi[take] = p[take]
        certain |= newly
        n_rem -= np.where(newly, count, 0).sum(axis=1)
        active &= ~done & (n_rem > 0)
    pi[certain] = 1.0
    return pi


def exact_sums(
    w: npt.NDArray[np.float64], cell: npt.NDArray[np.intp], ncell: int
) -> npt.NDArray[np.float64]:
    """:func:`exact_sum` of each cell's values at once (``cell[k]`` is value k's cell).

    Integer values with float totals below 2**52 are summed by a float64 bincount, which is
    then exact; otherwise :func:`exact_sum`'s split of each double into 26/27-bit halves per
    exponent, counted per (cell, exponent) and assembled as Python integers per cell.
    """
    out: npt.NDArray[np.float64] = np.bincount(cell, weights=w, minlength=ncell).astype(np.float64)
    if w.size == 0 or (
        bool((w >= 0).all()) and bool((w == np.floor(w)).all()) and bool((out < 2.0**52).all())
    ):
        return out
    mant, exp = np.frexp(w)
    m = (mant * 2.0**53).astype(np.int64)
    nz = m != 0
    out = np.zeros(ncell)
    if not nz.any():
        return out
    emin = int(exp[nz].min())
    off = np.where(nz, exp.astype(np.int64) - emin, 0)
    sign = np.sign(m)
    am = np.abs(m)
    hi = (am >> 26).astype(np.float64) * sign
    lo = (am & ((1 << 26) - 1)).astype(np.float64) * sign
    nbins = int(off.max()) + 1
    key = cell.astype(np.int64) * nbins + off
    totals = [0] * ncell
    for s in range(0, w.size, _BINCOUNT_ROWS):
        sl = slice(s, s + _BINCOUNT_ROWS)
        sh = np.bincount(key[sl], weights=hi[sl], minlength=ncell * nbins)
        so = np.bincount(key[sl], weights=lo[sl], minlength=ncell * nbins)
        for k in np.flatnonzero((sh != 0) | (so != 0)).tolist():
            c, o = divmod(k, nbins)
            totals[c] += ((int(sh[k]) << 26) + int(so[k])) << o
    scale = Fraction(2) ** (emin - 53)
    for c, t in enumerate(totals):
        if t:
            try:
                out[c] = float(Fraction(t) * scale)
            except OverflowError:
                out[c] = math.inf if t > 0 else -math.inf
    return out


def pips_units(
    w: npt.NDArray[np.float64], cell: npt.NDArray[np.intp], n: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """:func:`pips` for many cells at once, unit by unit (``cell[k]`` is unit k's cell).

    Every unit gets the π :func:`pips` gives it within its cell, bit for bit: the same capping
    rounds, the same correctly rounded sums (:func:`exact_sums`), the same two IEEE operations.
    Raises :class:`CellError` naming the first bad cell.
    """
    ncell = n.shape[0]
    pos = w > 0
    npos = np.bincount(cell, weights=pos, minlength=ncell).astype(np.int64)
    _check_sizes(n, npos)
    pi = np.zeros(w.shape, np.float64)
    certain = np.zeros(w.shape, bool)
    n_rem = np.asarray(n, np.int64).copy()
    active = n_rem > 0
    while active.any():
        free = pos & ~certain & active[cell]
        total = exact_sums(np.where(free, w, 0.0), cell, ncell)
        inf = np.flatnonzero(active & ~np.isfinite(total))
        if inf.size:
            raise CellError(int(inf[0]), "the weights sum beyond the float range; scale them down")
        # units that are not free may overflow or divide by 0: their p is never used
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            p = (n_rem.astype(np.float64)[cell] * w) / total[cell]
        newly = free & (p >= 1.0)
        k = np.bincount(cell[newly], minlength=ncell)
        done = active & (k == 0)
        take = free & done[cell]
        pi[take] = p[take]
        certain |= newly
        n_rem -= k
        active &= ~done & (n_rem > 0)
    pi[certain] = 1.0
    return pi
