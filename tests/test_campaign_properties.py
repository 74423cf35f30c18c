"""Random campaigns (``shuangsuiji.strategies``): the log replays to exactly what was revealed.

For random registries, plans, seeds and inspector pools: create, reveal, record results for a
random subset, then verify. The replay must equal the original (selection and assignment
bodies), the log must verify clean, shuffled registries must verify the same, and a reveal that
fails (an unstaffable plan) must write nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji import strategies as sst
from shuangsuiji.campaign import record_bodies as B
from shuangsuiji.campaign.assign_step import assignment_body, run_assign
from shuangsuiji.log.logfile import read_log

COMMIT = "2026-01-05T09:00:00+08:00"
REVEAL = "2026-01-12T10:00:00+08:00"
RESULTS = "2026-02-10T09:00:00+08:00"
CHAIN = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"


def _shuffled_targets(t: ss.Targets) -> ss.Targets:
    return ss.Targets.from_records(t.to_records()[::-1], id=t.id_column)


def _shuffled_inspectors(i: Any) -> Any:
    return ss.Inspectors.from_records(i.to_records()[::-1], id=i.id_column)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    sst.scenarios(sst.targets(max_size=25), max_tasks=2),
    sst.inspectors(min_size=2, max_size=12, min_officers=2),
    st.binary(min_size=48, max_size=48),
    st.integers(1, 2**40),
    st.data(),
)
def test_replay_equals_original(
    scenario: tuple[ss.Targets, ss.Plan, ss.Seed],
    inspectors: Any,
    signature: bytes,
    round_: int,
    data: st.DataObject,
) -> None:
    """The seed is a drand round's (a random signature stands in for the beacon's)."""
    targets, plan, _ = scenario
    seed = ss.Seed.from_beacon(CHAIN, round_, signature.hex())
    folder = Path(tempfile.mkdtemp(prefix="ss-prop-"))
    try:
        path = folder / "c.jsonl"
        declared = ss.Randomness.beacon(CHAIN, round_, known_after="2026-01-10")
        c = ss.Campaign.create(path, plan, targets, inspectors, time=COMMIT, randomness=declared)
        committed = path.read_bytes()
        try:
            sel, teams = c.reveal(seed, time=REVEAL)
        except ss.InfeasibleError:
            c.close()
            assert path.read_bytes() == committed  # a failed reveal writes nothing
            return
        records = sel.to_records()
        picked = data.draw(st.lists(st.sampled_from(records), unique_by=lambda r: (
            r["task"], r["id"]), max_size=5) if records else st.just([]))
        for r in picked:
            c.record_result(r["id"], "正常", task=r["task"], time=RESULTS)
        cp = c.checkpoint()
        c.close()
        # replay == original
        bodies = {r.type: r.body for r in read_log(path)}
        replay = ss.draw(plan, targets, seed)
        assert bodies["selection"] == B.selection_body(replay) == B.selection_body(sel)
        inputs = bodies["commitment"]["assignment_inputs"]
        again = run_assign(plan, replay, inspectors, seed, inputs)
        assert bodies["assignment"] == assignment_body(again, replay)
        assert bodies["assignment"] == assignment_body(teams, sel)
        # and verify says so, for the registries in any row order
        report = ss.verify(path, targets, inspectors, cp)
        assert report.clean, report.text()
        assert report.summary["drawn"] == len(sel)
        assert ss.verify(path, _shuffled_targets(targets), _shuffled_inspectors(inspectors),
                         cp).clean
    finally:
        shutil.rmtree(folder)
