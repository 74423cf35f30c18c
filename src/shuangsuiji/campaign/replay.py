"""The replay (docs/spec.md §10.8, step 5 of :func:`~.verify.verify`): the π summary, ``draw``
and ``assign`` recomputed from the committed plan, the registries and the revealed seed must
give the recorded bodies exactly. A difference is reported at the record that holds it, naming
the first stratum or row that differs, as the log has it and as the replay gives it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from ..sampling.engine import draw, stratum_summaries
from ..sampling.selection import Selection
from . import record_bodies as B
from .assign_step import assignment_body, run_assign
from .report import REPLAY_ERRORS, Findings
from .state import CampaignState

__all__ = ["replay"]


def replay(
    state: CampaignState,
    targets: Targets,
    inspectors: Inspectors,
    f: Findings,
    summary: dict[str, Any],
) -> None:
    """Replay the commitment's π summary, then the selection and the assignment as far as the
    log has them; ``summary["replayed"]`` says how far the replay got."""
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
    if sel is not None and state.selection is not None and state.selection_seq is not None:
        _replay_selection(state, sel, f)
        replayed.append("selection")
        recorded = state.assignment is not None and state.assignment_seq is not None
        if recorded and _replay_assignment(state, sel, inspectors, f, summary):
            replayed.append("assignment")
    summary["replayed"] = ", ".join(replayed)


def _replay_selection(state: CampaignState, sel: Selection, f: Findings) -> None:
    """Compare the selection record with the replayed draw ``sel``."""
    want = B.selection_body(sel)
    got = state.selection
    seq = state.selection_seq
    assert got is not None and seq is not None
    if got == want:
        return
    _other_members(seq, "selection", got, want, f)
    if _compare_strata(seq, "selection's stratum summary", got.get("strata"), want["strata"], f):
        strata_w = want["strata"]

        def row(cols: Mapping[str, list[Any]], i: int) -> str:
            return _selection_row(strata_w, cols, i)

        _compare_columns(seq, "selection", got.get("rows"), want["rows"], row, f)
    if not any(p.seq == seq for p in f.items):
        f.error(seq, "replay", "the selection record differs from the replay")


def _selection_row(strata: list[dict[str, Any]], cols: Mapping[str, list[Any]], i: int) -> str:
    """Row ``i`` of selection columns, its stratum named as task/stratum, for a message."""
    parts = []
    for k in ("stratum", "id", "pi", "prn"):
        col = cols.get(k)
        if isinstance(col, list) and i < len(col):
            v = col[i]
            if k == "stratum" and isinstance(v, int) and 0 <= v < len(strata):
                v = f"{strata[v]['task']}/{strata[v]['stratum']}"
            parts.append(f"{k} {v!r}")
    return "(" + ", ".join(parts) + ")"


def _replay_assignment(
    state: CampaignState,
    sel: Selection,
    inspectors: Inspectors,
    f: Findings,
    summary: dict[str, Any],
) -> bool:
    """Compare the assignment record with ``assign`` replayed; False when it cannot be run."""
    c = state.commitment
    aseq = state.assignment_seq
    got_a = state.assignment
    assert c is not None and state.plan is not None and state.seed is not None
    assert aseq is not None and got_a is not None
    try:
        teams = run_assign(state.plan, sel, inspectors, state.seed, c.get("assignment_inputs"))
    except REPLAY_ERRORS as exc:  # as for the draw: report, never crash
        f.error(aseq, "replay", f"the assignment cannot be replayed: {exc}")
        return False
    want_a = assignment_body(teams, sel)
    summary["assigned"] = want_a.get("count")
    if got_a != want_a:
        _other_members(aseq, "assignment", got_a, want_a, f)
        _compare_columns(aseq, "assignment", got_a.get("rows"), want_a["rows"], _row, f)
        if not any(p.seq == aseq for p in f.items):
            f.error(aseq, "replay", "the assignment record differs from the replay")
    return True


def _row(cols: Mapping[str, list[Any]], i: int) -> str:
    """Row ``i`` of columns, every column that has one, for a message."""
    return "(" + ", ".join(
        f"{k} {cols[k][i]!r}" for k in cols if isinstance(cols[k], list) and i < len(cols[k])
    ) + ")"


def _first_difference(a: Sequence[Any], b: Sequence[Any]) -> int:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def _other_members(seq: int, what: str, got: Mapping[str, Any], want: Mapping[str, Any],
                   f: Findings) -> None:
    """Report members of a body, other than its rows and strata, that differ from the replay."""
    for k in sorted(set(got) | set(want)):
        if k not in ("rows", "strata") and got.get(k) != want.get(k):
            f.error(seq, "replay", f"the {what}'s {k!r} is {got.get(k)!r} in the log, "
                                   f"{want.get(k)!r} in the replay")


def _compare_strata(
    seq: int, what: str, logged: Any, replayed: list[dict[str, Any]], f: Findings
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
    f: Findings,
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
