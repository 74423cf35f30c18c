"""Time ``ss.draw`` against its peers on the workload of ``../shared/bench/peers.py``, in one run.

Workload (the same recipe as peers.py): N targets with IDs ``91`` + 16 digits, 30 strata, risk
class A/B/C/D (shares 40/35/20/5 %) weighted 1/2/4/8; sample 1 % of every stratum
(``max(1, round(0.01 * count))``) with probability proportional to the risk weight.

Timed, median of ``--reps`` runs each (population and registries are built outside the timing):

* ``ss.draw``                  one task, strata ["stratum"], per-stratum sizes = the peers' sizes,
                               risk weights A/B/C/D = 1/2/4/8 (systematic πps on the PRN order)
* ``ss.inclusion_probabilities`` the same plan, no seed
* ``prn_hash``                 PRNs of all N IDs (``shuangsuiji.randomness.prn.prn_hash``)
* ``... (IDs without a shared prefix)`` the same IDs with their first 8 bytes varied (the
                               benchmark's IDs all begin ``91000000``, which the SipHash kernel
                               absorbs once per chunk; real credit codes share it within a county)
* ``Targets.from_records``     from a pandas DataFrame (id, stratum, risk) of N rows
* ``numpy``                    per stratum ``Generator.choice(idx, n, replace=False, p=...)``
* ``svy_sys``                  svy ``Selection(Sample(df, Design(mos="w"))).pps_sys(n, by=...)``
                               (also ``svy_brewer`` if asked for)
* ``consistent``               consistent-sampler, N // 100 IDs; only at N <= 1M (it is slow) and
                               once (as in peers.py)

Peak memory of ``ss.draw`` is measured in a child process (``--child-memory N``): the registry is
built, the kernel's RSS high-water mark is reset (``/proc/self/clear_refs``), one draw runs, and
the child reports the peak RSS during the draw (registry included) and the tracemalloc peak of
the draw's own allocations.

Usage::

    python benchmarks/draw.py [--sizes 1000000,10000000] [--peers numpy,svy_sys,consistent]
                              [--reps 3] [--no-memory] [--profile] [--many-strata] [--smoke]

``--profile`` adds, at the largest N, the wall time of each phase of ``ss.draw`` (PRN, grouping,
π, sorting, selection, output; measured by wrapping the engine's functions) and a cProfile list.
``--many-strata`` adds ``ss.draw`` and ``ss.inclusion_probabilities`` on 1M targets in 100,000
cells (about 10 per cell): SRS at a random-rounded 10 %, and πps at 10 % with class weights and
with a numeric weight column. ``--smoke`` is a run of seconds that checks the script works
(tests/test_benchmarks.py runs it). A peer that is not installed is skipped, with a note in
the table; ``pip install -e ".[bench]"`` installs them all. The timings are not part of the
test suite. The population uses ``numpy.random.default_rng`` on purpose, to match peers.py:
benchmark data need not replay.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import shuangsuiji as ss
from shuangsuiji.randomness.prn import prn_hash

WEIGHTS = {"A": 1, "B": 2, "C": 4, "D": 8}
SEED_HEX = "9f2c" * 16
CONSISTENT_MAX_N = 1_000_000
# Targets of the issue: ss.draw time over the peer's at 10M, and absolute limits.
RATIO_TARGETS = {"numpy": 2.0, "svy_sys": 0.5}
FROM_RECORDS_TARGET_S = 3.0
PRN_TARGET_S = 0.5
MEMORY_TARGET_MB = 2048.0
PEERS = ("numpy", "svy_sys", "svy_brewer", "consistent")


# -- the workload ---------------------------------------------------------------------------------
class Population:
    """peers.py's population, plus the shuangsuiji registry and plan for it."""

    def __init__(self, n: int) -> None:
        rng = np.random.default_rng(2026)
        self.n = n
        self.ids = np.array([f"91{i:016d}" for i in range(n)])
        self.stratum = rng.integers(0, 30, n)
        self.risk = rng.choice(4, n, p=[0.4, 0.35, 0.2, 0.05])
        self.w = np.array([1.0, 2.0, 4.0, 8.0])[self.risk]
        values, counts = np.unique(self.stratum, return_counts=True)
        # exactly peers.py's expression (banker's rounding of a float)
        self.n_by = {
            int(s): max(1, int(round(0.01 * c)))  # noqa: RUF046
            for s, c in zip(values, counts)
        }
        self.risk_text = np.array(list(WEIGHTS))[self.risk]

    def targets(self) -> ss.Targets:
        return ss.Targets.from_columns(self.ids, {"stratum": self.stratum, "risk": self.risk_text})

    def plan(self) -> ss.Plan:
        # per_stratum reproduces the peers' sizes exactly; {"rate": 0.01, "rounding": "round"}
        # would not: round() in peers.py is banker's rounding, the plan's "round" is half up,
        # and at N = 1M stratum 2 has 33,250 targets (332.5 -> 332 vs 333).
        return ss.Plan.from_dict(
            {
                "name": "bench",
                "tasks": [
                    {
                        "name": "bench",
                        "strata": ["stratum"],
                        "size": {"per_stratum": {str(s): n for s, n in self.n_by.items()}},
                        "risk": {"column": "risk", "weights": WEIGHTS},
                    }
                ],
            }
        )

    def pandas_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame({"id": self.ids, "stratum": self.stratum, "risk": self.risk_text})


