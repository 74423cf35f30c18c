"""Each visit's team rule (spec §8, step 2), computed once per group of visits with equal needs.

The team rules of a visit's tasks, with the target's values filled in (the ``match`` column, the
``region_column`` when ``cross_region``), become a :class:`~.team_seats.VisitRule`. Visits with
the same task set and the same values in every column a rule reads share one rule, so a
million visits cost a few hundred rules.
"""

from __future__ import annotations

import difflib
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..plan.plan import Plan, Task
from ..registry.columns import Column
from ..sampling.selection import Selection
from .team_seats import TaskNeeds, VisitRule, visit_rule
from .visits import IntArray, Visits

__all__ = ["ColumnCodes", "rule_groups", "target_column", "value_codes"]

# per column a rule reads: the visits' value codes (-1 missing) and the text of each code
ColumnCodes: TypeAlias = dict[str, tuple[IntArray, list[str | None]]]


def target_column(sel: Selection, name: str, task: Task, key: str) -> Column:
    """The target registry's column ``name``, which ``task`` reads for its team rule ``key``."""
    targets = sel.targets
    if targets is None:
        raise InputError(
            f"task {task.name!r}, key {key!r}: the selection keeps no target registry to read "
            f"column {name!r} from; use a selection made by ss.draw"
        )
    if name not in targets.columns:
        cols = list(targets.columns)
        hint = difflib.get_close_matches(name, cols, n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else f"; columns are {cols}"
        raise InputError(
            f"task {task.name!r}, key {key!r}: column {name!r} does not exist in the targets{extra}"
        )
    return targets.columns[name]


def value_codes(col: Column, rows: IntArray) -> tuple[IntArray, list[str | None]]:
    """Codes of the visits' values (-1 missing) and the text of each code (Column.label)."""
    if col.kind == "str":
        codes: IntArray = col.data[rows].astype(np.intp)
        return codes, list(col.categories)
    data = col.data[rows]
    missing = col.missing[rows]
    uniq, inv = np.unique(data[~missing], return_inverse=True)
    codes = np.full(rows.shape[0], -1, np.intp)
    codes[~missing] = inv
    return codes, [col.label(bool(u) if col.kind == "bool" else u) for u in uniq.tolist()]


def rule_groups(
    plan: Plan, sel: Selection, visits: Visits
) -> tuple[IntArray, list[VisitRule], ColumnCodes]:
    """Each visit's rule group and the groups' rules (visits with equal needs share a rule).

    Also returns the codes of the columns the rules read, which the error messages quote.
    """
    cols = _columns_read(plan, sel, visits)
    set_id, task_sets = _task_sets(plan, visits)
    # one signature per visit: its task set and its codes in every column a rule reads
    sig = np.stack([set_id] + [cols[c][0].astype(np.int64) for c in sorted(cols)], axis=1)
    uniq, first, group = np.unique(sig, axis=0, return_index=True, return_inverse=True)
    group = group.reshape(-1).astype(np.intp)
    out: list[VisitRule] = []
    for g in range(uniq.shape[0]):
        v = int(first[g])
        tasks = [plan.tasks[ti] for ti in task_sets[int(uniq[g, 0])]]
        out.append(visit_rule([_task_needs(task, v, visits, cols) for task in tasks]))
    return group, out, cols


def _columns_read(plan: Plan, sel: Selection, visits: Visits) -> ColumnCodes:
    """The codes of every target column that the team rules of a drawn task read."""
    cols: ColumnCodes = {}
    needed: list[tuple[str, Task, str]] = []
    for t in plan.tasks:
        rules = t.team_rules
        if rules.match is not None:
            needed.append((rules.match.column, t, "team.match.column"))
        if rules.cross_region:
            needed.append((rules.region_column, t, "team.region_column"))
    used = set(visits.task_list.tolist())
    for name, t, key in needed:
        if name not in cols and plan.tasks.index(t) in used:
            cols[name] = value_codes(target_column(sel, name, t, key), visits.rows)
    return cols


def _task_sets(
    plan: Plan, visits: Visits
) -> tuple[npt.NDArray[np.int64], dict[int, tuple[int, ...]]]:
    """Each visit's task-set number, and the task set (plan indexes) of each number."""
    n = visits.ids.shape[0]
    sets: dict[tuple[int, ...], int] = {}
    counts = np.diff(visits.task_indptr)
    single = counts == 1
    set_id = np.empty(n, np.int64)
    lone = visits.task_list[visits.task_indptr[:-1][single]]
    for t in np.unique(lone).tolist():  # most visits come from one task
        sets[(t,)] = len(sets)
    lookup = np.full(len(plan.tasks), -1, np.int64)
    for ts, i in sets.items():
        lookup[ts[0]] = i
    set_id[single] = lookup[lone]
    for v in np.flatnonzero(~single).tolist():
        set_id[v] = sets.setdefault(visits.tasks_of(v), len(sets))
    return set_id, {i: ts for ts, i in sets.items()}


def _task_needs(task: Task, v: int, visits: Visits, cols: ColumnCodes) -> TaskNeeds:
    """``task``'s team rules with visit ``v``'s values filled in."""
    rules = task.team_rules
    cutoff = rules.rotation_cutoff
    return TaskNeeds(
        officers=rules.officers,
        experts=rules.experts,
        value=_value(v, task, rules.match.column, "team.match", visits, cols)
        if rules.match
        else None,
        who=rules.match.who if rules.match else "all",
        departments=rules.departments,
        region=_value(v, task, rules.region_column, "team.cross_region", visits, cols)
        if rules.cross_region
        else None,
        cutoff=cutoff.isoformat() if cutoff is not None else None,
    )


def _value(v: int, task: Task, column: str, key: str, visits: Visits, cols: ColumnCodes) -> str:
    """Visit ``v``'s value in ``column``, which ``task`` needs for its rule ``key``."""
    codes, labels = cols[column]
    c = int(codes[v])
    label = labels[c] if c >= 0 else None
    if label is None:
        tid = visits.ids[v].decode("utf-8")
        raise InputError(
            f"target {tid!r} has no value in column {column!r}, which task {task.name!r} "
            f"needs for {key}; fill it in the target registry"
        )
    return label
