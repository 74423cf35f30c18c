"""The command line: CJK-aware tables, report pieces from hand-made data, and the demo end to end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import shuangsuiji
from shuangsuiji import datasets
from shuangsuiji.cli.main import build_parser, main
from shuangsuiji.cli.tables import (
    display_width,
    drawn_table,
    format_table,
    summary_rows,
    summary_table,
    task_table,
)

PLAN_NAME = "河北省2026年检验检测机构双随机抽查计划"


# -- tables -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "width"),
    [("", 0), ("abc", 3), ("石家庄", 6), ("A级", 3), ("（合计）", 8), ("ＡＢ", 4), ("é", 1)],
)
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


def _column_starts(line: str, cells: list[str]) -> list[int]:
    """Display offsets at which each cell starts in a rendered line."""
    starts, pos = [], 0
    for cell in cells:
        i = line.index(cell, pos)
        starts.append(display_width(line[:i]))
        pos = i + len(cell)
    return starts


def test_format_table_aligns_wide_characters() -> None:
    rows = [["石家庄", "3", "x"], ["tangshan", "12", "yy"], ["张家口市", "100", "z"]]
    text = format_table(["城市", "n", "k"], rows, "lrl")
    lines = text.splitlines()
    assert len(lines) == 2 + len(rows)
    assert lines[1] == "--------  ---  --"
    starts = [_column_starts(line, row) for line, row in zip(lines[2:], rows)]
    assert {(s[0], s[2]) for s in starts} == {(0, 15)}  # left-aligned columns start together
    # the right-aligned numbers end together
    assert {s[1] + display_width(row[1]) for s, row in zip(starts, rows)} == {13}
    assert all(line == line.rstrip() for line in lines)


def test_format_table_rejects_ragged_rows() -> None:
    with pytest.raises(ValueError, match="one entry per header"):
        format_table(["a", "b"], [["1"]])
    with pytest.raises(ValueError, match="one entry per header"):
        format_table(["a", "b"], [["1", "2"]], "l")


# -- report pieces --------------------------------------------------------------------------------
def _stratum(task: str, stratum: str, pop: int, drawn: int, pi: tuple[float, float]) -> dict[str, Any]:
    return {
        "task": task, "stratum": stratum, "design": "srs", "population": pop, "drawn": drawn,
        "expected": float(drawn), "pi_min": pi[0], "pi_max": pi[1], "rate": None,
    }


SUMMARY = [
    _stratum("食品", "city=石家庄", 40, 8, (0.2, 0.2)),
    _stratum("食品", "city=唐山", 10, 3, (0.1, 0.9)),
    _stratum("食品", "city=衡水", 5, 0, (0.0, 0.0)),  # a "left alone" stratum
    _stratum("碳核查", "(all)", 20, 2, (0.1, 0.1)),
]


def test_summary_rows_add_a_total_per_multi_stratum_task() -> None:
    rows = summary_rows(SUMMARY, "zh")
    assert [r[1] for r in rows] == ["city=石家庄", "city=唐山", "city=衡水", "(合计)", "(all)"]
    assert rows[0] == ["食品", "city=石家庄", "srs", "40", "8", "20.0%", "8.00", "0.2000", "0.2000"]
    # the total's π range ignores strata where nothing can be drawn
    assert rows[3] == ["食品", "(合计)", "", "55", "11", "20.0%", "11.00", "0.1000", "0.9000"]
    assert summary_rows(SUMMARY, "en")[3][1] == "(total)"


def test_summary_table_headers() -> None:
    zh = summary_table(SUMMARY, "zh").splitlines()[0].split()
    assert zh == ["任务", "层", "抽样方法", "总数", "抽中", "抽查比例", "期望数(Σπ)", "π最小", "π最大"]
    en = summary_table(SUMMARY, "en").splitlines()[0]
    assert "population" in en and "expected (Σπ)" in en


def test_task_table_sums_strata_per_task() -> None:
    tasks = [{"name": "食品", "kind": "key"}, {"name": "碳核查", "kind": "general"}]
    before = [{**s, "drawn": None} for s in SUMMARY]
    lines = task_table(tasks, before, SUMMARY, "zh").splitlines()
    assert lines[2].split() == ["食品", "重点", "55", "11.00", "11", "20.0%"]
    assert lines[3].split() == ["碳核查", "一般", "20", "2.00", "2", "10.0%"]


def test_drawn_table_joins_the_registry() -> None:
    records = [
        {"task": "食品", "stratum": "city=唐山", "id": "X1", "inclusion_probability": 0.25,
         "prn": 0.0123456789},
        {"task": "食品", "stratum": "city=唐山", "id": "X2", "inclusion_probability": 1.0,
         "prn": 0.5},
    ]
    labs = {"X1": {"name": "唐山华信食品检测有限公司", "city": "唐山", "field": "食品", "credit": "C"}}
    lines = drawn_table(records, labs, "zh").splitlines()
    assert lines[2].split() == [
        "食品", "city=唐山", "X1", "唐山华信食品检测有限公司", "唐山", "食品", "C", "0.2500", "0.012346",
    ]
    assert lines[3].split() == ["食品", "city=唐山", "X2", "1.0000", "0.500000"]  # unknown id


# -- arguments ----------------------------------------------------------------------------------
def test_parser_defaults_and_choices(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["demo"])
    assert (args.lang, args.limit, args.all, args.seed, args.size) == ("zh", 20, False, None, 2600)
    for bad in (["demo", "--lang", "fr"], ["demo", "--limit", "-1"], ["demo", "--size", "0"], []):
        with pytest.raises(SystemExit) as exc:
            build_parser().parse_args(bad)
        assert exc.value.code == 2
    capsys.readouterr()


def test_a_bad_seed_is_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--seed", "abc"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("shuangsuiji demo: error: ") and "hex" in err


# -- the demo end to end ------------------------------------------------------------------------
def _run(*args: str) -> subprocess.CompletedProcess[str]:
    src = str(Path(shuangsuiji.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "shuangsuiji", "demo", *args],
        env=env, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )


def _drawn_rows(stdout: str, title: str) -> list[str]:
    """Data lines of the drawn-targets table (after its title, header and rule)."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[start + 3 :]:
        if not re.match(r"\S+\s+\S+\s+[0-9A-Y]{18}\s", line):
            break
        rows.append(line)
    return rows


