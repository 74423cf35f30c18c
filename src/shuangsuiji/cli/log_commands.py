"""The commands that read a campaign log: ``shuangsuiji verify`` and ``shuangsuiji repair``.

``shuangsuiji verify LOG --targets T.csv --inspectors I.csv [--checkpoint C] [--id COL]``
    Replays a campaign log against the two registries (for a year of several batches, repeat
    ``--targets`` and ``--inspectors`` once per batch, in batch order, docs/spec.md §11.8) (:func:`shuangsuiji.verify`) and prints
    a readable report (``--json`` for JSON). Exit status: 0 when nothing was found, 1 when the
    log fails (an error) or the input cannot be read, 3 when there are only warnings (e.g. a
    result published after its deadline). Registries are CSV, or Parquet by the ``.parquet``
    suffix; their ID columns default to the ones the commitment records.

``shuangsuiji repair LOG``
    Moves a torn last line (a crash during an append) to ``LOG.torn-<offset>`` and truncates
    the log before it (:func:`shuangsuiji.log.repair`), printing where the bytes went.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

import shuangsuiji as ss

from ..log.canonical import loads
from ..log.logfile import repair

__all__ = [
    "EXIT_ERRORS",
    "EXIT_WARNINGS",
    "add_repair_parser",
    "add_verify_parser",
    "cmd_repair",
    "cmd_verify",
]

EXIT_ERRORS = 1
EXIT_WARNINGS = 3


# -- verify -------------------------------------------------------------------------------------
def add_verify_parser(sub: Any) -> None:
    """Register the ``verify`` subcommand on an argparse subparsers object."""
    p = sub.add_parser(
        "verify",
        help="replay a campaign log against the registries and report every problem",
        description=(
            "Replay a campaign log (JSON Lines) against the target and inspector registries: "
            "hash chain and Merkle root, record order, registry fingerprints, the seed against "
            "its declared source, the π summary, draw and assignment recomputed exactly, results "
            "and publication deadlines. Exit status 0: clean; 1: errors (or unreadable input); "
            "3: warnings only."
        ),
    )
    p.add_argument("log", metavar="LOG", help="the campaign log (.jsonl)")
    p.add_argument("--targets", required=True, metavar="T.csv", action="append",
                   help="the target registry as committed (CSV, or .parquet); for a year, "
                        "once per batch in batch order (one file: every batch's)")
    p.add_argument("--inspectors", required=True, metavar="I.csv", action="append",
                   help="the inspector registry as committed (CSV, or .parquet); for a year, "
                        "once per batch in batch order (one file: every batch's)")
    p.add_argument("--checkpoint", metavar="C.json",
                   help="a checkpoint published earlier (catches truncation and rewrites)")
    p.add_argument("--id", metavar="COL",
                   help="target ID column (default: the one the log's commitment records)")
    p.add_argument("--inspector-id", metavar="COL",
                   help="inspector ID column (default: the one the log's commitment records)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_verify)


def committed_id_columns(log: str) -> tuple[str, str]:
    """The target and inspector ID columns the log's commitment (its first line) records, so
    that a verifier reads the registries as they were committed; ``id`` where it says none."""
    columns = ["id", "id"]
    try:
        with open(log, "rb") as f:
            body = loads(f.readline().rstrip(b"\r\n"))["body"]
        for i, kind in enumerate(("targets", "inspectors")):
            column = body[kind]["id_column"]
            if isinstance(column, str) and column:
                columns[i] = column
    except (OSError, ValueError, KeyError, TypeError):
        pass  # verify reports what is wrong with the log; the registries are read as usual
    return columns[0], columns[1]


def add_repair_parser(sub: Any) -> None:
    """Register the ``repair`` subcommand on an argparse subparsers object."""
    p = sub.add_parser(
        "repair",
        help="move a torn last line of a campaign log (a crash during an append) to a side file",
        description=(
            "A crash during an append can leave a torn last line: bytes without their newline. "
            "Move them to LOG.torn-<offset> (written and fsynced first) and truncate the log "
            "before them; nothing is dropped. Refuses a log that ends with a complete line, or "
            "that a writer holds."
        ),
    )
    p.add_argument("log", metavar="LOG", help="the campaign log (.jsonl)")
    p.set_defaults(func=cmd_repair)


def cmd_repair(args: argparse.Namespace, out: TextIO) -> int:
    """``shuangsuiji repair``: move the torn tail aside and say where it went."""
    size = Path(args.log).stat().st_size if Path(args.log).exists() else None
    side = repair(args.log)
    kept = Path(args.log).stat().st_size
    moved = side.stat().st_size
    print(f"moved the torn last line of {args.log} ({moved} bytes from byte {kept}) to {side}",
          file=out)
    print(f"{args.log} now holds its complete lines ({kept} of {size} bytes); run "
          "shuangsuiji verify on it", file=out)
    return 0


def _read(kind: str, path: str, id_column: str) -> Any:
    cls = ss.Targets if kind == "targets" else ss.Inspectors
    try:
        if path.lower().endswith(".parquet"):
            return cls.from_parquet(path, id=id_column)
        return cls.from_csv(path, id=id_column)
    except OSError as exc:
        raise ss.InputError(f"cannot read the {kind} file {path!r}: {exc.strerror}") from None


def cmd_verify(args: argparse.Namespace, out: TextIO) -> int:
    """``shuangsuiji verify``: print the report; the exit status says what it found."""
    target_id, inspector_id = committed_id_columns(args.log)
    targets = [_read("targets", f, args.id or target_id) for f in args.targets]
    inspectors = [_read("inspectors", f, args.inspector_id or inspector_id)
                  for f in args.inspectors]
    report = ss.verify(args.log, targets[0] if len(targets) == 1 else targets,
                       inspectors[0] if len(inspectors) == 1 else inspectors, args.checkpoint)
    if args.json:
        data = {
            "path": report.path,
            "ok": report.ok,
            "clean": report.clean,
            "problems": [p.to_dict() for p in report.problems],
            "summary": dict(report.summary),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2), file=out)
    else:
        print(report.text(), file=out)
    if report.clean:
        return 0
    return EXIT_WARNINGS if report.ok else EXIT_ERRORS
