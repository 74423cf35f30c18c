"""verify: tampering with the bytes, the order or the content of a log is caught at its seq.

Two kinds of bad logs:
- *damaged* ones: bytes changed, lines reordered, deleted or truncated after the fact. The hash
  chain (and, for the last records, a checkpoint published earlier) catches them;
- *forged* ones: a well-formed chain written by a dishonest writer with the log API (rewritten
  from record 0, so the chain checks). The replay and the campaign rules catch them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from campaign_helpers import (
    COMMIT_TIME,
    REVEAL_TIME,
    SOURCES,
    Entries,
    full_campaign,
    inspectors,
    targets,
)
from campaign_helpers import forge as _forge
from campaign_helpers import only as _only
from campaign_helpers import verify_log as _verify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji.campaign.verify import load
from shuangsuiji.log.logfile import Checkpoint, Log


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Checkpoint, dict[str, Any]]:
    path = tmp_path_factory.mktemp("campaign") / "c.jsonl"
    facts = full_campaign(path)
    with Log.open(path) as log:
        cp = log.checkpoint()
    return path, cp, facts


# -- an honest log -----------------------------------------------------------------------------
def test_clean_log_verifies(campaign: tuple[Path, Checkpoint, dict[str, Any]]) -> None:
    path, cp, facts = campaign
    report = _verify(path, cp)
    assert report.ok and report.clean, report.text()
    s = report.summary
    assert s["records"] == 8 == cp.size and s["root"] == cp.root
    assert s["drawn"] == len(facts["selection"])
    assert s["results"] == f"6 of {len(facts['selection'])} drawn"
    assert s["outcomes"] == {"未按规定公示": 1, "发现问题已责令改正": 1, "正常": 4}
    assert s["overdue"] == 0 and s["corrections"] == 1
    assert s["replayed"] == "π summary, selection, assignment"
    text = report.text()
    assert text.splitlines()[0].endswith(": OK") and "Merkle root: " + cp.root in text
    # a checkpoint as a file, as JSON text and as a dict all work
    saved = cp.save(path.parent / "cp.json")
    assert _verify(path, saved).clean and _verify(path, cp.to_json()).clean
    assert _verify(path, cp.to_dict()).clean
    with pytest.raises(ss.InputError, match="checkpoint must be"):
        _verify(path, 5)
    with pytest.raises(ss.InputError, match="targets must be"):
        ss.verify(path, [], inspectors())  # type: ignore[arg-type]


# -- damaged bytes -----------------------------------------------------------------------------
def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")[:-1]


def _positions(n: int, count: int) -> list[int]:
    return sorted({0, n - 1, n // 2, *range(0, n, max(1, n // count))})


def _mutations(line: bytes, pos: int) -> list[bytes]:
    flip = line[:pos] + bytes([line[pos] ^ 0x01]) + line[pos + 1 :]
    newline = line[:pos] + b"\n" + line[pos + 1 :]
    deleted = line[:pos] + line[pos + 1 :]
    inserted = line[:pos] + b" " + line[pos:]
    return [flip, newline, deleted, inserted]


def test_any_changed_byte_is_caught_at_its_seq(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    """For every record, bytes spread over the whole line (about 25 per line, always the first,
    middle and last), each flipped, replaced by a newline, deleted, or preceded by a space:
    the log check of verify reports a problem at that record's seq. Every 20th case runs the
    full verify too; the hypothesis test below tries random bytes with the full verify."""
    path, cp, _ = campaign
    lines = _lines(path)
    bad = tmp_path / "bad.jsonl"
    done = 0
    for seq, line in enumerate(lines):
        for pos in _positions(len(line), 25):
            for changed in _mutations(line, pos):
                bad.write_bytes(b"".join(x + b"\n" for x in [*lines[:seq], changed,
                                                              *lines[seq + 1 :]]))
                found = load(bad, cp).problems
                assert any(p[0] == seq for p in found), (seq, pos, found)
                if done % 20 == 0:
                    report = _verify(bad, cp)
                    assert not report.ok and report.at(seq), report.text()
                done += 1
    assert done > 600


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_changed_byte_fails_verify(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path, data: st.DataObject
) -> None:
    path, cp, _ = campaign
    lines = _lines(path)
    seq = data.draw(st.integers(0, len(lines) - 1), label="seq")
    pos = data.draw(st.integers(0, len(lines[seq]) - 1), label="pos")
    value = data.draw(st.integers(0, 255).filter(lambda b: b != lines[seq][pos]), label="byte")
    changed = lines[seq][:pos] + bytes([value]) + lines[seq][pos + 1 :]
    bad = tmp_path / f"bad-{seq}-{pos}-{value}.jsonl"
    bad.write_bytes(b"".join(x + b"\n" for x in [*lines[:seq], changed, *lines[seq + 1 :]]))
    report = _verify(bad, cp)
    assert not report.ok and report.at(seq), report.text()


def test_a_changed_last_record_needs_the_checkpoint(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, cp, _ = campaign
    lines = _lines(path)
    last = lines[-1].replace(b"\xe5\xbd\x95\xe5\x85\xa5", b"\xe7\x99\xbb\xe8\xae\xb0")  # 录入→登记
    assert last != lines[-1]
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"".join(x + b"\n" for x in [*lines[:-1], last]))
    assert _verify(bad).ok  # still a valid log: nothing after it vouches for its bytes
    _only(_verify(bad, cp), 7, "checkpoint", "record 7", "changed")


def test_reordered_deleted_and_truncated_records(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, cp, _ = campaign
    lines = _lines(path)

    def write(ls: list[bytes]) -> Path:
        out = tmp_path / f"l{len(list(tmp_path.iterdir()))}.jsonl"
        out.write_bytes(b"".join(x + b"\n" for x in ls))
        return out

    swapped = write([*lines[:4], lines[5], lines[4], *lines[6:]])
    report = _verify(swapped, cp)
    _only(report, 4, "chain", "out of order")
    deleted = write([*lines[:5], *lines[6:]])
    _only(_verify(deleted), 5, "chain", "record 5 is missing")
    truncated = write(lines[:6])
    assert _verify(truncated).ok  # a shorter log is a valid log ...
    _only(_verify(truncated, cp), 6, "checkpoint", "truncated")  # ... unless one was published
    duplicated = write([*lines, lines[-1]])
    _only(_verify(duplicated), 7, "chain", "appears twice")
    torn = write(lines)
    torn.write_bytes(torn.read_bytes() + lines[4][:30])
    report = _verify(torn)
    _only(report, 8, "log", "torn", "byte")
    assert report.summary["records"] == 8 and report.summary["replayed"]


# -- registries and seed -------------------------------------------------------------------------
def test_wrong_registry(campaign: tuple[Path, Checkpoint, dict[str, Any]]) -> None:
    path, _, _ = campaign
    rows = targets().to_records()
    rows[17]["credit"] = "D" if rows[17]["credit"] != "D" else "A"
    other = ss.Targets.from_records(rows)
    report = ss.verify(path, other, inspectors())
    _only(report, 0, "registry", "targets registry", other.fingerprint, targets().fingerprint,
          "replay was skipped")
    assert report.summary.get("replayed") is None
    fewer = ss.Inspectors.from_records(inspectors().to_records()[1:])
    _only(ss.verify(path, targets(), fewer), 0, "registry", "inspectors registry",
          f"({len(fewer)} rows")
    # row order is not a difference
    shuffled = ss.Targets.from_records(rows[::-1])
    assert ss.verify(path, ss.Targets.from_records(targets().to_records()[::-1]),
                     inspectors()).clean
    assert shuffled.fingerprint == other.fingerprint


def _replace_seed(seed: ss.Seed) -> Callable[[Entries], None]:
    def edit(entries: Entries) -> None:
        entries[1][1] = {"seed": seed.provenance()}

    return edit


def test_wrong_seed(campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path) -> None:
    path, _, _ = campaign
    # same kind and number of sources, other values: the declaration cannot tell, the replay can
    other = ss.Seed.from_sources(["01 02 03 04 05 06", "3512.34", "10846.72"])
    report = _verify(_forge(tmp_path, path, _replace_seed(other)))
    _only(report, 2, "replay", "selection", "differs from the replay")
    _only(report, 3, "replay", "assignment") if report.at(3) else None
    # a seed that is not from the declared sources at all
    report = _verify(_forge(tmp_path, path, _replace_seed(ss.Seed.from_hex("ab" * 16))))
    _only(report, 1, "seed", "3 public sources", "'hex'")
    report = _verify(_forge(tmp_path, path, _replace_seed(ss.Seed.from_sources(SOURCES[:2]))))
    _only(report, 1, "seed", "3 sources", "derived from 2")

    def bad_hex(entries: Entries) -> None:
        entries[1][1]["seed"]["hex"] = "00" * 32

    _only(_verify(_forge(tmp_path, path, bad_hex)), 1, "order", "does not give a seed",
          "recorded")


def test_seed_and_commitment_times(campaign: tuple[Path, Checkpoint, dict[str, Any]],
                                   tmp_path: Path) -> None:
    path, _, _ = campaign

    def late_commit(entries: Entries) -> None:
        entries[0][2] = "2026-01-08T09:00:00+08:00"
        for e in entries[1:4]:
            e[2] = "2026-01-08T10:00:00+08:00"

    report = _verify(_forge(tmp_path, path, late_commit))
    _only(report, 0, "randomness", "commitment is dated", "not before")

    def early_seed(entries: Entries) -> None:
        for e in entries[1:4]:
            e[2] = "2026-01-07T10:00:00+08:00"

    _only(_verify(_forge(tmp_path, path, early_seed)), 1, "seed", "before the declared")

    def undeclared(entries: Entries) -> None:
        entries[0][1]["randomness"] = {"kind": "undeclared"}

    report = _verify(_forge(tmp_path, path, undeclared))
    assert report.ok and not report.clean
    assert [p.code for p in report.warnings] == ["randomness"]


# -- forged content ------------------------------------------------------------------------------
def _edit(fn: Callable[[Entries], Any]) -> Callable[[Entries], Entries | None]:
    def edit(entries: Entries) -> Entries | None:
        out = fn(entries)
        return out if isinstance(out, list) else None

    return edit


FORGERIES: list[tuple[str, Callable[[Entries], Any], int, str, list[str]]] = [
    ("drop a drawn row", lambda e: [e[2][1]["rows"][k].pop(3) for k in e[2][1]["rows"]] and None,
     2, "replay", ["selection", "row 3"]),
    ("swap an ID", lambda e: e[2][1]["rows"]["id"].__setitem__(0, "91130000000000000X"),
     2, "replay", ["row 0", "91130000000000000X"]),
    ("change a π", lambda e: e[2][1]["rows"]["pi"].__setitem__(1, "0.5"),
     2, "replay", ["row 1", "'0.5'"]),
    ("change a PRN", lambda e: e[2][1]["rows"]["prn"].__setitem__(2, "0" * 16),
     2, "replay", ["row 2", "prn"]),
    ("change a stratum summary", lambda e: e[2][1]["strata"][0].__setitem__("drawn", 99),
     2, "replay", ["stratum 0", "drawn is 99"]),
    ("change the π summary", lambda e: e[0][1]["inclusion_probabilities"][1].__setitem__(
        "pi_max", "0.9"), 0, "replay", ["π summary", "stratum 1", "pi_max"]),
    ("change the count", lambda e: e[2][1].__setitem__("count", 5), 2, "replay",
     ["selection's 'count' is 5 in the log"]),
    ("change a pool's regime", lambda e: e[3][1]["pools"][0].__setitem__("regime", "x"), 3,
     "replay", ["assignment's 'pools'", "'x'"]),
    ("a column that is not a list", lambda e: e[2][1]["rows"].__setitem__("pi", 1), 2,
     "replay", ["columns are not the lists"]),
    ("change an inspector", lambda e: e[3][1]["rows"]["inspector"].__setitem__(0, "X"),
     3, "replay", ["assignment", "row 0", "'X'"]),
    ("history barring an assigned officer", lambda e: e[0][1]["assignment_inputs"]["history"]
     .append([e[3][1]["rows"]["inspector"][0], e[3][1]["rows"]["id"][0], "2025-06-01"]),
     3, "replay", ["assignment"]),
    ("recusal of an assigned officer", lambda e: e[0][1]["assignment_inputs"]["recusals"]
     .append([e[3][1]["rows"]["id"][0], e[3][1]["rows"]["inspector"][0]]),
     3, "replay", ["assignment"]),
    ("renamed assignment input", lambda e: e[0][1]["assignment_inputs"].__setitem__(
        "histor", e[0][1]["assignment_inputs"].pop("history")), 3, "replay",
     ["cannot be replayed", "'history' and 'recusals'"]),
    ("malformed history row", lambda e: e[0][1]["assignment_inputs"]["history"].append(["x"]),
     3, "replay", ["cannot be replayed", "[inspector, target, date]"]),
    ("registry entry not a mapping", lambda e: e[0][1].__setitem__("targets", "x"), 0,
     "registry", ["targets registry"]),
    ("algorithms not a mapping", lambda e: e[0][1].__setitem__("algorithms", ["x"]), 0,
     "version", ["not a mapping"]),
    ("other algorithm", lambda e: e[0][1]["algorithms"].__setitem__("draw", "other/9"),
     0, "version", ["'other/9'", ss.ALGORITHM]),
    ("other format", lambda e: e[0][1].__setitem__("format", "x/1"),
     0, "order", ["format", "'x/1'"]),
    ("second seed", lambda e: [*e[:4], copy.deepcopy(e[1]), *e[4:]], 4, "order",
     ["second seed"]),
    ("assignment first", lambda e: [e[0], e[1], e[3], e[2], *e[4:]], 2, "order",
     ["assignment must come"]),
    ("result before reveal", lambda e: [e[0], e[4], *e[1:4], *e[5:]], 1, "order",
     ["before the selection"]),
    ("unknown type", lambda e: [*e, ["memo", {}, "2026-04-01T00:00:00+08:00"]], 8, "order",
     ["'memo'"]),
    ("second commitment", lambda e: [*e, copy.deepcopy(e[0])[:2] + [e[7][2]]], 8, "order",
     ["second commitment"]),
    ("result for an undrawn target",
     lambda e: e[4][1].__setitem__("id", "91130000000000000X"), 4, "order", ["not drawn"]),
    ("second result", lambda e: [*e, [e[5][0], e[5][1], e[7][2]]], 8, "order",
     ["second result", "use a correction"]),
    ("bad outcome", lambda e: e[5][1].__setitem__("outcome", "良好"), 5, "result", ["'良好'"]),
    ("bad penalty", lambda e: e[5][1].__setitem__("penalties", ["拘留"]), 5, "result",
     ["'拘留'"]),
    ("bad date", lambda e: e[5][1].__setitem__("date", "2026-13-01"), 5, "result",
     ["2026-13-01"]),
    ("date after publication", lambda e: e[5][1].__setitem__("date", "2026-02-20"), 5,
     "result", ["2026-02-20", "after"]),
    ("correction of a stale record", lambda e: e[7][1].__setitem__("corrects", 5), 7, "order",
     ["does not correct its current result"]),
    ("correction of the future", lambda e: e[7][1].__setitem__("corrects", 9), 7, "order",
     ["seq 9", "not an earlier record"]),
    ("malformed batch", lambda e: e[6][1]["rows"]["outcome"].pop(), 6, "order", ["malformed"]),
]


@pytest.mark.parametrize(
    ("edit", "seq", "code", "fragments"),
    [pytest.param(*f[1:], id=f[0]) for f in FORGERIES],
)
def test_forged_logs(
    campaign: tuple[Path, Checkpoint, dict[str, Any]],
    tmp_path: Path,
    edit: Callable[[Entries], Any],
    seq: int,
    code: str,
    fragments: list[str],
) -> None:
    path, _, _ = campaign
    forged = _forge(tmp_path, path, _edit(edit))
    report = _verify(forged)
    _only(report, seq, code, *fragments)


def test_overdue_results_are_warnings(campaign: tuple[Path, Checkpoint, dict[str, Any]],
                                      tmp_path: Path) -> None:
    path, _, _ = campaign

    def late(entries: Entries) -> None:
        entries[5][1]["date"] = "2026-01-12"  # published 2026-02-10: 21 working days later
        entries[6][1]["rows"]["date"][0] = "2026-02-09"  # 2026-03-10 is 21 working days later

    report = _verify(_forge(tmp_path, path, late))
    assert report.ok and not report.clean, report.text()
    assert [(p.seq, p.code) for p in report.problems] == [(5, "deadline"), (6, "deadline")]
    assert ("concluded 2026-01-12, was first published 2026-02-10, 1 day after its due day "
            "2026-02-09 (the 20 working days allowed end then)") in report.problems[0].message
    assert report.summary["overdue"] == 2
    assert "OK with 2 warning(s)" in report.text()

    def holidays(entries: Entries) -> None:
        late(entries)
        entries[0][1]["plan"]["publication"] = {"non_working_days": ["2026-02-04", "2026-02-05"]}

    # two holidays in the window: the first result is on time again
    report = _verify(_forge(tmp_path, path, holidays))
    assert [(p.seq, p.code) for p in report.problems] == [(6, "deadline")], report.text()


def test_corrected_results_keep_their_first_publication(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, _, _ = campaign

    def late_original(entries: Entries) -> None:
        entries[4][1]["date"] = "2026-01-12"
        entries[7][1]["result"]["date"] = "2026-01-12"

    report = _verify(_forge(tmp_path, path, late_original))
    assert [(p.seq, p.code) for p in report.problems] == [(4, "deadline")], report.text()


def test_empty_and_headless_logs(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    Log.create(empty).close()
    _only(_verify(empty), None, "log", "no records")
    headless = tmp_path / "headless.jsonl"
    with Log.create(headless) as log:
        log.append("result", {"id": "x"}, time=COMMIT_TIME)
    report = _verify(headless)
    _only(report, 0, "order", "before the commitment")
    assert str(report.problems[0]).startswith("seq 0: error: ")


def test_problems_are_in_log_order(campaign: tuple[Path, Checkpoint, dict[str, Any]],
                                   tmp_path: Path) -> None:
    path, _, _ = campaign

    def many(entries: Entries) -> None:
        entries[5][1]["outcome"] = "良好"
        entries[2][1]["rows"]["pi"][0] = "0.5"
        entries[1][2] = "2026-01-07T00:00:00+08:00"
        entries[0][2] = "2026-01-06T00:00:00+08:00"

    report = _verify(_forge(tmp_path, path, many))
    seqs = [p.seq for p in report.problems]
    assert seqs == sorted(seqs) and {1, 2, 5} <= set(seqs)
    assert REVEAL_TIME  # times of the other records are kept
