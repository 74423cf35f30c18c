"""A second, stdlib-only implementation of the draw (docs/spec.md §5–6), for cross-checking.

Written from the spec and the algorithms' docstrings in plain Python (ints, fractions,
``math.fsum``), not from the fast numpy code and without importing the library. PRNs and the
tagged hashes come from ``tests/reference.py``. Agreement of the two implementations on random
instances (tests/test_reference_draw.py) means the spec is what the library implements.

Input is what users publish: the plan as a dict, the registry as records (dicts), the seed as
bytes. Output maps ``(task, id)`` to ``(stratum label, π)``. Plans are assumed valid (the
library's validation is not reimplemented). Column values follow ``Targets.from_records``:
a column is numeric when every present value is an int or float (not bool), otherwise text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from reference import prn_int, tagged_sha256

GRID = 1 << 64
SIZE_TAG = "shuangsuiji/size/v1"
START_TAG = "shuangsuiji/start/v1"
MISSING = "(missing)"

Rows = list[dict[str, Any]]
Result = dict[tuple[str, str], tuple[str, float]]


def uniform_int(bits: int, tag: str, *fields: bytes | str) -> int:
    """The first ``bits`` bits, big-endian, of tagged SHA-256 (spec §1)."""
    raw = [f.encode("utf-8") if isinstance(f, str) else f for f in fields]
    return int.from_bytes(tagged_sha256(tag, *raw), "big") >> (256 - bits)


def rate_fraction(rate: float) -> Fraction:
    """A rate as the plan states it (spec §5.1): the shortest decimal that round-trips."""
    return Fraction(repr(float(rate)))


def escape(text: str) -> str:
    """Spec §5 step 2: backslash before \\, | and = and before a leading '('."""
    out = "".join("\\" + ch if ch in "\\|=" else ch for ch in text)
    return "\\" + out if out.startswith("(") else out


# -- columns --------------------------------------------------------------------------------------
def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@dataclass
class Col:
    """One column as the registry sees it: numeric or text, with a label and a sort key."""

    numeric: bool
    values: list[Any]  # per row; None when missing

    @classmethod
    def of(cls, rows: Rows, name: str) -> Col:
        vals = [r.get(name) for r in rows]
        present = [v for v in vals if v is not None]
        numeric = bool(present) and all(_is_number(v) for v in present)
        if not numeric:
            vals = [None if v is None else str(v) for v in vals]
        return cls(numeric, vals)

    def label(self, i: int) -> str:
        v = self.values[i]
        if v is None:
            return MISSING
        if isinstance(v, bool):
            return "true" if v else "false"
        if self.numeric and float(v).is_integer() and abs(float(v)) < 2.0**53:
            return str(int(v))
        return repr(float(v)) if self.numeric else str(v)

    def sort_key(self, i: int) -> tuple[int, Any]:
        """Cells are numbered in ascending order of values; a missing text value sorts last."""
        v = self.values[i]
        if v is None:
            return (1, 0)
        # text compares by code point, which is the UTF-8 byte order
        return (0, float(v) if self.numeric else v)

    def matches(self, i: int, wanted: list[Any]) -> bool:
        v = self.values[i]
        if v is None:
            return False
        if self.numeric:
            nums = []
            for w in wanted:
                try:
                    nums.append(float(w))
                except (TypeError, ValueError):
                    pass
            return float(v) in nums
        return v in {str(w) for w in wanted}


# -- sizes (spec §5.1) ----------------------------------------------------------------------------
@dataclass
class Size:
    low: int
    high: int
    p_high: Fraction = Fraction(0)

    @property
    def fixed(self) -> bool:
        return self.low == self.high or self.p_high == 0

    @property
    def expected(self) -> Fraction:
        return self.low + (self.high - self.low) * self.p_high


def rate_size(N: int, rate: float, rounding: str, minimum: int, cap: int) -> Size:
    if rate == 0 or cap == 0:
        return Size(0, 0)
    x = rate_fraction(rate) * N
    if rounding == "ceil":
        lo = hi = math.ceil(x)
        p = Fraction(0)
    elif rounding == "round":
        lo = hi = math.floor(x + Fraction(1, 2))
        p = Fraction(0)
    else:  # random
        lo = math.floor(x)
        p = x - lo
        hi = lo + 1 if p else lo
    floor_n = min(minimum, cap)
    lo = min(max(lo, floor_n), cap)
    hi = min(max(hi, floor_n), cap)
    return Size(lo, hi, p if hi != lo else Fraction(0))


def _clamp(x: Fraction, lo: int, hi: int) -> Fraction:
    return min(max(x, Fraction(lo)), Fraction(hi))


def _fill(total: int, shares: list[Fraction], lower: list[int], upper: list[int]) -> list[Fraction] | None:
    """x_h = clamp(λ·share_h, lower_h, upper_h) for the smallest λ >= 0 with Σx = total.

    Σx is piecewise linear and non-decreasing in λ with breakpoints at bound/share, so λ is found
    by linear interpolation between the last breakpoint below the total and the first one at or
    above it. None when no λ reaches the total.
    """
    def f(lam: Fraction) -> Fraction:
        return sum((_clamp(lam * s, lo, hi) for s, lo, hi in zip(shares, lower, upper)), Fraction(0))

    points = sorted({Fraction(0)} | {Fraction(b) / s for s, lo, hi in zip(shares, lower, upper)
                                     if s > 0 for b in (lo, hi)})
    if f(points[0]) >= total:
        lam: Fraction | None = points[0]
    else:
        lam = None
        for a, b in itertools.pairwise(points):
            fa, fb = f(a), f(b)
            if fb >= total:
                lam = a + (total - fa) * (b - a) / (fb - fa)
                break
    if lam is None:
        return None
    return [_clamp(lam * s, lo, hi) for s, lo, hi in zip(shares, lower, upper)]


def allocate(total: int, caps: list[int], shares: list[Fraction], minimum: int) -> list[int]:
    """Water-filling within min(minimum, cap_h) <= x_h <= cap_h, then largest remainders."""
    k = len(caps)
    lower = [min(minimum, c) for c in caps]
    x = _fill(total, [Fraction(s) for s in shares], lower, caps)
    if x is None:  # every cell with a positive share is full: share by capacity
        x = _fill(total, [Fraction(c) for c in caps], lower, caps)
    assert x is not None and sum(x) == total
    n = [math.floor(v) for v in x]
    by_remainder = sorted(range(k), key=lambda h: (-(x[h] - n[h]), h))
    for h in by_remainder[: total - sum(n)]:
        n[h] += 1
    return n


# -- πps (spec §6.1) ------------------------------------------------------------------------------
def capped_pi(w: list[float], n: int) -> list[float]:
    """Tillé's iterative certainty capping with fsum and two rounded operations per unit."""
    pi = [0.0] * len(w)
    certain: set[int] = set()
    n_rem = n
    while n_rem > 0:
        free = [k for k in range(len(w)) if w[k] > 0 and k not in certain]
        S = math.fsum(w[k] for k in free)
        p = {k: (float(n_rem) * w[k]) / S for k in free}
        newly = [k for k in free if p[k] >= 1.0]
        if not newly:
            for k in free:
                pi[k] = p[k]
            break
        certain.update(newly)
        n_rem -= len(newly)
    for k in certain:
        pi[k] = 1.0
    return pi


