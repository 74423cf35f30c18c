"""The year in the log (issue 9, docs/spec.md §11.5–11.8): format ``shuangsuiji-campaign/2``,
batches, directed checks, results per batch, and verify replaying every batch from its own
registry snapshots and the history before it.

A two-batch year on the 300 test labs: batch 1 is ``campaign_helpers``'s campaign with year
rules; between the batches three labs close, one opens and credit classes are re-rated; batch 2
draws two of the three tasks. Every bad input is an InputError naming the culprit, and writes
nothing.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from pathlib import Path
from typing import Any

import pytest
from campaign_helpers import (
    COMMIT_TIME,
    DECLARATION,
    REVEAL_TIME,
    SEED,
    entries,
    forge,
    history,
    inspectors,
    plan_dict,
    targets,
)
from campaign_helpers import only as _only

import shuangsuiji as ss
from shuangsuiji import datasets
from shuangsuiji.cli import main
from shuangsuiji.cli.demo_year import write_csv
from shuangsuiji.datasets.officers import province_inspectors_records
from shuangsuiji.log.logfile import read_log
from shuangsuiji.randomness.declared import Randomness

DATA = Path(__file__).parent / "data"
DEPARTMENTS = ["市场监管局", "生态环境局"]
SEED2 = ss.Seed.from_sources(["05 09 12 20 27 31", "3388.17", "10412.55"])
DECLARATION2 = Randomness.sources(
    ["双色球第2026040期红球开奖号码", "上证综合指数2026-04-09收盘点位", "深证成份指数2026-04-09收盘点位"],
    "2026-04-08",
)
BATCH2_TIME = "2026-04-01T09:00:00+08:00"
REVEAL2_TIME = "2026-04-10T10:00:00+08:00"


def _names(*fragments: str) -> str:
    return "(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments)


def year_plan(cap: int = 2, officer_cap: int = 20) -> dict[str, Any]:
    d = plan_dict()
    d["year"] = {"departments": DEPARTMENTS, "cap": {"per_year": cap},
                 "officer_cap": {"per_year": officer_cap}}
    for t in d["tasks"]:
        t["department"] = DEPARTMENTS[0]
    return d


def plan2() -> dict[str, Any]:
    d = plan_dict()
    d["name"] = "测试省2026年第二批抽查"
    d["tasks"] = [d["tasks"][0], d["tasks"][2]]
    for t in d["tasks"]:
        t["department"] = DEPARTMENTS[0]
        t["team"] = {**t["team"], "as_of": "2026-04-01"}
    return d


@functools.cache
def targets2() -> ss.Targets:
    """Batch 2's snapshot: three labs closed, one new, every tenth re-rated."""
    rows = [dict(r) for r in datasets.province_labs_records(300)]
    for r in rows[::10]:
        r["credit"] = {"A": "B", "B": "C", "C": "D", "D": "A"}[r["credit"]]
    new = dict(rows[0], id="91130100MA0NEW0001", name="新设检测有限公司")
    return ss.Targets.from_records([*rows[3:], new], id="id")


@functools.cache
def inspectors2() -> Any:
    rows = province_inspectors_records()
    return ss.Inspectors.from_records(rows[:-5], id="id")


def batch1(path: Path, **kw: Any) -> ss.Campaign:
    c = ss.Campaign.create(path, kw.pop("plan", year_plan()), targets(), inspectors(),
                           randomness=DECLARATION, history=history(), time=COMMIT_TIME, **kw)
    c.reveal(SEED, time=REVEAL_TIME)
    return c


