"""The assignment step of a campaign: its committed inputs, running ``assign``, its record body.

``assign`` needs, besides the plan, the selection, the inspectors and the seed, two inputs that
are not in the registries: the history of past inspections (for rotation) and enterprises'
recusal requests. Both are fixed in the commitment (``assignment_inputs``), before the seed, so
nobody can steer the second random after seeing the first, and the replay needs nothing but the
log and the two registries.

The ``assignment`` record's body holds ``Assignment.to_records()`` as columns (docs/spec.md §10):
``tasks`` lists the plan's task names and ``rows.task`` indexes it; the other columns (``id``,
``inspector``, ``role``, ``visit``) are as the records give them. ``pools`` says how each pool
(officers, experts) was staffed: whether capacities bound, and at what cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import InputError
from ..plan.plan import Plan
from ..randomness.seed import Seed
from ..registry.inspectors import Inspectors
from ..sampling.selection import Selection
from ..teams.engine import assign
from .record_bodies import iso_date

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "assignment_body",
    "assignment_inputs",
    "assignment_records",
    "run_assign",
]

ASSIGNMENT_COLUMNS = ("task", "id", "inspector", "role", "visit")


def _history(items: Iterable[Any]) -> list[list[str]]:
    out: set[tuple[str, str, str]] = set()
    for i, h in enumerate(items):
        where = f"history[{i}]"
        if not isinstance(h, Mapping):
            raise InputError(
                f"{where}: expected a mapping with 'inspector', 'target' and 'date', got {h!r}"
            )
        missing = [k for k in ("inspector", "target", "date") if k not in h]
        if missing:
            raise InputError(f"{where}: missing key {missing[0]!r}")
        ids = [h["inspector"], h["target"]]
        if any(isinstance(x, bool) or not isinstance(x, (str, int)) for x in ids):
            raise InputError(f"{where}: IDs must be text or whole numbers, got {ids!r}")
        out.add((str(ids[0]), str(ids[1]), iso_date(h["date"], f"{where}, date")))
    return [list(x) for x in sorted(out)]


def _recusals(items: Iterable[Any]) -> list[list[str]]:
    out: set[tuple[str, str]] = set()
    for i, r in enumerate(items):
        where = f"recusals[{i}]"
        if isinstance(r, Mapping):
            missing = [k for k in ("target", "inspector") if k not in r]
            if missing:
                raise InputError(f"{where}: missing key {missing[0]!r}")
            pair = [r["target"], r["inspector"]]
        elif isinstance(r, Sequence) and not isinstance(r, (str, bytes)) and len(r) == 2:
            pair = list(r)
        else:
            raise InputError(f"{where}: expected a (target, inspector) pair, got {r!r}")
        if any(isinstance(x, bool) or not isinstance(x, (str, int)) for x in pair):
            raise InputError(f"{where}: IDs must be text or whole numbers, got {pair!r}")
        out.add((str(pair[0]), str(pair[1])))
    return [list(x) for x in sorted(out)]


def assignment_inputs(history: Iterable[Any], recusals: Iterable[Any]) -> dict[str, Any]:
    """The committed form: ``history`` as sorted ``[inspector, target, date]`` and
    ``recusals`` as sorted ``[target, inspector]``, duplicates removed (order never matters)."""
    return {"history": _history(history), "recusals": _recusals(recusals)}


def run_assign(
    plan: Plan, selection: Selection, inspectors: Inspectors, seed: Seed, inputs: Any
) -> Any:
    """``assign`` with the committed inputs."""
    if not isinstance(inputs, Mapping) or set(inputs) != {"history", "recusals"}:
        raise InputError(
            "the commitment's assignment_inputs is not a mapping with 'history' and 'recusals'"
        )
    try:
        history = [{"inspector": a, "target": b, "date": d} for a, b, d in inputs["history"]]
        recusals = [(t, i) for t, i in inputs["recusals"]]
    except (TypeError, ValueError):
        raise InputError(
            "the commitment's assignment_inputs holds a history row that is not [inspector, "
            "target, date] or a recusal that is not [target, inspector]"
        ) from None
    return assign(plan, selection, inspectors, seed, history=history, recusals=recusals)


def assignment_body(teams: Any, selection: Selection) -> dict[str, Any]:
    """The assignment record: ``tasks``, one list per column of ``teams.columns()`` (the
    records' columns), and how each pool was staffed (``pools``: regime, cap, seats, max load)."""
    tasks = list(selection.tasks)
    index = {t: i for i, t in enumerate(tasks)}
    cols = teams.columns()
    rows: dict[str, list[Any]] = {k: cols[k].tolist() for k in ASSIGNMENT_COLUMNS}
    rows["task"] = [index[t] for t in rows["task"]]
    return {
        "count": len(rows["id"]),
        "algorithm": teams.algorithm,
        "tasks": tasks,
        "pools": [p.to_dict() for p in teams.pools],
        "rows": rows,
    }


def assignment_records(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The assignment's records (task, id, inspector, role, visit) from its body."""
    tasks = body["tasks"]
    cols = body["rows"]
    return [
        {"task": tasks[t], "id": i, "inspector": p, "role": r, "visit": v}
        for t, i, p, r, v in zip(cols["task"], cols["id"], cols["inspector"], cols["role"],
                                 cols["visit"])
    ]
