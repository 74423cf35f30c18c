"""Each cell's size and design, from the task's size rule (docs/spec.md §5.1), before any seed.

A cell's size is a :class:`.sizes.SizeDist`: from a rate (the task's, or its risk class's),
given per stratum, or a total allocated over the strata. Its design follows (:func:`cell_methods`):
``census``, ``none`` (left alone), ``srs`` or ``pips``. :class:`Cell` holds the three.
"""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InfeasibleError, InputError
from ..plan.plan import Task
from .sizes import SizeDist, allocate, decimal_rate, rate_size
from .strata import Cells

__all__ = ["Cell", "Sizes", "cell_methods", "cell_sizes", "dist_key", "size_values"]

Sizes = list[tuple[SizeDist, float | None]]  # per cell: its size, and the rate that set it


def dist_key(d: SizeDist) -> tuple[int, int, int, int]:
    """A size as plain ints (hashing the fraction itself is slow with many cells)."""
    return (d.low, d.high, d.p_high.numerator, d.p_high.denominator)


@attrs.frozen(eq=False)
class Cell:
    """One stratum cell of a task: its label, design and size (no seed involved)."""

    label: str
    population: int
    method: str  # "census" | "none" | "srs" | "pips"
    size: SizeDist
    rate: float | None = None
    # units drawn with certainty in addition to the size rule's n, included in ``size``
    # (a batch's burden under coverage ``certain``, spec §11.4)
    certain: int = 0


def size_values(specs: list[Cell]) -> dict[str, npt.NDArray[Any]]:
    """Per cell: fixed, low, high, float(p_high) and float(expected); sizes repeat across
    cells, so each distinct size's exact fractions are converted once."""
    seen: dict[tuple[int, ...], tuple[bool, int, int, float, float]] = {}
    rows = []
    for c in specs:
        d = c.size
        k = dist_key(d)
        if k not in seen:
            seen[k] = (d.fixed, d.low, d.high, float(d.p_high), float(d.expected))
        rows.append(seen[k])
    fixed, low, high, p, expected = zip(*rows) if rows else ((), (), (), (), ())
    return {
        "fixed": np.array(fixed, bool),
        "low": np.array(low, np.int64),
        "high": np.array(high, np.int64),
        "p_high": np.array(p, np.float64),
        "expected": np.array(expected, np.float64),
    }


def cell_methods(sizes: Sizes, pops: list[int], pips_mode: bool) -> list[str]:
    """Each cell's design: ``none`` when its size is 0, else ``pips`` under risk weights, else
    ``census`` when it takes the whole population and ``srs`` when not."""
    out = []
    for (dist, _), N in zip(sizes, pops):
        if dist.high == 0:
            out.append("none")
        elif not pips_mode:
            out.append("census" if dist.low == N else "srs")
        else:
            out.append("pips")
    return out


def _resolve_keys(
    task: Task, cells: Cells, mapping: tuple[tuple[str, Any], ...], key: str
) -> list[Any]:
    """Map per-stratum keys (full labels, or bare values with one strata column) onto cells."""
    given = dict(mapping)
    out: list[Any] = []
    used: set[str] = set()
    bare = len(task.strata) == 1
    # cells per bare value (a missing value and the text "(missing)" share one), counted once
    per_value = Counter(p[0] for p in cells.parts if p) if bare else Counter()
    for c, label in enumerate(cells.labels):
        names = [label] + ([cells.parts[c][0]] if bare and cells.parts[c] else [])
        hit = [k for k in names if k in given]
        if bare and hit and hit[0] != label and per_value[hit[0]] > 1:
            raise InputError(
                f"task {task.name!r}, key '{key}.{hit[0]}': matches more than one stratum; "
                "use the full labels"
            )
        if not hit:
            raise InputError(
                f"task {task.name!r}, key {key!r}: no entry for stratum {label!r}; give every "
                f"stratum (0 is allowed)"
            )
        used.add(hit[0])
        out.append(given[hit[0]])
    unknown = [k for k in given if k not in used]
    if unknown:
        raise InputError(
            f"task {task.name!r}, key '{key}.{unknown[0]}': no such stratum among the eligible "
            f"targets; strata are {list(cells.labels)[:12]}"
        )
    return out


