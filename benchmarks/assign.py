"""Time ``ss.assign`` at national scale: 100k drawn targets, 20k officers, 30 fields.

Workload (the issue's): a registry of ``2 * N`` targets in 30 fields and 11 regions; one task
draws half of every field (``N`` = 100,000 targets) and asks for two officers qualified for the
target's field (``match: all``), with a 365-day rotation rule. The officer pool:

* 20,000 officers in 12 units and 11 regions, each qualified for 1 to 3 of the 30 fields;
* **1% conflict density**: every officer declares conflicts with 1% of the drawn targets of the
  fields they are qualified for, so 1% of all (officer, target) pairs that the qualification
  rule allows are barred (about 0.7 million declared conflicts);
* capacities drawn uniformly from 9..14 visits (mean 11.5) against a mean demand of 10 per
  officer, unevenly spread over the fields, so that capacities **bind**: the free assignment
  overloads some officers and ``assign`` falls back to the balanced regime (spec §8.8);
* a history of 50,000 past inspections within the rotation window, and 1,000 recusal requests
  (``N / 2`` and ``N / 100``).

Timed: ``ss.assign(plan, sel, inspectors, seed, history=..., recusals=...)``, the median of
``--reps`` runs (building the registries and drawing are not timed). Also printed: the regime,
the cap λ*, the load spread, and a phase profile with ``--profile``.

Usage::

    python benchmarks/assign.py [--targets 100000] [--officers 20000] [--reps 3] [--profile]
                                [--smoke]

``--smoke`` is a run of seconds that checks the script works (tests/test_benchmarks.py runs it).

The population uses ``numpy.random.default_rng`` on purpose: benchmark data need not replay.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time
from typing import Any

import numpy as np

import shuangsuiji as ss

FIELDS = [f"F{k:02d}" for k in range(30)]
REGIONS = [f"R{k:02d}" for k in range(11)]
UNITS = [f"U{k:02d}" for k in range(12)]
SEED_HEX = "5eed" * 16


def build(n_targets: int, n_officers: int, rng: np.random.Generator) -> dict[str, Any]:
    n_reg = 2 * n_targets
    ids = np.array([f"91{k:016d}" for k in range(n_reg)], dtype=object)
    field_w = rng.uniform(0.5, 1.5, len(FIELDS))
    field = rng.choice(len(FIELDS), n_reg, p=field_w / field_w.sum())
    region = rng.integers(0, len(REGIONS), n_reg)
    targets = ss.Targets.from_columns(
        ids,
        {
            "field": np.array(FIELDS, dtype=object)[field],
            "region": np.array(REGIONS, dtype=object)[region],
        },
    )
    plan = {
        "name": "benchmark",
        "tasks": [
            {
                "name": "national",
                "strata": ["field"],
                "size": {"rate": 0.5},
                "team": {
                    "officers": 2,
                    "match": {"column": "field", "who": "all"},
                    "rotation_days": 365,
                    "as_of": "2026-03-01",
                },
            }
        ],
    }
    seed = ss.Seed.from_hex(SEED_HEX)
    sel = ss.draw(plan, targets, seed)
    drawn = np.array(sel.ids.tolist(), dtype=object)
    drawn_field = field[sel.rows]
    by_field = [drawn[drawn_field == f] for f in range(len(FIELDS))]
    # officers: fields held in proportion to the fields' demand, 1-3 each
    demand = np.bincount(drawn_field, minlength=len(FIELDS)).astype(float)
    records = []
    quals_of = []
    for k in range(n_officers):
        q = rng.choice(len(FIELDS), int(rng.integers(1, 4)), replace=False, p=demand / demand.sum())
        quals_of.append(q)
        conflicts = []
        for f in q:
            pool = by_field[f]
            m = round(0.01 * pool.size)
            if m:
                conflicts += pool[rng.choice(pool.size, m, replace=False)].tolist()
        records.append(
            {
                "id": f"JF{k:06d}",
                "name": f"officer {k}",
                "unit": UNITS[int(rng.integers(len(UNITS)))],
                "region": REGIONS[int(rng.integers(len(REGIONS)))],
                "qualifications": [FIELDS[f] for f in q],
                "role": "officer",
                "certificate": f"C{k:08d}",
                "capacity": int(rng.integers(9, 15)),
                "conflicts": sorted(set(conflicts)),
            }
        )
    inspectors = ss.Inspectors.from_records(records)
    history = []
    for _ in range(n_targets // 2):  # 50,000 at the N
        k = int(rng.integers(n_officers))
        f = int(rng.choice(quals_of[k]))
        pool = by_field[f]
        t = pool[int(rng.integers(pool.size))]
        day = int(rng.integers(1, 365))
        history.append(
            {"inspector": f"JF{k:06d}", "target": t, "date": str(np.datetime64("2026-03-01") - day)}
        )
    recusals = [
        (drawn[int(rng.integers(drawn.size))], f"JF{int(rng.integers(n_officers)):06d}")
        for _ in range(n_targets // 100)  # 1,000 at the N
    ]
    return {
        "plan": plan,
        "sel": sel,
        "inspectors": inspectors,
        "seed": seed,
        "history": history,
        "recusals": recusals,
        "conflicts": int(inspectors.conflict_ids.size),
    }


def run(w: dict[str, Any]) -> ss.Assignment:
    return ss.assign(
        w["plan"],
        w["sel"],
        w["inspectors"],
        w["seed"],
        history=w["history"],
        recusals=w["recusals"],
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--targets", type=int, default=100_000)
    ap.add_argument("--officers", type=int, default=20_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--smoke", action="store_true",
                    help="a run of seconds that checks the script works (2,000 targets, 400 "
                         "officers, one rep, with --profile)")
    args = ap.parse_args()
    if args.smoke:
        args.targets, args.officers, args.reps, args.profile = 2_000, 400, 1, True
    rng = np.random.default_rng(20260301)
    t0 = time.perf_counter()
    w = build(args.targets, args.officers, rng)
    print(
        f"built in {time.perf_counter() - t0:.1f} s: {len(w['sel'])} drawn targets, "
        f"{len(w['inspectors'])} officers, {w['conflicts']} declared conflicts, "
        f"{len(w['history'])} history rows, {len(w['recusals'])} recusal requests"
    )
    times = []
    a = None
    for _ in range(args.reps):
        t = time.perf_counter()
        a = run(w)
        times.append(time.perf_counter() - t)
    assert a is not None
    print(f"ss.assign: median {statistics.median(times):.3f} s over {args.reps} ({times})")
    print("\n| drawn targets | officers | conflicts | `ss.assign` (s) | role | regime | cap | "
          "loads |")
    print("|---:|---:|---:|---:|---|---|---:|---|")
    for s in a.workload_summary():
        if s["people"]:
            print(
                f"| {len(w['sel']):,} | {len(w['inspectors']):,} | {w['conflicts']:,} | "
                f"{statistics.median(times):.3f} | {s['role']} | {s['regime']} | {s['cap']} | "
                f"{s['min']}..{s['max']} (mean {s['mean']:.2f}, {s['idle']} idle, "
                f"{s['visits']} places) |"
            )
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        run(w)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue())


if __name__ == "__main__":
    main()
