"""``verify(path, targets, inspectors, checkpoint=None)``: replay a campaign log and check it.

Anyone holding the published log and the two registries can run it. It checks, in order
(docs/spec.md §10), and reports each problem with the ``seq`` of the record at fault and a plain
sentence:

1. the log: every line canonical, the hash chain, and, against a published checkpoint, the
   size and Merkle root (a truncated or rewritten log);
2. the record order: commitment → seed → selection → assignment → results, notices and
   corrections;
3. the registries against the committed fingerprints and sizes, and the algorithm versions
   against this library's;
4. the seed: re-derived from its recorded inputs, and matched against the declared source and
   the declared time;
5. the replay: the π summary, ``draw`` and ``assign`` recomputed from the committed plan and the
   revealed seed must give the recorded bodies exactly;
6. results only for drawn targets, outcomes and penalties from the plan's sets, corrections
   naming the current record;
7. the publication deadline: a result published later than the plan's working-day window
   after its date is a *warning*, as is an undeclared randomness source.

A :class:`Report` holds the problems (errors and warnings) and a summary; ``report.ok`` is true
when there is no error. Times in the log are checked for order and deadlines but never enter the
replay.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal, NamedTuple

import attrs

from ..errors import InputError
from ..log.logfile import Checkpoint, check_chain, check_checkpoint, parse_log, read_log
from ..log.merkle import MerkleTree
from ..randomness.declared import before, day_of, parse_moment
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from ..sampling.engine import draw, stratum_summaries
from . import record_bodies as B
from .assign_step import assignment_body, run_assign
from .state import CampaignState, algorithms, read_state

__all__ = ["Problem", "Report", "verify"]

Severity = Literal["error", "warning"]
# What a malformed but well-chained log can make the replay raise (InputError is a ValueError)
REPLAY_ERRORS = (ValueError, KeyError, TypeError, IndexError, ArithmeticError)


@attrs.frozen
class Problem:
    """One finding: the record's ``seq`` (None for the log or registries as a whole), its
    ``severity``, a short ``code`` (log, chain, checkpoint, order, registry, version, seed,
    replay, result, deadline, notice, randomness) and a plain ``message``."""

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


class Entry(NamedTuple):
    """A log record with its body parsed once: what the campaign checks read."""

    seq: int
    type: str
    body: Any
    time: str | None


@attrs.frozen
class Loaded:
    """A log as read for verification: its readable records and what is wrong with the file."""

    records: list[Entry]
    problems: list[tuple[int | None, str, str]]
    root: str | None
    checkpoint: str | None
    lines: int = 0  # complete lines, readable or not
    damaged: frozenset[int] = frozenset()  # seqs of lines the chain check reports as damaged


def load(path: str | os.PathLike[str], checkpoint: Any = None) -> Loaded:
    """Read a log without locking it; chain, checkpoint and torn-line problems become findings.

    A torn last line (a crash during an append) is reported at the seq it would have had, and
    the complete lines before it are still checked.
    """
    cp = _checkpoint(checkpoint)
    problems: list[tuple[int | None, str, str]] = []
    try:
        data = Path(path).read_bytes()
    except OSError:
        read_log(path)  # raises the LogError that says why the file cannot be read
        raise
    lines = data.split(b"\n")[:-1]
    if lines and all(line.endswith(b"\r") for line in lines):
        # one finding for the whole file, not one "not canonical" per line: an editor or a
        # transfer in text mode changed every line ending; the lines are checked without the CRs
        problems.append((
            None, "log",
            ("the file has CRLF line endings (was it opened in a text editor on Windows?): every "
            "line ends with CR LF where the format has LF alone, so the bytes are not the ones "
            "that were hashed. The lines were checked with the CRs removed; restore the "
            "original file (or convert it back, e.g. with dos2unix) and verify again"),
        ))
        data = data.replace(b"\r\n", b"\n")
    records, torn = parse_log(Path(path), data)
    if torn is not None:
        problems.append((len(records), "log", str(torn)))
    for seq, message in check_chain(records):
        problems.append((seq, "chain", message))
    if cp is not None:
        for seq, message in check_checkpoint(records, cp):
            problems.append((seq, "checkpoint", message))
    entries = []
    for r in records:
        if r.error is None:
            entries.append(Entry(r.seq, r.type, r.body, r.time))
    root = MerkleTree(r.leaf_hash for r in records).root().hex()
    described = None
    if cp is not None:
        described = f"size {cp.size}, root {cp.root}"
    damaged = frozenset(r.seq for r in records if r.error is not None)
    return Loaded(entries, problems, root, described, len(records), damaged)


def _checkpoint(checkpoint: Any) -> Checkpoint | None:
    if checkpoint is None or isinstance(checkpoint, Checkpoint):
        return checkpoint
    if isinstance(checkpoint, (str, os.PathLike)):
        text = os.fspath(checkpoint)
        if text.lstrip().startswith("{"):
            return Checkpoint.from_json(text)
        return Checkpoint.load(text)
    if isinstance(checkpoint, Mapping):
        return Checkpoint.from_dict(checkpoint)
    raise InputError(
        f"checkpoint must be a Checkpoint, its JSON, a dict or a file path, got "
        f"{type(checkpoint).__name__}"
    )


class _Findings:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(self, seq: int | None, code: str, message: str) -> None:
        self.items.append(Problem(seq, "error", code, message))

    def warning(self, seq: int | None, code: str, message: str) -> None:
        self.items.append(Problem(seq, "warning", code, message))


def verify(
    path: str | os.PathLike[str],
    targets: Targets,
    inspectors: Inspectors,
    checkpoint: Any = None,
) -> Report:
    """Replay the campaign log at ``path`` against the two registries; see the module docstring.

    ``checkpoint`` is a :class:`shuangsuiji.log.Checkpoint` (or the path of its JSON file)
    published earlier; with it a truncated, extended-from-a-rewrite or rewritten log is caught.
    Bad arguments (not a registry, an unreadable checkpoint file) raise InputError; everything
    wrong *in the log* is a problem in the report.
    """
    if not isinstance(targets, Targets):
        raise InputError(f"targets must be shuangsuiji.Targets, got {type(targets).__name__}")
    if not isinstance(inspectors, Inspectors):
        raise InputError(
            f"inspectors must be shuangsuiji.Inspectors, got {type(inspectors).__name__}"
        )
    f = _Findings()
    summary: dict[str, Any] = {}
    loaded = load(path, checkpoint)
    for seq, code, message in loaded.problems:
        f.error(seq, code, message)
    summary.update(records=loaded.lines, root=loaded.root, checkpoint=loaded.checkpoint)
    state = read_state(loaded.records)
    for seq, message in state.problems:
        f.error(seq, "order", message)
    if state.commitment is not None:
        _check_campaign(state, targets, inspectors, f, summary)
    elif 0 in loaded.damaged:
        pass  # the chain check reports record 0 as damaged: that is the one problem to fix
    elif loaded.records:
        f.error(0, "order", "the first record is not a commitment")
    elif not loaded.lines:
        f.error(None, "log", "the log has no records")
    order = sorted(range(len(f.items)), key=lambda i: (f.items[i].seq is not None,
                                                       f.items[i].seq or 0, i))
    return Report(os.fspath(path), tuple(f.items[i] for i in order), summary)


# -- the checks ------------------------------------------------------------------------------------
GUARDED = (*REPLAY_ERRORS, AttributeError)


def _check_campaign(
    state: CampaignState,
    targets: Targets,
    inspectors: Inspectors,
    f: _Findings,
    summary: dict[str, Any],
) -> None:
    """Every check of docs/spec.md §10.8, each on its own: a value that makes one check stop
    short is reported (at the seq the check is about) and the other checks still run."""
    plan = state.plan
    summary["plan"] = plan.name if plan is not None else None
    tz = _publication_tz(state)
    registries_ok = _step(f, 0, "registries", _check_registries, state, targets, inspectors, f,
                          summary)
    versions_ok = _step(f, 0, "algorithm versions", _check_versions, state, f)
    _step(f, 0, "randomness", _check_randomness, state, f, summary, tz)
    if state.seed_seq is not None and state.selection_seq is None:
        f.warning(
            state.seed_seq, "order",
            "the seed was recorded but not the selection and assignment that follow it: the "
            "reveal was cut short; complete it with Campaign.reveal and the same seed",
        )
    summary["drawn"] = len(state.drawn) if state.selection is not None else None
    if plan is not None and registries_ok and versions_ok:
        _step(f, state.selection_seq, "replay", _replay, state, targets, inspectors, f, summary)
    _step(f, None, "record times", _check_times, state, f, tz)
    _step(f, None, "results", _check_results, state, f, summary, tz)
    _step(f, None, "notices", _summarise_notices, state, summary)


def _step(f: _Findings, seq: int | None, what: str, check: Any, *args: Any) -> bool:
    """Run one check; a value it did not expect is reported, and the other checks go on.
    Returns what the check returns (None counts as passed), False when it stopped short."""
    try:
        out = check(*args)
    except GUARDED as exc:  # a last resort: report, never crash, never stop the other checks
        f.error(seq, "log", f"the {what} check stopped at a value it could not read ({exc!r}); "
                            "the other checks ran")
        return False
    return out is None or bool(out)


def _publication_tz(state: CampaignState) -> _dt.tzinfo | None:
    """The plan's publication time zone (its own offset per time, if the plan is unreadable)."""
    return None if state.plan is None else state.plan.publication.tz