def cell_sizes(task: Task, cells: Cells, caps: list[int]) -> Sizes:
    """Each cell's size and the rate that set it (None for given or allocated sizes), spec §5.1.

    ``caps[c]`` is the number of units of cell c that can be drawn (positive weight).
    """
    size = task.size
    risk = task.risk
    pops = cells.counts.tolist()
    if risk is not None and risk.mode == "rates":
        return _class_rate_sizes(task, cells, caps)
    assert size is not None
    if size.mode == "census":
        return [(SizeDist(p, p), 1.0) for p in pops]
    if size.mode == "rate":
        assert size.rate is not None
        return [
            (rate_size(pops[c], size.rate, size.rounding, size.minimum, caps[c]), size.rate)
            for c in range(len(cells))
        ]
    if size.mode == "per_stratum":
        return _per_stratum_sizes(task, cells, caps)
    return [(SizeDist(n, n), None) for n in _allocated_sizes(task, cells, caps)]


def _class_rate_sizes(task: Task, cells: Cells, caps: list[int]) -> Sizes:
    """Sizes from the rate of each cell's risk class (class rates: the class is a stratum)."""
    size = task.size
    risk = task.risk
    assert risk is not None
    pops = cells.counts.tolist()
    rates = dict(risk.rates)
    for c, cls in enumerate(cells.classes):
        if cls not in rates:
            rows_txt = ", ".join(str(int(r)) for r in cells.rows[cells.code == c][:3])
            raise InputError(
                f"task {task.name!r}, key 'risk.rates': no rate for "
                f"{risk.column}={cls!r} (rows {rows_txt}); give every class (0 leaves it "
                "alone)"
            )
    rounding = size.rounding if size is not None else "ceil"
    minimum = size.minimum if size is not None else 0
    return [
        (
            rate_size(pops[c], rates[str(cells.classes[c])], rounding, minimum, caps[c]),
            rates[str(cells.classes[c])],
        )
        for c in range(len(cells))
    ]


def _per_stratum_sizes(task: Task, cells: Cells, caps: list[int]) -> Sizes:
    """Sizes given stratum by stratum, each within what its cell can give."""
    assert task.size is not None
    wanted = _resolve_keys(task, cells, task.size.per_stratum, "size.per_stratum")
    for c, n in enumerate(wanted):
        if n > caps[c]:
            raise InfeasibleError(
                f"task {task.name!r}, key 'size.per_stratum': {n} requested from stratum "
                f"{cells.labels[c]!r}, which has only {caps[c]} targets that can be drawn"
            )
    return [(SizeDist(n, n), None) for n in wanted]


def _allocated_sizes(task: Task, cells: Cells, caps: list[int]) -> list[int]:
    """A total split over the cells (:func:`.sizes.allocate`): proportional to what each can
    give, equal, or Neyman-optimal for the anticipated violation rates."""
    size = task.size
    assert size is not None and size.total is not None
    if size.allocation == "proportional":
        shares = [Fraction(p) for p in caps]
    elif size.allocation == "equal":
        shares = [Fraction(1) for _ in caps]
    else:
        p = [
            decimal_rate(x)
            for x in _resolve_keys(task, cells, size.anticipated, "size.anticipated")
        ]
        # p(1-p) exactly, then one correctly rounded sqrt: symmetric in p and 1-p (spec §5.1)
        shares = [
            Fraction(caps[c]) * Fraction(math.sqrt(float(p[c] * (1 - p[c]))))
            for c in range(len(caps))
        ]
    try:
        return allocate(size.total, caps, shares, size.minimum)
    except ValueError as exc:
        raise InfeasibleError(
            f"task {task.name!r}, key 'size.total': {exc} (eligible targets that can be drawn: "
            f"{sum(caps)})"
        ) from None
