"""shuangsuiji: seeded, auditable double-random, one-public (双随机、一公开) inspection draws.

Public names only; see docs/ for the guide and the specification.
"""

from __future__ import annotations

from .draw import ALGORITHM, draw, inclusion_probabilities
from .errors import InfeasibleError, InputError, LogError
from .inspectors import Inspectors
from .log import Checkpoint
from .plan import Plan, Task
from .registry import Targets
from .seed import Seed
from .selection import InclusionProbabilities, Selection

__version__ = "0.1.0"

__all__ = [
    "ALGORITHM",
    "Checkpoint",
    "InclusionProbabilities",
    "InfeasibleError",
    "InputError",
    "Inspectors",
    "LogError",
    "Plan",
    "Seed",
    "Selection",
    "Targets",
    "Task",
    "__version__",
    "draw",
    "inclusion_probabilities",
]