def _summarise_notices(state: CampaignState, summary: dict[str, Any]) -> None:
    summary["notices"] = dict(Counter(str(n.get("kind")) for n in state.notices.values()))
    summary["corrections"] = len(state.corrections)


def _check_registries(
    state: CampaignState,
    targets: Targets,
    inspectors: Inspectors,
    f: _Findings,
    summary: dict[str, Any],
) -> bool:
    c = state.commitment
    assert c is not None
    ok = True
    for kind, reg in (("targets", targets), ("inspectors", inspectors)):
        entry = c.get(kind)
        committed: dict[str, Any] = entry if isinstance(entry, dict) else {}
        summary[kind] = f"{len(reg)} rows, fingerprint {reg.fingerprint}"
        if reg.fingerprint != committed.get("fingerprint") or len(reg) != committed.get("size"):
            ok = False
            f.error(
                0, "registry",
                f"the {kind} registry supplied ({len(reg)} rows, fingerprint "
                f"{reg.fingerprint}) is not the one committed ({committed.get('size')} rows, "
                f"fingerprint {committed.get('fingerprint')}); the replay was skipped",
            )
    return ok


def _check_versions(state: CampaignState, f: _Findings) -> bool:
    c = state.commitment
    assert c is not None
    ok = True
    ours = algorithms()
    committed_algorithms = c.get("algorithms")
    if not isinstance(committed_algorithms, dict):
        f.error(0, "version", f"the commitment's algorithms {committed_algorithms!r} are not "
                              "a mapping of name to version")
        return False
    for name, version in committed_algorithms.items():
        if ours.get(name) != version:
            ok = False
            f.error(
                0, "version",
                f"the log uses {name} algorithm {version!r}, but this library implements "
                f"{ours.get(name)!r}; replay it with a shuangsuiji version that implements it",
            )
    return ok


