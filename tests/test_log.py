"""The campaign log (docs/spec.md §9): format, chain, Merkle tree, checkpoints, lock, repair.

Tamper tests change every byte of a small log, one at a time, and require the chain check (plus
a checkpoint, for the last line) to name the record that was changed.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import ref_merkle
import rfc8785

import shuangsuiji as ss
from shuangsuiji import InputError, LogError
from shuangsuiji.log import canonical, merkle
from shuangsuiji.log import logfile as L
from shuangsuiji.log.logfile import (
    Checkpoint,
    Log,
    TornLogError,
    check_chain,
    check_checkpoint,
    read_log,
)

CST = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=CST)
SPEC = (Path(__file__).resolve().parents[1] / "docs" / "spec.md").read_text(encoding="utf-8")


def _entries() -> list[tuple[str, dict[str, Any], Any]]:
    return [
        ("commitment", {"plan": {"name": "河北 2025 检验检测", "rate": 0.05}, "n": 2600}, T0),
        ("seed", {"hex": "9f2c" * 8, "sources": ["9319", "2 5 12 8 10"]}, "2025-03-02T10:00:00Z"),
        (
            "selection",
            {"ids": ["91130100MA0C0001X1", "91130100MA0C0002X2"], "pi": [0.5, 1.0]},
            None,
        ),
        ("result", {"id": "91130100MA0C0001X1", "outcome": "正常"}, dt.date(2025, 6, 1)),
    ]


def _make(path: Path) -> list[L.Record]:
    with Log.create(path) as log:
        for type_, body, time in _entries():
            log.append(type_, body, time=time)
        return log.records()


def _seqs(problems: list[L.LogProblem]) -> set[int | None]:
    return {p.seq for p in problems}


# -- format -----------------------------------------------------------------------------------------
def test_lines_are_canonical_json_chained_by_sha256(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    recs = _make(path)
    data = path.read_bytes()
    lines = data.split(b"\n")
    assert lines[-1] == b"" and len(lines) == 5
    prev = "0" * 64
    for seq, (line, (type_, body, _)) in enumerate(zip(lines[:-1], _entries())):
        obj = json.loads(line)
        assert list(obj) == ["body", "prev", "seq", "time", "type"]
        assert line == rfc8785.dumps(obj)  # the independent canonicaliser agrees
        assert (obj["seq"], obj["prev"], obj["type"], obj["body"]) == (seq, prev, type_, body)
        assert recs[seq].line == line and recs[seq].line_hash == hashlib.sha256(line).hexdigest()
        assert recs[seq].leaf_hash == merkle.leaf_hash(line)
        assert recs[seq].body == body
        prev = hashlib.sha256(line).hexdigest()
    assert [r.time for r in recs[:2]] == ["2025-03-01T09:00:00+08:00", "2025-03-02T10:00:00Z"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", recs[2].time)  # the clock, in UTC
    assert recs[3].time == "2025-06-01"
    assert b'"pi":[0.5,1]' in lines[2]  # 1.0 is written as RFC 8785 writes it


def test_reopen_reads_the_same_records_and_appends_after_them(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    recs = _make(path)
    with Log.open(path) as log:
        assert log.records() == recs and len(log) == 4 and log.head == recs[-1].line_hash
        r = log.append("notice", {"kind": "plan"}, time=T0)
        assert (r.seq, r.prev, r.offset) == (
            4,
            recs[-1].line_hash,
            path.stat().st_size - len(r.line) - 1,
        )
    assert read_log(path)[-1] == r
    assert check_chain(read_log(path)) == []


def test_body_is_a_fresh_dict_on_every_access(tmp_path: Path) -> None:
    recs = _make(tmp_path / "c.log")
    b = recs[0].body
    b["plan"]["name"] = "changed"
    assert recs[0].body["plan"]["name"] == "河北 2025 检验检测"


def test_merkle_root_and_proofs_of_the_log(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    _make(path)
    with Log.open(path) as log:
        lines = [r.line for r in log.records()]
        assert log.root() == merkle.root(lines).hex()
        assert log.root(2) == merkle.root(lines[:2]).hex()
        assert log.root(0) == merkle.EMPTY_ROOT.hex()
        for size in range(1, 5):
            for seq in range(size):
                proof = log.inclusion_proof(seq, size)
                assert merkle.verify_inclusion(lines[seq], seq, size, proof, log.root(size))
            for old in range(1, size + 1):
                proof = log.consistency_proof(old, size)
                assert merkle.verify_consistency(old, size, log.root(old), log.root(size), proof)
        with pytest.raises(InputError, match="seq 4 is not a record of a log of size 4"):
            log.inclusion_proof(4)
        with pytest.raises(InputError, match="size 5 is outside 0..4"):
            log.root(5)
        with pytest.raises(InputError, match="old size 3 is outside 0..2"):
            log.consistency_proof(3, 2)


# -- failed appends write nothing -------------------------------------------------------------------
@pytest.mark.parametrize(
    "type_,body,time,words",
    [
        ("result", {"x": float("nan")}, None, 'body["x"]: nan is not a JSON number'),
        ("result", {"ids": [1, {2, 3}]}, None, 'body["ids"][1]: builtins.set'),
        ("result", {"h": 2**64 - 1}, None, 'body["h"]: the integer 18446744073709551615'),
        ("result", {"d": dt.date(2025, 1, 1)}, None, 'body["d"]: datetime.date'),
        ("result", ["not", "a", "dict"], None, "body is a list; give a dict"),
        ("Result", {}, None, "record type 'Result' is not a type name"),
        ("", {}, None, "record type '' is not a type name"),
        ("result", {}, dt.datetime(2025, 3, 1, 9), "has no time zone"),
        ("result", {}, "2025-02-30", "time '2025-02-30' has no such date"),
        ("result", {}, "yesterday", "time 'yesterday' is not an RFC 3339 date-time"),
        ("result", {}, 20250301, "time 20250301 is a int"),
    ],
)
def test_a_bad_append_raises_and_leaves_the_file_unchanged(
    tmp_path: Path, type_: str, body: Any, time: Any, words: str
) -> None:
    path = tmp_path / "c.log"
    _make(path)
    before = path.read_bytes()
    with Log.open(path) as log:
        with pytest.raises(InputError) as e:
            log.append(type_, body, time=time)
        assert words in str(e.value)
        assert not isinstance(e.value, LogError)
        assert len(log) == 4 and path.read_bytes() == before
        log.append("result", {"ok": True}, time=T0)  # the log still works
    assert check_chain(read_log(path)) == []


def test_append_many_is_all_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    _make(path)
    before = path.read_bytes()
    with Log.open(path) as log:
        with pytest.raises(InputError, match=r'body\["x"\]'):
            log.append_many([("result", {"x": 1}), ("result", {"x": float("inf")}, T0)])
        with pytest.raises(InputError, match="entry 0 is 'result'"):
            log.append_many(["result"])  # type: ignore[list-item]
        assert path.read_bytes() == before
        out = log.append_many([("result", {"x": i}, T0) for i in range(3)])
        assert [r.seq for r in out] == [4, 5, 6] and log.append_many([]) == []
    assert check_chain(read_log(path)) == []


@pytest.mark.parametrize("fail", ["write", "fsync"])
def test_a_failed_write_is_truncated_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: str
) -> None:
    path = tmp_path / "c.log"
    _make(path)
    before = path.read_bytes()
    real_write = os.write

    def half_write(fd: int, data: Any) -> int:  # a disk that fills up mid-line
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    def bad_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    with Log.open(path) as log:
        if fail == "write":
            monkeypatch.setattr(L.os, "write", half_write)
        else:
            monkeypatch.setattr(L.os, "fsync", bad_fsync)
        with pytest.raises(LogError, match="could not append to .*nothing was added"):
            log.append("result", {"x": 1}, time=T0)
        monkeypatch.undo()
        assert path.read_bytes() == before and len(log) == 4
        log.append("result", {"x": 2}, time=T0)
    assert check_chain(read_log(path)) == []


def test_append_refuses_a_file_changed_behind_its_back(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    _make(path)
    with Log.open(path) as log:
        with open(path, "ab") as f:  # a writer that ignores the lock
            f.write(b'{"junk":1}\n')
        with pytest.raises(LogError, match="changed on disk since it was opened"):
            log.append("result", {}, time=T0)


# -- opening, locking, closing ------------------------------------------------------------------------
def test_create_open_and_close_errors(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    with pytest.raises(LogError, match="there is no log at"):
        Log.open(path)
    with pytest.raises(LogError, match="cannot create log"):
        Log.create(tmp_path / "no-such-dir" / "c.log")
    log = Log.create(path)
    log.close()
    log.close()  # idempotent
    assert log.closed and "closed" in repr(log)
    with pytest.raises(LogError, match="is closed"):
        log.append("x", {})
    with pytest.raises(LogError, match="already exists"):
        Log.create(path)
    with Log.create(path, exist_ok=True) as again:
        assert len(again) == 0 and again.checkpoint() == Checkpoint(
            0, merkle.EMPTY_ROOT.hex(), "0" * 64
        )


def test_a_second_writer_is_locked_out(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    _make(path)
    with Log.open(path):
        with pytest.raises(LogError, match="is locked") as e:
            Log.open(path)
        if sys.platform.startswith("linux"):
            assert f"pid {os.getpid()}" in str(e.value)
        with pytest.raises(LogError, match="is locked"):
            L.repair(path)
    with Log.open(path) as log:  # released on close
        assert len(log) == 4


def test_the_lock_names_another_process(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    _make(path)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from shuangsuiji.log.logfile import Log
            log = Log.open({str(path)!r})
            print("ready", flush=True)
            sys.stdin.read()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        with pytest.raises(LogError, match="is locked") as e:
            Log.open(path)
        if sys.platform.startswith("linux"):
            assert f"by process {child.pid}" in str(e.value)
    finally:
        child.communicate("")
    with Log.open(path) as log:
        assert len(log) == 4


def test_open_refuses_a_log_whose_chain_does_not_check(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    _make(path)
    data = path.read_bytes()
    path.write_bytes(
        data.replace("正常".encode(), "违规".encode()).replace(b"MA0C0002", b"MA0C0003")
    )
    with pytest.raises(
        LogError, match=r"fails its chain check \(1 problem; first: seq 2: record 2"
    ):
        Log.open(path)


# -- torn lines and repair ------------------------------------------------------------------------------
def test_a_torn_last_line_is_reported_with_its_offset_and_repaired(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    recs = _make(path)
    whole = path.read_bytes()
    fragment = b'{"body":{"id":"91130100MA0C0002X2","outc'
    path.write_bytes(whole + fragment)
    for reader in (Log.open, read_log):
        with pytest.raises(TornLogError, match=f"torn at byte {len(whole)}") as e:
            reader(path)
        assert (e.value.offset, e.value.length) == (len(whole), len(fragment))
        assert e.value.records == recs
        assert isinstance(e.value, LogError) and "repair" in str(e.value)
    side = L.repair(path)
    assert side == path.with_name(f"c.log.torn-{len(whole)}")
    assert side.read_bytes() == fragment and path.read_bytes() == whole
    with pytest.raises(LogError, match="nothing to repair"):
        L.repair(path)
    with Log.open(path) as log:
        assert log.records() == recs
        log.append("result", {"id": "x"}, time=T0)
    # The same tear again at the same offset with other bytes: a second side file, nothing lost.
    path.write_bytes(whole + b"{}")
    path.write_bytes(whole + b'{"x')
    side2 = L.repair(path)
    assert side2.name == f"c.log.torn-{len(whole)}-2" and side2.read_bytes() == b'{"x'
    assert side.read_bytes() == fragment


def test_a_log_of_only_a_fragment(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    path.write_bytes(b'{"bo')
    with pytest.raises(TornLogError, match="torn at byte 0"):
        read_log(path)
    assert L.repair(path).read_bytes() == b'{"bo' and path.read_bytes() == b""
    assert read_log(path) == []


# -- tampering ------------------------------------------------------------------------------------------
def _problems(data: bytes, cp: Checkpoint | None, path: Path) -> set[int | None]:
    path.write_bytes(data)
    try:
        recs = read_log(path)
    except TornLogError as e:  # the last newline changed: caught, at the last line's offset
        return {-e.offset}
    found = _seqs(check_chain(recs))
    if cp is not None:
        found |= _seqs(check_checkpoint(recs, cp))
    return found


def test_every_changed_byte_is_reported_at_its_seq(tmp_path: Path) -> None:
    src = tmp_path / "c.log"
    recs = _make(src)
    with Log.open(src) as log:
        cp = log.checkpoint()
    data = src.read_bytes()
    starts = [r.offset for r in recs]
    work = tmp_path / "w.log"
    for pos in range(len(data)):
        seq = max(i for i, s in enumerate(starts) if s <= pos)
        for new in {data[pos] ^ 0x01, data[pos] ^ 0x40, 0x0A, 0x20} - {data[pos]}:
            bad = data[:pos] + bytes([new]) + data[pos + 1 :]
            last = seq == len(recs) - 1
            if not last:
                assert seq in _problems(bad, None, work), (pos, new)
            with_cp = _problems(bad, cp, work)
            assert seq in with_cp or -starts[seq] in with_cp, (pos, new, with_cp)


def test_reordered_deleted_duplicated_and_truncated_records(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    _make(path)
    with Log.open(path) as log:
        log.append_many([("result", {"i": i}, T0) for i in range(4)])
        cp = log.checkpoint()
    lines = path.read_bytes().split(b"\n")[:-1]

    def check(ls: list[bytes], checkpoint: Checkpoint | None = None) -> list[L.LogProblem]:
        path.write_bytes(b"".join(x + b"\n" for x in ls))
        recs = read_log(path)
        out = check_chain(recs)
        return out + (check_checkpoint(recs, checkpoint) if checkpoint else [])

    swapped = lines[:3] + [lines[4], lines[3]] + lines[5:]
    (p,) = check(swapped)
    assert p.seq == 3 and re.match(
        r"record 3 \(byte \d+\) is out of order: it comes after record 4", p.message
    )
    deleted = lines[:2] + lines[3:]
    (p,) = check(deleted)
    assert p.seq == 2 and "record 2 is missing (the log jumps to record 3" in p.message
    gap = lines[:2] + lines[5:]
    assert [p.seq for p in check(gap)] == [2] and "records 2-4 are missing" in check(gap)[0].message
    dup = lines[:4] + [lines[3]] + lines[4:]
    assert [p.seq for p in check(dup)] == [3] and "seq 3 appears twice" in check(dup)[0].message
    truncated = lines[:6]
    assert check(truncated) == []  # the chain alone cannot see a cut-off tail...
    (p,) = check(truncated, cp)  # ...a checkpoint can
    assert p.seq == 6 and "has 6 records, 2 fewer than the 8 the checkpoint" in p.message
    assert "truncated, or records were deleted and the chain rebuilt" in p.message
    assert check(lines, cp) == []
    first_line_gone = lines[1:]
    assert [p.seq for p in check(first_line_gone)] == [0]
    far = lines[:7] + [lines[7].replace(b'"seq":7', b'"seq":1000000000000000')]
    problems = check(far)  # a forged huge seq is reported, not counted through
    assert [p.seq for p in problems] == [7]
    assert "records 7-999999999999999 are missing" in problems[0].message


def test_a_rewritten_log_with_a_recomputed_chain_is_caught_by_a_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    _make(path)
    with Log.open(path) as log:
        cp_old = log.checkpoint()
        log.append("result", {"id": "91130100MA0C0002X2", "outcome": "正常"}, time=T0)
        cp = log.checkpoint()
    forged = tmp_path / "forged.log"
    with Log.create(forged) as log:  # the same records, one outcome changed, chain recomputed
        for r in read_log(path):
            body = r.body
            if r.type == "result":
                body["outcome"] = "未按规定公示"
            log.append(r.type, body, time=r.time)
    recs = read_log(forged)
    assert check_chain(recs) == []
    (p,) = check_checkpoint(recs, cp)
    assert p.seq == 4 and "not the one the checkpoint certified" in p.message
    (p,) = check_checkpoint(recs, cp_old)
    assert p.seq == 3
    # A rewrite that leaves the last certified line alone (and so breaks the chain) shows as a
    # changed root; the chain check names the record.
    lines = path.read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"9f2c", b"9f2d", 1)
    path.write_bytes(b"\n".join(lines))
    recs = read_log(path)
    assert _seqs(check_checkpoint(recs, cp)) == {None}
    assert _seqs(check_chain(recs)) == {1}


def test_checkpoints_extend_and_do_not_fit_other_logs(tmp_path: Path) -> None:
    a, b = tmp_path / "a.log", tmp_path / "b.log"
    _make(a)
    with Log.open(a) as log:
        early = log.checkpoint()
        log.append("result", {"late": True}, time=T0)
        assert check_checkpoint(log.records(), early) == []
        assert (
            check_checkpoint(log.records(), Checkpoint(0, merkle.EMPTY_ROOT.hex(), "0" * 64)) == []
        )
    with Log.create(b) as log:
        log.append("commitment", {"other": 1}, time=T0)
        log.append_many([("x", {}, T0)] * 5)
        assert check_checkpoint(log.records(), early) != []


# -- checkpoints as files ---------------------------------------------------------------------------------
def test_checkpoint_json_round_trip_and_file(tmp_path: Path) -> None:
    path = tmp_path / "c.log"
    _make(path)
    with Log.open(path) as log:
        cp = log.checkpoint()
    text = cp.to_json()
    assert json.loads(text) == {
        "format": "shuangsuiji-checkpoint/1",
        "head": cp.head,
        "root": cp.root,
        "size": 4,
    }
    assert text.encode() == rfc8785.dumps(json.loads(text))
    assert Checkpoint.from_json(text) == cp == Checkpoint.from_json(text.encode())
    saved = cp.save(tmp_path / "cp.json")
    assert saved.read_text() == text + "\n" and Checkpoint.load(saved) == cp
    assert ss.Checkpoint is Checkpoint


@pytest.mark.parametrize(
    "text,words",
    [
        ("[]", "a checkpoint is a JSON object, not list"),
        ("{", "checkpoint is not JSON"),
        ('{"format":"other/1"}', "checkpoint format 'other/1'"),
        (
            '{"format":"shuangsuiji-checkpoint/1","size":1,"root":"' + "a" * 64 + '"}',
            "checkpoint has no 'head'",
        ),
        (
            '{"format":"shuangsuiji-checkpoint/1","size":-1,"root":"'
            + "a" * 64
            + '","head":"'
            + "b" * 64
            + '"}',
            "checkpoint size -1",
        ),
        (
            '{"format":"shuangsuiji-checkpoint/1","size":1,"root":"'
            + "A" * 64
            + '","head":"'
            + "b" * 64
            + '"}',
            "checkpoint root 'AAAA",
        ),
        (
            '{"format":"shuangsuiji-checkpoint/1","size":1,"root":"'
            + "a" * 64
            + '","head":"'
            + "b" * 64
            + '","x":1}',
            "checkpoint has unknown keys ['x']",
        ),
        (
            '{"format":"shuangsuiji-checkpoint/1","size":0,"root":"'
            + "a" * 64
            + '","head":"'
            + "b" * 64
            + '"}',
            "empty log must have head = 64 zeros",
        ),
    ],
)
def test_bad_checkpoints_name_the_field(text: str, words: str) -> None:
    with pytest.raises(InputError, match=re.escape(words)):
        Checkpoint.from_json(text)


def test_checkpoint_load_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read checkpoint"):
        Checkpoint.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(InputError, match=r"bad\.json: checkpoint format None"):
        Checkpoint.load(tmp_path / "bad.json")


# -- damaged lines as read_log reports them -----------------------------------------------------------------
@pytest.mark.parametrize(
    "line,words",
    [
        (b"", "an empty line"),
        (b"[1]", "the line is not a JSON object"),
        (b'{"a":1} ', "the line is not in RFC 8785 canonical form from byte 7"),
        (b'{"seq":-1}', "seq -1 is not a non-negative integer"),
        (b'{"body":{},"prev":"x","seq":4,"time":"2025-01-01","type":"a"}', "prev 'x' is not 64"),
        (b'{"seq":4}', "the record's keys are wrong (missing ['body', 'prev', 'time', 'type']"),
        (
            b'{"body":[],"prev":"' + b"0" * 64 + b'","seq":4,"time":"2025-01-01","type":"a"}',
            "body is not a JSON object",
        ),
        (
            b'{"body":{},"prev":"' + b"0" * 64 + b'","seq":4,"time":"2025-13-01","type":"a"}',
            "time '2025-13-01' has no such date",
        ),
        (
            b'{"body":{},"prev":"' + b"0" * 64 + b'","seq":4,"time":1,"type":"a"}',
            "time 1 is not a string",
        ),
        (
            b'{"body":{},"prev":"' + b"0" * 64 + b'","seq":4,"time":"2025-01-01","type":"A"}',
            "type 'A' is not a record type name",
        ),
    ],
)
def test_damaged_lines_are_reported_not_raised(tmp_path: Path, line: bytes, words: str) -> None:
    path = tmp_path / "c.log"
    recs = _make(path)
    path.write_bytes(path.read_bytes() + line + b"\n")
    got = read_log(path)
    assert got[:4] == recs and got[4].error is not None and words in got[4].error
    assert got[4].seq == 4 and got[4].offset == sum(len(r.line) + 1 for r in recs)
    problems = check_chain(got)
    assert [p.seq for p in problems] == [4] and words in problems[0].message
    with pytest.raises(LogError, match="record 4 .* is damaged"):
        _ = got[4].body


# -- the spec's test vector ----------------------------------------------------------------------------------
def _spec_section_9() -> str:
    start = SPEC.index("<!-- section owned by the log work (issue 4)")
    return SPEC[start : SPEC.index("<!-- end of section 9 -->")]


def test_spec_example_log_and_its_hashes() -> None:
    sec = _spec_section_9()
    block = sec[sec.index("```jsonl\n") + len("```jsonl\n") :]
    lines = [ln.encode("utf-8") for ln in block[: block.index("```")].splitlines()]
    assert len(lines) == 4
    table = {}
    for row in sec.splitlines():
        cells = [c.strip().strip("`") for c in row.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].isdigit():
            table[int(cells[0])] = cells[1:]
    prev = "0" * 64
    for seq, line in enumerate(lines):
        obj = json.loads(line)
        assert obj["seq"] == seq and obj["prev"] == prev
        assert line == rfc8785.dumps(obj) == canonical.dumps(obj)
        sha, leaf, root = table[seq]
        assert hashlib.sha256(line).hexdigest() == sha
        assert merkle.leaf_hash(line).hex() == leaf
        assert merkle.root(lines[: seq + 1]).hex() == root == ref_merkle.mth(lines[: seq + 1]).hex()
        prev = sha
    values = dict(re.findall(r"`([^`]+)` = `([0-9a-f]{64})`", sec))
    tree = merkle.MerkleTree.from_leaves(lines)
    assert values["inclusion proof of seq 2 (size 4) [0]"] == tree.inclusion_proof(2)[0].hex()
    assert values["inclusion proof of seq 2 (size 4) [1]"] == tree.inclusion_proof(2)[1].hex()
    assert values["consistency proof 3 to 4 [0]"] == tree.consistency_proof(3)[0].hex()
    assert values["consistency proof 3 to 4 [1]"] == tree.consistency_proof(3)[1].hex()
    assert values["consistency proof 3 to 4 [2]"] == tree.consistency_proof(3)[2].hex()
    cp = json.loads(sec[sec.rindex('{"format":') :].split("\n")[0].rstrip("`"))
    assert cp == {
        "format": "shuangsuiji-checkpoint/1",
        "head": table[3][0],
        "root": table[3][2],
        "size": 4,
    }


def test_time_syntax() -> None:
    for good in [
        "2025-03-01",
        "2025-03-01T09:00:00Z",
        "2025-03-01T09:00:00.123+08:00",
        "2024-02-29T23:59:60-05:30",
    ]:
        assert L.check_time(good) is None, good
    for bad in [
        "2025-3-1",
        "2025-03-01 09:00:00Z",
        "2025-03-01T09:00:00",
        "2023-02-29",
        "2025-03-01T24:00:00Z",
        "2025-03-01T09:00:00+24:00",
        "２０２５-03-01",
    ]:
        assert L.check_time(bad) is not None, bad
