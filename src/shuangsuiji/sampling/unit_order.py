"""Units in draw order: by cell, then PRN ``h``, then ID bytes (docs/spec.md §3, §6.3-6.5).

A draw needs every unit of a task in this order: SRS takes each cell's first n units, and
systematic πps accumulates q along it. Sorting cell by cell (a stable argsort by cell, then an
``argsort`` of ``h`` per cell) costs an index sort of every unit. Here, instead, each unit
becomes one 64-bit key packing, from the top::

    [ cell | top bits of h | group | position ]

and the keys are sorted by value, which numpy does several times faster than an index sort
(AVX-512 on x86). The position bits make keys distinct and let each key name its unit; the
group bits (a unit's class of equal π within its cell) let the caller find q without a gather.

The keys are built while the PRNs are computed, chunk by chunk on the hashing threads
(:func:`shuangsuiji.randomness.prn.siphash24_chunks`), so no array of all PRNs is ever made: the few PRNs
needed later (ties, drawn units) are hashed again.

Only the top bits of ``h`` fit, so units of one cell whose top bits agree are in no particular
order yet. Such runs are rare (about n**2 / 2**(b+1) pairs in a cell of n units with b bits of
``h``) and are put in (h, ID) order afterwards, from the full ``h`` and the IDs. The result is
exactly the order of the specification, whatever the number of bits. When too few bits of
``h`` fit (very large registries with very many cells), a lexicographic sort is used instead.
"""

from __future__ import annotations

from typing import Protocol

import attrs
import numpy as np
import numpy.typing as npt

from ..randomness.prn import Rows, Sink
from .ties import IdLookup

__all__ = ["CHUNK", "Prns", "UnitOrder", "order_units"]

_U64 = np.uint64
CHUNK = 1 << 15  # elements per chunk of a pass over all units: a few arrays fit in L2
_MIN_H_BITS = 12  # below this, ties would be common: sort lexicographically instead
_MAX_H_BITS = 64  # tests lower it to put most units in tie runs
_MAX_TIES = 1 / 16  # expected partial ties per unit beyond which the lexicographic sort wins


class Prns(Protocol):
    """The PRNs ``h`` of units 0..size-1: all of them chunk by chunk, or a few on demand."""

    def into(self, sink: Sink) -> None:
        """Compute every unit's h, passing each chunk to ``sink(positions, h)`` (any thread)."""

    def at(self, pos: npt.NDArray[np.intp]) -> npt.NDArray[np.uint64]:
        """h of the units at ``pos``."""


def _bits(n: int) -> int:
    """Bits needed for the values 0..n-1."""
    return max(n - 1, 0).bit_length()


