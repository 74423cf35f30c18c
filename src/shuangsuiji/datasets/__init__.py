"""The demo data: a synthetic province's testing labs, its officers and experts, a demo plan.

Stage: demo data for the CLI, the docs and the tests. It may import the registry, the plan and
the randomness stages (for :class:`~shuangsuiji.Targets`, :class:`~shuangsuiji.Inspectors` and
:class:`~shuangsuiji.Seed`), never the draw, the assignment or the campaign.

- :mod:`.labs`: :func:`province_labs` (about 2,600 labs in Hebei's 11 cities), :func:`demo_plan`,
  :func:`demo_seed`;
- :mod:`.officers`: :func:`province_inspectors` (300 officers in 12 units, 40 experts) and
  :func:`inspection_history`;
- :mod:`.year`: :func:`province_year` / :func:`province_year_records`: one registry snapshot per
  batch of a year (deaths, births, re-rated credit classes);
- :mod:`.bits`: the one source of pseudo-random bits both use (SipHash-2-4 keyed by a version tag).

The ``__all__`` below is the one list of the public names; the modules keep none of their own.
"""

from __future__ import annotations

from .labs import (
    CITIES,
    CREDIT_CLASSES,
    DATA_AS_OF,
    DATASET_TAG,
    DEMO_SEED_SOURCE_NOTES,
    DEMO_SEED_SOURCES,
    FIELDS,
    MAX_ROWS,
    City,
    Field,
    demo_plan,
    demo_seed,
    province_labs,
    province_labs_records,
)
from .officers import (
    EXPERT_INSTITUTIONS,
    HISTORY_BEFORE,
    HISTORY_FROM,
    INSPECTOR_UNITS,
    POOL_TAG,
    Institution,
    Unit,
    inspection_history,
    province_inspectors,
    province_inspectors_records,
)
from .year import (
    DEMO_DEPARTMENTS,
    QUARTERS,
    YEAR_TAG,
    YearSnapshots,
    demo_complaints,
    demo_year_plan,
    province_year,
    province_year_records,
)

__all__ = [
    "CITIES",
    "CREDIT_CLASSES",
    "DATASET_TAG",
    "DATA_AS_OF",
    "DEMO_DEPARTMENTS",
    "DEMO_SEED_SOURCES",
    "DEMO_SEED_SOURCE_NOTES",
    "EXPERT_INSTITUTIONS",
    "FIELDS",
    "HISTORY_BEFORE",
    "HISTORY_FROM",
    "INSPECTOR_UNITS",
    "MAX_ROWS",
    "POOL_TAG",
    "QUARTERS",
    "YEAR_TAG",
    "City",
    "Field",
    "Institution",
    "Unit",
    "YearSnapshots",
    "demo_complaints",
    "demo_plan",
    "demo_seed",
    "demo_year_plan",
    "inspection_history",
    "province_inspectors",
    "province_inspectors_records",
    "province_labs",
    "province_labs_records",
    "province_year",
    "province_year_records",
]
