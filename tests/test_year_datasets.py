"""The demo province through a year (shuangsuiji.datasets.year): pinned, order-free snapshots
with the deaths, births and re-ratings they promise."""

from __future__ import annotations

import numpy as np
import pytest
from pinned_data import digest, digests_under_hash_seed, unstable_randomness

from shuangsuiji import datasets
from shuangsuiji.datasets.year import province_year, province_year_records


def test_snapshot_zero_is_the_province() -> None:
    year = province_year(500, 3)
    assert year.records_at(0) == datasets.province_labs_records(500)


def test_snapshots_are_pinned() -> None:
    # SHA-256 of each snapshot's JSON: a change to the generator must change YEAR_TAG
    assert [
        digest(s) for s in province_year_records(300, 3, rerated=200, births=50, deaths=50)
    ] == [
        "487dd1fea4140b8a5587386222fd818cc527dc04ae944cf1dbc9e7b9c740adc6",
        "9838924158c4be4f722029a4c58a9bf82f0904a595236051b1f4dba0c0ab63a2",
        "9d287b5dc374cd632ab928cf04d719dd162a6fe2b0f8994ab9f66179e2d9acfc",
    ]


def test_rates_are_what_they_say() -> None:
    n, b = 20_000, 3
    year = province_year(n, b, rerated=100, births=10, deaths=20)
    for k in range(1, b):
        before, now = year.present[k - 1], year.present[k]
        died = (before & ~now).sum()
        # Binomial(n, 0.02): sd ~ 20; 5 sd either side
        assert abs(died - 0.02 * before.sum()) < 5 * np.sqrt(0.02 * 0.98 * before.sum())
        assert (now & ~before).sum() == 200  # births: exactly round(n * 10 / 1000)
        kept = before & now
        changed = (year.credit[k][kept] != year.credit[k - 1][kept]).sum()
        # re-rated 10%, of whom about 1 - Σ p_c² keep... change class: p ≈ 0.1 × (1 − Σp²)
        p = 0.1 * (1 - sum((w / 1000) ** 2 for _, w in datasets.CREDIT_CLASSES))
        assert abs(changed - p * kept.sum()) < 5 * np.sqrt(p * (1 - p) * kept.sum())


def test_a_snapshot_does_not_depend_on_row_order_or_size() -> None:
    # a lab's fate is a function of its ID: the same labs die and are re-rated in a bigger province
    small, big = province_year(1000, 2), province_year(2000, 2)
    died_small = {
        r["id"]
        for r, p0, p1 in zip(small.records, small.present[0], small.present[1])
        if p0 and not p1
    }
    died_big = {
        r["id"] for r, p0, p1 in zip(big.records, big.present[0], big.present[1]) if p0 and not p1
    }
    assert died_small == {i for i in died_big if i in {r["id"] for r in small.records[:1000]}}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rerated": 1001}, "rerated"),
        ({"births": -1}, "births"),
        ({"deaths": 2.5}, "deaths"),
        ({"batches": 0}, "batches"),
    ],
)
def test_bad_rates_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        province_year(100, **kwargs)  # type: ignore[arg-type]


def test_generator_uses_no_unstable_randomness() -> None:
    assert unstable_randomness("datasets/year.py") is None


def test_the_same_under_another_hash_seed() -> None:
    calls = "d.province_year_records(200, 2, rerated=300, births=50, deaths=50)"
    assert digests_under_hash_seed(calls, "1") == digests_under_hash_seed(calls, "2")
    assert digests_under_hash_seed(calls, "1") == [
        digest(province_year_records(200, 2, rerated=300, births=50, deaths=50))
    ]


def test_the_demo_year_plans_and_complaints() -> None:
    import shuangsuiji as ss

    plans = [ss.Plan.from_dict(datasets.demo_year_plan(b)) for b in (1, 2, 3, 4)]
    assert plans[0].year is not None and all(p.year is None for p in plans[1:])
    assert plans[0].year.cap is not None and plans[0].year.cap.per_year == 2
    joint = [t for t in plans[0].tasks if len(t.departments) == 2]
    assert [t.departments for t in joint] == [("河北省生态环境厅", "河北省市场监督管理局")]
    year = province_year(2600, 4)
    checks = datasets.demo_complaints(year)
    assert checks == sorted(checks, key=lambda r: (r["date"], r["id"]))
    assert 100 < len(checks) < 250  # 1/20 a quarter of the labs with complaints on record
    present = {b: {r["id"] for r in year.records_at(b)} for b in range(4)}
    assert all(c["id"] in present[c["batch"] - 1] for c in checks)
    with pytest.raises(ValueError, match="batch must be 1 to 4"):
        datasets.demo_year_plan(5)