def quantize(pi: list[float], n: int, ids: list[bytes]) -> list[int]:
    """q = floor(π·2**64) for 0 < π < 1; the deficit to the largest q (ties: smallest ID)."""
    q = [0] * len(pi)
    free = [k for k in range(len(pi)) if 0 < pi[k] < 1.0]
    for k in free:
        q[k] = int(pi[k] * 2.0**64)
    certain = sum(1 for p in pi if p >= 1.0)
    deficit = (n - certain) * GRID - sum(q)
    pool = list(free)
    while deficit != 0:
        top = max(q[k] for k in pool)
        r = min((k for k in pool if q[k] == top), key=lambda k: ids[k])
        give = min(deficit, GRID - 1 - q[r]) if deficit > 0 else -min(-deficit, q[r])
        q[r] += give
        deficit -= give
        pool.remove(r)
    return q


# -- plan and cells -------------------------------------------------------------------------------
@dataclass
class Cell:
    label: str
    bare: str | None  # the value of the single strata column, for bare per-stratum keys
    cls: str | None  # the risk class under class rates
    members: list[int] = field(default_factory=list)
    size: Size = field(default_factory=lambda: Size(0, 0))
    method: str = "none"
    weights: list[float] = field(default_factory=list)
    pi: list[float] = field(default_factory=list)


