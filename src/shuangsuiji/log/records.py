"""Records of the campaign log: the line format, its parsing and the hash-chain check.

The format is docs/spec.md §9.1–9.2; :mod:`shuangsuiji.log` is the file that holds the lines.
A line is the RFC 8785 canonical JSON (:mod:`shuangsuiji.log.canonical`) of
``{"body":{…},"prev":"<hex>","seq":N,"time":"<RFC 3339>","type":"<name>"}``; ``prev`` is the hex
SHA-256 of the previous line's bytes (no newline), 64 zeros for seq 0.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import attrs

from .._util.digests import is_sha256_hex
from .._util.times import check_time
from ..errors import InputError, LogError
from . import canonical
from .merkle import leaf_hash

__all__ = [
    "ZERO_HASH",
    "LogProblem",
    "Record",
    "check_chain",
    "encode_line",
    "format_time",
    "parse_lines",
]

ZERO_HASH = "0" * 64
"""``prev`` of record 0, and ``head`` of an empty log's checkpoint."""
_KEYS = ("body", "prev", "seq", "time", "type")
_TYPE = re.compile(r"[a-z][a-z0-9_.-]{0,63}\Z")


class LogProblem(NamedTuple):
    """One thing wrong with a log: the ``seq`` it concerns (None: the log as a whole) and why."""

    seq: int | None
    message: str


def format_time(time: object) -> str:
    """A record's ``time`` text from an aware datetime, a date, an RFC 3339 string or None (the
    clock, UTC, to the second); InputError for anything else."""
    if time is None:
        return (
            _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        )
    if isinstance(time, _dt.datetime):
        if time.tzinfo is None or time.utcoffset() is None:
            raise InputError(
                f"time {time.isoformat()} has no time zone; give an aware datetime, e.g. "
                "datetime(2025, 3, 1, 9, 30, tzinfo=ZoneInfo('Asia/Shanghai'))"
            )
        text = time.isoformat()
    elif isinstance(time, _dt.date):
        text = time.isoformat()
    elif isinstance(time, str):
        text = time
    else:
        raise InputError(
            f"time {time!r} is a {type(time).__name__}; give an aware datetime, a date or an "
            "RFC 3339 string"
        )
    why = check_time(text)
    if why is not None:
        raise InputError(why)
    return text


# -- records --------------------------------------------------------------------------------------
@attrs.frozen
class Record:
    """One line of a log, as read or written.

    ``line`` holds the canonical JSON bytes (no newline); ``line_hash`` is their hex SHA-256 (the
    next record's ``prev``) and ``leaf_hash`` their RFC 6962 leaf hash. ``offset`` is the byte at
    which the line starts in the file. ``error`` is None for a well-formed line; otherwise it says
    what is wrong and the other fields hold what could be read (``seq`` guessed from position).

    ``body`` is parsed from ``line`` on each access, so every caller gets its own fresh dict;
    keep the result when you need it more than once.
    """

    seq: int
    prev: str
    type: str
    time: str
    line: bytes = attrs.field(repr=False)
    offset: int
    leaf_hash: bytes = attrs.field(repr=False)
    line_hash: str = attrs.field(repr=False)
    error: str | None = None

    @property
    def body(self) -> dict[str, Any]:
        """The record's body, freshly parsed (raises LogError for a damaged line)."""
        if self.error is not None:
            raise LogError(f"record {self.seq} (byte {self.offset}) is damaged: {self.error}")
        body: dict[str, Any] = canonical.decode(self.line)["body"]
        return body


def _record(line: bytes, offset: int, guess: int) -> Record:
    """Parse one line leniently: a damaged line becomes a Record with ``error`` set."""
    lh = hashlib.sha256(line).hexdigest()
    leaf = leaf_hash(line)

    def bad(why: str, seq: int = guess) -> Record:
        return Record(seq, "", "", "", line, offset, leaf, lh, f"byte {offset}: {why}")

    if not line:
        return bad("an empty line")
    try:
        obj = canonical.loads(line)
    except InputError as e:
        return bad(f"the line is {e}" if str(e).startswith("not") else str(e))
    if not isinstance(obj, dict):
        return bad("the line is not a JSON object")
    seq = obj.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        return bad(f"seq {seq!r} is not a non-negative integer")
    if tuple(obj) != _KEYS:
        missing = [k for k in _KEYS if k not in obj]
        extra = sorted(set(obj) - set(_KEYS))
        return bad(f"the record's keys are wrong (missing {missing}, unexpected {extra})", seq)
    prev, type_, time, body = obj["prev"], obj["type"], obj["time"], obj["body"]
    if not is_sha256_hex(prev):
        return bad(f"prev {prev!r} is not 64 lower-case hex digits", seq)
    if not isinstance(type_, str) or not _TYPE.match(type_):
        return bad(f"type {type_!r} is not a record type name", seq)
    why = check_time(time) if isinstance(time, str) else f"time {time!r} is not a string"
    if why is not None:
        return bad(why, seq)
    if not isinstance(body, dict):
        return bad("body is not a JSON object", seq)
    return Record(seq, prev, type_, time, line, offset, leaf, lh)


def parse_lines(data: bytes) -> list[Record]:
    """Records of a log's complete lines (``data`` ends with a newline or is empty)."""
    out: list[Record] = []
    offset = 0
    guess = 0
    for line in data.split(b"\n")[:-1]:
        r = _record(line, offset, guess)
        out.append(r)
        guess = r.seq + 1
        offset += len(line) + 1
    return out


