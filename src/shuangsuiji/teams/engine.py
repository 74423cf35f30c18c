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

import difflib
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import InfeasibleError, InputError
from ..plan.plan import Plan, Task, as_plan
from ..randomness.prn import prn_key
from ..randomness.seed import Seed
from ..registry.columns import Column
from ..registry.inspectors import Inspectors
from ..sampling.selection import Selection
from . import solver as staffing
from .assignment import ALGORITHM, Assignment, PoolResult
from .explain import explain_capacity, explain_visit
from .inputs import read_history, read_recusals
from .seat_rankings import (
    NS_EXPERTS,
    NS_INSPECTORS,
    NS_OFFICERS,
    NS_VISITS,
    Streams,
    order_key,
    seat_labels,
)
from .team_seats import TaskNeeds, VisitRule, visit_rule

__all__ = ["ALGORITHM", "assign"]

# exclusion reasons (bit flags), in the order messages attribute them
CONFLICT, REQUEST, ROTATION = 1, 2, 4

IntArray = npt.NDArray[np.intp]



@attrs.frozen
class _Visits:
    """The visits: targets in ID order, their registry rows and their tasks (plan indexes)."""

    ids: npt.NDArray[np.bytes_]  # sorted UTF-8 bytes
    rows: IntArray  # registry row per visit (-1 without a registry)
    task_indptr: npt.NDArray[np.int64]
    task_list: IntArray

    def tasks_of(self, v: int) -> tuple[int, ...]:
        lo, hi = int(self.task_indptr[v]), int(self.task_indptr[v + 1])
        return tuple(int(t) for t in self.task_list[lo:hi])

    def index(self, target_ids: npt.NDArray[np.bytes_]) -> IntArray:
        """Visit index of each ID, -1 where the target was not drawn."""
        if self.ids.size == 0 or target_ids.size == 0:
            return np.full(target_ids.shape[0], -1, np.intp)
        i = np.searchsorted(self.ids, target_ids)
        i[i >= self.ids.size] = 0
        hit = self.ids[i] == target_ids
        out: IntArray = np.where(hit, i, -1).astype(np.intp)
        return out


def _visits(plan: Plan, sel: Selection) -> _Visits:
    names = [t.name for t in plan.tasks]
    missing = [t for t in sel.tasks if t not in names]
    if missing:
        raise InputError(
            f"the selection has task {missing[0]!r}, which the plan does not; assign with the "
            f"plan the selection was drawn with (its tasks are {names})"
        )
    plan_task = np.array([names.index(t) for t in sel.tasks], np.intp)[sel.task_index]
    ids = np.array([str(x).encode("utf-8") for x in sel.ids.tolist()], dtype="S")
    uniq, first, inv = np.unique(ids, return_index=True, return_inverse=True)
    pairs = np.unique(inv.astype(np.int64) * len(names) + plan_task)
    visit_of_pair = pairs // len(names)
    indptr = np.searchsorted(visit_of_pair, np.arange(uniq.size + 1)).astype(np.int64)
    rows = sel.rows[first] if sel.targets is not None else np.full(uniq.size, -1, np.intp)
    return _Visits(uniq, rows.astype(np.intp), indptr, (pairs % len(names)).astype(np.intp))


