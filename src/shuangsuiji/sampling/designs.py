"""Sampling designs and allocation: the math only, arrays in and arrays out (docs/spec.md §6).

One namespace for the designs' arithmetic, which lives in the modules named below. Nothing
there knows about plans or registries. Every function is exact or specified down to the
IEEE-754 operation so that a second implementation can reproduce it bit for bit:

- :func:`exact_sum` is the correctly rounded sum (like ``math.fsum``), independent of order.
- :func:`pips` is Tillé's iterative certainty capping, as R ``sampling::inclusionprobabilities``
  (Tillé 2006, *Sampling Algorithms*, §2.10 / algorithm 2.1) (:mod:`.capping`).
- :func:`quantize` puts π on the grid of 2**-64 with an exact total (:mod:`.grid`), so that
- :func:`systematic` (Madow 1949 systematic πps along the random PRN order, i.e. the randomised
  systematic design of Hartley & Rao 1962) gives every unit exactly its stated π.
- :func:`smallest` is simple random sampling without replacement by PRN order (Ohlsson 1995,
  "Coordination of samples using permanent random numbers": the n smallest of iid uniform PRNs
  form an SRS) (:mod:`.systematic`).
- :func:`rate_size` and :func:`allocate` turn rates and totals into integer sizes, exactly
  (:mod:`.sizes`).
- :func:`lexmin` breaks ties by the smallest ID (:mod:`.ties`).

These are the unit-by-unit definitions, one cell at a time. The draw uses their many-cell
forms, which give the same numbers: :func:`pips_table` / :func:`quantize_table` on groups of
units sharing a weight, :func:`pips_units` / :func:`exact_sums` / :func:`quantize_units` unit
by unit, and :func:`lexmin_segments` for the deficit receivers; the PRN order and the
systematic pass are vectorised in :mod:`.unit_order` and :mod:`.systematic_pass`.
"""

from __future__ import annotations

from .capping import CellError, exact_sum, exact_sums, pips, pips_table, pips_units
from .grid import GRID, absorbs, absorbs_table, quantize, quantize_table, quantize_units
from .sizes import SizeDist, allocate, bernoulli, decimal_rate, rate_size
from .systematic import prn_order, smallest, systematic
from .ties import IdLookup, lexmin, lexmin_segments

__all__ = [
    "GRID",
    "CellError",
    "IdLookup",
    "SizeDist",
    "absorbs",
    "absorbs_table",
    "allocate",
    "bernoulli",
    "decimal_rate",
    "exact_sum",
    "exact_sums",
    "lexmin",
    "lexmin_segments",
    "pips",
    "pips_table",
    "pips_units",
    "prn_order",
    "quantize",
    "quantize_table",
    "quantize_units",
    "rate_size",
    "smallest",
    "systematic",
]
