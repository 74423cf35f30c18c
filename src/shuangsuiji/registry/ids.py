"""Target IDs: canonical text, stored as a fixed-width numpy ``S`` array of UTF-8 bytes, and checks.

An ID is a non-empty string without NUL and without leading or trailing whitespace (Python's
``str.isspace``, which includes the ideographic space U+3000 common in Chinese data). Integers are
accepted and written in decimal (``42`` -> ``"42"``); floats and bools are refused because their
text is ambiguous (``42.0``? ``"True"``?). NUL is refused because the ``S`` dtype pads with NUL:
an ID ending in NUL would silently lose it.

Checks on the ``S`` array are vectorised: Python loops run only over rows already flagged.
Python values (records) are necessarily looked at one by one, but with C-level passes
(``map``, ``str.join``) where a whole column can be checked at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InputError
from .columns import is_missing

__all__ = [
    "Rows",
    "canonical_id",
    "check_ids",
    "duplicate_groups",
    "ids_from_ints",
    "ids_from_objects",
    "ids_from_utf8",
    "refuse_duplicates",
]

_SHOW = 5  # how many culprits a message lists before "and N more"

# Python's whitespace: the ASCII ones by table lookup on the first/last byte; the non-ASCII
# ones (tests check this list against str.isspace) start with one of a few UTF-8 lead bytes.
_NONASCII_SPACE = (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_SPACE, _MAYBE = 1, 2  # flags: an ASCII space; a byte that may begin/end a non-ASCII space
_FIRST = np.array([_SPACE if b < 128 and chr(b).isspace() else 0 for b in range(256)], np.uint8)
_LAST = _FIRST.copy()
_FIRST[0] = _SPACE  # a first byte of NUL means the ID is empty
for _c in _NONASCII_SPACE:
    _FIRST[_c.encode()[0]] |= _MAYBE
    _LAST[_c.encode()[-1]] |= _MAYBE


@attrs.frozen
class Rows:
    """How messages name rows.

    In-memory input (records, DataFrames, tables) is named by 0-based row index; a file (``source``
    set) by 1-based data row, the first row after the header being row 1.
    """

    source: str | None = None

    def at(self, positions: Iterable[int] | int) -> str:
        ps = [int(positions)] if isinstance(positions, (int, np.integer)) else list(positions)
        many = len(ps) > 1
        shown = ", ".join(str(p + (0 if self.source is None else 1)) for p in ps[:_SHOW])
        if len(ps) > _SHOW:
            shown += f" and {len(ps) - _SHOW} more"
        if self.source is None:
            return f"row {'indexes' if many else 'index'} {shown} (0-based)"
        return f"{'rows' if many else 'row'} {shown} of {self.source!r}"


def _more(total: int) -> str:
    return f"; and {total - _SHOW} more" if total > _SHOW else ""


def canonical_id(value: Any) -> str | None:
    """The ID text for one value, or ``None`` if the type is not allowed (float, bool, other)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return str(int(value))
    return None


def _refuse_types(values: Sequence[Any], bad: Sequence[int], column: str, rows: Rows) -> None:
    missing = [i for i in bad if is_missing(values[i])]
    if missing:
        raise InputError(
            f"missing ID in column {column!r} at {rows.at(missing)}: every target needs an ID"
        )
    first = values[bad[0]]
    why = (
        "a float or bool is ambiguous as an ID (is 42.0 the ID '42' or '42.0'?)"
        if isinstance(first, (float, bool, np.floating, np.bool_))
        else "IDs must be text or integers"
    )
    raise InputError(
        f"ID column {column!r} holds {type(first).__name__} value {first!r} at "
        f"{rows.at(bad)}; {why}: convert the IDs to text first"
    )


