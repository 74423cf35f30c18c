"""``inclusion_probabilities(plan, targets)`` and ``draw(plan, targets, seed)`` (docs/spec.md §5–6).

For each task: eligible rows (``where``, cool-off) are grouped into cells (strata, plus the risk
class under class rates); each cell gets a size and a design, and from them every unit's π, all
before any seed exists. The seed then decides, per cell, through the PRNs of the task's namespace
and two per-cell values: the random-rounding coin and the systematic start.

Designs per cell: ``census`` (π = 1), ``none`` (π = 0: rate 0, "left alone"), ``srs`` (the n
smallest PRNs; π = E[n]/N) and ``pips`` (systematic πps along PRN order; π = q/2**64).

Every cell of a task is handled at once, never in a Python loop over rows: units of a cell that
share a class weight share π and q, kept once per (cell, group) (:class:`Units`); the units of
all cells are put in (cell, PRN, ID) order by one sort of packed keys (:mod:`.sorting`); and
one chunked pass along that order selects (SRS: each cell's first n; πps: the systematic
points). The results are those of the unit-by-unit definitions in :mod:`.design`, bit for bit
(docs/performance.md explains the engine, tests/test_engine.py checks it).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InfeasibleError, InputError
from ..plan.plan import Plan, Task, as_plan
from ..randomness.prn import Rows, Sink, prn_key, siphash24, siphash24_chunks
from ..randomness.seed import Seed
from ..registry.fingerprint import id_order
from ..registry.targets import Targets
from . import designs as D
from .selection import InclusionProbabilities, Selection, StratumSummary
from .strata import Cells, cells_of, class_groups, eligible_rows
from .unit_order import CHUNK, UnitOrder, order_units

__all__ = [
    "ALGORITHM",
    "Cell",
    "TaskDesign",
    "Units",
    "draw",
    "inclusion_probabilities",
    "plan_designs",
    "stratum_summaries",
]

ALGORITHM = "shuangsuiji-draw/1"
SIZE_TAG = "shuangsuiji/size/v1"
START_TAG = "shuangsuiji/start/v1"


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


def _dist_key(d: D.SizeDist) -> tuple[int, int, int, int]:
    """A size as plain ints (hashing the fraction itself is slow with many cells)."""
    return (d.low, d.high, d.p_high.numerator, d.p_high.denominator)


@attrs.frozen(eq=False)
class Cell:
    """One stratum cell of a task: its label, design and size (no seed involved)."""

    label: str
    population: int
    method: str  # "census" | "none" | "srs" | "pips"
    size: D.SizeDist
    rate: float | None = None


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


@attrs.frozen(eq=False)
class TaskDesign:
    task: Task
    eligible: int
    cells: Cells
    specs: tuple[Cell, ...]
    units: Units
    pi_min: npt.NDArray[np.float64]  # per cell, over units with π > 0 (0 if none)
    pi_max: npt.NDArray[np.float64]

    def summaries(self, drawn: npt.NDArray[np.intp] | None = None) -> list[StratumSummary]:
        name = self.task.name
        lo, hi = self.pi_min.tolist(), self.pi_max.tolist()
        d = [None] * len(self.specs) if drawn is None else drawn.tolist()
        sv = {k: v.tolist() for k, v in _size_values(list(self.specs)).items()}
        return [
            StratumSummary(
                task=name,
                stratum=cell.label,
                design=cell.method,
                population=cell.population,
                expected=sv["expected"][c],
                size=(sv["low"][c],) if sv["fixed"][c] else (sv["low"][c], sv["high"][c]),
                pi_min=lo[c],
                pi_max=hi[c],
                rate=cell.rate,
                drawn=d[c],
            )
            for c, cell in enumerate(self.specs)
        ]


# -- sizes ----------------------------------------------------------------------------------------
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


def _weights(task: Task, targets: Targets, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    risk = task.risk
    assert risk is not None
    try:
        column = targets.column(risk.column)
    except InputError as exc:
        raise InputError(f"task {task.name!r}, key 'risk.column': {exc}") from None
    if column.kind == "str":
        raise InputError(
            f"task {task.name!r}, key 'risk.column': column {risk.column!r} holds text; give "
            "'weights' (class -> weight) or 'rates' for a class column"
        )
    if column.kind == "bool":
        raise InputError(
            f"task {task.name!r}, key 'risk.column': column {risk.column!r} holds true/false; "
            "give numeric weights"
        )
    w = column.as_float()[rows]
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"task {task.name!r}, key 'risk.column': weight column {risk.column!r} has "
            f"{column.value_at(int(rows[i]))!r} at row {int(rows[i])}; weights must be finite "
            "and >= 0"
        )
    return w


def _cell_sizes(task: Task, cells: Cells, caps: list[int]) -> list[tuple[D.SizeDist, float | None]]:
    size = task.size
    risk = task.risk
    pops = cells.counts.tolist()
    if risk is not None and risk.mode == "rates":
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
                D.rate_size(pops[c], rates[str(cells.classes[c])], rounding, minimum, caps[c]),
                rates[str(cells.classes[c])],
            )
            for c in range(len(cells))
        ]
    assert size is not None
    if size.mode == "census":
        return [(D.SizeDist(p, p), 1.0) for p in pops]
    if size.mode == "rate":
        assert size.rate is not None
        return [
            (D.rate_size(pops[c], size.rate, size.rounding, size.minimum, caps[c]), size.rate)
            for c in range(len(cells))
        ]
    if size.mode == "per_stratum":
        wanted = _resolve_keys(task, cells, size.per_stratum, "size.per_stratum")
        for c, n in enumerate(wanted):
            if n > caps[c]:
                raise InfeasibleError(
                    f"task {task.name!r}, key 'size.per_stratum': {n} requested from stratum "
                    f"{cells.labels[c]!r}, which has only {caps[c]} targets that can be drawn"
                )
        return [(D.SizeDist(n, n), None) for n in wanted]
    assert size.total is not None
    if size.allocation == "proportional":
        shares = [Fraction(p) for p in caps]
    elif size.allocation == "equal":
        shares = [Fraction(1) for _ in caps]
    else:
        p = [
            D.decimal_rate(x)
            for x in _resolve_keys(task, cells, size.anticipated, "size.anticipated")
        ]
        # p(1-p) exactly, then one correctly rounded sqrt: symmetric in p and 1-p (spec §5.1)
        shares = [
            Fraction(caps[c]) * Fraction(math.sqrt(float(p[c] * (1 - p[c]))))
            for c in range(len(caps))
        ]
    try:
        ns = D.allocate(size.total, caps, shares, size.minimum)
    except ValueError as exc:
        raise InfeasibleError(
            f"task {task.name!r}, key 'size.total': {exc} (eligible targets that can be drawn: "
            f"{sum(caps)})"
        ) from None
    return [(D.SizeDist(n, n), None) for n in ns]


def _stated(q: npt.NDArray[np.uint64], certain: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """π as stated: 1 for certain units, else q / 2**64 (spec §6.1)."""
    return np.where(certain, 1.0, q.astype(np.float64) / float(D.GRID))


def _mix(
    pi_low: npt.NDArray[np.float64],
    pi_high: npt.NDArray[np.float64],
    f: npt.NDArray[np.float64],
    fixed: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float64]:
    """π under random rounding: (1 - f)·π(n_lo) + f·π(n_lo + 1); π(n_lo) for fixed sizes."""
    return np.where(fixed, pi_low, (1.0 - f) * pi_low + f * pi_high)


def _methods(
    sizes: list[tuple[D.SizeDist, float | None]], pops: list[int], pips_mode: bool
) -> list[str]:
    out = []
    for (dist, _), N in zip(sizes, pops):
        if dist.high == 0:
            out.append("none")
        elif not pips_mode:
            out.append("census" if dist.low == N else "srs")
        else:
            out.append("pips")
    return out


def _receivers(
    targets: Targets, cells: Cells, group: npt.NDArray[np.intp], candidates: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Cells with candidate groups, and in each the eligible position of the candidate unit with
    the smallest ID (spec §6.1: the deficit goes to the largest q, ties to the smallest ID)."""
    if not candidates.any():
        return np.empty(0, np.intp), np.empty(0, np.intp)
    table = candidates.reshape(-1)
    pos = np.concatenate(
        [np.flatnonzero(table[group[s : s + CHUNK]]) + s for s in range(0, group.size, CHUNK)]
    )
    cell, at = D.lexmin_segments(targets.id_bytes, cells.rows[pos], cells.code[pos])
    return cell, pos[at]


