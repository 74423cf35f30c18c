"""The plan (抽查计划, 一单一细则): tasks, their sizes, strata, risk rules, teams and checklists,
and the publication rules (outcomes, penalties, deadlines) its notices follow.

Stage: independent of the registries; a plan is plain data that round-trips through JSON,
because it is what gets published. May import :mod:`shuangsuiji._util` and
:mod:`shuangsuiji.errors` only.

- :mod:`.plan`: :class:`Plan` and :class:`Task`, validated strictly (and :func:`as_plan`);
- :mod:`.parts`: a task's parts: :class:`Size`, :class:`Risk`, :class:`Cooloff`, :class:`Team`,
  :class:`Match`;
- :mod:`.checks`: the validation helpers, whose messages name the task and key at fault;
- :mod:`.publication_rules`: :class:`Publication` (what a result may say, and by when).
"""

from __future__ import annotations

from .plan import DEFAULT_GENERAL_MAX_RATE, DEFAULT_OFFICERS, Plan, Task, as_plan
from .publication_rules import (
    DEFAULT_DEADLINE_WORKING_DAYS,
    DEFAULT_OUTCOMES,
    DEFAULT_PENALTIES,
    Publication,
)

__all__ = [
    "DEFAULT_DEADLINE_WORKING_DAYS",
    "DEFAULT_GENERAL_MAX_RATE",
    "DEFAULT_OFFICERS",
    "DEFAULT_OUTCOMES",
    "DEFAULT_PENALTIES",
    "Plan",
    "Publication",
    "Task",
    "as_plan",
]
