"""``shuangsuiji verify``: the report it prints and its exit status (0 clean, 1 errors, 3 warnings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from campaign_helpers import COMMIT_TIME, DECLARATION, REVEAL_TIME, SEED, history, plan_dict

import shuangsuiji as ss
from shuangsuiji import datasets
from shuangsuiji.cli.demo_year import write_csv
from shuangsuiji.cli.main import main
from shuangsuiji.datasets.officers import province_inspectors_records
from shuangsuiji.log.logfile import Log, read_log


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A campaign whose registries were read from CSV, as a verifier would read them."""
    d = tmp_path_factory.mktemp("cli")
    t_csv = write_csv(d / "targets.csv", datasets.province_labs_records(300))
    i_csv = write_csv(d / "inspectors.csv", province_inspectors_records())
    targets = ss.Targets.from_csv(t_csv)
    inspectors = ss.Inspectors.from_csv(i_csv)
    log = d / "campaign.jsonl"
    c = ss.Campaign.create(log, plan_dict(), targets, inspectors, randomness=DECLARATION,
                           history=history(), time=COMMIT_TIME)
    sel, _ = c.reveal(SEED, time=REVEAL_TIME)
    r = sel.to_records()[0]
    c.record_result(r["id"], "正常", task=r["task"], date="2026-01-13",
                    time="2026-02-20T09:00:00+08:00")  # 28 working days: overdue
    c.checkpoint().save(d / "checkpoint.json")
    c.close()
    return {"dir": d, "targets": t_csv, "inspectors": i_csv, "log": log,
            "checkpoint": d / "checkpoint.json"}


def _args(files: dict[str, Path], log: Path | None = None, *extra: str) -> list[str]:
    return ["verify", str(log or files["log"]), "--targets", str(files["targets"]),
            "--inspectors", str(files["inspectors"]), *extra]


def _clean_copy(files: dict[str, Path], name: str) -> Path:
    """The campaign without its overdue result (records 0-3)."""
    out = files["dir"] / name
    out.write_bytes(b"".join(r.line + b"\n" for r in read_log(files["log"])[:4]))
    return out


def test_clean_log_exits_0(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    log = _clean_copy(files, "clean.jsonl")
    assert main(_args(files, log)) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"verify {log}: OK"
    assert "replayed: π summary, selection, assignment" in out


def test_warnings_exit_3(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_args(files, None, "--checkpoint", str(files["checkpoint"]))) == 3
    out = capsys.readouterr().out
    assert "OK with 1 warning(s)" in out
    assert "seq 4: warning: " in out and "working days" in out


def test_errors_exit_1(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    lines = files["log"].read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b'"pi":["', b'"pi":["0', 1)  # a π gains a leading zero
    bad = files["dir"] / "bad.jsonl"
    bad.write_bytes(b"\n".join(lines))
    assert main(_args(files, bad, "--checkpoint", str(files["checkpoint"]))) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "seq 2: error: " in out


def test_json_report(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_args(files, None, "--json")) == 3
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["clean"] is False
    assert [(p["seq"], p["severity"], p["code"]) for p in data["problems"]] == [
        (4, "warning", "deadline")
    ]
    assert data["summary"]["records"] == 5


def test_wrong_registry_and_bad_input(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    other = write_csv(files["dir"] / "other.csv", datasets.province_labs_records(301))
    args = _args(files)
    args[args.index("--targets") + 1] = str(other)
    assert main(args) == 1
    assert "seq 0: error: the targets registry supplied (301 rows" in capsys.readouterr().out
    assert main(_args(files, files["dir"] / "missing.jsonl")) == 1
    err = capsys.readouterr().err
    assert err.startswith("shuangsuiji verify: error: ") and "missing.jsonl" in err
    assert main([*_args(files)[:-2], "--inspectors", str(files["dir"] / "none.csv")]) == 1
    assert "none.csv" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["verify", str(files["log"])])
    assert exc.value.code == 2
    capsys.readouterr()


def test_id_columns(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"统一社会信用代码": r.pop("id"), **r} for r in datasets.province_labs_records(300)]
    renamed = write_csv(files["dir"] / "renamed.csv", rows)
    log = _clean_copy(files, "clean2.jsonl")
    args = _args(files, log, "--id", "统一社会信用代码")
    args[args.index("--targets") + 1] = str(renamed)
    # the ID column's name is part of the fingerprint (fingerprint.md), so this is another registry
    assert main(args) == 1
    assert "targets registry" in capsys.readouterr().out


def test_python_m_and_the_log_module_agree(files: dict[str, Path]) -> None:
    src = str(Path(ss.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "PYTHONIOENCODING": "utf-8"}
    log = _clean_copy(files, "clean3.jsonl")
    done = subprocess.run([sys.executable, "-m", "shuangsuiji", *_args(files, log)], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    with Log.open(log) as opened:
        assert f"Merkle root: {opened.root()}" in done.stdout


def test_repair_moves_a_torn_tail_aside(files: dict[str, Path],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    log = _clean_copy(files, "torn.jsonl")
    whole = log.read_bytes()
    log.write_bytes(whole + b'{"body":{"cou')  # a crash during an append
    assert main(_args(files, log)) == 1
    out = capsys.readouterr().out
    assert f"torn at byte {len(whole)}" in out and f"shuangsuiji repair {log}" in out
    assert main(["repair", str(log)]) == 0
    out = capsys.readouterr().out
    side = Path(f"{log}.torn-{len(whole)}")
    assert f"(13 bytes from byte {len(whole)}) to {side}" in out
    assert side.read_bytes() == b'{"body":{"cou' and log.read_bytes() == whole
    assert main(_args(files, log)) == 0
    capsys.readouterr()
    assert main(["repair", str(log)]) == 1  # nothing left to repair
    err = capsys.readouterr().err
    assert "shuangsuiji repair: error:" in err and "ends with a complete line" in err


def test_id_columns_default_to_the_committed_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Registries whose ID columns are not called ``id``: verify reads the names from the
    commitment, so the verifier need not know them."""
    labs = [{("统一社会信用代码" if k == "id" else k): v for k, v in r.items()}
            for r in datasets.province_labs_records(300)]
    people = [{("工号" if k == "id" else k): v for k, v in r.items()}
              for r in province_inspectors_records()]
    t_csv = write_csv(tmp_path / "t.csv", labs)
    i_csv = write_csv(tmp_path / "i.csv", people)
    log = tmp_path / "c.jsonl"
    targets = ss.Targets.from_csv(t_csv, id="统一社会信用代码")
    inspectors = ss.Inspectors.from_csv(i_csv, id="工号")
    with ss.Campaign.create(log, plan_dict(), targets, inspectors, randomness=DECLARATION,
                            time=COMMIT_TIME) as c:
        c.reveal(SEED, time=REVEAL_TIME)
    args = ["verify", str(log), "--targets", str(t_csv), "--inspectors", str(i_csv)]
    assert main(args) == 0, capsys.readouterr()
    capsys.readouterr()
    assert main([*args, "--id", "name"]) == 1  # an explicit column still wins
    assert "targets registry supplied" in capsys.readouterr().out
