"""The campaign log: append-only JSON Lines, hash-chained, with an RFC 6962 Merkle tree over it.

The format is specified in docs/spec.md §9; in short:

- **Lines.** Each line is one JSON object in RFC 8785 canonical form (:mod:`shuangsuiji.canonical`)
  followed by ``\\n``: ``{"body":{…},"prev":"<hex>","seq":N,"time":"<RFC 3339>","type":"<name>"}``.
  The *line bytes* are the canonical JSON without the newline; every hash below is over them.
- **seq** counts from 0 and equals the line's position, and so its Merkle leaf index.
- **prev** is the hex SHA-256 of the previous line's bytes; 64 zeros on line 0.
- **type** names the record kind (``[a-z][a-z0-9_.-]{0,63}``); the log gives it no meaning.
- **time** is when the caller says the record was made: an aware ``datetime`` (written with
  ``isoformat()``), an RFC 3339 string, or by default the clock (UTC, to the second). It is hashed
  like everything else, so it cannot be changed afterwards, but the log never *uses* it, and
  replay must not either (deadlines may be checked against it).
- **body** is the record's content, any JSON object. Floats are allowed and exact; integers must
  lie within ±(2⁵³−1); see :mod:`shuangsuiji.canonical` for the value rules.
- **Merkle tree.** Leaf ``i`` is line ``i``: ``leaf = SHA-256(0x00 || line)`` (:mod:`.merkle`).
  :meth:`Log.root`, :meth:`Log.inclusion_proof` and :meth:`Log.consistency_proof` return hex.
- **Checkpoint.** ``(size, root, head)`` where ``head`` is the SHA-256 of line ``size-1`` (64 zeros
  for an empty log), so the next record's ``prev``. Published elsewhere, it lets
  :func:`check_checkpoint` catch a truncated or rewritten log and name the seq where it can.

Durability and safety:

- :meth:`Log.append` writes one whole line with one ``write`` call, then ``fsync``. Before it
  writes, it builds and checks the line: a body that is not JSON raises :class:`InputError` and
  the file is unchanged. If the write or fsync fails, the file is truncated back to where it was
  and :class:`LogError` says so. :meth:`Log.append_many` writes several records with one fsync.
- A writer holds an exclusive ``flock`` on the log file from open to close; a second writer gets a
  :class:`LogError` naming the holder's process id when the system tells (Linux ``/proc/locks``).
  Readers (:func:`read_log`) take no lock.
- A crash can leave a *torn* last line: bytes without their final newline. Opening such a log
  raises :class:`TornLogError` (a ``LogError``) with the byte offset where the fragment starts.
  :func:`repair` moves the fragment to a side file ``<log>.torn-<offset>`` (fsynced) and only
  then truncates the log; nothing is silently dropped.
- :meth:`Log.open` refuses a log whose chain does not check (it would extend a tampered log);
  :func:`read_log` and :func:`check_chain` report problems instead, for ``verify``.

Problems are :class:`LogProblem` named tuples ``(seq, message)``; ``seq`` is ``None`` only for a
problem with the log as a whole (a rewrite that a checkpoint reveals but cannot place).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, final

import attrs

from . import canonical
from .errors import InputError, LogError
from .merkle import MerkleTree, leaf_hash

__all__ = [
    "CHECKPOINT_FORMAT",
    "ZERO_HASH",
    "Checkpoint",
    "Log",
    "LogError",
    "LogProblem",
    "Record",
    "TornLogError",
    "check_chain",
    "check_checkpoint",
    "read_log",
    "repair",
]

ZERO_HASH = "0" * 64
"""``prev`` of record 0, and ``head`` of an empty log's checkpoint."""
CHECKPOINT_FORMAT = "shuangsuiji-checkpoint/1"
_KEYS = ("body", "prev", "seq", "time", "type")
_TYPE = re.compile(r"[a-z][a-z0-9_.-]{0,63}\Z")
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,9})?"
    r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2})))?\Z"
)


