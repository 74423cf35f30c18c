"""The state a campaign log describes: its records read in order, by one reader.

:func:`read_state` folds the records of a log (docs/spec.md §10, §11.5) into a
:class:`CampaignState`: the commitment and the year's plan, each batch (:class:`Batch`: its
plan, declared randomness, revealed seed, selection and assignment bodies), the directed checks,
each result's current row, the notices and the corrections, and what is out of order or
malformed. It needs no registry. A format ``/1`` log is one batch, read exactly as before. The writer (:class:`~.campaign.Campaign`)
keeps one up to date as it appends; the checker (:func:`~.verify.verify`) reads one from the
file. Both depend on this module, and the checker never on the writer.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

import attrs

from .._util.times import parse_moment
from ..errors import InputError
from ..plan.plan import Plan, check_year_departments
from ..randomness.declared import Randomness
from ..randomness.seed import Seed
from ..sampling.engine import ALGORITHM
from ..teams.assignment import ALGORITHM as ASSIGN_ALGORITHM
from . import record_bodies as B

__all__ = ["Batch", "CampaignState", "ResultKey", "algorithms", "read_state"]


def algorithms() -> dict[str, str]:
    """The algorithm versions this library implements, as recorded in a commitment."""
    return {"draw": ALGORITHM, "assign": ASSIGN_ALGORITHM}


ResultKey = tuple[Any, ...]
"""What a result is the result of: ``(task, id)`` in format /1; ``(batch, task, id)`` for a
random visit and ``("directed", seq)`` for a directed check in format /2."""


@attrs.define(eq=False)
class Batch:
    """One batch of the year as its records say (docs/spec.md §11.5): ``number`` (1 for the
    commitment), ``seq`` of the record that committed it and its ``body``, its ``plan`` and
    declared ``randomness`` (None when unreadable), and what its reveal recorded."""

    number: int
    seq: int
    body: dict[str, Any]
    plan: Plan | None = None
    randomness: Randomness | None = None
    seed: Seed | None = None
    seed_seq: int | None = None
    selection: dict[str, Any] | None = None
    selection_seq: int | None = None
    assignment: dict[str, Any] | None = None
    assignment_seq: int | None = None
    drawn: dict[tuple[str, str], int] = attrs.field(factory=dict)
    drawn_by_id: dict[str, list[str]] = attrs.field(factory=dict)  # target ID -> its tasks
    # the batch's random visits as history, built once per reveal (campaign.history): every
    # later batch, and verify for each of them, reads them again
    visits: Any = attrs.field(default=None, eq=False, repr=False)

    @property
    def revealed(self) -> bool:
        """The seed, the selection and the assignment are recorded."""
        return self.assignment_seq is not None


class CampaignState:
    """What the records of a campaign log say, read in order (no registry needed).

    ``problems`` collects what is out of order or malformed, as ``(seq, sentence)``; a log that
    :class:`Campaign` wrote has none. :func:`~shuangsuiji.verify` reports them, ``Campaign.open``
    refuses a log that has any. ``plan`` is the first batch's plan (the year rules and the
    publication rules); ``seed``, ``selection``, ``drawn`` ... are the latest batch's.
    """

    def __init__(self) -> None:
        self.version = 1
        self.commitment: dict[str, Any] | None = None
        self.plan: Plan | None = None
        self.batches: list[Batch] = []
        self.directed: dict[int, dict[str, Any]] = {}  # seq -> the directed check's body
        # result key (ResultKey) -> (seq of the record now holding the result, its fields)
        self.results: dict[ResultKey, tuple[int, dict[str, Any]]] = {}
        self.result_seqs: dict[int, list[ResultKey]] = {}
        # result key -> seq of the record that first published it (for the deadline)
        self.first_results: dict[ResultKey, int] = {}
        self.notices: dict[int, dict[str, Any]] = {}
        self.corrections: list[int] = []
        self.times: dict[int, str | None] = {}
        self.problems: list[tuple[int | None, str]] = []
        self.size = 0

    # -- the latest batch (format /1: the only one) ------------------------------------------
    @property
    def latest(self) -> Batch | None:
        return self.batches[-1] if self.batches else None

    @property
    def randomness(self) -> Randomness | None:
        return None if self.latest is None else self.latest.randomness

    @property
    def seed(self) -> Seed | None:
        return None if self.latest is None else self.latest.seed

    @property
    def seed_seq(self) -> int | None:
        return None if self.latest is None else self.latest.seed_seq

    @property
    def selection(self) -> dict[str, Any] | None:
        return None if self.latest is None else self.latest.selection

    @property
    def selection_seq(self) -> int | None:
        return None if self.latest is None else self.latest.selection_seq

    @property
    def assignment(self) -> dict[str, Any] | None:
        return None if self.latest is None else self.latest.assignment

    @property
    def assignment_seq(self) -> int | None:
        return None if self.latest is None else self.latest.assignment_seq

    @property
    def drawn(self) -> dict[tuple[str, str], int]:
        return {} if self.latest is None else self.latest.drawn

    @property
    def drawn_by_id(self) -> dict[str, list[str]]:
        return {} if self.latest is None else self.latest.drawn_by_id

    def drawn_count(self) -> int:
        """Drawn (task, target) pairs over every batch."""
        return sum(len(b.drawn) for b in self.batches)

    def batch_of(self, seq: int) -> Batch | None:
        """The batch whose seed, selection or assignment is record ``seq`` (None otherwise)."""
        for b in self.batches:
            if seq in (b.seed_seq, b.selection_seq, b.assignment_seq):
                return b
        return None

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
        if handler is None or (self.version == 1 and type_ in B.YEAR_TYPES):
            self._bad(seq, f"record type {type_!r} is not a campaign record type"
                      + (f" of format {B.FORMAT_1!r}" if handler is not None else ""))
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

    # -- batches ------------------------------------------------------------------------------
    def _on_commitment(self, seq: int, body: dict[str, Any]) -> None:
        if self.commitment is not None or seq != 0:
            self._bad(seq, "a second commitment; the commitment must be record 0")
            return
        fmt = body.get("format")
        if fmt not in B.FORMATS:
            self._bad(seq, f"the commitment's format is {fmt!r}, not one of {list(B.FORMATS)}")
        self.version = 2 if fmt == B.FORMAT else 1
        self.commitment = body
        batch = Batch(1, seq, body)
        self.batches.append(batch)
        if self.version == 2 and (body.get("batch") != 1 or not isinstance(body.get("prior"),
                                                                          dict)):
            self._bad(seq, "a format /2 commitment holds \"batch\": 1 and a \"prior\" object")
        try:
            self.plan = batch.plan = Plan.from_dict(body["plan"])
            batch.randomness = Randomness.from_dict(body["randomness"])
        except InputError as exc:
            self._bad(seq, f"the committed plan or randomness is not valid: {exc}")

    def _on_batch(self, seq: int, body: dict[str, Any]) -> None:
        last = self.batches[-1]
        if not last.revealed:
            self._bad(seq, f"batch {len(self.batches) + 1} is committed before batch "
                           f"{last.number}'s reveal (seed, selection, assignment)")
            return
        if body["batch"] != last.number + 1:
            self._bad(seq, f"the batch record says batch {body['batch']!r}, but the next batch "
                           f"is {last.number + 1}")
            return
        batch = Batch(last.number + 1, seq, body)
        self.batches.append(batch)
        try:
            batch.plan = Plan.from_dict(body["plan"])
            batch.randomness = Randomness.from_dict(body["randomness"])
        except InputError as exc:
            self._bad(seq, f"batch {batch.number}'s plan or randomness is not valid: {exc}")
            return
        problem = batch_plan_problem(batch.plan, self.plan)
        if problem is not None:
            self._bad(seq, f"batch {batch.number}'s plan: {problem}")

    def _on_seed(self, seq: int, body: dict[str, Any]) -> None:
        b = self.batches[-1]
        if b.seed_seq is not None:
            self._bad(seq, f"a second seed record; the seed was revealed at seq {b.seed_seq}")
            return
        b.seed_seq = seq
        try:
            b.seed = Seed.from_provenance(body["seed"])
        except InputError as exc:
            self._bad(seq, f"the seed record does not give a seed: {exc}")

    def _on_selection(self, seq: int, body: dict[str, Any]) -> None:
        b = self.batches[-1]
        if b.seed_seq is None or b.selection_seq is not None or seq != b.seed_seq + 1:
            self._bad(seq, "the selection must come once, right after the seed")
            if b.selection_seq is not None:
                return
        b.selection_seq = seq
        b.selection = body
        b.drawn = B.drawn_pairs(body)
        for task, tid in b.drawn:
            b.drawn_by_id.setdefault(tid, []).append(task)

    def _on_assignment(self, seq: int, body: dict[str, Any]) -> None:
        b = self.batches[-1]
        if b.selection_seq is None or b.assignment_seq is not None or (
            seq != b.selection_seq + 1
        ):
            self._bad(seq, "the assignment must come once, right after the selection")
            if b.assignment_seq is not None:
                return
        b.assignment_seq = seq
        b.assignment = body

    def _on_directed(self, seq: int, body: dict[str, Any]) -> None:
        problem = B.directed_problem(body)
        if problem is not None:
            self._bad(seq, f"the directed check {problem}")
            return
        self.directed[seq] = body

    # -- results ------------------------------------------------------------------------------
    def _after_reveal(self, seq: int, what: str) -> bool:
        if not self.batches or not self.batches[0].revealed:
            self._bad(seq, f"a {what} before the selection and assignment")
            return False
        return True

    def _key(self, seq: int, row: dict[str, Any]) -> ResultKey | None:
        """The result key of ``row``, or None (reported) when it is not for a drawn target or a
        recorded directed check."""
        if self.version == 1:
            key: ResultKey = (row["task"], row["id"])
            if key in self.drawn:
                return key
            self._bad(seq, f"a result for target {row['id']!r} under task {row['task']!r}, "
                           "which was not drawn")
            return None
        d, k = row.get("directed"), row.get("batch")
        if d is not None:
            if k is None and row.get("task") is None and self.directed.get(d, {}).get(
                "id"
            ) == row["id"]:
                return ("directed", d)
            self._bad(seq, f"a result for target {row['id']!r} names directed check {d!r}, "
                           "which is no directed check of that target (with no batch or task)")
            return None
        if isinstance(k, int) and 1 <= k <= len(self.batches):
            if not self.batches[k - 1].revealed:
                of = "" if k == 1 else f" of batch {k}"
                self._bad(seq, f"a result before the selection and assignment{of}")
                return None
            if (row["task"], row["id"]) in self.batches[k - 1].drawn:
                return (k, row["task"], row["id"])
        self._bad(seq, f"a result for target {row['id']!r} under task {row['task']!r}, which "
                       f"was not drawn in batch {k!r}")
        return None

    def _take(self, seq: int, row: dict[str, Any], *, correcting: bool = False) -> None:
        key = self._key(seq, row)
        if key is None:
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
        # format /2: a directed check's result needs no reveal; _key checks a batch's
        if self.version > 1 or self._after_reveal(seq, "result"):
            self._take(seq, {k: body.get(k) for k in B.result_keys(self.version)})

    def _on_results(self, seq: int, body: dict[str, Any]) -> None:
        if self.version > 1 or self._after_reveal(seq, "results record"):
            keys = B.result_keys(self.version)
            cols = body["rows"]
            n = body["count"]
            if any(len(cols[k]) != n for k in keys):
                raise ValueError(f"every column must have {n} entries")
            for i in range(n):
                self._take(seq, {k: cols[k][i] for k in keys})

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
            self._correct_result(seq, target, body["result"])
        elif "notice" in body:
            if not isinstance(body["notice"], dict):
                raise TypeError("the corrected notice is not a JSON object")
            if target not in self.notices:
                self._bad(seq, f"the correction names seq {target}, not a notice")
                return
            self.notices[seq] = body["notice"]
        else:
            raise ValueError("a correction holds 'result' or 'notice'")

    def _correct_result(self, seq: int, target: int, result: dict[str, Any]) -> None:
        row = {k: result.get(k) for k in B.result_keys(self.version)}
        key = next((k for k in self.result_seqs.get(target, [])
                    if self.results[k][1]["id"] == row["id"]
                    and self.results[k][1]["task"] == row["task"]), None)
        current = None if key is None else self.results.get(key)
        if current is None or current[0] != target:
            where = "no result" if current is None else f"its current record is seq {current[0]}"
            self._bad(
                seq,
                f"the correction of seq {target} for target {row['id']!r} under task "
                f"{row['task']!r} does not correct its current result ({where})",
            )
            return
        self._take(seq, row, correcting=True)


def batch_plan_problem(plan: Plan, year_plan: Plan | None) -> str | None:
    """Why a later batch's ``plan`` cannot join the year that ``year_plan`` (batch 1's) fixed,
    or None (docs/spec.md §11.5): it carries no ``year`` key, its publication rules are the
    year's, and every department its tasks name is one of the year's."""
    if plan.year is not None:
        return ("it carries 'year'; the year rules are fixed by the first batch's plan, drop "
                "the key")
    if year_plan is None:
        return None
    if plan.publication != year_plan.publication:
        return ("its 'publication' rules differ from the first batch's; the year publishes "
                "under one set of rules (leave the key out, or give the same)")
    rules = year_plan.year
    if rules is None:
        return None
    try:
        check_year_departments(plan.tasks, rules)
    except InputError as exc:
        return str(exc)
    return None


def read_state(records: Iterable[Any]) -> CampaignState:
    """Fold log records (with ``seq``, ``type``, ``body``, ``time``) into a CampaignState.

    Each record's ``body`` is read once (a log Record parses its line on each access)."""
    state = CampaignState()
    for r in records:
        state.add(r.seq, r.type, r.body, r.time)
    return state
