"""Time a year of monthly batches against a single campaign, and verify against the writes.

Workload (issue "The inspection year"): the demo province grown to N labs
(``shuangsuiji.datasets.province_year``: 10 % re-rated each month, 1 % births and 1 % deaths),
the demo plan drawn monthly (rates and totals / 12, random rounding), year rules of a cap of 2 a
year and burden spreading (180 days × 0.25, class D never spared), complaints as directed checks
(``datasets.demo_complaints``), the demo pool of officers with no capacity limit. Teams follow the
demo plan's rules (two officers matching the field, rotation).

Timed, in one run:

* ``single``: a single campaign on the first snapshot: ``Campaign.create`` + ``reveal``;
* ``batch k``: batch k's ``commit_batch`` (``create`` for k = 1) + ``reveal``, each on its own
  snapshot, with the history of every earlier batch and directed check in force;
* ``verify``: ``ss.verify`` of the whole year, one registry per batch, against the sum of the
  writes (goal: ≤ 1.0×).

Usage::

    python benchmarks/year.py [--n 1000000] [--batches 12] [--smoke]

The figures are in docs/performance.md ("A year of batches"); tests/test_benchmarks.py runs
``--smoke``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

import shuangsuiji as ss
from shuangsuiji import datasets

HEADER = "| step | N | drawn | seconds | × single |"


def _monthly_plan(batches: int, batch: int) -> dict[str, Any]:
    """The demo plan drawn ``batches`` times a year; batch 1 carries the year rules."""
    plan = datasets.demo_year_plan(1 if batch == 1 else 2)
    plan["name"] = f"monthly batch {batch}"
    for task in plan["tasks"]:
        size, rates = task.get("size", {}), task.get("risk", {}).get("rates")
        if rates:  # demo_year_plan divided by 4; a month is a third of that
            task["risk"]["rates"] = {k: v * 4 / batches for k, v in rates.items()}
        elif "rate" in size:
            size["rate"] = size["rate"] * 4 / batches
        elif "total" in size:  # a fixed total spread over every city: a rate scales with N
            task["size"] = {"rate": 0.5 / batches, "minimum": 1, "rounding": "random"}
        task["team"].pop("cross_region", None)  # a national pool has officers everywhere
        task["team"].pop("region_column", None)
    return plan


def _snapshots(n: int, batches: int) -> list[ss.Targets]:
    """Each batch's registry, built from columns (a million records as dicts would dominate)."""
    year = datasets.province_year(n, batches, rerated=100, births=10, deaths=10)
    cols = {
        k: np.array([r[k] for r in year.records], dtype=object)
        for k in ("id", "city", "field", "complaints", "last_inspected")
    }
    cols["complaints"] = cols["complaints"].astype(np.int64)
    out = []
    for b in range(batches):
        rows = np.flatnonzero(year.present[b])
        columns = {k: v[rows] for k, v in cols.items() if k != "id"}
        columns["credit"] = year.credit[b][rows]
        out.append(ss.Targets.from_columns(cols["id"][rows], columns))
    return out


def _seed(b: int) -> ss.Seed:
    return ss.Seed.from_sources([f"{b:02d} 11 17 24 29 33", f"31{b:02d}.25"])


def _timed(f: Any) -> tuple[float, Any]:
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def _run_year(
    path: Path,
    snaps: list[ss.Targets],
    officers: ss.Inspectors,
    batches: int,
    checks: list[dict[str, Any]],
) -> list[tuple[int, float]]:
    """Commit and reveal every batch; directed checks after each reveal. (drawn, seconds)."""
    out = []
    campaign = None
    start = dt.date(2026, 1, 5)
    for b in range(1, batches + 1):
        day = start + dt.timedelta(days=30 * (b - 1))
        plan, targets = _monthly_plan(batches, b), snaps[b - 1]
        when = f"{day.isoformat()}T09:00:00+08:00"
        reveal = f"{(day + dt.timedelta(days=7)).isoformat()}T10:00:00+08:00"

        t0 = time.perf_counter()
        if campaign is None:
            campaign = ss.Campaign.create(path, plan, targets, officers, time=when)
        else:
            campaign.commit_batch(plan, targets, officers, randomness=None, time=when)
        sel, _ = campaign.reveal(_seed(b), time=reveal)
        seconds = time.perf_counter() - t0
        out.append((len(sel), seconds))
        assert campaign is not None
        for c in checks:
            if c["month"] == b:
                campaign.record_directed(
                    c["id"],
                    reason="投诉举报",
                    source=c["source"],
                    department=c["department"],
                    date=(day + dt.timedelta(days=14)).isoformat(),
                    time=f"{(day + dt.timedelta(days=14)).isoformat()}T16:00:00+08:00",
                )
    assert campaign is not None
    campaign.close()
    return out


def _checks(snaps: list[ss.Targets], batches: int, per_month: int) -> list[dict[str, Any]]:
    """``per_month`` directed checks a month: the labs at fixed positions of that month's IDs."""
    out = []
    for b in range(1, batches + 1):
        ids = sorted(snaps[b - 1].ids())
        step = max(1, len(ids) // per_month)
        out += [
            {"id": i, "month": b, "source": f"12315-{b}-{k}", "department": "河北省市场监督管理局"}
            for k, i in enumerate(ids[::step][:per_month])
        ]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--batches", type=int, default=12)
    ap.add_argument("--smoke", action="store_true", help="a run of seconds: N = 3,000, 3 batches")
    args = ap.parse_args()
    n, batches = (3000, 3) if args.smoke else (args.n, args.batches)
    build, snaps = _timed(lambda: _snapshots(n, batches))
    officers = ss.Inspectors.from_records(
        [{**r, "capacity": None} for r in datasets.province_inspectors_records()]
    )
    checks = _checks(snaps, batches, per_month=max(5, n // 2000))
    with tempfile.TemporaryDirectory() as d:
        single_path, year_path = Path(d) / "single.jsonl", Path(d) / "year.jsonl"
        single, (sel, _) = _timed(
            lambda: ss.Campaign.create(
                single_path,
                _monthly_plan(batches, 1),
                snaps[0],
                officers,
                time="2026-01-05T09:00:00+08:00",
            ).reveal(_seed(1), time="2026-01-12T10:00:00+08:00")
        )
        rows = _run_year(year_path, snaps, officers, batches, checks)
        verify, report = _timed(lambda: ss.verify(year_path, snaps, officers))
    assert report.ok, report.text()
    writes = sum(s for _, s in rows)
    print(f"snapshots built in {build:.1f} s; {len(checks)} directed checks\n")
    print(HEADER)
    print("|---|---:|---:|---:|---:|")
    print(
        f"| single campaign (create + reveal) | {len(snaps[0]):,} | {len(sel):,} | "
        f"{single:.2f} | 1.00 |"
    )
    for b, (drawn, s) in enumerate(rows, 1):
        print(
            f"| batch {b} (commit + reveal) | {len(snaps[b - 1]):,} | {drawn:,} | {s:.2f} | "
            f"{s / single:.2f} |"
        )
    print(f"| all writes | | {sum(d for d, _ in rows):,} | {writes:.2f} | {writes / single:.2f} |")
    print(f"| verify the year | | | {verify:.2f} | {verify / single:.2f} |")
    print(f"\nverify / writes = {verify / writes:.2f} (goal ≤ 1.0)")


if __name__ == "__main__":
    main()