def median_time(f: Callable[[], object], reps: int) -> float:
    out = []
    for _ in range(reps):
        a = time.perf_counter()
        f()
        out.append(time.perf_counter() - a)
    return statistics.median(out)


# -- peers, as peers.py calls them ----------------------------------------------------------------
def peer_numpy(pop: Population) -> Callable[[], None]:
    def f() -> None:
        g = np.random.default_rng(7)
        for s, n in pop.n_by.items():
            idx = np.flatnonzero(pop.stratum == s)
            p = pop.w[idx] / pop.w[idx].sum()
            g.choice(idx, n, replace=False, p=p)

    return f


def peer_svy(pop: Population, method: str) -> Callable[[], None]:
    import polars as pl
    import svy

    df = pl.DataFrame({"id": pop.ids, "stratum": pop.stratum.astype(str), "w": pop.w})
    n_map = {str(k): v for k, v in pop.n_by.items()}

    def f() -> None:  # a Sample is consumed by one selection, so each run builds its own
        sel = svy.Selection(svy.Sample(df, svy.Design(mos="w")))
        getattr(sel, method)(n_map, by="stratum", rstate=7)

    return f


def peer_consistent(pop: Population) -> Callable[[], None]:
    import consistent_sampler as cs

    m = max(1, pop.n // 100)
    id_list = list(pop.ids)

    def f() -> None:
        list(cs.sampler(id_list, seed=7, take=m, output="id"))

    return f


# -- shuangsuiji ----------------------------------------------------------------------------------
def check_sizes(pop: Population, sel: ss.Selection) -> None:
    drawn = {int(s.stratum.split("=", 1)[1]): s.drawn for s in sel.strata}
    if drawn != pop.n_by:
        raise AssertionError(f"ss.draw sizes differ from the peers' sizes: {drawn} vs {pop.n_by}")


def time_ss(pop: Population, reps: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    targets = pop.targets()
    build = time.perf_counter() - t0
    plan = pop.plan()
    seed = ss.Seed.from_hex(SEED_HEX)
    check_sizes(pop, ss.draw(plan, targets, seed))
    out: dict[str, Any] = {"from_columns (setup)": build}
    out["ss.draw"] = median_time(lambda: ss.draw(plan, targets, seed), reps)
    out["ss.inclusion_probabilities"] = median_time(
        lambda: ss.inclusion_probabilities(plan, targets), reps
    )
    out["prn_hash"] = median_time(lambda: prn_hash(seed.value, "ns", targets.id_bytes), reps)
    varied = varied_prefix(targets)
    out["prn_hash (IDs without a shared prefix)"] = median_time(
        lambda: prn_hash(seed.value, "ns", varied.id_bytes), reps
    )
    out["ss.draw (IDs without a shared prefix)"] = median_time(
        lambda: ss.draw(plan, varied, seed), reps
    )
    return out


def varied_prefix(targets: ss.Targets) -> ss.Targets:
    """The registry with each ID's first 8 bytes replaced by its last 8 reversed.

    The IDs stay distinct (bytes 8.. are kept) but no longer share their first SipHash block,
    so this times the kernel without the shared-prefix shortcut.
    """
    ids = targets.id_bytes
    width = ids.dtype.itemsize
    raw = np.ascontiguousarray(ids).view(np.uint8).reshape(-1, width).copy()
    raw[:, :8] = raw[:, width - 8 :][:, ::-1]
    return ss.Targets(targets.id_column, raw.view(f"S{width}").reshape(-1), dict(targets.columns))


def time_from_records(pop: Population, reps: int) -> float | str:
    """Targets.from_records on a pandas DataFrame (built outside the timing)."""
    df = pop.pandas_frame()
    got: list[ss.Targets] = []
    try:
        sec = median_time(lambda: got.append(ss.Targets.from_records(df, id="id")), reps)
    except Exception as exc:  # noqa: BLE001 - the pandas adapter may not exist yet
        return f"ERROR {type(exc).__name__}: {str(exc)[:120]}"
    # the DataFrame route must give the registry the column route gives
    if got[-1].fingerprint != pop.targets().fingerprint:
        raise AssertionError("from_records(pandas) and from_columns registries differ")
    return sec


def child_memory(n: int) -> None:
    """(In a child process) peak RSS and tracemalloc peak of one ss.draw; prints JSON."""
    pop = Population(n)
    targets = pop.targets()
    plan = pop.plan()
    seed = ss.Seed.from_hex(SEED_HEX)
    del pop
    gc.collect()

    def status(key: str) -> float:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024.0
        raise KeyError(key)

    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # reset VmHWM to the current RSS
        reset = True
    except OSError:
        reset = False
    before = status("VmRSS")
    ss.draw(plan, targets, seed)
    peak = status("VmHWM")
    tracemalloc.start()
    ss.draw(plan, targets, seed)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "n": n,
                "rss_before_mb": before,
                "rss_peak_mb": peak,
                "hwm_reset": reset,
                "tracemalloc_peak_mb": traced,
            }
        )
    )


