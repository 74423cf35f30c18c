"""The inspection year on a log: :class:`Campaign` writes it (commit, reveal, results, notices)
and :func:`verify` replays it from the log and the registries alone.

Stage: above the draw, the assignment and the log, which it may import. The state of a log (what
has been committed, revealed and recorded) is read by one reader that both the writer and the
checker use, so the checker never depends on the writer.

- :mod:`.campaign`: :class:`Campaign` and the log reader's state;
- :mod:`.record_bodies`: the bodies of the log's records (docs/spec.md §10);
- :mod:`.assign_step`: the assignment as a campaign step (inputs, record, replay);
- :mod:`.verify`: :func:`verify`, :class:`Report`, :class:`Problem`.
"""

from __future__ import annotations

from .campaign import Campaign
from .state import CampaignState, read_state
from .verify import Problem, Report, verify

__all__ = ["Campaign", "CampaignState", "Problem", "Report", "read_state", "verify"]
