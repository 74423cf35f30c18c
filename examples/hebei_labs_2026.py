"""A province's year of lab inspections, step by step (the first random of 双随机).

Story: the provincial market regulator (市场监管局) supervises about 2,600 accredited testing labs
(检验检测机构). Its 2026 plan inspects every eco-environment monitoring lab at 50%, food labs at
20% weighted by credit risk, and motor-vehicle testing labs by credit class, from 5% for class A
up to all class-D labs. It publishes the plan and every lab's inclusion probability *before* the
seed exists. It announces in advance which public numbers will make the seed (a lottery draw and
two index closes). Once those are known, anyone can recompute the draw.

Run:  python examples/hebei_labs_2026.py [output-folder]
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

import shuangsuiji as ss
from shuangsuiji import datasets


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)

    # 1. The registry (检查对象名录库) and its fingerprint, which is published with the plan.
    labs = datasets.province_labs()
    print(f"registry: {len(labs)} labs, fingerprint {labs.fingerprint[:16]}…")

    # 2. The plan (一单一细则), checked strictly and published as JSON.
    plan = ss.Plan.from_dict(datasets.demo_plan())
    (out / "plan.json").write_text(plan.to_json(), encoding="utf-8")

    # 3. Inclusion probabilities, published before the seed: every lab can see its own chance.
    pi = ss.inclusion_probabilities(plan, labs)
    with open(out / "inclusion_probabilities.csv", "w", newline="", encoding="utf-8-sig") as f:
        w = csv.DictWriter(f, ["task", "stratum", "id", "inclusion_probability"])
        w.writeheader()
        w.writerows(pi.to_records())
    expected = Counter()
    for s in pi.summary():
        expected[s["task"]] += s["expected"]
    for task, n in expected.items():
        print(f"  {task}: expected {n:.1f} labs")

    # 4. The seed from public values announced in advance (RFC 3797 style), then the draw.
    seed = ss.Seed.from_sources(datasets.DEMO_SEED_SOURCES)
    print(f"seed key string {seed.key_string!r} -> {seed.hex[:16]}…")
    sel = ss.draw(plan, labs, seed)
    (out / "selection.json").write_text(
        json.dumps(sel.to_records(), ensure_ascii=False, indent=1), encoding="utf-8"
    )

    # 5. Risk targeting at work: the share of each credit class that was drawn.
    credit = dict(zip(labs.ids(), labs.column("credit").to_list()))
    population = Counter(credit.values())
    drawn = Counter(credit[i] for i in set(sel.ids.tolist()))
    for cls in sorted(population):
        print(f"  credit {cls}: {drawn[cls]:4d} of {population[cls]:4d} drawn "
              f"({drawn[cls] / population[cls]:.1%})")

    # 6. Anyone can replay: the same inputs give the same draw, whatever the row order.
    again = ss.draw(ss.Plan.from_json((out / "plan.json").read_text(encoding="utf-8")),
                    ss.Targets.from_records(list(reversed(datasets.province_labs_records()))),
                    ss.Seed.from_sources(datasets.DEMO_SEED_SOURCES))
    assert again.id_set() == sel.id_set()
    print(f"drew {len(sel)} (task, lab) pairs; replay from the published files matches. "
          f"Files in {out}/")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "hebei-2026-draw"))