def measure_memory(n: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--child-memory", str(n)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# Where ss.draw spends its time: (module, function or Class.method, phase). Each phase's time is
# exclusive of the other phases it calls; a name that no longer exists is reported, not fatal.
PHASES = [
    ("shuangsuiji.sampling.task_design", "eligible_rows", "grouping: eligible rows"),
    ("shuangsuiji.sampling.task_design", "cells_of", "grouping: cells (factorize, count)"),
    ("shuangsuiji.sampling.weights", "class_groups", "grouping: risk class -> weight group per cell"),
    ("shuangsuiji.sampling.weights", "unit_weights", "grouping: numeric weight column"),
    ("shuangsuiji.sampling.pips_design", "pips_table", "pi: capping, exact sums (per cell and group)"),
    ("shuangsuiji.sampling.pips_design", "quantize_table", "pi: grid values, deficits"),
    ("shuangsuiji.sampling.pips_design", "_receivers", "pi: deficit receivers (smallest ID)"),
    ("shuangsuiji.sampling.task_design", "unit_pips", "pi: unit by unit (numeric weights)"),
    ("shuangsuiji.sampling.task_design", "design_task", "pi: rest of the design"),
    ("shuangsuiji.sampling.task_draw", "_Prns.into", "PRN: SipHash-2-4 of every ID, packed into sort keys"),
    ("shuangsuiji.sampling.unit_order", "_fix_ties", "sorting: runs sharing the packed bits of h"),
    ("shuangsuiji.sampling.task_draw", "order_units", "sorting: value sort of the keys (rest of order_units)"),
    ("shuangsuiji.sampling.task_draw", "systematic_places", "selection: systematic pass along the order"),
    ("shuangsuiji.sampling.task_draw", "_Prns.at", "output: PRNs of the drawn units (hashed again)"),
    ("shuangsuiji.sampling.engine", "draw_task", "selection: rest (coins, starts, SRS ranges, pi)"),
    ("shuangsuiji.sampling.engine", "draw", "output: rest of draw (IDs, labels, Selection)"),
]


class _PhaseTimer:
    def __init__(self) -> None:
        self.total: dict[str, float] = {}
        self.stack: list[float] = []

    def wrap(self, phase: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            self.stack.append(0.0)
            try:
                return f(*args, **kwargs)
            finally:
                dt = time.perf_counter() - t0
                inner = self.stack.pop()
                self.total[phase] = self.total.get(phase, 0.0) + dt - inner
                if self.stack:
                    self.stack[-1] += dt

        return timed


def profile_draw(pop: Population, reps: int) -> str:
    """Exclusive wall time per phase of ss.draw (median of reps), then a cProfile top list."""
    import importlib

    targets = pop.targets()
    plan = pop.plan()
    seed = ss.Seed.from_hex(SEED_HEX)
    ss.draw(plan, targets, seed)
    lines = [f"phases of one ss.draw at N = {pop.n:,} (exclusive wall seconds, median of {reps})"]
    patched = []
    runs: list[dict[str, float]] = []
    walls = []
    try:
        for _ in range(reps):
            timer = _PhaseTimer()
            for mod_name, path, phase in PHASES:
                owner: Any = importlib.import_module(mod_name)
                *outer, attr = path.split(".")
                for part in outer:
                    owner = getattr(owner, part, None)
                if owner is None or not hasattr(owner, attr):
                    if len(runs) == 0:
                        lines.append(f"  (no {mod_name}.{path}: phase {phase!r} skipped)")
                    continue
                patched.append((owner, attr, getattr(owner, attr)))
                setattr(owner, attr, timer.wrap(phase, getattr(owner, attr)))
            draw = importlib.import_module("shuangsuiji.sampling.engine").draw
            t0 = time.perf_counter()
            draw(plan, targets, seed)
            walls.append(time.perf_counter() - t0)
            runs.append(timer.total)
            for mod, attr, f in reversed(patched):
                setattr(mod, attr, f)
            patched.clear()
    finally:
        for mod, attr, f in reversed(patched):
            setattr(mod, attr, f)
    wall = statistics.median(walls)
    for _, _, phase in PHASES:
        sec = statistics.median(r.get(phase, 0.0) for r in runs)
        lines.append(f"  {phase:62s} {sec:7.3f}s {sec / wall:6.1%}")
    lines.append(f"  {'total (wall)':62s} {wall:7.3f}s")
    prof = cProfile.Profile()
    prof.enable()
    ss.draw(plan, targets, seed)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
    lines.append("\ncProfile, own time (threads' work shows as lock waits):")
    lines.append(buf.getvalue())
    return "\n".join(lines)


# -- many strata ----------------------------------------------------------------------------------
MANY_N = 1_000_000
MANY_CELLS = 100_000
SMOKE_N = 20_000


def many_strata(
    reps: int, n: int = MANY_N, cells: int = MANY_CELLS
) -> list[tuple[str, float, float, int]]:
    """ss.draw and ss.inclusion_probabilities with 100k cells of about 10 targets each."""
    import pandas as pd

    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "id": np.array([f"91{i:016d}" for i in range(n)]),
            "cell": rng.integers(0, cells, n),
            "risk": np.array(list(WEIGHTS))[rng.choice(4, n, p=[0.4, 0.35, 0.2, 0.05])],
            "w": np.array([1.0, 2.0, 4.0, 8.0])[rng.choice(4, n)] * rng.integers(1, 5, n),
        }
    )
    targets = ss.Targets.from_records(frame)
    seed = ss.Seed.from_hex(SEED_HEX)
    task = {"name": "t", "strata": ["cell"]}
    plans = {
        "SRS, rate 0.1 random rounding": {**task, "size": {"rate": 0.1, "rounding": "random"}},
        "πps, class weights 1/2/4/8": {
            **task,
            "size": {"rate": 0.1},
            "risk": {"column": "risk", "weights": WEIGHTS},
        },
        "πps, numeric weight column": {**task, "size": {"rate": 0.1}, "risk": {"column": "w"}},
    }
    out = []
    for name, t in plans.items():
        plan = {"name": "many", "tasks": [t]}
        drawn = len(ss.draw(plan, targets, seed))
        d = median_time(functools.partial(ss.draw, plan, targets, seed), reps)
        p = median_time(functools.partial(ss.inclusion_probabilities, plan, targets), reps)
        out.append((name, d, p, drawn))
    return out


