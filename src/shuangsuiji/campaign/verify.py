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

This module reads the file (1) and the records' order (2, :mod:`.state`) and runs the other
checks in order, each on its own: 3–4 in :mod:`.commitment_checks`, 5 in :mod:`.replay`, 6–7 in
:mod:`.result_checks`. It depends on the log reader's state, never on the writer.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import attrs

from ..errors import InputError
from ..log.logfile import Checkpoint, check_chain, check_checkpoint, parse_log, read_log
from ..log.merkle import MerkleTree
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from .commitment_checks import check_randomness, check_registries, check_versions, registry_arg
from .replay import Registries, replay
from .report import GUARDED, Findings, Problem, Report
from .result_checks import check_results, check_times
from .state import CampaignState, read_state
from .year_checks import check_year

__all__ = ["Problem", "Report", "verify"]


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



def verify(
    path: str | os.PathLike[str],
    targets: Targets | Sequence[Targets] | Mapping[str, Targets],
    inspectors: Inspectors | Sequence[Inspectors] | Mapping[str, Inspectors],
    checkpoint: Any = None,
) -> Report:
    """Replay the campaign log at ``path`` against the registries; see the module docstring.

    ``targets`` and ``inspectors`` are each one registry (every batch's), a list with one per
    batch in order, or a mapping of fingerprint to registry (docs/spec.md §11.8); every batch
    is replayed from its own snapshots and the history the log holds before it.
    ``checkpoint`` is a :class:`shuangsuiji.log.Checkpoint` (or the path of its JSON file)
    published earlier; with it a truncated, extended-from-a-rewrite or rewritten log is caught.
    Bad arguments (not a registry, an unreadable checkpoint file) raise InputError; everything
    wrong *in the log* is a problem in the report.
    """
    registry_arg("targets", targets)
    registry_arg("inspectors", inspectors)
    f = Findings()
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
def _check_campaign(
    state: CampaignState,
    targets: Any,
    inspectors: Any,
    f: Findings,
    summary: dict[str, Any],
) -> None:
    """Every check of docs/spec.md §10.8, each on its own: a value that makes one check stop
    short is reported (at the seq the check is about) and the other checks still run."""
    plan = state.plan
    summary["plan"] = plan.name if plan is not None else None
    tz = _publication_tz(state)
    registries: list[Registries] = []
    _step(f, 0, "registries", _collect, registries, check_registries, state, targets,
          inspectors, f, summary)
    versions_ok = _step(f, 0, "algorithm versions", check_versions, state, f)
    _step(f, 0, "randomness", check_randomness, state, f, summary, tz)
    if state.seed_seq is not None and state.selection_seq is None:
        f.warning(
            state.seed_seq, "order",
            "the seed was recorded but not the selection and assignment that follow it: the "
            "reveal was cut short; complete it with Campaign.reveal and the same seed",
        )
    summary["drawn"] = state.drawn_count() if state.batches[0].selection is not None else None
    if plan is not None and any(r is not None for r in registries) and versions_ok:
        _step(f, state.selection_seq, "replay", replay, state, registries, f, summary)
    _step(f, None, "record times", check_times, state, f, tz)
    _step(f, None, "directed checks", check_year, state, registries, f, summary)
    _step(f, None, "results", check_results, state, f, summary, tz)
    _step(f, None, "notices", _summarise_notices, state, summary)


def _collect(out: list[Any], check: Any, *args: Any) -> None:
    """Run ``check`` and keep what it returns in ``out``."""
    out.extend(check(*args))


def _step(f: Findings, seq: int | None, what: str, check: Any, *args: Any) -> bool:
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
