"""``shuangsuiji demo``: draw the demo plan, assign the teams, then run the year as a campaign.

Draws the demo plan from the synthetic Hebei province (:mod:`shuangsuiji.datasets`) with the
demo seed and prints the header (plan, registry fingerprint, seed and its public sources), a
per-task and per-stratum table, and the drawn labs; then the teams assigned to them from the demo
pool of inspectors and the workload spread (:mod:`.demo_teams`); then the plan's whole year as a
campaign in a folder (:mod:`.demo_year`).
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from .. import datasets
from ..plan.plan import Plan
from ..randomness.seed import Seed
from ..registry.targets import Targets
from ..sampling.engine import draw, inclusion_probabilities
from .demo_quarters import demo_quarters
from .demo_teams import demo_teams
from .demo_year import demo_year, year_skipped
from .tables import LABELS, drawn_table, summary_table, task_table

__all__ = ["cmd_demo"]


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    lab = LABELS[args.lang]
    seed = datasets.demo_seed() if args.seed is None else Seed.from_hex(args.seed)
    plan_dict = datasets.demo_plan()
    plan = Plan.from_dict(plan_dict)
    records = datasets.province_labs_records(args.size)
    targets = Targets.from_records(records, id="id")

    pi = inclusion_probabilities(plan, targets)  # published before the seed exists
    sel = draw(plan, targets, seed)

    drawn_records = sel.to_records()

    def p(*parts: object) -> None:
        print(*parts, file=out)

    p(f"{lab['plan']}: {plan.name}")
    p(f"{lab['registry']}: {len(targets)} {lab['rows']}, {lab['fingerprint']} {targets.fingerprint}")
    p(f"{lab['seed']}: {seed.hex}")
    if args.seed is None:
        p(f"  {lab['sources']}:")
        for i, (src, note) in enumerate(
            zip(datasets.DEMO_SEED_SOURCES, datasets.DEMO_SEED_SOURCE_NOTES), 1
        ):
            p(f"    {i}. {note}: {src}")
        p(f"  {lab['key_string']}: {seed.key_string}")
    else:
        p(f"  ({lab['seed_given']})")
    p("")
    p(f"{lab['tasks']}:")
    p(task_table(plan_dict["tasks"], pi.summary(), sel.summary(), args.lang))
    p("")
    p(f"{lab['strata']}:")
    p(summary_table(sel.summary(), args.lang))
    p("")
    p(f"{lab['drawn_title']} ({lab['count'].format(n=len(sel))}):")
    shown = drawn_records if args.all else drawn_records[: args.limit]
    p(drawn_table(shown, {str(r["id"]): r for r in records}, args.lang))
    if len(shown) < len(drawn_records):
        p(lab["more"].format(n=len(drawn_records) - len(shown)))
    p("")
    _demo_teams(args, out, plan_dict, sel, records, seed)
    return _demo_year(args, out)


def _demo_teams(
    args: argparse.Namespace,
    out: TextIO,
    plan: Mapping[str, Any],
    sel: Any,
    records: Sequence[Mapping[str, Any]],
    seed: Any,
) -> None:
    """The teams assigned to the drawn labs and the workload spread (:mod:`.demo_teams`)."""
    demo_teams(
        out, plan, sel, records, seed, lang=args.lang, limit=args.limit, show_all=args.all
    )


def _demo_year(args: argparse.Namespace, out: TextIO) -> int:
    """The demo's second part: the year as a campaign (:func:`.demo_year.demo_year`), then the
    year in four quarterly batches (:func:`.demo_quarters.demo_quarters`) in a subfolder."""
    if args.no_year:
        return 0
    if args.seed is not None:
        year_skipped(out, args.lang)
        return 0
    base = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="shuangsuiji-demo-"))
    status = demo_year(out, lang=args.lang, size=args.size, folder=str(base))
    if status != 0:
        return status
    quarters = base / "year-in-batches"
    quarters.mkdir(exist_ok=True)
    return demo_quarters(out, lang=args.lang, size=args.size, folder=quarters)
