"""IDs as tie-breakers: the unit with the smallest ID, in UTF-8 byte order (docs/spec.md §6.1).

IDs decide only ties (equal PRNs, equal π remainders, the receiver of a grid deficit), so they
are compared without a string sort: as rows of big-endian 64-bit words, narrowing the
candidates one word at a time.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["IdLookup", "lexmin", "lexmin_segments"]

_U64 = np.uint64


class IdLookup(Protocol):
    """IDs as UTF-8 bytes by position: a numpy ``S`` array, or anything indexed like one."""

    @property
    def dtype(self) -> np.dtype[Any]: ...

    def __getitem__(self, idx: Any) -> npt.NDArray[np.bytes_]: ...


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
