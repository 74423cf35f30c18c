"""Public randomness: the :class:`Seed`, the declared source of randomness (:class:`Randomness`)
fixed before the seed exists, and permanent random numbers (PRNs) of each target.

Stage: below the draw and the assignment, which consume its bits (like numpy's split between a
BitGenerator and a Generator). May import :mod:`shuangsuiji._util` and :mod:`shuangsuiji.errors`
only.

- :mod:`.seed`: seeds from hex or from announced sources (RFC 3797 canonical form, SHA-256);
- :mod:`.declared`: what the commitment says the seed will come from, and when;
- :mod:`.prn`: SipHash-2-4 PRNs keyed by the seed and a namespace (docs/spec.md §1).
"""

from __future__ import annotations

from .declared import Randomness
from .prn import PRN_TAG, prn_float, prn_hash, prn_key, siphash24
from .seed import Seed

__all__ = ["PRN_TAG", "Randomness", "Seed", "prn_float", "prn_hash", "prn_key", "siphash24"]
