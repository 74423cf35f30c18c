"""The demo province through a year: one registry snapshot per batch.

Between two batches some labs close, some open and some are re-rated (credit classes are
re-rated continuously; over 50 million enterprises a month at national scale). Snapshot 0 is
:func:`~shuangsuiji.datasets.province_labs_records` ``(n)``; snapshot ``b`` follows from
snapshot ``b - 1``:

- **deaths**: each lab present closes with probability ``deaths`` per mille;
- **re-rating**: each lab left gets a new credit class with probability ``rerated`` per mille,
  drawn from the province's class mix (so it may keep its class);
- **births**: ``round(n * births / 1000)`` new labs open: the next rows of
  ``province_labs_records`` beyond those used so far (row ``i`` depends on ``i`` alone, so the
  first ``n`` rows are snapshot 0's labs).

Every choice is SipHash-2-4 of the lab's ID keyed by (this module's tag, batch, what), so a
snapshot does not depend on row order, and integer arithmetic only (:mod:`.bits`). Snapshots are
given as columns over the labs ever present (``YearSnapshots``), which a registry of a million
rows needs, and as records for the demo.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .._util.hashing import tagged_sha256
from ..randomness.prn import siphash24
from .labs import CREDIT_CLASSES, MAX_ROWS, demo_plan, province_labs_records

__all__ = [
    "DEMO_DEPARTMENTS",
    "QUARTERS",
    "YEAR_TAG",
    "YearSnapshots",
    "demo_complaints",
    "demo_year_plan",
    "province_year",
    "province_year_records",
]

YEAR_TAG = "shuangsuiji/datasets/hebei-year/v1"


@attrs.frozen(eq=False)
class YearSnapshots:
    """Every lab ever present (``records``, in row order) and, per batch, which are present
    (``present[b]``, a bool array over those rows) and their credit class (``credit[b]``)."""

    records: list[dict[str, Any]]
    present: tuple[npt.NDArray[np.bool_], ...]
    credit: tuple[npt.NDArray[np.object_], ...]

    @property
    def batches(self) -> int:
        return len(self.present)

    def records_at(self, batch: int) -> list[dict[str, Any]]:
        """Snapshot ``batch`` (0-based) as registry records, in row order."""
        rows = np.flatnonzero(self.present[batch]).tolist()
        credit = self.credit[batch]
        return [{**self.records[i], "credit": credit[i]} for i in rows]


def _per_mille(ids: npt.NDArray[np.bytes_], batch: int, what: str) -> npt.NDArray[np.int64]:
    """A number in [0, 1000) per lab for (batch, what): the top 32 bits of SipHash, scaled."""
    key = tagged_sha256(YEAR_TAG, f"{batch}/{what}")[:16]
    top = siphash24(key, ids) >> np.uint64(32)
    out: npt.NDArray[np.int64] = ((top * np.uint64(1000)) >> np.uint64(32)).astype(np.int64)
    return out


def _new_classes(ids: npt.NDArray[np.bytes_], batch: int) -> npt.NDArray[np.object_]:
    """A class per lab drawn from the province's class mix (per mille weights)."""
    weights = np.array([w for _, w in CREDIT_CLASSES], np.int64)
    cum = np.cumsum(weights)
    u = _per_mille(ids, batch, "class") * int(cum[-1]) // 1000
    names = np.array([c for c, _ in CREDIT_CLASSES], dtype=object)
    out: npt.NDArray[np.object_] = names[np.searchsorted(cum, u, side="right")]
    return out


def province_year(
    n: int = 2600,
    batches: int = 4,
    *,
    rerated: int = 100,
    births: int = 10,
    deaths: int = 10,
) -> YearSnapshots:
    """``batches`` snapshots of a province of ``n`` labs; rates are per mille per batch."""
    for name, v in (("rerated", rerated), ("births", births), ("deaths", deaths)):
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 1000:
            raise ValueError(f"{name} must be a whole number of per mille in 0..1000, got {v!r}")
    if isinstance(batches, bool) or not isinstance(batches, int) or batches < 1:
        raise ValueError(f"batches must be a whole number >= 1, got {batches!r}")
    born = (n * births + 500) // 1000
    total = n + born * (batches - 1)
    if total > MAX_ROWS:
        raise ValueError(
            f"{n} labs and {born} births a batch need {total} rows; at most {MAX_ROWS}"
        )
    records = province_labs_records(total)
    ids = np.array([r["id"].encode() for r in records])
    present = np.zeros(total, bool)
    present[:n] = True
    credit = np.array([r["credit"] for r in records], dtype=object)
    out_present, out_credit = [present.copy()], [credit.copy()]
    for b in range(1, batches):
        present &= _per_mille(ids, b, "death") >= deaths
        rerate = present & (_per_mille(ids, b, "rerate") < rerated)
        credit[rerate] = _new_classes(ids, b)[rerate]
        start = n + born * (b - 1)
        present[start : start + born] = True
        out_present.append(present.copy())
        out_credit.append(credit.copy())
    return YearSnapshots(records, tuple(out_present), tuple(out_credit))


