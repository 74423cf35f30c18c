"""The plan's small validation helpers: every message names the task and the key at fault
(``task 'x', key 'size.rate'``, or ``plan key 'name'`` for plan-wide keys), and an unknown key
is refused with the nearest allowed one. Shared by :mod:`.parts` and :mod:`.plan`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import InputError

__all__ = [
    "check_count",
    "check_keys",
    "check_rate",
    "check_weight",
    "label_map",
    "where_key",
]


def where_key(task: str | None, key: str) -> str:
    """How a message names a key: of a task, or of the plan itself (``task`` None)."""
    return f"task {task!r}, key {key!r}" if task is not None else f"plan key {key!r}"


def check_keys(obj: Any, allowed: Sequence[str], task: str | None, ctx: str) -> Mapping[str, Any]:
    if not isinstance(obj, Mapping):
        raise InputError(f"{where_key(task, ctx)}: expected a mapping, got {type(obj).__name__}")
    for k in obj:
        if k not in allowed:
            hint = difflib.get_close_matches(str(k), allowed, n=1)
            extra = (
                f"; did you mean {hint[0]!r}?" if hint else f"; allowed keys are {list(allowed)}"
            )
            name = f"{ctx}.{k}" if ctx else str(k)
            raise InputError(f"{where_key(task, name)}: unknown key{extra}")
    return obj


def check_rate(v: Any, task: str | None, key: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise InputError(f"{where_key(task, key)}: rate must be a number in [0, 1], got {v!r}")
    f = float(v)
    if not (0.0 <= f <= 1.0):
        raise InputError(f"{where_key(task, key)}: rate {v!r} is outside [0, 1]")
    return f


def check_count(v: Any, task: str | None, key: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise InputError(f"{where_key(task, key)}: expected a whole number >= 0, got {v!r}")
    return int(v)


def check_weight(v: Any, task: str | None, key: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
        raise InputError(f"{where_key(task, key)}: weight must be a finite number >= 0, got {v!r}")
    return float(v)


def label_map(obj: Any, task: str, key: str, value: Any) -> tuple[tuple[str, Any], ...]:
    if not isinstance(obj, Mapping) or not obj:
        raise InputError(f"{where_key(task, key)}: expected a non-empty mapping")
    return tuple((str(k), value(v, task, f"{key}.{k}")) for k, v in obj.items())