class TornLogError(LogError):
    """The log's last line has no newline: a crash interrupted an append. See :func:`repair`."""

    def __init__(self, path: Path, offset: int, length: int) -> None:
        self.path = path
        self.offset = offset
        self.length = length
        super().__init__(
            f"{os.fspath(path)}: the last line is torn at byte {offset} ({length} bytes without "
            "a final newline, probably from a crash during an append); run "
            f"shuangsuiji.log.repair({os.fspath(path)!r}) to move the fragment to a side file"
        )


class LogProblem(NamedTuple):
    """One thing wrong with a log: the ``seq`` it concerns (None: the log as a whole) and why."""

    seq: int | None
    message: str


# -- times ----------------------------------------------------------------------------------------
def check_time(text: str) -> str | None:
    """Why ``text`` is not an RFC 3339 date or date-time with offset, or None when it is."""
    m = _TIME.match(text)
    if m is None:
        return (
            f"time {text[:40]!r} is not an RFC 3339 date-time with a UTC offset "
            "(e.g. 2025-03-01T09:30:00+08:00) or a date (2025-03-01)"
        )
    y, mo, d, hh, mm, ss, _sign, oh, om = m.groups()
    try:
        _dt.date(int(y), int(mo), int(d))
    except ValueError:
        return f"time {text!r} has no such date"
    if hh is not None and (int(hh) > 23 or int(mm) > 59 or int(ss) > 60):
        return f"time {text!r} has no such time of day"
    if oh is not None and (int(oh) > 23 or int(om) > 59):
        return f"time {text!r} has no such UTC offset"
    return None


def _time_text(time: object) -> str:
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
        body: dict[str, Any] = json.loads(self.line)["body"]
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
    if not isinstance(prev, str) or not _HEX64.match(prev):
        return bad(f"prev {prev!r} is not 64 lower-case hex digits", seq)
    if not isinstance(type_, str) or not _TYPE.match(type_):
        return bad(f"type {type_!r} is not a record type name", seq)
    why = check_time(time) if isinstance(time, str) else f"time {time!r} is not a string"
    if why is not None:
        return bad(why, seq)
    if not isinstance(body, dict):
        return bad("body is not a JSON object", seq)
    return Record(seq, prev, type_, time, line, offset, leaf, lh)


def _records(data: bytes) -> list[Record]:
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


def _encode(seq: int, prev: str, type_: str, time_text: str, body: object) -> bytes:
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
    problems: list[LogProblem] = []
    by_seq: dict[int, Record] = {}
    duplicated: set[int] = set()
    broken_seqs: set[int] = set()
    top = -1
    for r in records:
        if r.error is not None:
            problems.append(LogProblem(r.seq, f"record {r.seq} is damaged at {r.error}"))
            broken_seqs.add(r.seq)
            continue
        if r.seq in by_seq:
            first = by_seq[r.seq]
            problems.append(
                LogProblem(
                    r.seq,
                    f"seq {r.seq} appears twice (lines at bytes {first.offset} and {r.offset})",
                )
            )
            duplicated.add(r.seq)
            continue
        if r.seq < top:
            problems.append(
                LogProblem(
                    r.seq,
                    f"record {r.seq} (byte {r.offset}) is out of order: it comes after record "
                    f"{top}",
                )
            )
        by_seq[r.seq] = r
        top = max(top, r.seq)
    # Missing seqs, one problem per run; a damaged line accounts for the seq it stands in for.
    covered = set(by_seq) | broken_seqs
    s = 0
    while s <= top:
        if s in covered:
            s += 1
            continue
        end = s
        while end + 1 <= top and end + 1 not in covered:
            end += 1
        after = by_seq.get(end + 1)
        where = f" (the log jumps to record {end + 1} at byte {after.offset})" if after else ""
        what = f"record {s} is" if s == end else f"records {s}-{end} are"
        problems.append(LogProblem(s, f"{what} missing{where}"))
        s = end + 1
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
    problems.sort(key=lambda p: -1 if p.seq is None else p.seq)
    return problems


