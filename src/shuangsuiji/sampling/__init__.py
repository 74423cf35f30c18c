"""The first random: which targets are inspected. :func:`inclusion_probabilities` (before the
seed exists) and :func:`draw` (after), giving :class:`InclusionProbabilities` and
:class:`Selection`.

Stage: after the registries, the plan and the randomness, which it may import; it never imports
the assignment, the log or the campaign. (The package is named ``sampling``, not ``draw``, so
that ``shuangsuiji.draw`` stays the function.)

- :mod:`.engine`: the draw, task by task and cell by cell;
- :mod:`.designs`: the designs' arithmetic: sizes, πps capping, the 2⁻⁶⁴ grid, systematic draws;
- :mod:`.strata`: eligible rows, cells (strata) and risk-class groups;
- :mod:`.unit_order`: units in (cell, PRN, ID) order without a full sort;
- :mod:`.selection`: the result tables and per-stratum summaries.
"""

from __future__ import annotations

from .engine import ALGORITHM, draw, inclusion_probabilities, stratum_summaries
from .selection import InclusionProbabilities, Selection, StratumSummary

__all__ = [
    "ALGORITHM",
    "InclusionProbabilities",
    "Selection",
    "StratumSummary",
    "draw",
    "inclusion_probabilities",
    "stratum_summaries",
]
