"""What :func:`~.verify.verify` reports: :class:`Problem`, :class:`Report`, and the
:class:`Findings` each check adds to.

A check reports what is wrong in the log as a problem at the seq of the record at fault; it
never raises for it. What a malformed but well-chained log can still make a check raise is
:data:`GUARDED`: the checker catches it, reports it and runs the other checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = ["GUARDED", "REPLAY_ERRORS", "Findings", "Problem", "Report", "Severity"]

Severity = Literal["error", "warning"]
# What a malformed but well-chained log can make the replay raise (InputError is a ValueError)
REPLAY_ERRORS = (ValueError, KeyError, TypeError, IndexError, ArithmeticError)
GUARDED = (*REPLAY_ERRORS, AttributeError)
"""What a check may raise on a value it did not expect: reported, never a crash."""


@attrs.frozen
class Problem:
    """One finding: the record's ``seq`` (None for the log or registries as a whole), its
    ``severity``, a short ``code`` (log, chain, checkpoint, order, registry, version, seed,
    replay, result, deadline, notice, randomness; in a year also directed and cap) and
    a plain ``message``."""

    seq: int | None
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        where = "log" if self.seq is None else f"seq {self.seq}"
        return f"{where}: {self.severity}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class Report:
    """What :func:`verify` found: ``problems`` in log order, and a ``summary`` dict."""

    path: str
    problems: tuple[Problem, ...]
    summary: Mapping[str, Any]

    @property
    def ok(self) -> bool:
        """No errors (warnings, such as an overdue result, do not make a log wrong)."""
        return not self.errors

    @property
    def clean(self) -> bool:
        """No problems at all."""
        return not self.problems

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    def at(self, seq: int) -> tuple[Problem, ...]:
        """The problems reported at record ``seq``."""
        return tuple(p for p in self.problems if p.seq == seq)

    def text(self) -> str:
        """A readable report: verdict, summary lines, then each problem."""
        s = self.summary
        verdict = (
            "OK" if self.clean
            else f"OK with {len(self.warnings)} warning(s)" if self.ok
            else f"FAILED: {len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        )
        lines = [f"verify {self.path}: {verdict}"]
        for key, label in _SUMMARY_LINES:
            if s.get(key) is not None:
                value = s[key]
                if isinstance(value, Mapping):
                    value = ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
                lines.append(f"  {label}: {value}")
        manual = s.get("check_by_hand")
        if manual:
            lines.append("check by hand (verify cannot):")
            lines += [f"  {m}" for m in manual]
        if self.problems:
            lines.append("problems:")
            lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


_SUMMARY_LINES = (
    ("plan", "plan"),
    ("records", "records"),
    ("root", "Merkle root"),
    ("checkpoint", "checkpoint"),
    ("targets", "targets"),
    ("inspectors", "inspectors"),
    ("randomness", "randomness"),
    ("seed", "seed"),
    ("drawn", "drawn (task, target) pairs"),
    ("assigned", "assignment rows"),
    ("results", "results"),
    ("outcomes", "outcomes"),
    ("overdue", "overdue results"),
    ("notices", "notices"),
    ("corrections", "corrections"),
    ("replayed", "replayed"),
)


class Findings:
    """The problems the checks report, in the order they report them."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(self, seq: int | None, code: str, message: str) -> None:
        self.items.append(Problem(seq, "error", code, message))

    def warning(self, seq: int | None, code: str, message: str) -> None:
        self.items.append(Problem(seq, "warning", code, message))
