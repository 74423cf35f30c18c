"""Stdlib reference of docs/spec.md §8 (the second random), and a brute force.

Written from the spec text, one literal step at a time, with plain lists and dicts: no numpy, no
shuangsuiji code (SipHash and the PRN key come from ``reference.py``). Slow on purpose. Inputs
are plain data:

* ``plan``: the plan dict (tasks with optional ``team`` and ``items``);
* ``targets``: ``{target id: row dict}`` (the columns the rules read);
* ``drawn``: ``[(task name, target id), ...]``;
* ``people``: inspector rows as ``Inspectors.to_records()`` gives them (``id``, ``unit``,
  ``region``, ``qualifications``, ``role``, ``capacity`` (None = no limit), ``conflicts``,
  ``active``);
* ``history``: ``[(inspector, target, "YYYY-MM-DD"), ...]``; ``recusals``: ``[(target, inspector)]``.

:func:`assign_ref` returns ``{"records": [...], "regimes": {...}}`` or raises
:class:`Unstaffable`. :func:`brute_force` enumerates every valid assignment of one pool.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator
from typing import Any

import reference as R

NS_VISITS = "shuangsuiji/assign/v1/visits"
NS_INSPECTORS = "shuangsuiji/assign/v1/inspectors"
NS_OFFICERS = "shuangsuiji/assign/v1/officers"
NS_EXPERTS = "shuangsuiji/assign/v1/experts"
INF = float("inf")


class Unstaffable(Exception):
    """No valid assignment exists; ``kind`` is "visit" or "capacity"."""

    def __init__(self, kind: str, role: str) -> None:
        super().__init__(kind, role)
        self.kind = kind
        self.role = role


def h(seed: bytes, ns: str, text: str) -> int:
    return R.prn_int(seed, ns, text)


def key(text: str) -> bytes:
    return text.encode("utf-8")


# -- §8.4 ---------------------------------------------------------------------------------------
def preference(seed: bytes, ns: str, target: str, j: int, n: int) -> list[int]:
    """The Fisher–Yates order of positions 0..n-1 for seat stream j of ``target``."""
    t = 0

    def uniform(m: int) -> int:
        nonlocal t
        while True:
            x = h(seed, ns, f"{target}|{j}|{t}")
            t += 1
            if x < m * ((1 << 64) // m):
                return x % m

    a = list(range(n))
    for i in range(n):
        r = i + uniform(n - i)
        a[i], a[r] = a[r], a[i]
    return a


def ordered(seed: bytes, ns: str, ids: list[str]) -> list[str]:
    return sorted(ids, key=lambda x: (h(seed, ns, x), key(x)))


# -- §8.2 ---------------------------------------------------------------------------------------
def text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def rules_of(plan: dict[str, Any], tasks: list[str], row: dict[str, Any]) -> dict[str, Any]:
    by_name = {t["name"]: t for t in plan["tasks"]}
    q_all: set[str] = set()
    regions: set[str] = set()
    raw: list[tuple[str | None, frozenset[str]]] = []
    officers, cutoffs = 0, []
    expert_places: dict[str | None, int] = {}  # one expert seat per requirement (value)
    for name in tasks:
        team = by_name[name].get("team", {})
        match = team.get("match")
        value = text(row[match["column"]]) if match else None
        who = match.get("who", "all") if match else "all"
        officers = max(officers, team.get("officers", 2))
        if team.get("experts", 0):
            expert_places[value] = max(expert_places.get(value, 0), team["experts"])
        if value is not None and who == "all":
            q_all.add(value)
        if team.get("cross_region"):
            regions.add(text(row[team.get("region_column", "region")]))
        if team.get("rotation_days", 0):
            asof = dt.date.fromisoformat(team["as_of"])
            cutoffs.append((asof - dt.timedelta(days=team["rotation_days"])).isoformat())
        anyq = frozenset([value]) if value is not None and who == "any" else frozenset()
        deps = team.get("departments", [])
        if deps:
            raw.append((deps[0], anyq))
            raw += [(d, frozenset()) for d in deps[1:]]
        elif anyq:
            raw.append((None, anyq))
    seats = {(u, a - q_all) for u, a in raw}
    seats = {s for s in seats if s[0] is not None or s[1]}

    def implies(
        s2: tuple[str | None, frozenset[str]], s1: tuple[str | None, frozenset[str]]
    ) -> bool:
        return (s1[0] is None or s1[0] == s2[0]) and s1[1] <= s2[1]

    kept = [s for s in seats if not any(o != s and implies(o, s) for o in seats)]
    kept.sort(key=lambda s: (s[0] is None, s[0] or "", sorted(s[1])))
    return {
        "k": max(officers, len(kept)),
        "expert_seats": sorted(expert_places.items(), key=lambda vc: [vc[0]] if vc[0] else []),
        "q_all": q_all,
        "regions": regions,
        "seats": kept,
        "cutoff": min(cutoffs) if cutoffs else None,
    }


# -- §8.3, 8.5 ----------------------------------------------------------------------------------
def seats_of_pool(
    seed: bytes,
    role: str,
    visits: list[str],
    rules: dict[str, dict[str, Any]],
    pool: list[dict[str, Any]],
    barred: dict[str, set[str]],
) -> list[dict[str, Any]]:
    """The pool's seats in seat order: visit, stream j, candidate IDs, preference order."""
    out = []
    ns = NS_EXPERTS if role == "expert" else NS_OFFICERS
    for v in ordered(seed, NS_VISITS, visits):
        r = rules[v]

        def cands(unit: str | None, quals: set[str], regions: set[str]) -> list[str]:
            return [
                p["id"]
                for p in pool
                if p["active"]
                and quals <= set(p["qualifications"])
                and (unit is None or p["unit"] == unit)
                and (not regions or (p["region"] or "") not in regions | {""})
            ]

        specs = []
        if role == "expert":
            for j, (value, count) in enumerate(r["expert_seats"]):
                quals = {value} if value is not None else set()
                specs.append((j, count, cands(None, quals, set())))
        else:
            for j, (unit, quals) in enumerate(r["seats"], 1):
                specs.append((j, 1, cands(unit, r["q_all"] | quals, r["regions"])))
            if r["k"] - len(r["seats"]):
                specs.append((0, r["k"] - len(r["seats"]), cands(None, r["q_all"], r["regions"])))
        for j, count, lst in specs:
            order = [lst[i] for i in preference(seed, ns, v, j, len(lst))]
            order = [p for p in order if p not in barred.get(v, set())]
            for _ in range(count):
                out.append({"visit": v, "stream": j, "slot": (v, j), "cands": lst, "order": order})
    return out


