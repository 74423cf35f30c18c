"""Campaign-log throughput: appends, reading with the full chain check, Merkle roots and proofs.

A log shaped like benchmarks/verify.py's: a selection record of N rows (with float π and PRN), an
assignment record of 2N rows, then N result records written with ``append_many`` (one fsync),
and a few hundred single appends (one fsync each). The timings are not part of the test suite;
tests/test_benchmarks.py runs ``--smoke``.

    python benchmarks/log.py            # N = 100 000
    python benchmarks/log.py --n 20000
    python benchmarks/log.py --smoke    # seconds: checks that the script runs
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shuangsuiji.log import Log, MerkleTree, check_chain, check_checkpoint, read_log


def _timed(label: str, f: Callable[[], Any]) -> Any:
    t0 = time.perf_counter()
    out = f()
    print(f"| {label} | {time.perf_counter() - t0:.3f} |")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--singles", type=int, default=200)
    ap.add_argument("--smoke", action="store_true",
                    help="a run of seconds that checks the script works (N = 2,000, 20 single "
                         "appends; overrides --n and --singles)")
    args = ap.parse_args()
    n, singles = (2_000, 20) if args.smoke else (args.n, args.singles)
    selection = {
        "rows": [
            {
                "task": "lab-2025",
                "stratum": "city=石家庄|risk=D",
                "id": f"91130100MA{i:08d}",
                "inclusion_probability": 0.0123456789 + i * 1e-9,
                "prn": (i + 0.5) / n,
            }
            for i in range(n)
        ]
    }
    assignment = {
        "rows": [
            {
                "task": "lab-2025",
                "id": f"91130100MA{i:08d}",
                "inspector": f"INS{i % 5000:05d}",
                "role": "lead" if j == 0 else "member",
            }
            for i in range(n)
            for j in range(2)
        ]
    }
    results = [
        (
            "result",
            {
                "target": f"91130100MA{i:08d}",
                "outcome": "正常",
                "task": "lab-2025",
                "date": "2025-06-01",
            },
            "2025-06-02T10:00:00+08:00",
        )
        for i in range(n)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "campaign.log"
        print(f"N = {n}\n\n| step | seconds |\n|---|---|")
        with Log.create(path) as log:
            log.append("commitment", {"plan": "bench"}, time="2025-03-01")
            _timed(f"append selection ({n} rows)", lambda: log.append("selection", selection))
            _timed(
                f"append assignment ({2 * n} rows)", lambda: log.append("assignment", assignment)
            )
            _timed(f"append_many {n} results (one fsync)", lambda: log.append_many(results))
            _timed(
                f"{singles} single appends (fsync each)",
                lambda: [log.append(t, b, time=tm) for t, b, tm in results[:singles]],
            )
            cp = log.checkpoint()
            size = len(log)
            _timed(
                f"{size} inclusion proofs", lambda: [log.inclusion_proof(s) for s in range(size)]
            )
        print(f"| (log: {size} records, {os.path.getsize(path) / 1e6:.1f} MB) | |")
        recs = _timed("read_log (parse + canonical check)", lambda: read_log(path))
        _timed("check_chain", lambda: check_chain(recs))
        _timed("check_checkpoint", lambda: check_checkpoint(recs, cp))
        _timed(
            "Merkle root over the lines",
            lambda: MerkleTree.from_leaves([r.line for r in recs]).root(),
        )
        _timed("Log.open (read, check, tree, lock)", lambda: Log.open(path).close())
        _timed("every record's body", lambda: [r.body for r in recs])


if __name__ == "__main__":
    main()