def _time_of(state: CampaignState, seq: int) -> _dt.date | _dt.datetime | None:
    """The moment record ``seq`` names (None when it has none or it cannot be read: the time
    check reports that)."""
    text = state.times.get(seq)
    if text is None:
        return None
    try:
        return parse_moment(text, "time")
    except InputError:
        return None


def _check_randomness(
    state: CampaignState, f: _Findings, summary: dict[str, Any], tz: _dt.tzinfo | None
) -> None:
    randomness = state.randomness
    if randomness is None:
        return
    summary["randomness"] = randomness.summary()
    if randomness.kind == "undeclared":
        f.warning(
            0, "randomness",
            "no randomness source was declared in the commitment, so nothing shows the "
            "seed was not chosen after it",
        )
    known = randomness.known_after_moment
    t0 = _time_of(state, 0)
    if known is not None and t0 is not None and not before(t0, known, tz):
        f.error(
            0, "randomness",
            f"the commitment is dated {state.times.get(0)}, not before the declared randomness "
            f"was known ({randomness.known_after})",
        )
    if randomness.kind == "beacon" and known is None:
        f.warning(
            0, "randomness",
            f"the beacon declaration (drand round {randomness.round}) has no known_after, so "
            "nothing here shows the commitment was made before the round could be known; "
            "declare the round's time (genesis + (round − 1) · period) as known_after",
        )
    if state.seed is None or state.seed_seq is None:
        return
    summary["seed"] = f"{state.seed.hex} ({state.seed.kind})"
    summary["check_by_hand"] = _manual_checks(randomness, state.seed)
    for msg in randomness.problems(state.seed):
        f.error(state.seed_seq, "seed", msg)
    ts = _time_of(state, state.seed_seq)
    if known is not None and ts is not None and before(ts, known, tz):
        f.error(
            state.seed_seq, "seed",
            f"the seed is dated {state.times.get(state.seed_seq)}, before the declared "
            f"randomness was known ({randomness.known_after})",
        )


