"""The demo's teams section (shuangsuiji.cli.demo_teams): tables from plain data, and the demo run."""

from __future__ import annotations

import io

import shuangsuiji as ss
from shuangsuiji import datasets
from shuangsuiji.cli.demo_teams import demo_teams, load_spread, teams_table, workload_table
from shuangsuiji.cli.main import main

NOTICES = [
    {
        "visit": "V0001",
        "target": "T1",
        "tasks": ["食品", "联合"],
        "items": [],
        "team": [
            {
                "inspector": "A",
                "role": "officer",
                "name": "张三",
                "unit": "市场局",
                "certificate": "1",
            },
            {
                "inspector": "B",
                "role": "officer",
                "name": "李四",
                "unit": "环境厅",
                "certificate": "2",
            },
            {"inspector": "Z", "role": "expert", "name": "王五", "unit": "大学", "certificate": ""},
        ],
    }
]


def test_teams_table() -> None:
    text = teams_table(NOTICES, {"T1": {"name": "某检测站"}}, "zh")
    lines = text.splitlines()
    assert lines[0].split() == [
        "检查",
        "统一社会信用代码",
        "名称",
        "任务",
        "执法人员（单位）",
        "专家",
    ]
    assert "V0001  T1" in lines[2] and "某检测站" in lines[2] and "食品、联合" in lines[2]
    assert "张三（市场局）、李四（环境厅）" in lines[2] and lines[2].endswith("王五")
    assert "食品, 联合" in teams_table(NOTICES, {}, "en")


def test_workload_table_and_spread() -> None:
    summary = [
        {
            "role": "officer",
            "people": 3,
            "visits": 4,
            "min": 0,
            "max": 2,
            "mean": 4 / 3,
            "idle": 1,
            "regime": "balanced",
            "cap": 2,
        },
        {
            "role": "expert",
            "people": 1,
            "visits": 0,
            "min": 0,
            "max": 0,
            "mean": 0.0,
            "idle": 1,
            "regime": "none",
            "cap": None,
        },
    ]
    text = workload_table(summary, "en")
    assert "balanced (at most 2 each)" in text and "1.33" in text and "not needed" in text
    work = [
        {"role": "officer", "active": True, "visits": 2},
        {"role": "officer", "active": True, "visits": 2},
        {"role": "officer", "active": True, "visits": 0},
        {"role": "officer", "active": False, "visits": 0},
    ]
    assert (
        load_spread(work, "officer", "en") == "officers workload spread (visits×people): 0×1  2×2"
    )


def test_demo_prints_teams_and_workload() -> None:
    plan = datasets.demo_plan()
    records = datasets.province_labs_records()
    targets = ss.Targets.from_records(records)
    seed = datasets.demo_seed()
    sel = ss.draw(plan, targets, seed)
    out = io.StringIO()
    demo_teams(out, plan, sel, records, seed, lang="zh", limit=3)
    text = out.getvalue()
    assert "随机选派检查组" in text and f"共 {len(set(sel.ids.tolist()))} 个检查组" in text
    assert "V0001" in text and "V0004" not in text and "检查人员工作量" in text
    assert "执法人员工作量分布" in text and "专家工作量分布" in text


def test_the_demo_command_includes_the_teams(capsys: object) -> None:
    assert main(["demo", "--no-year", "--limit", "2", "--lang", "en"]) == 0
    text = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "Teams (the second random)" in text and "Workload" in text
