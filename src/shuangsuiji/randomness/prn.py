"""Permanent random numbers: PRN(seed, namespace, id), vectorised.

Definition (docs/spec.md §3)::

    key  = tagged_sha256("shuangsuiji/prn/v1", seed, utf8(namespace))[0:16]
    h    = SipHash-2-4(key, utf8(id))            # 64-bit unsigned integer
    PRN  = (h + 1/2) / 2**64                      # a real number in (0, 1)

Units are ordered by ``h`` (ties, which have probability about n**2 / 2**65, by the UTF-8 bytes of the
ID). ``h`` carries all 64 bits; :func:`prn_float` gives a float in (0, 1) for display.

SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF", INDOCRYPT 2012) is a
pseudorandom function keyed by 128 bits. The key is derived from the seed, which stays secret until
after the commitment, so the threat is prediction of a PRN before the reveal. A PRF's outputs are
indistinguishable from independent uniform draws to anyone without the key, whatever the
structure of the IDs (sequential codes, IDs differing in one character). Collision resistance is
not needed: nothing is gained by two targets sharing a PRN. Per-ID SHA-256 would also do, but is
an order of magnitude slower in a Python loop; SipHash vectorises over numpy ``uint64`` arrays.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt

from .._util.hashing import tagged_sha256

__all__ = [
    "PRN_TAG",
    "id_bytes_array",
    "prn_float",
    "prn_hash",
    "prn_key",
    "siphash24",
    "siphash24_chunks",
]

PRN_TAG = "shuangsuiji/prn/v1"
_CHUNK = 1 << 15  # IDs per chunk: the state arrays stay in L2
_U64 = np.uint64


def prn_key(seed: bytes, namespace: str) -> bytes:
    """The 16-byte SipHash key for one (seed, namespace)."""
    return tagged_sha256(PRN_TAG, seed, namespace)[:16]


def _rotl(x: npt.NDArray[np.uint64], b: int, tmp: npt.NDArray[np.uint64]) -> None:
    np.left_shift(x, _U64(b), out=tmp)
    np.right_shift(x, _U64(64 - b), out=x)
    np.bitwise_or(x, tmp, out=x)


def _sipround(
    v0: npt.NDArray[np.uint64],
    v1: npt.NDArray[np.uint64],
    v2: npt.NDArray[np.uint64],
    v3: npt.NDArray[np.uint64],
    t: npt.NDArray[np.uint64],
) -> None:
    # In-place ufuncs keep each chunk in cache; uint64 addition wraps modulo 2**64 as SipHash needs.
    v0 += v1
    _rotl(v1, 13, t)
    v1 ^= v0
    _rotl(v0, 32, t)
    v2 += v3
    _rotl(v3, 16, t)
    v3 ^= v2
    v0 += v3
    _rotl(v3, 21, t)
    v3 ^= v0
    v2 += v1
    _rotl(v1, 17, t)
    v1 ^= v2
    _rotl(v2, 32, t)


_MASK = (1 << 64) - 1


def _rotl_int(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & _MASK


def _sipround_int(v: list[int]) -> None:
    """One SipRound on Python ints (a state shared by a whole chunk)."""
    v0, v1, v2, v3 = v
    v0 = (v0 + v1) & _MASK
    v1 = _rotl_int(v1, 13) ^ v0
    v0 = _rotl_int(v0, 32)
    v2 = (v2 + v3) & _MASK
    v3 = _rotl_int(v3, 16) ^ v2
    v0 = (v0 + v3) & _MASK
    v3 = _rotl_int(v3, 21) ^ v0
    v2 = (v2 + v1) & _MASK
    v1 = _rotl_int(v1, 17) ^ v2
    v2 = _rotl_int(v2, 32)
    v[:] = [v0, v1, v2, v3]


Block = npt.NDArray[np.uint64] | int


def _siphash_blocks(blocks: list[Block], n: int, k0: int, k1: int) -> npt.NDArray[np.uint64]:
    """SipHash-2-4 of n messages given as their 64-bit blocks (arrays, or ints shared by all).

    Leading blocks equal in every message (credit codes of one registration authority and
    county share their first 8 bytes) are absorbed once into a shared state, in Python ints;
    the rest runs on arrays. The result is the same either way.
    """
    v = [
        k0 ^ 0x736F6D6570736575,
        k1 ^ 0x646F72616E646F6D,
        k0 ^ 0x6C7967656E657261,
        k1 ^ 0x7465646279746573,
    ]
    first = 0
    while first < len(blocks) - 1:
        m = blocks[first]
        if not isinstance(m, int):
            m0 = int(m[0])
            if not bool((m == _U64(m0)).all()):
                break
            m = m0
        v[3] ^= m
        _sipround_int(v)
        _sipround_int(v)
        v[0] ^= m
        first += 1
    v0, v1, v2, v3 = (np.full(n, x, _U64) for x in v)
    t = np.empty(n, _U64)
    for m in blocks[first:]:
        mm = _U64(m) if isinstance(m, int) else m
        v3 ^= mm
        _sipround(v0, v1, v2, v3, t)
        _sipround(v0, v1, v2, v3, t)
        v0 ^= mm
    v2 ^= _U64(0xFF)
    for _ in range(4):
        _sipround(v0, v1, v2, v3, t)
    v0 ^= v1
    v2 ^= v3
    v0 ^= v2
    return v0


def _blocks_gathered(rows: npt.NDArray[np.uint8], length: int) -> list[Block]:
    """SipHash message blocks for rows of ``length`` bytes each (zero padded in ``rows``)."""
    n = rows.shape[0]
    nblocks = length // 8 + 1
    buf = np.zeros((n, nblocks * 8), np.uint8)
    buf[:, :length] = rows[:, :length]
    buf[:, nblocks * 8 - 1] = length & 0xFF
    words = buf.view("<u8")
    return [np.ascontiguousarray(words[:, b]).astype(_U64, copy=False) for b in range(nblocks)]


def _blocks_strided(raw: npt.NDArray[np.uint8], width: int, rows: slice) -> list[Block]:
    """Message blocks of consecutive IDs that all have the full ``width`` (>= 8) bytes, read
    in place from the ID array's bytes: full blocks as strided 8-byte words, the last partial
    block through the ID's final 8 bytes, shifted; no padded copy of the IDs."""
    start, stop = rows.start, rows.stop
    n = stop - start
    out: list[Block] = []
    for b in range(width // 8):
        word = np.ndarray((n,), "<u8", raw, start * width + 8 * b, (width,))
        out.append(word.astype(_U64))  # an aligned, native copy for the ufuncs
    rest = width % 8
    tail = (width & 0xFF) << 56  # the length byte tops the last block
    if rest:
        word = np.ndarray((n,), "<u8", raw, start * width + width - 8, (width,))
        last = word >> _U64(8 * (8 - rest))
        last |= _U64(tail)
        out.append(last)
    else:
        out.append(tail)
    return out


def id_bytes_array(ids: npt.ArrayLike) -> npt.NDArray[np.bytes_]:
    """IDs as a fixed-width ``S`` array of their UTF-8 bytes (ASCII fast path)."""
    arr = np.asarray(ids)
    if arr.dtype.kind == "S":
        return arr
    try:
        return arr.astype("S")
    except UnicodeEncodeError:
        return np.array([str(s).encode("utf-8") for s in arr.tolist()], dtype="S")


Rows = slice | npt.NDArray[np.intp]
Sink = Callable[[Rows, npt.NDArray[np.uint64]], None]


def siphash24(key: bytes, id_bytes: npt.NDArray[np.bytes_]) -> npt.NDArray[np.uint64]:
    """SipHash-2-4 of each element of a fixed-width bytes array (no element may contain NUL).

    Rows are grouped by length, hashed in cache-sized chunks and, for large inputs, on a thread
    pool (numpy releases the GIL in ufuncs). The result does not depend on chunking or threads.
    """
    out = np.empty(id_bytes.shape[0], _U64)

    def store(rows: Rows, h: npt.NDArray[np.uint64]) -> None:
        out[rows] = h

    siphash24_chunks(key, id_bytes, store)
    return out


def _rows_in(rows: Rows) -> int:
    """How many rows a chunk holds."""
    return rows.stop - rows.start if isinstance(rows, slice) else int(rows.shape[0])


def siphash24_chunks(key: bytes, id_bytes: npt.NDArray[np.bytes_], sink: Sink) -> None:
    """:func:`siphash24`, handing each chunk's hashes to ``sink(rows, h)`` instead of storing.

    ``rows`` (a slice, or an index array when IDs differ in length) says which elements ``h``
    belongs to; chunks are disjoint and cover every element once. ``sink`` runs on the worker
    threads, so a caller can turn hashes into what it needs while they are still in cache,
    in parallel, without a full-size array of hashes.
    """
    if len(key) != 16:
        raise ValueError("SipHash key must be 16 bytes")
    k0 = int.from_bytes(key[:8], "little")
    k1 = int.from_bytes(key[8:], "little")
    n = id_bytes.shape[0]
    if n == 0:
        return
    width = id_bytes.dtype.itemsize
    mat = np.ascontiguousarray(id_bytes).view(np.uint8).reshape(n, width)
    # IDs hold no NUL: when the last byte column has none, every ID has the full width
    if width and mat[:, width - 1].all():
        lengths = None
        present = np.array([width])
    else:
        lengths = np.strings.str_len(id_bytes)
        present = np.flatnonzero(np.bincount(lengths, minlength=width + 1))
    jobs: list[tuple[int, Rows]] = []
    if present.size == 1:
        # the usual case (fixed-length codes): contiguous slices, no gathers
        length = int(present[0])
        jobs = [(length, slice(s, min(s + _CHUNK, n))) for s in range(0, n, _CHUNK)]
    else:
        assert lengths is not None
        for length in present.tolist():
            idx = np.flatnonzero(lengths == length)
            jobs += [(length, idx[s : s + _CHUNK]) for s in range(0, idx.size, _CHUNK)]
    raw = mat.reshape(-1)

    def job(args: tuple[int, Rows]) -> None:
        length, rows = args
        if isinstance(rows, slice) and length == width >= 8:
            blocks = _blocks_strided(raw, width, rows)
        else:
            blocks = _blocks_gathered(mat[rows], length)
        sink(rows, _siphash_blocks(blocks, _rows_in(rows), k0, k1))

    # a thread pool costs ~1 ms to start: only worth it for inputs of many chunks
    workers = min(os.cpu_count() or 1, 8, len(jobs)) if n > 4 * _CHUNK else 1
    if workers <= 1:
        for j in jobs:
            job(j)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(job, jobs))


def prn_hash(
    seed: bytes, namespace: str, id_bytes: npt.NDArray[np.bytes_]
) -> npt.NDArray[np.uint64]:
    """The 64-bit PRN integers ``h`` for IDs given as UTF-8 bytes."""
    return siphash24(prn_key(seed, namespace), id_bytes)


def prn_float(h: npt.NDArray[np.uint64]) -> npt.NDArray[np.float64]:
    """``(2*floor(h / 2**12) + 1) / 2**53``: the top 52 bits of h as a float strictly inside (0, 1).

    Exactly representable, never 0 or 1. For display and records only: every decision uses ``h``.
    """
    out: npt.NDArray[np.float64] = (h >> _U64(12)).astype(np.float64) * 2.0**-52 + 2.0**-53
    return out