# -- §8.6, 8.7 ----------------------------------------------------------------------------------
def fill(
    seats: list[dict[str, Any]],
    cap: dict[str, float],
    scan: dict[str, int],
    barred: dict[str, set[str]],
) -> list[str | None]:
    person: list[str | None] = [None] * len(seats)
    load = dict.fromkeys(cap, 0)

    def on_visit(v: str) -> dict[str, int]:
        return {person[w]: w for w in range(len(seats)) if seats[w]["visit"] == v and person[w]}

    for u, s in enumerate(seats):
        team = on_visit(s["visit"])
        for p in s["order"]:
            if p not in team and load[p] < cap[p]:
                person[u] = p
                load[p] += 1
                break
    for u0 in range(len(seats)):
        if person[u0] is None:
            augment(seats, person, load, cap, scan, barred, u0)
    return person


def augment(
    seats: list[dict[str, Any]],
    person: list[str | None],
    load: dict[str, int],
    cap: dict[str, float],
    scan: dict[str, int],
    barred: dict[str, set[str]],
    u0: int,
) -> bool:
    """The §8.7 search from empty seat ``u0``; augments and returns True if it finds a path."""

    def on_visit(v: str) -> dict[str, int]:
        return {person[w]: w for w in range(len(seats)) if seats[w]["visit"] == v and person[w]}

    reached_seat: dict[int, tuple[str, int, str | None]] = {u0: ("start", -1, None)}
    found_from: dict[str, int] = {}
    queue = deque([u0])
    end = None
    while queue and end is None:
        s = queue.popleft()
        v = seats[s]["visit"]
        team = {p: w for p, w in on_visit(v).items() if w != s}
        bar = barred.get(v, set())
        for p in sorted(seats[s]["cands"], key=lambda x: scan[x]):
            if p in bar or p == person[s] or p in found_from:
                continue
            if p in team:
                w = team[p]
                if w not in reached_seat:
                    reached_seat[w] = ("teammate", s, p)
                    queue.append(w)
                continue
            found_from[p] = s
            if load[p] < cap[p]:
                end = p
                break
            for w in range(len(seats)):
                if person[w] == p and w not in reached_seat:
                    reached_seat[w] = ("person", -1, p)
                    queue.append(w)
    if end is None:
        return False
    s, new = found_from[end], end
    load[end] += 1
    while True:
        old = person[s]
        person[s] = new
        if old is None:
            break
        how, prev, _via = reached_seat[s]
        s = prev if how == "teammate" else found_from[old]
        new = old
    return True


