"""The two registries (一库): :class:`Targets` (检查对象名录库) and :class:`Inspectors`
(执法检查人员名录库, 专家库).

Stage: the first. Columns of numpy arrays, read from records, DataFrames, Arrow tables and
CSV/Parquet files, with row-order-independent fingerprints. May import :mod:`shuangsuiji._util`
and :mod:`shuangsuiji.errors` only.

- :mod:`.targets` / :mod:`.inspectors`: the registry classes (:mod:`.inspectors` states the
  inspector column rules);
- :mod:`.inspector_input`: the inspectors' input routes (records, tables, CSV) and header checks;
- :mod:`.inspector_rows`: the inspectors' row validation and columnar (CSR) build;
- :mod:`.inspector_cells`: one inspector value parsed (text, lists, capacity, active, role);
- :mod:`.columns`: one typed column and the missing-value rules;
- :mod:`.ids`: IDs as UTF-8 bytes, their checks and the duplicate-ID message of both registries;
- :mod:`.dataframes` / :mod:`.files`: the readers (pandas, polars, Arrow; CSV, Parquet);
- :mod:`.fingerprint`: the registry fingerprint (docs/fingerprint.md);
- :mod:`.uscc`: check characters of the unified social credit code (GB 32100-2015).
"""

from __future__ import annotations

from .columns import MISSING, Column
from .fingerprint import FINGERPRINT_TAG, registry_fingerprint
from .inspectors import (
    INSPECTORS_FINGERPRINT_TAG,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    ROLES,
    STANDARD_COLUMNS,
    Inspectors,
)
from .targets import Targets
from .uscc import is_valid_uscc, uscc_check_char

__all__ = [
    "FINGERPRINT_TAG",
    "INSPECTORS_FINGERPRINT_TAG",
    "MISSING",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ROLES",
    "STANDARD_COLUMNS",
    "Column",
    "Inspectors",
    "Targets",
    "is_valid_uscc",
    "registry_fingerprint",
    "uscc_check_char",
]
