"""The ``shuangsuiji`` command line (also ``python -m shuangsuiji``).

Subcommands:

``demo``
    The demo plan drawn, its teams assigned, and its whole year run as a campaign
    (:mod:`.demo`).
``verify``, ``repair``
    Replay a campaign log against the registries; move a torn last line aside
    (:mod:`.log_commands`).

Each subcommand is a ``cmd_<name>(args, out) -> int`` registered in :func:`build_parser`; its
report goes to ``out`` (stdout), errors to stderr with exit status 1 (bad input) or 2 (bad usage,
from argparse). Tables are plain text padded by display width (:mod:`.tables`), so columns of
Chinese text line up in a terminal.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from typing import Any

from .. import datasets
from ..errors import InfeasibleError, InputError
from .demo import cmd_demo
from .log_commands import add_repair_parser, add_verify_parser

__all__ = ["build_parser", "main"]


def _int_in(low: int, high: int) -> Any:
    """An argparse ``type`` accepting whole numbers in ``[low, high]``."""

    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"expected a number in {low}..{high}, got {n}")
        return n

    return parse


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: one subparser per subcommand, each with ``func`` set."""
    parser = argparse.ArgumentParser(
        prog="shuangsuiji",
        description="Seeded, auditable double-random, one-public (双随机、一公开) inspection draws.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = sub.add_parser(
        "demo",
        help="draw the demo plan from a synthetic province of ~2,600 labs and print it",
        description="Draw the demo plan (河北省 testing labs, synthetic) with the demo seed.",
    )
    demo.add_argument("--lang", choices=("zh", "en"), default="zh", help="header language")
    demo.add_argument(
        "--limit", type=_int_in(0, 10**9), default=20, metavar="N", help="drawn rows to print (20)"
    )
    demo.add_argument("--all", action="store_true", help="print every drawn row")
    demo.add_argument(
        "--seed", metavar="HEX", help="use this seed (>= 32 hex digits) instead of the demo sources"
    )
    demo.add_argument(
        "--size", type=_int_in(1, datasets.MAX_ROWS), default=2600, metavar="N", help="labs in the synthetic province (2600)"
    )
    demo.add_argument(
        "--out", metavar="DIR", help="run the year's campaign in DIR (default: a new temporary folder)"
    )
    demo.add_argument(
        "--no-year", action="store_true", help="only the draw: skip the year's campaign"
    )
    demo.set_defaults(func=cmd_demo)
    add_verify_parser(sub)
    add_repair_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 bad input, 2 bad usage)."""
    args = build_parser().parse_args(argv)
    out = sys.stdout
    # A terminal that cannot show Chinese should get replacement marks, not a traceback.
    if isinstance(out, io.TextIOWrapper):
        out.reconfigure(errors="replace")
    try:
        status: int = args.func(args, out)
    except (InputError, InfeasibleError) as exc:
        print(f"shuangsuiji {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader stopped early (``| head``): not an error of ours. Point stdout at devnull so
        # the interpreter's final flush does not raise again (Python docs, "Note on SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status
