"""Plan rules in words: one short phrase per task key (where, size, risk, cooloff, team).

The plan dict is validated by ``Plan.from_dict``; here it is only read. A shape this module does
not know (a key added by a later plan schema) is printed as compact JSON rather than dropped, so
a notice never hides part of a published rule.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .document import number_text
from .labels import LABELS, column_label, label

__all__ = [
    "cooloff_text",
    "percent",
    "risk_text",
    "scope_text",
    "size_text",
    "strata_text",
    "team_text",
    "value_text",
]


def percent(rate: float) -> str:
    """A rate as an exact percentage: 0.07 -> ``7%`` (not 7.000000000000001%), 0.125 -> ``12.5%``."""
    d = Decimal(number_text(float(rate))).scaleb(2).normalize()
    return f"{d:f}%"


def value_text(v: Any) -> str:
    """A plain value: numbers exactly, text as is, anything else as compact JSON."""
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, (int, float)):
        return number_text(float(v)) if isinstance(v, float) else str(v)
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _pairs(m: Any, lang: str, fmt: Any = value_text) -> str:
    if not isinstance(m, Mapping):
        return value_text(m)
    return label(lang, "list_sep").join(f"{k} {fmt(v)}" for k, v in m.items())


def _rest(d: Mapping[str, Any], known: Sequence[str]) -> list[str]:
    return [f"{k}={value_text(v)}" for k, v in d.items() if k not in known]


def scope_text(where: Any, lang: str) -> str:
    """``{"field": "食品"}`` -> ``领域 = 食品``; a list value -> ``领域 ∈ {食品、医疗器械}``."""
    if not isinstance(where, Mapping):
        return value_text(where)
    parts = []
    for col, v in where.items():
        name = column_label(lang, str(col))
        if isinstance(v, (list, tuple)):
            parts.append(f"{name} ∈ {{{label(lang, 'list_sep').join(map(value_text, v))}}}")
        else:
            parts.append(f"{name} = {value_text(v)}")
    return label(lang, "and").join(parts)


def strata_text(strata: Any, lang: str) -> str:
    if isinstance(strata, (list, tuple)):
        return label(lang, "list_sep").join(column_label(lang, str(s)) for s in strata)
    return value_text(strata)


def _choice(lang: str, prefix: str, v: Any) -> str:
    key = f"{prefix}.{v}"
    return (
        label(lang, key)
        if isinstance(v, str) and key in LABELS[lang]
        else f"{prefix}={value_text(v)}"
    )


def size_text(size: Any, lang: str) -> str:
    """The size rule of ``Size.to_dict()`` in words."""
    if not isinstance(size, Mapping):
        return value_text(size)
    parts: list[str] = []
    if size.get("census") is True:
        parts.append(label(lang, "size.census"))
    if "per_stratum" in size:
        parts.append(label(lang, "size.per_stratum", items=_pairs(size["per_stratum"], lang)))
    if "total" in size:
        parts.append(label(lang, "size.total", n=value_text(size["total"])))
        if "allocation" in size:
            parts.append(_choice(lang, "allocation", size["allocation"]))
        if "anticipated" in size:
            parts.append(f"p: {_pairs(size['anticipated'], lang)}")
        if size.get("minimum"):
            parts.append(label(lang, "allocation.minimum", n=value_text(size["minimum"])))
    else:
        if isinstance(size.get("rate"), (int, float)):
            parts.append(label(lang, "size.rate", rate=percent(size["rate"])))
        if size.get("minimum"):
            parts.append(label(lang, "size.minimum", n=value_text(size["minimum"])))
        if "rounding" in size:
            parts.append(_choice(lang, "rounding", size["rounding"]))
    known = [
        "census",
        "per_stratum",
        "total",
        "allocation",
        "anticipated",
        "minimum",
        "rate",
        "rounding",
    ]
    parts += _rest(size, known)
    return label(lang, "clause_sep").join(parts)


def risk_text(risk: Any, lang: str) -> str:
    if not isinstance(risk, Mapping):
        return value_text(risk)
    column = column_label(lang, str(risk.get("column", "")))
    if "rates" in risk and isinstance(risk["rates"], Mapping):
        text = label(lang, "risk.rates", column=column, items=_pairs(risk["rates"], lang, percent))
    elif "weights" in risk:
        text = label(lang, "risk.weights", column=column, items=_pairs(risk["weights"], lang))
    else:
        text = label(lang, "risk.column", column=column)
    rest = _rest(risk, ["column", "rates", "weights"])
    return label(lang, "clause_sep").join([text, *rest])


def cooloff_text(cooloff: Any, lang: str) -> str:
    if not isinstance(cooloff, Mapping) or not {"column", "days", "as_of"} <= set(cooloff):
        return value_text(cooloff)
    text = label(
        lang,
        "cooloff",
        days=value_text(cooloff["days"]),
        as_of=value_text(cooloff["as_of"]),
        column=column_label(lang, str(cooloff["column"])),
    )
    return label(lang, "clause_sep").join([text, *_rest(cooloff, ["column", "days", "as_of"])])


def team_text(team: Any, lang: str) -> str:
    """The team rules of the plan schema (issue 3: officers, experts, match, cross_region,
    departments, rotation_days) in words; unknown keys as ``key=value``."""
    if not isinstance(team, Mapping):
        return value_text(team)
    parts: list[str] = []
    if "officers" in team:
        parts.append(label(lang, "team.officers", n=value_text(team["officers"])))
    if team.get("experts"):
        parts.append(label(lang, "team.experts", n=value_text(team["experts"])))
    match = team.get("match")
    if isinstance(match, Mapping) and "column" in match:
        who = "any" if match.get("who") == "any" else "all"
        parts.append(
            label(lang, f"team.match.{who}", column=column_label(lang, str(match["column"])))
        )
    elif match is not None:
        parts.append(f"match={value_text(match)}")
    if team.get("cross_region") is True:
        parts.append(label(lang, "team.cross_region"))
    if team.get("rotation_days"):
        parts.append(label(lang, "team.rotation", n=value_text(team["rotation_days"])))
    deps = team.get("departments")
    if isinstance(deps, (list, tuple)) and deps:
        parts.append(
            label(
                lang, "team.departments", items=label(lang, "list_sep").join(map(value_text, deps))
            )
        )
    known = ["officers", "experts", "match", "cross_region", "rotation_days", "departments"]
    rest = [
        f"{k}={value_text(v)}"
        for k, v in team.items()
        if k not in known or (k == "cross_region" and v not in (True, False))
    ]
    return label(lang, "part_sep").join(parts + rest)
