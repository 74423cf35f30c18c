"""Results of a plan over a registry: inclusion probabilities (before the seed) and the Selection.

Both are frozen, columnar, and convert to records, pandas, and a per-stratum summary.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from .._util.arrays import readonly
from ..randomness.prn import prn_float

if TYPE_CHECKING:
    from ..registry.targets import Targets

__all__ = ["InclusionProbabilities", "Selection", "StratumSummary"]


@attrs.frozen
class StratumSummary:
    """One (task, stratum) line: population, size and probabilities.

    ``population`` counts eligible targets; ``expected`` is Σπ (exact); ``drawn`` is the realised
    size (``None`` before the seed); ``size`` the possible sizes (two when rounding is random).
    """

    task: str
    stratum: str
    design: str
    population: int
    expected: float
    size: tuple[int, ...]
    pi_min: float
    pi_max: float
    rate: float | None = None
    drawn: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = attrs.asdict(self)
        d["size"] = list(self.size)
        d["drawn_rate"] = (
            None if self.drawn is None or not self.population else self.drawn / self.population
        )
        return d


def _pandas() -> Any:
    from ..registry.dataframes import require

    return require("pandas", "to_pandas()")


def _records(columns: dict[str, npt.NDArray[Any]]) -> list[dict[str, Any]]:
    names = list(columns)
    return [dict(zip(names, row)) for row in zip(*(c.tolist() for c in columns.values()))]


class _Table:
    """Records, pandas and the per-stratum summary, all from ``columns()`` and ``strata``."""

    __slots__ = ()
    tasks: tuple[str, ...]
    task_index: npt.NDArray[np.int32]
    strata: tuple[StratumSummary, ...]

    @property
    def task_names(self) -> npt.NDArray[np.object_]:
        """Each row's task name."""
        out: npt.NDArray[np.object_] = np.array(self.tasks, dtype=object)[self.task_index]
        return out

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        raise NotImplementedError

    def to_records(self) -> list[dict[str, Any]]:
        return _records(self.columns())

    def to_pandas(self) -> Any:
        return _pandas().DataFrame(self.columns())

    def summary(self) -> list[dict[str, Any]]:
        """Per (task, stratum): population, expected (Σπ), sizes, π range, design (and drawn)."""
        return [s.to_dict() for s in self.strata]


@attrs.frozen(eq=False)
class InclusionProbabilities(_Table):
    """π of every eligible target under each task, computable before the seed exists.

    Columnar: ``task`` (index into ``tasks``), ``stratum`` (label), ``id``, ``pi``. Targets a task
    does not cover (filtered out by ``where`` or cool-off) have π = 0 and are not listed. IDs are
    kept as UTF-8 bytes and decoded only when asked for (``ids``, records, pandas), because a
    national registry has tens of millions of them.
    """

    tasks: tuple[str, ...]
    task_index: npt.NDArray[np.int32] = attrs.field(converter=readonly)
    stratum_index: npt.NDArray[np.int32] = attrs.field(converter=readonly)  # into ``strata``
    id_bytes: npt.NDArray[np.bytes_] = attrs.field(converter=readonly)
    pi: npt.NDArray[np.float64] = attrs.field(converter=readonly)
    strata: tuple[StratumSummary, ...]

    @functools.cached_property
    def stratum(self) -> npt.NDArray[np.object_]:
        """Each row's stratum label."""
        labels = np.array([s.stratum for s in self.strata], dtype=object)
        return readonly(labels[self.stratum_index])

    @functools.cached_property
    def ids(self) -> npt.NDArray[np.object_]:
        """IDs as str, in table order."""
        out = np.array([b.decode("utf-8") for b in self.id_bytes.tolist()], dtype=object)
        return readonly(out)

    def __len__(self) -> int:
        return int(self.pi.shape[0])

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        """The record columns: task, stratum, id, inclusion_probability."""
        return {
            "task": self.task_names,
            "stratum": self.stratum,
            "id": self.ids,
            "inclusion_probability": self.pi,
        }

    def of(self, task: str, target_id: str) -> float:
        """π of one target under one task (0 when the task does not cover it)."""
        t = self.tasks.index(task)
        hit = np.flatnonzero((self.task_index == t) & (self.id_bytes == target_id.encode("utf-8")))
        return float(self.pi[hit[0]]) if hit.size else 0.0


@attrs.frozen(eq=False)
class Selection(_Table):
    """The drawn targets: one row per (task, target), with stratum, π and PRN.

    ``prn_int`` keeps the 64-bit PRN that decided the draw; ``prn`` in records is its float view
    (docs/spec.md §3). ``rows`` are positions in the registry the draw was made from.
    """

    plan_name: str
    seed_hex: str
    algorithm: str
    tasks: tuple[str, ...]
    task_index: npt.NDArray[np.int32] = attrs.field(converter=readonly)
    stratum: npt.NDArray[np.object_] = attrs.field(converter=readonly)
    ids: npt.NDArray[np.object_] = attrs.field(converter=readonly)
    rows: npt.NDArray[np.intp] = attrs.field(converter=readonly)
    pi: npt.NDArray[np.float64] = attrs.field(converter=readonly)
    prn_int: npt.NDArray[np.uint64] = attrs.field(converter=readonly)
    strata: tuple[StratumSummary, ...]
    # The registry the draw was made from (``rows`` index into it), so that the second random
    # (assign) can read the targets' columns. Not part of equality or the records.
    targets: Targets | None = attrs.field(default=None, kw_only=True, repr=False)

    def __len__(self) -> int:
        return int(self.pi.shape[0])

    @property
    def prn(self) -> npt.NDArray[np.float64]:
        return prn_float(self.prn_int)

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        """The record columns: task, stratum, id, inclusion_probability, prn."""
        return {
            "task": self.task_names,
            "stratum": self.stratum,
            "id": self.ids,
            "inclusion_probability": self.pi,
            "prn": self.prn,
        }

    def ids_for(self, task: str) -> list[str]:
        t = self.tasks.index(task)
        out: list[str] = self.ids[self.task_index == t].tolist()
        return out

    def id_set(self) -> frozenset[tuple[str, str]]:
        """{(task, id)}: convenient for comparing draws."""
        return frozenset(zip(self.task_names.tolist(), self.ids.tolist()))