def _size_values(specs: list[Cell]) -> dict[str, npt.NDArray[Any]]:
    """Per cell: fixed, low, high, float(p_high) and float(expected); sizes repeat across
    cells, so each distinct size's exact fractions are converted once."""
    seen: dict[tuple[int, ...], tuple[bool, int, int, float, float]] = {}
    rows = []
    for c in specs:
        d = c.size
        k = _dist_key(d)
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


def _risk_designs(
    task: Task,
    cells: Cells,
    specs: list[Cell],
    sv: Mapping[str, npt.NDArray[Any]],
    pips: Callable[[npt.NDArray[np.int64]], npt.NDArray[np.float64]],
) -> Iterator[tuple[str, npt.NDArray[np.int64], npt.NDArray[np.float64]]]:
    """``(which, n, π)`` under the low, then the high size of every cell (``pips(n)``).

    Cells of other methods get n = 0, as do fixed-size cells under the high size (they have no
    second design). A :class:`design.CellError` becomes an InputError naming the stratum.
    """
    fixed = sv["fixed"]
    is_pips = np.array([c.method == "pips" for c in specs], bool)
    for which in ("low", "high"):
        n = np.where(is_pips & (~fixed if which == "high" else True), sv[which], 0)
        try:
            pi = pips(n)
        except D.CellError as exc:
            raise InputError(
                f"task {task.name!r}, key 'risk', stratum {cells.labels[exc.cell]!r}: {exc}"
            ) from None
        yield which, n, pi


