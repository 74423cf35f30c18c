"""The demo's teams: who inspects each drawn lab (the second random) and how the work spreads.

Pure functions of plain data (``Assignment.notices()``, ``workload()``, ``workload_summary()``),
unit-tested without a draw, plus :func:`demo_teams`, which the ``demo`` subcommand calls after
its draw tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

import shuangsuiji as ss

from .. import datasets
from .tables import format_table

__all__ = ["TEAM_LABELS", "demo_teams", "load_spread", "teams_table", "workload_table"]

TEAM_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "随机选派检查组（第二个随机）",
        "visit": "检查",
        "id": "统一社会信用代码",
        "name": "名称",
        "tasks": "任务",
        "officers": "执法人员（单位）",
        "experts": "专家",
        "work_title": "检查人员工作量",
        "role": "人员类别",
        "officer": "执法人员",
        "expert": "专家",
        "people": "在岗人数",
        "visits": "检查人次",
        "min": "最少",
        "max": "最多",
        "mean": "平均",
        "idle": "未派",
        "regime": "派员方式",
        "free": "自由随机（容量未约束）",
        "balanced": "均衡（每人最多 {cap} 次）",
        "none": "无需",
        "spread": "{role}工作量分布（次数×人数）",
        "more": "另有 {n} 个检查组未显示（--all 显示全部）",
        "count": "共 {n} 个检查组",
        "sep": "、",
    },
    "en": {
        "title": "Teams (the second random)",
        "visit": "visit",
        "id": "id",
        "name": "name",
        "tasks": "tasks",
        "officers": "officers (unit)",
        "experts": "experts",
        "work_title": "Workload",
        "role": "role",
        "officer": "officers",
        "expert": "experts",
        "people": "active",
        "visits": "visits",
        "min": "min",
        "max": "max",
        "mean": "mean",
        "idle": "idle",
        "regime": "regime",
        "free": "free (capacities did not bind)",
        "balanced": "balanced (at most {cap} each)",
        "none": "not needed",
        "spread": "{role} workload spread (visits×people)",
        "more": "{n} more teams not shown (--all shows them)",
        "count": "{n} teams",
        "sep": ", ",
    },
}


def teams_table(
    notices: Sequence[Mapping[str, Any]],
    targets: Mapping[str, Mapping[str, Any]],
    lang: str = "zh",
) -> str:
    """One row per visit: visit ID, target ID and name, tasks, officers (with unit), experts."""
    lab = TEAM_LABELS[lang]
    rows = []
    for v in notices:
        team = v["team"]
        officers = [f"{m['name']}（{m['unit']}）" for m in team if m["role"] == "officer"]
        experts = [str(m["name"]) for m in team if m["role"] == "expert"]
        rows.append(
            [
                str(v["visit"]),
                str(v["target"]),
                str(targets.get(str(v["target"]), {}).get("name", "")),
                lab["sep"].join(v["tasks"]),
                lab["sep"].join(officers),
                lab["sep"].join(experts),
            ]
        )
    keys = ("visit", "id", "name", "tasks", "officers", "experts")
    return format_table([lab[k] for k in keys], rows)


def workload_table(summary: Sequence[Mapping[str, Any]], lang: str = "zh") -> str:
    """Per role: active people, visits, min/max/mean load, idle people and the regime."""
    lab = TEAM_LABELS[lang]
    rows = []
    for s in summary:
        regime = lab[str(s["regime"])].format(cap=s["cap"])
        rows.append(
            [
                lab[str(s["role"])],
                str(s["people"]),
                str(s["visits"]),
                str(s["min"]),
                str(s["max"]),
                f"{float(s['mean']):.2f}",
                str(s["idle"]),
                regime,
            ]
        )
    keys = ("role", "people", "visits", "min", "max", "mean", "idle", "regime")
    return format_table([lab[k] for k in keys], rows, "lrrrrrrl")


def load_spread(workload: Sequence[Mapping[str, Any]], role: str, lang: str = "zh") -> str:
    """``"0×17  1×20  2×31 ..."``: how many active people of ``role`` carry each load."""
    lab = TEAM_LABELS[lang]
    counts = Counter(int(w["visits"]) for w in workload if w["role"] == role and w["active"])
    spread = "  ".join(f"{k}×{counts[k]}" for k in sorted(counts))
    return f"{lab['spread'].format(role=lab[role])}: {spread}"


def demo_teams(
    out: TextIO,
    plan: Mapping[str, Any],
    selection: Any,
    records: Sequence[Mapping[str, Any]],
    seed: Any,
    *,
    lang: str = "zh",
    limit: int = 20,
    show_all: bool = False,
) -> None:
    """Assign the demo pool's teams to the drawn labs and print them with the workload."""
    lab = TEAM_LABELS[lang]
    teams = ss.assign(
        plan,
        selection,
        datasets.province_inspectors(),
        seed,
        history=datasets.inspection_history(),
    )
    notices = teams.notices()
    shown = notices if show_all else notices[:limit]

    def p(*parts: object) -> None:
        print(*parts, file=out)

    p(f"{lab['title']} ({lab['count'].format(n=len(notices))}):")
    p(teams_table(shown, {str(r["id"]): r for r in records}, lang))
    if len(shown) < len(notices):
        p(lab["more"].format(n=len(notices) - len(shown)))
    p("")
    p(f"{lab['work_title']}:")
    p(workload_table(teams.workload_summary(), lang))
    work = teams.workload()
    for role in ("officer", "expert"):
        p(load_spread(work, role, lang))
    p("")
