"""The demo's year: ``python -m shuangsuiji demo`` runs a whole campaign and verifies it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import Counter
from pathlib import Path

import pytest

import shuangsuiji as ss
from shuangsuiji import datasets
from shuangsuiji.cli.demo_year import demo_year, simulated_results
from shuangsuiji.cli.main import main
from shuangsuiji.log.logfile import Checkpoint, read_log
from shuangsuiji.plan.publication_rules import Publication


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("year")
    out = io.StringIO()
    assert demo_year(out, lang="zh", size=2600, folder=str(folder)) == 0
    return folder, out.getvalue()


def test_the_year_verifies(year: tuple[Path, str]) -> None:
    folder, text = year
    assert "7. 验证: OK" in text and f"文件目录: {folder}" in text
    assert f"shuangsuiji verify {folder / 'campaign.jsonl'}" in text
    targets = ss.Targets.from_csv(folder / "targets.csv")
    inspectors = ss.Inspectors.from_csv(folder / "inspectors.csv")
    for cp in ("checkpoint-commitment.json", "checkpoint.json"):
        report = ss.verify(folder / "campaign.jsonl", targets, inspectors,
                           Checkpoint.load(folder / cp))
        assert report.clean, report.text()
    s = report.summary
    drawn = len(ss.draw(datasets.demo_plan(), datasets.province_labs(), datasets.demo_seed()))
    assert s["results"] == f"{drawn} of {drawn} drawn" and s["overdue"] == 0
    assert s["notices"] == {"plan": 2, "task": 4, "result": 4}


def test_the_log_tells_the_year_in_order(year: tuple[Path, str]) -> None:
    folder, _ = year
    records = read_log(folder / "campaign.jsonl")
    types = [r.type for r in records]
    assert types[:6] == ["commitment", "notice", "notice", "seed", "selection", "assignment"]
    assert Counter(types)["results"] == 20 and types[-4:] == ["notice"] * 4
    times = [r.time for r in records]
    assert times == sorted(times) and times[0].startswith("2026-01-05")
    # every recorded notice is the file on disk
    for r in records:
        if r.type == "notice":
            body = r.body
            data = (folder / body["filename"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == body["sha256"]
            assert len(data) == body["bytes"]
    task_csv = next(r.body for r in records if r.type == "notice" and r.body["kind"] == "task"
                    and r.body["format"] == "csv")
    assert task_csv["redactions"]  # inspectors shown as unit and certificate only


def test_simulated_results_are_a_fixed_function_of_the_seed() -> None:
    sel = ss.draw(datasets.demo_plan(), datasets.province_labs(), datasets.demo_seed())
    a = simulated_results(sel.to_records(), datasets.demo_seed().hex, Publication())
    b = simulated_results(sel.to_records()[::-1], datasets.demo_seed().hex, Publication())
    assert sorted(a, key=lambda r: (r["task"], r["id"])) == sorted(
        b, key=lambda r: (r["task"], r["id"])
    )
    outcomes = Counter(r["outcome"] for r in a)
    # ~80 % normal over ~500 results: 4σ of a binomial(512, 0.8) is about 36
    assert abs(outcomes["正常"] - 0.8 * len(a)) < 40
    assert all(Publication().is_working_day(dt.date.fromisoformat(r["date"])) for r in a)


def test_demo_command_runs_the_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--limit", "0", "--out", str(tmp_path / "y")]) == 0
    out = capsys.readouterr().out
    assert "抽中的检查对象" in out  # the draw tables come first
    assert out.index("抽中的检查对象") < out.index("一公开：全年流程")
    assert "7. 验证: OK" in out and (tmp_path / "y" / "campaign.jsonl").exists()
    # a folder that already holds a campaign is refused
    assert main(["demo", "--limit", "0", "--out", str(tmp_path / "y")]) == 1
    assert "exists already" in capsys.readouterr().err
    assert main(["demo", "--limit", "0", "--no-year"]) == 0
    assert "一公开" not in capsys.readouterr().out
    assert main(["demo", "--limit", "0", "--seed", "ab" * 16, "--lang", "en"]) == 0
    assert "the year is not run with --seed" in capsys.readouterr().out