def _manual_checks(randomness: Any, seed: Any) -> list[str]:
    """What a person must still check about the seed, with the values to check (10.4, 10.8)."""
    if randomness.kind == "sources" and seed.kind == "sources":
        values = [f'"{v}"' if isinstance(v, str) else repr(v) for v in seed.inputs]
        descs = list(randomness.descriptions)
        width = max(len(values), len(descs))
        values += ["(no value recorded)"] * (width - len(values))
        descs += ["(not declared)"] * (width - len(descs))
        return [
            ("the seed's source values, as recorded, next to what was declared; a person must "
            "look each one up where it was published and compare:"),
            *(f"  {i + 1}. {d}: recorded {v}" for i, (d, v) in enumerate(zip(descs, values))),
        ]
    if seed.kind == "beacon":
        chain, round_, _ = seed.inputs
        return [
            (f"the BLS signature of drand round {round_} (chain {chain}) was NOT verified: the "
            "seed is SHA-256 of the recorded signature, but whether that signature is the "
            "chain's valid one for the round needs drand's client or another BLS verifier, "
            "against the chain's public key")
        ]
    return []


def _first_difference(a: Sequence[Any], b: Sequence[Any]) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def _other_members(seq: int, what: str, got: Mapping[str, Any], want: Mapping[str, Any],
                   f: _Findings) -> None:
    """Report members of a body, other than its rows and strata, that differ from the replay."""
    for k in sorted(set(got) | set(want)):
        if k not in ("rows", "strata") and got.get(k) != want.get(k):
            f.error(seq, "replay", f"the {what}'s {k!r} is {got.get(k)!r} in the log, "
                                   f"{want.get(k)!r} in the replay")


def _compare_strata(
    seq: int, what: str, logged: Any, replayed: list[dict[str, Any]], f: _Findings
) -> bool:
    if logged == replayed:
        return True
    if not isinstance(logged, list):
        f.error(seq, "replay", f"the {what} is not a list of strata")
        return False
    i = _first_difference(logged, replayed)
    if i >= len(logged) or i >= len(replayed):
        f.error(
            seq, "replay",
            f"the {what} lists {len(logged)} strata, but the replay gives {len(replayed)}",
        )
    else:
        got, want = logged[i], replayed[i]
        keys = [k for k in want if not isinstance(got, Mapping) or got.get(k) != want[k]]
        f.error(
            seq, "replay",
            f"the {what} differs from the replay at stratum {i} (task {want['task']!r}, "
            f"stratum {want['stratum']!r}): "
            + "; ".join(
                f"{k} is {got.get(k) if isinstance(got, Mapping) else None!r} in the log, "
                f"{want[k]!r} in the replay"
                for k in keys
            ),
        )
    return False


def _compare_columns(
    seq: int,
    what: str,
    logged: Any,
    replayed: Mapping[str, list[Any]],
    describe_row: Any,
    f: _Findings,
) -> None:
    """Report the first row where any column of ``logged`` differs from ``replayed``."""
    if (
        not isinstance(logged, Mapping)
        or set(logged) != set(replayed)
        or not all(isinstance(v, list) for v in logged.values())
    ):
        f.error(seq, "replay", f"the {what} columns are not the lists {sorted(replayed)}")
        return
    n_log = {len(v) if isinstance(v, list) else -1 for v in logged.values()}
    n_rep = len(next(iter(replayed.values()))) if replayed else 0
    first = min(
        (_first_difference(logged[k], replayed[k]) for k in replayed if logged[k] != replayed[k]),
        default=None,
    )
    if first is None:
        return
    if n_log != {n_rep} and first >= min(min(n_log), n_rep):
        f.error(
            seq, "replay",
            f"the {what} has {sorted(n_log)} rows, but the replay gives {n_rep}",
        )
        return
    f.error(
        seq, "replay",
        f"the {what} differs from the replay at row {first}: the log has "
        f"{describe_row(logged, first)}, the replay gives {describe_row(replayed, first)}",
    )


