"""The benchmarks must not rot: every script in benchmarks/ runs at a tiny size (``--smoke``).

Each script is found by a glob, so a new one is covered the day it is added; it must accept
``--smoke`` (a run of seconds), exit 0 and print its Markdown table. A peer that is not installed
(svy, consistent-sampler) is skipped by the script with a note in its table, never an error, so
nothing here is skipped. The timings themselves are not checked: the machine may be busy.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import shuangsuiji

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
SCRIPTS = sorted(BENCHMARKS.glob("*.py"))

# A Markdown table: a header row, then its |---| separator row.
TABLE = re.compile(r"^\|.*\|[ \t]*\n\|[-:| ]+\|[ \t]*$", re.MULTILINE)

# The header (or ratio) line each known script's table has; a new script needs only a table.
HEADERS = {
    "assign.py": "| drawn targets | officers | conflicts | `ss.assign` (s) |",
    "draw.py": "| what | N | seconds | ss.draw / this | target |",
    "log.py": "| step | seconds |",
    "verify.py": "| N | drawn | results | `ss.draw` | `ss.verify` | verify / draw |",
    "year.py": "| step | N | drawn | seconds | × single |",
}


def test_the_benchmarks_are_found() -> None:
    assert {p.name for p in SCRIPTS} >= set(HEADERS)


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_benchmark_smoke_run(script: Path) -> None:
    env = dict(os.environ)
    # the scripts import the same shuangsuiji as these tests, installed or not
    src = str(Path(shuangsuiji.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    proc = subprocess.run(
        [sys.executable, str(script), "--smoke"],
        capture_output=True, text=True, env=env, timeout=180, check=False,
    )
    said = f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
    assert proc.returncode == 0, said
    assert TABLE.search(proc.stdout), f"no Markdown table printed\n{said}"
    if script.name in HEADERS:
        assert HEADERS[script.name] in proc.stdout, said
    # a peer or a step that failed is reported in the table as ERROR, not raised
    assert "ERROR" not in proc.stdout, said
    # draw.py --profile times engine functions by name (its PHASES table): one renamed or
    # moved in src must be renamed there too, or its phase silently reads 0
    assert "(no shuangsuiji." not in proc.stdout, said
