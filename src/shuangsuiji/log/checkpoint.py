"""Checkpoints of the campaign log: ``(size, root, head)`` to publish, and what they reveal.

docs/spec.md §9.4. A checkpoint names the number of records, the RFC 6962 root over them and the
SHA-256 of the last one (its "head", the ``prev`` the next record will carry). Checked against a
log later, it catches a truncated log, a changed last record and a rewritten history, even one
whose hash chain was recomputed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .._util.digests import is_sha256_hex
from ..errors import InputError
from . import canonical
from .merkle import MerkleTree
from .records import ZERO_HASH, LogProblem, Record

__all__ = ["CHECKPOINT_FORMAT", "Checkpoint", "check_checkpoint", "fsync_dir"]

CHECKPOINT_FORMAT = "shuangsuiji-checkpoint/1"


def fsync_dir(directory: Path) -> None:
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


def check_checkpoint(records: Sequence[Record], checkpoint: Checkpoint) -> list[LogProblem]:
    """What ``checkpoint`` reveals about ``records`` (in file order): truncation or rewriting.

    - fewer records than the checkpoint's size: truncated, reported at the first missing seq;
    - line ``size-1`` no longer hashes to the checkpoint's ``head``: reported at ``size-1``;
    - the first ``size`` lines no longer hash to its ``root``: reported with seq None (the tree
      says that something changed, not where; the chain check usually says where);
    - otherwise the log extends the checkpoint: its first ``size`` records are the certified
      ones, which is what an RFC 6962 consistency proof would show a party holding only roots.
    """
    n, size = len(records), checkpoint.size
    if n < size:
        return [
            LogProblem(
                n,
                f"the log has {n} record{'s' if n != 1 else ''}, {size - n} fewer than the "
                f"{size} the checkpoint certified: it was truncated, or records were deleted "
                "and the chain rebuilt",
            )
        ]
    tree = MerkleTree(r.leaf_hash for r in records)
    head = records[size - 1].line_hash if size else ZERO_HASH
    if head != checkpoint.head:
        return [
            LogProblem(
                size - 1 if size else None,
                f"record {size - 1} is not the one the checkpoint certified (its SHA-256 is "
                f"{head}, the checkpoint's head is {checkpoint.head}): the log was changed at "
                f"or before record {size - 1} after the checkpoint was taken",
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
    # No consistency proof here: holding every record, this check recomputes root(size) itself,
    # which is exactly what an RFC 6962 proof from size to n would show someone holding only the
    # two roots (Log.consistency_proof serves them). A proof built from this same tree could
    # not fail.
    return []


# -- the checkpoint ----------------------------------------------------------------------------------
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
            if not is_sha256_hex(value):
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
        fsync_dir(p.parent)
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
