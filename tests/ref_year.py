"""A second, stdlib-only implementation of a batch's burden and of the draw under it
(docs/spec.md §11.2–11.4), for cross-checking.

Written from the spec in plain Python, one target and one inspection at a time, without numpy
and without importing the library; the designs of §5–6 come from ``tests/ref_draw.py``. Input
is what users publish: the year rules and the plan as dicts, the registry as records, the
history as dicts ``{"id", "date" (datetime.date), "kind", "departments"}``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import ref_draw as R
from reference import prn_int

Rows = list[dict[str, Any]]


def years_before(day: dt.date, years: int) -> dt.date | None:
    """§11.3: ``years`` calendar years before ``day``, 29 February → 28 February."""
    if day.year - years < 1:
        return None
    if day.month == 2 and day.day == 29 and not calendar.isleap(day.year - years):
        return dt.date(day.year - years, 2, 28)
    return dt.date(day.year - years, day.month, day.day)


def label_of(rows: Rows, column: str, i: int) -> str | None:
    """A value as a cell label writes it (§5 step 2, unescaped); None when missing."""
    present = [r.get(column) for r in rows if r.get(column) is not None]
    v = rows[i].get(column)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if present and all(isinstance(x, bool) for x in present):
        return "true" if v else "false"
    return R.Col.of(rows, column).label(i)


def task_departments(task: dict[str, Any]) -> list[str]:
    first = [task["department"]] if task.get("department") else []
    team = task.get("team", {}).get("departments", [])
    return first + [d for d in team if d not in first]


@dataclass
class Burden:
    """§11.4 per target ID."""

    factor: dict[str, float] = field(default_factory=dict)
    certain: dict[str, bool] = field(default_factory=dict)
    capped: dict[tuple[str, str], bool] = field(default_factory=dict)  # (task, id)
    pips: bool = False


def burden(
    rules: dict[str, Any],
    plan: dict[str, Any],
    rows: Rows,
    history: list[dict[str, Any]],
    day: dt.date,
    horizon: dt.date,
) -> Burden:
    """The burden of a batch, target by target (§11.4)."""
    cap, spread, cov = rules.get("cap"), rules.get("spread"), rules.get("coverage")
    ids = [str(r["id"]) for r in rows]
    mine: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for x in history:
        if x["id"] in mine:  # inspections of IDs not in the snapshot are ignored
            mine[x["id"]].append(x)
    start = years_before(day, cov["years"]) if cov else None
    in_force = start is not None and start >= horizon
    out = Burden(pips=spread is not None or cov is not None)
    for i, tid in enumerate(ids):
        s = 1.0
        if spread and any(0 <= (day - x["date"]).days < spread["days"] for x in mine[tid]):
            exc = spread.get("except")
            if not (exc and label_of(rows, exc["column"], i) in exc["values"]):
                s = spread["factor"]
        overdue = in_force and not any(start <= x["date"] <= day for x in mine[tid])
        c = cov["factor"] if overdue and "factor" in cov else 1.0
        out.factor[tid] = s * c
        out.certain[tid] = bool(overdue and cov.get("certain") and s * c > 0)
        for task in plan["tasks"]:
            out.capped[(task["name"], tid)] = _capped(cap, task, mine[tid])
    return out


def _capped(cap: dict[str, Any] | None, task: dict[str, Any], insp: list[dict[str, Any]]) -> bool:
    if not cap:
        return False
    counted = [
        x for x in insp
        if x["kind"] == "random" or (x["kind"] == "directed" and cap.get("directed", True))
    ]
    k = cap["per_year"]
    if cap.get("scope", "all") == "all":
        return len(counted) >= k
    return any(sum(1 for x in counted if d in x["departments"]) >= k
               for d in task_departments(task))


# -- the design under a burden (§11.4) ------------------------------------------------------------
@dataclass
class Cell(R.Cell):
    extra: int = 0  # units drawn with certainty in addition to n
    sure: list[bool] = field(default_factory=list)  # per member: certain under the burden


def design_task(task: dict[str, Any], rows: Rows, b: Burden) -> list[Cell]:
    """Every cell of one task with its size, method and π under the burden."""
    elig = [i for i in R.eligible(task, rows)
            if not b.capped[(task["name"], str(rows[i]["id"]))]
            and b.factor[str(rows[i]["id"])] > 0]
    cells = [Cell(**vars(c)) for c in R.cells_of(task, rows, elig)]
    size = task.get("size", {})
    risk = task.get("risk")
    census = bool(size.get("census"))
    pips = not census and (b.pips or (risk is not None and "rates" not in risk))
    for c in cells:
        base = (R._unit_weights(task, rows, c.members)
                if risk is not None and "rates" not in risk else [1.0] * len(c.members))
        fac = [b.factor[str(rows[i]["id"])] for i in c.members]
        c.sure = [b.pips and pips and b.certain[str(rows[i]["id"])] and w > 0
                  for i, w in zip(c.members, base)]
        c.weights = [0.0 if s else w * f if b.pips else w for w, f, s in zip(base, fac, c.sure)]
    caps = [sum(1 for w in c.weights if w > 0) if pips else len(c.members) for c in cells]
    sizes = _sizes(task, cells, caps)
    for c, s in zip(cells, sizes):
        alone = (s[1] == 0) or ("per_stratum" in size and s[0].high == 0)
        c.extra = 0 if alone else sum(c.sure)
        if alone:
            c.sure = [False] * len(c.members)
        c.size = R.Size(s[0].low + c.extra, s[0].high + c.extra, s[0].p_high)
        _method_and_pi(c, rows, pips)
    return cells


def _sizes(task: dict[str, Any], cells: list[Cell], caps: list[int]) -> list[tuple[R.Size, Any]]:
    """(size, rate) per cell, as §5.1 (ref_draw.design_task's rules, with the rate kept)."""
    size = task.get("size", {})
    risk = task.get("risk")
    pops = [len(c.members) for c in cells]
    rounding, minimum = size.get("rounding", "ceil"), size.get("minimum", 0)
    if risk is not None and "rates" in risk:
        return [(R.rate_size(pops[h], risk["rates"][c.cls], rounding, minimum, caps[h]),
                 risk["rates"][c.cls]) for h, c in enumerate(cells)]
    if size.get("census"):
        return [(R.Size(N, N), 1.0) for N in pops]
    if "rate" in size:
        return [(R.rate_size(pops[h], size["rate"], rounding, minimum, caps[h]), size["rate"])
                for h in range(len(cells))]
    if "per_stratum" in size:
        return [(R.Size(n, n), None) for n in R._per_cell(cells, size["per_stratum"])]
    allocation = size.get("allocation", "proportional")
    if allocation == "proportional":
        shares = [Fraction(cap) for cap in caps]
    elif allocation == "equal":
        shares = [Fraction(1) for _ in caps]
    else:
        p = R._per_cell(cells, size["anticipated"])
        shares = [Fraction(caps[h]) * Fraction(math.sqrt(p[h] * (1 - p[h])))
                  for h in range(len(cells))]
    return [(R.Size(n, n), None) for n in R.allocate(size["total"], caps, shares, minimum)]


def _method_and_pi(c: Cell, rows: Rows, pips: bool) -> None:
    N = len(c.members)
    s = c.size
    if s.high == 0:
        c.method, c.pi = "none", [0.0] * N
    elif not pips and s.low == N:
        c.method, c.pi = "census", [1.0] * N
    elif not pips:
        c.method, c.pi = "srs", [float(s.expected / N)] * N
    else:
        c.method = "pips"
        ids = R._ids(rows, c.members)

        def stated(n: int) -> list[float]:
            pi = R.capped_pi(c.weights, n - c.extra)
            q = R.quantize(pi, n - c.extra, ids)
            return [1.0 if p >= 1.0 else float(qk) / 2.0**64 for p, qk in zip(pi, q)]

        low = stated(s.low)
        if s.fixed:
            c.pi = low
        else:
            high, f = stated(s.high), float(s.p_high)
            c.pi = [(1.0 - f) * a + f * b for a, b in zip(low, high)]
        c.pi = [1.0 if sure else p for p, sure in zip(c.pi, c.sure)]


def inclusion_probabilities(plan: dict[str, Any], rows: Rows, b: Burden) -> R.Result:
    """(task, id) -> (stratum, π) for every eligible target of every task."""
    out: R.Result = {}
    for task in plan["tasks"]:
        for c in design_task(task, rows, b):
            for i, p in zip(c.members, c.pi):
                out[(task["name"], str(rows[i]["id"]))] = (c.label, p)
    return out


def _select(c: Cell, rows: Rows, seed: bytes, ns: str) -> list[int]:
    """Positions within the cell that the seed draws (§6.2–6.4; certain units outright)."""
    if c.method != "pips":
        return R._select(c, rows, seed, ns)
    n = c.size.low
    if not c.size.fixed:
        u = R.uniform_int(256, R.SIZE_TAG, seed, ns, c.label)
        if u * c.size.p_high.denominator < c.size.p_high.numerator * (1 << 256):
            n = c.size.high
    ids = R._ids(rows, c.members)
    h = [prn_int(seed, ns, str(rows[i]["id"])) for i in c.members]
    pi = R.capped_pi(c.weights, n - c.extra)
    q = R.quantize(pi, n - c.extra, ids)
    chosen = [k for k in range(len(c.members)) if c.sure[k] or pi[k] >= 1.0]
    start, C = R.uniform_int(64, R.START_TAG, seed, ns, c.label), 0
    for k in sorted(range(len(c.members)), key=lambda k: (h[k], ids[k])):
        if c.sure[k] or pi[k] >= 1.0 or q[k] == 0:
            continue
        if (start - C) % R.GRID < q[k]:
            chosen.append(k)
        C += q[k]
    assert len(chosen) == n, (c.label, n, len(chosen))
    return chosen


def draw(plan: dict[str, Any], rows: Rows, seed: bytes, b: Burden) -> R.Result:
    """(task, id) -> (stratum, π) for every drawn target."""
    out: R.Result = {}
    for task in plan["tasks"]:
        ns = task.get("namespace") or task["name"]
        for c in design_task(task, rows, b):
            for k in _select(c, rows, seed, ns):
                i = c.members[k]
                out[(task["name"], str(rows[i]["id"]))] = (c.label, c.pi[k])
    return out
