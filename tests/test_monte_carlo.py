"""Monte Carlo: over R = 2,000 fixed seeds, every unit is drawn as often as its stated π says.

The populations are adversarial for πps and rounding: certainty units (huge weights), zero and
tiny positive weights, equal weights (ties), strata of 1, 2 and 3 units, random rounding, class
rates of 0 and 1, and minimums that override the rate.

Tolerance. For each unit the count over R independent draws is Binomial(R, π), so the frequency
has σ = sqrt(π(1−π)/R) and we allow 4σ. Per unit the two-sided normal tail beyond 4σ is
6.3e-5, so with K units checked the family-wise false-alarm probability is about K·6.3e-5
(≈ 1.3% for the ~210 units with 0 < π < 1 here) for a *correct* engine, while a bias of 10% of
π in a unit with π = 0.3 is already 4.4σ at R = 2,000. (Measured: the 213 z-scores have an RMS
of 1.00 and a largest |z| of 2.9.) The seeds are fixed (Seed.from_hex(f"{i:032x}")), so the outcome is
deterministic: this test is never flaky, and once it passes it passes forever for the same
algorithm version. Units with π = 0 or π = 1 must be exactly never / always drawn.

Every draw's per-cell count must also be one of the cell's possible sizes, the frequency of the
larger size under random rounding must match its probability, and within a small SRS cell every
subset of a given size must be equally likely.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

import pytest

import shuangsuiji as ss

pytestmark = pytest.mark.slow

R = 2000
SIGMAS = 4.0
SEEDS = [ss.Seed.from_hex(f"{i:032x}") for i in range(R)]

# one stratum "pop" of adversarial weights, plus strata of 1, 2 and 3 units and a larger one.
# IDs share one length: randomness.prn.siphash24 starts a thread pool per call for mixed lengths,
# which would make these 16,000 tiny PRN computations several times slower (not a correctness
# issue).
WEIGHTS = [1e6, 5e5, 40.0, 4.0, 4.0, 4.0, 1.0, 1.0, 1.0, 0.5, 1e-9, 1e-4, 0.0, 0.0, 2.5, 7.0]
ROWS: list[dict[str, Any]] = (
    [{"id": f"P-{k:02d}", "g": "pop", "w": w, "c": "ABCD"[k % 4]} for k, w in enumerate(WEIGHTS)]
    + [{"id": "S1-0", "g": "n1", "w": 2.0, "c": "B"}]
    + [{"id": f"S2-{k}", "g": "n2", "w": [3.0, 0.0][k], "c": "C"} for k in range(2)]
    + [{"id": f"S3-{k}", "g": "n3", "w": [1.0, 1.0, 8.0][k], "c": "D"} for k in range(3)]
    + [{"id": f"B-{k:02d}", "g": "big", "w": float(1 + k % 5), "c": "ABCD"[k % 3]}
       for k in range(11)]
)
PLAN: dict[str, Any] = {
    "name": "monte-carlo",
    "tasks": [
        # πps, fixed n per stratum: certainty units, ties, zero and tiny weights
        {"name": "pips_fixed", "strata": ["g"], "risk": {"column": "w"},
         "size": {"per_stratum": {"pop": 6, "n1": 1, "n2": 1, "n3": 2, "big": 4}}},
        # πps with random rounding: two sizes per cell
        {"name": "pips_random", "strata": ["g"], "risk": {"column": "w"},
         "size": {"rate": 0.37, "rounding": "random"}},
        # πps where the minimum overrides a small rate
        {"name": "pips_minimum", "strata": ["g"], "risk": {"column": "w"},
         "size": {"rate": 0.05, "minimum": 2}},
        # class weights (a zero-weight class is never drawn) with a total allocation
        {"name": "class_weights", "risk": {"column": "c", "weights": {"A": 0, "B": 1, "C": 3,
                                                                      "D": 9}},
         "size": {"total": 7}},
        # SRS with random rounding in tiny strata
        {"name": "srs_random", "strata": ["g"], "size": {"rate": 0.45, "rounding": "random"}},
        # SRS with a minimum and round-half-up
        {"name": "srs_minimum", "strata": ["g"], "size": {"rate": 0.1, "rounding": "round",
                                                          "minimum": 2}},
        # class rates 0 and 1 and in between, random rounding, shared namespace
        {"name": "class_rates", "namespace": "shared",
         "risk": {"column": "c", "rates": {"A": 0, "B": 0.3, "C": 0.55, "D": 1}},
         "size": {"rounding": "random"}},
        # equal allocation of a total over unequal strata (tiny strata saturate)
        {"name": "srs_equal", "namespace": "shared", "strata": ["g"],
         "size": {"total": 9, "allocation": "equal"}},
    ],
}


@pytest.fixture(scope="module")
def runs() -> dict[str, Any]:
    targets = ss.Targets.from_records(ROWS)
    ip = ss.inclusion_probabilities(PLAN, targets)
    counts: Counter[tuple[str, str]] = Counter()
    sizes: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    subsets: dict[tuple[str, str], Counter[frozenset[str]]] = defaultdict(Counter)
    bad_sizes = []
    for seed in SEEDS:
        sel = ss.draw(PLAN, targets, seed)
        counts.update(sel.id_set())
        by_cell: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in sel.to_records():
            by_cell[(r["task"], r["stratum"])].add(r["id"])
        for s in sel.summary():
            cell = (s["task"], s["stratum"])
            sizes[cell][s["drawn"]] += 1
            if s["drawn"] not in s["size"] or s["drawn"] != len(by_cell[cell]):
                bad_sizes.append((seed.hex, cell, s["drawn"], s["size"]))
            if s["design"] == "srs" and s["population"] <= 4:
                subsets[cell][frozenset(by_cell[cell])] += 1
    return {"ip": ip, "counts": counts, "sizes": sizes, "subsets": subsets, "bad": bad_sizes}


def _within(freq: float, p: float) -> bool:
    return abs(freq - p) <= SIGMAS * math.sqrt(p * (1 - p) / R)


def test_every_unit_is_drawn_with_its_stated_probability(runs: dict[str, Any]) -> None:
    records = runs["ip"].to_records()
    assert len(records) > 200
    kinds = Counter()
    problems = []
    for r in records:
        p = r["inclusion_probability"]
        got = runs["counts"][(r["task"], r["id"])]
        if p == 0.0:
            kinds["never"] += 1
            if got:
                problems.append((r["task"], r["id"], p, got, "π = 0 but drawn"))
        elif p == 1.0:
            kinds["always"] += 1
            if got != R:
                problems.append((r["task"], r["id"], p, got, "π = 1 but not always drawn"))
        else:
            kinds["random"] += 1
            if not _within(got / R, p):
                problems.append((r["task"], r["id"], p, got / R, "beyond 4σ"))
    assert not problems, problems
    # the population really is adversarial: all three kinds occur in numbers
    assert kinds["never"] >= 10 and kinds["always"] >= 10 and kinds["random"] >= 100, kinds


def test_every_draw_has_a_possible_size(runs: dict[str, Any]) -> None:
    assert not runs["bad"], runs["bad"][:5]


def test_random_rounding_picks_the_larger_size_as_often_as_stated(runs: dict[str, Any]) -> None:
    checked = 0
    for s in runs["ip"].summary():
        cell = (s["task"], s["stratum"])
        seen = runs["sizes"][cell]
        assert sum(seen.values()) == R
        if len(s["size"]) == 1:
            assert seen == {s["size"][0]: R}, (cell, seen)
            continue
        low, high = s["size"]
        p_high = s["expected"] - low
        assert set(seen) <= {low, high}
        assert _within(seen[high] / R, p_high), (cell, seen, p_high)
        checked += 1
    assert checked >= 8


def test_srs_subsets_of_a_size_are_equally_likely(runs: dict[str, Any]) -> None:
    """In SRS cells of at most 4 units, each k-subset has probability P(n = k) / C(N, k)."""
    populations = {(s["task"], s["stratum"]): s["population"] for s in runs["ip"].summary()}
    checked = 0
    for cell, seen in runs["subsets"].items():
        N = populations[cell]
        by_size = Counter(len(sub) for sub in seen.elements())
        for k, n_k in by_size.items():
            ways = math.comb(N, k)
            if ways == 1:
                continue
            observed = {sub: c for sub, c in seen.items() if len(sub) == k}
            assert len(observed) == ways, (cell, k, observed)  # every subset occurs
            members = {i for sub in observed for i in sub}
            for sub in combinations(sorted(members), k):
                # conditional on size k, each subset has probability 1/C(N, k)
                p = 1 / ways
                f = observed[frozenset(sub)] / n_k
                assert abs(f - p) <= SIGMAS * math.sqrt(p * (1 - p) / n_k), (cell, sub, f, p)
                checked += 1
    assert checked >= 10
