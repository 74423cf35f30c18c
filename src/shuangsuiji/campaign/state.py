"""The state a campaign log describes: its records read in order, by one reader.

:func:`read_state` folds the records of a log (docs/spec.md §10) into a :class:`CampaignState`:
the commitment, the plan and the declared randomness, the revealed seed, the selection and the
assignment bodies, each (task, target)'s current result, the notices and the corrections, and
what is out of order or malformed. It needs no registry. The writer (:class:`~.campaign.Campaign`)
keeps one up to date as it appends; the checker (:func:`~.verify.verify`) reads one from the
file. Both depend on this module, and the checker never on the writer.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from .._util.times import parse_moment
from ..errors import InputError
from ..plan.plan import Plan
from ..randomness.declared import Randomness
from ..randomness.seed import Seed
from ..sampling.engine import ALGORITHM
from ..teams.assignment import ALGORITHM as ASSIGN_ALGORITHM
from . import record_bodies as B

__all__ = ["CampaignState", "algorithms", "read_state"]


def algorithms() -> dict[str, str]:
    """The algorithm versions this library implements, as recorded in a commitment."""
    return {"draw": ALGORITHM, "assign": ASSIGN_ALGORITHM}


class CampaignState:
    """What the records of a campaign log say, read in order (no registry needed).

    ``problems`` collects what is out of order or malformed, as ``(seq, sentence)``; a log that
    :class:`Campaign` wrote has none. :func:`~shuangsuiji.verify` reports them, ``Campaign.open``
    refuses a log that has any.
    """

    def __init__(self) -> None:
        self.commitment: dict[str, Any] | None = None
        self.plan: Plan | None = None
        self.randomness: Randomness | None = None
        self.seed: Seed | None = None
        self.seed_seq: int | None = None
        self.selection: dict[str, Any] | None = None
        self.selection_seq: int | None = None
        self.assignment: dict[str, Any] | None = None
        self.assignment_seq: int | None = None
        self.drawn: dict[tuple[str, str], int] = {}
        self.drawn_by_id: dict[str, list[str]] = {}  # target ID -> the tasks that drew it
        # (task, id) -> (seq of the record now holding the result, the result's fields)
        self.results: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
        self.result_seqs: dict[int, list[tuple[str, str]]] = {}
        # (task, id) -> seq of the record that first published its result (for the deadline)
        self.first_results: dict[tuple[str, str], int] = {}
        self.notices: dict[int, dict[str, Any]] = {}
        self.corrections: list[int] = []
        self.times: dict[int, str | None] = {}
        self.problems: list[tuple[int | None, str]] = []
        self.size = 0

    def time_of(self, seq: int) -> _dt.date | _dt.datetime | None:
        """The moment record ``seq`` names (None when it has none or it cannot be read: the
        checker's time check reports that)."""
        text = self.times.get(seq)
        if text is None:
            return None
        try:
            return parse_moment(text, "time")
        except InputError:
            return None

    def _bad(self, seq: int, message: str) -> None:
        self.problems.append((seq, message))

    def add(self, seq: int, type_: str, body: Any, time: str | None) -> None:
        """Take one record; each ``_on_<type>`` handler reads its body."""
        self.size = seq + 1
        self.times[seq] = time
        handler = getattr(self, f"_on_{type_}", None)
        if handler is None:
            self._bad(seq, f"record type {type_!r} is not a campaign record type")
            return
        if not isinstance(body, dict):
            self._bad(seq, f"the {type_} record's body is not a JSON object")
            return
        if type_ != "commitment" and self.commitment is None:
            self._bad(seq, f"a {type_} record comes before the commitment")
            return
        try:
            handler(seq, body)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            self._bad(seq, f"the {type_} record's body is malformed: {exc!r}")

    def _on_commitment(self, seq: int, body: dict[str, Any]) -> None:
        if self.commitment is not None or seq != 0:
            self._bad(seq, "a second commitment; the commitment must be record 0")
            return
        if body.get("format") != B.FORMAT:
            self._bad(seq, f"the commitment's format is {body.get('format')!r}, not {B.FORMAT!r}")
        self.commitment = body
        try:
            self.plan = Plan.from_dict(body["plan"])
            self.randomness = Randomness.from_dict(body["randomness"])
        except InputError as exc:
            self._bad(seq, f"the committed plan or randomness is not valid: {exc}")

    def _on_seed(self, seq: int, body: dict[str, Any]) -> None:
        if self.seed_seq is not None:
            self._bad(seq, f"a second seed record; the seed was revealed at seq {self.seed_seq}")
            return
        self.seed_seq = seq
        try:
            self.seed = Seed.from_provenance(body["seed"])
        except InputError as exc:
            self._bad(seq, f"the seed record does not give a seed: {exc}")

    def _on_selection(self, seq: int, body: dict[str, Any]) -> None:
        if self.seed_seq is None or self.selection_seq is not None or seq != self.seed_seq + 1:
            self._bad(seq, "the selection must come once, right after the seed")
            if self.selection_seq is not None:
                return
        self.selection_seq = seq
        self.selection = body
        self.drawn = B.drawn_pairs(body)
        for task, tid in self.drawn:
            self.drawn_by_id.setdefault(tid, []).append(task)

    def _on_assignment(self, seq: int, body: dict[str, Any]) -> None:
        if self.selection_seq is None or self.assignment_seq is not None or (
            seq != self.selection_seq + 1
        ):
            self._bad(seq, "the assignment must come once, right after the selection")
            if self.assignment_seq is not None:
                return
        self.assignment_seq = seq
        self.assignment = body

    def _after_reveal(self, seq: int, what: str) -> bool:
        if self.assignment_seq is None:
            self._bad(seq, f"a {what} before the selection and assignment")
            return False
        return True

    def _take(self, seq: int, row: dict[str, Any], *, correcting: bool = False) -> None:
        key = (row["task"], row["id"])
        if key not in self.drawn:
            self._bad(
                seq,
                f"a result for target {row['id']!r} under task {row['task']!r}, which was not "
                "drawn",
            )
            return
        if not correcting and key in self.results:
            self._bad(
                seq,
                f"a second result for target {row['id']!r} under task {row['task']!r} (first "
                f"at seq {self.results[key][0]}); use a correction",
            )
            return
        self.results[key] = (seq, row)
        self.result_seqs.setdefault(seq, []).append(key)
        self.first_results.setdefault(key, seq)

    def _on_result(self, seq: int, body: dict[str, Any]) -> None:
        if self._after_reveal(seq, "result"):
            self._take(seq, {k: body.get(k) for k in B.RESULT_KEYS})

    def _on_results(self, seq: int, body: dict[str, Any]) -> None:
        if self._after_reveal(seq, "results record"):
            cols = body["rows"]
            n = body["count"]
            if any(len(cols[k]) != n for k in B.RESULT_KEYS):
                raise ValueError(f"every column must have {n} entries")
            for i in range(n):
                self._take(seq, {k: cols[k][i] for k in B.RESULT_KEYS})

    def _on_notice(self, seq: int, body: dict[str, Any]) -> None:
        kind = body.get("kind")
        if kind in ("task", "result") and not self._after_reveal(seq, f"{kind} notice"):
            return
        if kind == "result" and not self.results:
            self._bad(seq, "a result notice before any result")
        self.notices[seq] = body

    def _on_correction(self, seq: int, body: dict[str, Any]) -> None:
        target = body["corrects"]
        self.corrections.append(seq)
        if not isinstance(target, int) or isinstance(target, bool) or not 0 <= target < seq:
            self._bad(seq, f"the correction names seq {target!r}, not an earlier record")
            return
        if "result" in body:
            row = {k: body["result"].get(k) for k in B.RESULT_KEYS}
            key = (row["task"], row["id"])
            current = self.results.get(key)
            if current is None or current[0] != target:
                where = "no result" if current is None else f"its current record is seq {current[0]}"
                self._bad(
                    seq,
                    f"the correction of seq {target} for target {row['id']!r} under task "
                    f"{row['task']!r} does not correct its current result ({where})",
                )
                return
            self._take(seq, row, correcting=True)
        elif "notice" in body:
            if not isinstance(body["notice"], dict):
                raise TypeError("the corrected notice is not a JSON object")
            if target not in self.notices:
                self._bad(seq, f"the correction names seq {target}, not a notice")
                return
            self.notices[seq] = body["notice"]
        else:
            raise ValueError("a correction holds 'result' or 'notice'")


def read_state(records: Iterable[Any]) -> CampaignState:
    """Fold log records (with ``seq``, ``type``, ``body``, ``time``) into a CampaignState.

    Each record's ``body`` is read once (a log Record parses its line on each access)."""
    state = CampaignState()
    for r in records:
        state.add(r.seq, r.type, r.body, r.time)
    return state
