"""verify applies the campaign's rules on times, dates and publication (docs/spec.md §10.1,
§10.7, §10.8): what ``Campaign`` refuses to write, a forged log cannot pass either."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from campaign_helpers import Entries, forge, full_campaign, only, verify_log

from shuangsuiji.log import Checkpoint, Log


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Checkpoint, dict[str, Any]]:
    """Records: 0 commitment, 1 seed, 2 selection, 3 assignment (2026-01-12 10:00 +08:00),
    4 and 5 results (2026-02-10 09:00 and 09:05), 6 a batch (2026-03-10), 7 a correction."""
    path = tmp_path_factory.mktemp("campaign") / "c.jsonl"
    facts = full_campaign(path)
    with Log.open(path) as log:
        cp = log.checkpoint()
    return path, cp, facts


# -- times never decrease; results come after the reveal (issue: verify lagged Campaign) ----------
def test_a_time_before_the_previous_record_is_an_error(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, _, _ = campaign

    def earlier(entries: Entries) -> None:
        entries[5][2] = "2026-02-10T08:00:00+08:00"  # record 4 is at 09:00 the same day

    report = verify_log(forge(tmp_path, path, earlier))
    only(report, 5, "time", "record 5's time 2026-02-10T08:00:00+08:00", "record 4's")
    assert [p.seq for p in report.errors] == [5], report.text()

    def swapped(entries: Entries) -> None:
        # the batch and the correction published in the wrong order, chain recomputed
        entries[6][2] = "2026-03-05T09:00:00+08:00"
        entries[7][2] = "2026-02-20T09:00:00+08:00"

    report = verify_log(forge(tmp_path, path, swapped))
    only(report, 7, "time", "2026-02-20T09:00:00+08:00", "before record 6's")


def test_a_result_concluded_before_the_reveal_is_an_error(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, _, _ = campaign

    def early(entries: Entries) -> None:
        entries[5][1]["date"] = "2026-01-09"  # the seed was revealed on 2026-01-12

    report = verify_log(forge(tmp_path, path, early))
    only(report, 5, "result", "dated 2026-01-09", "before the draw was revealed", "2026-01-12")
    assert not [p for p in report.problems if p.code == "deadline"], report.text()
