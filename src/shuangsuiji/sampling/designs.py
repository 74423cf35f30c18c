"""Sampling designs and allocation: the math only, arrays in and arrays out (docs/spec.md §6).

Nothing here knows about plans or registries. Every function is exact or specified down to the
IEEE-754 operation so that a second implementation can reproduce it bit for bit:

- :func:`exact_sum` is the correctly rounded sum (like ``math.fsum``), independent of order.
- :func:`pips` is Tillé's iterative certainty capping, as R ``sampling::inclusionprobabilities``
  (Tillé 2006, *Sampling Algorithms*, §2.10 / algorithm 2.1).
- :func:`quantize` puts π on the grid of 2**-64 with an exact total, so that
- :func:`systematic` (Madow 1949 systematic πps along the random PRN order, i.e. the randomised
  systematic design of Hartley & Rao 1962) gives every unit exactly its stated π.
- :func:`smallest` is simple random sampling without replacement by PRN order (Ohlsson 1995,
  "Coordination of samples using permanent random numbers": the n smallest of iid uniform PRNs
  form an SRS).
- :func:`rate_size` and :func:`allocate` turn rates and totals into integer sizes, exactly.

These are the unit-by-unit definitions, one cell at a time. The draw uses their many-cell
forms, which give the same numbers: :func:`pips_table` / :func:`quantize_table` on groups of
units sharing a weight, :func:`pips_units` / :func:`exact_sums` / :func:`quantize_units` unit
by unit, and :func:`lexmin_segments` for the deficit receivers; the PRN order and the
systematic pass are vectorised in :mod:`.sorting` and :mod:`.draw`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Protocol

import attrs
import numpy as np
import numpy.typing as npt

__all__ = [
    "GRID",
    "CellError",
    "IdLookup",
    "SizeDist",
    "absorbs",
    "absorbs_table",
    "allocate",
    "bernoulli",
    "decimal_rate",
    "exact_sum",
    "exact_sums",
    "lexmin",
    "lexmin_segments",
    "pips",
    "pips_table",
    "pips_units",
    "prn_order",
    "quantize",
    "quantize_table",
    "quantize_units",
    "rate_size",
    "smallest",
    "systematic",
]


class IdLookup(Protocol):
    """IDs as UTF-8 bytes by position: a numpy ``S`` array, or anything indexed like one."""

    @property
    def dtype(self) -> np.dtype[Any]: ...

    def __getitem__(self, idx: Any) -> npt.NDArray[np.bytes_]: ...


GRID = 1 << 64  # π is stated in units of 2**-64
_U64 = np.uint64
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


def lexmin(id_bytes: IdLookup, candidates: npt.NDArray[np.intp]) -> int:
    """The candidate whose ID is smallest in UTF-8 byte order, without a string sort.

    IDs are compared as rows of big-endian 64-bit words (NUL padding sorts first, as a shorter
    string does), narrowing the candidate set one word at a time.
    """
    cand = np.asarray(candidates, np.intp)
    if cand.size == 1:
        return int(cand[0])
    width = id_bytes.dtype.itemsize
    words = -(-width // 8)
    buf = np.zeros((cand.size, words * 8), np.uint8)
    buf[:, :width] = np.ascontiguousarray(id_bytes[cand]).view(np.uint8).reshape(cand.size, width)
    mat = buf.view(">u8")
    keep = np.arange(cand.size)
    for j in range(words):
        col = mat[keep, j]
        keep = keep[col == col.min()]
        if keep.size == 1:
            break
    return int(cand[keep[0]])


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


def lexmin_segments(
    id_bytes: npt.NDArray[np.bytes_], rows: npt.NDArray[np.intp], segment: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """For each distinct ``segment`` value, which of ``rows`` has the smallest ID (UTF-8 bytes).

    Returns ``(segments, positions into rows)``, segments ascending. IDs must be distinct
    within a segment. The candidates' IDs are read once (one row gather, in the given order),
    then compared as big-endian 64-bit words, narrowing each segment's candidates one word at
    a time, as :func:`lexmin` does for one set.
    """
    k = segment.shape[0]
    if k == 0:
        return np.empty(0, np.intp), np.empty(0, np.intp)
    seg = np.asarray(segment, np.intp)
    nseg = int(seg.max()) + 1
    distinct = int(np.count_nonzero(np.bincount(seg, minlength=nseg)))
    width = id_bytes.dtype.itemsize
    words = -(-width // 8)
    raw = np.ascontiguousarray(id_bytes).view(np.uint8).reshape(-1, width)
    buf = np.zeros((k, words * 8), np.uint8)
    buf[:, :width] = raw.take(rows, axis=0)
    mat = buf.view(">u8")
    keep = np.arange(k)
    top = np.iinfo(np.uint64).max
    for j in range(words):
        col = mat[keep, j].astype(_U64)
        s = seg[keep]
        low = np.full(nseg, top, _U64)
        np.minimum.at(low, s, col)
        keep = keep[col == low[s]]
        if keep.size == distinct:
            break
    o = np.argsort(seg[keep], kind="stable")
    return seg[keep][o], keep[o].astype(np.intp)


def prn_order(h: npt.NDArray[np.uint64], id_bytes: IdLookup) -> npt.NDArray[np.intp]:
    """Positions sorted by PRN ``h``, equal ``h`` (probability ~n**2/2**65) by ID bytes."""
    order = np.argsort(h)
    hs = h[order]
    tie = np.flatnonzero(hs[1:] == hs[:-1])
    if tie.size:
        order = order.copy()
        for start in np.unique(np.searchsorted(hs, hs[tie])).tolist():
            stop = int(np.searchsorted(hs, hs[start], side="right"))
            run = order[start:stop]
            order[start:stop] = run[np.argsort(id_bytes[run], kind="stable")]
    return order


def systematic(q_ordered: npt.NDArray[np.uint64], start: int) -> npt.NDArray[np.bool_]:
    """Systematic selection along an order: unit k is taken iff (start - C_{k-1}) mod 2**64 < q_k.

    ``C_k`` are the cumulative sums of ``q`` (wrapping uint64). The points start + j * 2**64 hit
    each interval [C_{k-1}, C_k) of length q_k <= 2**64 - 1 at most once, so with ``start``
    uniform on [0, 2**64) unit k is selected with probability exactly q_k / 2**64, and the
    number selected is exactly Σq / 2**64 (Madow 1949; Tillé 2006, §7.2).
    """
    c = np.cumsum(q_ordered, dtype=_U64)
    c -= q_ordered
    dist = _U64(start) - c
    out: npt.NDArray[np.bool_] = dist < q_ordered
    return out


def smallest(h: npt.NDArray[np.uint64], n: int, id_bytes: IdLookup) -> npt.NDArray[np.intp]:
    """Positions of the ``n`` smallest PRNs (ties at the boundary by ID bytes): an SRS of size n."""
    size = h.shape[0]
    if n <= 0:
        return np.empty(0, np.intp)
    if n >= size:
        return np.arange(size)
    kth = h[np.argpartition(h, n - 1)[n - 1]]
    below = np.flatnonzero(h < kth)
    need = n - below.size
    at = np.flatnonzero(h == kth)
    if at.size > need:
        at = at[np.argsort(id_bytes[at], kind="stable")[:need]]
    return np.sort(np.concatenate([below, at]))


def bernoulli(u256: int, p: Fraction) -> bool:
    """True iff u256 / 2**256 < p: exact for any p whose denominator divides 2**256."""
    return u256 * p.denominator < p.numerator * (1 << 256)


@attrs.frozen
class SizeDist:
    """A stratum size: ``high`` with probability ``p_high``, else ``low`` (equal when fixed)."""

    low: int
    high: int
    p_high: Fraction = Fraction(0)

    @property
    def expected(self) -> Fraction:
        return self.low + (self.high - self.low) * self.p_high

    @property
    def fixed(self) -> bool:
        return self.low == self.high or self.p_high == 0


def decimal_rate(rate: float) -> Fraction:
    """The rate the plan states: the shortest decimal that round-trips the binary64 value.

    ``Fraction(0.1)`` is 0.1000000000000000055…, and ⌈0.1000…055 × 30⌉ would be 4, not 3.
    """
    return Fraction(repr(float(rate)))


@functools.lru_cache(maxsize=1 << 14)  # many cells share a population: fractions once per value
def rate_size(population: int, rate: float, rounding: str, minimum: int, cap: int) -> SizeDist:
    """n from a rate, exactly: ``ceil`` (at least the rate), ``round`` (half up) or ``random``.

    ``random`` draws floor(rate*N) + Bernoulli(frac(rate*N)), so E[n]/N equals the rate exactly.
    The minimum (small-population rule) raises n to min(minimum, cap); n never exceeds ``cap``
    (the number of units that can be drawn). A rate of 0 means "left alone": n = 0 regardless of
    the minimum.
    """
    if rate == 0 or cap == 0:
        return SizeDist(0, 0)
    x = decimal_rate(rate) * population
    if rounding == "ceil":
        lo, hi, p = math.ceil(x), math.ceil(x), Fraction(0)
    elif rounding == "round":
        lo = hi = math.floor(x + Fraction(1, 2))
        p = Fraction(0)
    elif rounding == "random":
        lo = math.floor(x)
        p = x - lo
        hi = lo + 1 if p else lo
    else:
        raise ValueError(f"unknown rounding {rounding!r}")
    floor_n = min(minimum, cap)

    def fix(k: int) -> int:
        return min(max(k, floor_n), cap)

    lo, hi = fix(lo), fix(hi)
    return SizeDist(lo, hi, p if hi != lo else Fraction(0))


def _clamp(x: Fraction, lo: int, hi: int) -> Fraction:
    return min(max(x, Fraction(lo)), Fraction(hi))


def _water_fill(
    total: int, shares: Sequence[Fraction], lower: Sequence[int], upper: Sequence[int]
) -> list[Fraction] | None:
    """x_h = clamp(λ·share_h, lower_h, upper_h) with Σx = total, solved exactly; None if no λ."""
    k = len(shares)

    def f(lam: Fraction) -> Fraction:
        return sum((_clamp(lam * shares[h], lower[h], upper[h]) for h in range(k)), Fraction(0))

    if f(Fraction(0)) >= total:
        lam = Fraction(0)
    else:
        points = sorted(
            {
                Fraction(b) / shares[h]
                for h in range(k)
                if shares[h] > 0
                for b in (lower[h], upper[h])
            }
        )
        prev = Fraction(0)
        lam_opt: Fraction | None = None
        for b in points:
            if f(b) >= total:
                # f is linear on [prev, b]: slope = Σ share over strata strictly inside bounds
                slope = sum(
                    (
                        shares[h]
                        for h in range(k)
                        if shares[h] > 0
                        and lower[h] <= prev * shares[h]
                        and upper[h] >= b * shares[h]
                    ),
                    Fraction(0),
                )
                lam_opt = prev + (total - f(prev)) / slope if slope else b
                break
            prev = b
        if lam_opt is None:
            return None
        lam = lam_opt
    return [_clamp(lam * shares[h], lower[h], upper[h]) for h in range(k)]


def allocate(
    total: int,
    populations: Sequence[int],
    shares: Sequence[Fraction],
    minimum: int,
) -> list[int]:
    """Split ``total`` into integers n_h with min(minimum, N_h) <= n_h <= N_h and Σn_h = total.

    Continuous target: x_h = clamp(λ·share_h, lower_h, N_h) with λ chosen so that Σx_h = total
    (water-filling; exact, since Σx is piecewise linear and non-decreasing in λ). When the
    shares cannot reach the total (every stratum with a positive share is full), the shares are
    replaced by the populations. Integers by the largest-remainder (Hamilton) method, ties to
    the earlier stratum. All arithmetic is exact (fractions).
    """
    k = len(populations)
    lower = [min(minimum, N) for N in populations]
    upper = list(populations)
    if total > sum(upper):
        raise ValueError(f"total {total} exceeds the population {sum(upper)}")
    if total < sum(lower):
        raise ValueError(f"total {total} is below the sum of stratum minimums {sum(lower)}")
    target = _water_fill(total, [Fraction(a) for a in shares], lower, upper)
    if target is None:
        target = _water_fill(total, [Fraction(N) for N in populations], lower, upper)
    assert target is not None and sum(target) == total
    n = [math.floor(t) for t in target]
    short = total - sum(n)
    order = sorted(range(k), key=lambda h: (-(target[h] - n[h]), h))
    for h in order[:short]:
        n[h] += 1
    return n
