"""The inspection year on a log: :class:`Campaign` writes it (commit, reveal, results, notices,
later batches, directed checks) and :func:`verify` replays every batch from the log and the
registries alone (docs/spec.md §10, §11.5–11.8).

Stage: above the draw, the assignment and the log, which it may import. The state of a log (what
has been committed, revealed and recorded) is read by one reader, :mod:`.state`, that both the
writer and the checker use: :mod:`.verify` and its checks depend on :mod:`.state`, never on the
writer (:mod:`.campaign` and the modules only it uses).

Shared by writer and checker:

- :mod:`.state`: :class:`CampaignState`, :func:`read_state` (the log reader) and the algorithm
  versions a commitment records;
- :mod:`.record_bodies`: the bodies of the log's records (docs/spec.md §10);
- :mod:`.assign_step`: the assignment as a campaign step (inputs, running it, its record).
- :mod:`.history`: the year's history as the log holds it (docs/spec.md §11.7), and a batch's
  burden (the wiring point for ``sampling.burden``), draw and assignment from it.

The writer:

- :mod:`.campaign`: :class:`Campaign` (create, open, reveal, record, publish, correct);
- :mod:`.commitment`: the commitment's body and the check that registries are the committed ones;
- :mod:`.results`: each result row checked before it is recorded or corrected.
- :mod:`.year_writer`: the year's records: prior-year logs, a later batch, a directed check;
- :mod:`.writer_steps`: record times, the new file, registry and randomness checks;
- :mod:`.notice_record`: the notice record's body.

The checker:

- :mod:`.verify`: :func:`verify`: reads the log and runs the checks in order;
- :mod:`.report`: :class:`Report`, :class:`Problem` and the findings the checks add to;
- :mod:`.commitment_checks`: registries, algorithm versions, randomness and seed;
- :mod:`.replay`: the π summary, the selection and the assignment recomputed and compared;
- :mod:`.result_checks`: record times, results and publication deadlines.
- :mod:`.year_checks`: directed checks and the yearly cap (warnings ``cap``).
"""

from __future__ import annotations

from .campaign import Campaign
from .state import CampaignState, read_state
from .verify import Problem, Report, verify

__all__ = ["Campaign", "CampaignState", "Problem", "Report", "read_state", "verify"]