def _grouped_pips(
    task: Task,
    targets: Targets,
    cells: Cells,
    group: npt.NDArray[np.intp],
    w: npt.NDArray[np.float64],
    count: npt.NDArray[np.intp],
    specs: list[Cell],
) -> Units:
    """π and q of every (cell, group) at once (:func:`design.pips_table`), deficits placed."""
    ncell, ngroup = count.shape
    sv = _size_values(specs)
    fixed = sv["fixed"]
    wt = np.broadcast_to(w, (ncell, ngroup))
    tables: dict[str, tuple[Any, Any]] = {}
    own: dict[str, tuple[list[npt.NDArray[np.intp]], list[npt.NDArray[np.uint64]]]] = {}
    designs = _risk_designs(task, cells, specs, sv, lambda n: D.pips_table(wt, count, n))
    for which, n, pi in designs:
        q, deficit, cand = D.quantize_table(pi, count)
        qmax = np.where(cand, q, np.uint64(0)).max(axis=1)
        simple = D.absorbs_table(qmax, deficit)
        cell, pos = _receivers(targets, cells, group, cand & simple[:, None])
        # q + D stays in [0, 2**64) when absorbed, so wrapping uint64 arithmetic is exact
        pos_l, val_l = [pos], [qmax[cell] + deficit[cell].view(np.uint64)]
        for c in np.flatnonzero((deficit != 0) & ~simple).tolist():
            # the deficit spills over several units (π within 2**-40 of 0 or 1): unit by unit
            at = np.flatnonzero(cells.code == c)
            ids = MemberIds(targets.id_bytes, cells.rows[at])
            qu = D.quantize(pi.reshape(-1)[group[at]], int(n[c]), ids)
            mine = qu != q.reshape(-1)[group[at]]
            pos_l.append(at[mine])
            val_l.append(qu[mine])
        own[which] = (pos_l, val_l)
        tables[which] = (q.reshape(-1), (pi >= 1.0).reshape(-1))
    q_low, c_low = tables["low"]
    q_high, c_high = tables["high"]
    f = sv["p_high"]
    pi_tab = _mix(
        _stated(q_low, c_low).reshape(ncell, ngroup),
        _stated(q_high, c_high).reshape(ncell, ngroup),
        f[:, None],
        fixed[:, None],
    ).reshape(-1)
    # units with a q of their own under either size: their values under both
    exc_pos = np.unique(np.concatenate(own["low"][0] + own["high"][0]))
    g = group[exc_pos]
    e_q = {}
    for which, qt in (("low", q_low), ("high", q_high)):
        vals = qt[g]
        for p, v in zip(*own[which]):
            vals[np.searchsorted(exc_pos, p)] = v
        e_q[which] = vals
    gc = g // ngroup
    e_pi = _mix(_stated(e_q["low"], c_low[g]), _stated(e_q["high"], c_high[g]), f[gc], fixed[gc])
    return Units(
        group,
        ngroup,
        False,
        pi_tab,
        q_low,
        q_high,
        c_low,
        c_high,
        exc_pos.astype(np.intp),
        e_pi,
        e_q["low"],
        e_q["high"],
    )


