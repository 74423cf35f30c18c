"""The second random: who inspects. :func:`assign` gives each drawn target one visit and a team
that satisfies every task that drew it, as an :class:`Assignment`.

Stage: after the draw, which it may import (with the registries, the plan and the randomness);
it never imports the log or the campaign. (The package is named ``teams``, not ``assign``, so
that ``shuangsuiji.assign`` stays the function.)

Modules: the engine, then the steps it runs, in order:

- :mod:`.engine`: :func:`assign`, which runs the steps below and builds the result;
- :mod:`.visits`: one visit per drawn target, with its tasks (step 1);
- :mod:`.team_seats`: a visit's seats, built from its tasks' team rules;
- :mod:`.rule_groups`: each visit's rule, once per group of visits with equal needs (step 2);
- :mod:`.inputs`: history and recusal requests;
- :mod:`.exclusions`: who is barred from which visit (conflict, request, rotation) (step 3);
- :mod:`.pools`: officers or experts, and the candidate lists of seat filters (step 3);
- :mod:`.seat_rankings`: each seat's seeded random ranking of the officers;
- :mod:`.pool_staffing`: one pool's seats as a flow problem, solved (step 4);
- :mod:`.solver`: the exact flow (``fill``, ``solve``, the capacity regime), with its steps in
  :mod:`.flow_problem` (the types), :mod:`.flow_lookups` (shared tables),
  :mod:`.deferred_acceptance` (serial dictatorship), :mod:`.augmenting_paths` (shortest
  augmenting paths) and :mod:`.evening_out` (even loads);
- :mod:`.explain`: why a staffing is impossible, in words (step 5);
- :mod:`.assignment`: the result.
"""

from __future__ import annotations

from .assignment import ALGORITHM, Assignment, PoolResult
from .engine import assign

__all__ = ["ALGORITHM", "Assignment", "PoolResult", "assign"]