# -- main -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--peers", default="numpy,svy_sys,consistent")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory child")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="phase times and cProfile of ss.draw at the largest N",
    )
    ap.add_argument(
        "--many-strata",
        action="store_true",
        help=f"also time {MANY_N:,} targets in {MANY_CELLS:,} cells",
    )
    ap.add_argument(
        "--smoke",
        action="store_true",
        help=f"a run of seconds that checks the script works: N = {SMOKE_N:,}, one rep, with "
        f"--profile and --many-strata ({SMOKE_N:,} targets in {SMOKE_N // 10:,} cells)",
    )
    ap.add_argument("--child-memory", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_memory:
        child_memory(args.child_memory)
        return 0
    many_n, many_cells = MANY_N, MANY_CELLS
    if args.smoke:
        args.sizes, args.reps, args.profile, args.many_strata = str(SMOKE_N), 1, True, True
        many_n, many_cells = SMOKE_N, SMOKE_N // 10
    warnings.filterwarnings("ignore")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    peers = [p for p in args.peers.split(",") if p]
    rows: list[tuple[str, int, float | str]] = []  # (what, N, seconds or an error)
    memory: dict[int, dict[str, Any]] = {}

    for n in sizes:
        print(f"== N = {n:,} (load average {os.getloadavg()[0]:.2f})", flush=True)
        t0 = time.perf_counter()
        pop = Population(n)
        print(f"  population built in {time.perf_counter() - t0:.1f}s", flush=True)
        ours = time_ss(pop, args.reps)
        gc.collect()
        ours["Targets.from_records(pandas)"] = time_from_records(pop, args.reps)
        gc.collect()
        for name, sec in ours.items():
            rows.append((name, n, sec))
            print(f"  {name:32s} {_fmt(sec)}", flush=True)
        for peer in peers:
            try:
                if peer == "numpy":
                    sec = median_time(peer_numpy(pop), args.reps)
                elif peer.startswith("svy_"):
                    sec = median_time(peer_svy(pop, "pps_" + peer[4:]), args.reps)
                elif peer == "consistent":
                    if n > CONSISTENT_MAX_N:
                        continue
                    sec = median_time(peer_consistent(pop), 1)
                else:
                    raise ValueError(f"unknown peer {peer!r}; known: {', '.join(PEERS)}")
            except ImportError as exc:  # a peer that is not installed is skipped, with a note
                note = f'skipped: {exc.name} is not installed (pip install -e ".[bench]")'
                rows.append((peer, n, note))
                print(f"  {peer:32s} {rows[-1][2]}", flush=True)
                continue
            except Exception as exc:  # noqa: BLE001 - report the peer's failure, go on
                rows.append((peer, n, f"ERROR {type(exc).__name__}: {str(exc)[:120]}"))
                print(f"  {peer:32s} {rows[-1][2]}", flush=True)
                continue
            rows.append((peer, n, sec))
            print(f"  {peer:32s} {_fmt(sec)}", flush=True)
        del pop
        gc.collect()
        if not args.no_memory:
            memory[n] = measure_memory(n)
            print(f"  memory: {memory[n]}", flush=True)

    print_table(rows, memory)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} CPUs)")
    if args.many_strata:
        print(
            f"\n== many strata: {many_n:,} targets in {many_cells:,} cells (median of {args.reps})"
        )
        print("| plan | ss.draw (s) | ss.inclusion_probabilities (s) | drawn |")
        print("|---|---:|---:|---:|")
        for name, d, p, k in many_strata(args.reps, many_n, many_cells):
            print(f"| {name} | {d:.3f} | {p:.3f} | {k:,} |", flush=True)
    if args.profile:
        print(f"\n== profile of ss.draw at N = {max(sizes):,}")
        print(profile_draw(Population(max(sizes)), args.reps))
    return 0


