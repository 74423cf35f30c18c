"""The campaign log: append-only JSON Lines, hash-chained, with an RFC 6962 Merkle tree over it.

The format is specified in docs/spec.md §9; in short:

- **Lines.** Each line is one JSON object in RFC 8785 canonical form (:mod:`shuangsuiji.log.canonical`)
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
  lie within ±(2⁵³−1); see :mod:`shuangsuiji.log.canonical` for the value rules.
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

This module holds the file (:class:`Log`, :func:`read_log`, :func:`repair`, the lock). The record
format and the chain check are in :mod:`shuangsuiji.log.records`, checkpoints in
:mod:`shuangsuiji.log.checkpoint`; their public names are re-exported here, so callers import
everything from ``shuangsuiji.log``.

On Windows the lock is ``msvcrt.locking`` on one byte at 2³¹−2, far past the end of any
real log; that path is not exercised by the test suite, which runs on POSIX.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, final

from .._util.times import check_time
from ..errors import InputError, LogError
from .checkpoint import CHECKPOINT_FORMAT, Checkpoint, check_checkpoint, fsync_dir
from .merkle import MerkleTree, leaf_hash
from .records import (
    ZERO_HASH,
    LogProblem,
    Record,
    check_chain,
    encode_line,
    format_time,
    parse_lines,
)

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
    "check_time",
    "parse_log",
    "read_log",
    "repair",
]


class TornLogError(LogError):
    """The log's last line has no newline: a crash interrupted an append. See :func:`repair`.

    ``offset`` is the byte where the fragment starts, ``length`` its size, and ``records`` the
    records of the complete lines before it (parsed on first access), so a reader such as
    ``verify`` can report the tear and still check everything else.
    """

    def __init__(self, path: Path, offset: int, length: int, complete: bytes = b"") -> None:
        self.path = path
        self.offset = offset
        self.length = length
        self._complete = complete
        self._records: list[Record] | None = None
        super().__init__(
            f"{os.fspath(path)}: the last line is torn at byte {offset} ({length} bytes without "
            "a final newline, probably from a crash during an append); run "
            f"`shuangsuiji repair {os.fspath(path)}` (or shuangsuiji.log.repair(path)) to move "
            "the fragment to a side file"
        )

    @property
    def records(self) -> list[Record]:
        """The records of the complete lines before the fragment (damaged ones have ``error``)."""
        if self._records is None:
            self._records = parse_lines(self._complete)
        return list(self._records)


# -- files and locks ------------------------------------------------------------------------------
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

        # Windows locks are mandatory: lock one byte far past any real log's end (the CRT takes
        # a 32-bit position), so that readers of the records are never blocked.
        try:
            os.lseek(fd, 0x7FFFFFFE, os.SEEK_SET)
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
        return TornLogError(path, offset, len(data) - offset, data[:offset])
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
        fsync_dir(p.parent.resolve())
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
            records = parse_lines(data)
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
        made: list[tuple[int, str, str, str, str]] = []
        for entry in entries:
            if not isinstance(entry, (tuple, list)) or len(entry) not in (2, 3):
                raise InputError(
                    f"entry {len(lines)} is {entry!r}; give (type, body) or (type, body, time)"
                )
            type_, body = entry[0], entry[1]
            time = format_time(entry[2] if len(entry) == 3 else None)
            line = encode_line(seq, prev, type_, time, body)
            lines.append(line)
            line_hash = hashlib.sha256(line).hexdigest()
            made.append((seq, prev, type_, time, line_hash))
            prev = line_hash
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
        for line, (seq, prev, type_, time, line_hash) in zip(lines, made):
            out.append(Record(seq, prev, type_, time, line, offset, leaf_hash(line), line_hash))
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
    return parse_lines(data)


def parse_log(path: Path, data: bytes) -> tuple[list[Record], TornLogError | None]:
    """The records of a log's bytes ``data`` (read from ``path``), and the torn last line if
    there is one (its ``records`` are the complete lines before it, which are returned)."""
    torn = _torn(path, data)
    if torn is not None:
        return torn.records, torn
    return parse_lines(data), None


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
            fsync_dir(p.parent.resolve())
        os.ftruncate(fd, torn.offset)
        os.fsync(fd)
    finally:
        os.close(fd)
    return side
