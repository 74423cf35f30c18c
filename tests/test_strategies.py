"""The public hypothesis strategies (shuangsuiji.strategies): valid by construction, varied,
and a clear message when hypothesis is missing."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji import strategies as sst

SRC = Path(__file__).resolve().parents[1] / "src"


@settings(max_examples=60, deadline=None)
@given(sst.records(min_size=3, max_size=12, regions=5, fields=1, id_style="uscc"))
def test_records_follow_the_parameters(rows: list[dict[str, Any]]) -> None:
    assert 3 <= len(rows) <= 12
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert len(r["id"]) == 18 and r["id"].isascii()
        assert r["region"] in sst.REGIONS[:5] and r["field"] == sst.FIELDS[0]
        assert r["credit"] in sst.CREDIT_CLASSES
        assert isinstance(r["weight"], float) and r["weight"] >= 0
        if r["last_inspected"] is not None:
            dt.date.fromisoformat(r["last_inspected"])
    ss.Targets.from_records(rows)


@settings(max_examples=30, deadline=None)
@given(sst.targets(regions=["北", "南"], dates=False, id_style="sequential"))
def test_targets_with_named_regions_and_no_dates(t: ss.Targets) -> None:
    assert isinstance(t, ss.Targets)
    assert "last_inspected" not in t.columns
    assert set(t.column("region").categories) <= {"北", "南"}


@settings(max_examples=40, deadline=None)
@given(sst.seeds(min_bytes=16, max_bytes=20))
def test_seeds(seed: ss.Seed) -> None:
    assert 16 <= len(seed.value) <= 20 and seed.kind == "hex"


def test_plans_cover_every_mode_and_always_draw() -> None:
    """Over many examples every size mode, risk mode, kind and design occurs; none raises."""
    seen: Counter[str] = Counter()

    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(sst.scenarios())
    def check(scenario: tuple[ss.Targets, ss.Plan, ss.Seed]) -> None:
        targets, plan, seed = scenario
        assert isinstance(plan, ss.Plan)
        sel = ss.draw(plan, targets, seed)
        for task in plan.tasks:
            seen[f"kind:{task.kind}"] += 1
            seen[f"risk:{task.risk.mode if task.risk else None}"] += 1
            seen[f"size:{task.size.mode if task.size else None}"] += 1
            seen[f"where:{bool(task.where)}"] += 1
            seen[f"cooloff:{task.cooloff is not None}"] += 1
            seen[f"strata:{len(task.strata)}"] += 1
        for s in sel.summary():
            seen[f"design:{s['design']}"] += 1
            seen[f"sizes:{len(s['size'])}"] += 1

    check()
    wanted = [
        "kind:key", "kind:general", "risk:None", "risk:rates", "risk:weights", "risk:column",
        "size:rate", "size:total", "size:per_stratum", "size:census", "where:True",
        "cooloff:True", "strata:0", "strata:1", "strata:2", "design:srs", "design:pips",
        "design:census", "design:none", "sizes:2",
    ]
    assert all(seen[k] > 0 for k in wanted), {k: seen[k] for k in wanted}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_plan_options_restrict_the_plans(data: st.DataObject) -> None:
    t = data.draw(sst.targets(max_size=15))
    d = data.draw(sst.plan_dicts(t, max_tasks=2, size_modes=["per_stratum"], risk_modes=["column"],
                                 kinds=["key"], where=False, cooloff=False, strata=False,
                                 general_max_rate=0.2))
    assert d["general_max_rate"] == 0.2 and 1 <= len(d["tasks"]) <= 2
    for task in d["tasks"]:
        assert task["kind"] == "key" and task["risk"] == {"column": "weight"}
        assert "per_stratum" in task["size"]
        assert not {"where", "cooloff", "strata"} & set(task)
    ss.inclusion_probabilities(d, t)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_general_tasks_only(data: st.DataObject) -> None:
    t = data.draw(sst.targets(max_size=30))
    plan = data.draw(sst.plans(t, kinds=["general"]))
    assert all(task.kind == "general" for task in plan.tasks)
    ss.inclusion_probabilities(plan, t)  # within the cap, or this raises


def test_user_registries_with_other_columns() -> None:
    """Plans adapt to what a registry holds: here an int weight column and one text column."""
    rows = [{"id": f"L{i}", "city": "AB"[i % 2], "staff": i % 4} for i in range(12)]
    t = ss.Targets.from_records(rows)

    @settings(max_examples=40, deadline=None, database=None)
    @given(sst.plan_dicts(t))
    def check(d: dict[str, Any]) -> None:
        for task in d["tasks"]:
            assert set(task.get("strata", [])) <= {"city"}
            assert "cooloff" not in task
            if "risk" in task:
                assert task["risk"]["column"] in {"city", "staff"}
        ss.draw(d, t, ss.Seed.from_hex("00" * 16))

    check()


@pytest.mark.parametrize(
    "call",
    [
        lambda: sst.records(min_size=0),
        lambda: sst.records(min_size=5, max_size=4),
        lambda: sst.records(regions=0),
        lambda: sst.records(regions=99),
        lambda: sst.records(fields=[]),
        lambda: sst.records(id_style="guid"),
        lambda: sst.seeds(min_bytes=8),
        lambda: sst.plan_dicts(ss.Targets.from_records([{"id": "a"}]), max_tasks=0),
        lambda: sst.plan_dicts(ss.Targets.from_records([{"id": "a"}]), size_modes=["all"]),
        lambda: sst.plan_dicts(ss.Targets.from_records([{"id": "a"}]), kinds=[]),
    ],
)
def test_bad_parameters_are_refused_at_once(call: Any) -> None:
    with pytest.raises(ValueError):
        call()


def test_missing_hypothesis_gives_an_install_hint() -> None:
    script = (
        "import sys\n"
        "sys.modules['hypothesis'] = None  # as if it were not installed\n"
        "try:\n"
        "    from shuangsuiji import strategies\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
        "import shuangsuiji\n"
        "assert not hasattr(shuangsuiji, 'strategies') or 'strategies' not in shuangsuiji.__all__\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                         check=True, timeout=60)
    assert 'pip install "shuangsuiji[test]"' in out.stdout
    assert "hypothesis" in out.stdout


def test_the_package_root_does_not_import_hypothesis() -> None:
    script = "import sys, shuangsuiji; print('hypothesis' in sys.modules)"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                         check=True, timeout=60)
    assert out.stdout.strip() == "False"
