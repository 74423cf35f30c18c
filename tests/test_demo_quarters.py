"""The demo's year in four quarterly batches (shuangsuiji.cli.demo_quarters): it runs, verifies,
writes what a member of the public needs to replay it, and the year's rules spread the burden."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

from shuangsuiji.cli import main
from shuangsuiji.cli.demo_quarters import burden_spread, demo_quarters
from shuangsuiji.log import read_log


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("quarters")
    out = io.StringIO()
    assert demo_quarters(out, lang="en", size=2600, folder=folder) == 0
    return folder, out.getvalue()


def test_four_batches_verify(year: tuple[Path, str]) -> None:
    folder, text = year
    assert "verification of the whole year: OK" in text
    assert (
        len(
            re.findall(
                r"^  batch \d: registry \d+ labs, \d+ drawn, \d+ directed checks$",
                text,
                re.MULTILINE,
            )
        )
        == 4
    )
    types = Counter(r.type for r in read_log(folder / "year.jsonl"))
    assert types["batch"] == 3 and types["seed"] == 4 and types["directed"] > 100


def test_the_printed_command_replays_the_year(
    year: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, text = year
    command = text.strip().splitlines()[-1].split()
    assert command[:2] == ["shuangsuiji", "verify"]
    assert main(command[1:]) in (0, 3)  # clean, or warnings only (directed checks over the cap)
    assert "errors" not in capsys.readouterr().out.split("problems:")[0].lower()


def test_the_rules_keep_random_inspections_within_the_cap(year: tuple[Path, str]) -> None:
    _, text = year
    rows = dict(re.findall(r"^\s+(\d+)\s+(\d+)\s+\d+$", text, re.MULTILINE))
    assert int(rows.get("3", "0")) == 0  # the cap is 2 a year: never a third random visit


def test_burden_spread_counts_one_visit_per_batch() -> None:
    assert burden_spread([["a", "a", "b"], ["a"], ["c"]]) == Counter({2: 1, 1: 2})