@pytest.fixture(scope="module")
def demo_size() -> int:
    """How many targets the demo plan draws, computed in process."""
    targets = datasets.province_labs()
    return len(shuangsuiji.draw(datasets.demo_plan(), targets, datasets.demo_seed()))


def test_demo_prints_everything_drawn(demo_size: int) -> None:
    out = _run("--all")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert f"抽查计划: {PLAN_NAME}" in text
    assert f"随机种子: {datasets.demo_seed().hex}" in text
    assert datasets.province_labs().fingerprint in text
    for source in datasets.DEMO_SEED_SOURCES:
        assert source in text
    for header in ("抽查任务:", "分层抽取结果:", "统一社会信用代码", "入样概率π", "期望数(Σπ)"):
        assert header in text
    for task in datasets.demo_plan()["tasks"]:
        assert task["name"] in text
    assert f"共抽中 {demo_size} 家" in text
    rows = _drawn_rows(text, "抽中的检查对象")
    assert len(rows) == demo_size
    assert "未显示" not in text


def test_demo_limit_and_english_headers(demo_size: int) -> None:
    out = _run("--lang", "en", "--limit", "7")
    assert out.returncode == 0, out.stderr
    assert "Plan: " + PLAN_NAME in out.stdout
    assert len(_drawn_rows(out.stdout, "Drawn targets")) == 7
    assert f"{demo_size - 7} more rows not shown" in out.stdout


def test_demo_seed_override_keeps_the_sizes(demo_size: int) -> None:
    hex_seed = "00" * 16 + "ff" * 16
    out = _run("--seed", hex_seed, "--limit", "0")
    assert out.returncode == 0, out.stderr
    assert f"随机种子: {hex_seed}" in out.stdout and "命令行给定" in out.stdout
    assert f"共抽中 {demo_size} 家" in out.stdout  # fixed-size designs: the seed picks, not counts
    assert _drawn_rows(out.stdout, "抽中的检查对象") == []