def ids_from_objects(values: Sequence[Any], column: str, rows: Rows) -> npt.NDArray[np.bytes_]:
    """IDs from Python values (str or int); refuses missing, float, bool and other types, and NUL."""
    vals = values if isinstance(values, list) else list(values)
    if not all(type(v) is str for v in vals):
        texts = [canonical_id(v) for v in vals]
        bad = [i for i, t in enumerate(texts) if t is None]
        if bad:
            _refuse_types(vals, bad, column, rows)
        vals = texts
    # One join + memchr finds a NUL anywhere; only then look for which rows.
    if "\x00" in "".join(vals):
        nul = [i for i, v in enumerate(vals) if "\x00" in v]
        raise InputError(
            f"ID {vals[nul[0]]!r} in column {column!r} at {rows.at(nul)} contains a NUL "
            "character, which IDs may not contain"
        )
    arr = np.array(vals, dtype=object)
    try:
        return arr.astype("S")  # ASCII, the usual case (credit codes): encoded in C
    except UnicodeEncodeError:
        return np.array([v.encode("utf-8") for v in vals], dtype="S")


def ids_from_ints(values: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.bytes_]:
    """IDs from an integer array, in decimal (numpy's int -> bytes cast writes plain decimal)."""
    out: npt.NDArray[np.bytes_] = np.asarray(values).astype("S")
    return out


