"""verify applies the campaign's rules on times, dates and publication (docs/spec.md §10.1,
§10.7, §10.8): what ``Campaign`` refuses to write, a forged log cannot pass either."""

from __future__ import annotations

import hashlib
import importlib
import time
from pathlib import Path
from typing import Any

import pytest
from campaign_helpers import (
    NOTES,
    REVEAL_TIME,
    SOURCES,
    Entries,
    forge,
    full_campaign,
    new_campaign,
    only,
    plan_dict,
    revealed,
    verify_log,
)

import shuangsuiji as ss
from shuangsuiji.campaign.campaign import Campaign
from shuangsuiji.log import canonical
from shuangsuiji.log.logfile import Checkpoint, Log, read_log


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Checkpoint, dict[str, Any]]:
    """Records: 0 commitment, 1 seed, 2 selection, 3 assignment (2026-01-12 10:00 +08:00),
    4 and 5 results (2026-02-10 09:00 and 09:05), 6 a batch (2026-03-10), 7 a correction."""
    path = tmp_path_factory.mktemp("campaign") / "c.jsonl"
    facts = full_campaign(path)
    with Log.open(path) as log:
        cp = log.checkpoint()
    return path, cp, facts


# -- times never decrease; results come after the reveal (issue: verify lagged Campaign) ----------
def test_a_time_before_the_previous_record_is_an_error(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, _, _ = campaign

    def earlier(entries: Entries) -> None:
        entries[5][2] = "2026-02-10T08:00:00+08:00"  # record 4 is at 09:00 the same day

    report = verify_log(forge(tmp_path, path, earlier))
    only(report, 5, "time", "record 5's time 2026-02-10T08:00:00+08:00", "record 4's")
    assert [p.seq for p in report.errors] == [5], report.text()

    def swapped(entries: Entries) -> None:
        # the batch and the correction published in the wrong order, chain recomputed
        entries[6][2] = "2026-03-05T09:00:00+08:00"
        entries[7][2] = "2026-02-20T09:00:00+08:00"

    report = verify_log(forge(tmp_path, path, swapped))
    only(report, 7, "time", "2026-02-20T09:00:00+08:00", "before record 6's")


def test_a_result_concluded_before_the_reveal_is_an_error(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, _, _ = campaign

    def early(entries: Entries) -> None:
        entries[5][1]["date"] = "2026-01-09"  # the seed was revealed on 2026-01-12

    report = verify_log(forge(tmp_path, path, early))
    only(report, 5, "result", "dated 2026-01-09", "before the draw was revealed", "2026-01-12")
    assert not [p for p in report.problems if p.code == "deadline"], report.text()


# -- every time §9.1 allows is read; one bad field never stops the other checks -------------------
def test_every_log_time_form_is_read(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    """A bare full-date, lower-case t and z, a fraction of nine digits and a leap second are all
    §9.1 times: verify reads them (compared as days when a date is involved) and checks on."""
    path, _, _ = campaign

    def forms(entries: Entries) -> None:
        entries[5][2] = "2026-02-10"  # the same day as record 4 (09:00): not before it
        entries[6][2] = "2026-03-10t01:00:00.123456789z"
        entries[7][2] = "2026-03-11T23:59:60+08:00"
        entries[6][1]["rows"]["outcome"][0] = "良好"  # and one real problem, found as well

    report = verify_log(forge(tmp_path, path, forms))
    assert [(p.seq, p.severity, p.code) for p in report.problems] == [(6, "error", "result")], (
        report.text()
    )
    assert "'良好'" in report.problems[0].message
    assert report.summary["replayed"] == "π summary, selection, assignment"


def test_a_date_time_on_the_day_before_a_bare_date_is_ordered_by_day(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, _, _ = campaign

    def back(entries: Entries) -> None:
        entries[4][2] = "2026-02-11"
        entries[5][2] = "2026-02-10T23:00:00+08:00"

    only(
        verify_log(forge(tmp_path, path, back)),
        5,
        "time",
        "2026-02-10T23:00:00+08:00",
        "before record 4's (2026-02-11)",
    )


def test_campaign_continues_a_log_with_a_bare_date_time(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    """Campaign itself writes instants, but continues a log whose last time is a date."""
    path, _, facts = campaign

    def dated(entries: Entries) -> None:
        entries[7][2] = "2026-03-11"

    forged = forge(tmp_path, path, dated)
    rec = facts["records"][6]
    with Campaign.open(forged) as c:
        with pytest.raises(ss.InputError, match="before the last record's time"):
            c.record_result(rec["id"], "正常", task=rec["task"], time="2026-03-10T09:00:00+08:00")
        seq = c.record_result(rec["id"], "正常", task=rec["task"], time="2026-03-11T09:00:00+08:00")
    assert seq == 8 and verify_log(forged).clean


def test_a_check_that_stops_short_is_reported_and_the_others_run(
    campaign: tuple[Path, Checkpoint, dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, _, _ = campaign

    def broken(*args: Any) -> None:
        raise KeyError("surprise")

    # the name shuangsuiji.verify is the function; patch the module it comes from
    monkeypatch.setattr(importlib.import_module("shuangsuiji.campaign.verify"), "check_times", broken)
    forged = forge(tmp_path, path, lambda e: e[5][1].__setitem__("outcome", "良好"))
    report = verify_log(forged)
    only(report, None, "log", "record times check stopped", "'surprise'", "other checks ran")
    only(report, 5, "result", "'良好'")
    assert report.summary["replayed"] == "π summary, selection, assignment"


# -- which day: the publication time zone (plan publication.utc_offset, default +08:00) -----------
def test_a_result_concluded_today_in_beijing_before_8am(tmp_path: Path) -> None:
    """07:00 Beijing time is 23:00 UTC the day before: the result concluded that Beijing day
    is accepted, and dated by it."""
    c, sel, _ = revealed(tmp_path / "c.jsonl")
    r = sel.to_records()[0]
    with c:
        c.record_result(
            r["id"], "正常", task=r["task"], date="2026-02-10", time="2026-02-09T23:00:00Z"
        )
        seq = c.record_result(
            sel.to_records()[1]["id"],
            "正常",
            task=sel.to_records()[1]["task"],
            time="2026-02-09T23:30:00Z",
        )
        assert c.results()[-1]["date"] == "2026-02-10" and c.results()[-1]["seq"] == seq
    assert verify_log(tmp_path / "c.jsonl").clean


def test_a_late_publication_is_late_by_the_publication_day(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, _, _ = campaign

    def late(entries: Entries) -> None:
        entries[5][1]["date"] = "2026-01-13"  # due 2026-02-10
        entries[5][2] = "2026-02-10T16:30:00Z"  # 2026-02-11 00:30 in Beijing: a day late

    report = verify_log(forge(tmp_path, path, late))
    assert [(p.seq, p.code) for p in report.problems] == [(5, "deadline")], report.text()
    assert "published 2026-02-11" in report.problems[0].message

    def utc(entries: Entries) -> None:
        late(entries)
        entries[0][1]["plan"]["publication"] = {"utc_offset": "+00:00"}

    # a plan that publishes on UTC days: the same record is on time
    assert verify_log(forge(tmp_path, path, utc)).clean


def test_verify_does_not_depend_on_the_machine_time_zone(
    campaign: tuple[Path, Checkpoint, dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path, _, _ = campaign

    def late(entries: Entries) -> None:
        entries[5][1]["date"] = "2026-01-13"
        entries[5][2] = "2026-02-10T16:30:00Z"

    forged = forge(tmp_path, path, late)
    reports = []
    for zone in ("UTC", "America/New_York", "Asia/Shanghai", "Pacific/Kiritimati"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        reports.append(verify_log(forged).problems)
    monkeypatch.undo()
    time.tzset()
    assert all(r == reports[0] for r in reports) and len(reports[0]) == 1


@pytest.mark.parametrize("offset", ["8", "+8:00", "+24:00", "UTC", "+08:60", 8])
def test_a_bad_publication_offset_is_refused(offset: Any) -> None:
    plan = plan_dict()
    plan["publication"] = {"utc_offset": offset}
    with pytest.raises(ss.InputError, match=r"publication\.utc_offset.*is not a UTC offset") as e:
        ss.Plan.from_dict(plan)
    assert repr(offset) in str(e.value)


# -- the deadline ------------------------------------------------------------------------------
def test_published_on_the_due_day_is_on_time_and_a_day_later_is_late(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, _, _ = campaign

    def on_due_day(entries: Entries) -> None:
        entries[5][1]["date"] = "2026-01-13"  # due 2026-02-10; published 2026-02-10 09:05

    assert verify_log(forge(tmp_path, path, on_due_day)).clean

    def a_day_late(entries: Entries) -> None:
        entries[5][1]["date"] = "2026-01-12"  # due 2026-02-09

    report = verify_log(forge(tmp_path, path, a_day_late))
    assert [(p.seq, p.severity, p.code) for p in report.problems] == [(5, "warning", "deadline")]
    assert "1 day after its due day 2026-02-09" in report.problems[0].message


def test_an_overdue_weekend_publication_is_counted_in_days(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    """Concluded Friday 2026-01-16, due Friday 2026-02-13, published Sunday 2026-02-15: 20
    working days lie between, yet it is late; the message says by how much, without
    contradicting itself."""
    path, _, _ = campaign

    def weekend(entries: Entries) -> None:
        entries[5][1]["date"] = "2026-01-16"
        entries[5][2] = "2026-02-15T10:00:00+08:00"

    report = verify_log(forge(tmp_path, path, weekend))
    assert [(p.seq, p.severity, p.code) for p in report.problems] == [(5, "warning", "deadline")]
    message = report.problems[0].message
    assert (
        "concluded 2026-01-16, was first published 2026-02-15, 2 days after its due day 2026-02-13"
    ) in message, message
    assert "more than the 20" not in message


# -- order and chain cases the mutation check found untested ------------------------------------
def test_a_record_between_the_seed_and_the_selection_is_an_error(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, _, _ = campaign

    def between(entries: Entries) -> Entries:
        memo = ["notice", {"kind": "plan", "sha256": "0" * 64}, entries[1][2]]
        entries[7][1]["corrects"] = 5  # record 4 moves to seq 5
        return [entries[0], entries[1], memo, *entries[2:]]

    report = verify_log(forge(tmp_path, path, between))
    only(report, 3, "order", "the selection must come once, right after the seed")
    assert [p.seq for p in report.errors] == [3], report.text()


def test_record_0_must_have_a_zero_prev(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    """A log whose first record claims a predecessor (a tail cut from a longer log, or a
    forgery), chain rebuilt from there: the chain check reports it at seq 0."""
    path, _, _ = campaign
    prev = "ab" * 32
    lines = []
    for i, r in enumerate(read_log(path)):
        obj = canonical.loads(r.line)
        obj["prev"] = prev
        line = canonical.dumps(obj)
        prev = hashlib.sha256(line).hexdigest()
        lines.append(line + b"\n")
        assert obj["seq"] == i
    bad = tmp_path / "tail.jsonl"
    bad.write_bytes(b"".join(lines))
    report = verify_log(bad)
    only(report, 0, "chain", "record 0 has prev abababababababab", "not 64 zeros")
    assert [p.seq for p in report.errors] == [0], report.text()


# -- what verify cannot check, said plainly -------------------------------------------------------
def test_the_report_shows_source_values_next_to_their_descriptions(
    campaign: tuple[Path, Checkpoint, dict[str, Any]],
) -> None:
    path, _, _ = campaign
    report = verify_log(path)
    assert report.clean
    manual = report.summary["check_by_hand"]
    assert "a person must look each one up where it was published" in manual[0]
    assert manual[1:] == [
        f'  {i + 1}. {d}: recorded "{v}"' for i, (d, v) in enumerate(zip(NOTES, SOURCES))
    ]
    text = report.text()
    assert "check by hand (verify cannot):" in text
    assert '1. 双色球第2026004期红球开奖号码: recorded "03 11 17 24 29 33"' in text


QUICKNET = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
SIGNATURE = "b0f5ae301358ff87a9d3dd539ed4a07c0148b1ab4f7b61a8ca43c7e9ca7ca9553e4faae9188deb30b2cd1a7f447e3e5b"


@pytest.mark.parametrize("known_after", [None, "2026-01-09T08:00:00+08:00"])
def test_a_beacon_report_says_the_signature_was_not_verified(
    tmp_path: Path, known_after: str | None
) -> None:
    path = tmp_path / "b.jsonl"
    decl = ss.Randomness.beacon(QUICKNET, 32281667, known_after=known_after)
    with new_campaign(path, randomness=decl) as c:
        c.reveal(ss.Seed.from_beacon(QUICKNET, 32281667, SIGNATURE), time=REVEAL_TIME)
    report = verify_log(path)
    assert report.ok, report.text()
    manual = report.summary["check_by_hand"]
    assert len(manual) == 1 and "BLS signature of drand round 32281667" in manual[0]
    assert "was NOT verified" in manual[0] and "was NOT verified" in report.text()
    if known_after is None:
        assert [(p.seq, p.severity, p.code) for p in report.problems] == [
            (0, "warning", "randomness")
        ]
        message = report.problems[0].message
        assert "drand round 32281667" in message and "no known_after" in message
    else:
        assert report.clean, report.text()


# -- messages: one clear problem per cause ------------------------------------------------------
def test_a_garbage_file_is_one_problem(tmp_path: Path) -> None:
    bad = tmp_path / "g.jsonl"
    bad.write_bytes(b"garbage\n")
    report = verify_log(bad)
    assert [(p.seq, p.code) for p in report.problems] == [(0, "chain")], report.text()
    assert "record 0 is damaged" in report.problems[0].message
    assert "no records" not in report.text() and report.summary["records"] == 1


def test_crlf_line_endings_are_one_problem(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    path, cp, _ = campaign
    crlf = tmp_path / "crlf.jsonl"
    crlf.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    report = verify_log(crlf, cp)
    assert [(p.seq, p.code) for p in report.problems] == [(None, "log")], report.text()
    assert "CRLF line endings (was it opened in a text editor on Windows?)" in (
        report.problems[0].message
    )
    assert report.summary["replayed"] == "π summary, selection, assignment"  # checked otherwise


def test_a_deleted_middle_record_against_a_checkpoint(
    campaign: tuple[Path, Checkpoint, dict[str, Any]], tmp_path: Path
) -> None:
    """Record 6 deleted and the chain rebuilt: the checkpoint says the log is one record short
    (without claiming which), and the rebuilt records no longer hash to its head."""
    path, cp, _ = campaign
    forged = forge(tmp_path, path, lambda e: [*e[:6], *e[7:]])
    report = verify_log(forged, cp)
    only(
        report,
        7,
        "checkpoint",
        "the log has 7 records, 1 fewer than the 8 the checkpoint",
        "truncated, or records were deleted and the chain rebuilt",
    )
    assert "7-7" not in report.text()
