"""The second random: who inspects. :func:`assign` gives each drawn target one visit and a team
that satisfies every task that drew it, as an :class:`Assignment`.

Stage: after the draw, which it may import (with the registries, the plan and the randomness);
it never imports the log or the campaign. (The package is named ``teams``, not ``assign``, so
that ``shuangsuiji.assign`` stays the function.)

- :mod:`.engine`: :func:`assign`, from visits to staffed pools;
- :mod:`.team_seats`: a visit's seats, built from its tasks' team rules;
- :mod:`.seat_rankings`: each seat's seeded random ranking of the officers;
- :mod:`.solver`: the exact flow (deferred acceptance, augmenting paths, even loads);
- :mod:`.inputs`: history and recusal requests;
- :mod:`.explain`: why a staffing is impossible, in words;
- :mod:`.assignment`: the result.
"""

from __future__ import annotations

from .assignment import ALGORITHM, Assignment, PoolResult
from .engine import assign

__all__ = ["ALGORITHM", "Assignment", "PoolResult", "assign"]
