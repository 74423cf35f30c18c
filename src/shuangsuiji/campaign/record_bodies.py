"""The bodies of campaign records: plain JSON data built from the library's values.

One function per record type builds its body; :class:`~shuangsuiji.Campaign` writes them and
:func:`~shuangsuiji.verify` rebuilds them from a replay and compares. The layouts are specified
in docs/spec.md §10. Two rules keep bodies exact and compact:

- **Floats as exact text.** A probability or rate is written as a string holding the number
  exactly as RFC 8785 writes a binary64 (ECMAScript ``Number.prototype.toString``: the shortest
  decimal that reads back as the same binary64), e.g. ``"0.3"``, ``"1"``, ``"0.00001"``. As text
  it survives any JSON reader unchanged, and compares as text. A 64-bit PRN is 16 lower-case
  hex digits. (The plan itself is stored as the plan dict, whose floats RFC 8785 keeps exact.)
- **Selections are columns.** A selection of 100,000 rows is one record whose ``rows`` object
  holds one array per column, not 100,000 records, so writing, reading and comparing it is a
  handful of list operations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .._util.times import parse_date
from ..log.canonical import number_text
from ..sampling.selection import Selection, StratumSummary

__all__ = [
    "DIRECTED_KEYS",
    "DIRECTED_REASONS",
    "FORMAT",
    "FORMATS",
    "FORMAT_1",
    "REASON_ALIASES",
    "RESULT_KEYS",
    "YEAR_RESULT_KEYS",
    "YEAR_TYPES",
    "directed_problem",
    "exact",
    "exact_list",
    "hex64",
    "result_keys",
    "results_body",
    "selection_body",
    "selection_records",
    "strata_body",
]

FORMAT = "shuangsuiji-campaign/2"
"""The format new logs are written in: the year, batch after batch (docs/spec.md §11.5)."""
FORMAT_1 = "shuangsuiji-campaign/1"
"""The single-batch format (docs/spec.md §10), still read, continued and verified."""
FORMATS = (FORMAT_1, FORMAT)

RESULT_KEYS = ("task", "id", "outcome", "date", "penalties", "detail")
"""The fields of a result, in a ``result`` body and as the columns of a ``results`` body
(format /1)."""
YEAR_RESULT_KEYS = (*RESULT_KEYS, "batch", "directed")
"""Format /2: a result also names its batch (a random visit; ``directed`` null) or the seq of
its ``directed`` record (``batch`` and ``task`` null), docs/spec.md §11.6."""

DIRECTED_KEYS = ("id", "reason", "source", "department", "date")
"""The members of a ``directed`` body (docs/spec.md §11.6)."""
DIRECTED_REASONS = ("投诉举报", "转办交办", "监测发现", "其他")
"""Why a directed (non-random) check was made: complaint or report, referral, a lead found by
monitoring, other."""
REASON_ALIASES = {
    "complaint": "投诉举报",
    "referral": "转办交办",
    "monitoring": "监测发现",
    "other": "其他",
}
"""English names accepted for :data:`DIRECTED_REASONS`; the log stores the Chinese."""


YEAR_TYPES = ("batch", "directed")
"""Record types of format /2 only."""


def directed_problem(body: Mapping[str, Any]) -> str | None:
    """What is wrong with a ``directed`` body's form (docs/spec.md §11.6), or None: exactly the
    members of :data:`DIRECTED_KEYS`; ``id``, ``source`` text; ``reason`` one of
    :data:`DIRECTED_REASONS`; ``department`` text or null; ``date`` a ``YYYY-MM-DD`` day."""
    if set(body) != set(DIRECTED_KEYS):
        return f"has members {sorted(body)}, not {sorted(DIRECTED_KEYS)}"
    if body["reason"] not in DIRECTED_REASONS:
        return f"has reason {body['reason']!r}, not one of {list(DIRECTED_REASONS)}"
    for k in ("id", "source"):
        if not isinstance(body[k], str) or not body[k]:
            return f"has {k} {body[k]!r}, not text"
    if body["department"] is not None and not isinstance(body["department"], str):
        return f"has department {body['department']!r}, not text"
    date = body["date"]
    if not isinstance(date, str) or len(date) != 10:
        return f"has date {date!r}, not YYYY-MM-DD"
    try:
        parse_date(date, "date")
    except ValueError:
        return f"has date {date!r}, not YYYY-MM-DD"
    return None


def result_keys(version: int) -> tuple[str, ...]:
    """The fields of a result row in a log of format ``/version``."""
    return RESULT_KEYS if version == 1 else YEAR_RESULT_KEYS


def exact(x: float) -> str:
    """A binary64 as RFC 8785 writes it (the shortest decimal that reads back exactly)."""
    x = float(x)
    if 1e-4 <= abs(x) < 1e16 and not x.is_integer():
        return repr(x)  # the same text in this range, and much faster
    return number_text(x)


def exact_list(values: npt.NDArray[np.float64]) -> list[str]:
    """:func:`exact` of every value (``repr`` where it already agrees, found with numpy)."""
    v = np.asarray(values, dtype=np.float64)
    out = list(map(repr, v.tolist()))
    a = np.abs(v)
    for i in np.flatnonzero((a < 1e-4) | (a >= 1e16) | (v == np.floor(v))).tolist():
        out[i] = number_text(float(v[i]))
    return out


def hex64(h: npt.NDArray[np.uint64]) -> list[str]:
    """Each 64-bit value as 16 lower-case hex digits (big-endian), in one vectorised pass."""
    text = np.ascontiguousarray(h, dtype=">u8").tobytes().hex()
    return [text[i : i + 16] for i in range(0, len(text), 16)]


def strata_body(strata: Sequence[StratumSummary], *, drawn: bool) -> list[dict[str, Any]]:
    """Per (task, stratum): design, population, possible sizes, expected size Σπ, π range, rate.

    With ``drawn`` each entry also carries the realised size. Floats are exact text.
    """
    out = []
    for s in strata:
        d: dict[str, Any] = {
            "task": s.task,
            "stratum": s.stratum,
            "design": s.design,
            "population": s.population,
            "size": list(s.size),
            "expected": exact(s.expected),
            "pi_min": exact(s.pi_min),
            "pi_max": exact(s.pi_max),
            "rate": None if s.rate is None else exact(s.rate),
        }
        if drawn:
            d["drawn"] = s.drawn
        out.append(d)
    return out


def selection_body(sel: Selection) -> dict[str, Any]:
    """The selection record: the per-stratum summary and one array per column.

    ``rows.stratum`` indexes ``strata`` (which names the task), ``rows.id`` is the target ID,
    ``rows.pi`` its inclusion probability (exact text) and ``rows.prn`` the 64-bit PRN ``h`` that
    decided it (hex). Rows are in the selection's order: task, cell, then PRN (docs/spec.md §6.5).
    """
    keys = [(s.task, s.stratum) for s in sel.strata]
    index = {k: i for i, k in enumerate(keys)}
    tasks = sel.task_names.tolist()
    strata = sel.stratum.tolist()
    return {
        "count": len(sel),
        "algorithm": sel.algorithm,
        "strata": strata_body(sel.strata, drawn=True),
        "rows": {
            "stratum": [index[(t, s)] for t, s in zip(tasks, strata)],
            "id": sel.ids.tolist(),
            "pi": exact_list(sel.pi),
            "prn": hex64(sel.prn_int),
        },
    }


def results_body(rows: Sequence[Mapping[str, Any]], version: int = 1) -> dict[str, Any]:
    """The ``results`` body: checked result rows as columns, one per :func:`result_keys`."""
    keys = result_keys(version)
    return {"count": len(rows), "rows": {k: [r[k] for r in rows] for k in keys}}


def selection_records(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The selection's records (task, stratum, id, inclusion_probability, prn) from its body.

    ``prn`` is the float view of ``h`` (docs/spec.md §3), as in ``Selection.to_records()``.
    """
    strata = body["strata"]
    rows = body["rows"]
    h = np.array([int(x, 16) for x in rows["prn"]], dtype=np.uint64)
    prn = ((h >> np.uint64(12)).astype(np.float64) * 2.0**-52 + 2.0**-53).tolist()
    return [
        {
            "task": strata[k]["task"],
            "stratum": strata[k]["stratum"],
            "id": i,
            "inclusion_probability": float(p),
            "prn": f,
        }
        for k, i, p, f in zip(rows["stratum"], rows["id"], rows["pi"], prn)
    ]


def drawn_pairs(body: Mapping[str, Any]) -> dict[tuple[str, str], int]:
    """``{(task, id): row}`` of a selection body."""
    strata = body["strata"]
    rows = body["rows"]
    return {
        (strata[k]["task"], i): r for r, (k, i) in enumerate(zip(rows["stratum"], rows["id"]))
    }


def iso_date(value: Any, what: str) -> str:
    """``YYYY-MM-DD`` from a date or such text; datetimes are refused (a date is meant)."""
    return parse_date(value, what).isoformat()