def _unit_pips(
    task: Task, targets: Targets, cells: Cells, w: npt.NDArray[np.float64], specs: list[Cell]
) -> Units:
    """π and q unit by unit, every cell at once (a numeric weight column: few units share a
    weight), with :func:`design.pips_units` and :func:`design.quantize_units`."""
    ncell = len(cells)
    code = cells.code
    sv = _size_values(specs)
    fixed = sv["fixed"]
    tables = {}
    for which, n, pi in _risk_designs(task, cells, specs, sv, lambda n: D.pips_units(w, code, n)):
        q, deficit, qmax = D.quantize_units(pi, code, ncell)
        simple = D.absorbs_table(qmax, deficit)
        # the deficit goes to the free unit with the largest q, ties to the smallest ID
        cand = np.flatnonzero(
            ((deficit != 0) & simple)[code] & (pi > 0) & (pi < 1.0) & (q == qmax[code])
        )
        cell, at = D.lexmin_segments(targets.id_bytes, cells.rows[cand], code[cand])
        q[cand[at]] = qmax[cell] + deficit[cell].view(np.uint64)  # stays below 2**64
        for c in np.flatnonzero((deficit != 0) & ~simple).tolist():
            # the deficit spills over several units (π within 2**-40 of 0 or 1)
            at_c = np.flatnonzero(code == c)
            ids = MemberIds(targets.id_bytes, cells.rows[at_c])
            q[at_c] = D.quantize(pi[at_c], int(n[c]), ids)
        tables[which] = (q, pi >= 1.0)
    q_low, c_low = tables["low"]
    q_high, c_high = tables["high"]
    pi_all = _mix(_stated(q_low, c_low), _stated(q_high, c_high), sv["p_high"][code], fixed[code])
    return Units(code, 1, True, pi_all, q_low, q_high, c_low, c_high)