def two_batches(path: Path, **kw: Any) -> tuple[ss.Campaign, dict[str, Any]]:
    """Batch 1 revealed, a directed check and its result, batch 2 committed and revealed."""
    c = batch1(path, **kw)
    s1 = c.selection_records()
    facts: dict[str, Any] = {"s1": s1}
    facts["directed"] = c.record_directed(
        s1[0]["id"], reason="complaint", source="12315-2026-0042", department="市场监管局",
        date="2026-02-03", time="2026-02-04T09:00:00+08:00")
    facts["directed_result"] = c.record_result(
        s1[0]["id"], "正常", directed=facts["directed"], date="2026-02-05",
        time="2026-02-06T09:00:00+08:00")
    facts["result1"] = c.record_result(s1[1]["id"], "正常", task=s1[1]["task"],
                                       date="2026-02-10", time="2026-02-11T09:00:00+08:00")
    facts["batch"] = c.commit_batch(plan2(), targets2(), inspectors2(), randomness=DECLARATION2,
                                    recusals=[], time=BATCH2_TIME)
    sel2, _ = c.reveal(SEED2, time=REVEAL2_TIME)
    facts["s2"] = sel2.to_records()
    return c, facts


def _verify(path: Path, **kw: Any) -> ss.Report:
    return ss.verify(path, kw.get("targets", [targets(), targets2()]),
                     kw.get("inspectors", [inspectors(), inspectors2()]), kw.get("checkpoint"))


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("year") / "year.jsonl"
    c, facts = two_batches(path)
    r = facts["s2"][0]
    facts["result2"] = c.record_result(r["id"], "正常", task=r["task"], date="2026-04-12",
                                       time="2026-04-13T09:00:00+08:00")
    c.close()
    return path, facts


# -- the records ---------------------------------------------------------------------------------
def test_the_year_round_trip_verifies(year: tuple[Path, dict[str, Any]]) -> None:
    path, facts = year
    report = _verify(path)
    assert report.clean, report.text()
    s = report.summary
    assert s["batches"] == 2
    assert s["inspections"]["directed"] == 1
    assert s["inspections"]["random"] == len({r["id"] for r in facts["s1"]}) + len(
        {r["id"] for r in facts["s2"]})
    assert s["replayed"] == ("batch 1: π summary, selection, assignment; "
                             "batch 2: π summary, selection, assignment")
    assert s["results"] == f"3 of {len(facts['s1']) + len(facts['s2'])} drawn"
    # a mapping fingerprint -> registry works as well as a list
    by_fp = {t.fingerprint: t for t in (targets(), targets2())}
    by_fp_i = {i.fingerprint: i for i in (inspectors(), inspectors2())}
    assert _verify(path, targets=by_fp, inspectors=by_fp_i).clean


def test_the_records_of_a_year(year: tuple[Path, dict[str, Any]]) -> None:
    path, facts = year
    recs = read_log(path)
    c0 = recs[0].body
    assert c0["format"] == "shuangsuiji-campaign/2" and c0["batch"] == 1
    assert c0["prior"] == {"logs": [], "inspections": []}
    b = recs[facts["batch"]]
    assert b.type == "batch"
    assert set(b.body) == {"batch", "plan", "targets", "inspectors", "randomness",
                           "inclusion_probabilities", "assignment_inputs", "burden"}
    assert b.body["batch"] == 2 and "year" not in b.body["plan"]
    assert b.body["targets"]["fingerprint"] == targets2().fingerprint
    assert [recs[facts["batch"] + i].type for i in (1, 2, 3)] == ["seed", "selection",
                                                                  "assignment"]
    d = recs[facts["directed"]]
    assert d.type == "directed"
    assert d.body == {"id": facts["s1"][0]["id"], "reason": "投诉举报",
                      "source": "12315-2026-0042", "department": "市场监管局",
                      "date": "2026-02-03"}
    dr = recs[facts["directed_result"]].body
    assert dr["directed"] == facts["directed"] and dr["batch"] is None and dr["task"] is None
    assert recs[facts["result1"]].body["batch"] == 1
    assert recs[facts["result2"]].body["batch"] == 2


