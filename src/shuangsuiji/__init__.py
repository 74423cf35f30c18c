"""shuangsuiji: seeded, auditable double-random, one-public (双随机、一公开) inspection draws.

Public names only; see docs/ for the guide and the specification.
"""

from __future__ import annotations

from .errors import InfeasibleError, InputError
from .registry import Targets
from .seed import Seed

__version__ = "0.1.0"

__all__ = [
    "InfeasibleError",
    "InputError",
    "Seed",
    "Targets",
    "__version__",
]
