"""Monte Carlo: when capacities do not bind, every eligible officer is equally likely.

Fixed seed lists, so these tests never flake: the outcome is deterministic, and the tolerances
bound how likely a correct implementation was to fail on a seed list drawn at random. Each count
gets a 4σ band (two-sided normal tail 6.3e-5 for these binomials, thousands of trials) and each
joint distribution a chi-square limit at its 1 - 1e-4 quantile. By the union bound (no
independence needed), a test with c counts and q chi-square checks fails with probability at
most c * 6.3e-5 + q * 1e-4: 8 counts + 1 chi-square ≈ 6e-4, 9 counts ≈ 6e-4, 1 chi-square 1e-4,
the `any` seat's 17 counts ≈ 1.1e-3 — about 1e-3 per test, not less.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter

import numpy as np

import shuangsuiji as ss
from shuangsuiji.randomness.prn import prn_key
from shuangsuiji.teams.seat_rankings import Streams, seat_label

N_SEEDS = 200
N_TARGETS = 20


def _seeds(n: int, tag: str) -> list[ss.Seed]:
    return [ss.Seed.from_hex(hashlib.sha256(f"{tag}/{i}".encode()).hexdigest()) for i in range(n)]


def _chi2_limit(df: int) -> float:
    """An upper bound on the 1 - 1e-4 quantile of chi-square(df) (Wilson–Hilferty, z = 3.72,
    plus 10% for the approximation at small df)."""
    z = 3.72
    return 1.1 * df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


def _problem() -> tuple[ss.Targets, dict[str, object], ss.Inspectors, list[str]]:
    targets = ss.Targets.from_records(
        [
            {"id": f"9113010000000{i:05d}", "field": "食品", "region": "石家庄"}
            for i in range(N_TARGETS)
        ]
    )
    ids = [r["id"] for r in targets.to_records()]
    people = []
    for k in range(10):
        people.append(
            {
                "id": f"JF{k:02d}",
                "name": f"officer {k}",
                "unit": "市场局" if k < 6 else "环境厅",
                "region": "保定",
                "qualifications": [] if k == 9 else ["食品"],  # JF09: not qualified
                "role": "officer",
                "certificate": f"C{k}",
                "capacity": None,
                "conflicts": ids if k == 8 else [],  # JF08: conflicted with every target
            }
        )
    plan = {
        "name": "mc",
        "tasks": [
            {
                "name": "food",
                "size": {"census": True},
                "team": {"officers": 2, "match": {"column": "field"}},
            }
        ],
    }
    return targets, plan, ss.Inspectors.from_records(people), ids


def test_each_eligible_officer_is_equally_likely_and_teams_are_uniform_pairs() -> None:
    targets, plan, inspectors, _ = _problem()
    eligible = [f"JF{k:02d}" for k in range(8)]  # qualified, not conflicted
    singles: Counter[str] = Counter()
    pairs: Counter[tuple[str, ...]] = Counter()
    for seed in _seeds(N_SEEDS, "uniform"):
        sel = ss.draw(plan, targets, seed)
        a = ss.assign(plan, sel, inspectors, seed)
        assert a.pools[0].regime == "free"
        for v in range(a.n_visits):
            lo, hi = int(a.team_indptr[v]), int(a.team_indptr[v + 1])
            team = tuple(sorted(x.decode() for x in a.member_id_bytes[lo:hi].tolist()))
            pairs[team] += 1
            singles.update(team)
    trials = N_SEEDS * N_TARGETS
    assert set(singles) == set(eligible)
    p = 2 / len(eligible)
    sd = math.sqrt(trials * p * (1 - p))
    for person in eligible:
        # each count is Binomial(trials, 2/8); 4σ misses with probability about 6.3e-5
        assert abs(singles[person] - trials * p) < 4 * sd, (person, singles[person])
    cells = list(itertools.combinations(eligible, 2))
    expected = trials / len(cells)
    chi2 = sum((pairs[c] - expected) ** 2 / expected for c in cells)
    assert set(pairs) <= set(cells)
    assert chi2 < _chi2_limit(len(cells) - 1), chi2


def _first_two_seats(
    plan: dict[str, object], targets: ss.Targets, inspectors: ss.Inspectors, tag: str
) -> tuple[Counter[str], Counter[str]]:
    """How often each inspector holds the first and the second seat of a team, over the
    ``N_SEEDS`` seeds of ``tag``."""
    first_seat: Counter[str] = Counter()
    second_seat: Counter[str] = Counter()
    for seed in _seeds(N_SEEDS, tag):
        a = ss.assign(plan, ss.draw(plan, targets, seed), inspectors, seed)
        for v in range(a.n_visits):
            lo = int(a.team_indptr[v])
            first, second = (x.decode() for x in a.member_id_bytes[lo : lo + 2].tolist())
            first_seat[first] += 1
            second_seat[second] += 1
    return first_seat, second_seat


def test_a_department_seat_is_uniform_within_its_department() -> None:
    targets, plan, inspectors, _ = _problem()
    task = plan["tasks"][0]  # type: ignore[index]
    task["team"] = {"officers": 2, "match": {"column": "field"}, "departments": ["环境厅"]}
    # the filtered seat comes first in the team
    dept, other = _first_two_seats(plan, targets, inspectors, "department")
    trials = N_SEEDS * N_TARGETS
    assert set(dept) == {"JF06", "JF07"}  # 环境厅's eligible officers (JF08 is conflicted)
    sd = math.sqrt(trials * 0.25)
    assert abs(dept["JF06"] - trials / 2) < 4 * sd
    # the open seat: uniform over the 7 eligible officers left, so JF00..JF05 each 1/7 and the
    # department's other officer 1/7 half the time
    for person, n in other.items():
        p = 1 / 14 if person in ("JF06", "JF07") else 1 / 7
        sd = math.sqrt(trials * p * (1 - p))
        assert abs(n - trials * p) < 4 * sd, (person, n)
    assert len(other) == 8


def test_an_any_seat_is_uniform_over_the_qualified() -> None:
    targets, plan, inspectors, _ = _problem()
    task = plan["tasks"][0]  # type: ignore[index]
    task["team"] = {"officers": 2, "match": {"column": "field", "who": "any"}}
    # the filtered (qualified) seat comes first in the team
    seat, other = _first_two_seats(plan, targets, inspectors, "any")
    trials = N_SEEDS * N_TARGETS
    qualified = [f"JF{k:02d}" for k in range(8)]  # JF08 conflicted, JF09 not qualified
    assert set(seat) == set(qualified)
    # the open seat: uniform over the 8 eligible officers not on the seat, so JF09 (eligible
    # there, not qualified) 1/8 and each qualified officer (7/8) * (1/8)
    assert set(other) == {*qualified, "JF09"}
    for counts, probs in ((seat, dict.fromkeys(qualified, 1 / 8)), (other, {"JF09": 1 / 8})):
        for person, n in counts.items():
            p = probs.get(person, 7 / 64)
            sd = math.sqrt(trials * p * (1 - p))
            assert abs(n - trials * p) < 4 * sd, (person, n)


def test_preference_orders_are_uniform_permutations() -> None:
    """Every one of the 24 orders of a 4-person list is equally likely (chi-square)."""
    n_seats = 24_000
    labels = np.array([seat_label(f"T{i}".encode(), i % 3) for i in range(n_seats)], dtype="S")
    streams = Streams(
        prn_key(bytes(range(16)), "shuangsuiji/assign/v1/officers"),
        labels,
        np.full(n_seats, 4, np.int64),
    )
    head = streams.head(4)
    counts = Counter(tuple(row) for row in head.tolist())
    assert len(counts) == 24
    expected = n_seats / 24
    chi2 = sum((c - expected) ** 2 / expected for c in counts.values())
    assert chi2 < _chi2_limit(23), chi2