def test_one_registry_per_batch_is_needed(year: tuple[Path, dict[str, Any]]) -> None:
    path, facts = year
    report = _verify(path, targets=targets(), inspectors=inspectors())
    _only(report, facts["batch"], "registry", "for batch 2", "not the one committed")
    assert not report.at(0), report.text()
    assert report.summary["replayed"].startswith("batch 1: π summary, selection, assignment")
    report = _verify(path, targets=[targets()], inspectors=[inspectors()])
    _only(report, facts["batch"], "registry", "no targets registry", "batch 2")
    report = _verify(path, targets=[targets(), targets2(), targets()])
    _only(report, None, "registry", "3 targets registries", "2 batch")
    with pytest.raises(ss.InputError, match="targets must be"):
        ss.verify(path, {}, inspectors())


def test_reopened_campaign_reveals_the_next_batch(tmp_path: Path) -> None:
    path = tmp_path / "y.jsonl"
    batch1(path).close()
    with ss.Campaign.open(path, targets(), inspectors()) as c:
        c.commit_batch(plan2(), targets2(), inspectors2(), randomness=DECLARATION2,
                       time=BATCH2_TIME)
    with pytest.raises(ss.InputError, match="not the committed one"):
        ss.Campaign.open(path, targets(), inspectors())
    with ss.Campaign.open(path) as c:
        with pytest.raises(ss.InputError, match="reveal needs the target and inspector"):
            c.reveal(SEED2, time=REVEAL2_TIME)
        sel, _ = c.reveal(SEED2, targets=targets2(), inspectors=inspectors2(),
                          time=REVEAL2_TIME)
        assert c.batch == 2 and len(c.selection_records()) == len(sel)
        assert c.selection_records(1) != c.selection_records(2)
    assert _verify(path).clean


def test_results_default_to_the_latest_batch_that_drew_the_target(tmp_path: Path) -> None:
    c, facts = two_batches(tmp_path / "y.jsonl")
    both = {(r["task"], r["id"]) for r in facts["s1"]} & {(r["task"], r["id"])
                                                           for r in facts["s2"]}
    assert both, "the fixture needs a lab drawn by the same task in both batches"
    task, tid = min(both)
    seq = c.record_result(tid, "正常", task=task, time="2026-04-13T09:00:00+08:00")
    assert read_log(c.path)[seq].body["batch"] == 2
    seq = c.record_result(tid, "正常", task=task, batch=1, date="2026-04-12",
                          time="2026-04-13T09:00:00+08:00")
    assert read_log(c.path)[seq].body["batch"] == 1
    with pytest.raises(ss.InputError, match=_names("batch 3", "not a revealed batch")):
        c.record_result(tid, "正常", task=task, batch=3, time="2026-04-13T09:00:00+08:00")
    c.close()
    assert _verify(Path(c.path)).clean


def test_officer_cap_and_rotation_use_the_year(tmp_path: Path) -> None:
    """Batch 2's teams: nobody over the yearly officer cap, and nobody on a lab they inspected
    in batch 1 (rotation from the log)."""
    c, _ = two_batches(tmp_path / "y.jsonl", plan=year_plan(officer_cap=4))
    a1, a2 = c.assignment_records(1), c.assignment_records(2)
    load: dict[str, set[tuple[int, str]]] = {}
    for k, rows in ((1, a1), (2, a2)):
        for r in rows:
            if r["role"] == "officer":
                load.setdefault(r["inspector"], set()).add((k, r["visit"]))
    assert max(len(v) for v in load.values()) <= 4
    before = {(r["inspector"], r["id"]) for r in a1}
    assert not before & {(r["inspector"], r["id"]) for r in a2}
    c.close()


# -- bad input, each naming the culprit, nothing written -----------------------------------------
def _size(c: ss.Campaign) -> int:
    return Path(c.path).stat().st_size