def province_year_records(
    n: int = 2600, batches: int = 4, **rates: int
) -> list[list[dict[str, Any]]]:
    """The snapshots of :func:`province_year` as lists of registry records."""
    year = province_year(n, batches, **rates)
    return [year.records_at(b) for b in range(year.batches)]


# -- the demo's year: four quarterly batches of the demo plan ------------------------------------
DEMO_DEPARTMENTS = ("河北省市场监督管理局", "河北省生态环境厅")
QUARTERS = ("2026-01-12", "2026-04-13", "2026-07-13", "2026-10-12")  # each batch's reveal day


def demo_year_plan(batch: int = 1) -> dict[str, Any]:
    """The demo plan drawn quarterly: batch ``batch`` (1 to 4) of a year of four.

    Each task draws a quarter of its yearly size (rates / 4, totals / 4); the eco-environment
    task is a joint task initiated by the eco-environment department, with the market
    regulator cooperating; every other task is the market regulator's. Batch 1 carries the
    year rules: the two departments, at most 2 inspections of one lab a year (directed checks
    included), and burden spreading (a lab inspected in the last 180 days has weight × 0.25,
    except class D, never spared: "不免抽").
    """
    if batch not in (1, 2, 3, 4):
        raise ValueError(f"batch must be 1 to 4, got {batch!r}")
    plan = demo_plan()
    plan["name"] = f"{plan['name']}（第{batch}批）"
    for task in plan["tasks"]:
        _quarter(task)
        joint = task.get("team", {}).get("departments")
        task["department"] = DEMO_DEPARTMENTS[1] if joint else DEMO_DEPARTMENTS[0]
    if batch == 1:
        plan["year"] = {
            "departments": list(DEMO_DEPARTMENTS),
            "cap": {"per_year": 2, "scope": "all", "directed": True},
            "spread": {
                "days": 180,
                "factor": 0.25,
                "except": {"column": "credit", "values": ["D"]},
            },
        }
    return plan


def _quarter(task: dict[str, Any]) -> None:
    """A yearly size rule made quarterly: rates and totals / 4, rounding at random (exact in
    expectation over the year)."""
    size = task.get("size")
    rates = task.get("risk", {}).get("rates")
    if rates:
        task["risk"]["rates"] = {k: v / 4 for k, v in rates.items()}
        task["size"] = {**(size or {}), "rounding": "random"}
    elif size and "rate" in size:
        size["rate"] = size["rate"] / 4
        size["rounding"] = "random"
    elif size and "total" in size:
        size["total"] = size["total"] // 4


def demo_complaints(year: YearSnapshots) -> list[dict[str, Any]]:
    """Directed checks of the demo year (投诉举报): each lab with complaints on record draws one
    with probability 1/20 per quarter, in a quarter when it is present; the check is dated two
    weeks after that quarter's reveal, by the market regulator. Sorted by date, then ID."""
    ids = np.array([r["id"].encode() for r in year.records])
    complaints = np.array([r["complaints"] for r in year.records])
    out: list[dict[str, Any]] = []
    for b in range(year.batches):
        hit = year.present[b] & (complaints > 0) & (_per_mille(ids, b, "complaint") < 50)
        day = np.datetime64(QUARTERS[b % len(QUARTERS)]) + np.timedelta64(14, "D")
        for i in np.flatnonzero(hit).tolist():
            out.append(
                {
                    "id": year.records[i]["id"],
                    "reason": "投诉举报",
                    "source": f"12315-2026-{b + 1}{i:05d}",
                    "department": DEMO_DEPARTMENTS[0],
                    "date": str(day),
                    "batch": b + 1,
                }
            )
    return sorted(out, key=lambda r: (r["date"], r["id"]))