def _replay(
    state: CampaignState,
    targets: Targets,
    inspectors: Inspectors,
    f: _Findings,
    summary: dict[str, Any],
) -> None:
    c = state.commitment
    plan = state.plan
    assert c is not None and plan is not None
    try:
        sel = draw(plan, targets, state.seed) if state.seed is not None else None
        if sel is None:
            strata = stratum_summaries(plan, targets)
        else:
            strata = sel.strata
    except REPLAY_ERRORS as exc:  # a verifier reports a log it cannot replay; it never crashes
        f.error(0, "replay", f"the committed plan cannot be drawn from these targets: {exc}")
        return
    pi_body = B.strata_body(strata, drawn=False)
    _compare_strata(0, "committed π summary", c.get("inclusion_probabilities"), pi_body, f)
    replayed = ["π summary"]
    if sel is None or state.selection is None or state.selection_seq is None:
        summary["replayed"] = ", ".join(replayed)
        return
    assert state.seed is not None
    want = B.selection_body(sel)
    got = state.selection
    seq = state.selection_seq
    if got != want:
        _other_members(seq, "selection", got, want, f)
        if _compare_strata(seq, "selection's stratum summary", got.get("strata"),
                           want["strata"], f):
            strata_w = want["strata"]

            def row(cols: Mapping[str, list[Any]], i: int) -> str:
                parts = []
                for k in ("stratum", "id", "pi", "prn"):
                    col = cols.get(k)
                    if isinstance(col, list) and i < len(col):
                        v = col[i]
                        if k == "stratum" and isinstance(v, int) and 0 <= v < len(strata_w):
                            v = f"{strata_w[v]['task']}/{strata_w[v]['stratum']}"
                        parts.append(f"{k} {v!r}")
                return "(" + ", ".join(parts) + ")"

            _compare_columns(seq, "selection", got.get("rows"), want["rows"], row, f)
        if not any(p.seq == seq for p in f.items):
            f.error(seq, "replay", "the selection record differs from the replay")
    replayed.append("selection")
    if state.assignment is None or state.assignment_seq is None:
        summary["replayed"] = ", ".join(replayed)
        return
    aseq = state.assignment_seq
    try:
        teams = run_assign(plan, sel, inspectors, state.seed, c.get("assignment_inputs"))
    except REPLAY_ERRORS as exc:  # as for the draw: report, never crash
        f.error(aseq, "replay", f"the assignment cannot be replayed: {exc}")
        summary["replayed"] = ", ".join(replayed)
        return
    want_a = assignment_body(teams, sel)
    got_a = state.assignment
    summary["assigned"] = want_a.get("count")
    if got_a != want_a:

        def arow(cols: Mapping[str, list[Any]], i: int) -> str:
            return "(" + ", ".join(
                f"{k} {cols[k][i]!r}" for k in cols if isinstance(cols[k], list) and i < len(
                    cols[k])
            ) + ")"

        _other_members(aseq, "assignment", got_a, want_a, f)
        _compare_columns(aseq, "assignment", got_a.get("rows"), want_a["rows"], arow, f)
        if not any(p.seq == aseq for p in f.items):
            f.error(aseq, "replay", "the assignment record differs from the replay")
    replayed.append("assignment")
    summary["replayed"] = ", ".join(replayed)


