"""A ``shuangsuiji-campaign/1`` log written by the library before the year's format (issue 9)
must still read, continue and verify exactly as before (docs/spec.md §10.2, §11.5).

``tests/data/campaign-v1.jsonl`` and its checkpoint were written by
``campaign_helpers.full_campaign`` at commit 5fbb2ca (the last commit writing format /1): commit,
reveal, two results, a results record and a correction, on the 300 labs and the demo pool.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from campaign_helpers import inspectors, targets

import shuangsuiji as ss
from shuangsuiji.log.logfile import read_log

DATA = Path(__file__).parent / "data"
V1 = DATA / "campaign-v1.jsonl"
V1_CHECKPOINT = DATA / "campaign-v1.checkpoint.json"


def test_the_v1_fixture_is_format_1() -> None:
    first = next(iter(read_log(V1)))
    assert first.body["format"] == "shuangsuiji-campaign/1"
    assert "batch" not in first.body and "prior" not in first.body


def test_the_v1_fixture_verifies_clean() -> None:
    report = ss.verify(V1, targets(), inspectors(), V1_CHECKPOINT)
    assert report.clean, report.text()
    assert report.summary["replayed"] == "π summary, selection, assignment"
    assert report.summary["results"] == "6 of 37 drawn"


def test_the_v1_fixture_continues_as_format_1(tmp_path: Path) -> None:
    path = tmp_path / "v1.jsonl"
    shutil.copyfile(V1, path)
    with ss.Campaign.open(path, targets(), inspectors()) as c:
        drawn = c.selection_records()[10]
        seq = c.record_result(drawn["id"], "正常", task=drawn["task"], date="2026-03-12",
                              time="2026-03-12T09:00:00+08:00")
    rec = list(read_log(path))[seq]
    assert rec.type == "result"
    assert set(rec.body) == {"task", "id", "outcome", "date", "penalties", "detail"}
    report = ss.verify(path, targets(), inspectors())
    assert report.clean, report.text()
