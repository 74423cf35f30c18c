"""What a task's design holds per unit: π and grid values by (cell, group), and IDs on demand.

Units of one cell that share a class weight share π and q, so :class:`Units` keeps them once per
(cell, group), with the few units that differ (the receivers of a cell's grid deficit) listed
apart. :class:`MemberIds` reads the IDs of a cell's members only where a tie needs them.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["MemberIds", "Units"]


class MemberIds:
    """The ID bytes of a cell's members, gathered only at the positions asked for.

    IDs decide only ties (equal PRNs, equal π remainders), which are rare; gathering every
    member's ID up front would copy the whole ID column on each draw.
    """

    __slots__ = ("base", "rows")

    def __init__(self, base: npt.NDArray[np.bytes_], rows: npt.NDArray[np.intp]) -> None:
        self.base, self.rows = base, rows

    @property
    def dtype(self) -> np.dtype[Any]:
        return self.base.dtype

    def __getitem__(self, idx: Any) -> npt.NDArray[np.bytes_]:
        out: npt.NDArray[np.bytes_] = self.base[self.rows[idx]]
        return out


@attrs.frozen(eq=False)
class Units:
    """π and grid values q of a task's eligible units (``Cells.rows`` order), stored by group.

    ``group[i]`` is unit i's cell-group ``cell * ngroup + g``: units of one cell and group share
    a weight, hence π, q and certainty, which the tables hold once per cell-group. A few units
    differ from their group (the receivers of a cell's grid deficit, spec §6.1): their values
    are in ``exc_*``. With a numeric weight column (``per_unit``) the tables have one entry
    per unit instead, and ``group`` is just the cell.
    """

    group: npt.NDArray[np.intp]
    ngroup: int
    per_unit: bool
    pi: npt.NDArray[np.float64]
    q_low: npt.NDArray[np.uint64] | None = None
    q_high: npt.NDArray[np.uint64] | None = None
    certain_low: npt.NDArray[np.bool_] | None = None
    certain_high: npt.NDArray[np.bool_] | None = None
    exc_pos: npt.NDArray[np.intp] = attrs.field(factory=lambda: np.empty(0, np.intp))
    exc_pi: npt.NDArray[np.float64] = attrs.field(factory=lambda: np.empty(0))
    exc_q_low: npt.NDArray[np.uint64] = attrs.field(factory=lambda: np.empty(0, np.uint64))
    exc_q_high: npt.NDArray[np.uint64] = attrs.field(factory=lambda: np.empty(0, np.uint64))

    def index(self, pos: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        """Table entries of the units at eligible positions ``pos``."""
        return pos if self.per_unit else self.group[pos]

    def pi_at(self, pos: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
        """π of the units at eligible positions ``pos``."""
        out = self.pi[self.index(pos)]
        if self.exc_pos.size:
            at = np.searchsorted(self.exc_pos, pos)
            at[at == self.exc_pos.size] = 0
            hit = self.exc_pos[at] == pos
            out[hit] = self.exc_pi[at[hit]]
        return out