def _as_list(v: Any) -> list[Any]:
    return list(v) if isinstance(v, (list, tuple)) else [v]


def eligible(task: dict[str, Any], rows: Rows) -> list[int]:
    """Rows meeting every ``where`` condition and not cooled off (spec §5 step 1)."""
    out = []
    cols = {c: Col.of(rows, c) for c in task.get("where", {})}
    cooloff = task.get("cooloff")
    cutoff = None
    if cooloff:
        as_of = dt.date.fromisoformat(cooloff["as_of"])
        cutoff = as_of - dt.timedelta(days=cooloff["days"])
    for i, row in enumerate(rows):
        if not all(cols[c].matches(i, _as_list(v)) for c, v in task.get("where", {}).items()):
            continue
        if cooloff:
            day = row.get(cooloff["column"])
            if day is not None and dt.date.fromisoformat(str(day)[:10]) > cutoff:
                continue
        out.append(i)
    return out


def cells_of(task: dict[str, Any], rows: Rows, elig: list[int]) -> list[Cell]:
    """Group eligible rows by strata values (plus the class under class rates), in value order."""
    risk = task.get("risk")
    class_rates = risk is not None and "rates" in risk
    names = list(task.get("strata", [])) + ([risk["column"]] if class_rates else [])
    if not names:
        return [Cell("all", None, None, list(elig))]
    cols = [Col.of(rows, c) for c in names]
    groups: dict[tuple[Any, ...], Cell] = {}
    for i in elig:
        key = tuple(c.sort_key(i) for c in cols)
        if key not in groups:
            labels = [c.label(i) for c in cols]
            parts = [escape(n) for n in names], [
                MISSING if c.values[i] is None else escape(c.label(i)) for c in cols
            ]
            label = "|".join(f"{n}={v}" for n, v in zip(*parts))
            strata_part = labels[:-1] if class_rates else labels
            bare = strata_part[0] if len(task.get("strata", [])) == 1 else None
            groups[key] = Cell(label, bare, labels[-1] if class_rates else None)
        groups[key].members.append(i)
    return [groups[k] for k in sorted(groups)]


def _per_cell(cells: list[Cell], mapping: dict[str, Any]) -> list[Any]:
    return [mapping[c.label] if c.label in mapping else mapping[str(c.bare)] for c in cells]


def _unit_weights(task: dict[str, Any], rows: Rows, members: list[int]) -> list[float]:
    risk = task["risk"]
    col = Col.of(rows, risk["column"])
    if "weights" in risk:
        return [float(risk["weights"][col.label(i)]) for i in members]
    return [float(col.values[i]) for i in members]


