"""``inclusion_probabilities(plan, targets)`` and ``draw(plan, targets, seed)`` (docs/spec.md §5–6).

For each task: eligible rows (``where``, cool-off) are grouped into cells (strata, plus the risk
class under class rates); each cell gets a size and a design, and from them every unit's π, all
before any seed exists. The seed then decides, per cell, through the PRNs of the task's namespace
and two per-cell values: the random-rounding coin and the systematic start.

Designs per cell: ``census`` (π = 1), ``none`` (π = 0: rate 0, "left alone"), ``srs`` (the n
smallest PRNs; π = E[n]/N) and ``pips`` (systematic πps along PRN order; π = q/2**64).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from . import design as D
from ._hashing import uniform_int
from .errors import InfeasibleError, InputError
from .fingerprint import id_order
from .plan import Plan, Task
from .prn import prn_hash
from .registry import Targets
from .seed import Seed
from .selection import InclusionProbabilities, Selection, StratumSummary
from .strata import Cells, cells_of, class_values, eligible_rows

__all__ = ["ALGORITHM", "Cell", "TaskDesign", "draw", "inclusion_probabilities", "plan_designs"]

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

    def take(self, idx: npt.NDArray[np.intp]) -> MemberIds:
        """A lazy view of the members at ``idx`` (still nothing gathered)."""
        return MemberIds(self.base, self.rows[idx])


@attrs.frozen(eq=False)
class Cell:
    """One stratum cell of a task, with its design and every member's π (no seed involved)."""

    label: str
    members: npt.NDArray[np.intp]
    method: str  # "census" | "none" | "srs" | "pips"
    size: D.SizeDist
    pi: npt.NDArray[np.float64]
    rate: float | None = None
    q_low: npt.NDArray[np.uint64] | None = None
    q_high: npt.NDArray[np.uint64] | None = None
    certain_low: npt.NDArray[np.bool_] | None = None
    certain_high: npt.NDArray[np.bool_] | None = None

    @property
    def population(self) -> int:
        return int(self.members.size)

    def summary(self, task: str, drawn: int | None = None) -> StratumSummary:
        pos = self.pi[self.pi > 0]
        return StratumSummary(
            task=task,
            stratum=self.label,
            design=self.method,
            population=self.population,
            expected=float(self.size.expected),
            size=(self.size.low,) if self.size.fixed else (self.size.low, self.size.high),
            pi_min=float(pos.min()) if pos.size else 0.0,
            pi_max=float(pos.max()) if pos.size else 0.0,
            rate=self.rate,
            drawn=drawn,
        )


@attrs.frozen(eq=False)
class TaskDesign:
    task: Task
    eligible: int
    cells: tuple[Cell, ...]
    rows: npt.NDArray[np.intp]  # every cell's members, cell after cell


# -- sizes ----------------------------------------------------------------------------------------
def _resolve_keys(
    task: Task, cells: Cells, mapping: tuple[tuple[str, Any], ...], key: str
) -> list[Any]:
    """Map per-stratum keys (full labels, or bare values with one strata column) onto cells."""
    given = dict(mapping)
    out: list[Any] = []
    used: set[str] = set()
    bare = len(task.strata) == 1
    for c, label in enumerate(cells.labels):
        names = [label] + ([cells.parts[c][0]] if bare and cells.parts[c] else [])
        hit = [k for k in names if k in given]
        if bare and hit and hit[0] != label and sum(
            1 for p in cells.parts if p and p[0] == hit[0]
        ) > 1:
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
    if risk.mode == "weights":
        return class_values(task, targets, rows, "risk.weights", dict(risk.weights))
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


