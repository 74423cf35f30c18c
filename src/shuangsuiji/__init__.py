"""shuangsuiji: seeded, auditable double-random, one-public (双随机、一公开) inspection draws.

Public names only; see docs/ for the guide and the specification.
"""

from __future__ import annotations

from . import notices
from .assign import assign
from .assignment import ALGORITHM as ASSIGN_ALGORITHM
from .assignment import Assignment
from .campaign import Campaign
from .draw import ALGORITHM, draw, inclusion_probabilities
from .errors import InfeasibleError, InputError, LogError
from .inspectors import Inspectors
from .log import Checkpoint
from .plan import Plan, Task
from .publication import Publication
from .randomness import Randomness
from .registry import Targets
from .seed import Seed
from .selection import InclusionProbabilities, Selection
from .verify import Problem, Report, verify

__version__ = "0.1.0"

__all__ = [
    "ALGORITHM",
    "ASSIGN_ALGORITHM",
    "Assignment",
    "Campaign",
    "Checkpoint",
    "InclusionProbabilities",
    "InfeasibleError",
    "InputError",
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
