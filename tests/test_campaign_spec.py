"""docs/spec.md §10: its vectors, and the selection body rebuilt by the stdlib reference draw.

The vectors are parsed from the spec itself, so the document and the code cannot drift apart.
The reference rebuild uses ``tests/ref_draw.py`` (the draw from the spec in plain Python),
``tests/reference.py`` (SipHash PRNs) and the ``rfc8785`` package for number text: none of the
library's encoding code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import ref_draw
import rfc8785
from hypothesis import HealthCheck, given, settings
from reference import prn_int

import shuangsuiji as ss
from shuangsuiji import strategies as sst
from shuangsuiji.campaign import record_bodies as B
from shuangsuiji.log import canonical
from shuangsuiji.plan.publication_rules import Publication

SPEC = (Path(__file__).resolve().parent.parent / "docs" / "spec.md").read_text(encoding="utf-8")
SECTION = SPEC[SPEC.index("## 10. Campaign records") :]

VECTOR_ROWS = [
    ("91130100MA0C0000X0", "石家庄", "A"), ("91130100MA0C0001X1", "石家庄", "B"),
    ("91130100MA0C0002X2", "石家庄", "C"), ("91130100MA0C0003X3", "石家庄", "D"),
    ("91130100MA0C0004X4", "石家庄", "A"), ("91130100MA0C0005X5", "石家庄", "B"),
    ("91130100MA0C0006X6", "石家庄", "C"), ("91130100MA0C0007X7", "保定", "D"),
    ("91130100MA0C0008X8", "保定", "A"), ("91130100MA0C0009X9", "保定", "B"),
    ("91130100MA0C0010X0", "保定", "C"), ("91130100MA0C0011X1", "保定", "D"),
]
VECTOR_PLAN = {"name": "vector", "tasks": [
    {"name": "srs", "strata": ["city"], "size": {"rate": 0.3, "rounding": "random"}},
    {"name": "pips", "strata": ["city"], "size": {"per_stratum": {"石家庄": 3, "保定": 2}},
     "risk": {"column": "credit", "weights": {"A": 1, "B": 2, "C": 4, "D": 8}}}]}
VECTOR_SEED = bytes(range(16))


def test_selection_vector() -> None:
    block = re.search(r"the draw of §6\.6 gives.*?```json\n(.*?)```", SECTION, re.DOTALL)
    digest = re.search(r"is ([\d,]+) bytes\s+with\s+SHA-256 `([0-9a-f]{64})`", SECTION)
    assert block and digest
    published = json.loads(block.group(1))
    targets = ss.Targets.from_records(
        [{"id": i, "city": c, "credit": k} for i, c, k in VECTOR_ROWS]
    )
    body = B.selection_body(ss.draw(VECTOR_PLAN, targets, ss.Seed(VECTOR_SEED)))
    assert body == published
    line = canonical.dumps(body)
    assert line == rfc8785.dumps(published)
    assert len(line) == int(digest.group(1).replace(",", ""))
    assert hashlib.sha256(line).hexdigest() == digest.group(2)
    # the rows are the drawn table of §6.6
    assert [(s["task"], s["stratum"]) for s in body["strata"]][:2] == [
        ("srs", "city=保定"), ("srs", "city=石家庄")
    ]


def test_drand_vector() -> None:
    chain = re.search(r"chain\s+`([0-9a-f]{64})`, round (\d+)", SECTION)
    row = re.search(r"\| `([0-9a-f]{96})` \| `([0-9a-f]{64})` \|", SECTION)
    assert chain and row
    seed = ss.Seed.from_beacon(chain.group(1), int(chain.group(2)), row.group(1))
    assert seed.hex == row.group(2) == hashlib.sha256(bytes.fromhex(row.group(1))).hexdigest()
    ss.Randomness.beacon(chain.group(1), int(chain.group(2))).check(seed)


def _deadline_rows() -> list[tuple[str, str, str]]:
    table = SECTION[SECTION.index("| calendar | concluded | due (n = 20) |") :]
    rows = re.findall(r"^\| (.+?) \| (\d{4}-\d\d-\d\d) \| (\d{4}-\d\d-\d\d) \|$", table, re.MULTILINE)
    assert len(rows) == 6
    return rows


@pytest.mark.parametrize(("calendar", "concluded", "due"), _deadline_rows())
def test_deadline_vectors(calendar: str, concluded: str, due: str) -> None:
    rules: dict[str, Any] = {}
    if calendar != "default":
        rules = {
            "non_working_days": [f"2026-10-0{d}" for d in range(1, 8)],
            "extra_working_days": ["2026-09-27", "2026-10-10"],
        }
    pub = Publication.from_dict(rules)
    assert pub.deadline(dt.date.fromisoformat(concluded)).isoformat() == due


# -- the selection body from the reference draw ----------------------------------------------------
def reference_rows(
    plan: dict[str, Any], records: list[dict[str, Any]], seed: bytes, strata: list[dict[str, Any]]
) -> dict[str, list[Any]]:
    """The ``rows`` of a selection body, from ref_draw and reference PRNs.

    ``strata`` (the body's list) fixes the cell order, which the reference does not compute.
    """
    drawn = ref_draw.draw(plan, records, seed)
    index = {(s["task"], s["stratum"]): k for k, s in enumerate(strata)}
    tasks = [t["name"] for t in plan["tasks"]]
    spaces = {t["name"]: t.get("namespace", t["name"]) for t in plan["tasks"]}
    rows = []
    for (task, tid), (label, pi) in drawn.items():
        h = prn_int(seed, spaces[task], tid)
        rows.append((tasks.index(task), index[(task, label)], h, tid.encode(), tid, pi))
    rows.sort()
    return {
        "stratum": [r[1] for r in rows],
        "id": [r[4] for r in rows],
        "pi": [rfc8785.dumps(r[5]).decode() for r in rows],
        "prn": [f"{r[2]:016x}" for r in rows],
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sst.scenarios(sst.targets(max_size=40)))
def test_selection_body_matches_the_reference(scenario: tuple[ss.Targets, ss.Plan, ss.Seed]) -> None:
    targets, plan, seed = scenario
    body = B.selection_body(ss.draw(plan, targets, seed))
    rows = reference_rows(plan.to_dict(), targets.to_records(), seed.value, body["strata"])
    assert body["rows"] == rows
    assert body["count"] == len(rows["id"])
    assert canonical.loads(canonical.dumps(body)) == body


def test_assignment_vector() -> None:
    """§10.6: the worked assignment of §8.11 (its inputs parsed from §8.11 by the assignment
    vector tests), committed and replayed, gives the published body byte for byte."""
    from test_assign_vectors import _inputs, _seed

    from shuangsuiji.campaign.assign_step import assignment_body, assignment_inputs, run_assign

    block = re.search(r"the worked assignment of §8\.11.*?```json\n(.*?)```", SECTION, re.DOTALL)
    digest = re.search(r"gives this body, whose canonical JSON is ([\d,]+) bytes with\s+"
                       r"SHA-256 `([0-9a-f]{64})`", SECTION)
    assert block and digest
    published = json.loads(block.group(1))
    x = _inputs()
    seed = ss.Seed.from_hex(_seed().hex())
    sel = ss.draw(x["plan"], ss.Targets.from_records(x["targets"]), seed)
    inputs = assignment_inputs(
        [{"inspector": p, "target": t, "date": d} for p, t, d in x["history"]],
        [tuple(r) for r in x["recusals"]],
    )
    teams = run_assign(ss.Plan.from_dict(x["plan"]), sel,
                       ss.Inspectors.from_records(x["people"]), seed, inputs)
    body = assignment_body(teams, sel)
    assert body == published
    line = canonical.dumps(body)
    assert line == rfc8785.dumps(published)
    assert len(line) == int(digest.group(1).replace(",", ""))
    assert hashlib.sha256(line).hexdigest() == digest.group(2)
    # the pools table of §10.6 names exactly the members each entry has
    table = SECTION[SECTION.index("A pool entry says how") :]
    members = re.findall(r"^\| `(\w+)` \|", table[: table.index("Replay:")], re.MULTILINE)
    assert [sorted(members)] * 2 == [sorted(p) for p in body["pools"]]


def test_redactions_structure() -> None:
    """§10.7 lists the members of a redaction entry and its rules: the code's match."""
    from shuangsuiji.notices.redaction import Redaction

    table = SECTION[SECTION.index("`redactions` is a list with one") :]
    table = table[: table.index("A rule that matched")]
    members = re.findall(r"^\s*\| `(\w+)` \|", table, re.MULTILINE)
    assert members == list(Redaction("t", "c", "private", 1, 2).to_dict())
    rules = re.findall(r'`"(\w+)"` \(', table)
    assert rules == ["private", "person_name", "natural_person", "inspector_name"]
