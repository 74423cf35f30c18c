"""Hypothesis strategies for the second random; public as :mod:`shuangsuiji.strategies`.

* :func:`team_dicts`: a task's ``team`` rules (guide-plans.md) over the columns that
  :func:`shuangsuiji.strategies.records` writes (``field``, ``region``) and the units of
  :func:`shuangsuiji.strategies.inspector_records`;
* :func:`assign_scenarios`: whole problems for ``assign``: targets, a plan whose tasks carry
  teams, a selection drawn from them, inspectors whose qualifications and regions match the
  targets' (and whose conflicts name real targets), a seed, a history and recusal requests.
  Pools are small and capacities often tight, so that tests see feasible and infeasible
  problems, and both capacity regimes (free and balanced).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from ..plan.plan import Plan
from ..randomness.seed import Seed
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from ..sampling.engine import draw
from ..sampling.selection import Selection
from ..teams.engine import assign
from .inspectors import UNITS, inspector_records
from .registries import FIELDS, REGIONS, records, seeds

__all__ = ["AssignScenario", "assign_scenarios", "team_dicts"]

_DATES = ("2024-06-01", "2025-03-01", "2025-09-30", "2025-12-31")
AS_OF = "2026-01-01"


def team_dicts(
    *,
    units: Sequence[str] = ("市场监督管理局", "生态环境厅"),
    max_officers: int = 3,
    experts: bool = True,
    match_column: str = "field",
    region_column: str = "region",
) -> st.SearchStrategy[dict[str, Any]]:
    """``team`` dicts: 2..max_officers officers, sometimes experts (with ``match``), match
    all/any, cross_region, departments (at most ``officers`` of ``units``), rotation."""

    @st.composite
    def build(draw_: st.DrawFn) -> dict[str, Any]:
        officers = draw_(st.sampled_from([2, 2, max(2, max_officers)]))
        team: dict[str, Any] = {"officers": officers}
        if draw_(st.booleans()):
            team["match"] = {"column": match_column, "who": draw_(st.sampled_from(["all", "any"]))}
            if experts and draw_(st.integers(0, 3)) == 0:
                team["experts"] = draw_(st.integers(1, 2))
        if draw_(st.integers(0, 4)) == 0:
            team["cross_region"] = True
            team["region_column"] = region_column
        if units and draw_(st.integers(0, 3)) == 0:
            k = draw_(st.integers(1, min(len(units), officers)))
            team["departments"] = draw_(st.permutations(list(units)))[:k]
        if draw_(st.integers(0, 2)) == 0:
            team["rotation_days"] = draw_(st.sampled_from([90, 365]))
            team["as_of"] = AS_OF
        return team

    return build()


@attrs.frozen(eq=False)
class AssignScenario:
    """One problem for ``assign``: its inputs as values and as plain records."""

    targets: Targets
    plan: Plan
    selection: Selection
    inspectors: Inspectors
    seed: Seed
    history: list[dict[str, Any]]
    recusals: list[tuple[str, str]]

    def run(self) -> Any:
        return assign(
            self.plan,
            self.selection,
            self.inspectors,
            self.seed,
            history=self.history,
            recusals=self.recusals,
        )


def _people(
    target_ids: list[str],
    fields: int,
    regions: int,
    units: list[str],
    max_people: int,
    experts: bool,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Inspector rows that often can staff the targets: most hold most fields."""

    @st.composite
    def build(draw_: st.DrawFn) -> list[dict[str, Any]]:
        n = draw_(st.integers(min(5, max_people), max_people))
        style = draw_(st.sampled_from(["JF", "text"]))
        if style == "JF":
            ids = [f"JF{k:04d}" for k in draw_(st.permutations(list(range(n))))]
        else:
            ids = draw_(
                st.lists(
                    st.text("0123456789ABXYZ甲乙", min_size=1, max_size=5),
                    min_size=n,
                    max_size=n,
                    unique=True,
                )
            )
        rows = []
        for k, pid in enumerate(ids):
            expert = experts and k >= 2 and draw_(st.integers(0, 4)) == 0
            quals = [f for f in FIELDS[:fields] if draw_(st.integers(0, 9)) < 7]
            rows.append(
                {
                    "id": pid,
                    "name": f"人员{k}",
                    "unit": draw_(st.sampled_from(units)),
                    "region": draw_(st.sampled_from(REGIONS[:regions])),
                    "qualifications": quals,
                    "role": "expert" if expert else "officer",
                    "certificate": None if expert else f"冀执{k:06d}",
                    "capacity": draw_(st.sampled_from([None, None, 1, 2, 2, 3, 4])),
                    "conflicts": draw_(
                        st.lists(st.sampled_from(target_ids), max_size=1, unique=True)
                    ),
                    "active": draw_(st.integers(0, 19)) > 0,
                }
            )
        return rows

    return build()


