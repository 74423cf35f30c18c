"""The 双清单 of each visit, from plain assignment records and the inspector registry's rows.

For a caller that has the assignment as records (``task, id, inspector, role, visit``, as in the
campaign log) rather than an object with ``visits()``: :func:`visits_from_assignment` builds the
visit records that :func:`~shuangsuiji.notices.task_notice` takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InputError
from .inputs import as_data, get_str, records, str_list

__all__ = ["visits_from_assignment"]


def _rows_by_id(rows: Any, what: str) -> dict[str, Mapping[str, Any]]:
    if isinstance(rows, Mapping):
        return {str(k): v for k, v in rows.items() if isinstance(v, Mapping)}
    return {get_str(r, "id", f"{what}[{i}]"): r for i, r in enumerate(records(rows, what))}


def _task_items(plan_or_items: Any) -> dict[str, tuple[str, ...]]:
    if plan_or_items is None:
        return {}
    plan_or_items = as_data(plan_or_items)
    if isinstance(plan_or_items, Mapping) and "tasks" in plan_or_items:
        return {
            str(t.get("name")): str_list(t["items"], f"plan task {t.get('name')!r}, key 'items'")
            for t in records(plan_or_items["tasks"], "plan tasks")
            if t.get("items")
        }
    if isinstance(plan_or_items, Mapping):
        return {str(k): str_list(v, f"items[{k!r}]") for k, v in plan_or_items.items()}
    raise InputError("items: expected the plan dict or {task: [items]}")


def visits_from_assignment(
    assignment: Any, inspectors: Any, *, items: Any = None
) -> list[dict[str, Any]]:
    """One record per visit, in order of first appearance, for ``task_notice(visits=...)``.

    - ``assignment``: records with ``task``, ``id`` (the target), ``inspector``, ``role`` and
      ``visit`` (``Assignment.to_records()``; the object is accepted).
    - ``inspectors``: the inspector registry's rows (``{id: row}`` or records with ``id``),
      giving each member's ``name``, ``unit`` and ``certificate``.
    - ``items``: the plan dict (each task's ``items``) or ``{task: [items]}``; a visit's items
      are those of its tasks, in task order, without repeats.

    A visit whose records name two targets, an inspector with two roles in one visit, or an
    inspector missing from the registry is an InputError.
    """
    by_id = _rows_by_id(inspectors, "inspectors")
    task_items = _task_items(items)
    visits: dict[str, dict[str, Any]] = {}
    roles: dict[tuple[str, str], str] = {}
    for i, r in enumerate(records(assignment, "assignment")):
        where = f"assignment[{i}]"
        vid = get_str(r, "visit", where)
        target = get_str(r, "id", where, "target")
        task = get_str(r, "task", where)
        person = get_str(r, "inspector", where)
        role = get_str(r, "role", where, default="officer")
        v = visits.setdefault(
            vid, {"visit": vid, "target": target, "tasks": [], "items": [], "team": []}
        )
        if v["target"] != target:
            raise InputError(
                f"{where}: visit {vid!r} is for target {v['target']!r}, not {target!r}"
            )
        if task not in v["tasks"]:
            v["tasks"].append(task)
            v["items"] += [x for x in task_items.get(task, ()) if x not in v["items"]]
        seen = roles.get((vid, person))
        if seen is not None:
            if seen != role:
                raise InputError(
                    f"{where}: inspector {person!r} is both {seen!r} and {role!r} in visit {vid!r}"
                )
            continue
        roles[(vid, person)] = role
        row = by_id.get(person)
        if row is None:
            raise InputError(f"{where}: inspector {person!r} is not in the inspector registry")
        member = {"inspector": person, "role": role}
        for key in ("name", "unit", "certificate"):
            if row.get(key) is not None:
                member[key] = get_str(row, key, f"inspectors[{person!r}]")
        v["team"].append(member)
    return list(visits.values())