def test_commit_batch_refusals(tmp_path: Path) -> None:
    c = ss.Campaign.create(tmp_path / "y.jsonl", year_plan(), targets(), inspectors(),
                           randomness=DECLARATION, history=history(), time=COMMIT_TIME)
    size = _size(c)
    kw: dict[str, Any] = {"randomness": DECLARATION2, "time": BATCH2_TIME}
    with pytest.raises(ss.InputError, match=_names("batch 1 is not revealed", "reveal")):
        c.commit_batch(plan2(), targets2(), inspectors2(), **kw)
    c.reveal(SEED, time=REVEAL_TIME)
    size = _size(c)
    with_year = {**plan2(), "year": {"cap": {"per_year": 1}}}
    with pytest.raises(ss.InputError, match=_names("batch 2", "'year'")):
        c.commit_batch(with_year, targets2(), inspectors2(), **kw)
    bad_dep = plan2()
    bad_dep["tasks"][1]["department"] = "税务局"
    with pytest.raises(ss.InputError, match=_names("税务局", "departments")):
        c.commit_batch(bad_dep, targets2(), inspectors2(), **kw)
    bad_pub = {**plan2(), "publication": {"deadline_working_days": 5}}
    with pytest.raises(ss.InputError, match=_names("publication", "first batch")):
        c.commit_batch(bad_pub, targets2(), inspectors2(), **kw)
    with pytest.raises(ss.InputError, match=_names("batch 2's commitment", "2026-04-08")):
        c.commit_batch(plan2(), targets2(), inspectors2(), randomness=DECLARATION2,
                       time="2026-04-09T09:00:00+08:00")
    with pytest.raises(ss.InputError, match="targets must be"):
        c.commit_batch(plan2(), [], inspectors2(), **kw)  # type: ignore[arg-type]
    assert _size(c) == size
    c.close()


def test_commit_batch_refused_on_a_v1_log(tmp_path: Path) -> None:
    path = tmp_path / "v1.jsonl"
    path.write_bytes((DATA / "campaign-v1.jsonl").read_bytes())
    with ss.Campaign.open(path, targets(), inspectors()) as c:
        with pytest.raises(ss.InputError, match=_names("shuangsuiji-campaign/1", "single batch")):
            c.commit_batch(plan2(), targets2(), inspectors2(), randomness=DECLARATION2,
                           time="2026-04-01T09:00:00+08:00")
        with pytest.raises(ss.InputError, match=_names("shuangsuiji-campaign/1", "directed")):
            c.record_directed(targets().ids()[0], reason="投诉举报", source="x",
                              department=None, date="2026-03-01",
                              time="2026-04-01T09:00:00+08:00")
    assert path.read_bytes() == (DATA / "campaign-v1.jsonl").read_bytes()


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        ({"target_id": "91130000NOTALAB00X"}, ["91130000NOTALAB00X", "not in the target registry"]),
        ({"department": "税务局"}, ["税务局", "not one of the year's departments"]),
        ({"department": None}, ["department None"]),
        ({"date": "2026-02-05"}, ["2026-02-05", "after the record's day"]),
        ({"date": "02/03/2026"}, ["02/03/2026"]),
        ({"reason": "anonymous"}, ["'anonymous'", "投诉举报"]),
        ({"source": ""}, ["source ''"]),
    ],
)
def test_record_directed_refusals(
    tmp_path: Path, change: dict[str, Any], fragments: list[str]
) -> None:
    c = ss.Campaign.create(tmp_path / "y.jsonl", year_plan(), targets(), inspectors(),
                           randomness=DECLARATION, time=COMMIT_TIME)
    size = _size(c)
    args: dict[str, Any] = {"target_id": targets().ids()[5], "reason": "投诉举报",
                            "source": "12315-1", "department": "生态环境局",
                            "date": "2026-02-03", "time": "2026-02-04T09:00:00+08:00"}
    args.update(change)
    with pytest.raises(ss.InputError, match=_names(*fragments)):
        c.record_directed(args.pop("target_id"), **args)
    assert _size(c) == size
    c.close()


