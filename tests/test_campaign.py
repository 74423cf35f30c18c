"""Campaign: commitment, reveal, results, corrections, notices; failed calls write nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from campaign_helpers import (
    COMMIT_TIME,
    DECLARATION,
    REVEAL_TIME,
    SEED,
    SOURCES,
    full_campaign,
    history,
    inspectors,
    new_campaign,
    plan_dict,
    revealed,
    targets,
)

import shuangsuiji as ss
from shuangsuiji.campaign import record_bodies as B
from shuangsuiji.campaign.assign_step import assignment_body, run_assign
from shuangsuiji.campaign.campaign import Campaign
from shuangsuiji.errors import LogError
from shuangsuiji.log.logfile import Log, read_log
from shuangsuiji.randomness.declared import Randomness


def _names(*fragments: str) -> str:
    return "(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments)


def _bodies(path: Path) -> list[tuple[str, dict[str, Any]]]:
    return [(r.type, r.body) for r in read_log(path)]


# -- the commitment ----------------------------------------------------------------------------
def test_commitment_records_what_is_fixed_before_the_seed(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    new_campaign(path).close()
    [(kind, body)] = _bodies(path)
    assert kind == "commitment"
    plan = ss.Plan.from_dict(plan_dict())
    assert body["format"] == B.FORMAT == "shuangsuiji-campaign/2"  # the year format (§11.5)
    assert ss.Plan.from_dict(body["plan"]) == plan
    assert body["targets"] == {
        "fingerprint": targets().fingerprint, "size": 300, "id_column": "id"
    }
    assert body["inspectors"]["fingerprint"] == inspectors().fingerprint
    assert body["inspectors"]["size"] == len(inspectors())
    assert body["library"] == {"name": "shuangsuiji", "version": ss.__version__}
    assert body["algorithms"] == {"draw": ss.ALGORITHM, "assign": ss.ASSIGN_ALGORITHM}
    assert Randomness.from_dict(body["randomness"]) == DECLARATION
    pi = ss.inclusion_probabilities(plan, targets())
    assert body["inclusion_probabilities"] == B.strata_body(pi.strata, drawn=False)
    assert [s["stratum"] for s in body["inclusion_probabilities"]][:1] == ["all"]
    # every float is exact text
    assert all(isinstance(s["pi_max"], str) for s in body["inclusion_probabilities"])
    hist = body["assignment_inputs"]["history"]
    assert hist == sorted(hist) and len(hist) == len({tuple(h) for h in hist}) > 0
    assert body["assignment_inputs"]["recusals"] == []
    assert read_log(path)[0].time == COMMIT_TIME


def test_create_refuses_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    bad_plan = plan_dict()
    bad_plan["tasks"][1]["size"] = {"total": 10_000}
    with pytest.raises(ss.InfeasibleError, match=_names("机动车检验机构抽查", "size.total")):
        Campaign.create(path, bad_plan, targets(), inspectors(), randomness=DECLARATION,
                        time=COMMIT_TIME)
    assert not path.exists()
    with pytest.raises(ss.InputError, match=_names("commitment", "2026-01-09", "2026-01-08")):
        new_campaign(path, time="2026-01-09T09:00:00+08:00")
    assert not path.exists()
    with pytest.raises(ss.InputError, match=_names("targets", "list")):
        Campaign.create(path, plan_dict(), [], inspectors())  # type: ignore[arg-type]
    with pytest.raises(ss.InputError, match=_names("inspectors", "Targets")):
        Campaign.create(path, plan_dict(), targets(), targets())  # type: ignore[arg-type]
    with pytest.raises(ss.InputError, match=_names("randomness", "dict")):
        new_campaign(path, randomness={"kind": "undeclared"})
    with pytest.raises(ss.InputError, match=_names("history[0]", "'date'")):
        new_campaign(path, history=[{"inspector": "x", "target": "y"}])
    with pytest.raises(ss.InputError, match=_names("recusals[0]", "pair")):
        new_campaign(path, recusals=["x"])
    with pytest.raises(ss.InputError, match=_names("time", "date-time")):
        new_campaign(path, time="2026-01-05")
    assert not path.exists()
    new_campaign(path).close()
    with pytest.raises(LogError, match="already exists") as e:
        new_campaign(path)
    assert str(path) in str(e.value) and "Campaign.open(path, targets, inspectors)" in str(e.value)
    assert "Log.open" not in str(e.value) and "exist_ok" not in str(e.value)


def test_a_failed_first_append_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kw: Any) -> None:
        raise LogError("disk full")

    monkeypatch.setattr(Log, "append", fail)
    with pytest.raises(LogError, match="disk full"):
        new_campaign(tmp_path / "c.jsonl")
    assert not (tmp_path / "c.jsonl").exists()


def test_undeclared_randomness_is_the_default(tmp_path: Path) -> None:
    c = Campaign.create(tmp_path / "c.jsonl", plan_dict(), targets(), inspectors(),
                        time=COMMIT_TIME)
    assert c.randomness == Randomness.undeclared()
    sel, _ = c.reveal(ss.Seed.from_hex("ab" * 16), time=REVEAL_TIME)
    assert len(sel) > 0
    c.close()


# -- reveal ------------------------------------------------------------------------------------
def test_reveal_records_seed_selection_and_assignment(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    c, sel, teams = revealed(path)
    c.close()
    expected = ss.draw(plan_dict(), targets(), SEED)
    assert sel.id_set() == expected.id_set() and len(sel) == len(expected)
    assert len({t for t, _ in sel.id_set()}) == 3
    kinds = [k for k, _ in _bodies(path)]
    assert kinds == ["commitment", "seed", "selection", "assignment"]
    _, seed_body, sel_body, asg_body = (b for _, b in _bodies(path))
    assert seed_body == {"seed": SEED.provenance()}
    assert sel_body == B.selection_body(expected)
    assert B.selection_records(sel_body) == expected.to_records()
    plan = ss.Plan.from_dict(plan_dict())
    again = run_assign(plan, expected, inspectors(), SEED, {"history": [
        [h["inspector"], h["target"], h["date"]] for h in history()], "recusals": []})
    assert asg_body == assignment_body(again, expected) == assignment_body(teams, sel)
    assert all(r.time == REVEAL_TIME for r in read_log(path)[1:])


def test_reveal_once_and_only_the_declared_seed(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    c = new_campaign(path)
    before = path.read_bytes()
    with pytest.raises(ss.InputError, match=_names("seed refused", "3 sources", "derived from 2")):
        c.reveal(ss.Seed.from_sources(SOURCES[:2]), time=REVEAL_TIME)
    with pytest.raises(ss.InputError, match=_names("seed refused", "'hex'")):
        c.reveal(ss.Seed.from_hex("ab" * 16), time=REVEAL_TIME)
    with pytest.raises(ss.InputError, match=_names("reveal", "before", "2026-01-08")):
        c.reveal(SEED, time="2026-01-07T23:00:00+08:00")
    with pytest.raises(ss.InputError, match=_names("seed must be", "str")):
        c.reveal("ab" * 16, time=REVEAL_TIME)  # type: ignore[arg-type]
    assert path.read_bytes() == before
    c.reveal(SEED, time=REVEAL_TIME)
    with pytest.raises(ss.InputError, match=_names("already revealed", "seq 1", "once")):
        c.reveal(SEED, time=REVEAL_TIME)
    c.close()


def test_open_then_reveal_needs_the_committed_registries(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    new_campaign(path).close()
    other = ss.Targets.from_records(
        [dict(r, credit="A") if i == 0 else r for i, r in enumerate(targets().to_records())]
    )
    with pytest.raises(ss.InputError, match=_names("target registry", "not the committed")):
        Campaign.open(path, targets=other)
    with Campaign.open(path) as c:
        assert c.plan == ss.Plan.from_dict(plan_dict()) and not c.revealed
        with pytest.raises(ss.InputError, match=_names("reveal needs", "targets=")):
            c.reveal(SEED, time=REVEAL_TIME)
        with pytest.raises(ss.InputError, match=_names("target registry", "300 rows")):
            c.reveal(SEED, targets=other, inspectors=inspectors(), time=REVEAL_TIME)
        sel, _ = c.reveal(SEED, targets=targets(), inspectors=inspectors(), time=REVEAL_TIME)
        assert c.revealed and c.seed == SEED
    with Campaign.open(path) as c:
        assert c.selection_records() == sel.to_records()
        assert len(c.assignment_records()) > len(sel)


def test_a_second_writer_is_locked_out(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    c = new_campaign(path)
    with pytest.raises(LogError, match="lock"):
        Campaign.open(path)
    c.close()
    Campaign.open(path).close()


def test_an_interrupted_reveal_completes_with_the_same_seed(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    new_campaign(path).close()
    with Log.open(path) as log:  # a crash after the seed record
        log.append("seed", {"seed": SEED.provenance()}, time=REVEAL_TIME)
    with Campaign.open(path, targets(), inspectors()) as c:
        other = ss.Seed.from_sources(["1 2 3", "4", "5"])
        with pytest.raises(ss.InputError, match=_names("already recorded", "seq 1", SEED.hex)):
            c.reveal(other, time=REVEAL_TIME)
        c.reveal(SEED, time=REVEAL_TIME)
    assert [k for k, _ in _bodies(path)] == ["commitment", "seed", "selection", "assignment"]
    assert ss.verify(path, targets(), inspectors()).clean


def test_verify_warns_about_an_interrupted_reveal(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    new_campaign(path).close()
    with Log.open(path) as log:
        log.append("seed", {"seed": SEED.provenance()}, time=REVEAL_TIME)
    report = ss.verify(path, targets(), inspectors())
    assert report.ok and [(p.seq, p.code) for p in report.warnings] == [(1, "order")]
    assert "cut short" in report.warnings[0].message


# -- results -----------------------------------------------------------------------------------
def test_results_and_corrections(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    facts = full_campaign(path)
    recs = facts["records"]
    s1, s2, s3, s4 = facts["seqs"]
    assert (s1, s2, s3, s4) == (4, 5, 6, 7)
    kinds = [k for k, _ in _bodies(path)]
    assert kinds[4:] == ["result", "result", "results", "correction"]
    body = dict(_bodies(path))["correction"]
    assert body["corrects"] == s1 and body["reason"] == "录入错误"
    assert body["result"]["outcome"] == "未按规定公示" and body["result"]["date"] == "2026-02-02"
    with Campaign.open(path) as c:
        results = {(r["task"], r["id"]): r for r in c.results()}
        assert len(results) == 6
        first = results[(recs[0]["task"], recs[0]["id"])]
        assert first["seq"] == s4 and first["outcome"] == "未按规定公示"
        second = results[(recs[1]["task"], recs[1]["id"])]
        assert second["penalties"] == ["警告"] and second["detail"] == "记录不全"
        # the corrected record is no longer current; its correction is
        with pytest.raises(ss.InputError, match=_names("already corrected", f"record {s4}")):
            c.correct_result(s1, recs[0]["id"], task=recs[0]["task"], reason="x",
                             time="2026-03-12T09:00:00+08:00")
        seq = c.correct_result(s4, recs[0]["id"], task=recs[0]["task"], outcome="正常",
                               reason="复核", time="2026-03-12T09:00:00+08:00")
        assert c.results()[0]["seq"] == seq or any(r["seq"] == seq for r in c.results())
        # a batch record holds several targets; correct one of them
        seq2 = c.correct_result(s3, recs[3]["id"], task=recs[3]["task"], penalties="罚款",
                                reason="补录处罚", time="2026-03-12T09:00:00+08:00")
        assert dict(_bodies(path))["correction"]["result"]["penalties"] == ["罚款"]
        assert seq2 == seq + 1
    assert ss.verify(path, targets(), inspectors()).clean


def _bad_result(c: Campaign, fragments: list[str], *args: Any, **kw: Any) -> None:
    size = Path(c.path).stat().st_size
    kw.setdefault("time", "2026-02-10T09:00:00+08:00")
    with pytest.raises(ss.InputError, match=_names(*fragments)):
        c.record_result(*args, **kw)
    assert Path(c.path).stat().st_size == size


def test_bad_results_write_nothing(tmp_path: Path) -> None:
    c, sel, _ = revealed(tmp_path / "c.jsonl")
    r = sel.to_records()[0]
    undrawn = next(i for i in targets().ids() if (r["task"], i) not in sel.id_set()
                   and all(i != x for _, x in sel.id_set()))
    _bad_result(c, [undrawn, "not drawn"], undrawn, "正常")
    _bad_result(c, [undrawn, r["task"], "not drawn"], undrawn, "正常", task=r["task"])
    _bad_result(c, ["outcome", "'良好'", "正常"], r["id"], "良好", task=r["task"])
    _bad_result(c, ["penalty", "'拘留'"], r["id"], "正常", task=r["task"], penalties="拘留")
    _bad_result(c, ["date", "2026-02-30"], r["id"], "正常", task=r["task"], date="2026-02-30")
    _bad_result(c, ["date", "2026-02-11", "after"], r["id"], "正常", task=r["task"],
                date="2026-02-11")
    _bad_result(c, ["date", "2026-01-02", "before the draw"], r["id"], "正常", task=r["task"],
                date="2026-01-02")
    _bad_result(c, ["detail", "5"], r["id"], "正常", task=r["task"], detail=5)
    _bad_result(c, ["time", "before the last record"], r["id"], "正常", task=r["task"],
                time="2026-01-11T10:00:00+08:00")
    _bad_result(c, ["task", "'不存在'", "not drawn"], r["id"], "正常", task="不存在")
    joint = [i for i in {x for _, x in sel.id_set()}
             if sum(1 for _, y in sel.id_set() if y == i) > 1]
    if joint:
        _bad_result(c, [joint[0], "drawn by tasks", "task="], joint[0], "正常")
    c.record_result(r["id"], "正常", task=r["task"], time="2026-02-10T09:00:00+08:00")
    _bad_result(c, ["already has a result", "seq 4", "correct_result"], r["id"], "正常",
                task=r["task"])
    size = Path(c.path).stat().st_size
    rows = [{"id": x["id"], "task": x["task"], "outcome": "正常"} for x in sel.to_records()[1:4]]
    for bad, fragments in [
        ([*rows, dict(rows[0])], ["results row 3", "also in row 0"]),
        ([*rows, {"id": undrawn, "outcome": "正常"}], ["results row 3", undrawn]),
        ([*rows, {"id": rows[0]["id"]}], ["results row 3", "'outcome'"]),
        ([*rows, {**rows[1], "result": "正常"}], ["results row 3", "unknown key 'result'"]),
        ([*rows, 5], ["results row 3", "mapping"]),
        ([], ["no rows"]),
    ]:
        with pytest.raises(ss.InputError, match=_names(*bad and fragments or fragments)):
            c.record_results(bad, time="2026-02-11T09:00:00+08:00")
        assert Path(c.path).stat().st_size == size
    with pytest.raises(ss.InputError, match="reason"):
        c.correct_result(4, r["id"], task=r["task"], reason=" ")
    with pytest.raises(ss.InputError, match=_names("record 3", "no result")):
        c.correct_result(3, r["id"], reason="x")
    assert Path(c.path).stat().st_size == size
    c.close()


def test_results_need_a_reveal(tmp_path: Path) -> None:
    with new_campaign(tmp_path / "c.jsonl") as c:
        with pytest.raises(ss.InputError, match=_names("before the seed is revealed", "reveal")):
            c.record_result("x", "正常")
        with pytest.raises(ss.InputError, match="before the seed is revealed"):
            c.selection_records()


def test_custom_outcomes_from_the_plan(tmp_path: Path) -> None:
    d = plan_dict()
    d["publication"] = {"outcomes": ["合格", "不合格"], "penalties": []}
    c = Campaign.create(tmp_path / "c.jsonl", d, targets(), inspectors(), randomness=DECLARATION,
                        time=COMMIT_TIME)
    sel, _ = c.reveal(SEED, time=REVEAL_TIME)
    r = sel.to_records()[0]
    with pytest.raises(ss.InputError, match=_names("'正常'", "合格")):
        c.record_result(r["id"], "正常", task=r["task"], time="2026-02-10T09:00:00+08:00")
    with pytest.raises(ss.InputError, match=_names("'警告'", "penalties []")):
        c.record_result(r["id"], "合格", task=r["task"], penalties=["警告"],
                        time="2026-02-10T09:00:00+08:00")
    c.record_result(r["id"], "不合格", task=r["task"], time="2026-02-10T09:00:00+08:00")
    c.close()
    assert ss.verify(tmp_path / "c.jsonl", targets(), inspectors()).clean


@pytest.mark.parametrize(("offset", "suffix"), [(None, "+08:00"), ("+00:00", "+00:00"),
                                                ("-05:30", "-05:30")])
def test_record_times_default_to_the_clock(tmp_path: Path, offset: str | None,
                                           suffix: str) -> None:
    """The default clock writes times in the plan's publication time zone (Beijing time unless
    the plan's publication.utc_offset says otherwise), never in the machine's local zone."""
    path = tmp_path / "c.jsonl"
    plan = plan_dict()
    if offset is not None:
        plan["publication"] = {"utc_offset": offset}
    c = Campaign.create(path, plan, targets(), inspectors())
    c.reveal(SEED)
    r = c.selection_records()[0]
    c.record_result(r["id"], "正常", task=r["task"])
    c.close()
    times = [rec.time for rec in read_log(path)]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d" + re.escape(suffix), t)
               for t in times), times
    assert times == sorted(times)


# -- notices -----------------------------------------------------------------------------------
def test_notices_are_recorded_by_digest(tmp_path: Path) -> None:
    from shuangsuiji import notices as nt

    path = tmp_path / "c.jsonl"
    c = new_campaign(path)
    plan = ss.Plan.from_dict(plan_dict())
    pn = nt.plan_notice(plan.to_dict(), ss.inclusion_probabilities(plan, targets()).summary(),
                        date="2026-01-05")
    seq = c.publish_notice(pn, where="https://example.gov.cn/notice/1",
                           time="2026-01-05T10:00:00+08:00")
    body = dict(_bodies(path))["notice"]
    assert seq == 1 and body["sha256"] == pn.sha256 and body["kind"] == "plan"
    assert body["where"] == "https://example.gov.cn/notice/1"
    assert "content" not in body and body["bytes"] == len(pn.content)
    tn = nt.task_notice(ss.draw(plan, targets(), SEED).to_records(), date="2026-01-12")
    with pytest.raises(ss.InputError, match=_names("task notice", "reveal")):
        c.publish_notice(tn, time="2026-01-05T11:00:00+08:00")
    c.reveal(SEED, time=REVEAL_TIME)
    with pytest.raises(ss.InputError, match="result notice needs at least one"):
        c.publish_notice({**pn.to_dict(), "kind": "result"}, time=REVEAL_TIME)
    for bad, fragment in [
        ({**pn.to_dict(), "kind": "other"}, "kind 'other'"),
        ({**pn.to_dict(), "sha256": "AB"}, "sha256 'AB'"),
        (5, "int"),
    ]:
        with pytest.raises(ss.InputError, match=re.escape(fragment)):
            c.publish_notice(bad, time=REVEAL_TIME)
    seq_t = c.publish_notice(tn, time=REVEAL_TIME)
    fixed = nt.task_notice(ss.draw(plan, targets(), SEED).to_records(), date="2026-01-12",
                           redaction=nt.RedactionPolicy(hide_inspector_names=True))
    with pytest.raises(ss.InputError, match=_names("record 1 is a plan notice", "task notice")):
        c.correct_notice(1, fixed, reason="x", time=REVEAL_TIME)
    with pytest.raises(ss.InputError, match="record 2 is not a notice"):
        c.correct_notice(2, fixed, reason="x", time=REVEAL_TIME)
    with pytest.raises(ss.InputError, match="reason"):
        c.correct_notice(seq_t, fixed, reason="", time=REVEAL_TIME)
    seq_c = c.correct_notice(seq_t, fixed, reason="漏脱敏", time=REVEAL_TIME)
    c.close()
    correction = read_log(path)[seq_c].body
    assert correction["corrects"] == seq_t and correction["notice"]["sha256"] == fixed.sha256
    report = ss.verify(path, targets(), inspectors())
    assert report.clean and report.summary["notices"] == {"plan": 1, "task": 2}
    assert json.loads(read_log(path)[1].line)["type"] == "notice"
