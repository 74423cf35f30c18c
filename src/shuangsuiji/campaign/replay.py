"""The replay (docs/spec.md §10.8, §11.8, step 5 of :func:`~.verify.verify`): for every batch,
the π summary, ``draw`` and ``assign`` recomputed from the batch's plan, registries, revealed seed
and the history before it must give the recorded bodies exactly. A difference is reported at the record that holds it, naming
the first stratum or row that differs, as the log has it and as the replay gives it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from ..sampling.selection import Selection
from . import record_bodies as B
from .assign_step import assignment_body
from .history import batch_assign, batch_burden, batch_day, batch_draw, batch_strata, burden_body
from .report import REPLAY_ERRORS, Findings
from .state import Batch, CampaignState

__all__ = ["Registries", "replay"]


Registries = tuple[Targets, Inspectors] | None
"""A batch's registry snapshots, or None when they are missing or not the committed ones."""


def replay(
    state: CampaignState,
    registries: Sequence[Registries],
    f: Findings,
    summary: dict[str, Any],
) -> None:
    """Replay every batch (docs/spec.md §10.8, §11.8): its π summary (and burden), then its
    selection and assignment as far as the log has them, from that batch's registries and the
    history before its record; ``summary["replayed"]`` says how far each replay got."""
    done = []
    for b, regs in zip(state.batches, registries):
        if regs is None or b.plan is None:
            done.append("not replayed")
            continue
        done.append(", ".join(_replay_batch(state, b, regs, f, summary)))
    if len(state.batches) == 1:
        summary["replayed"] = done[0]
    else:
        summary["replayed"] = "; ".join(f"batch {i + 1}: {d}" for i, d in enumerate(done))


def _name(b: Batch, what: str) -> str:
    """``what`` of batch ``b`` in a message; batch 1 says it as a single campaign does."""
    return what if b.number == 1 else f"batch {b.number}'s {what}"


def _replay_batch(
    state: CampaignState, b: Batch, regs: tuple[Targets, Inspectors], f: Findings,
    summary: dict[str, Any],
) -> list[str]:
    """Replay batch ``b``; the parts replayed."""
    targets = regs[0]
    assert b.plan is not None
    try:
        burden = batch_burden(state, b.plan, targets, b.seq, batch_day(state, b))
        sel = batch_draw(b.plan, targets, b.seed, burden) if b.seed is not None else None
        strata = batch_strata(b.plan, targets, burden) if sel is None else sel.strata
    except REPLAY_ERRORS as exc:  # a verifier reports a log it cannot replay; it never crashes
        what = "committed plan" if b.number == 1 else f"plan of batch {b.number}"
        f.error(b.seq, "replay", f"the {what} cannot be drawn from these targets: {exc}")
        return []
    pi_body = B.strata_body(strata, drawn=False)
    _compare_strata(b.seq, _name(b, "committed π summary"), b.body.get("inclusion_probabilities"),
                    pi_body, f)
    if b.number > 1 and b.body.get("burden") != burden_body(burden, b.plan, targets):
        f.error(b.seq, "replay", f"batch {b.number}'s burden is {b.body.get('burden')!r} in the "
                                 f"log, {burden_body(burden, b.plan, targets)!r} in the replay")
    replayed = ["π summary"]
    if sel is not None and b.selection is not None and b.selection_seq is not None:
        _replay_selection(b, sel, f)
        replayed.append("selection")
        recorded = b.assignment is not None and b.assignment_seq is not None
        if recorded and _replay_assignment(state, b, sel, regs, f, summary):
            replayed.append("assignment")
    return replayed


def _replay_selection(b: Batch, sel: Selection, f: Findings) -> None:
    """Compare the selection record with the replayed draw ``sel``."""
    want = B.selection_body(sel)
    got = b.selection
    seq = b.selection_seq
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
    b: Batch,
    sel: Selection,
    regs: tuple[Targets, Inspectors],
    f: Findings,
    summary: dict[str, Any],
) -> bool:
    """Compare the assignment record with ``assign`` replayed; False when it cannot be run."""
    aseq = b.assignment_seq
    got_a = b.assignment
    assert b.plan is not None and b.seed is not None
    assert aseq is not None and got_a is not None
    try:
        teams = batch_assign(state, b, b.plan, sel, regs[0], regs[1], b.seed)
    except REPLAY_ERRORS as exc:  # as for the draw: report, never crash
        f.error(aseq, "replay", f"the assignment cannot be replayed: {exc}")
        return False
    want_a = assignment_body(teams, sel)
    summary["assigned"] = summary.get("assigned", 0) + want_a["count"]
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