def test_directed_reasons_accept_english_and_need_no_reveal(tmp_path: Path) -> None:
    with ss.Campaign.create(tmp_path / "y.jsonl", year_plan(), targets(), inspectors(),
                            randomness=DECLARATION, time=COMMIT_TIME) as c:
        tid = targets().ids()[7]
        seqs = [c.record_directed(tid, reason=r, source=f"s{i}", department="市场监管局",
                                  date="2026-01-06", time="2026-01-06T09:00:00+08:00")
                for i, r in enumerate(["complaint", "referral", "monitoring", "other", "其他"])]
        reasons = [read_log(c.path)[s].body["reason"] for s in seqs]
        assert reasons == ["投诉举报", "转办交办", "监测发现", "其他", "其他"]
        res = c.record_result(tid, "正常", directed=seqs[0], date="2026-01-06",
                              time="2026-01-06T10:00:00+08:00")
        with pytest.raises(ss.InputError, match=_names("already has a result", str(res))):
            c.record_result(tid, "正常", directed=seqs[0], time="2026-01-06T10:00:00+08:00")
        with pytest.raises(ss.InputError, match=_names("before the directed check's date")):
            c.record_result(tid, "正常", directed=seqs[1], date="2026-01-05",
                            time="2026-01-06T10:00:00+08:00")
        with pytest.raises(ss.InputError, match=_names("directed=99", "not the seq")):
            c.record_result(tid, "正常", directed=99, time="2026-01-06T10:00:00+08:00")
        with pytest.raises(ss.InputError, match=_names("is of target", tid)):
            c.record_result(targets().ids()[8], "正常", directed=seqs[1],
                            time="2026-01-06T10:00:00+08:00")
        with pytest.raises(ss.InputError, match=_names("no task or batch")):
            c.record_result(tid, "正常", directed=seqs[1], task="x",
                            time="2026-01-06T10:00:00+08:00")


def test_a_directed_check_beyond_the_cap_is_written_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "y.jsonl"
    with batch1(path, plan=year_plan(cap=1)) as c:
        tid = c.selection_records()[0]["id"]
        seq = c.record_directed(tid, reason="投诉举报", source="12315-9", department="市场监管局",
                                date="2026-02-03", time="2026-02-04T09:00:00+08:00")
    report = _verify(path, targets=targets(), inspectors=inspectors())
    assert report.ok, report.text()
    [warning] = report.warnings
    assert warning.seq == seq and warning.code == "cap"
    assert tid in warning.message and "cap of 1" in warning.message


# -- prior years ----------------------------------------------------------------------------------
def test_prior_year_logs_are_verified_and_committed(tmp_path: Path) -> None:
    prior = [(DATA / "campaign-v1.jsonl", targets(), inspectors())]
    with ss.Campaign.create(tmp_path / "y.jsonl", year_plan(), targets(), inspectors(),
                            randomness=None, time="2027-01-05T09:00:00+08:00",
                            prior=prior) as c:
        body = c.state.commitment
    assert body is not None
    old = read_log(DATA / "campaign-v1.jsonl")
    [log] = body["prior"]["logs"]
    assert log["size"] == len(old) and log["first_day"] == "2026-01-05"
    v1 = ss.verify(DATA / "campaign-v1.jsonl", targets(), inspectors())
    assert log["root"] == v1.summary["root"]
    rows = body["prior"]["inspections"]
    drawn = {r.body["rows"]["id"][i] for r in old if r.type == "selection"
             for i in range(r.body["count"])}
    assert rows == sorted(rows) and {r[0] for r in rows} == drawn
    assert {(r[1], r[2]) for r in rows} == {("2026-01-12", "random")}
    assert _verify(tmp_path / "y.jsonl", targets=targets(), inspectors=inspectors()).ok


