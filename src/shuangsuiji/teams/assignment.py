"""The result of the second random: a team per visit (docs/spec.md §8).

:class:`Assignment` is frozen and columnar. Its records have one row per (task, target, team
member): ``task``, ``id`` (the target), ``inspector``, ``role`` (``officer`` or ``expert``) and
``visit``. A target drawn by several tasks is one visit with one team (进一次门、查多项事), so its
members appear once per task. It also gives each inspector's workload, and the advance-notice
data of each visit (双清单): the target, its tasks, the items to be checked, and each member's
unit, name, certificate and role, as plain dicts of str and int.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from .._util.arrays import readonly
from ..errors import InputError

if TYPE_CHECKING:
    from ..registry.inspectors import Inspectors

__all__ = ["ALGORITHM", "Assignment", "PoolResult"]

ALGORITHM = "shuangsuiji-assign/1"


@attrs.frozen
class PoolResult:
    """How one pool (officers or experts) was staffed.

    ``regime`` is ``"free"`` (capacities did not bind: every visit got its own best team) or
    ``"balanced"`` (capacities bound: loads were capped at ``cap``, the least uniform cap that
    still staffs every visit; spec §8.8); ``"none"`` when no visit needs this pool.
    """

    role: str
    regime: str
    cap: int | None
    seats: int
    max_load: int

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(eq=False)
class Assignment:
    """Teams for the drawn targets: one visit per target, one team per visit.

    Per visit (in ``visit_ids`` order, which is target-ID order): the target, the plan tasks
    that drew it (CSR ``visit_task_indptr``/``visit_task_list``, indexes into ``tasks``, in plan
    order) and the team, in CSR form: ``member_rows[team_indptr[v]:team_indptr[v+1]]`` are rows
    of the inspector registry, officers first (filtered seats in seat order, then the others by
    ID), then experts by ID. Member details (ID, name, unit, certificate, role) are copied from
    the registry, so the value stands alone. The recusals that applied are kept as columns:
    ``recusal_target`` and ``recusal_inspector`` index ``target_ids`` and ``inspector_ids``
    (sorted UTF-8 IDs), ``recusal_requested`` tells an enterprise's request from a declared
    conflict. They hold every declared conflict with a drawn target and every request, sorted by
    target, inspector and source; :meth:`recusal_records` gives them as dicts.
    """

    plan_name: str
    seed_hex: str
    algorithm: str
    tasks: tuple[str, ...]
    task_items: tuple[tuple[str, ...], ...]
    visit_ids: tuple[str, ...]
    visit_targets: tuple[str, ...]
    visit_task_indptr: npt.NDArray[np.int64] = attrs.field(converter=readonly)
    visit_task_list: npt.NDArray[np.intp] = attrs.field(converter=readonly)
    team_indptr: npt.NDArray[np.int64] = attrs.field(converter=readonly)
    member_rows: npt.NDArray[np.intp] = attrs.field(converter=readonly)
    member_id_bytes: npt.NDArray[np.bytes_] = attrs.field(converter=readonly)
    member_is_expert: npt.NDArray[np.bool_] = attrs.field(converter=readonly)
    member_names: npt.NDArray[np.object_] = attrs.field(converter=readonly)
    member_units: npt.NDArray[np.object_] = attrs.field(converter=readonly)
    member_certificates: npt.NDArray[np.object_] = attrs.field(converter=readonly)
    target_ids: npt.NDArray[np.bytes_] = attrs.field(converter=readonly)
    inspector_ids: npt.NDArray[np.bytes_] = attrs.field(converter=readonly)
    recusal_target: npt.NDArray[np.int64] = attrs.field(converter=readonly)
    recusal_inspector: npt.NDArray[np.int64] = attrs.field(converter=readonly)
    recusal_requested: npt.NDArray[np.bool_] = attrs.field(converter=readonly)
    pools: tuple[PoolResult, ...]
    loads: npt.NDArray[np.int64] = attrs.field(converter=readonly)  # per registry row
    inspectors: Inspectors | None = attrs.field(default=None, kw_only=True, repr=False)

    # -- shape ------------------------------------------------------------------------------------
    def __len__(self) -> int:
        """The number of records: team members summed over (task, target)."""
        sizes = np.diff(self.team_indptr)
        return int((sizes * np.diff(self.visit_task_indptr)).sum())

    def visit_tasks(self, visit: int | str) -> tuple[int, ...]:
        """The plan tasks (indexes into ``tasks``) that drew a visit's target."""
        v = self._visit_index(visit)
        lo, hi = int(self.visit_task_indptr[v]), int(self.visit_task_indptr[v + 1])
        return tuple(int(t) for t in self.visit_task_list[lo:hi])

    @property
    def n_visits(self) -> int:
        return len(self.visit_ids)

    def team(self, visit: int | str) -> list[int]:
        """Registry rows of a visit's team (by index or visit ID)."""
        v = self._visit_index(visit)
        lo, hi = int(self.team_indptr[v]), int(self.team_indptr[v + 1])
        return [int(x) for x in self.member_rows[lo:hi]]

    def _visit_index(self, visit: int | str) -> int:
        if isinstance(visit, str):
            try:
                return self.visit_ids.index(visit)
            except ValueError:
                try:
                    return self.visit_targets.index(visit)
                except ValueError:
                    raise InputError(
                        f"no visit {visit!r}: give a visit ID (e.g. {self.visit_ids[:1]}) or a "
                        "drawn target's ID"
                    ) from None
        if (
            isinstance(visit, bool)
            or not isinstance(visit, int)
            or not (0 <= visit < self.n_visits)
        ):
            raise InputError(f"visit index {visit!r} is not in 0..{self.n_visits - 1}")
        return visit

    # -- records ------------------------------------------------------------------------------------
    def columns(self) -> dict[str, npt.NDArray[Any]]:
        """Record columns: task, id, inspector, role, visit (visit order, tasks in plan order)."""
        n_pairs = self.visit_task_list.shape[0]
        pair_visit = np.repeat(
            np.arange(self.n_visits, dtype=np.intp), np.diff(self.visit_task_indptr)
        )
        sizes = np.diff(self.team_indptr)[pair_visit]
        rec_pair = np.repeat(np.arange(n_pairs, dtype=np.intp), sizes)
        offset = np.arange(rec_pair.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        member = self.team_indptr[pair_visit][rec_pair] + offset
        rec_visit = pair_visit[rec_pair]
        tasks = np.array(self.tasks, dtype=object)
        targets = np.array(self.visit_targets, dtype=object)
        vids = np.array(self.visit_ids, dtype=object)
        ids = np.strings.decode(self.member_id_bytes[member], "utf-8").astype(object)
        roles = np.where(self.member_is_expert[member], "expert", "officer").astype(object)
        return {
            "task": tasks[self.visit_task_list[rec_pair]],
            "id": targets[rec_visit],
            "inspector": ids,
            "role": roles,
            "visit": vids[rec_visit],
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per (task, target, member) with keys task, id, inspector, role, visit."""
        cols = self.columns()
        names = list(cols)
        return [dict(zip(names, row)) for row in zip(*(c.tolist() for c in cols.values()))]

    def to_pandas(self) -> Any:
        """The records as a pandas DataFrame (the ``pandas`` extra)."""
        from ..registry.dataframes import require

        return require("pandas", "Assignment.to_pandas()").DataFrame(self.columns())

    def recusal_records(self) -> list[dict[str, str]]:
        """The recusals that applied: ``{"target", "inspector", "source"}``, source
        ``"declared"`` (the inspector's conflicts) or ``"requested"`` (the enterprise's)."""
        targets = [x.decode("utf-8") for x in self.target_ids.tolist()]
        people = [x.decode("utf-8") for x in self.inspector_ids.tolist()]
        return [
            {
                "target": targets[t],
                "inspector": people[i],
                "source": "requested" if r else "declared",
            }
            for t, i, r in zip(
                self.recusal_target.tolist(),
                self.recusal_inspector.tolist(),
                self.recusal_requested.tolist(),
            )
        ]

    # -- 双清单 --------------------------------------------------------------------------------------
    def advance_notice(self, visit: int | str) -> dict[str, Any]:
        """One visit's 双清单: ``visit``, ``target``, ``tasks``, ``items`` (the tasks' checklist
        items, in task order, without repeats; a task without ``items`` contributes its name) and
        ``team``: per member ``inspector``, ``role``, ``name``, ``unit``, ``certificate``."""
        v = self._visit_index(visit)
        tasks = self.visit_tasks(v)
        items: list[str] = []
        for t in tasks:
            items += [x for x in self.task_items[t] if x not in items]
        lo, hi = int(self.team_indptr[v]), int(self.team_indptr[v + 1])
        team = [
            {
                "inspector": bytes(self.member_id_bytes[k]).decode("utf-8"),
                "role": "expert" if self.member_is_expert[k] else "officer",
                "name": str(self.member_names[k]),
                "unit": str(self.member_units[k]),
                "certificate": str(self.member_certificates[k]),
            }
            for k in range(lo, hi)
        ]
        return {
            "visit": self.visit_ids[v],
            "target": self.visit_targets[v],
            "tasks": [self.tasks[t] for t in tasks],
            "items": items,
            "team": team,
        }

    def notices(self) -> list[dict[str, Any]]:
        """:meth:`advance_notice` of every visit, in visit order."""
        return [self.advance_notice(v) for v in range(self.n_visits)]

    visits = notices

    # -- workload ----------------------------------------------------------------------------------
    def workload(self) -> list[dict[str, Any]]:
        """Per inspector of the registry: ``inspector``, ``name``, ``unit``, ``role``, ``active``,
        ``capacity`` (None = no limit) and ``visits`` (how many visits in this plan), by ID."""
        ins = self.inspectors
        if ins is None:
            raise InputError("this Assignment keeps no inspector registry; workload needs it")
        ids = ins.ids()
        order = sorted(range(len(ids)), key=lambda i: ids[i].encode("utf-8"))
        cap = ins.capacity.tolist()
        return [
            {
                "inspector": ids[i],
                "name": str(ins.name[i]),
                "unit": str(ins.unit[i]),
                "role": "expert" if ins.is_expert[i] else "officer",
                "active": bool(ins.active[i]),
                "capacity": None if cap[i] < 0 else int(cap[i]),
                "visits": int(self.loads[i]),
            }
            for i in order
        ]

    def workload_summary(self) -> list[dict[str, Any]]:
        """Per role, over active inspectors: ``people``, ``visits``, ``min``, ``max``, ``mean``
        and ``idle`` (active people with no visit), plus the pool's regime and cap."""
        ins = self.inspectors
        if ins is None:
            raise InputError("this Assignment keeps no inspector registry; workload needs it")
        out = []
        for pool in self.pools:
            mask = (ins.is_expert if pool.role == "expert" else ~ins.is_expert) & ins.active
            loads = self.loads[mask]
            out.append(
                {
                    "role": pool.role,
                    "people": int(mask.sum()),
                    "visits": int(loads.sum()),
                    "min": int(loads.min()) if loads.size else 0,
                    "max": int(loads.max()) if loads.size else 0,
                    "mean": float(loads.mean()) if loads.size else 0.0,
                    "idle": int((loads == 0).sum()),
                    "regime": pool.regime,
                    "cap": pool.cap,
                }
            )
        return out
