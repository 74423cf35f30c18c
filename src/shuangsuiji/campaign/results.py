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

from .._util.times import day_of
from ..errors import InputError
from . import record_bodies as B
from .state import CampaignState

__all__ = ["ROW_KEYS", "ResultRows", "current_result"]

ROW_KEYS = frozenset({"id", "target_id", "outcome", "task", "date", "detail", "penalties"})
"""The keys a row given to ``record_results`` may have."""


class ResultRows:
    """The checks of result rows for one record made at ``t`` (an aware datetime).

    ``reveal_day`` is the day the seed was revealed in the publication time zone (None when the
    seed record has no time); a result concluded before it is refused.
    """

    def __init__(
        self, state: CampaignState, t: _dt.datetime, reveal_day: _dt.date | None
    ) -> None:
        assert state.plan is not None
        self.state = state
        self.t = t
        self.reveal_day = reveal_day
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
    ) -> dict[str, Any]:
        """One checked row (its fields as :data:`~.record_bodies.RESULT_KEYS`); ``where`` names
        it in errors. ``allow_existing`` lets a correction replace the current result."""
        pub = self.publication
        if isinstance(target_id, bool) or not isinstance(target_id, (str, int)):
            raise InputError(f"{where}: target ID {target_id!r} is not text or a whole number")
        tid = str(target_id)
        task = self._task(tid, task, where, allow_existing)
        day = self._day(date, where)
        if detail is not None and not isinstance(detail, str):
            raise InputError(f"{where}: detail must be text, got {detail!r}")
        return {
            "task": task,
            "id": tid,
            "outcome": pub.check_outcome(outcome, where),
            "date": day.isoformat(),
            "penalties": list(pub.check_penalties(penalties, where)),
            "detail": detail,
        }

    def _task(self, tid: str, task: Any, where: str, allow_existing: bool) -> Any:
        """The task the target was drawn by (``task``, or its only one when None), checked."""
        st = self.state
        tasks = st.drawn_by_id.get(tid, [])
        if task is None:
            if len(tasks) != 1:
                raise InputError(
                    f"{where}: target {tid!r} was not drawn by any task" if not tasks else
                    f"{where}: target {tid!r} was drawn by tasks {tasks}; say which with task="
                )
            task = tasks[0]
        if (task, tid) not in st.drawn:
            drawn_by = f"it was drawn by {tasks}" if tasks else "it was not drawn by any task"
            raise InputError(
                f"{where}: target {tid!r} was not drawn under task {task!r} ({drawn_by}); "
                "results are recorded only for drawn targets"
            )
        if not allow_existing and (task, tid) in st.results:
            seq = st.results[(task, tid)][0]
            raise InputError(
                f"{where}: target {tid!r} under task {task!r} already has a result (seq {seq}); "
                "records are never edited: use correct_result(seq, ...)"
            )
        return task

    def _day(self, date: Any, where: str) -> _dt.date:
        """The day the inspection concluded (default: the record's day), checked."""
        t, tz = self.t, self.publication.tz
        day = day_of(t, tz) if date is None else _dt.date.fromisoformat(
            B.iso_date(date, f"{where}, date")
        )
        if day > day_of(t, tz):
            raise InputError(
                f"{where}: date {day.isoformat()} is after the record's time {t.isoformat()}; "
                "a result is recorded once the inspection has concluded"
            )
        revealed = self.reveal_day
        if revealed is not None and day < revealed:
            raise InputError(
                f"{where}: date {day.isoformat()} is before the draw was revealed "
                f"({revealed.isoformat()}); check the date"
            )
        return day

    def batch(self, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """The rows of one ``results`` record, each checked as :meth:`row`; an error names the
        row, and a (task, target) given twice is refused."""
        out: list[dict[str, Any]] = []
        seen: dict[tuple[str, str], int] = {}
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
                r.get("penalties"), where,
            )
            key = (row["task"], row["id"])
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
    keys = [k for k in state.result_seqs.get(seq, []) if k[1] == str(target_id)]
    if task is not None:
        keys = [k for k in keys if k[0] == task]
    if len(keys) != 1:
        raise InputError(
            f"correct_result: record {seq} holds no result for target {target_id!r}"
            + (f" under task {task!r}" if task is not None else "")
            if not keys else
            f"correct_result: record {seq} holds results for target {target_id!r} under "
            f"tasks {[k[0] for k in keys]}; say which with task="
        )
    current_seq, old = state.results[keys[0]]
    if current_seq != seq:
        raise InputError(
            f"correct_result: the result of target {target_id!r} in record {seq} was already "
            f"corrected by record {current_seq}; correct that one"
        )
    return old
