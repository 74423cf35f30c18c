"""The first random: which targets are inspected. :func:`inclusion_probabilities` (before the
seed exists) and :func:`draw` (after), giving :class:`InclusionProbabilities` and
:class:`Selection`; in a year of batches, under the burden of the history (:class:`Burden`).

Stage: after the registries, the plan and the randomness, which it may import; it never imports
the assignment, the log or the campaign. (The package is named ``sampling``, not ``draw``, so
that ``shuangsuiji.draw`` stays the function.)

Entry points and the draw:

- :mod:`.history`: the public ``draw`` and ``inclusion_probabilities``, over an inspection
  history when the plan has year rules;
- :mod:`.engine`: ``inclusion_probabilities``, ``stratum_summaries`` and ``draw``, task by task,
  under a batch's burden when given;
- :mod:`.burden`: the burden of a batch (cap, spread, coverage) from the year rules, the
  history (:class:`Inspection`) and the batch day;
- :mod:`.task_design`: one task's design before the seed: cells, sizes, designs, every π;
- :mod:`.task_draw`: one task's draw once the seed exists: PRN order, then SRS or πps places;
- :mod:`.seed_values`: the per-cell values the seed gives (random-rounding coin, systematic start);
- :mod:`.systematic_pass`: the systematic πps points of every cell in one pass along the order;
- :mod:`.unit_order`: units in (cell, PRN, ID) order without a full sort;
- :mod:`.selection`: the result tables and per-stratum summaries.

What a design is made of:

- :mod:`.strata`: eligible rows, cells (strata), risk-class groups and numeric weights;
- :mod:`.weights`: the units grouped by cell and weight (class, column or 1, times the
  burden's factor);
- :mod:`.cell_sizes`: each cell's size (rates, per stratum, allocated totals) and design;
- :mod:`.pips_design`: π and grid values of πps cells, deficits placed (by group or by unit);
- :mod:`.units`: the per-unit π and q tables, and the IDs read only for ties.

The designs' arithmetic, arrays in and arrays out (:mod:`.designs` re-exports it as one
namespace, the unit-by-unit definitions of docs/spec.md §6):

- :mod:`.sizes`: exact sizes from rates and totals (random rounding, allocation);
- :mod:`.capping`: correctly rounded sums and πps with certainty capping;
- :mod:`.grid`: π on the 2⁻⁶⁴ grid with exact totals;
- :mod:`.systematic`: PRN order, systematic πps and SRS for one cell;
- :mod:`.ties`: the smallest ID, which breaks every tie.
"""

from __future__ import annotations

from .burden import Burden, Inspection, burden_of
from .engine import ALGORITHM, stratum_summaries
from .history import draw, inclusion_probabilities
from .selection import InclusionProbabilities, Selection, StratumSummary

__all__ = [
    "ALGORITHM",
    "Burden",
    "InclusionProbabilities",
    "Inspection",
    "Selection",
    "StratumSummary",
    "burden_of",
    "draw",
    "inclusion_probabilities",
    "stratum_summaries",
]
