"""Crash safety (docs/spec.md §9.5): SIGKILL a writer at points in an append loop.

A child process appends records in a loop and reports each one on stdout after ``append``
returns. The parent kills it with SIGKILL after each delay in a fixed list and then requires:
every reported record is in the file with the same bytes; the chain checks; and if the last line
is torn, ``Log.open`` and ``read_log`` name its byte offset and ``repair`` moves exactly the
fragment aside. Every fifth record carries a 1 MB string, so a kill can land inside a ``write``.
Whether one does depends on timing (on an idle ext4 disk most kills land in ``fsync``, which
completes first), so the assertions hold either way; the second test tears a line for certain:
the child kills itself halfway through a write.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import shuangsuiji
from shuangsuiji.log.logfile import Log, TornLogError, check_chain, read_log, repair

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

# The child loads shuangsuiji.log without running the package's __init__ (which imports numpy
# and the whole library): a bare package module with the right __path__ is enough, and makes each
# child start in a few tens of milliseconds instead of most of a second.
PRELUDE = textwrap.dedent(
    f"""
    import sys, types
    pkg = types.ModuleType("shuangsuiji")
    pkg.__path__ = [{os.path.dirname(shuangsuiji.__file__)!r}]
    sys.modules["shuangsuiji"] = pkg
    """
)

CHILD = PRELUDE + textwrap.dedent(
    """
    from shuangsuiji.log.logfile import Log

    big = "x" * 1_000_000
    with Log.open(sys.argv[1]) as log:
        start = len(log)
        print("ready", flush=True)
        for i in range(start, start + 100_000):
            pad = big if i % 5 == 4 else "y" * (i % 97)
            r = log.append("tick", {"i": i, "pad": pad}, time="2025-03-01T09:00:00+08:00")
            sys.stdout.write(f"{r.seq} {r.line_hash}\\n")
            sys.stdout.flush()
    """
)

# Seconds between the child being ready and the kill: early kills hit the first appends, later
# ones a log of a few hundred records; the whole test stays within a few seconds.
DELAYS = [0.0, 0.004, 0.011, 0.023, 0.037, 0.06, 0.09, 0.13, 0.18]


def _run_and_kill(path: Path, delay: float) -> dict[int, str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None
    ready = child.stdout.readline()
    assert ready == b"ready\n", child.stderr.read() if child.stderr else ready
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    out = child.stdout.read()  # not communicate(): readline() may have buffered reports already
    child.wait()
    child.stdout.close()
    if child.stderr:
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    reported = {}
    for line in out.split(b"\n")[:-1]:  # a report cut off by the kill does not count
        seq, digest = line.split()
        reported[int(seq)] = digest.decode()
    return reported


def test_sigkill_never_loses_a_completed_append(tmp_path: Path) -> None:
    path = tmp_path / "crash.log"
    Log.create(path).close()
    completed: dict[int, str] = {}
    tears = 0
    before = 0
    for delay in DELAYS:
        reported = _run_and_kill(path, delay)
        completed.update(reported)
        size = path.stat().st_size
        try:
            records = read_log(path)
        except TornLogError as e:
            tears += 1
            whole = path.read_bytes()
            assert e.offset == whole.rfind(b"\n") + 1 and e.length == size - e.offset
            with pytest.raises(TornLogError, match=f"torn at byte {e.offset}"):
                Log.open(path)
            side = repair(path)
            assert side.read_bytes() == whole[e.offset :]
            assert path.read_bytes() == whole[: e.offset]
            records = read_log(path)
        assert check_chain(records) == []
        for seq, digest in completed.items():
            assert records[seq].line_hash == digest, seq
        # At most one record more than this run reported: on disk, killed before its report.
        last = max(reported, default=before - 1)
        assert last + 1 <= len(records) <= last + 2
        with Log.open(path) as log:  # and the log takes appends again
            assert len(log) == len(records)
        before = len(records)
    assert len(completed) > 20, "the child should have completed some appends"
    print(f"{len(completed)} completed appends, {tears} torn lines over {len(DELAYS)} kills")


def test_a_kill_in_the_middle_of_a_write_tears_the_line_and_repair_recovers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "crash.log"
    with Log.create(path) as log:
        done = [log.append("tick", {"i": i}, time="2025-03-01") for i in range(3)]
    script = PRELUDE + textwrap.dedent(
        f"""
        import os, signal
        from shuangsuiji.log import logfile as L

        real_write = os.write

        def write_half_then_die(fd, data):
            real_write(fd, bytes(data[: len(data) // 2]))
            os.kill(os.getpid(), signal.SIGKILL)

        with L.Log.open({str(path)!r}) as log:
            L.os.write = write_half_then_die
            log.append("tick", {{"i": 3, "pad": "z" * 1000}}, time="2025-03-01")
        """
    )
    child = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True)
    assert child.returncode == -signal.SIGKILL, child.stderr
    whole = b"".join(r.line + b"\n" for r in done)
    data = path.read_bytes()
    assert data.startswith(whole) and len(data) > len(whole)
    with pytest.raises(TornLogError, match=f"torn at byte {len(whole)}"):
        Log.open(path)
    side = repair(path)
    assert side.name == f"crash.log.torn-{len(whole)}" and side.read_bytes() == data[len(whole) :]
    with Log.open(path) as log:
        assert log.records() == done and check_chain(log.records()) == []
        log.append("tick", {"i": 3}, time="2025-03-01")