def _pi_range(
    cells: Cells, units: Units, count: npt.NDArray[np.intp] | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per cell, the smallest and largest π > 0 (0 when no unit has π > 0)."""
    ncell = len(cells)
    if units.per_unit:
        pi = units.pi[cells.order]
        pos = pi > 0
        lo, hi = np.full(ncell, np.inf), np.full(ncell, -np.inf)
        some = np.flatnonzero(cells.counts > 0)  # reduceat needs non-empty segments
        if some.size:
            lo[some] = np.minimum.reduceat(np.where(pos, pi, np.inf), cells.starts[some])
            hi[some] = np.maximum.reduceat(np.where(pos, pi, -np.inf), cells.starts[some])
    else:
        assert count is not None
        tab = units.pi.reshape(ncell, units.ngroup)
        pos = (tab > 0) & (count.reshape(ncell, units.ngroup) > 0)
        lo = np.where(pos, tab, np.inf).min(axis=1)
        hi = np.where(pos, tab, -np.inf).max(axis=1)
        if units.exc_pos.size:
            c = cells.code[units.exc_pos]
            e = units.exc_pi
            np.minimum.at(lo, c[e > 0], e[e > 0])
            np.maximum.at(hi, c[e > 0], e[e > 0])
    return np.where(np.isfinite(lo), lo, 0.0), np.where(np.isfinite(hi), hi, 0.0)


def _design_task(task: Task, targets: Targets, general_max_rate: float) -> TaskDesign:
    rows = eligible_rows(task, targets)
    cells = cells_of(task, targets, rows)
    ncell = len(cells)
    risk = task.risk
    pips_mode = (
        risk is not None
        and risk.mode in ("weights", "column")
        and (task.size is None or task.size.mode != "census")
    )
    count: npt.NDArray[np.intp] | None = None
    w_units: npt.NDArray[np.float64] | None = None
    if pips_mode and risk is not None and risk.mode == "weights":
        group, values, count = class_groups(
            task, targets, cells, "risk.weights", dict(risk.weights)
        )
        ngroup = values.size
        caps = count.reshape(ncell, ngroup)[:, values > 0].sum(axis=1).tolist()
    elif pips_mode:
        w_units = _weights(task, targets, cells.rows)
        group, ngroup = cells.code, 1
        caps = np.bincount(cells.code, weights=w_units > 0, minlength=ncell).astype(int).tolist()
    else:
        group, ngroup, count = cells.code, 1, cells.counts
        caps = cells.counts.tolist()
    sizes = _cell_sizes(task, cells, caps)
    pops = cells.counts.tolist()
    methods = _methods(sizes, pops, pips_mode)
    specs = [
        Cell(cells.labels[c], pops[c], methods[c], dist, rate)
        for c, (dist, rate) in enumerate(sizes)
    ]
    if not pips_mode:
        # π = E[n]/N exactly, rounded once; cells of one size and population share it
        seen: dict[tuple[int, ...], float] = {}
        pi = np.zeros(ncell)
        for c, cell in enumerate(specs):
            if cell.method != "none":
                k = (*_dist_key(cell.size), cell.population)
                if k not in seen:
                    seen[k] = float(cell.size.expected / cell.population)
                pi[c] = seen[k]
        units = Units(group, 1, False, pi)
    elif w_units is None:
        assert count is not None
        units = _grouped_pips(
            task, targets, cells, group, values, count.reshape(ncell, ngroup), specs
        )
    else:
        units = _unit_pips(task, targets, cells, w_units, specs)
    pi_min, pi_max = _pi_range(cells, units, count)
    design = TaskDesign(task, int(rows.size), cells, tuple(specs), units, pi_min, pi_max)
    if task.kind == "general" and rows.size:
        expected = sum((c.size.expected for c in specs), Fraction(0))
        # The cap is on the expected rate the data give, which minimums can push past the
        # declared rate; a general task may never exceed it (domain.md: "strictly capped").
        if expected > D.decimal_rate(general_max_rate) * rows.size:
            raise InputError(
                f"task {task.name!r}, key 'size': expected sample {float(expected):.1f} of "
                f"{rows.size} eligible targets is a rate of {float(expected) / rows.size:.2%}, "
                f"above general_max_rate {general_max_rate:g}; lower the size or the minimum, or use "
                "rounding 'random' (exactly the rate in expectation) or 'round' instead of 'ceil'"
            )
    return design


def plan_designs(plan: Plan, targets: Targets) -> list[TaskDesign]:
    """Every task's cells, sizes and π (no seed). Raises InputError for data-dependent errors."""
    if not isinstance(targets, Targets):
        raise InputError(f"targets must be shuangsuiji.Targets, got {type(targets).__name__}")
    return [_design_task(t, targets, plan.general_max_rate) for t in plan.tasks]


def stratum_summaries(
    plan: Plan | Mapping[str, Any], targets: Targets
) -> tuple[StratumSummary, ...]:
    """The per-stratum π summary, as ``inclusion_probabilities(plan, targets).strata``.

    For the commitment and its replay, which publish only the summary: it skips ordering every
    eligible ID, the bulk of the per-unit table's cost at national scale.
    """
    return tuple(s for td in plan_designs(as_plan(plan), targets) for s in td.summaries())


def inclusion_probabilities(
    plan: Plan | Mapping[str, Any], targets: Targets
) -> InclusionProbabilities:
    """π of every eligible target under every task: publishable before the seed exists."""
    p = as_plan(plan)
    designs = plan_designs(p, targets)
    t_idx, strata, id_parts, pis = [], [], [], []
    summaries: list[StratumSummary] = []
    for ti, td in enumerate(designs):
        cells = td.cells
        m = cells.rows.size
        ids = targets.id_bytes if cells.all_rows else targets.id_bytes[cells.rows]
        # by cell, then by ID bytes, so the published table never shows registry row order
        o = id_order(ids)
        small = np.int16 if len(cells) < 1 << 15 else np.int32
        o = o[np.argsort(cells.code[o].astype(small), kind="stable")]
        t_idx.append(np.full(m, ti, np.int32))
        strata.append(
            (np.repeat(np.arange(len(cells)), cells.counts) + len(summaries)).astype(np.int32)
        )
        id_parts.append(ids[o])
        pis.append(td.units.pi_at(o))
        summaries += td.summaries()
    return InclusionProbabilities(
        tasks=tuple(t.name for t in p.tasks),
        task_index=np.concatenate(t_idx) if t_idx else np.empty(0, np.int32),
        stratum_index=np.concatenate(strata) if strata else np.empty(0, np.int32),
        id_bytes=np.concatenate(id_parts) if id_parts else targets.id_bytes[:0],
        pi=np.concatenate(pis) if pis else np.empty(0),
        strata=tuple(summaries),
    )


def _cell_ints(bits: int, tag: str, seed: bytes, ns: str, labels: list[str]) -> list[int]:
    """``uniform_int(bits, tag, seed, ns, label)`` for many labels (spec §1, §6.2, §6.4).

    The hash state after the common fields is computed once and copied per label.
    """
    base = hashlib.sha256()
    for field in (tag.encode("utf-8"), seed, ns.encode("utf-8")):
        base.update(len(field).to_bytes(8, "big") + field)
    out = []
    for label in labels:
        h = base.copy()
        b = label.encode("utf-8")
        h.update(len(b).to_bytes(8, "big") + b)
        out.append(int.from_bytes(h.digest(), "big") >> (256 - bits))
    return out


class _Prns:
    """PRNs of the units of a draw (registry rows ``rows``, or every row when None)."""

    def __init__(self, seed: Seed, ns: str, targets: Targets, rows: npt.NDArray[np.intp] | None):
        self.key = prn_key(seed.value, ns)
        self.ids = targets.id_bytes
        self.rows = rows

    def into(self, sink: Sink) -> None:
        rows = self.rows
        if rows is None:
            siphash24_chunks(self.key, self.ids, sink)
        elif rows.size > self.ids.shape[0] // 2:
            # hashing every ID beats gathering most of them first
            where = np.full(self.ids.shape[0], -1, np.intp)
            where[rows] = np.arange(rows.size)

            def some(r: Rows, h: npt.NDArray[np.uint64]) -> None:
                p = where[r]
                keep = p >= 0
                sink(p[keep], h[keep])

            siphash24_chunks(self.key, self.ids, some)
        else:
            siphash24_chunks(self.key, self.ids[rows], sink)

    def at(self, pos: npt.NDArray[np.intp]) -> npt.NDArray[np.uint64]:
        return siphash24(self.key, self.ids[pos if self.rows is None else self.rows[pos]])


def _ranges(first: npt.NDArray[np.intp], length: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """Concatenated ``arange(first[i], first[i] + length[i])``."""
    total = int(length.sum())
    out = np.arange(total, dtype=np.intp)
    out += np.repeat(first - (np.cumsum(length) - length), length)
    return out


def _systematic_places(
    td: TaskDesign,
    order: UnitOrder,
    act: npt.NDArray[np.intp] | None,
    high: npt.NDArray[np.bool_],
    start: npt.NDArray[np.uint64],
) -> npt.NDArray[np.intp]:
    """Places (in draw order) of the units a πps task draws: certain ones and those hit by the
    systematic points (spec §6.4), in one chunked pass along the order.

    ``C_{k-1}`` is the cumulative q along the whole order, not restarted per cell: each cell's
    q sum to a multiple of 2**64 (§6.1), which is 0 in wrapping arithmetic.
    """
    cells, units = td.cells, td.units
    ngroup = units.ngroup
    assert units.q_low is not None and units.q_high is not None
    assert units.certain_low is not None and units.certain_high is not None
    any_high = bool(high.any())
    if units.per_unit:
        hi_u = high[cells.code]
        q_src = np.where(hi_u, units.q_high, units.q_low) if any_high else units.q_low
        c_src = (
            np.where(hi_u, units.certain_high, units.certain_low) if any_high else units.certain_low
        )
        start_src = start
    else:
        hi_g = np.repeat(high, ngroup)
        q_src = np.where(hi_g, units.q_high, units.q_low) if any_high else units.q_low
        c_src = (
            np.where(hi_g, units.certain_high, units.certain_low) if any_high else units.certain_low
        )
        start_src = np.repeat(start, ngroup)
    certain = bool(c_src.any())
    # units whose q is their own, not their group's (deficit receivers): where they are
    e_place = np.empty(0, np.intp)
    e_q = np.empty(0, np.uint64)
    if not units.per_unit and units.exc_pos.size:
        e_pos = units.exc_pos
        live = np.array([c.method != "none" for c in td.specs], bool)
        keep = live[cells.code[e_pos]]
        e_pos = e_pos[keep]
        e_act = e_pos if act is None else np.searchsorted(act, e_pos)
        e_high = high[cells.code[e_pos]]
        e_q = np.where(e_high, units.exc_q_high[keep], units.exc_q_low[keep])
        e_place = order.places(e_act, units.group[e_pos])
        o = np.argsort(e_place)
        e_place, e_q = e_place[o], e_q[o]
    carry = np.uint64(0)
    found = []
    for s in range(0, order.size, CHUNK):
        sl = slice(s, min(s + CHUNK, order.size))
        if units.per_unit:
            epos = order.positions(sl)
            if act is not None:
                epos = act[epos]
            q = q_src[epos]
            t = start_src[cells.code[epos]]
            cert = c_src[epos] if certain else None
        else:
            u = order.units(sl)
            q = q_src[u]
            t = start_src[u]
            cert = c_src[u] if certain else None
            if e_place.size:
                a, b = np.searchsorted(e_place, [sl.start, sl.stop])
                if b > a:
                    q[e_place[a:b] - s] = e_q[a:b]
        c = np.cumsum(q)
        c += carry
        carry = c[-1]
        t -= c
        t += q
        hit = t < q  # (start - C_{k-1}) mod 2**64 < q_k
        if cert is not None:
            hit |= cert
        idx = np.flatnonzero(hit)
        if idx.size:
            found.append(idx + s)
    if carry != 0:  # pragma: no cover - guarded by quantize's exact totals
        raise ArithmeticError("grid values do not sum to whole units; π does not sum to n")
    return np.concatenate(found) if found else np.empty(0, np.intp)


def _draw_task(
    td: TaskDesign, targets: Targets, seed: Seed
) -> tuple[
    npt.NDArray[np.intp],
    npt.NDArray[np.intp],
    npt.NDArray[np.float64],
    npt.NDArray[np.uint64],
    npt.NDArray[np.intp],
]:
    """The drawn units of one task in output order: rows, cells, π, PRNs; and drawn per cell."""
    cells, units, specs = td.cells, td.units, td.specs
    ns = td.task.prn_namespace
    ncell, ngroup = len(cells), units.ngroup
    sv = _size_values(list(specs))
    methods = np.array([c.method for c in specs])
    labels = cells.labels
    high = np.zeros(ncell, bool)
    coin = np.flatnonzero(~sv["fixed"] & (methods != "none"))
    if coin.size:
        u = _cell_ints(256, SIZE_TAG, seed.value, ns, [labels[c] for c in coin.tolist()])
        high[coin] = [D.bernoulli(x, specs[c].size.p_high) for x, c in zip(u, coin.tolist())]
    n = np.where(methods == "none", 0, np.where(high, sv["high"], sv["low"])).astype(np.intp)
    start = np.zeros(ncell, np.uint64)
    pips_cells = np.flatnonzero(methods == "pips")
    if pips_cells.size:
        start[pips_cells] = _cell_ints(
            64, START_TAG, seed.value, ns, [labels[c] for c in pips_cells.tolist()]
        )
    live = methods != "none"
    # units that can be drawn: every unit of a cell that is not left alone
    act: npt.NDArray[np.intp] | None = None
    if not live.all():
        act = np.flatnonzero(live[cells.code])
    rows = cells.rows if act is None else cells.rows[act]
    prns = _Prns(seed, ns, targets, None if act is None and cells.all_rows else rows)
    group = units.group if act is None else units.group[act]
    sizes = np.where(live, cells.counts, 0)
    ids = targets.id_bytes if prns.rows is None else MemberIds(targets.id_bytes, rows)
    order = order_units(prns, rows.size, group, ngroup, ncell, ids, sizes)
    first = np.cumsum(sizes) - sizes  # each cell's first place in the order
    pips = methods == "pips"
    if pips.any():
        places = _systematic_places(td, order, act, high, start)
    else:
        # SRS: each cell's first n places; census: all of them (n = population)
        places = _ranges(first, n)
    pos = order.positions(places)
    cell = np.searchsorted(np.cumsum(sizes), places, side="right").astype(np.intp)
    drawn = np.bincount(cell, minlength=ncell).astype(np.intp)
    bad = np.flatnonzero(drawn != n)
    if bad.size:  # pragma: no cover - guarded by quantize's exact total
        c = int(bad[0])
        raise ArithmeticError(f"cell {cells.labels[c]!r}: drew {drawn[c]}, expected {n[c]}")
    epos = pos if act is None else act[pos]
    return rows[pos], cell, units.pi_at(epos), prns.at(pos), drawn


def draw(plan: Plan | Mapping[str, Any], targets: Targets, seed: Seed) -> Selection:
    """Draw every task of ``plan`` from ``targets`` with ``seed``: a pure, replayable function.

    The result depends only on (seed, plan, registry contents): not on row order, platform,
    thread count or library internals (docs/spec.md §6).
    """
    p = as_plan(plan)
    if not isinstance(seed, Seed):
        raise InputError(f"seed must be a shuangsuiji.Seed, got {type(seed).__name__}")
    designs = plan_designs(p, targets)
    t_idx, strata, rows, pis, hs = [], [], [], [], []
    summaries: list[StratumSummary] = []
    for ti, td in enumerate(designs):
        r, cell, pi, h, drawn = _draw_task(td, targets, seed)
        t_idx.append(np.full(r.size, ti, np.int32))
        strata.append(np.array(td.cells.labels, dtype=object)[cell])
        rows.append(r)
        pis.append(pi)
        hs.append(h)
        summaries += td.summaries(drawn)
    r = np.concatenate(rows) if rows else np.empty(0, np.intp)
    return Selection(
        plan_name=p.name,
        seed_hex=seed.hex,
        algorithm=ALGORITHM,
        tasks=tuple(t.name for t in p.tasks),
        task_index=np.concatenate(t_idx) if t_idx else np.empty(0, np.int32),
        stratum=np.concatenate(strata) if strata else np.empty(0, object),
        ids=np.array(targets.ids(r), dtype=object),
        rows=r,
        pi=np.concatenate(pis) if pis else np.empty(0),
        prn_int=np.concatenate(hs) if hs else np.empty(0, np.uint64),
        strata=tuple(summaries),
        targets=targets,
    )
