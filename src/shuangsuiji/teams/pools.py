"""A pool of inspectors, officers or experts, and its candidate lists (spec §8, step 3).

Officers and experts are staffed separately, each from its own pool. A seat's candidates are the
active people of the pool who pass its filter (qualifications held, regions excluded, unit);
seats with the same filter share one candidate list, so the lists are built once per filter.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..registry.inspectors import Inspectors
from .visits import IntArray

__all__ = ["Pool"]


class Pool:
    """One pool (officers or experts): its people in ID order and their candidate lists."""

    def __init__(self, ins: Inspectors, expert: bool) -> None:
        self.ins = ins
        self.expert = expert
        rows = np.flatnonzero(ins.is_expert == expert)
        self.rows: IntArray = rows[np.argsort(ins.id_bytes[rows], kind="stable")]
        self.pos = np.full(len(ins), -1, np.intp)
        self.pos[self.rows] = np.arange(self.rows.size)
        self.active = ins.active[self.rows]
        self.region = ins.region[self.rows]
        self.unit = ins.unit[self.rows]
        self._qual: dict[str, npt.NDArray[np.bool_]] = {}
        self.lists: list[IntArray] = []
        self._list_of: dict[tuple[frozenset[str], frozenset[str], str | None], int] = {}

    def __len__(self) -> int:
        return int(self.rows.size)

    def qualified(self, value: str) -> npt.NDArray[np.bool_]:
        q = self._qual.get(value)
        if q is None:
            q = self.ins.qualified(value)[self.rows]
            self._qual[value] = q
        return q

    def mask(
        self, quals: frozenset[str], regions_out: frozenset[str], unit: str | None
    ) -> npt.NDArray[np.bool_]:
        """Active people of the pool passing a filter (before individual exclusions)."""
        m: npt.NDArray[np.bool_] = self.active.copy()
        for q in sorted(quals):
            m &= self.qualified(q)
        if regions_out:
            m &= ~np.isin(self.region, sorted(regions_out)) & (self.region != "")
        if unit is not None:
            m &= self.unit == unit
        return m

    def list_id(self, quals: frozenset[str], regions_out: frozenset[str], unit: str | None) -> int:
        """The number of the candidate list of a filter (pool indexes, ascending), made once."""
        key = (quals, regions_out, unit)
        k = self._list_of.get(key)
        if k is None:
            k = len(self.lists)
            self._list_of[key] = k
            self.lists.append(np.flatnonzero(self.mask(quals, regions_out, unit)).astype(np.intp))
        return k