def encode_line(seq: int, prev: str, type_: str, time_text: str, body: object) -> bytes:
    """The canonical line for a new record (raises InputError and writes nothing on bad input)."""
    if not isinstance(type_, str) or not _TYPE.match(type_):
        raise InputError(
            f"record type {type_!r} is not a type name: lower-case ASCII letter, then up to 63 of "
            "a-z 0-9 _ . - (e.g. 'result')"
        )
    if not isinstance(body, Mapping):
        raise InputError(f"the {type_} record's body is a {type(body).__name__}; give a dict")
    body_bytes = canonical.dumps(dict(body), where="body")
    # Keys in canonical order: body < prev < seq < time < type.
    return b"".join(
        [
            b'{"body":',
            body_bytes,
            b',"prev":"',
            prev.encode("ascii"),
            b'","seq":',
            str(seq).encode("ascii"),
            b',"time":',
            json.dumps(time_text, ensure_ascii=False).encode("utf-8"),
            b',"type":"',
            type_.encode("ascii"),
            b'"}',
        ]
    )


# -- checks ---------------------------------------------------------------------------------------
def check_chain(records: Sequence[Record]) -> list[LogProblem]:
    """Everything wrong with the chain of ``records`` (in file order), sorted by seq.

    Reports damaged lines (not JSON, not canonical, wrong keys or types), duplicated, missing and
    out-of-order seqs, a non-zero ``prev`` on record 0, and every link where record ``s``'s
    ``prev`` is not the hash of record ``s-1``. A broken link is reported at ``s-1``, the record
    whose bytes no longer hash to what its successor recorded: changing any byte of record ``s``
    is reported at ``s`` as long as a later record exists. The last record's bytes are covered
    only by a checkpoint (:func:`check_checkpoint`).
    """
    seqs = _Seqs(records)
    problems = seqs.problems + _gaps(seqs) + _links(seqs)
    problems.sort(key=lambda p: -1 if p.seq is None else p.seq)
    return problems


class _Seqs:
    """The seqs of ``records`` in file order: the readable records by seq, the seqs seen twice,
    those of damaged lines, the highest, and what is wrong with them (damaged, duplicated or
    out-of-order lines)."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.problems: list[LogProblem] = []
        self.by_seq: dict[int, Record] = {}
        self.duplicated: set[int] = set()
        self.broken: set[int] = set()
        self.top = -1
        for r in records:
            self._take(r)

    def _take(self, r: Record) -> None:
        if r.error is not None:
            self.problems.append(LogProblem(r.seq, f"record {r.seq} is damaged at {r.error}"))
            self.broken.add(r.seq)
            return
        if r.seq in self.by_seq:
            first = self.by_seq[r.seq]
            self.problems.append(
                LogProblem(
                    r.seq,
                    f"seq {r.seq} appears twice (lines at bytes {first.offset} and {r.offset})",
                )
            )
            self.duplicated.add(r.seq)
            return
        if r.seq < self.top:
            self.problems.append(
                LogProblem(
                    r.seq,
                    f"record {r.seq} (byte {r.offset}) is out of order: it comes after record "
                    f"{self.top}",
                )
            )
        self.by_seq[r.seq] = r
        self.top = max(self.top, r.seq)


def _gaps(seqs: _Seqs) -> list[LogProblem]:
    """Missing seqs, one problem per run; a damaged line accounts for the seq it stands in for.

    Gaps are found between sorted seqs, never by counting through them: a forged seq of 10^15
    costs no more than any other."""
    problems: list[LogProblem] = []
    by_seq, broken = seqs.by_seq, seqs.broken
    last = -1
    for seq in sorted((set(by_seq) | broken) - {s for s in broken if s > seqs.top}):
        if seq > last + 1:
            gap, end = last + 1, seq - 1
            after = by_seq.get(seq)
            where = f" (the log jumps to record {seq} at byte {after.offset})" if after else ""
            what = f"record {gap} is" if gap == end else f"records {gap}-{end} are"
            problems.append(LogProblem(gap, f"{what} missing{where}"))
        last = seq
    return problems


def _links(seqs: _Seqs) -> list[LogProblem]:
    """Broken links: record 0's ``prev`` not 64 zeros, or record ``s``'s ``prev`` not the hash
    of record ``s-1`` (reported at ``s-1``); a duplicated seq's links are not judged."""
    problems: list[LogProblem] = []
    by_seq, duplicated = seqs.by_seq, seqs.duplicated
    for seq, r in by_seq.items():
        if seq in duplicated:
            continue
        if seq == 0:
            if r.prev != ZERO_HASH:
                problems.append(
                    LogProblem(
                        0,
                        f"record 0 has prev {r.prev[:16]}…, not 64 zeros: it is not "
                        "the first record of a log, or was changed",
                    )
                )
            continue
        p = by_seq.get(seq - 1)
        if p is None or seq - 1 in duplicated:
            continue
        if r.prev != p.line_hash:
            problems.append(
                LogProblem(
                    p.seq,
                    f"record {p.seq} (byte {p.offset}) does not hash to the prev stored in record "
                    f"{seq}: record {p.seq} was changed after record {seq} was written, or record "
                    f"{seq}'s prev was",
                )
            )
    return problems
