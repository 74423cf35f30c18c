"""The visits of an assignment: one per drawn target, whichever tasks drew it (spec §8, step 1).

Visits number the targets in ID order (UTF-8 bytes); each visit keeps its row in the target
registry and the plan indexes of the tasks that drew it.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..plan.plan import Plan
from ..sampling.selection import Selection

__all__ = ["IntArray", "Visits", "visits_of"]

IntArray = npt.NDArray[np.intp]


@attrs.frozen
class Visits:
    """The visits: targets in ID order, their registry rows and their tasks (plan indexes)."""

    ids: npt.NDArray[np.bytes_]  # sorted UTF-8 bytes
    rows: IntArray  # registry row per visit (-1 without a registry)
    task_indptr: npt.NDArray[np.int64]
    task_list: IntArray

    def tasks_of(self, v: int) -> tuple[int, ...]:
        lo, hi = int(self.task_indptr[v]), int(self.task_indptr[v + 1])
        return tuple(int(t) for t in self.task_list[lo:hi])

    def index(self, target_ids: npt.NDArray[np.bytes_]) -> IntArray:
        """Visit index of each ID, -1 where the target was not drawn."""
        if self.ids.size == 0 or target_ids.size == 0:
            return np.full(target_ids.shape[0], -1, np.intp)
        i = np.searchsorted(self.ids, target_ids)
        i[i >= self.ids.size] = 0
        hit = self.ids[i] == target_ids
        out: IntArray = np.where(hit, i, -1).astype(np.intp)
        return out


def visits_of(plan: Plan, sel: Selection) -> Visits:
    """The visits of a selection drawn with ``plan``: its distinct targets and their tasks."""
    names = [t.name for t in plan.tasks]
    missing = [t for t in sel.tasks if t not in names]
    if missing:
        raise InputError(
            f"the selection has task {missing[0]!r}, which the plan does not; assign with the "
            f"plan the selection was drawn with (its tasks are {names})"
        )
    plan_task = np.array([names.index(t) for t in sel.tasks], np.intp)[sel.task_index]
    ids = np.array([str(x).encode("utf-8") for x in sel.ids.tolist()], dtype="S")
    uniq, first, inv = np.unique(ids, return_index=True, return_inverse=True)
    pairs = np.unique(inv.astype(np.int64) * len(names) + plan_task)
    visit_of_pair = pairs // len(names)
    indptr = np.searchsorted(visit_of_pair, np.arange(uniq.size + 1)).astype(np.int64)
    rows = sel.rows[first] if sel.targets is not None else np.full(uniq.size, -1, np.intp)
    return Visits(uniq, rows.astype(np.intp), indptr, (pairs % len(names)).astype(np.intp))