def _fmt(sec: float | str) -> str:
    return f"{sec:8.3f}s" if isinstance(sec, float) else str(sec)


def print_table(
    rows: list[tuple[str, int, float | str]], memory: dict[int, dict[str, Any]]
) -> None:
    draw_s = {n: s for name, n, s in rows if name == "ss.draw" and isinstance(s, float)}
    limits = {"prn_hash": PRN_TARGET_S, "Targets.from_records(pandas)": FROM_RECORDS_TARGET_S}
    print("\n| what | N | seconds | ss.draw / this | target |")
    print("|---|---:|---:|---:|---|")
    for name, n, sec in rows:
        if not isinstance(sec, float):
            print(f"| {name} | {n:,} | {sec} | | |")
            continue
        ratio = target = ""
        if name in PEERS:
            ratio = f"{draw_s[n] / sec:.2f}"
            if name in RATIO_TARGETS:
                ok = draw_s[n] / sec <= RATIO_TARGETS[name]
                target = f"<= {RATIO_TARGETS[name]:g}x: {'met' if ok else 'MISSED'}"
        elif name in limits:
            target = f"<= {limits[name]:g}s: {'met' if sec <= limits[name] else 'MISSED'}"
        print(f"| {name} | {n:,} | {sec:.3f} | {ratio} | {target} |")
    for n, m in memory.items():
        if "rss_peak_mb" not in m:
            print(f"| peak RSS of ss.draw | {n:,} | {m} | | |")
            continue
        ok = m["rss_peak_mb"] <= MEMORY_TARGET_MB
        note = "" if m["hwm_reset"] else " (HWM not reset: includes setup)"
        print(
            f"| peak RSS during ss.draw | {n:,} | {m['rss_peak_mb']:.0f} MB (registry "
            f"{m['rss_before_mb']:.0f} MB + {m['rss_peak_mb'] - m['rss_before_mb']:.0f} MB; "
            f"tracemalloc peak {m['tracemalloc_peak_mb']:.0f} MB){note} | | "
            f"<= {MEMORY_TARGET_MB / 1024:g} GB: {'met' if ok else 'MISSED'} |"
        )


if __name__ == "__main__":
    sys.exit(main())
