"""The append-only, hash-chained campaign log with an RFC 6962 Merkle tree, and its checkpoints.

Stage: knows nothing of draws or campaigns: a line is a typed JSON body. May import
:mod:`shuangsuiji._util` and :mod:`shuangsuiji.errors` only.

- :mod:`.canonical`: RFC 8785 canonical JSON;
- :mod:`.merkle`: RFC 6962 tree hashes, inclusion and consistency proofs;
- :mod:`.records`: one line: its fields, its time, encoding and parsing it, and the chain check
  (docs/spec.md §9.1–9.2);
- :mod:`.checkpoint`: signed-off tree heads (§9.4), and the directory fsync the file uses too;
- :mod:`.logfile`: the file: appends under a lock with fsync, reading, repair of a torn tail; it
  builds on the two above and re-exports their public names.
"""

from __future__ import annotations

from .checkpoint import CHECKPOINT_FORMAT, Checkpoint, check_checkpoint
from .logfile import Log, TornLogError, parse_log, read_log, repair
from .merkle import MerkleTree, verify_consistency, verify_inclusion
from .records import ZERO_HASH, LogProblem, Record, check_chain

__all__ = [
    "CHECKPOINT_FORMAT",
    "ZERO_HASH",
    "Checkpoint",
    "Log",
    "LogProblem",
    "MerkleTree",
    "Record",
    "TornLogError",
    "check_chain",
    "check_checkpoint",
    "parse_log",
    "read_log",
    "repair",
    "verify_consistency",
    "verify_inclusion",
]