@attrs.frozen(eq=False)
class UnitOrder:
    """Units (positions 0..size-1 of the caller's arrays) in (cell, h, ID) order.

    Either ``keys`` (the sorted packed keys) or ``perm`` (positions in order, with ``unit``
    the caller's cell-group index of each position) is set.
    """

    size: int
    ngroup: int
    prns: Prns
    keys: npt.NDArray[np.uint64] | None
    pos_bits: int = 0
    group_bits: int = 0
    cell_bits: int = 0
    h_bits: int = 0
    prefix: npt.NDArray[np.uint64] | None = None  # per cell-group, its key bits
    perm: npt.NDArray[np.intp] | None = None
    unit: npt.NDArray[np.intp] | None = None

    def places(self, pos: npt.NDArray[np.intp], unit: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        """Where the units at positions ``pos`` (cell-groups ``unit``) are in the order."""
        out = np.empty(pos.shape[0], np.intp)
        if self.keys is None:
            assert self.perm is not None
            inv = np.empty(self.size, np.intp)
            inv[self.perm] = np.arange(self.size)
            out[:] = inv[pos]
            return out
        assert self.prefix is not None
        low = self.group_bits + self.pos_bits
        h = self.prns.at(pos)
        key = self.prefix[unit] | ((h >> _U64(64 - self.h_bits)) << _U64(low))
        key |= pos.astype(_U64)
        # the unit is in the run of keys sharing its bits above ``low`` (sorted by those bits,
        # in (h, ID) order below them), found by two binary searches
        mask = _U64((1 << low) - 1)
        lo = np.searchsorted(self.keys, key & ~mask, "left")
        hi = np.searchsorted(self.keys, key | mask, "right")
        out[:] = lo
        for i in np.flatnonzero(hi - lo > 1).tolist():  # in a run of ties: look along it
            a, b = int(lo[i]), int(hi[i])
            out[i] = a + int(np.flatnonzero(self.keys[a:b] == key[i])[0])
        return out

    def positions(self, at: npt.NDArray[np.intp] | slice | None = None) -> npt.NDArray[np.intp]:
        """The units' positions, in order (or only at the ordered places ``at``)."""
        if self.keys is None:
            assert self.perm is not None
            return self.perm if at is None else self.perm[at]
        k = self.keys if at is None else self.keys[at]
        out: npt.NDArray[np.intp] = (k & _U64((1 << self.pos_bits) - 1)).view(np.int64)
        return out.astype(np.intp, copy=False)

    def units(self, at: npt.NDArray[np.intp] | slice | None = None) -> npt.NDArray[np.intp]:
        """Each ordered unit's cell-group index ``cell * ngroup + group`` (all, or ``at``)."""
        if self.keys is None:
            assert self.perm is not None and self.unit is not None
            return self.unit[self.perm if at is None else self.perm[at]]
        k = self.keys if at is None else self.keys[at]
        if self.group_bits:
            g = k >> _U64(self.pos_bits)
            g &= _U64((1 << self.group_bits) - 1)
        else:
            g = np.zeros(k.shape, _U64)
        if self.cell_bits:
            c = k >> _U64(64 - self.cell_bits)
            if self.ngroup > 1:
                c *= _U64(self.ngroup)
            g += c
        out: npt.NDArray[np.intp] = g.view(np.int64).astype(np.intp, copy=False)
        return out


def _runs(tie: npt.NDArray[np.intp]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Places in runs of ties and each place's run number, from ``tie`` (place i ties i + 1)."""
    at = np.union1d(tie, tie + 1)
    new_run = np.ones(at.size, bool)
    new_run[1:] = ~np.isin(at[1:] - 1, tie)
    return at, np.cumsum(new_run).astype(np.intp)


def _by_id(
    order: npt.NDArray[np.intp],
    same: npt.NDArray[np.bool_],
    ids: IdLookup,
    pos: npt.NDArray[np.intp],
) -> None:
    """Within each run of ``same`` (place i equals i + 1), reorder ``order`` by ID, in place."""
    at, run = _runs(np.flatnonzero(same))
    for r in np.unique(run).tolist():
        p = at[run == r]
        seg = order[p]
        order[p] = seg[np.argsort(ids[pos[p]], kind="stable")]


def _fix_ties(
    keys: npt.NDArray[np.uint64], low_bits: int, prns: Prns, ids: IdLookup, pos_bits: int
) -> None:
    """Put runs of keys that agree above ``low_bits`` in (h, ID) order, in place."""
    parts = []
    last = keys.shape[0] - 1  # place i ties with i + 1 for i < last
    for s in range(0, last, CHUNK):
        e = min(s + CHUNK, last)
        x = keys[s + 1 : e + 1] ^ keys[s:e]
        t = np.flatnonzero(x < _U64(1 << low_bits))
        if t.size:
            parts.append(t + s)
    if not parts:
        return
    tie = np.concatenate(parts)
    at, run = _runs(tie)
    sub = keys[at]
    pos = (sub & _U64((1 << pos_bits) - 1)).view(np.int64).astype(np.intp)
    hv = prns.at(pos)
    o = np.lexsort((hv, run))
    # equal full h within a run (probability about n**2 / 2**65): by ID bytes
    same = (hv[o][1:] == hv[o][:-1]) & (run[o][1:] == run[o][:-1])
    if same.any():
        _by_id(o, same, ids, pos[o].astype(np.intp))
    keys[at] = sub[o]


def order_units(
    prns: Prns,
    size: int,
    unit: npt.NDArray[np.intp],
    ngroup: int,
    ncell: int,
    ids: IdLookup,
    cell_sizes: npt.NDArray[np.intp],
) -> UnitOrder:
    """Order units 0..size-1 by (cell, h, ID bytes), ``unit = cell * ngroup + group`` per unit.

    ``ids`` looks up a unit's ID by position; it is read only for ties of ``h``.
    ``cell_sizes`` (units per cell) sizes the expected number of partial ties.
    """
    pb, gb, cb = max(_bits(size), 1), _bits(ngroup), _bits(ncell)
    hb = min(64 - pb - gb - cb, _MAX_H_BITS)
    sq = float(np.square(cell_sizes.astype(np.float64)).sum())
    if hb < _MIN_H_BITS or sq / 2.0 ** (hb + 1) > size * _MAX_TIES + 1024:
        return _order_lexsort(prns, size, unit, ngroup, ids)
    # prefix of each (cell, group): cell in the top bits, group just above the position
    cg = np.arange(ncell * ngroup, dtype=np.uint64)
    prefix = (cg % _U64(ngroup)) << _U64(pb)
    if cb:
        prefix |= (cg // _U64(ngroup)) << _U64(64 - cb)
    keys = np.empty(size, np.uint64)

    def pack(rows: Rows, h: npt.NDArray[np.uint64]) -> None:
        # h is this chunk's own array, still in cache: turned into keys in place
        h >>= _U64(64 - hb)
        h <<= _U64(gb + pb)
        h |= prefix[unit[rows]]
        if isinstance(rows, slice):
            h |= np.arange(rows.start, rows.stop, dtype=np.uint64)
        else:
            h |= rows.astype(np.uint64)
        keys[rows] = h

    prns.into(pack)
    keys.sort()
    _fix_ties(keys, gb + pb, prns, ids, pb)
    return UnitOrder(size, ngroup, prns, keys, pb, gb, cb, hb, prefix)


def _order_lexsort(
    prns: Prns, size: int, unit: npt.NDArray[np.intp], ngroup: int, ids: IdLookup
) -> UnitOrder:
    h = np.empty(size, np.uint64)

    def store(rows: Rows, hc: npt.NDArray[np.uint64]) -> None:
        h[rows] = hc

    prns.into(store)
    cell = unit // ngroup if ngroup > 1 else unit
    perm = np.lexsort((h, cell)).astype(np.intp)
    hs, cs = h[perm], cell[perm]
    same = (hs[1:] == hs[:-1]) & (cs[1:] == cs[:-1])
    if same.any():
        _by_id(perm, same, ids, perm.copy())
    return UnitOrder(size, ngroup, prns, None, perm=perm, unit=unit)
