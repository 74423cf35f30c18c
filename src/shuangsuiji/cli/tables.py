"""Plain-text tables for the terminal, padded by display width so Chinese columns line up:
the demo's per-task and per-stratum tables and its list of drawn labs."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "LABELS",
    "display_width",
    "drawn_table",
    "format_table",
    "summary_rows",
    "summary_table",
    "task_table",
]

# -- text tables ------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """Terminal columns taken by ``text``: 2 for wide and full-width characters, else 1.

    East Asian "ambiguous" characters count as 1, as in most non-CJK terminal fonts; combining
    marks count as 0.
    """
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, align: str) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if align == "r" else text + gap


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None
) -> str:
    """A plain-text table: header, a rule of dashes, then rows; columns two spaces apart.

    ``align`` holds one character per column, ``"l"`` or ``"r"`` (default: all left). Cells are
    strings (format numbers first); trailing spaces are stripped from every line.
    """
    ncol = len(headers)
    align = align or "l" * ncol
    if len(align) != ncol or any(len(r) != ncol for r in rows):
        raise ValueError("every row and the align string need one entry per header")
    widths = [display_width(h) for h in headers]
    for r in rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, r)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(_pad(c, w, a) for c, w, a in zip(cells, widths, align)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


# -- labels -----------------------------------------------------------------------------------

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "plan": "抽查计划",
        "registry": "检查对象名录库",
        "rows": "家",
        "fingerprint": "指纹",
        "seed": "随机种子",
        "sources": "公开随机源（事先公告）",
        "key_string": "RFC 3797 键串",
        "seed_given": "命令行给定",
        "tasks": "抽查任务",
        "strata": "分层抽取结果",
        "drawn_title": "抽中的检查对象",
        "task": "任务",
        "kind": "类型",
        "key": "重点",
        "general": "一般",
        "stratum": "层",
        "design": "抽样方法",
        "population": "总数",
        "drawn": "抽中",
        "rate": "抽查比例",
        "expected": "期望数(Σπ)",
        "pi_min": "π最小",
        "pi_max": "π最大",
        "pi_before": "事先公布的Σπ",
        "total": "合计",
        "id": "统一社会信用代码",
        "name": "名称",
        "city": "城市",
        "field": "领域",
        "credit": "信用等级",
        "pi": "入样概率π",
        "prn": "随机数",
        "more": "另有 {n} 条未显示（--all 显示全部）",
        "count": "共抽中 {n} 家",
    },
    "en": {
        "plan": "Plan",
        "registry": "Target registry",
        "rows": "targets",
        "fingerprint": "fingerprint",
        "seed": "Seed",
        "sources": "Public randomness sources (announced in advance)",
        "key_string": "RFC 3797 key string",
        "seed_given": "given on the command line",
        "tasks": "Tasks",
        "strata": "Draw by stratum",
        "drawn_title": "Drawn targets",
        "task": "task",
        "kind": "kind",
        "key": "key",
        "general": "general",
        "stratum": "stratum",
        "design": "design",
        "population": "population",
        "drawn": "drawn",
        "rate": "rate",
        "expected": "expected (Σπ)",
        "pi_min": "π min",
        "pi_max": "π max",
        "pi_before": "Σπ (before seed)",
        "total": "total",
        "id": "id",
        "name": "name",
        "city": "city",
        "field": "field",
        "credit": "credit",
        "pi": "π",
        "prn": "PRN",
        "more": "{n} more rows not shown (--all shows them)",
        "count": "{n} targets drawn",
    },
}


# -- report pieces (pure functions of plain data, unit-tested without a draw) ------------------


def _fmt_pi(p: float) -> str:
    return f"{p:.4f}"


def summary_rows(summary: Sequence[Mapping[str, Any]], lang: str = "zh") -> list[list[str]]:
    """Rows of the per-stratum table from ``Selection.summary()``, with a total row per task.

    Input dicts carry task, stratum, design, population, drawn, expected (Σπ), pi_min and pi_max;
    the rate shown is drawn / population. Tasks keep their order of first appearance; a task
    with more than one stratum gets a total row whose π range spans its strata.
    """
    lab = LABELS[lang]
    by_task: dict[str, list[Mapping[str, Any]]] = {}
    for s in summary:
        by_task.setdefault(str(s["task"]), []).append(s)
    out: list[list[str]] = []
    for task, group in by_task.items():
        out += [_stratum_row(task, str(s["stratum"]), str(s.get("design", "")), s) for s in group]
        if len(group) > 1:
            drawn_pi = [s for s in group if float(s["pi_max"]) > 0] or group
            total = {
                "population": sum(int(s["population"]) for s in group),
                "drawn": sum(int(s["drawn"]) for s in group),
                "expected": sum(float(s["expected"]) for s in group),
                "pi_min": min(float(s["pi_min"]) for s in drawn_pi),
                "pi_max": max(float(s["pi_max"]) for s in drawn_pi),
            }
            out.append(_stratum_row(task, f"({lab['total']})", "", total))
    return out


def _stratum_row(task: str, stratum: str, design: str, s: Mapping[str, Any]) -> list[str]:
    pop, drawn = int(s["population"]), int(s["drawn"])
    return [
        task,
        stratum,
        design,
        str(pop),
        str(drawn),
        f"{drawn / pop:.1%}" if pop else "-",
        f"{float(s['expected']):.2f}",
        _fmt_pi(float(s["pi_min"])),
        _fmt_pi(float(s["pi_max"])),
    ]


def summary_table(summary: Sequence[Mapping[str, Any]], lang: str = "zh") -> str:
    """The per-task, per-stratum table as text."""
    lab = LABELS[lang]
    keys = (
        "task", "stratum", "design", "population", "drawn", "rate", "expected", "pi_min", "pi_max"
    )
    return format_table([lab[k] for k in keys], summary_rows(summary, lang), "lllrrrrrr")


def drawn_table(
    records: Sequence[Mapping[str, Any]],
    targets: Mapping[str, Mapping[str, Any]],
    lang: str = "zh",
) -> str:
    """The drawn targets: the selection's records joined to the registry rows by ``id``."""
    lab = LABELS[lang]
    keys = ("task", "stratum", "id", "name", "city", "field", "credit", "pi", "prn")
    rows = []
    for r in records:
        t = targets.get(str(r["id"]), {})
        rows.append(
            [
                str(r["task"]),
                str(r["stratum"]),
                str(r["id"]),
                str(t.get("name", "")),
                str(t.get("city", "")),
                str(t.get("field", "")),
                str(t.get("credit", "")),
                _fmt_pi(float(r["inclusion_probability"])),
                f"{float(r['prn']):.6f}",
            ]
        )
    return format_table([lab[k] for k in keys], rows, "lllllllrr")


def task_table(
    tasks: Sequence[Mapping[str, Any]],
    before: Sequence[Mapping[str, Any]],
    after: Sequence[Mapping[str, Any]],
    lang: str = "zh",
) -> str:
    """One row per task: kind, eligible population, Σπ published before the seed, drawn, rate.

    ``tasks`` are the plan's task dicts; ``before`` is ``inclusion_probabilities(...).summary()``
    and ``after`` is ``Selection.summary()`` (per-stratum dicts, summed here per task).
    """
    lab = LABELS[lang]

    def total(summary: Sequence[Mapping[str, Any]], task: str, key: str) -> float:
        return sum(float(s[key]) for s in summary if s["task"] == task)

    rows = []
    for t in tasks:
        name, kind = str(t["name"]), str(t.get("kind", "key"))
        pop, drawn = int(total(before, name, "population")), int(total(after, name, "drawn"))
        rows.append(
            [
                name,
                lab.get(kind, kind),
                str(pop),
                f"{total(before, name, 'expected'):.2f}",
                str(drawn),
                f"{drawn / pop:.1%}" if pop else "-",
            ]
        )
    keys = ("task", "kind", "population", "pi_before", "drawn", "rate")
    return format_table([lab[k] for k in keys], rows, "llrrrr")