def ids_from_utf8(
    offsets: npt.NDArray[np.integer[Any]],
    data: npt.NDArray[np.uint8],
    column: str,
    rows: Rows,
) -> npt.NDArray[np.bytes_]:
    """IDs from Arrow-style buffers: row ``i`` is ``data[offsets[i]:offsets[i+1]]`` (valid UTF-8).

    Equal lengths (e.g. 18-character credit codes) are a zero-gather reshape; otherwise rows are
    gathered in chunks into a NUL-padded matrix.
    """
    offsets = np.asarray(offsets, np.int64)
    n = offsets.size - 1
    lo, hi = int(offsets[0]), int(offsets[-1])
    body = data[lo:hi]
    if body.size and not body.all():
        at = np.flatnonzero(body == 0) + lo
        nul = np.unique(np.searchsorted(offsets, at, side="right") - 1)
        bad = bytes(data[offsets[nul[0]] : offsets[nul[0] + 1]]).decode("utf-8")
        raise InputError(
            f"ID {bad!r} in column {column!r} at {rows.at(nul.tolist())} contains a NUL "
            "character, which IDs may not contain"
        )
    lengths = np.diff(offsets)
    width = max(int(lengths.max()) if n else 1, 1)
    if n and int(lengths.min()) == width:
        same: npt.NDArray[np.bytes_] = body[: n * width].copy().view(f"S{width}")
        return same
    mat = np.zeros((n, width), np.uint8)
    cols = np.arange(width, dtype=np.int64)
    step = max(1, (1 << 22) // width)  # ~4M gathered bytes per chunk bounds the index arrays
    last = max(data.size - 1, 0)
    starts = offsets[:-1]
    for s in range(0, n, step):
        st = starts[s : s + step]
        idx = np.minimum(st[:, None] + cols, last)
        chunk = data[idx] if data.size else np.zeros(idx.shape, np.uint8)
        chunk[cols >= lengths[s : s + step, None]] = 0
        mat[s : s + step] = chunk
    return mat.view(f"S{width}").reshape(n)


def _edge_whitespace(idb: npt.NDArray[np.bytes_]) -> npt.NDArray[np.intp]:
    """Rows whose ID is empty or starts or ends with whitespace."""
    n = idb.shape[0]
    width = idb.dtype.itemsize
    flat = np.ascontiguousarray(idb).view(np.uint8)
    lengths = np.strings.str_len(idb)
    if int(lengths.min()) == width:  # all the same length: the last byte is a strided view
        last = flat[width - 1 :: width]
    else:
        last = flat[np.arange(0, n * width, width) + np.maximum(lengths - 1, 0)]
    flags = _FIRST[flat[::width]] | _LAST[last]
    if not flags.any():  # the usual case: one pass decides
        return np.zeros(0, np.intp)
    bad = (flags & _SPACE).astype(bool)
    maybe = np.flatnonzero(flags == _MAYBE)
    for i in maybe.tolist():  # non-ASCII edges only: decode and ask Python
        s = bytes(idb[i]).decode("utf-8")
        if s[0].isspace() or s[-1].isspace():
            bad[i] = True
    return np.flatnonzero(bad)


def _mix64(idb: npt.NDArray[np.bytes_]) -> npt.NDArray[np.uint64]:
    """A 64-bit mixing hash of each padded ID (a bucket key for duplicate search, not a spec).

    Reads the row as unaligned 8-byte words (the last one overlapping when the width is not a
    multiple of 8), so equal IDs always get equal hashes; unequal ones collide rarely, and
    collisions are resolved by an exact comparison.
    """
    if idb.dtype.itemsize < 8:
        idb = idb.astype("S8")
    n, width = idb.shape[0], idb.dtype.itemsize
    raw = np.ascontiguousarray(idb).view(np.uint8).reshape(-1)
    starts = list(range(0, width - 7, 8))
    if starts[-1] != width - 8:
        starts.append(width - 8)
    h = np.full(n, 0x9E3779B97F4A7C15, np.uint64)
    for o in starts:
        w = np.ndarray((n,), dtype="<u8", buffer=raw, offset=o, strides=(width,))
        h ^= w
        h *= np.uint64(0xFF51AFD7ED558CCD)  # uint64 arithmetic wraps, as the mixer intends
        h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    h ^= h >> np.uint64(29)
    return h


def duplicate_groups(idb: npt.NDArray[np.bytes_]) -> list[npt.NDArray[np.intp]]:
    """Row positions of each duplicated ID (each group ascending; groups by first position)."""
    if idb.shape[0] < 2:
        return []
    h = _mix64(idb)
    s = np.sort(h)  # a plain uint64 sort: SIMD-fast, unlike sorting the bytes themselves
    clash = s[1:][s[1:] == s[:-1]]
    if clash.size == 0:
        return []
    cand = np.flatnonzero(np.isin(h, clash))
    sub = idb[cand]
    order = np.argsort(sub, kind="stable")
    srt = sub[order]
    same = srt[1:] == srt[:-1]
    groups: list[npt.NDArray[np.intp]] = []
    i = 0
    while i < same.size:
        if same[i]:
            j = i
            while j < same.size and same[j]:
                j += 1
            groups.append(np.sort(cand[order[i : j + 1]]))
            i = j
        i += 1
    groups.sort(key=lambda g: int(g[0]))
    return groups


def check_ids(idb: npt.NDArray[np.bytes_], column: str, rows: Rows) -> None:
    """Refuse empty or whitespace-padded IDs and duplicates (NUL is refused on conversion)."""
    if idb.dtype.kind != "S" or idb.ndim != 1:
        raise TypeError("IDs must be a one-dimensional numpy S array")
    bad = _edge_whitespace(idb)
    if bad.size:
        shown = "; ".join(
            f"{bytes(idb[i]).decode('utf-8')!r} at {rows.at(int(i))}" for i in bad[:_SHOW]
        )
        raise InputError(
            f"{bad.size} empty or whitespace-padded ID(s) in column {column!r}: {shown}"
            f"{_more(bad.size)}. IDs are compared exactly; strip them in the source data"
        )
    refuse_duplicates(idb, column, rows, "target")


def refuse_duplicates(idb: npt.NDArray[np.bytes_], column: str, rows: Rows, who: str) -> None:
    """Refuse duplicated IDs, naming up to five of them with their rows; ``who`` is what one
    row is (``"target"``, ``"inspector"``). The one duplicate message of both registries."""
    groups = duplicate_groups(idb)
    if groups:
        shown = "; ".join(
            f"{bytes(idb[g[0]]).decode('utf-8')!r} at {rows.at(g.tolist())}" for g in groups[:_SHOW]
        )
        raise InputError(
            f"{len(groups)} duplicated ID(s) in column {column!r}: {shown}{_more(len(groups))}. "
            f"Each {who} must appear once"
        )
