"""The demo's second part (``python -m shuangsuiji demo``): the draw's whole year as a campaign.

In a folder: commitment, plan notice, reveal from the demo sources, draw and assignment, a task
notice, simulated results published in batches, a result notice, and the verification. Every
time is fixed, so the log is the same bytes on every run.
"""

from __future__ import annotations

import csv
import datetime as _dt
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

import shuangsuiji as ss

from .. import datasets, notices
from .._util.hashing import tagged_sha256
from ..datasets.officers import inspection_history, province_inspectors_records
from .log_commands import EXIT_ERRORS

__all__ = ["demo_year", "simulated_results", "write_csv", "year_skipped"]

_Say = Callable[..., None]  # print one line of the demo's story


# -- files for the demo -------------------------------------------------------------------------
def write_csv(path: Path, rows: Sequence[Mapping[str, Any]]) -> Path:
    """Records as UTF-8 CSV with a BOM; lists joined by ``;``, None empty, bools true/false."""

    def cell(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (list, tuple)):
            return ";".join(str(x) for x in v)
        return str(v)

    columns = list(rows[0])
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            w.writerow([cell(r.get(c)) for c in columns])
    return path


# -- the demo's year ----------------------------------------------------------------------------
YEAR_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "一公开：全年流程（承诺—揭示—抽取分派—结果—公告—验证）",
        "commit": "承诺（抽查计划、两库指纹、入样概率、随机源声明）",
        "plan_notice": "抽查计划公告",
        "reveal": "揭示随机种子并抽取、分派",
        "task_notice": "抽查任务公告",
        "results": "检查结果（模拟，分批公示）",
        "result_notice": "抽查结果公告",
        "verify": "验证",
        "files": "文件目录",
        "again": "任何人可复核",
        "skipped": "（指定 --seed 时不运行全年流程：声明的随机源是演示公开源）",
        "infeasible": "全年流程未能运行",
        "targets": "家",
        "teams": "人次",
        "batches": "批",
    },
    "en": {
        "title": "One public: the whole year (commit, reveal, draw and assign, results, notices, verify)",
        "commit": "commitment (plan, registry fingerprints, π summary, declared randomness)",
        "plan_notice": "plan notice",
        "reveal": "seed revealed; targets drawn, teams assigned",
        "task_notice": "task notice",
        "results": "results (simulated, published in batches)",
        "result_notice": "result notice",
        "verify": "verification",
        "files": "files",
        "again": "anyone can check it again",
        "skipped": "(the year is not run with --seed: the declared randomness is the demo sources)",
        "infeasible": "the year could not run",
        "targets": "targets",
        "teams": "team places",
        "batches": "batches",
    },
}

DEMO_RESULTS_TAG = "shuangsuiji/demo/results/v1"
DEMO_ISSUER = {"zh": "河北省市场监督管理局（演示）", "en": "Hebei Administration for Market Regulation (demo)"}
COMMIT_TIME = "2026-01-05T09:00:00+08:00"
PLAN_NOTICE_TIME = "2026-01-05T10:00:00+08:00"
REVEAL_TIME = "2026-01-12T10:00:00+08:00"
TASK_NOTICE_TIME = "2026-01-12T11:00:00+08:00"


def simulated_results(
    records: Sequence[Mapping[str, Any]], seed_hex: str, publication: Any
) -> list[dict[str, Any]]:
    """A plausible year of results for drawn (task, id) pairs, a fixed function of the seed.

    Outcomes: about 80% 正常, 6% 未按规定公示, 4% 通过登记的住所无法联系, 10% 发现问题已责令改正
    (a third of those with a warning, a sixth with a fine). Inspections conclude on working days
    from February to November.
    """
    start = _dt.date(2026, 2, 2)
    out = []
    for r in records:
        h = tagged_sha256(DEMO_RESULTS_TAG, bytes.fromhex(seed_hex), r["task"], r["id"])
        u, d, p = h[0] * 256 + h[1], int.from_bytes(h[2:6], "big"), h[6]
        u = u * 1000 // 65536
        outcome, penalties = "正常", []
        if u >= 960:
            outcome = "通过登记的住所无法联系"
        elif u >= 900:
            outcome = "未按规定公示"
        elif u >= 800:
            outcome = "发现问题已责令改正"
            penalties = ["警告"] if p < 85 else ["罚款"] if p < 128 else []
        day = start + _dt.timedelta(days=d % 300)
        while not publication.is_working_day(day):
            day += _dt.timedelta(days=1)
        out.append({"id": r["id"], "task": r["task"], "outcome": outcome, "date": day.isoformat(),
                    "penalties": penalties})
    return out


