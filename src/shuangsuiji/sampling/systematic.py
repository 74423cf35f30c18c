"""Selection along the PRN order, one cell at a time: the order itself, systematic πps and SRS.

- :func:`prn_order` orders units by PRN, ties by ID bytes (docs/spec.md §3).
- :func:`systematic` is Madow's (1949) systematic πps along the random PRN order, i.e. the
  randomised systematic design of Hartley & Rao (1962) (spec §6.4).
- :func:`smallest` is simple random sampling without replacement by PRN order (Ohlsson 1995,
  "Coordination of samples using permanent random numbers": the n smallest of iid uniform PRNs
  form an SRS) (spec §6.3).

These are the definitions; the draw runs them for every cell at once along one order
(:mod:`.unit_order`, :mod:`.systematic_pass`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .ties import IdLookup

__all__ = ["prn_order", "smallest", "systematic"]

_U64 = np.uint64


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
