"""Shared pieces of the campaign and verify tests: a small province, its inspectors, a plan.

300 synthetic labs (:mod:`shuangsuiji.datasets`) and the demo pool of 340 inspectors keep each
campaign to a few dozen drawn targets, so a create-reveal-verify cycle takes milliseconds.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shuangsuiji as ss
from shuangsuiji import datasets
from shuangsuiji.campaign.campaign import Campaign
from shuangsuiji.datasets.officers import inspection_history, province_inspectors_records
from shuangsuiji.log.logfile import Log, read_log
from shuangsuiji.randomness.declared import Randomness

CST = dt.timezone(dt.timedelta(hours=8))
COMMIT_TIME = "2026-01-05T09:00:00+08:00"
REVEAL_TIME = "2026-01-12T10:00:00+08:00"
SOURCES = ["03 11 17 24 29 33", "3512.34", "10846.72"]
NOTES = ["双色球第2026004期红球开奖号码", "上证综合指数2026-01-09收盘点位", "深证成份指数2026-01-09收盘点位"]
DECLARATION = Randomness.sources(NOTES, "2026-01-08")
SEED = ss.Seed.from_sources(SOURCES)


TEAM = {"officers": 2, "match": {"column": "field"}, "rotation_days": 730, "as_of": "2026-01-05"}


def plan_dict() -> dict[str, Any]:
    """Three tasks; the third overlaps the first two, so some labs get a joint visit. Teams are
    matched on the lab's field and rotate (nobody who inspected the lab in the past two years)."""
    return {
        "name": "测试省2026年检验检测机构抽查计划",
        "tasks": [
            {
                "name": "食品检验机构抽查",
                "where": {"field": "食品"},
                "size": {"rate": 0.3, "minimum": 1},
                "risk": {"column": "credit", "weights": {"A": 1, "B": 2, "C": 4, "D": 8}},
                "team": TEAM,
            },
            {
                "name": "机动车检验机构抽查",
                "where": {"field": "机动车检验"},
                "strata": ["credit"],
                "size": {"total": 8},
                "team": TEAM,
            },
            {
                "name": "检验检测机构一般抽查",
                "kind": "general",
                "size": {"rate": 0.05, "rounding": "random"},
                "team": {"officers": 2, "rotation_days": 730, "as_of": "2026-01-05"},
            },
        ],
    }


@functools.cache
def targets() -> ss.Targets:
    return ss.Targets.from_records(datasets.province_labs_records(300), id="id")


@functools.cache
def inspectors() -> Any:
    return ss.Inspectors.from_records(province_inspectors_records(), id="id")


def history() -> list[dict[str, Any]]:
    return [dict(h) for h in _history()]


@functools.cache
def _history() -> tuple[dict[str, Any], ...]:
    """Past inspections of the 300 labs by pool members, before the commitment."""
    labs = set(targets().ids())
    return tuple(
        h for h in inspection_history() if h["target"] in labs and h["date"] < "2026-01-05"
    )


def new_campaign(path: Path, **kw: Any) -> Campaign:
    args: dict[str, Any] = {
        "randomness": DECLARATION,
        "history": history(),
        "time": COMMIT_TIME,
    }
    args.update(kw)
    return Campaign.create(path, plan_dict(), targets(), inspectors(), **args)


def revealed(path: Path) -> tuple[Campaign, ss.Selection, Any]:
    c = new_campaign(path)
    sel, teams = c.reveal(SEED, time=REVEAL_TIME)
    return c, sel, teams


def full_campaign(path: Path) -> dict[str, Any]:
    """Commit, reveal, three single results, a batch, a correction; closed. Returns facts."""
    c, sel, _ = revealed(path)
    recs = sel.to_records()
    seqs = [
        c.record_result(recs[0]["id"], "正常", task=recs[0]["task"], date="2026-02-02",
                        time="2026-02-10T09:00:00+08:00"),
        c.record_result(recs[1]["id"], "发现问题已责令改正", task=recs[1]["task"],
                        date="2026-02-03", penalties=["警告"], detail="记录不全",
                        time="2026-02-10T09:05:00+08:00"),
    ]
    batch = [
        {"id": r["id"], "task": r["task"], "outcome": "正常", "date": "2026-03-02"}
        for r in recs[2:6]
    ]
    seqs.append(c.record_results(batch, time="2026-03-10T09:00:00+08:00"))
    seqs.append(
        c.correct_result(seqs[0], recs[0]["id"], task=recs[0]["task"], outcome="未按规定公示",
                         reason="录入错误", time="2026-03-11T09:00:00+08:00")
    )
    c.close()
    return {"selection": sel, "records": recs, "seqs": seqs}


# -- forging and verifying logs -----------------------------------------------------------------
Entries = list[list[Any]]  # [type, body, time] per record


def entries(path: Path) -> Entries:
    return [[r.type, r.body, r.time] for r in read_log(path)]


def forge(tmp: Path, path: Path, edit: Callable[[Entries], Entries | None]) -> Path:
    """A new, well-chained log holding ``edit`` applied to the records of ``path``."""
    records = entries(path)
    out = edit(records)
    records = records if out is None else out
    forged = tmp / f"forged-{len(list(tmp.iterdir()))}.jsonl"
    with Log.create(forged) as log:
        for type_, body, time in records:
            log.append(type_, body, time=time)
    return forged


def verify_log(path: Path, checkpoint: Any = None) -> ss.Report:
    return ss.verify(path, targets(), inspectors(), checkpoint)


def only(report: ss.Report, seq: int | None, code: str, *fragments: str) -> None:
    """The report fails, and has a problem at ``seq`` with ``code`` naming every fragment."""
    assert not report.ok, report.text()
    hits = [p for p in report.problems if p.seq == seq and p.code == code]
    assert hits, report.text()
    assert any(all(f in p.message for f in fragments) for p in hits), report.text()
