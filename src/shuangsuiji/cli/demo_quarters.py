"""The demo's year in four quarterly batches (``python -m shuangsuiji demo``, docs/guide-year.md).

One log for the year: batch 1 commits the year rules with its plan (two departments, at most two
inspections of a lab a year, burden spreading with class D never spared); every quarter the
registry changes (labs close and open, credit classes are re-rated), the batch is committed on
the quarter's snapshot and revealed with its own seed, and complaints bring directed checks.
Then the whole year is verified, and the burden's spread is printed: how many labs were
inspected 0, 1, 2 or 3 times under the year's rules, against four independent draws of the same
batch plans and seeds without them.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

import shuangsuiji as ss

from .. import datasets
from .demo_year import write_csv
from .tables import format_table

__all__ = ["QUARTER_LABELS", "burden_spread", "demo_quarters"]

_Say = Callable[..., None]

QUARTER_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "全年四批（按季度）：年度规则、名录变化、投诉举报定向检查",
        "batch": "第{b}批",
        "registry": "名录 {n} 家",
        "drawn": "抽中 {n} 家",
        "directed": "定向检查 {n} 次",
        "verify": "验证全年日志",
        "spread": "检查负担分布（一年内被检查次数）",
        "times": "次数",
        "rules": "年度规则",
        "independent": "四次独立抽取",
        "again": "任何人可复核",
    },
    "en": {
        "title": "The year in four quarterly batches: year rules, a changing registry, complaints",
        "batch": "batch {b}",
        "registry": "registry {n} labs",
        "drawn": "{n} drawn",
        "directed": "{n} directed checks",
        "verify": "verification of the whole year",
        "spread": "How the burden spread (random inspections of a lab in the year)",
        "times": "times",
        "rules": "year rules",
        "independent": "four independent draws",
        "again": "anyone can check it again",
    },
}

# Fictitious public values, one set per quarter (batch 1's are the demo's own sources).
QUARTER_SOURCES: tuple[tuple[str, ...], ...] = (
    datasets.DEMO_SEED_SOURCES,
    ("02 09 14 21 26 30", "3188.05", "9876.54"),
    ("07 10 13 18 25 32", "3301.47", "10233.18"),
    ("01 06 15 22 28 33", "3456.90", "10512.66"),
)


@attrs.frozen
class _Batch:
    number: int
    plan: dict[str, Any]
    targets: ss.Targets
    seed: ss.Seed
    declared: ss.Randomness
    commit_time: str
    reveal_time: str


def _batches(year: datasets.YearSnapshots) -> list[_Batch]:
    out = []
    for b in range(4):
        reveal = _dt.date.fromisoformat(datasets.QUARTERS[b])
        commit = reveal - _dt.timedelta(days=7)
        declared = ss.Randomness.sources(
            [f"演示公开源 {b + 1}-{k + 1}" for k in range(len(QUARTER_SOURCES[b]))],
            known_after=(reveal - _dt.timedelta(days=3)).isoformat(),
        )
        out.append(
            _Batch(
                number=b + 1,
                plan=datasets.demo_year_plan(b + 1),
                targets=ss.Targets.from_records(year.records_at(b), id="id"),
                seed=ss.Seed.from_sources(list(QUARTER_SOURCES[b])),
                declared=declared,
                commit_time=f"{commit.isoformat()}T09:00:00+08:00",
                reveal_time=f"{reveal.isoformat()}T10:00:00+08:00",
            )
        )
    return out


def burden_spread(drawn_per_batch: Sequence[Sequence[str]]) -> Counter[int]:
    """How many labs were drawn 1, 2, ... times over the batches (labs never drawn: not
    counted here; the caller knows the registry's size). A lab drawn by several tasks of one
    batch is one visit."""
    times = Counter(i for ids in drawn_per_batch for i in set(ids))
    return Counter(times.values())


def _directed_for(batch: int, checks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in checks if c["batch"] == batch]


def _run_year(
    path: Path,
    batches: list[_Batch],
    inspectors: ss.Inspectors,
    checks: list[dict[str, Any]],
    say: _Say,
    lab: dict[str, str],
) -> list[list[str]]:
    drawn: list[list[str]] = []
    campaign = None
    for b in batches:
        if campaign is None:
            campaign = ss.Campaign.create(
                path,
                b.plan,
                b.targets,
                inspectors,
                randomness=b.declared,
                history=datasets.inspection_history(),
                time=b.commit_time,
            )
        else:
            campaign.commit_batch(
                b.plan, b.targets, inspectors, randomness=b.declared, time=b.commit_time
            )
        sel, _ = campaign.reveal(b.seed, time=b.reveal_time)
        drawn.append([str(r["id"]) for r in sel.to_records()])
        mine = _directed_for(b.number, checks)
        for c in mine:
            campaign.record_directed(
                c["id"],
                reason=c["reason"],
                source=c["source"],
                department=c["department"],
                date=c["date"],
                time=f"{c['date']}T16:00:00+08:00",
            )
        say(
            f"  {lab['batch'].format(b=b.number)}: {lab['registry'].format(n=len(b.targets))}, "
            f"{lab['drawn'].format(n=len(set(drawn[-1])))}, "
            f"{lab['directed'].format(n=len(mine))}"
        )
    assert campaign is not None
    campaign.close()
    return drawn


def _independent(batches: list[_Batch]) -> list[list[str]]:
    """The same batch plans and seeds, drawn as if each batch were alone (no year rules)."""
    out = []
    for b in batches:
        plan = {k: v for k, v in b.plan.items() if k != "year"}
        sel = ss.draw(plan, b.targets, b.seed)
        out.append([str(r["id"]) for r in sel.to_records()])
    return out


def demo_quarters(out: TextIO, *, lang: str, size: int, folder: Path) -> int:
    """Run the four-batch year in ``folder`` (log ``year.jsonl``) and print the burden's
    spread; returns 0 when the year verifies clean."""
    lab = QUARTER_LABELS[lang]

    def say(*parts: object) -> None:
        print(*parts, file=out)

    say()
    say(lab["title"])
    year = datasets.province_year(size, 4)
    batches = _batches(year)
    checks = datasets.demo_complaints(year)
    officers = datasets.province_inspectors_records()
    inspectors = ss.Inspectors.from_records(officers, id="id")
    path = folder / "year.jsonl"
    drawn = _run_year(path, batches, inspectors, checks, say, lab)
    report = ss.verify(path, [b.targets for b in batches], inspectors)
    say(f"  {lab['verify']}: {'OK' if report.ok else report.text()}")
    everyone = {r for b in batches for r in b.targets.ids()}
    rules, alone = burden_spread(drawn), burden_spread(_independent(batches))
    rules[0], alone[0] = len(everyone) - sum(rules.values()), len(everyone) - sum(alone.values())
    rows = [
        [str(k), str(rules.get(k, 0)), str(alone.get(k, 0))]
        for k in range(max(3, *rules, *alone) + 1)
    ]
    say(lab["spread"] + ":")
    say(format_table([lab["times"], lab["rules"], lab["independent"]], rows, "rrr"))
    say(f"{lab['again']}:")
    say("  " + _files(folder, batches, officers))
    return 0 if report.ok else 1


def _files(folder: Path, batches: list[_Batch], officers: list[dict[str, Any]]) -> str:
    """Write each batch's registry snapshot and the officers as CSV; the verify command."""
    names = []
    for b in batches:
        names.append(write_csv(folder / f"targets-{b.number}.csv", b.targets.to_records()))
    officers_csv = write_csv(folder / "inspectors.csv", officers)
    snapshots = " ".join(f"--targets {n}" for n in names)
    return f"shuangsuiji verify {folder / 'year.jsonl'} {snapshots} --inspectors {officers_csv}"