def _check_times(state: CampaignState, f: _Findings, tz: _dt.tzinfo | None) -> None:
    """Record times must not decrease (docs/spec.md §10.1), as ``Campaign`` enforces when it
    writes: each time is compared with the latest time before it, as instants when both are
    date-times and as days (in the publication time zone) otherwise."""
    last: tuple[int, str, _dt.date | _dt.datetime] | None = None
    for seq in sorted(state.times):
        text = state.times[seq]
        if text is None:
            continue
        try:
            m = parse_moment(text, f"record {seq}'s time")
        except InputError as exc:
            f.error(seq, "time", str(exc))
            continue
        if last is not None and before(m, last[2], tz):
            f.error(
                seq, "time",
                f"record {seq}'s time {text} is before record {last[0]}'s ({last[1]}); records "
                "are appended in time order, so times never decrease",
            )
            continue  # compare the next record with the latest time, not this earlier one
        last = (seq, text, m)


def _check_results(
    state: CampaignState, f: _Findings, summary: dict[str, Any], tz: _dt.tzinfo | None
) -> None:
    plan = state.plan
    if plan is None:
        return
    revealed = None if state.seed_seq is None else _time_of(state, state.seed_seq)
    reveal_day = None if revealed is None else day_of(revealed, tz)
    outcomes: Counter[str] = Counter()
    overdue = 0
    deadlines: dict[date, date] = {}
    for (task, tid), (seq, row) in sorted(state.results.items(), key=lambda kv: kv[1][0]):
        try:
            overdue += _check_result(state, f, task, tid, seq, row, reveal_day, tz, outcomes,
                                     deadlines)
        except GUARDED as exc:  # one unreadable result never stops the others
            f.error(seq, "result", f"the result for target {tid!r} under task {task!r} could "
                                   f"not be read: {exc!r}")
    summary["results"] = (
        f"{len(state.results)} of {len(state.drawn)} drawn" if state.selection is not None
        else len(state.results)
    )
    summary["outcomes"] = dict(outcomes)
    summary["overdue"] = overdue


def _check_result(
    state: CampaignState,
    f: _Findings,
    task: str,
    tid: str,
    seq: int,
    row: Mapping[str, Any],
    reveal_day: date | None,
    tz: _dt.tzinfo | None,
    outcomes: Counter[str],
    deadlines: dict[date, date],
) -> bool:
    """Check one current result; True when its first publication was after its due day."""
    assert state.plan is not None
    pub = state.plan.publication
    where = f"the result for target {tid!r} under task {task!r}"
    outcome = row.get("outcome")
    if outcome not in pub.outcomes:
        f.error(seq, "result", f"{where} has outcome {outcome!r}, not one of the plan's "
                               f"outcomes {list(pub.outcomes)}")
    else:
        outcomes[outcome] += 1
    penalties = row.get("penalties")
    if not isinstance(penalties, list) or any(p not in pub.penalties for p in penalties):
        f.error(seq, "result", f"{where} has penalties {penalties!r}, not from the plan's "
                               f"penalties {list(pub.penalties)}")
    try:
        concluded = date.fromisoformat(B.iso_date(row.get("date"), "date"))
    except InputError:
        f.error(seq, "result", f"{where} has date {row.get('date')!r}, not YYYY-MM-DD")
        return False
    if reveal_day is not None and concluded < reveal_day:
        f.error(seq, "result", f"{where} is dated {concluded}, before the draw was revealed "
                               f"({reveal_day}, seq {state.seed_seq}): no drawn target can "
                               "have been inspected yet")
        return False
    # the deadline applies to the first publication (a correction is late by nature),
    # counted from the date as it stands now (a corrected date is the true one)
    first = state.first_results[(task, tid)]
    time = state.times.get(first)
    published_at = _time_of(state, first)
    if published_at is None:
        return False  # no time, or one the time check reports
    published = day_of(published_at, tz)
    if concluded > published:
        f.error(seq, "result", f"{where} is dated {concluded}, after it was first "
                               f"recorded ({time})")
        return False
    if concluded not in deadlines:
        deadlines[concluded] = pub.deadline(concluded)
    due = deadlines[concluded]
    if published <= due:
        return False
    # counted in calendar days past the due day: a count of working days would say "20, more
    # than the 20 allowed" for a publication on the weekend after a Friday due day
    late = (published - due).days
    f.warning(
        first, "deadline",
        f"{where}, concluded {concluded}, was first published {published}, {late} "
        f"day{'s' if late > 1 else ''} after its due day {due} (the "
        f"{pub.deadline_working_days} working days allowed end then)",
    )
    return True
