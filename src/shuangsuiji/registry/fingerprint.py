"""The registry fingerprint: SHA-256 of a canonical, row-order independent serialisation.

Specified in docs/fingerprint.md (with a test vector); in short::

    fingerprint = hex(tagged_sha256("shuangsuiji/registry/v1",
        utf8(id_column), u64be(n), u64be(k),
        concat(frame(utf8(id)) for id in sorted IDs),
        for each column in UTF-8 order of name:
            utf8(name), kind, payload...))

Rows are serialised in the order of their IDs' UTF-8 bytes, so the fingerprint depends on the
contents only. All work is vectorised: a lexicographic sort of the IDs as big-endian 64-bit
words, then per-column byte buffers streamed into one SHA-256.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from .columns import Column

__all__ = ["FINGERPRINT_TAG", "id_order", "registry_fingerprint"]

FINGERPRINT_TAG = "shuangsuiji/registry/v1"
CANONICAL_NAN = 0x7FF8000000000000
_CHUNK = 1 << 20  # rows per streamed block: bounds temporary memory, amortises call overhead


def _u64be(x: int) -> bytes:
    return x.to_bytes(8, "big")


def id_order(id_bytes: npt.NDArray[np.bytes_]) -> npt.NDArray[np.intp]:
    """Row positions in ascending order of ID bytes (unsigned, lexicographic, prefix first).

    IDs contain no NUL, so NUL-padding them to a multiple of 8 bytes and comparing the
    big-endian 64-bit words in turn gives exactly the byte order. numpy sorts integers several
    times faster than strings, so the words are reduced before sorting: words equal in every
    row are dropped (credit codes share their first 8 bytes), each remaining word is offset by
    its minimum, and consecutive words are packed into one integer key while their value ranges
    fit in 64 bits. Credit codes end up as a single key.

    The IDs must be distinct (a registry's are): the packing is lossless, so the keys are
    distinct too and an unstable sort (several times faster than a stable one) gives the one
    order there is.
    """
    n = id_bytes.shape[0]
    if n < 2:
        return np.arange(n, dtype=np.intp)
    width = id_bytes.dtype.itemsize
    nw = -(-width // 8)
    padded = np.ascontiguousarray(id_bytes.astype(f"S{nw * 8}"))
    words = padded.view(">u8").reshape(n, nw)
    tail_shift = 8 * (nw * 8 - width)  # the last word's low bytes are padding in every row
    parts: list[tuple[npt.NDArray[np.uint64], int]] = []  # (offset word, significant bits)
    for k in range(nw):
        w = words[:, k].astype(np.uint64)
        if k == nw - 1 and tail_shift:
            w >>= np.uint64(tail_shift)
        lo, hi = int(w.min()), int(w.max())
        if lo != hi:
            parts.append((w - np.uint64(lo), (hi - lo).bit_length()))
    keys: list[npt.NDArray[np.uint64]] = []
    bits = 64
    for w, b in parts:  # pack in priority order: earlier words into higher bits
        if bits + b <= 64:
            keys[-1] = (keys[-1] << np.uint64(b)) | w
            bits += b
        else:
            keys.append(w)
            bits = b
    if not keys:
        return np.arange(n, dtype=np.intp)
    if len(keys) == 1:
        return np.argsort(keys[0])
    return np.lexsort(keys[::-1])  # lexsort's last key is the primary one


def _framed_ids(id_bytes: npt.NDArray[np.bytes_], order: npt.NDArray[np.intp]) -> Iterator[Any]:
    """``u64be(total) || concat(u64be(len(id)) || id)`` in ``order``, as buffers to hash."""
    lengths = np.strings.str_len(id_bytes).astype(np.int64)
    yield _u64be(int(lengths.sum()) + 8 * int(lengths.size))
    width = id_bytes.dtype.itemsize
    src = np.ascontiguousarray(id_bytes).view(np.uint8).reshape(-1, width)
    uniform = int(lengths.min()) == width  # e.g. all 18-character credit codes: no masking
    cols = np.arange(8 + width)
    for s in range(0, order.size, _CHUNK):
        idx = order[s : s + _CHUNK]
        c = idx.size
        mat = np.empty((c, 8 + width), np.uint8)
        ln = lengths[idx]
        mat[:, :8] = ln.astype(">u8").view(np.uint8).reshape(c, 8)
        mat[:, 8:] = np.take(src, idx, axis=0)
        yield mat if uniform else mat[cols < 8 + ln[:, None]]


def _canonical_str(col: Column) -> Column:
    cats = col.categories
    if any(a >= b for a, b in itertools.pairwise(cats)):
        col = Column.from_codes(col.data, cats)  # re-sorts (and drops unused)
    return col.compact()


def _payloads(col: Column, order: npt.NDArray[np.intp]) -> list[bytes | npt.NDArray[Any]]:
    # np.take makes the one copy in ID order; astype(copy=False) adds none when the dtype
    # already is the little-endian one the spec names (as it is on every common platform).
    if col.kind == "str":
        c = _canonical_str(col)
        cats = b"".join(_u64be(len(b)) + b for b in (x.encode("utf-8") for x in c.categories))
        return [cats, np.take(c.data, order).astype("<i4", copy=False)]
    if col.kind == "float":
        v = np.take(col.data, order).astype("<f8", copy=False)
        v[v == 0.0] = 0.0  # -0.0 == 0.0, so this writes +0.0 over both
        v.view("<u8")[np.isnan(v)] = CANONICAL_NAN
        return [v]
    if col.kind == "int":
        return [np.take(col.data, order).astype("<i8", copy=False)]
    if col.kind == "bool":
        return [np.take(col.data, order).astype(bool, copy=False).view(np.uint8)]
    raise ValueError(f"unknown column kind {col.kind!r}")


def _column_payloads(
    cols: list[Column], order: npt.NDArray[np.intp], pool: ThreadPoolExecutor | None
) -> Iterator[list[bytes | npt.NDArray[Any]]]:
    """Each column's payload buffers, in turn; with a ``pool``, built ahead on its thread.

    The worker builds the next column while the caller hashes (numpy's take and hashlib both
    release the GIL on large buffers), so only a few columns' buffers exist at a time. The
    first column is submitted at once, so it overlaps the hashing of the IDs. The bytes hashed
    do not depend on timing.
    """
    if pool is None:
        return (_payloads(c, order) for c in cols)
    ahead = deque(pool.submit(_payloads, c, order) for c in cols[:1])

    def gen() -> Iterator[list[bytes | npt.NDArray[Any]]]:
        for j in range(len(cols)):
            current = ahead.popleft().result()
            if j + 1 < len(cols):
                ahead.append(pool.submit(_payloads, cols[j + 1], order))
            yield current

    return gen()


def registry_fingerprint(
    id_column: str, id_bytes: npt.NDArray[np.bytes_], columns: Mapping[str, Column]
) -> str:
    """The lower-case hex fingerprint of a registry (see the module docstring and the spec).

    ``id_bytes`` must hold distinct, NUL-free IDs; the result does not depend on row order.
    """
    h = hashlib.sha256()

    def field(data: bytes | npt.NDArray[Any]) -> None:
        if isinstance(data, bytes):
            h.update(_u64be(len(data)))
            h.update(data)
        else:
            h.update(_u64be(data.nbytes))
            h.update(np.ascontiguousarray(data).data)

    field(FINGERPRINT_TAG.encode("utf-8"))
    field(id_column.encode("utf-8"))
    field(_u64be(int(id_bytes.shape[0])))
    field(_u64be(len(columns)))
    order = id_order(id_bytes)
    names = sorted(columns, key=lambda s: s.encode("utf-8"))
    # A worker thread only pays off on large registries; it is started by the first submit.
    with ThreadPoolExecutor(1) as pool:
        payloads = _column_payloads(
            [columns[n] for n in names], order, pool if order.size >= _CHUNK else None
        )
        for part in _framed_ids(id_bytes, order):
            h.update(part)
        for name, parts in zip(names, payloads):
            field(name.encode("utf-8"))
            field(columns[name].kind.encode("ascii"))
            for p in parts:
                field(p)
    return h.hexdigest()
