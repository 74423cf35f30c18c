"""The §8.11 tables of docs/spec.md are test vectors for the second random: parse and check them
against the fast code and the stdlib reference."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import ref_assign as RA
from spec_text import SPEC, markdown_table

import shuangsuiji as ss
from shuangsuiji.randomness.prn import prn_key
from shuangsuiji.teams.seat_rankings import NS_OFFICERS, Streams, seat_label

SECTION = SPEC[SPEC.index("### 8.11 Test vectors") : SPEC.index("<!-- end of section 8 -->")]


def table(after: str, first_col: str) -> list[list[str]]:
    return markdown_table(SECTION[SECTION.index(after) :], first_col)


def _seed() -> bytes:
    m = re.search(r"Seed: `([0-9a-f]+)`", SECTION)
    assert m
    return bytes.fromhex(m.group(1))


def test_stream_vector() -> None:
    m = re.search(r"Seat stream `([^`]+)\|(\d+)`", SECTION)
    assert m
    target, j = m.group(1), int(m.group(2))
    seed = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
    rows = table("Seat stream", "t")
    for t, x in rows:
        assert RA.h(seed, NS_OFFICERS, f"{target}|{j}|{t}") == int(x, 16)
    order = [int(x) for x in re.search(r"positions `([\d, ]+)`", SECTION).group(1).split(", ")]  # type: ignore[union-attr]
    assert RA.preference(seed, NS_OFFICERS, target, j, len(rows)) == order
    labels = np.array([seat_label(target.encode(), j)], dtype="S")
    streams = Streams(prn_key(seed, NS_OFFICERS), labels, np.array([len(rows)], np.int64))
    assert list(streams.walker(0)) == order
    assert streams.head(4)[0].tolist() == order[:4]
    vals = streams.values(np.array([0], np.intp), 0, len(rows))[0].tolist()
    assert vals == [int(x, 16) for _, x in rows]


def _inputs() -> dict[str, Any]:
    targets = [{"id": i, "field": f, "region": r} for i, f, r in table("Worked assignment", "id")]
    people = []
    for i, unit, region, quals, role, cap, conflicts in table("Inspectors (id", "id"):
        people.append(
            {
                "id": i,
                "name": i,
                "unit": unit,
                "region": region or None,
                "qualifications": quals,
                "role": role,
                "certificate": None if role == "expert" else "C" + i,
                "capacity": int(cap) if cap else None,
                "conflicts": conflicts,
            }
        )
    text = SECTION[SECTION.index("Plan (every") :]
    plan = json.loads(
        text[text.index("```json") + 7 : text.index("```", text.index("```json") + 7)]
    )
    history = json.loads(re.search(r"History: `([^`]+)`", SECTION).group(1))  # type: ignore[union-attr]
    recusals = json.loads(re.search(r"Recusal requests: `([^`]+)`", SECTION).group(1))  # type: ignore[union-attr]
    return {
        "targets": targets,
        "people": people,
        "plan": plan,
        "history": history,
        "recusals": recusals,
    }


def test_worked_assignment() -> None:
    x = _inputs()
    seed = ss.Seed.from_hex(_seed().hex())
    targets = ss.Targets.from_records(x["targets"])
    inspectors = ss.Inspectors.from_records(x["people"])
    sel = ss.draw(x["plan"], targets, seed)
    a = ss.assign(
        x["plan"],
        sel,
        inspectors,
        seed,
        history=[{"inspector": p, "target": t, "date": d} for p, t, d in x["history"]],
        recusals=[tuple(r) for r in x["recusals"]],
    )
    expected = [
        {"visit": v, "task": t, "id": i, "inspector": p, "role": r}
        for v, t, i, p, r in table("Visit order", "visit")
    ]
    keys = ("visit", "task", "id", "inspector", "role")
    assert [{k: r[k] for k in keys} for r in a.to_records()] == expected
    ref = RA.assign_ref(
        x["plan"],
        {t["id"]: t for t in x["targets"]},
        [(r["task"], r["id"]) for r in sel.to_records()],
        inspectors.to_records(),
        seed.value,
        [tuple(h) for h in x["history"]],
        [tuple(r) for r in x["recusals"]],
    )
    assert [{k: r[k] for k in keys} for r in ref["records"]] == expected
    assert ref["regimes"] == {"officer": ("balanced", 2), "expert": ("free", None)}
    assert [(p.role, p.regime, p.cap) for p in a.pools] == [
        ("officer", "balanced", 2),
        ("expert", "free", None),
    ]
    orders = re.search(r"Visit order: (.+?)\. Officers' scan order: (.+?)\.", SECTION)
    assert orders
    visits = re.findall(r"`([^`]+)`", orders.group(1))
    scan = re.findall(r"`([^`]+)`", orders.group(2))
    assert RA.ordered(seed.value, RA.NS_VISITS, sorted(visits)) == visits
    officers = [p["id"] for p in x["people"] if p["role"] == "officer"]
    assert RA.ordered(seed.value, RA.NS_INSPECTORS, officers) == scan
