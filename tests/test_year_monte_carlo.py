"""Monte Carlo: a year's second batch with the cap, the spread and the coverage in force
(tests/year_helpers.batch_two: batch 1's draws are in the history, fixed), drawn with R = 2,000
fixed seeds; every unit is drawn as often as its published π says (docs/spec.md §11.4).

The batch has four tasks (a stratified task made πps by the burden with random rounding, class
weights with a zero class, a numeric weight column with a total, class rates with a class left
alone), capped enterprises, spared ones (factor 0.25; class D excepted) and certain ones (not
inspected in the two-year cycle) drawn in addition to each cell's size.

Tolerance. For each unit with 0 < π < 1 the count over R independent seeds is Binomial(R, π),
so its frequency has σ = sqrt(π(1−π)/R); we allow 4σ. The two-sided normal tail beyond 4σ is
6.3e-5 per unit, so by the union bound the chance that any of the K units checked (about 50
here) strays beyond 4σ for a *correct* engine is at most K·6.3e-5 ≈ 0.3%, while a bias of 10%
of π in a unit with π = 0.3 is already 4.4σ. (Measured: 49 units with 0 < π < 1, z-scores of
RMS 1.10 and largest |z| 2.2; 19 units at π = 1 and 12 at π = 0.) The seeds are fixed (SHA-256 of the index), so the
test is deterministic: it never flakes, and once it passes it passes for this algorithm version.
Units with π = 0 or 1 (capped, certain, left alone) must be never / always drawn.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter

import pytest
import year_helpers

import shuangsuiji as ss
from shuangsuiji.sampling import engine

pytestmark = pytest.mark.slow

R = 2000
SIGMAS = 4.0
SEEDS = [ss.Seed.from_hex(hashlib.sha256(f"batch 2, draw {i}".encode()).hexdigest())
         for i in range(R)]


def test_every_unit_is_drawn_with_its_published_probability() -> None:
    x = year_helpers.batch_two()
    plan, targets, burden = year_helpers.lib_burden(x)
    published = engine.inclusion_probabilities(plan, targets, burden=burden)
    pi = {(r["task"], r["id"]): r["inclusion_probability"] for r in published.to_records()}
    sizes = {(s["task"], s["stratum"]): set(s["size"]) for s in published.summary()}
    capped = {(t.name, i) for t in plan.tasks
              for i, c in zip(targets.ids(), burden.excluded(t).tolist()) if c}
    assert capped and any(p == 1.0 for p in pi.values())

    counts: Counter[tuple[str, str]] = Counter()
    for seed in SEEDS:
        sel = engine.draw(plan, targets, seed, burden=burden)
        drawn = set(zip(sel.task_names.tolist(), sel.ids.tolist()))
        assert not drawn & capped  # the cap holds in every draw
        counts.update(drawn)
        for s in sel.summary():
            assert s["drawn"] in sizes[(s["task"], s["stratum"])]
    assert set(counts) <= set(pi)

    z = []
    for key, p in pi.items():
        freq = counts[key] / R
        if p in (0.0, 1.0):
            assert freq == p, key
            continue
        sigma = math.sqrt(p * (1 - p) / R)
        z.append((freq - p) / sigma)
        assert abs(freq - p) <= SIGMAS * sigma, (key, p, freq)
    assert len(z) >= 40
    # a correct engine gives z-scores of spread about 1; a wrong π of many units shows here
    assert 0.7 < math.sqrt(sum(v * v for v in z) / len(z)) < 1.3