def check_checkpoint(records: Sequence[Record], checkpoint: Checkpoint) -> list[LogProblem]:
    """What ``checkpoint`` reveals about ``records`` (in file order): truncation or rewriting.

    - fewer records than the checkpoint's size: truncated, reported at the first missing seq;
    - line ``size-1`` no longer hashes to the checkpoint's ``head``: reported at ``size-1``;
    - the first ``size`` lines no longer hash to its ``root``: reported with seq None (the tree
      says that something changed, not where; the chain check usually says where);
    - otherwise the RFC 6962 consistency proof from the checkpoint to the current log must verify.
    """
    from .merkle import verify_consistency

    n, size = len(records), checkpoint.size
    if n < size:
        return [
            LogProblem(
                n,
                f"the log has {n} records but checkpoint certified {size}: records {n}-{size - 1} "
                "were removed (the log was truncated)",
            )
        ]
    tree = MerkleTree(r.leaf_hash for r in records)
    head = records[size - 1].line_hash if size else ZERO_HASH
    if head != checkpoint.head:
        return [
            LogProblem(
                size - 1 if size else None,
                f"record {size - 1} is not the one the checkpoint certified (its SHA-256 is "
                f"{head}, the checkpoint's head is {checkpoint.head}): it was changed",
            )
        ]
    root = tree.root(size)
    if root.hex() != checkpoint.root:
        return [
            LogProblem(
                None,
                f"the first {size} records no longer hash to the checkpoint's Merkle root "
                f"{checkpoint.root} (now {root.hex()}): records before {size - 1} were rewritten",
            )
        ]
    if 0 < size < n:
        proof = tree.consistency_proof(size)
        if not verify_consistency(size, n, bytes.fromhex(checkpoint.root), tree.root(), proof):
            return [
                LogProblem(None, f"the consistency proof from size {size} to {n} does not verify")
            ]
    return []


