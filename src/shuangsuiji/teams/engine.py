"""``assign``: the second random of 双随机, which inspectors visit each drawn target (spec §8).

``assign(plan, selection, inspectors, seed, *, history=(), recusals=())`` returns an
:class:`~shuangsuiji.teams.assignment.Assignment`. It is a documented function of the seed, the plan,
the two registries' contents, the history and the recusal requests; row order never matters.
The steps, each specified in docs/spec.md §8:

1. **Visits.** Each drawn target is one visit, whichever tasks drew it; visit IDs number the
   targets in ID order.
2. **Rules.** The visit's tasks' team rules, with the target's values filled in, become a
   :class:`~shuangsuiji.teams.team_seats.VisitRule`: the team size, qualifications everyone needs, the
   regions excluded, the filtered seats (:mod:`shuangsuiji.teams.team_seats`) and the experts needed.
3. **Candidates.** Per seat, the active officers passing its filter, minus those barred from
   this target by a declared conflict, an enterprise's recusal request or rotation.
4. **Staffing** (:mod:`shuangsuiji.teams.solver`), officers and experts separately: serial
   dictatorship over the seats in a random visit order, each seat ranking its candidates by a
   random permutation (:mod:`shuangsuiji.teams.seat_rankings`), then exact augmentation; capacities bind
   only if that free assignment breaks them, and then loads are capped at the least uniform cap
   that still staffs every visit.
5. **Errors.** If some visit cannot be staffed, an :class:`~shuangsuiji.InfeasibleError` lists
   each such target and why; if capacities make it impossible, it names the visits and the
   officers whose capacities bind. A short team is never returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import InfeasibleError, InputError
from ..plan.plan import Plan, as_plan
from ..randomness.seed import Seed
from ..registry.inspectors import Inspectors
from ..sampling.selection import Selection
from .assignment import ALGORITHM, Assignment, PoolResult
from .exclusions import Exclusions, exclusions
from .explain import explain_capacity, explain_visit
from .pool_staffing import Staffed, staff
from .pools import Pool
from .rule_groups import ColumnCodes, rule_groups
from .seat_rankings import NS_VISITS, order_key
from .team_seats import VisitRule
from .visits import IntArray, Visits, visits_of

__all__ = ["ALGORITHM", "assign"]


def assign(
    plan: Plan | Mapping[str, Any],
    selection: Selection,
    inspectors: Inspectors,
    seed: Seed,
    *,
    history: Any = (),
    recusals: Any = (),
) -> Assignment:
    """Assign a team to every drawn target (docs/spec.md §8); see the module docstring.

    ``history``: past inspections ``{"inspector", "target", "date"}`` (for ``rotation_days``);
    ``recusals``: enterprise recusal requests ``(target, inspector)``. Both may be lists of
    mappings or tuples, or tables; :mod:`shuangsuiji.teams.inputs` has the details.

    Raises :class:`~shuangsuiji.InputError` for bad input (naming the row, key or value) and
    :class:`~shuangsuiji.InfeasibleError` when no valid assignment exists (naming each target
    that cannot be staffed and why, or the visits and officers whose capacities bind).
    """
    plan = as_plan(plan)
    if not isinstance(selection, Selection):
        raise InputError(f"selection must be a Selection (from ss.draw), got {type(selection)}")
    if not isinstance(inspectors, Inspectors):
        raise InputError(f"inspectors must be an Inspectors registry, got {type(inspectors)}")
    if not isinstance(seed, Seed):
        raise InputError(f"seed must be a Seed (ss.Seed.from_hex, ...), got {type(seed)}")
    visits = visits_of(plan, selection)
    group, rules, cols = rule_groups(plan, selection, visits)
    excl = exclusions(inspectors, selection, visits, group, rules, history, recusals)
    position = order_key(seed.value, NS_VISITS, visits.ids)
    pools = {False: Pool(inspectors, False), True: Pool(inspectors, True)}
    staffed = {
        e: staff(pools[e], seed, visits, group, rules, excl, position) for e in (False, True)
    }
    problems = _problems(pools, staffed, visits, group, rules, excl, cols, plan)
    if problems:
        head = f"no valid assignment exists ({len(problems)} problem(s)):\n  - "
        raise InfeasibleError(
            head
            + "\n  - ".join(problems[:20])
            + (f"\n  - and {len(problems) - 20} more" if len(problems) > 20 else "")
        )
    return _result(plan, inspectors, seed, visits, pools, staffed, excl)


def _problems(
    pools: dict[bool, Pool],
    staffed: dict[bool, Staffed | None],
    visits: Visits,
    group: IntArray,
    rules: list[VisitRule],
    excl: Exclusions,
    cols: ColumnCodes,
    plan: Plan,
) -> list[str]:
    """Why no assignment exists, in words: the visits no team can staff (officers, then
    experts), or else the capacities that cannot take every visit; empty if it exists."""
    problems: list[str] = []
    for e in (False, True):
        s = staffed[e]
        if s is not None and s.outcome.regime == "unstaffable":
            problems += _visit_problems(pools[e], s, visits, group, rules, excl, cols, plan)
    if not problems:
        for e in (False, True):
            s = staffed[e]
            if s is not None and s.outcome.regime == "over-capacity":
                problems.append(explain_capacity(pools[e], s, visits))
    return problems


def _visit_problems(
    pool: Pool,
    s: Staffed,
    visits: Visits,
    group: IntArray,
    rules: list[VisitRule],
    excl: Exclusions,
    cols: ColumnCodes,
    plan: Plan,
) -> list[str]:
    st = s.outcome.staffing
    bad_pos = np.unique(s.problem.slot_visit[st.seat_slot[st.seat_person < 0]])
    out = []
    for p in bad_pos.tolist():
        v = int(s.order[p])
        out.append(explain_visit(pool, v, rules[group[v]], visits, excl, cols, plan))
    return out


def _result(
    plan: Plan,
    ins: Inspectors,
    seed: Seed,
    visits: Visits,
    pools: dict[bool, Pool],
    staffed: dict[bool, Staffed | None],
    excl: Exclusions,
) -> Assignment:
    n = visits.ids.shape[0]
    mv, mr, me = _members(pools, staffed)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(mv, minlength=n))]).astype(np.int64)
    width = max(4, len(str(n)))
    return Assignment(
        plan_name=plan.name,
        seed_hex=seed.hex,
        algorithm=ALGORITHM,
        tasks=tuple(t.name for t in plan.tasks),
        task_items=tuple(t.items or (t.name,) for t in plan.tasks),
        visit_ids=tuple(f"V{k + 1:0{width}d}" for k in range(n)),
        visit_targets=tuple(np.strings.decode(visits.ids, "utf-8").tolist()),
        visit_task_indptr=visits.task_indptr,
        visit_task_list=visits.task_list,
        team_indptr=indptr,
        member_rows=mr,
        member_id_bytes=ins.id_bytes[mr],
        member_is_expert=me,
        member_names=ins.name[mr],
        member_units=ins.unit[mr],
        member_certificates=ins.certificate[mr],
        target_ids=excl.target_ids,
        inspector_ids=excl.inspector_ids,
        recusal_target=excl.recusal_target,
        recusal_inspector=excl.recusal_inspector,
        recusal_requested=excl.recusal_requested,
        pools=_pool_results(staffed),
        loads=np.bincount(mr, minlength=len(ins)).astype(np.int64),
        inspectors=ins,
    )


def _members(
    pools: dict[bool, Pool], staffed: dict[bool, Staffed | None]
) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """Every team member: visit, registry row and whether an expert, visit by visit in team order.

    Team order: officers (filtered seats by stream, then the rest by ID), then experts by ID;
    within a pool, rows in ID order are increasing pool indexes, so IDs sort the rest.
    """
    parts_v, parts_k, parts_r, parts_e = [], [], [], []
    for e in (False, True):
        s = staffed[e]
        if s is not None:
            parts_v.append(s.member_visit)
            parts_k.append(s.member_rank)
            parts_r.append(pools[e].rows[s.member_person])
            parts_e.append(np.full(s.member_visit.size, e))
    mv = np.concatenate(parts_v) if parts_v else np.zeros(0, np.intp)
    mk = np.concatenate(parts_k) if parts_k else np.zeros(0, np.int64)
    mr = np.concatenate(parts_r) if parts_r else np.zeros(0, np.intp)
    me = np.concatenate(parts_e) if parts_e else np.zeros(0, bool)
    pool_index = np.where(me, pools[True].pos[mr], pools[False].pos[mr])
    o = np.lexsort((pool_index, mk, me, mv))
    return mv[o], mr[o], me[o]


def _pool_results(staffed: dict[bool, Staffed | None]) -> tuple[PoolResult, ...]:
    """How each pool was staffed: officers, then experts."""
    out = []
    for e in (False, True):
        s = staffed[e]
        role = "expert" if e else "officer"
        if s is None:
            out.append(PoolResult(role, "none", None, 0, 0))
        else:
            o = s.outcome
            loads = int(o.staffing.loads.max(initial=0))
            out.append(PoolResult(role, o.regime, o.lam, s.problem.n_seats, loads))
    return tuple(out)
