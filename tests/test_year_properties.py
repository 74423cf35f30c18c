"""Properties of a draw under the burden (docs/spec.md §11.4):

- no enterprise ever goes past its cap through random draws, batch after batch;
- row order (of the registry and of the history) and ``PYTHONHASHSEED`` change nothing;
- a batch's draw changes when, and only when, its seed, its plan, its registry snapshot or the
  history before it changes; history that no rule's window reaches changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import year_helpers
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji.sampling import engine
from shuangsuiji.sampling.burden import Inspection, burden_of

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _seed(*parts: object) -> ss.Seed:
    return ss.Seed.from_hex(hashlib.sha256(repr(parts).encode()).hexdigest())


def _records(sel: ss.Selection) -> list[dict[str, Any]]:
    return sel.to_records()


def _draw(x: dict[str, Any], seed: ss.Seed) -> ss.Selection:
    return ss.draw(x["plan"], ss.Targets.from_records(x["rows"]), seed, history=x["history"],
                   as_of=x["day"], horizon=x["horizon"])


def _pi(x: dict[str, Any]) -> list[dict[str, Any]]:
    return ss.inclusion_probabilities(x["plan"], ss.Targets.from_records(x["rows"]),
                                      history=x["history"], as_of=x["day"],
                                      horizon=x["horizon"]).to_records()


# -- the cap, batch after batch ------------------------------------------------------------------
def _count(history: list[Inspection], tid: str, dept: str | None, directed: bool) -> int:
    """Inspections of ``tid`` the cap counts (of department ``dept``; None: any)."""
    return sum(
        1
        for h in history
        if h.id == tid
        and (h.kind == "random" or (h.kind == "directed" and directed))
        and (dept is None or dept in h.departments)
    )


@SETTINGS
@given(year_helpers.instances(full=True, kinds=["key"], size_modes=["rate", "census"]),
       st.integers(1, 3))
def test_no_enterprise_passes_its_cap_through_random_draws(x: dict[str, Any],
                                                           per_year: int) -> None:
    """Four quarterly batches, each adding one random inspection per drawn target (with the
    departments of the tasks that drew it) to the history: a task draws an enterprise only
    while it is below the cap (for each of the task's departments, under a per-department cap),
    so random draws never take anyone past it. (Directed checks may: the law allows them.)"""
    x["plan"]["year"]["cap"]["per_year"] = per_year
    plan = ss.Plan.from_dict(x["plan"])
    assert plan.year is not None and plan.year.cap is not None
    cap = plan.year.cap
    targets = ss.Targets.from_records(x["rows"])
    history = [Inspection(h["id"], h["date"], tuple(h["departments"]), h["kind"])
               for h in x["history"]]
    drawn_any = False
    for k in range(4):
        day = x["day"] + dt.timedelta(days=91 * k)
        b = burden_of(plan.year, plan, targets, history, day, x["horizon"])
        try:
            sel = engine.draw(plan, targets, _seed("cap", k), burden=b)
        except ss.InputError:
            assume(False)
        deps: dict[str, set[str]] = {}
        for name, tid in zip(sel.task_names.tolist(), sel.ids.tolist()):
            task = plan.task(name)
            for d in task.departments if cap.scope == "department" else (None,):
                assert _count(history, tid, d, cap.directed) < per_year, (name, tid, d)
            deps.setdefault(tid, set()).update(task.departments)
        history += [Inspection(i, day, tuple(sorted(d)), "random") for i, d in deps.items()]
        drawn_any |= bool(deps)
    assume(drawn_any)


# -- row order and hash seeds --------------------------------------------------------------------
def test_row_order_changes_nothing() -> None:
    x = year_helpers.batch_two()
    shuffled = {**x, "rows": list(x["rows"]), "history": list(x["history"])}
    rng = random.Random(7)
    for _ in range(3):
        rng.shuffle(shuffled["rows"])
        rng.shuffle(shuffled["history"])
        assert _pi(shuffled) == _pi(x)
        for i in range(5):
            assert _records(_draw(shuffled, _seed(i))) == _records(_draw(x, _seed(i)))


@SETTINGS
@given(year_helpers.instances(future=False), st.randoms(use_true_random=False))
def test_row_order_changes_nothing_on_any_instance(x: dict[str, Any], rng: random.Random) -> None:
    try:
        want = (_pi(x), _records(_draw(x, x["seed"])))
    except ss.InputError:
        assume(False)
        return
    rows, history = list(x["rows"]), list(x["history"])
    rng.shuffle(rows)
    rng.shuffle(history)
    y = {**x, "rows": rows, "history": history}
    assert (_pi(y), _records(_draw(y, x["seed"]))) == want


_SCRIPT = """
import datetime as dt, hashlib, json, sys
sys.path.insert(0, {tests!r})
import shuangsuiji as ss, year_helpers
x = year_helpers.batch_two()
t = ss.Targets.from_records(x["rows"])
out = []
for i in range(5):
    seed = ss.Seed.from_hex(hashlib.sha256(str(i).encode()).hexdigest())
    sel = ss.draw(x["plan"], t, seed, history=x["history"], as_of=x["day"], horizon=x["horizon"])
    out.append(sel.to_records())
print(hashlib.sha256(json.dumps(out, ensure_ascii=False).encode()).hexdigest())
"""


def test_pythonhashseed_changes_nothing() -> None:
    tests = str(Path(__file__).resolve().parent)
    code = _SCRIPT.format(tests=tests)
    digests = set()
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True)
        digests.add(out.stdout.strip())
    x = year_helpers.batch_two()
    here = [_records(_draw(x, ss.Seed.from_hex(hashlib.sha256(str(i).encode()).hexdigest())))
            for i in range(5)]
    digests.add(hashlib.sha256(json.dumps(here, ensure_ascii=False).encode()).hexdigest())
    assert len(digests) == 1


# -- what a draw depends on ----------------------------------------------------------------------
def _draws(x: dict[str, Any], n: int = 8) -> list[list[dict[str, Any]]]:
    return [_records(_draw(x, _seed("dep", i))) for i in range(n)]


def test_the_seed_changes_the_draw() -> None:
    x = year_helpers.batch_two()
    draws = [json.dumps(_records(_draw(x, _seed("seed", i))), ensure_ascii=False)
             for i in range(30)]
    assert len(set(draws)) == 30


def _variants() -> dict[str, dict[str, Any]]:
    """batch_two with one thing changed: the plan, the snapshot, or the history in a window."""
    x = year_helpers.batch_two()
    ids = [r["id"] for r in x["rows"]]
    free = ids[4]  # pattern 4: inspected 550 days ago, neither capped nor spared nor overdue
    plan_rate = json.loads(json.dumps(x["plan"]))
    plan_rate["tasks"][0]["size"]["rate"] = 0.35
    plan_spread = json.loads(json.dumps(x["plan"]))
    plan_spread["year"]["spread"]["factor"] = 0.5
    rerated = [dict(r) for r in x["rows"]]
    rerated[4]["credit"] = "D" if rerated[4]["credit"] != "D" else "A"
    born = [*x["rows"], {"id": "91130100MA00000100", "credit": "B", "city": "x", "w": 1.0}]
    day = x["day"]
    recent = {"id": free, "date": day - dt.timedelta(days=10), "kind": "prior",
              "departments": []}
    twice = [{"id": free, "date": day - dt.timedelta(days=300 + k), "kind": "directed",
              "departments": [year_helpers.DEPTS[0]]} for k in range(2)]
    overdue = ids[3]  # pattern 3: certain; an inspection inside the cycle makes it not
    covered = {"id": overdue, "date": day - dt.timedelta(days=500), "kind": "prior",
               "departments": []}
    return {
        "plan: a rate": {**x, "plan": plan_rate},
        "plan: the spread's factor": {**x, "plan": plan_spread},
        "snapshot: a class re-rated": {**x, "rows": rerated},
        "snapshot: an enterprise born": {**x, "rows": born},
        "history: inspected within the spread's window": {**x, "history": [*x["history"],
                                                                          recent]},
        "history: two directed checks reach the cap": {**x, "history": [*x["history"], *twice]},
        "history: inspected within the coverage's cycle": {**x, "history": [*x["history"],
                                                                           covered]},
    }


def test_plan_snapshot_and_history_in_a_window_change_the_draw() -> None:
    x = year_helpers.batch_two()
    base_pi, base = _pi(x), _draws(x)
    for what, y in _variants().items():
        assert _pi(y) != base_pi, what
        assert _draws(y) != base, what


def test_history_outside_every_window_changes_nothing() -> None:
    """Inspections no rule reaches: before both the spread's window and the coverage's cycle,
    of an enterprise that left the registry, a directed check not counted (cap.directed false)
    for an enterprise already covered and outside the spread's window, and a random inspection
    that leaves a count below the cap."""
    x = year_helpers.batch_two()
    x["plan"] = json.loads(json.dumps(x["plan"]))
    x["plan"]["year"]["cap"]["directed"] = False
    ids = [r["id"] for r in x["rows"]]
    day = x["day"]
    old = [{"id": i, "date": day - dt.timedelta(days=1500), "kind": k, "departments": []}
           for i in ids for k in ("prior", "random")
           if k == "prior" or ids.index(i) % 6 in (3, 4)]  # counts stay below the cap of 2
    gone = [{"id": "91130100MA77777777", "date": day - dt.timedelta(days=k), "kind": "random",
             "departments": year_helpers.DEPTS} for k in (1, 30, 400)]
    uncounted = [{"id": ids[4], "date": day - dt.timedelta(days=400), "kind": "directed",
                  "departments": [year_helpers.DEPTS[1]]}]
    y = {**x, "history": [*x["history"], *old, *gone, *uncounted]}
    assert _pi(y) == _pi(x)
    assert _draws(y) == _draws(x)


@SETTINGS
@given(year_helpers.instances(future=False), st.data())
def test_history_no_window_reaches_changes_nothing_on_any_instance(
    x: dict[str, Any], data: st.DataObject
) -> None:
    """Adding prior inspections older than every window leaves the burden and the draw as
    they are; the burden's arrays decide the draw."""
    plan, targets, b = year_helpers.lib_burden(x)
    rules = x["plan"]["year"]
    reach = max(rules.get("spread", {}).get("days", 0),
                366 * rules.get("coverage", {}).get("years", 0)) + 1
    ids = data.draw(st.lists(st.sampled_from([str(r["id"]) for r in x["rows"]]), max_size=5))
    extra = [{"id": i, "date": x["day"] - dt.timedelta(days=reach + k), "kind": "prior",
              "departments": []} for k, i in enumerate(ids)]
    y = {**x, "history": [*x["history"], *extra]}
    _, _, b2 = year_helpers.lib_burden(y)
    assert np.array_equal(b.factor, b2.factor) and np.array_equal(b.certain, b2.certain)
    try:
        want = _records(engine.draw(plan, targets, x["seed"], burden=b))
    except ss.InputError:
        assume(False)
        return
    assert _records(engine.draw(plan, targets, x["seed"], burden=b2)) == want