def _cell_sizes(
    task: Task, cells: Cells, caps: list[int]
) -> list[tuple[D.SizeDist, float | None]]:
    size = task.size
    risk = task.risk
    pops = [int(cells.starts[c + 1] - cells.starts[c]) for c in range(len(cells))]
    if risk is not None and risk.mode == "rates":
        rates = dict(risk.rates)
        for c, cls in enumerate(cells.classes):
            if cls not in rates:
                rows_txt = ", ".join(str(int(r)) for r in np.sort(cells.members(c))[:3])
                raise InputError(
                    f"task {task.name!r}, key 'risk.rates': no rate for "
                    f"{risk.column}={cls!r} (rows {rows_txt}); give every class (0 leaves it "
                    "alone)"
                )
        rounding = size.rounding if size is not None else "ceil"
        minimum = size.minimum if size is not None else 0
        return [
            (D.rate_size(pops[c], rates[str(cells.classes[c])], rounding, minimum, caps[c]),
             rates[str(cells.classes[c])])
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
        p = [D.decimal_rate(x) for x in _resolve_keys(task, cells, size.anticipated,
                                                      "size.anticipated")]
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


def _pips_grid(
    w: npt.NDArray[np.float64], n: int, ids: D.IdLookup
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    """Capped πps for a fixed size n: grid values q (units of 2**-64), certainty mask, stated π."""
    p = D.pips(w, n)
    q = D.quantize(p, n, ids)
    certain = p >= 1.0
    return q, certain, np.where(certain, 1.0, q.astype(np.float64) / float(D.GRID))


def _design_task(task: Task, targets: Targets, general_max_rate: float) -> TaskDesign:
    rows = eligible_rows(task, targets)
    cells = cells_of(task, targets, rows)
    pips_mode = (
        task.risk is not None
        and task.risk.mode in ("weights", "column")
        and (task.size is None or task.size.mode != "census")
    )
    weights = _weights(task, targets, cells.rows) if pips_mode else None
    caps = []
    for c in range(len(cells)):
        lo, hi = int(cells.starts[c]), int(cells.starts[c + 1])
        caps.append(int((weights[lo:hi] > 0).sum()) if weights is not None else hi - lo)
    sizes = _cell_sizes(task, cells, caps)
    out: list[Cell] = []
    for c, (dist, rate) in enumerate(sizes):
        lo, hi = int(cells.starts[c]), int(cells.starts[c + 1])
        members = cells.rows[lo:hi]
        N = hi - lo
        if dist.high == 0:
            out.append(Cell(cells.labels[c], members, "none", dist, np.zeros(N), rate))
        elif weights is None and dist.low == N:
            out.append(Cell(cells.labels[c], members, "census", dist, np.ones(N), rate))
        elif weights is None:
            pi = np.full(N, float(dist.expected / N))
            out.append(Cell(cells.labels[c], members, "srs", dist, pi, rate))
        else:
            w = weights[lo:hi]
            ids = MemberIds(targets.id_bytes, members)
            try:
                ql, cl, pi = _pips_grid(w, dist.low, ids)
                qh = ch = None
                if not dist.fixed:
                    qh, ch, pi_h = _pips_grid(w, dist.high, ids)
                    f = float(dist.p_high)
                    pi = (1.0 - f) * pi + f * pi_h
            except ValueError as exc:
                raise InputError(
                    f"task {task.name!r}, key 'risk', stratum {cells.labels[c]!r}: {exc}"
                ) from None
            out.append(Cell(cells.labels[c], members, "pips", dist, pi, rate, ql, qh, cl, ch))
    design = TaskDesign(task, int(rows.size), tuple(out), cells.rows)
    if task.kind == "general" and rows.size:
        expected = sum((c.size.expected for c in out), Fraction(0))
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


def _as_plan(plan: Plan | Mapping[str, Any]) -> Plan:
    if isinstance(plan, Plan):
        # a Plan built by hand skips from_dict's checks; the round trip applies them
        return Plan.from_dict(plan.to_dict())
    if isinstance(plan, Mapping):
        return Plan.from_dict(plan)
    raise InputError(f"plan must be a Plan or a dict, got {type(plan).__name__}")


def inclusion_probabilities(plan: Plan | Mapping[str, Any], targets: Targets) -> InclusionProbabilities:
    """π of every eligible target under every task: publishable before the seed exists."""
    p = _as_plan(plan)
    designs = plan_designs(p, targets)
    t_idx, strata, id_parts, pis = [], [], [], []
    summaries: list[StratumSummary] = []
    for ti, td in enumerate(designs):
        for cell in td.cells:
            # within a cell by ID bytes, so the published table never shows registry row order
            ids = targets.id_bytes[cell.members]
            o = id_order(ids)
            t_idx.append(np.full(cell.population, ti, np.int32))
            strata.append(np.full(cell.population, len(summaries), np.int32))
            id_parts.append(ids[o])
            pis.append(cell.pi[o])
            summaries.append(cell.summary(td.task.name))
    return InclusionProbabilities(
        tasks=tuple(t.name for t in p.tasks),
        task_index=np.concatenate(t_idx) if t_idx else np.empty(0, np.int32),
        stratum_index=np.concatenate(strata) if strata else np.empty(0, np.int32),
        id_bytes=np.concatenate(id_parts) if id_parts else targets.id_bytes[:0],
        pi=np.concatenate(pis) if pis else np.empty(0),
        strata=tuple(summaries),
    )


def _select_cell(cell: Cell, h: npt.NDArray[np.uint64], seed: bytes, ns: str,
                 id_bytes: MemberIds) -> npt.NDArray[np.intp]:
    """Positions (within the cell) drawn by the seed."""
    if cell.method == "none":
        return np.empty(0, np.intp)
    if cell.method == "census":
        return np.arange(cell.population)
    high = not cell.size.fixed and D.bernoulli(
        uniform_int(256, SIZE_TAG, seed, ns, cell.label), cell.size.p_high
    )
    n = cell.size.high if high else cell.size.low
    if cell.method == "srs":
        return D.smallest(h, n, id_bytes)
    q = cell.q_high if high else cell.q_low
    certain = cell.certain_high if high else cell.certain_low
    assert q is not None and certain is not None
    if not certain.any() and bool((q > 0).all()):
        order = D.prn_order(h, id_bytes)  # the usual case: every unit is in the systematic part
    else:
        rest = np.flatnonzero(~certain & (q > 0))
        order = rest[D.prn_order(h[rest], id_bytes.take(rest))]
    start = uniform_int(64, START_TAG, seed, ns, cell.label)
    chosen = order[D.systematic(q[order], start)]
    picked = np.sort(np.concatenate([np.flatnonzero(certain), chosen]))
    if picked.size != n:  # pragma: no cover - guarded by quantize's exact total
        raise ArithmeticError(f"cell {cell.label!r}: drew {picked.size}, expected {n}")
    return picked


def draw(plan: Plan | Mapping[str, Any], targets: Targets, seed: Seed) -> Selection:
    """Draw every task of ``plan`` from ``targets`` with ``seed``: a pure, replayable function.

    The result depends only on (seed, plan, registry contents): not on row order, platform,
    thread count or library internals (docs/spec.md §6).
    """
    p = _as_plan(plan)
    if not isinstance(seed, Seed):
        raise InputError(f"seed must be a shuangsuiji.Seed, got {type(seed).__name__}")
    designs = plan_designs(p, targets)
    t_idx, strata, rows, pis, hs, summaries = [], [], [], [], [], []
    for ti, td in enumerate(designs):
        ns = td.task.prn_namespace
        all_rows = td.rows
        if all_rows.size > len(targets) // 2:
            # hashing every ID beats gathering most of them first
            h_all = prn_hash(seed.value, ns, targets.id_bytes)[all_rows]
        else:
            h_all = prn_hash(seed.value, ns, targets.id_bytes[all_rows])
        offset = 0
        for cell in td.cells:
            n = cell.population
            h = h_all[offset : offset + n]
            offset += n
            ids = MemberIds(targets.id_bytes, cell.members)
            picked = _select_cell(cell, h, seed.value, ns, ids)
            # report in PRN order, the canonical "draw order", never in registry row order
            picked = picked[D.prn_order(h[picked], ids[picked])]
            summaries.append(cell.summary(td.task.name, drawn=int(picked.size)))
            t_idx.append(np.full(picked.size, ti, np.int32))
            strata.append(np.full(picked.size, cell.label, dtype=object))
            rows.append(cell.members[picked])
            pis.append(cell.pi[picked])
            hs.append(h[picked])
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