def _target_column(sel: Selection, name: str, task: Task, key: str) -> Column:
    targets = sel.targets
    if targets is None:
        raise InputError(
            f"task {task.name!r}, key {key!r}: the selection keeps no target registry to read "
            f"column {name!r} from; use a selection made by ss.draw"
        )
    if name not in targets.columns:
        cols = list(targets.columns)
        hint = difflib.get_close_matches(name, cols, n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else f"; columns are {cols}"
        raise InputError(
            f"task {task.name!r}, key {key!r}: column {name!r} does not exist in the targets{extra}"
        )
    return targets.columns[name]


def _value_codes(col: Column, rows: IntArray) -> tuple[IntArray, list[str | None]]:
    """Codes of the visits' values (-1 missing) and the text of each code (Column.label)."""
    if col.kind == "str":
        codes: IntArray = col.data[rows].astype(np.intp)
        return codes, list(col.categories)
    data = col.data[rows]
    missing = col.missing[rows]
    uniq, inv = np.unique(data[~missing], return_inverse=True)
    codes = np.full(rows.shape[0], -1, np.intp)
    codes[~missing] = inv
    return codes, [col.label(bool(u) if col.kind == "bool" else u) for u in uniq.tolist()]


def _rules(
    plan: Plan, sel: Selection, visits: _Visits
) -> tuple[IntArray, list[VisitRule], dict[str, tuple[IntArray, list[str | None]]]]:
    """Each visit's rule group and the groups' rules (visits with equal needs share a rule)."""
    n = visits.ids.shape[0]
    cols: dict[str, tuple[IntArray, list[str | None]]] = {}
    needed: list[tuple[str, Task, str]] = []
    for t in plan.tasks:
        rules = t.team_rules
        if rules.match is not None:
            needed.append((rules.match.column, t, "team.match.column"))
        if rules.cross_region:
            needed.append((rules.region_column, t, "team.region_column"))
    used = set(visits.task_list.tolist())
    for name, t, key in needed:
        if name not in cols and plan.tasks.index(t) in used:
            cols[name] = _value_codes(_target_column(sel, name, t, key), visits.rows)
    # one signature per visit: its task set and its codes in every column a rule reads
    sets: dict[tuple[int, ...], int] = {}
    counts = np.diff(visits.task_indptr)
    single = counts == 1
    set_id = np.empty(n, np.int64)
    lone = visits.task_list[visits.task_indptr[:-1][single]]
    for t in np.unique(lone).tolist():  # most visits come from one task
        sets[(t,)] = len(sets)
    lookup = np.full(len(plan.tasks), -1, np.int64)
    for ts, i in sets.items():
        lookup[ts[0]] = i
    set_id[single] = lookup[lone]
    for v in np.flatnonzero(~single).tolist():
        set_id[v] = sets.setdefault(visits.tasks_of(v), len(sets))
    sig = np.stack([set_id] + [cols[c][0].astype(np.int64) for c in sorted(cols)], axis=1)
    uniq, first, group = np.unique(sig, axis=0, return_index=True, return_inverse=True)
    group = group.reshape(-1).astype(np.intp)
    task_sets = {i: ts for ts, i in sets.items()}
    out: list[VisitRule] = []

    def value(v: int, task: Task, column: str, key: str) -> str:
        codes, labels = cols[column]
        c = int(codes[v])
        label = labels[c] if c >= 0 else None
        if label is None:
            tid = visits.ids[v].decode("utf-8")
            raise InputError(
                f"target {tid!r} has no value in column {column!r}, which task {task.name!r} "
                f"needs for {key}; fill it in the target registry"
            )
        return label

    for g in range(uniq.shape[0]):
        v = int(first[g])
        needs = []
        for ti in task_sets[int(uniq[g, 0])]:
            task = plan.tasks[ti]
            rules = task.team_rules
            cutoff = rules.rotation_cutoff
            needs.append(
                TaskNeeds(
                    officers=rules.officers,
                    experts=rules.experts,
                    value=value(v, task, rules.match.column, "team.match") if rules.match else None,
                    who=rules.match.who if rules.match else "all",
                    departments=rules.departments,
                    region=value(v, task, rules.region_column, "team.cross_region")
                    if rules.cross_region
                    else None,
                    cutoff=cutoff.isoformat() if cutoff is not None else None,
                )
            )
        out.append(visit_rule(needs))
    return group, out, cols


@attrs.frozen
class _Exclusions:
    """(visit, registry row, reason bits) of everyone barred from a drawn target."""

    visit: IntArray
    row: IntArray
    reason: npt.NDArray[np.int64]
    # the recusals to record: target ID, inspector ID (UTF-8), requested (else declared)
    # the recusals to record, sorted: indexes into the sorted target and inspector IDs
    target_ids: npt.NDArray[np.bytes_]
    inspector_ids: npt.NDArray[np.bytes_]
    recusal_target: npt.NDArray[np.int64]
    recusal_inspector: npt.NDArray[np.int64]
    recusal_requested: npt.NDArray[np.bool_]


def _exclusions(
    ins: Inspectors,
    sel: Selection,
    visits: _Visits,
    group: IntArray,
    rules: list[VisitRule],
    history: Any,
    recusals: Any,
) -> _Exclusions:
    index = {x: i for i, x in enumerate(ins.ids())}
    known = sel.targets.id_bytes if sel.targets is not None else visits.ids
    parts_v: list[IntArray] = []
    parts_r: list[IntArray] = []
    parts_b: list[npt.NDArray[np.int64]] = []
    # declared conflicts (the registry's ``conflicts`` column)
    owner = np.repeat(np.arange(len(ins), dtype=np.intp), np.diff(ins.conflict_indptr))
    cv = visits.index(ins.conflict_ids)
    hit = cv >= 0
    parts_v.append(cv[hit])
    parts_r.append(owner[hit])
    parts_b.append(np.full(int(hit.sum()), CONFLICT, np.int64))
    requested_t = np.zeros(0, "S1")
    requested_p = np.zeros(0, np.intp)
    # enterprise recusal requests
    r_targets, r_people = read_recusals(recusals, index, known, visits.ids)
    if r_targets:
        rt = np.array([t.encode("utf-8") for t in r_targets], dtype="S")
        rv = visits.index(rt)
        rp = np.array(r_people, np.intp)
        parts_v.append(rv[rv >= 0])
        parts_r.append(rp[rv >= 0])
        parts_b.append(np.full(int((rv >= 0).sum()), REQUEST, np.int64))
        requested_t, requested_p = rt, rp
    # rotation: inspected this target after the visit's cutoff
    h_people, h_targets, h_dates = read_history(history, index, known, visits.ids)
    if h_people:
        hv = visits.index(np.array([t.encode("utf-8") for t in h_targets], dtype="S"))
        never = np.datetime64("9999-12-31")  # no rotation rule: no date is recent
        cut = np.array([r.cutoff or never for r in rules], dtype="datetime64[D]")
        days = np.array(h_dates, dtype="datetime64[D]")
        k = hv >= 0
        k[k] = days[k] > cut[group[hv[k]]]
        parts_v.append(hv[k])
        parts_r.append(np.array(h_people, np.intp)[k])
        parts_b.append(np.full(int(k.sum()), ROTATION, np.int64))
    v = np.concatenate(parts_v).astype(np.int64)
    r = np.concatenate(parts_r).astype(np.int64)
    b = np.concatenate(parts_b)
    key = v * max(len(ins), 1) + r
    o = np.argsort(key)  # reasons are OR-ed per pair, so the sort need not be stable
    key, b = key[o], b[o]
    first = np.ones(key.size, bool)
    first[1:] = key[1:] != key[:-1]
    uk = key[first]
    bits = np.bitwise_or.reduceat(b, np.flatnonzero(first)) if key.size else b
    # sort the recusals by target, inspector (UTF-8 bytes), declared before requested, on
    # integer ranks: gathering and sorting a million byte strings is several times slower
    named = np.union1d(visits.ids, requested_t) if requested_t.size else visits.ids
    t_rank = np.concatenate(
        [np.searchsorted(named, visits.ids)[cv[hit]], np.searchsorted(named, requested_t)]
    ).astype(np.int64)
    by_id = np.argsort(ins.id_bytes, kind="stable")
    p_rank = np.empty(len(ins), np.int64)
    p_rank[by_id] = np.arange(len(ins))
    who = p_rank[np.concatenate([owner[hit], requested_p])]
    requested = np.concatenate([np.zeros(int(hit.sum()), bool), np.ones(requested_p.size, bool)])
    o = np.lexsort((requested, who, t_rank))
    return _Exclusions(
        (uk // max(len(ins), 1)).astype(np.intp),
        (uk % max(len(ins), 1)).astype(np.intp),
        bits,
        named,
        ins.id_bytes[by_id],
        t_rank[o],
        who[o],
        requested[o],
    )


class _Pool:
    """One pool (officers or experts): its people in ID order and their candidate lists."""

    def __init__(self, ins: Inspectors, expert: bool) -> None:
        self.ins = ins
        self.expert = expert
        rows = np.flatnonzero(ins.is_expert == expert)
        self.rows: IntArray = rows[np.argsort(ins.id_bytes[rows], kind="stable")]
        self.pos = np.full(len(ins), -1, np.intp)
        self.pos[self.rows] = np.arange(self.rows.size)
        self.active = ins.active[self.rows]
        self.region = ins.region[self.rows]
        self.unit = ins.unit[self.rows]
        self._qual: dict[str, npt.NDArray[np.bool_]] = {}
        self.lists: list[IntArray] = []
        self._list_of: dict[tuple[frozenset[str], frozenset[str], str | None], int] = {}

    def __len__(self) -> int:
        return int(self.rows.size)

    def qualified(self, value: str) -> npt.NDArray[np.bool_]:
        q = self._qual.get(value)
        if q is None:
            q = self.ins.qualified(value)[self.rows]
            self._qual[value] = q
        return q

    def mask(
        self, quals: frozenset[str], regions_out: frozenset[str], unit: str | None
    ) -> npt.NDArray[np.bool_]:
        """Active people of the pool passing a filter (before individual exclusions)."""
        m: npt.NDArray[np.bool_] = self.active.copy()
        for q in sorted(quals):
            m &= self.qualified(q)
        if regions_out:
            m &= ~np.isin(self.region, sorted(regions_out)) & (self.region != "")
        if unit is not None:
            m &= self.unit == unit
        return m

    def list_id(self, quals: frozenset[str], regions_out: frozenset[str], unit: str | None) -> int:
        key = (quals, regions_out, unit)
        k = self._list_of.get(key)
        if k is None:
            k = len(self.lists)
            self._list_of[key] = k
            self.lists.append(np.flatnonzero(self.mask(quals, regions_out, unit)).astype(np.intp))
        return k


@attrs.frozen
class _Staffed:
    """A pool's outcome: per visit, its members (pool indexes) in team order."""

    outcome: staffing.Outcome
    member_visit: IntArray  # per seat: visit index (empty unless staffed)
    member_rank: npt.NDArray[np.int64]  # order within the team: filtered seats by stream, open
    member_person: IntArray  # pool index
    problem: staffing.Problem
    slot_stream: npt.NDArray[np.int64]
    order: IntArray  # visit index at each position


def _staff(
    pool: _Pool,
    seed: Seed,
    visits: _Visits,
    group: IntArray,
    rules: list[VisitRule],
    excl: _Exclusions,
    position: IntArray,
) -> _Staffed | None:
    """Build one pool's staffing problem (slots in seat order) and solve it."""
    n = visits.ids.shape[0]
    order = np.argsort(position)  # visit at each position
    # slot specs per rule group: (list, demand, stream)
    specs: list[list[tuple[int, int, int]]] = []
    for r in rules:
        if pool.expert:
            spec = [
                (pool.list_id(q, frozenset(), None), c, j)
                for j, (q, c) in enumerate(r.expert_seats)
            ]
        else:
            spec = [
                (pool.list_id(r.quals_all | s.quals, r.regions_out, s.unit), 1, j)
                for j, s in enumerate(r.seats, 1)
            ]
            if r.open_seats:
                spec.append((pool.list_id(r.quals_all, r.regions_out, None), r.open_seats, 0))
        specs.append(spec)
    count = np.array([len(s) for s in specs], np.int64)
    if int(count[group].sum()) == 0:
        return None
    flat = np.array([x for s in specs for x in s], np.int64).reshape(-1, 3)
    start = np.concatenate([[0], np.cumsum(count)])
    per_pos = count[group[order]]
    slot_pos = np.repeat(np.arange(n, dtype=np.intp), per_pos)
    within = np.arange(slot_pos.size) - np.repeat(np.cumsum(per_pos) - per_pos, per_pos)
    spec_row = start[group[order]][slot_pos] + within
    slot_list = flat[spec_row, 0].astype(np.intp)
    slot_demand = flat[spec_row, 1]
    slot_stream = flat[spec_row, 2]
    sizes = np.array([lst.size for lst in pool.lists], np.int64)
    indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    members = np.concatenate(pool.lists).astype(np.intp) if pool.lists else np.zeros(0, np.intp)
    # exclusions of this pool, by visit position
    pp = pool.pos[excl.row]
    mine = pp >= 0
    ev = position[excl.visit[mine]]
    ep = pp[mine]
    o = np.lexsort((ep, ev))
    ev, ep = ev[o], ep[o]
    excl_indptr = np.searchsorted(ev, np.arange(n + 1)).astype(np.int64)
    scan = order_key(seed.value, NS_INSPECTORS, pool.ins.id_bytes[pool.rows])
    problem = staffing.Problem(
        len(pool),
        n,
        slot_pos,
        slot_demand,
        slot_list,
        indptr,
        members,
        excl_indptr,
        ep.astype(np.intp),
        scan,
    )
    labels = seat_labels(visits.ids[order][slot_pos], slot_stream)
    key = prn_key(seed.value, NS_EXPERTS if pool.expert else NS_OFFICERS)
    prefs = Streams(key, labels, sizes[slot_list])
    cap = pool.ins.capacity[pool.rows].astype(np.int64)
    outcome = staffing.solve(problem, prefs, cap)
    st = outcome.staffing
    seat_visit = order[slot_pos[st.seat_slot]].astype(np.intp)
    seat_stream = slot_stream[st.seat_slot]
    # filtered officer seats by stream number, then the open seats (stream 0) and every
    # expert, whose people go by ID
    by_id = pool.expert | (seat_stream == 0)
    rank = np.where(by_id, np.iinfo(np.int64).max, seat_stream)
    return _Staffed(outcome, seat_visit, rank, st.seat_person, problem, slot_stream, order)


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
    visits = _visits(plan, selection)
    group, rules, cols = _rules(plan, selection, visits)
    excl = _exclusions(inspectors, selection, visits, group, rules, history, recusals)
    position = order_key(seed.value, NS_VISITS, visits.ids)
    pools = {False: _Pool(inspectors, False), True: _Pool(inspectors, True)}
    staffed = {
        e: _staff(pools[e], seed, visits, group, rules, excl, position) for e in (False, True)
    }
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
    if problems:
        head = f"no valid assignment exists ({len(problems)} problem(s)):\n  - "
        raise InfeasibleError(
            head
            + "\n  - ".join(problems[:20])
            + (f"\n  - and {len(problems) - 20} more" if len(problems) > 20 else "")
        )
    return _result(plan, selection, inspectors, seed, visits, pools, staffed, excl)


def _visit_problems(
    pool: _Pool,
    s: _Staffed,
    visits: _Visits,
    group: IntArray,
    rules: list[VisitRule],
    excl: _Exclusions,
    cols: dict[str, tuple[IntArray, list[str | None]]],
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
    sel: Selection,
    ins: Inspectors,
    seed: Seed,
    visits: _Visits,
    pools: dict[bool, _Pool],
    staffed: dict[bool, _Staffed | None],
    excl: _Exclusions,
) -> Assignment:
    n = visits.ids.shape[0]
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
    # team order: officers (filtered seats by stream, then the rest by ID), then experts by ID;
    # within a pool, rows in ID order are increasing pool indexes, so IDs sort the rest
    pool_index = np.where(me, pools[True].pos[mr], pools[False].pos[mr])
    o = np.lexsort((pool_index, mk, me, mv))
    mv, mr, me = mv[o], mr[o], me[o]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(mv, minlength=n))]).astype(np.int64)
    width = max(4, len(str(n)))
    pool_results = []
    for e in (False, True):
        s = staffed[e]
        role = "expert" if e else "officer"
        if s is None:
            pool_results.append(PoolResult(role, "none", None, 0, 0))
        else:
            out = s.outcome
            pool_results.append(
                PoolResult(
                    role,
                    out.regime,
                    out.lam,
                    s.problem.n_seats,
                    int(out.staffing.loads.max(initial=0)),
                )
            )
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
        pools=tuple(pool_results),
        loads=np.bincount(mr, minlength=len(ins)).astype(np.int64),
        inspectors=ins,
    )
