"""The pieces under ``assign``: preference streams (every tier gives the walker's order, also
when values are rejected), the seat model's rules, and the solver's regimes on small cases."""

from __future__ import annotations

import random

import numpy as np
import pytest
import ref_assign as RA

from shuangsuiji.randomness.prn import prn_key
from shuangsuiji.teams import solver as staffing
from shuangsuiji.teams.seat_rankings import Streams, seat_label, seat_labels, uniform_below
from shuangsuiji.teams.team_seats import Seat, TaskNeeds, visit_rule


def _streams(n: int, sizes: list[int], cls: type[Streams] = Streams) -> Streams:
    labels = np.array([seat_label(f"T{i}".encode(), i % 4) for i in range(n)], dtype="S")
    return cls(prn_key(bytes(range(16)), "ns"), labels, np.array(sizes, np.int64))


class _Rejecting(Streams):
    """Streams whose every fifth value is 2**64 - 1, which uniform(m) rejects unless m is a
    power of two: exercises the fallback of every tier."""

    def values(self, seats, t0, t1):  # type: ignore[no-untyped-def]
        out = super().values(seats, t0, t1)
        ts = np.arange(t0, t1)
        out[:, ts % 5 == 3] = np.uint64(2**64 - 1)
        return out


@pytest.mark.parametrize("cls", [Streams, _Rejecting])
def test_every_tier_gives_the_walkers_order(cls: type[Streams]) -> None:
    rnd = random.Random(5)
    sizes = [rnd.randint(1, 70) for _ in range(300)]
    streams = _streams(300, sizes, cls)
    walks = [list(streams.walker(i)) for i in range(300)]
    assert all(sorted(w) == list(range(n)) for w, n in zip(walks, sizes))
    head = streams.head()
    for i, w in enumerate(walks):
        assert head[i].tolist() == (w + [-1] * 4)[:4]
    for _ in range(40):
        seats = np.array([rnd.randrange(300) for _ in range(60)], np.intp)
        steps = np.array([rnd.randrange(75) for _ in range(60)], np.int64)
        got = streams.at(seats, steps).tolist()
        assert got == [walks[s][t] if t < sizes[s] else -1 for s, t in zip(seats, steps)]
    fresh = _streams(300, sizes, cls)
    fresh.prefetch(np.arange(300, dtype=np.intp), 80)
    assert fresh.at(np.arange(300, dtype=np.intp), np.full(300, 20)).tolist() == [
        w[20] if len(w) > 20 else -1 for w in walks
    ]


def test_uniform_below_rejects_exactly_the_top() -> None:
    m = 3
    limit = m * ((1 << 64) // m)
    assert uniform_below(limit - 1, m) == (limit - 1) % m
    assert uniform_below(limit, m) is None
    assert uniform_below((1 << 64) - 1, 4) == 3  # powers of two never reject


def test_seat_labels() -> None:
    got = seat_labels(np.array([b"A|1", "企业".encode()], dtype="S"), np.array([0, 12]))
    assert got.tolist() == [b"A|1|0", "企业|12".encode()]


def test_visit_rule_union_and_seats() -> None:
    rule = visit_rule(
        [
            TaskNeeds(officers=2, value="食品", who="all", cutoff="2025-01-01"),
            TaskNeeds(
                officers=2,
                experts=1,
                value="药品",
                who="any",
                departments=("市场局", "环境厅"),
                region="保定",
                cutoff="2024-06-01",
            ),
            TaskNeeds(officers=3, value="食品", who="any", departments=("市场局",)),
        ]
    )
    assert rule.quals_all == {"食品"}
    # (市场局, {药品}) implies (市场局, {}) from task 3, whose 食品 is in Q anyway
    assert rule.seats == (Seat("市场局", frozenset({"药品"})), Seat("环境厅", frozenset()))
    assert rule.officers == 3 and rule.open_seats == 1 and rule.experts == 1
    expert_quals = frozenset[str]().union(*(q for q, _ in rule.expert_seats))
    assert expert_quals == {"药品"} and rule.regions_out == {"保定"}
    assert rule.cutoff == "2024-06-01"
    # seats beyond the officers grow the team
    wide = visit_rule(
        [TaskNeeds(officers=2, departments=("a", "b")), TaskNeeds(officers=2, departments=("c",))]
    )
    assert wide.officers == 3 and wide.open_seats == 0
    with pytest.raises(ValueError):
        visit_rule([])


def test_visit_rule_agrees_with_the_reference() -> None:
    plan = {
        "tasks": [
            {
                "name": "a",
                "team": {
                    "officers": 2,
                    "match": {"column": "f", "who": "any"},
                    "departments": ["u2", "u1"],
                },
            },
            {"name": "b", "team": {"officers": 2, "match": {"column": "f", "who": "any"}}},
        ]
    }
    ref = RA.rules_of(plan, ["a", "b"], {"f": "x"})
    rule = visit_rule(
        [
            TaskNeeds(officers=2, value="x", who="any", departments=("u2", "u1")),
            TaskNeeds(officers=2, value="x", who="any"),
        ]
    )
    assert (
        [(s.unit, s.quals) for s in rule.seats]
        == ref["seats"]
        == [("u1", frozenset()), ("u2", frozenset({"x"}))]
    )


def _problem(caps: list[int]) -> tuple[staffing.Problem, object]:
    # three visits of two open seats over the same four people
    p = staffing.Problem(
        4,
        3,
        np.array([0, 1, 2], np.intp),
        np.array([2, 2, 2], np.int64),
        np.array([0, 0, 0], np.intp),
        np.array([0, 4], np.int64),
        np.arange(4, dtype=np.intp),
        np.zeros(4, np.int64),
        np.zeros(0, np.intp),
        np.arange(4, dtype=np.intp),
    )
    labels = np.array([seat_label(f"V{v}".encode(), 0) for v in range(3)], dtype="S")
    return p, Streams(prn_key(b"s" * 16, "ns"), labels, np.full(3, 4, np.int64))


def test_regimes() -> None:
    p, prefs = _problem([9, 9, 9, 9])
    free = staffing.solve(p, prefs, np.array([9, 9, 9, 9]))  # type: ignore[arg-type]
    assert free.regime == "free" and free.lam is None
    tight = staffing.solve(p, prefs, np.array([1, 1, 2, 2]))  # type: ignore[arg-type]
    assert tight.regime == "balanced" and tight.lam == 2
    assert tight.staffing.loads.tolist() == [1, 1, 2, 2]
    assert staffing.lower_bound(p, np.array([1, 1, 2, 2])) == 2
    over = staffing.solve(p, prefs, np.array([1, 1, 1, 2]))  # type: ignore[arg-type]
    assert over.regime == "over-capacity"
    assert set(over.staffing.blocked_people.tolist()) <= {0, 1, 2, 3}
    none = staffing.solve(p, prefs, np.array([0, 0, 0, 9]))  # type: ignore[arg-type]
    assert none.regime == "over-capacity"
    unlimited = staffing.solve(p, prefs, np.array([-1, -1, 0, 0]))  # type: ignore[arg-type]
    assert unlimited.regime == "balanced" and unlimited.lam == 3
