"""shuangsuiji: seeded, auditable double-random, one-public (双随机、一公开) inspection draws.

Public names only; see docs/ for the guide and the specification.
"""

from __future__ import annotations

from . import notices
from ._util.version import __version__
from .campaign import Campaign, Problem, Report, verify
from .errors import InfeasibleError, InputError, LogError
from .log import Checkpoint
from .plan import Plan, Publication, Task
from .randomness import Randomness, Seed
from .registry import Inspectors, Targets
from .sampling import (
    ALGORITHM,
    InclusionProbabilities,
    Inspection,
    Selection,
    draw,
    inclusion_probabilities,
)
from .teams import ALGORITHM as ASSIGN_ALGORITHM
from .teams import Assignment, assign

__all__ = [
    "ALGORITHM",
    "ASSIGN_ALGORITHM",
    "Assignment",
    "Campaign",
    "Checkpoint",
    "InclusionProbabilities",
    "InfeasibleError",
    "InputError",
    "Inspection",
    "Inspectors",
    "LogError",
    "Plan",
    "Problem",
    "Publication",
    "Randomness",
    "Report",
    "Seed",
    "Selection",
    "Targets",
    "Task",
    "__version__",
    "assign",
    "draw",
    "inclusion_probabilities",
    "notices",
    "verify",
]
