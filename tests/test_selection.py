"""Selection and InclusionProbabilities: the record, pandas and summary views agree."""

from __future__ import annotations

import pytest

import shuangsuiji as ss
from shuangsuiji import datasets


@pytest.fixture(scope="module")
def drawn() -> tuple[ss.InclusionProbabilities, ss.Selection]:
    labs = datasets.province_labs()
    plan = ss.Plan.from_dict(datasets.demo_plan())
    return ss.inclusion_probabilities(plan, labs), ss.draw(plan, labs, datasets.demo_seed())


def test_records_have_the_contract_keys(drawn: tuple[ss.InclusionProbabilities, ss.Selection]) -> None:
    pi, sel = drawn
    assert set(sel.to_records()[0]) == {"task", "stratum", "id", "inclusion_probability", "prn"}
    assert set(pi.to_records()[0]) == {"task", "stratum", "id", "inclusion_probability"}
    assert len(sel.to_records()) == len(sel) and len(pi.to_records()) == len(pi)


def test_pandas_matches_records(drawn: tuple[ss.InclusionProbabilities, ss.Selection]) -> None:
    pi, sel = drawn
    assert sel.to_pandas().to_dict("records") == sel.to_records()
    assert pi.to_pandas().to_dict("records") == pi.to_records()


def test_summary_matches_rows(drawn: tuple[ss.InclusionProbabilities, ss.Selection]) -> None:
    pi, sel = drawn
    recs = sel.to_records()
    for s in sel.summary():
        rows = [r for r in recs if r["task"] == s["task"] and r["stratum"] == s["stratum"]]
        assert len(rows) == s["drawn"] and s["drawn"] in s["size"]
    assert [(s["task"], s["stratum"]) for s in pi.summary()] == [
        (s["task"], s["stratum"]) for s in sel.summary()
    ]
    for r in recs:  # π attached to a drawn unit is its published π
        assert pi.of(r["task"], r["id"]) == r["inclusion_probability"]
    assert all(0 < r["prn"] < 1 for r in recs)


def test_stratum_summaries_are_the_pi_tables_strata() -> None:
    # the commitment and verify publish this without building the per-unit π table
    from shuangsuiji import datasets
    from shuangsuiji.sampling.engine import stratum_summaries

    targets, plan = datasets.province_labs(), datasets.demo_plan()
    expected = ss.inclusion_probabilities(plan, targets).strata
    assert len(expected) > 10
    assert stratum_summaries(plan, targets) == expected
