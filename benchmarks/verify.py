"""Time ``ss.verify`` on a national-scale campaign log, next to the draw itself.

Workload: a registry of N = 10,000,000 targets (IDs ``91`` + 16 digits, 30 strata that are also
the targets' 30 fields, risk classes A/B/C/D with shares 40/35/20/5 % weighted 1/2/4/8), one task
drawing 1 % of each stratum by systematic πps (about 100,000 targets), teams of two officers
qualified for the target's field from 20,000 officers, and a year of results for every drawn
target, recorded in 20 batches. The campaign is built once (commit, reveal, results, checkpoint),
then verified with freshly loaded registries, as a verifier would hold them.

Timed (seconds, median of ``--reps``):

* ``ss.draw``            the draw alone (plan, registry, seed), for scale, on a registry object
                         that has drawn before (as in ``benchmarks/draw.py``);
* ``verify``             ``ss.verify(log, targets, inspectors, checkpoint)`` end to end, with new
                         registry objects each time (so their fingerprints are computed);
* its parts, each timed on its own: reading the log (lines, chain, checkpoint, Merkle root),
  folding the records, the two fingerprints, the draw, the assignment, building and comparing
  the bodies, and checking results and deadlines.

Also printed: the time to commit, to reveal (draw + assign + write) and to record the results,
and the sizes of the log's records.

Usage::

    python benchmarks/verify.py [--n 10000000] [--rate 0.01] [--officers 20000] [--reps 3]
                                [--keep DIR]

Not part of the test suite. The population uses ``numpy.random.default_rng``: benchmark data
need not replay. The figures are in docs/performance.md ("Verifying a campaign").
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import shuangsuiji as ss
from shuangsuiji.campaign import record_bodies as B
from shuangsuiji.campaign.assign_step import assignment_body, run_assign
from shuangsuiji.campaign.report import Findings
from shuangsuiji.campaign.result_checks import check_results
from shuangsuiji.campaign.state import read_state
from shuangsuiji.campaign.verify import load
from shuangsuiji.log.logfile import read_log

WEIGHTS = {"A": 1, "B": 2, "C": 4, "D": 8}
FIELDS = [f"领域{i:02d}" for i in range(30)]
CHAIN = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
ROUND = 32281667
SIGNATURE = (
    "b0f5ae301358ff87a9d3dd539ed4a07c0148b1ab4f7b61a8ca43c7e9ca7ca9553e4faae9188deb30b2cd1a7f447e3e5b"
)
COMMIT = "2026-01-05T09:00:00+08:00"
REVEAL = "2026-01-12T10:00:00+08:00"


def registry_columns(n: int) -> tuple[list[str], dict[str, Any]]:
    rng = np.random.default_rng(2026)
    ids = [f"91{i:016d}" for i in range(n)]
    field = np.array(FIELDS, dtype=object)[rng.integers(0, 30, n)]
    credit = np.array(list("ABCD"), dtype=object)[rng.choice(4, n, p=[0.4, 0.35, 0.2, 0.05])]
    return ids, {"field": field, "credit": credit}


def build_targets(ids: list[str], cols: dict[str, Any]) -> ss.Targets:
    return ss.Targets.from_columns(ids, cols, id="id")


def inspector_records(officers: int, per_target: float) -> list[dict[str, Any]]:
    """Officers spread over the 30 fields, each qualified for 1-3 of them, with capacities that
    leave about 30 % slack over the expected demand of their fields."""
    rng = np.random.default_rng(7)
    rows = []
    for i in range(officers):
        k = int(rng.integers(1, 4))
        quals = sorted({FIELDS[int(f)] for f in rng.integers(0, 30, k)})
        rows.append({
            "id": f"JF{i:06d}",
            "name": f"检查员{i}",
            "unit": f"单位{i % 40:02d}",
            "region": f"地区{i % 11:02d}",
            "qualifications": quals,
            "role": "officer",
            "certificate": f"冀{i:010d}",
            "capacity": int(np.ceil(per_target * 1.3)),
        })
    return rows


def plan_dict(field: Any, rate: float) -> dict[str, Any]:
    values, n = np.unique(field.astype(str), return_counts=True)
    counts = dict(zip(values.tolist(), n.tolist()))
    task: dict[str, Any] = {
        "name": "全国抽查",
        "strata": ["field"],
        "size": {"per_stratum": {f: max(1, round(rate * c)) for f, c in counts.items()}},
        "risk": {"column": "credit", "weights": WEIGHTS},
        "team": {"officers": 2, "match": {"column": "field", "who": "all"}},
    }
    return {"name": "全国检验检测机构双随机抽查（基准）", "tasks": [task]}


def median_time(fn: Callable[[], Any], reps: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(reps):
        gc.collect()
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def results_rows(sel: ss.Selection) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every drawn target's result, concluded on a working day of the year, published in 20
    batches each within the deadline of what it holds."""
    outcomes = ["正常"] * 8 + ["未按规定公示", "发现问题已责令改正"]
    batches: dict[int, list[dict[str, Any]]] = {}
    start = dt.date(2026, 2, 2)
    for i, (task, tid) in enumerate(zip(sel.task_names.tolist(), sel.ids.tolist())):
        b = i % 20
        day = start + dt.timedelta(days=14 * b + i % 5)
        batches.setdefault(b, []).append(
            {"id": tid, "task": task, "outcome": outcomes[i % 10], "date": day.isoformat()}
        )
    out = []
    for b, rows in sorted(batches.items()):
        publish = start + dt.timedelta(days=14 * b + 10)
        out.append((f"{publish.isoformat()}T17:00:00+08:00", rows))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--rate", type=float, default=0.01)
    ap.add_argument("--officers", type=int, default=20_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--keep", metavar="DIR", help="build the campaign in DIR and keep it")
    args = ap.parse_args()

    t0 = time.perf_counter()
    ids, cols = registry_columns(args.n)
    targets = build_targets(ids, cols)
    plan = ss.Plan.from_dict(plan_dict(cols["field"], args.rate))
    expected = sum(n for _, n in plan.tasks[0].size.per_stratum)  # type: ignore[union-attr]
    inspectors = ss.Inspectors.from_records(
        inspector_records(args.officers, 2 * expected / args.officers * 3 / 2)
    )
    print(f"registry: {args.n:,} targets, {len(inspectors):,} officers; built in "
          f"{time.perf_counter() - t0:.1f} s; about {expected:,} targets to draw")

    seed = ss.Seed.from_beacon(CHAIN, ROUND, SIGNATURE)
    declared = ss.Randomness.beacon(CHAIN, ROUND)
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ss-bench-verify-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "campaign.jsonl"
    path.unlink(missing_ok=True)
    try:
        t = time.perf_counter()
        c = ss.Campaign.create(path, plan, targets, inspectors, randomness=declared, time=COMMIT)
        t_commit = time.perf_counter() - t
        t = time.perf_counter()
        sel, teams = c.reveal(seed, time=REVEAL)
        t_reveal = time.perf_counter() - t
        batches = results_rows(sel)
        t = time.perf_counter()
        for when, rows in batches:
            c.record_results(rows, time=when)
        t_results = time.perf_counter() - t
        cp = c.checkpoint()
        c.close()
        sizes = [len(r.line) for r in read_log(path)]
        print(f"campaign: commit {t_commit:.2f} s, reveal {t_reveal:.2f} s "
              f"({len(sel):,} drawn, {len(teams.to_records()):,} team places), "
              f"{len(sel):,} results in {len(batches)} batches {t_results:.2f} s")
        print(f"log: {len(sizes)} records, {path.stat().st_size / 1e6:.1f} MB; commitment "
              f"{sizes[0] / 1e3:.0f} kB, selection {sizes[2] / 1e6:.1f} MB, assignment "
              f"{sizes[3] / 1e6:.1f} MB, a batch of results {sizes[4] / 1e6:.2f} MB")

        t_draw, _ = median_time(lambda: ss.draw(plan, targets, seed), args.reps)

        def fresh_verify() -> ss.Report:
            tg = build_targets(ids, cols)
            ins = ss.Inspectors.from_records(inspectors.to_records())
            t = time.perf_counter()
            report = ss.verify(path, tg, ins, cp)
            fresh_verify.elapsed = time.perf_counter() - t  # type: ignore[attr-defined]
            return report

        runs = []
        for _ in range(args.reps):
            gc.collect()
            report = fresh_verify()
            runs.append(fresh_verify.elapsed)  # type: ignore[attr-defined]
            assert report.clean, report.text()
        t_verify = statistics.median(runs)

        # the parts, one at a time
        parts: dict[str, float] = {}
        parts["read log (lines, chain, checkpoint, root)"], loaded = median_time(
            lambda: load(path, cp), args.reps)
        parts["fold records (state)"], state = median_time(
            lambda: read_state(loaded.records), args.reps)
        fresh = [build_targets(ids, cols) for _ in range(args.reps)]
        parts["target fingerprint"], _ = median_time(lambda: fresh.pop().fingerprint, args.reps)
        fresh_i = [ss.Inspectors.from_records(inspectors.to_records()) for _ in range(args.reps)]
        parts["inspector fingerprint"], _ = median_time(
            lambda: fresh_i.pop().fingerprint, args.reps)
        fresh = [build_targets(ids, cols) for _ in range(args.reps)]
        parts["draw (new registry object)"], _ = median_time(
            lambda: ss.draw(plan, fresh.pop(), seed), args.reps)
        fresh_i = [ss.Inspectors.from_records(inspectors.to_records()) for _ in range(args.reps)]
        parts["assign (new registry object)"], teams2 = median_time(
            lambda: run_assign(plan, sel, fresh_i.pop(), seed,
                               state.commitment["assignment_inputs"]),
            args.reps)
        parts["selection body + compare"], _ = median_time(
            lambda: B.selection_body(sel) == state.selection, args.reps)
        parts["assignment body + compare"], _ = median_time(
            lambda: assignment_body(teams2, sel) == state.assignment, args.reps)

        def results_check() -> None:
            f = Findings()
            check_results(state, f, {})
            assert not f.items

        parts["results and deadlines"], _ = median_time(results_check, args.reps)
        print()
        print("| N | drawn | results | `ss.draw` | `ss.verify` | verify / draw |")
        print("|---|---|---|---|---|---|")
        print(f"| {args.n:,} | {len(sel):,} | {len(sel):,} | {t_draw:.2f} s | {t_verify:.2f} s "
              f"| {t_verify / t_draw:.1f}× |")
        print()
        print("| part of verify (timed alone) | s |")
        print("|---|---|")
        for k, v in parts.items():
            print(f"| {k} | {v:.2f} |")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
