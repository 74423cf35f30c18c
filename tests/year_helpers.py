"""A fixed second batch of a year, with the cap, the spread and the coverage all in force, for
the reference, Monte Carlo and property tests of the burden (docs/spec.md §11.4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

DEPTS = ["市场监管局", "生态环境局"]
DAY = dt.date(2026, 7, 1)


def registry(n: int = 24) -> list[dict[str, Any]]:
    """``n`` enterprises: credit class A–D, two cities, a numeric weight 0–4."""
    return [
        {"id": f"91130100MA{i:08d}", "credit": "ABCD"[i % 4], "city": "xy"[i % 2], "w": float(i % 5)}
        for i in range(n)
    ]


def _days(day: dt.date, *back: int) -> list[dt.date]:
    return [day - dt.timedelta(days=k) for k in back]


# per enterprise i, by i % 6: (kind, days back, department index) of its inspections
_PATTERN = [
    [("random", 30, 0), ("random", 150, 0)],  # at the cap for department 0's tasks
    [("random", 120, 0), ("directed", 260, 1)],  # once for each department: not capped
    [("directed", 40, 1), ("directed", 90, 1)],  # at the cap for department 1's tasks
    [("prior", 1100, 0)],  # not inspected for 2 years: overdue, certain
    [("prior", 550, 1)],  # covered, not recent
    [("random", 100, 1)],  # recent: spared (except class D)
]


def history(rows: list[dict[str, Any]], day: dt.date = DAY) -> list[dict[str, Any]]:
    """Inspections by the pattern above, plus one of an enterprise that left the registry."""
    out = [
        {"id": str(r["id"]), "date": d, "kind": kind, "departments": [DEPTS[dep]]}
        for i, r in enumerate(rows)
        for kind, back, dep in _PATTERN[i % 6]
        for d in _days(day, back)
    ]
    out.append({"id": "91130100MA99999999", "date": day - dt.timedelta(days=9),
                "kind": "directed", "departments": [DEPTS[0]]})
    return out


YEAR = {
    "departments": DEPTS,
    "cap": {"per_year": 2, "scope": "department", "directed": True},
    "spread": {"days": 200, "factor": 0.25, "except": {"column": "credit", "values": ["D"]}},
    "coverage": {"years": 2, "certain": True},
}

TASKS = [
    {"name": "srs", "department": DEPTS[0], "strata": ["city"],
     "size": {"rate": 0.3, "rounding": "random"}},
    {"name": "cls", "department": DEPTS[1],
     "risk": {"column": "credit", "weights": {"A": 0, "B": 1, "C": 2, "D": 4}},
     "size": {"rate": 0.25, "rounding": "random"}},
    {"name": "col", "department": DEPTS[0], "risk": {"column": "w"}, "size": {"total": 4}},
    {"name": "rates", "department": DEPTS[1],
     "risk": {"column": "credit", "rates": {"A": 0, "B": 0.2, "C": 0.5, "D": 1}}},
]


def batch_two(n: int = 24) -> dict[str, Any]:
    """Registry rows, plan (with its year rules), batch day, horizon and history."""
    rows = registry(n)
    return {
        "rows": rows,
        "plan": {"name": "第二批", "year": YEAR, "tasks": TASKS},
        "day": DAY,
        "horizon": DAY - dt.timedelta(days=800),
        "history": history(rows),
    }