def design_task(task: dict[str, Any], rows: Rows) -> list[Cell]:
    """Every cell of one task with its size, method and π (no seed)."""
    cells = cells_of(task, rows, eligible(task, rows))
    size = task.get("size", {})
    risk = task.get("risk")
    pips = risk is not None and "rates" not in risk and not size.get("census")
    for c in cells:
        if pips:
            c.weights = _unit_weights(task, rows, c.members)
    caps = [sum(1 for w in c.weights if w > 0) if pips else len(c.members) for c in cells]
    pops = [len(c.members) for c in cells]
    rounding = size.get("rounding", "ceil")
    minimum = size.get("minimum", 0)
    if risk is not None and "rates" in risk:
        sizes = [rate_size(pops[h], risk["rates"][c.cls], rounding, minimum, caps[h])
                 for h, c in enumerate(cells)]
    elif size.get("census"):
        sizes = [Size(N, N) for N in pops]
    elif "rate" in size:
        sizes = [rate_size(pops[h], size["rate"], rounding, minimum, caps[h])
                 for h in range(len(cells))]
    elif "per_stratum" in size:
        sizes = [Size(n, n) for n in _per_cell(cells, size["per_stratum"])]
    else:
        allocation = size.get("allocation", "proportional")
        if allocation == "proportional":
            shares = [Fraction(cap) for cap in caps]
        elif allocation == "equal":
            shares = [Fraction(1) for _ in caps]
        else:
            p = _per_cell(cells, size["anticipated"])
            shares = [Fraction(caps[h]) * Fraction(math.sqrt(p[h] * (1 - p[h])))
                      for h in range(len(cells))]
        sizes = [Size(n, n) for n in allocate(size["total"], caps, shares, minimum)]
    for c, s in zip(cells, sizes):
        c.size = s
        N = len(c.members)
        if s.high == 0:
            c.method, c.pi = "none", [0.0] * N
        elif not pips and s.low == N:
            c.method, c.pi = "census", [1.0] * N
        elif not pips:
            c.method, c.pi = "srs", [float(s.expected / N)] * N
        else:
            c.method = "pips"
            c.pi = _pips_pi(c, rows)
    return cells


def _ids(rows: Rows, members: list[int]) -> list[bytes]:
    return [str(rows[i]["id"]).encode("utf-8") for i in members]


def _pips_pi(c: Cell, rows: Rows) -> list[float]:
    ids = _ids(rows, c.members)

    def stated(n: int) -> list[float]:
        pi = capped_pi(c.weights, n)
        q = quantize(pi, n, ids)
        return [1.0 if p >= 1.0 else float(qk) / 2.0**64 for p, qk in zip(pi, q)]

    low = stated(c.size.low)
    if c.size.fixed:
        return low
    high = stated(c.size.high)
    f = float(c.size.p_high)
    return [(1.0 - f) * a + f * b for a, b in zip(low, high)]


# -- the draw (spec §6.2–6.4) ---------------------------------------------------------------------
def _select(c: Cell, rows: Rows, seed: bytes, ns: str) -> list[int]:
    """Positions within the cell that the seed draws."""
    N = len(c.members)
    if c.method == "none":
        return []
    if c.method == "census":
        return list(range(N))
    n = c.size.low
    if not c.size.fixed:
        u = uniform_int(256, SIZE_TAG, seed, ns, c.label)
        f = c.size.p_high
        if u * f.denominator < f.numerator * (1 << 256):
            n = c.size.high
    ids = _ids(rows, c.members)
    h = [prn_int(seed, ns, str(rows[i]["id"])) for i in c.members]
    by_prn = sorted(range(N), key=lambda k: (h[k], ids[k]))
    if c.method == "srs":
        return by_prn[:n]
    pi = capped_pi(c.weights, n)
    q = quantize(pi, n, ids)
    certain = [k for k in range(N) if pi[k] >= 1.0]
    start = uniform_int(64, START_TAG, seed, ns, c.label)
    chosen, C = [], 0
    for k in by_prn:
        if pi[k] >= 1.0 or q[k] == 0:
            continue
        if (start - C) % GRID < q[k]:
            chosen.append(k)
        C += q[k]
    assert len(certain) + len(chosen) == n, (c.label, n, len(certain), len(chosen))
    return certain + chosen


def inclusion_probabilities(plan: dict[str, Any], rows: Rows) -> Result:
    """(task, id) -> (stratum, π) for every eligible target of every task."""
    out: Result = {}
    for task in plan["tasks"]:
        for c in design_task(task, rows):
            for i, p in zip(c.members, c.pi):
                out[(task["name"], str(rows[i]["id"]))] = (c.label, p)
    return out


def draw(plan: dict[str, Any], rows: Rows, seed: bytes) -> Result:
    """(task, id) -> (stratum, π) for every drawn target."""
    out: Result = {}
    for task in plan["tasks"]:
        ns = task.get("namespace") or task["name"]
        for c in design_task(task, rows):
            for k in _select(c, rows, seed, ns):
                i = c.members[k]
                out[(task["name"], str(rows[i]["id"]))] = (c.label, c.pi[k])
    return out