def even(
    seats: list[dict[str, Any]],
    person: list[str | None],
    cap: dict[str, float],
    scan: dict[str, int],
    barred: dict[str, set[str]],
) -> list[str | None]:
    """§8.8 step 4: for L = max load down to 2, each person at load L in scan order offers their
    first seat to a §8.7 search under min(c, L - 1); no skipping of any kind."""
    person = list(person)
    load = {p: person.count(p) for p in cap}
    for level in range(max(load.values(), default=0), 1, -1):
        low = {p: min(cap[p], level - 1) for p in cap}
        for a in sorted((p for p in cap if load[p] == level), key=lambda x: scan[x]):
            if load[a] != level:
                continue
            mine = [w for w in range(len(seats)) if person[w] == a]
            load[a] -= 1
            moved = False
            for s in mine:  # first a direct taker: a candidate free to take the seat at once
                v = seats[s]["visit"]
                team = {person[w] for w in range(len(seats)) if seats[w]["visit"] == v}
                for p in sorted(seats[s]["cands"], key=lambda x: scan[x]):
                    if p not in barred.get(v, set()) and p not in team and load[p] < low[p]:
                        person[s] = p
                        load[p] += 1
                        moved = True
                        break
                if moved:
                    break
            if moved:
                continue
            s = mine[0]
            person[s] = None
            if not augment(seats, person, load, low, scan, barred, s):
                person[s] = a
                load[a] += 1
    return person


# -- §8.8 ---------------------------------------------------------------------------------------
def staff(
    seats: list[dict[str, Any]],
    pool: list[dict[str, Any]],
    scan: dict[str, int],
    barred: dict[str, set[str]],
    role: str,
) -> tuple[list[str | None], str, int | None]:
    unlimited = {p["id"]: INF for p in pool}
    c = {p["id"]: INF if p["capacity"] is None else p["capacity"] for p in pool}
    free = fill(seats, unlimited, scan, barred)
    if None in free:
        raise Unstaffable("visit", role)
    loads = {p: free.count(p) for p in c}
    if all(loads[p] <= c[p] for p in c):
        return free, "free", None
    for lam in range(len(seats) + 1):
        got = fill(seats, {p: min(c[p], lam) for p in c}, scan, barred)
        if None not in got:
            return even(seats, got, c, scan, barred), "balanced", lam
    raise Unstaffable("capacity", role)


def visits_and_bars(
    plan: dict[str, Any],
    targets: dict[str, dict[str, Any]],
    drawn: list[tuple[str, str]],
    people: list[dict[str, Any]],
    history: list[tuple[str, str, str]],
    recusals: list[tuple[str, str]],
) -> tuple[list[str], dict[str, list[str]], dict[str, dict[str, Any]], dict[str, set[str]]]:
    """The visits in ID order, each visit's tasks and rules, and who is barred from it
    (declared conflicts, recusals, and visits after the cool-off cutoff)."""
    task_names = [t["name"] for t in plan["tasks"]]
    visits = sorted({tid for _, tid in drawn}, key=key)
    tasks_of = {v: [t for t in task_names if (t, v) in set(drawn)] for v in visits}
    rules = {v: rules_of(plan, tasks_of[v], targets[v]) for v in visits}
    barred: dict[str, set[str]] = {v: set() for v in visits}
    for p in people:
        for tid in p["conflicts"]:
            if tid in barred:
                barred[tid].add(p["id"])
    for tid, pid in recusals:
        if tid in barred:
            barred[tid].add(pid)
    for pid, tid, date in history:
        if tid in barred and rules[tid]["cutoff"] is not None and date > rules[tid]["cutoff"]:
            barred[tid].add(pid)
    return visits, tasks_of, rules, barred


