"""Hypothesis strategies for property tests of code built on shuangsuiji.

Registries, plans and seeds that are valid by construction, so a property test can draw a whole
problem and check what it cares about::

    from hypothesis import given
    from shuangsuiji import strategies as sst
    import shuangsuiji as ss

    @given(sst.scenarios())
    def test_drawn_targets_have_positive_probability(scenario):
        targets, plan, seed = scenario
        assert all(r["inclusion_probability"] > 0 for r in ss.draw(plan, targets, seed).to_records())

The building blocks compose the usual way:

- :func:`records` — rows (dicts) of a registry: ``id``, ``region``, ``field``, ``credit`` (A–D),
  ``weight`` (a float >= 0, some zero) and ``last_inspected`` (an ISO date or ``None``);
- :func:`targets` — the same rows as :class:`~shuangsuiji.Targets`;
- :func:`plan_dicts` / :func:`plans` — plans valid for *given* targets: a random mix of size
  modes (rate, total, per_stratum, census), risk modes (class rates, class weights, a weight
  column), strata, ``where`` filters on values that occur, cool-off rules and shared namespaces.
  General (一般) tasks stay within the plan's cap (random rounding, rates at most the cap);
- :func:`seeds` — :class:`~shuangsuiji.Seed` values of 16 to 32 random bytes;
- :func:`scenarios` — ``(targets, plan, seed)`` triples.
- :func:`inspector_records` / :func:`inspectors` — inspector registries (officers and experts
  with units, regions, qualifications drawn from the targets' fields, capacities, conflicts).
- :func:`team_dicts` / :func:`assign_scenarios` — task ``team`` rules, and whole problems for
  ``assign`` (targets, plan with teams, selection, inspectors, seed, history, recusals).

Plans are built from what the targets hold: text columns with few values are strata, filter and
class columns, text columns of ISO dates are cool-off columns, and numeric columns with finite,
non-negative values are weight columns. Sizes that depend on the data (``total`` and
``per_stratum``) are chosen from the eligible strata, which are found with
:func:`~shuangsuiji.inclusion_probabilities`, so they are always feasible.

This module needs hypothesis (``pip install "shuangsuiji[test]"``); nothing of it is exported
from the package root: ``from shuangsuiji import strategies``.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401  (fail early, with the install hint)
except ImportError as _exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "shuangsuiji.strategies needs hypothesis, which is not installed; "
        'install it with: pip install "shuangsuiji[test]"'
    ) from _exc

from .assignments import AssignScenario, assign_scenarios, team_dicts
from .inspectors import UNITS, inspector_records, inspectors
from .plans import RISK_MODES, SIZE_MODES, plan_dicts, plans, scenarios
from .registries import CREDIT_CLASSES, FIELDS, REGIONS, records, seeds, targets

__all__ = [
    "CREDIT_CLASSES",
    "FIELDS",
    "REGIONS",
    "RISK_MODES",
    "SIZE_MODES",
    "UNITS",
    "AssignScenario",
    "assign_scenarios",
    "inspector_records",
    "inspectors",
    "plan_dicts",
    "plans",
    "records",
    "scenarios",
    "seeds",
    "targets",
    "team_dicts",
]
