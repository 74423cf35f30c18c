"""Results as a campaign records them: each row checked against the log before it is written.

A result is recorded only for a drawn (task, target), once (a change is a correction that names
the record holding the current result), with an outcome and penalties from the plan's sets and
the day the inspection concluded: not after the record's time, not before the draw was
revealed (docs/spec.md §10). :class:`ResultRows` does these checks for
:meth:`~.campaign.Campaign.record_result`, :meth:`~.campaign.Campaign.record_results` and
:meth:`~.campaign.Campaign.correct_result`; :func:`current_result` finds what a correction
corrects. Both raise InputError and never write.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

from .._util.times import day_of, parse_moment
from ..errors import InputError
from . import record_bodies as B
from .state import Batch, CampaignState, ResultKey

__all__ = ["ROW_KEYS", "ResultRows", "current_result"]

ROW_KEYS = frozenset(
    {"id", "target_id", "outcome", "task", "date", "detail", "penalties", "batch", "directed"}
)
"""The keys a row given to ``record_results`` may have (``batch``, ``directed``: format /2)."""


def _reveal_day(state: CampaignState, batch: Batch) -> _dt.date | None:
    text = state.times.get(batch.seed_seq) if batch.seed_seq is not None else None
    tz = state.plan.publication.tz if state.plan is not None else None
    return None if text is None else day_of(parse_moment(text, "the seed's time"), tz)


class ResultRows:
    """The checks of result rows for one record made at ``t`` (an aware datetime).

    A result of a random visit is concluded no earlier than the day its batch's seed was revealed
    (in the publication time zone); a result of a directed check no earlier than the check's
    date. In format /2 each row names its batch (default: the latest batch that drew the target
    under the task) or the seq of its directed check (docs/spec.md §11.6).
    """

    def __init__(self, state: CampaignState, t: _dt.datetime) -> None:
        assert state.plan is not None
        self.state = state
        self.t = t
        self.publication = state.plan.publication

    def row(
        self,
        target_id: Any,
        outcome: Any,
        task: Any,
        date: Any,
        detail: Any,
        penalties: Any,
        where: str,
        *,
        allow_existing: bool = False,
        batch: Any = None,
        directed: Any = None,
    ) -> dict[str, Any]:
        """One checked row (its fields as :func:`~.record_bodies.result_keys`); ``where`` names
        it in errors. ``allow_existing`` lets a correction replace the current result."""
        pub = self.publication
        if isinstance(target_id, bool) or not isinstance(target_id, (str, int)):
            raise InputError(f"{where}: target ID {target_id!r} is not text or a whole number")
        tid = str(target_id)
        floor: _dt.date | None
        key: ResultKey
        if directed is not None:
            task, floor, key = self._directed(tid, task, batch, directed, where)
        else:
            b = self._batch(tid, task, batch, where)
            task = self._task(b, tid, task, where)
            floor = _reveal_day(self.state, b)
            key = (task, tid) if self.state.version == 1 else (b.number, task, tid)
            batch = None if self.state.version == 1 else b.number
        self._no_result(key, tid, task, where, allow_existing)
        day = self._day(date, where, floor, directed is not None)
        if detail is not None and not isinstance(detail, str):
            raise InputError(f"{where}: detail must be text, got {detail!r}")
        row = {
            "task": task,
            "id": tid,
            "outcome": pub.check_outcome(outcome, where),
            "date": day.isoformat(),
            "penalties": list(pub.check_penalties(penalties, where)),
            "detail": detail,
        }
        if self.state.version > 1:
            row.update(batch=batch, directed=directed)
        return row

    def _directed(
        self, tid: str, task: Any, batch: Any, directed: Any, where: str
    ) -> tuple[None, _dt.date, ResultKey]:
        """A result of the directed check at seq ``directed``: (task, earliest day, key)."""
        st = self.state
        body = st.directed.get(directed) if isinstance(directed, int) else None
        if body is None:
            raise InputError(
                f"{where}: directed={directed!r} is not the seq of a directed check; "
                f"record_directed returns it (directed checks: {sorted(st.directed)})"
            )
        if body["id"] != tid:
            raise InputError(
                f"{where}: directed check seq {directed} is of target {body['id']!r}, not "
                f"{tid!r}"
            )
        if task is not None or batch is not None:
            raise InputError(
                f"{where}: a directed check's result has no task or batch (it was not drawn); "
                "leave task= and batch= out"
            )
        return None, _dt.date.fromisoformat(body["date"]), ("directed", directed)

    def _batch(self, tid: str, task: Any, batch: Any, where: str) -> Batch:
        """The batch of a random visit's result: ``batch``, or the latest revealed batch that
        drew ``tid`` (under ``task`` when given)."""
        st = self.state
        revealed = [b for b in st.batches if b.revealed]
        if batch is not None:
            if st.version == 1:
                raise InputError(f"{where}: batch={batch!r}, but a format /1 log has one batch")
            if isinstance(batch, bool) or not isinstance(batch, int) or not any(
                b.number == batch for b in revealed
            ):
                raise InputError(
                    f"{where}: batch {batch!r} is not a revealed batch (revealed: "
                    f"{[b.number for b in revealed]})"
                )
            return st.batches[batch - 1]
        for b in reversed(revealed):
            tasks = b.drawn_by_id.get(tid, [])
            if tasks and (task is None or task in tasks):
                return b
        return revealed[-1]

    def _task(self, b: Batch, tid: str, task: Any, where: str) -> Any:
        """The task ``b`` drew the target by (``task``, or its only one when None), checked."""
        tasks = b.drawn_by_id.get(tid, [])
        in_batch = "" if self.state.version == 1 else f" in batch {b.number}"
        if task is None:
            if len(tasks) != 1:
                raise InputError(
                    f"{where}: target {tid!r} was not drawn by any task{in_batch}" if not tasks
                    else f"{where}: target {tid!r} was drawn by tasks {tasks}{in_batch}; say "
                    "which with task="
                )
            task = tasks[0]
        if (task, tid) not in b.drawn:
            drawn_by = f"it was drawn by {tasks}" if tasks else "it was not drawn by any task"
            raise InputError(
                f"{where}: target {tid!r} was not drawn under task {task!r}{in_batch} "
                f"({drawn_by}); results are recorded only for drawn targets"
            )
        return task

    def _no_result(
        self, key: ResultKey, tid: str, task: Any, where: str, allow_existing: bool
    ) -> None:
        st = self.state
        if not allow_existing and key in st.results:
            seq = st.results[key][0]
            what = f"under task {task!r}" if task is not None else f"(directed check {key[1]})"
            raise InputError(
                f"{where}: target {tid!r} {what} already has a result (seq {seq}); "
                "records are never edited: use correct_result(seq, ...)"
            )

    def _day(
        self, date: Any, where: str, floor: _dt.date | None, directed: bool
    ) -> _dt.date:
        """The day the inspection concluded (default: the record's day), checked: not after
        the record's day, not before ``floor`` (the reveal, or the directed check's date)."""
        t, tz = self.t, self.publication.tz
        day = day_of(t, tz) if date is None else _dt.date.fromisoformat(
            B.iso_date(date, f"{where}, date")
        )
        if day > day_of(t, tz):
            raise InputError(
                f"{where}: date {day.isoformat()} is after the record's time {t.isoformat()}; "
                "a result is recorded once the inspection has concluded"
            )
        if floor is not None and day < floor:
            what = "the directed check's date" if directed else "the draw was revealed"
            raise InputError(
                f"{where}: date {day.isoformat()} is before {what} ({floor.isoformat()}); "
                "check the date"
            )
        return day

    def batch(self, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """The rows of one ``results`` record, each checked as :meth:`row`; an error names the
        row, and a result given twice is refused."""
        out: list[dict[str, Any]] = []
        seen: dict[tuple[Any, ...], int] = {}
        for i, r in enumerate(rows):
            where = f"results row {i}"
            if not isinstance(r, Mapping):
                raise InputError(f"{where}: expected a mapping, got {type(r).__name__}")
            unknown = sorted(set(r) - ROW_KEYS)
            if unknown:
                raise InputError(f"{where}: unknown key {unknown[0]!r}; keys are {sorted(ROW_KEYS)}")
            tid = r.get("id", r.get("target_id"))
            if tid is None or "outcome" not in r:
                raise InputError(f"{where}: every row needs 'id' and 'outcome'")
            row = self.row(
                tid, r["outcome"], r.get("task"), r.get("date"), r.get("detail"),
                r.get("penalties"), where, batch=r.get("batch"), directed=r.get("directed"),
            )
            key = (row["task"], row["id"], row.get("batch"), row.get("directed"))
            if key in seen:
                raise InputError(
                    f"{where}: target {row['id']!r} under task {row['task']!r} is also in row "
                    f"{seen[key]}"
                )
            seen[key] = i
            out.append(row)
        return out


def current_result(
    state: CampaignState, seq: int, target_id: str | int, task: str | None
) -> dict[str, Any]:
    """The result of ``target_id`` (under ``task``, when given) that record ``seq`` holds, which
    must be its current one: what :meth:`~.campaign.Campaign.correct_result` corrects."""
    keys = [k for k in state.result_seqs.get(seq, [])
            if state.results[k][1]["id"] == str(target_id)]
    if task is not None:
        keys = [k for k in keys if state.results[k][1]["task"] == task]
    if len(keys) != 1:
        raise InputError(
            f"correct_result: record {seq} holds no result for target {target_id!r}"
            + (f" under task {task!r}" if task is not None else "")
            if not keys else
            f"correct_result: record {seq} holds results for target {target_id!r} under "
            f"tasks {[state.results[k][1]['task'] for k in keys]}; say which with task="
        )
    current_seq, old = state.results[keys[0]]
    if current_seq != seq:
        raise InputError(
            f"correct_result: the result of target {target_id!r} in record {seq} was already "
            f"corrected by record {current_seq}; correct that one"
        )
    return old