def assign_ref(
    plan: dict[str, Any],
    targets: dict[str, dict[str, Any]],
    drawn: list[tuple[str, str]],
    people: list[dict[str, Any]],
    seed: bytes,
    history: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    recusals: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    visits, tasks_of, rules, barred = visits_and_bars(
        plan, targets, drawn, people, history, recusals
    )
    result_teams: dict[str, dict[str, list[str]]] = {v: {} for v in visits}
    regimes = {}
    for role in ("officer", "expert"):
        pool = sorted((p for p in people if p["role"] == role), key=lambda p: key(p["id"]))
        seats = seats_of_pool(seed, role, visits, rules, pool, barred)
        if not seats:
            regimes[role] = ("none", None)
            continue
        scan_ids = ordered(seed, NS_INSPECTORS, [p["id"] for p in pool])
        scan = {p: i for i, p in enumerate(scan_ids)}
        person, regime, lam = staff(seats, pool, scan, barred, role)
        regimes[role] = (regime, lam)
        for v in visits:
            mine = [(s["stream"], person[u]) for u, s in enumerate(seats) if s["visit"] == v]
            # filtered officer seats by stream; open seats and all experts by ID (§8.10)
            by_id = role == "expert"
            filtered = [p for j, p in sorted(mine, key=lambda x: x[0]) if j > 0 and not by_id]
            rest = sorted((p for j, p in mine if j == 0 or by_id), key=lambda x: key(x or ""))
            result_teams[v][role] = [p for p in filtered + rest if p is not None]
    width = max(4, len(str(len(visits))))
    records = []
    for n, v in enumerate(visits, 1):
        team = result_teams[v].get("officer", []) + result_teams[v].get("expert", [])
        roles = ["officer"] * len(result_teams[v].get("officer", [])) + ["expert"] * len(
            result_teams[v].get("expert", [])
        )
        for t in tasks_of[v]:
            for p, role in zip(team, roles):
                records.append(
                    {"task": t, "id": v, "inspector": p, "role": role, "visit": f"V{n:0{width}d}"}
                )
    return {"records": records, "regimes": regimes}


# -- brute force --------------------------------------------------------------------------------
def valid_loads(seats: list[dict[str, Any]], cap: dict[str, float]) -> Iterator[dict[str, int]]:
    """The load of each person under every assignment that fills every seat with distinct,
    unbarred candidates per visit within ``cap``, in a fixed order (the dict is reused: read it
    before asking for the next)."""
    load = dict.fromkeys(cap, 0)
    person: list[str | None] = [None] * len(seats)

    def rec(u: int) -> Iterator[dict[str, int]]:
        if u == len(seats):
            yield load
            return
        s = seats[u]
        team = {person[w] for w in range(u) if seats[w]["visit"] == s["visit"]}
        # seats of one slot are interchangeable: fill them in increasing ID order only
        prev = person[u - 1] if u > 0 and seats[u - 1]["slot"] == s["slot"] else None
        for p in sorted(set(s["order"])):
            if p in team or load[p] >= cap[p] or (prev is not None and key(p) <= key(prev)):
                continue
            person[u] = p
            load[p] += 1
            yield from rec(u + 1)
            load[p] -= 1
            person[u] = None

    return rec(0)


def brute_force(seats: list[dict[str, Any]], cap: dict[str, float]) -> tuple[bool, int | None]:
    """Whether some assignment fills every seat with distinct, unbarred candidates per visit
    within ``cap``, and the least maximum load over all such assignments."""
    best: int | None = None
    for load in valid_loads(seats, cap):
        m = max(load.values(), default=0)
        if best is None or m < best:
            best = m
    return best is not None, best


def pool_seats(
    plan: dict[str, Any],
    targets: dict[str, dict[str, Any]],
    drawn: list[tuple[str, str]],
    people: list[dict[str, Any]],
    seed: bytes,
    role: str,
    history: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    recusals: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """One pool's seats (with their unbarred candidates as ``order``) and capacities."""
    visits, _tasks, rules, barred = visits_and_bars(plan, targets, drawn, people, history, recusals)
    pool = sorted((p for p in people if p["role"] == role), key=lambda p: key(p["id"]))
    seats = seats_of_pool(seed, role, visits, rules, pool, barred)
    cap = {p["id"]: INF if p["capacity"] is None else p["capacity"] for p in pool}
    return seats, cap


__all__ = [
    "Unstaffable",
    "assign_ref",
    "brute_force",
    "even",
    "fill",
    "ordered",
    "pool_seats",
    "preference",
    "rules_of",
]