def _batches(results: Sequence[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Group results for publication twice a month: concluded on the 1st–15th, published on
    the 20th; concluded later, published on the 5th of the next month (within 20 working days)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        d = _dt.date.fromisoformat(r["date"])
        if d.day <= 15:
            pub = d.replace(day=20)
        else:
            nxt = (d.replace(day=28) + _dt.timedelta(days=4)).replace(day=5)
            pub = nxt
        groups.setdefault(pub.isoformat(), []).append(r)
    return [(f"{k}T17:00:00+08:00", groups[k]) for k in sorted(groups)]


@attrs.frozen
class _YearInputs:
    """What the demo year commits to: registries, history, plan, declared randomness, seed."""

    targets: ss.Targets
    inspectors: ss.Inspectors
    history: list[dict[str, Any]]
    plan: ss.Plan
    declared: ss.Randomness
    seed: ss.Seed


def _year_inputs(base: Path, size: int) -> _YearInputs:
    """Write the demo registries as CSV in ``base`` and read them back (as a user would)."""
    records = datasets.province_labs_records(size)
    targets = ss.Targets.from_csv(write_csv(base / "targets.csv", records), id="id")
    inspectors = ss.Inspectors.from_csv(
        write_csv(base / "inspectors.csv", province_inspectors_records()), id="id"
    )
    labs = {r["id"] for r in records}
    # the rotation history as known when the plan is committed
    history = [
        h for h in inspection_history() if h["target"] in labs and h["date"] < COMMIT_TIME[:10]
    ]
    plan = ss.Plan.from_dict(datasets.demo_plan())
    declared = ss.Randomness.sources(
        list(datasets.DEMO_SEED_SOURCE_NOTES), "2026-01-08",
        description="公告见抽查计划公告 / announced in the plan notice",
    )
    return _YearInputs(targets, inspectors, history, plan, declared, datasets.demo_seed())


def _commit_notice(
    campaign: ss.Campaign, base: Path, given: _YearInputs, lab: Mapping[str, str], p: _Say
) -> None:
    """Steps 1–2: save the commitment's checkpoint and publish the plan notice."""
    plan, targets, inspectors = given.plan, given.targets, given.inspectors
    root0 = campaign.checkpoint()
    root0.save(base / "checkpoint-commitment.json")
    p(f"  1. {lab['commit']}: seq 0, {COMMIT_TIME[:10]}, Merkle root {root0.root[:16]}…")
    pi = ss.inclusion_probabilities(plan, targets)
    files = notices.render_all(
        base, "plan", plan.to_dict(), pi.summary(), langs=("zh", "en"), formats=("html",),
        registries={
            "targets": {"fingerprint": targets.fingerprint, "size": len(targets)},
            "inspectors": {"fingerprint": inspectors.fingerprint, "size": len(inspectors)},
        },
        randomness=given.declared.to_dict(),
        commitment={"seq": 0, "root": root0.root},
        issuer=DEMO_ISSUER["zh"], date=COMMIT_TIME[:10],
    )
    seqs = [campaign.publish_notice(n, time=PLAN_NOTICE_TIME) for n in files]
    p(f"  2. {lab['plan_notice']}: seq {seqs[0]}–{seqs[-1]}")


def _reveal_notice(
    campaign: ss.Campaign, base: Path, given: _YearInputs, lab: Mapping[str, str], p: _Say
) -> tuple[ss.Selection, list[dict[str, Any]]] | None:
    """Steps 3–4: reveal the seed (draw and assign) and publish the task notice. Returns the
    selection and the drawn targets' rows, or None when the plan cannot be staffed."""
    plan, targets, seed = given.plan, given.targets, given.seed
    try:
        sel, teams = campaign.reveal(seed, time=REVEAL_TIME)
    except ss.InfeasibleError as exc:  # a small --size province may not staff the plan
        p(f"  {lab['infeasible']}: {exc}")
        return None
    state = campaign.state
    p(f"  3. {lab['reveal']}: seq {state.seed_seq}–{state.assignment_seq}; "
      f"{len(sel)} {lab['targets']}, {len(teams.to_records())} {lab['teams']}")
    drawn_rows = targets.select(sel.rows).to_records()
    files = notices.render_all(
        base, "task", sel.to_records(), langs=("zh", "en"), formats=("html", "csv"),
        targets=drawn_rows, columns=["name", "city", "field"], visits=teams.visits(),
        plan_name=plan.name, seed=seed, issuer=DEMO_ISSUER["zh"], date=REVEAL_TIME[:10],
        redaction=notices.RedactionPolicy(hide_inspector_names=True),
    )
    seqs = [campaign.publish_notice(n, time=TASK_NOTICE_TIME) for n in files]
    p(f"  4. {lab['task_notice']}: seq {seqs[0]}–{seqs[-1]}")
    return sel, drawn_rows


def _results_notice(
    campaign: ss.Campaign,
    base: Path,
    given: _YearInputs,
    drawn: tuple[ss.Selection, list[dict[str, Any]]],
    lab: Mapping[str, str],
    p: _Say,
) -> None:
    """Steps 5–6: record the simulated results in batches and publish the result notice."""
    plan = given.plan
    sel, drawn_rows = drawn
    results = simulated_results(sel.to_records(), given.seed.hex, plan.publication)
    batches = _batches(results)
    seqs = [campaign.record_results(rows, time=t) for t, rows in batches]
    p(f"  5. {lab['results']}: seq {seqs[0]}–{seqs[-1]}, {len(results)} / "
      f"{len(batches)} {lab['batches']}")
    last = batches[-1][0]
    files = notices.render_all(
        base, "result", campaign.results(), langs=("zh", "en"), formats=("html", "csv"),
        targets=drawn_rows, plan_name=plan.name, issuer=DEMO_ISSUER["zh"], date=last[:10],
        outcomes=list(plan.publication.outcomes), penalties=list(plan.publication.penalties),
    )
    seqs = [campaign.publish_notice(n, time=last) for n in files]
    p(f"  6. {lab['result_notice']}: seq {seqs[0]}–{seqs[-1]}")


def demo_year(
    out: TextIO,
    *,
    lang: str,
    size: int,
    folder: str | None = None,
) -> int:
    """Run the demo plan's year as a campaign in ``folder`` (default: a new temporary folder)
    and print what happened and where the files are. Returns 0 when verification is clean."""
    lab = YEAR_LABELS[lang]

    def p(*parts: object) -> None:
        print(*parts, file=out)

    base = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="shuangsuiji-demo-"))
    base.mkdir(parents=True, exist_ok=True)
    log_path = base / "campaign.jsonl"
    if log_path.exists():
        raise ss.InputError(f"{log_path} exists already; give an empty folder with --out")
    given = _year_inputs(base, size)
    targets, inspectors = given.targets, given.inspectors

    p()
    p(lab["title"])
    campaign = ss.Campaign.create(
        log_path, given.plan, targets, inspectors, randomness=given.declared,
        history=given.history, time=COMMIT_TIME,
    )
    with campaign:
        _commit_notice(campaign, base, given, lab, p)
        drawn = _reveal_notice(campaign, base, given, lab, p)
        if drawn is None:
            p(f"{lab['files']}: {base}")
            return 0
        _results_notice(campaign, base, given, drawn, lab, p)
        final = campaign.checkpoint()
    checkpoint_path = final.save(base / "checkpoint.json")
    report = ss.verify(log_path, targets, inspectors, final)
    verdict = "OK" if report.clean else report.text()
    p(f"  7. {lab['verify']}: {verdict} ({report.summary['records']} records, "
      f"{report.summary['replayed']})")
    p(f"{lab['files']}: {base}")
    for f in sorted(base.iterdir()):
        p(f"  {f.name}")
    p(f"{lab['again']}:")
    p(f"  shuangsuiji verify {log_path} --targets {base / 'targets.csv'} "
      f"--inspectors {base / 'inspectors.csv'} --checkpoint {checkpoint_path}")
    return 0 if report.clean else EXIT_ERRORS


def year_skipped(out: TextIO, lang: str) -> None:
    print(file=out)
    print(YEAR_LABELS[lang]["skipped"], file=out)