def _scenario_task(
    draw_: st.DrawFn, k: int, present: list[str], unit_names: list[str], experts: bool
) -> dict[str, Any]:
    """Task ``k`` of a scenario plan: census or half the targets, sometimes a ``where`` on a
    field that occurs, a team (:func:`team_dicts`) and sometimes inspection items."""
    task: dict[str, Any] = {"name": f"task{k}"}
    if draw_(st.booleans()):
        task["size"] = {"census": True}
    else:
        task["size"] = {"rate": 0.5, "rounding": "random"}
    if draw_(st.integers(0, 2)) == 0:
        task["where"] = {"field": draw_(st.sampled_from(present))}
    task["team"] = draw_(team_dicts(units=unit_names, experts=experts))
    if draw_(st.integers(0, 3)) == 0:
        task["items"] = [f"事项{k}-{i}" for i in range(draw_(st.integers(1, 2)))]
    return task


def _history_and_recusals(
    draw_: st.DrawFn, person_ids: list[str], target_ids: list[str]
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Up to 6 past visits (on a few fixed dates) and up to 3 recusal requests."""
    history = draw_(
        st.lists(
            st.builds(
                lambda p, t, d: {"inspector": p, "target": t, "date": d},
                st.sampled_from(person_ids),
                st.sampled_from(target_ids),
                st.sampled_from(_DATES),
            ),
            max_size=6,
        )
    )
    recusals = draw_(
        st.lists(st.tuples(st.sampled_from(target_ids), st.sampled_from(person_ids)), max_size=3)
    )
    return history, recusals


def assign_scenarios(
    *,
    max_targets: int = 6,
    max_people: int = 12,
    max_tasks: int = 3,
    fields: int = 2,
    regions: int = 2,
    units: int = 2,
    experts: bool = True,
) -> st.SearchStrategy[AssignScenario]:
    """Whole ``assign`` problems (see the module docstring)."""
    unit_names = list(UNITS[:units])

    @st.composite
    def build(draw_: st.DrawFn) -> AssignScenario:
        rows = draw_(records(max_size=max_targets, fields=fields, regions=regions, dates=False))
        targets = Targets.from_records(rows, id="id")
        ids = [r["id"] for r in rows]
        people = draw_(
            st.one_of(
                _people(ids, fields, regions, unit_names, max_people, experts),
                inspector_records(
                    min_size=2,
                    max_size=max_people,
                    fields=fields,
                    regions=regions,
                    units=units,
                    experts=experts,
                    min_officers=2,
                    conflicts=ids,
                ),
            )
        )
        inspectors = Inspectors.from_records(people, id="id")
        present = sorted({r["field"] for r in rows})
        tasks = [
            _scenario_task(draw_, k, present, unit_names, experts)
            for k in range(draw_(st.integers(1, max_tasks)))
        ]
        plan = Plan.from_dict({"name": "scenario", "tasks": tasks})
        seed = draw_(seeds())
        selection = draw(plan, targets, seed)
        history, recusals = _history_and_recusals(draw_, [p["id"] for p in people], ids)
        return AssignScenario(targets, plan, selection, inspectors, seed, history, recusals)

    return build()