# -- checkpoints ----------------------------------------------------------------------------------
@attrs.frozen
class Checkpoint:
    """A log's size, RFC 6962 root and head (hash of the last line), to publish elsewhere.

    JSON form (canonical, one line): ``{"format":"shuangsuiji-checkpoint/1","head":…,"root":…,
    "size":N}``.
    """

    size: int
    root: str
    head: str

    def __attrs_post_init__(self) -> None:
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size < 0:
            raise InputError(f"checkpoint size {self.size!r} is not a non-negative integer")
        for name in ("root", "head"):
            value = getattr(self, name)
            if not isinstance(value, str) or not _HEX64.match(value):
                raise InputError(
                    f"checkpoint {name} {value!r} is not 64 lower-case hex digits (a SHA-256)"
                )
        if self.size == 0 and self.head != ZERO_HASH:
            raise InputError("checkpoint of an empty log must have head = 64 zeros")

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "head": self.head,
            "root": self.root,
            "size": self.size,
        }

    def to_json(self) -> str:
        """Canonical JSON text (RFC 8785), without a newline."""
        return canonical.dumps(self.to_dict()).decode("utf-8")

    @classmethod
    def from_dict(cls, d: Any) -> Checkpoint:
        if not isinstance(d, Mapping):
            raise InputError(f"a checkpoint is a JSON object, not {type(d).__name__}")
        if d.get("format") != CHECKPOINT_FORMAT:
            raise InputError(f"checkpoint format {d.get('format')!r} is not {CHECKPOINT_FORMAT!r}")
        extra = sorted(set(d) - {"format", "head", "root", "size"})
        if extra:
            raise InputError(f"checkpoint has unknown keys {extra}")
        for k in ("size", "root", "head"):
            if k not in d:
                raise InputError(f"checkpoint has no {k!r}")
        return cls(d["size"], d["root"], d["head"])

    @classmethod
    def from_json(cls, text: str | bytes) -> Checkpoint:
        try:
            d = json.loads(text)
        except ValueError as e:
            raise InputError(f"checkpoint is not JSON: {e}") from None
        return cls.from_dict(d)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the JSON (plus newline) atomically: a temporary file, fsync, rename."""
        p = Path(path)
        tmp = p.with_name(f".{p.name}.tmp-{os.getpid()}")
        with open(tmp, "wb") as f:
            f.write(self.to_json().encode("utf-8") + b"\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
        _fsync_dir(p.parent)
        return p

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Checkpoint:
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            raise InputError(f"cannot read checkpoint {os.fspath(path)!r}: {e.strerror}") from None
        try:
            return cls.from_json(data)
        except InputError as e:
            raise InputError(f"{os.fspath(path)}: {e}") from None


# -- files and locks ------------------------------------------------------------------------------
def _fsync_dir(directory: Path) -> None:
    """Make a created, renamed or truncated entry durable (a no-op where directories can't open)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _lock_holder(fd: int) -> str:
    """' by process N' from /proc/locks for the file behind ``fd``, or '' when unknown."""
    try:
        st = os.fstat(fd)
        ident = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
        with open("/proc/locks", encoding="ascii", errors="replace") as f:
            for ln in f:
                parts = ln.split()
                # "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF" (a "->" marks waiters)
                if "->" in parts or len(parts) < 6 or parts[1] != "FLOCK":
                    continue
                if parts[5] == ident and parts[4] != str(os.getpid()):
                    return f" by process {parts[4]}"
                if parts[5] == ident:
                    return f" by this process (pid {parts[4]}; another Log or Campaign object)"
    except (OSError, ValueError, AttributeError):
        pass
    return ""


def _lock(fd: int, path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - POSIX only; see the module docstring
        import msvcrt

        try:
            os.lseek(
                fd, 1 << 62, os.SEEK_SET
            )  # a byte far past the end, so readers are not blocked
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            raise LogError(f"{os.fspath(path)} is locked by another writer") from None
        return
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise LogError(
            f"{os.fspath(path)} is locked{_lock_holder(fd)}: another writer has it open; close "
            "that Log (or Campaign) first"
        ) from None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks: list[bytes] = []
    while True:
        chunk = os.read(fd, 1 << 24)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _torn(path: Path, data: bytes) -> TornLogError | None:
    if data and not data.endswith(b"\n"):
        offset = data.rfind(b"\n") + 1
        return TornLogError(path, offset, len(data) - offset)
    return None


# -- the log --------------------------------------------------------------------------------------
@final
class Log:
    """An open log with its writer lock; create with :meth:`create` or :meth:`open`.

    Holds every record in memory (the lines and their hashes), and the Merkle tree over them.
    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: Path, fd: int, records: list[Record]) -> None:
        self._path = path
        self._fd: int | None = fd
        self._records = records
        self._tree = MerkleTree(r.leaf_hash for r in records)
        self._nbytes = sum(len(r.line) + 1 for r in records)

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, exist_ok: bool = False) -> Log:
        """Create an empty log at ``path`` (or open it, if it exists and ``exist_ok``)."""
        p = Path(path)
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(p, flags, 0o644)
        except FileExistsError:
            if exist_ok:
                return cls.open(p)
            raise LogError(
                f"{os.fspath(p)} already exists; open it with Log.open, or pass exist_ok=True"
            ) from None
        except OSError as e:
            raise LogError(f"cannot create log {os.fspath(p)!r}: {e.strerror}") from None
        try:
            _lock(fd, p)
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            raise
        _fsync_dir(p.parent.resolve())
        return cls(p, fd, [])

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Log:
        """Open an existing log for appending: lock it, read it, and check its chain.

        Raises :class:`TornLogError` (with the byte offset) if the last line is torn, and
        :class:`LogError` if the file is locked by another writer or its chain does not check.
        """
        p = Path(path)
        try:
            fd = os.open(p, os.O_RDWR | os.O_APPEND | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:
            raise LogError(
                f"there is no log at {os.fspath(p)!r}; create one with Log.create"
            ) from None
        except OSError as e:
            raise LogError(f"cannot open log {os.fspath(p)!r}: {e.strerror}") from None
        try:
            _lock(fd, p)
            data = _read(fd)
            torn = _torn(p, data)
            if torn is not None:
                raise torn
            records = _records(data)
            problems = check_chain(records)
            if problems:
                first = "; ".join(f"seq {s}: {m}" for s, m in problems[:3])
                raise LogError(
                    f"{os.fspath(p)} fails its chain check ({len(problems)} problem"
                    f"{'s' if len(problems) > 1 else ''}; first: {first}); it will not be "
                    "appended to. Run shuangsuiji verify for the full report"
                )
        except BaseException:
            os.close(fd)
            raise
        return cls(p, fd, records)

    # -- state ------------------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self._path

    @property
    def closed(self) -> bool:
        return self._fd is None

    @property
    def head(self) -> str:
        """The hex SHA-256 of the last line: the ``prev`` of the next record (zeros when empty)."""
        return self._records[-1].line_hash if self._records else ZERO_HASH

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Record]:
        return iter(list(self._records))

    def records(self) -> list[Record]:
        """All records, in order (a new list; the records are immutable)."""
        return list(self._records)

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"{len(self)} records"
        return f"Log({os.fspath(self._path)!r}, {state})"

    # -- writing ----------------------------------------------------------------------------------
    def append(
        self,
        type: str,
        body: Mapping[str, Any],
        *,
        time: str | _dt.datetime | _dt.date | None = None,
    ) -> Record:
        """Append one record; returns it once it is on disk (written and fsynced).

        ``time`` is an aware datetime, a date, an RFC 3339 string, or None for the clock (UTC).
        Bad input raises :class:`InputError` naming the culprit and leaves the file unchanged.
        """
        return self.append_many([(type, body, time)])[0]

    def append_many(self, entries: Iterable[Sequence[Any]]) -> list[Record]:
        """Append several ``(type, body)`` or ``(type, body, time)`` entries with one fsync.

        All or nothing: every entry is validated before anything is written, and a failed write
        is truncated away.
        """
        fd = self._writable()
        seq, prev = len(self._records), self.head
        lines: list[bytes] = []
        made: list[tuple[int, str, str, str]] = []
        for entry in entries:
            if not isinstance(entry, (tuple, list)) or len(entry) not in (2, 3):
                raise InputError(
                    f"entry {len(lines)} is {entry!r}; give (type, body) or (type, body, time)"
                )
            type_, body = entry[0], entry[1]
            time = _time_text(entry[2] if len(entry) == 3 else None)
            line = _encode(seq, prev, type_, time, body)
            lines.append(line)
            made.append((seq, prev, type_, time))
            prev = hashlib.sha256(line).hexdigest()
            seq += 1
        if not lines:
            return []
        size = os.fstat(fd).st_size
        if size != self._nbytes:
            raise LogError(
                f"{os.fspath(self._path)} changed on disk since it was opened ({size} bytes, "
                f"expected {self._nbytes}); someone wrote to it without the lock. Close this Log "
                "and run shuangsuiji verify"
            )
        blob = b"".join(line + b"\n" for line in lines)
        try:
            _write_all(fd, blob)
            os.fsync(fd)
        except BaseException as e:
            try:
                os.ftruncate(fd, self._nbytes)
                os.fsync(fd)
            except OSError:
                pass
            if isinstance(e, OSError):
                raise LogError(
                    f"could not append to {os.fspath(self._path)}: {e.strerror}; nothing was added"
                ) from e
            raise
        out: list[Record] = []
        offset = self._nbytes
        for line, (seq, prev, type_, time) in zip(lines, made):
            lh = hashlib.sha256(line).hexdigest()
            out.append(Record(seq, prev, type_, time, line, offset, leaf_hash(line), lh))
            offset += len(line) + 1
        self._records.extend(out)
        self._tree.extend(r.leaf_hash for r in out)
        self._nbytes = offset
        return out

    def _writable(self) -> int:
        if self._fd is None:
            raise LogError(f"the log {os.fspath(self._path)} is closed")
        return self._fd

    # -- the tree ---------------------------------------------------------------------------------
    def root(self, size: int | None = None) -> str:
        """Hex RFC 6962 root of the first ``size`` records (all by default)."""
        return self._tree.root(self._size(size)).hex()

    def inclusion_proof(self, seq: int, size: int | None = None) -> list[str]:
        """Hex audit path of record ``seq`` in the tree of the first ``size`` records."""
        n = self._size(size)
        if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq < n:
            raise InputError(f"seq {seq!r} is not a record of a log of size {n}")
        return [h.hex() for h in self._tree.inclusion_proof(seq, n)]

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[str]:
        """Hex proof that the first ``old_size`` records are a prefix of the first ``new_size``."""
        n = self._size(new_size)
        if isinstance(old_size, bool) or not isinstance(old_size, int) or not 0 <= old_size <= n:
            raise InputError(f"old size {old_size!r} is outside 0..{n}")
        return [h.hex() for h in self._tree.consistency_proof(old_size, n)]

    def checkpoint(self) -> Checkpoint:
        """The current size, root and head, to publish."""
        return Checkpoint(len(self), self.root(), self.head)

    def _size(self, size: int | None) -> int:
        n = len(self._records)
        if size is None:
            return n
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= n:
            raise InputError(f"size {size!r} is outside 0..{n} (the log has {n} records)")
        return size

    # -- closing ----------------------------------------------------------------------------------
    def close(self) -> None:
        """Release the lock and the file (idempotent)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor releases the flock

    def __enter__(self) -> Log:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass


# -- reading and repair ---------------------------------------------------------------------------
def read_log(path: str | os.PathLike[str]) -> list[Record]:
    """Read every line of a log without locking or judging it (damaged lines have ``error``).

    Raises :class:`TornLogError` if the last line is torn and :class:`LogError` if the file
    cannot be read. Pass the result to :func:`check_chain` and :func:`check_checkpoint`.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise LogError(f"there is no log at {os.fspath(p)!r}") from None
    except OSError as e:
        raise LogError(f"cannot read log {os.fspath(p)!r}: {e.strerror}") from None
    torn = _torn(p, data)
    if torn is not None:
        raise torn
    return _records(data)


def repair(path: str | os.PathLike[str]) -> Path:
    """Move a torn last line to ``<path>.torn-<offset>`` and truncate the log before it.

    The fragment is written and fsynced to the side file first; only then is the log truncated,
    so a crash during repair loses nothing. Returns the side file's path. Raises
    :class:`LogError` if the log is locked by a writer or ends with a complete line.
    """
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise LogError(f"cannot open log {os.fspath(p)!r}: {e.strerror}") from None
    try:
        _lock(fd, p)
        data = _read(fd)
        torn = _torn(p, data)
        if torn is None:
            raise LogError(f"{os.fspath(p)} ends with a complete line; there is nothing to repair")
        fragment = data[torn.offset :]
        side = p.with_name(f"{p.name}.torn-{torn.offset}")
        k = 1
        while side.exists() and side.read_bytes() != fragment:
            k += 1
            side = p.with_name(f"{p.name}.torn-{torn.offset}-{k}")
        if not side.exists():
            with open(side, "xb") as f:
                f.write(fragment)
                f.flush()
                os.fsync(f.fileno())
            _fsync_dir(p.parent.resolve())
        os.ftruncate(fd, torn.offset)
        os.fsync(fd)
    finally:
        os.close(fd)
    return side