def test_a_prior_log_that_does_not_verify_is_refused(tmp_path: Path) -> None:
    def edit(e: list[list[Any]]) -> None:
        e[2][1]["rows"]["id"][0] = e[2][1]["rows"]["id"][1]

    forged = forge(tmp_path, DATA / "campaign-v1.jsonl", edit)
    path = tmp_path / "y.jsonl"
    with pytest.raises(ss.InputError, match=_names("prior[0]", "does not verify", "FAILED",
                                                   "seq 2")):
        ss.Campaign.create(path, year_plan(), targets(), inspectors(), randomness=None,
                           time="2027-01-05T09:00:00+08:00",
                           prior=[(forged, targets(), inspectors())])
    assert not path.exists()


# -- tampering ------------------------------------------------------------------------------------
def _without_line(path: Path, seq: int, out: Path) -> Path:
    lines = path.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(line for i, line in enumerate(lines) if i != seq))
    return out


def test_a_removed_or_edited_directed_check_is_caught_at_its_seq(
    year: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, facts = year
    d = facts["directed"]
    report = _verify(_without_line(path, d, tmp_path / "cut.jsonl"))
    _only(report, d, "chain")
    lines = path.read_bytes().splitlines(keepends=True)
    lines[d] = lines[d].replace(b"2026-02-03", b"2026-01-03")
    (tmp_path / "edit.jsonl").write_bytes(b"".join(lines))
    _only(_verify(tmp_path / "edit.jsonl"), d, "chain")
    # re-chained without the directed check: its result names a check that is not there
    forged = forge(tmp_path, path, lambda e: [x for i, x in enumerate(e) if i != d])
    _only(_verify(forged), facts["directed_result"] - 1, "order", "directed check")


def test_an_edited_result_is_caught_at_its_seq(
    year: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, facts = year
    seq = facts["result1"]
    lines = path.read_bytes().splitlines(keepends=True)
    lines[seq] = lines[seq].replace("正常".encode(), "未按规定公示".encode())
    (tmp_path / "edit.jsonl").write_bytes(b"".join(lines))
    _only(_verify(tmp_path / "edit.jsonl"), seq, "chain")

    def other_batch(e: list[list[Any]]) -> None:
        e[seq][1]["batch"] = 2

    _only(_verify(forge(tmp_path, path, other_batch)), seq, "order", "not drawn in batch 2")


def test_an_earlier_batch_edit_is_reported_in_every_later_batch_it_changes(
    tmp_path: Path,
) -> None:
    """Batch 1's assignment forged so that one officer of batch 2 has used up the yearly officer
    cap: batch 1's replay fails at its assignment, and batch 2's too (its officer capacities
    come from batch 1's teams)."""
    path = tmp_path / "y.jsonl"
    c, facts = two_batches(path, plan=year_plan(officer_cap=6))
    c.close()
    recs = entries(path)
    a1 = next(i for i, r in enumerate(recs) if r[0] == "assignment")
    a2 = max(i for i, r in enumerate(recs) if r[0] == "assignment")
    busy = next(p for p, r in zip(recs[a2][1]["rows"]["inspector"], recs[a2][1]["rows"]["role"])
                if r == "officer")

    def edit(e: list[list[Any]]) -> None:
        rows = e[a1][1]["rows"]
        rows["inspector"] = [busy if r == "officer" else p
                             for p, r in zip(rows["inspector"], rows["role"])]

    report = _verify(forge(tmp_path, path, edit))
    _only(report, a1, "replay", "assignment")
    _only(report, a2, "replay", "assignment")
    assert not report.at(facts["batch"]), report.text()


def test_removing_a_directed_check_changes_the_next_batch_once_burden_is_wired(
    tmp_path: Path,
) -> None:
    """With the burden (spec §11.4) wired in, a directed check that puts a lab at its cap makes
    the lab ineligible in batch 2; removing it is reported at batch 2's record too."""
    pytest.importorskip("shuangsuiji.sampling.burden")
    path = tmp_path / "y.jsonl"
    c = batch1(path, plan=year_plan(cap=1))
    tid = next(t for t in targets2().ids() if t not in {r["id"] for r in c.selection_records()}
               and targets2().select([targets2().index_of(t)]).to_records()[0]["field"] == "食品")
    d = c.record_directed(tid, reason="投诉举报", source="12315-7", department="市场监管局",
                          date="2026-02-03", time="2026-02-04T09:00:00+08:00")
    b = c.commit_batch(plan2(), targets2(), inspectors2(), randomness=DECLARATION2,
                       time=BATCH2_TIME)
    c.close()
    report = _verify(forge(tmp_path, path, lambda e: [x for i, x in enumerate(e) if i != d]))
    _only(report, b - 1, "replay", "batch 2")


# -- the command line -----------------------------------------------------------------------------
def _registry_files(folder: Path) -> dict[str, Path]:
    rows = [dict(r) for r in datasets.province_labs_records(300)]
    for r in rows[::10]:
        r["credit"] = {"A": "B", "B": "C", "C": "D", "D": "A"}[r["credit"]]
    new = dict(rows[0], id="91130100MA0NEW0001", name="新设检测有限公司")
    people = province_inspectors_records()
    return {
        "t1": write_csv(folder / "t1.csv", datasets.province_labs_records(300)),
        "t2": write_csv(folder / "t2.csv", [*rows[3:], new]),
        "i1": write_csv(folder / "i1.csv", people),
        "i2": write_csv(folder / "i2.csv", people[:-5]),
    }


def _main(args: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(args)
    return code, out.getvalue()


def test_cli_verify_takes_one_registry_per_batch(
    year: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, facts = year
    f = _registry_files(tmp_path)
    code, text = _main(["verify", str(path), "--targets", str(f["t1"]), "--targets",
                        str(f["t2"]), "--inspectors", str(f["i1"]), "--inspectors", str(f["i2"])])
    assert code == 0, text
    assert "batch 2: π summary, selection, assignment" in text
    code, text = _main(["verify", str(path), "--targets", str(f["t1"]), "--inspectors",
                        str(f["i1"])])
    assert code == 1, text
    assert f"seq {facts['batch']}: error: the targets registry supplied for batch 2" in text


# -- the year summary -----------------------------------------------------------------------------
def test_year_summary(year: tuple[Path, dict[str, Any]]) -> None:
    path, facts = year
    with ss.Campaign.open(path) as c:
        s = c.year_summary(enterprises=targets().ids())
    ids1 = {r["id"] for r in facts["s1"]}
    ids2 = {r["id"] for r in facts["s2"]}
    assert s.batches == 2 and s.directed == 1 and s.random == len(ids1) + len(ids2)
    assert sum(n * c for n, c in s.times.items()) == s.random + s.directed
    assert s.times[0] == len(set(targets().ids()) - ids1 - ids2 - {facts["s1"][0]["id"]})
    assert s.cap == 2 and s.at_cap == sum(1 for n in s.times if n >= 2 for _ in range(s.times[n]))
    assert "年度抽查汇总" in s.text("zh") and "被检查 1 次" in s.text("zh")
    assert "Directed checks" in s.text("en") and "yearly cap of 2" in s.text("en")


@pytest.mark.parametrize(
    ("kw", "fragments"),
    [
        ({"batches": -1, "inspections": []}, ["batches", "-1"]),
        ({"batches": 1, "inspections": [{"id": "x", "kind": "prior"}]},
         ["inspections[0]", "'kind'", "'prior'"]),
        ({"batches": 1, "inspections": [{"kind": "random"}]}, ["inspections[0]", "'id'"]),
        ({"batches": 1, "inspections": [], "cap": 0}, ["cap", "0"]),
    ],
)
def test_year_summary_bad_input(kw: dict[str, Any], fragments: list[str]) -> None:
    with pytest.raises(ss.InputError, match=_names(*fragments)):
        ss.notices.year_summary(**kw)
    with pytest.raises(ss.InputError, match="lang 'fr'"):
        ss.notices.year_summary(batches=1, inspections=[]).text("fr")
