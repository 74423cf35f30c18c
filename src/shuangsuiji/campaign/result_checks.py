"""The checks of record times and results (docs/spec.md §10.8, steps 6–7 of
:func:`~.verify.verify`): times never decrease; each current result is for a drawn target, with
an outcome and penalties from the plan's sets, concluded neither before the draw was revealed
nor after it was first recorded; a result first published after the plan's working-day window
is a *warning*. Times are checked here and never enter the replay.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any

from .._util.times import before, day_of, parse_moment
from ..errors import InputError
from ..plan.publication_rules import Publication
from . import record_bodies as B
from .report import GUARDED, Findings
from .state import CampaignState, ResultKey

__all__ = ["check_results", "check_times"]


def check_times(state: CampaignState, f: Findings, tz: _dt.tzinfo | None) -> None:
    """Record times must not decrease (docs/spec.md §10.1), as ``Campaign`` enforces when it
    writes: each time is compared with the latest time before it, as instants when both are
    date-times and as days (in the publication time zone) otherwise."""
    last: tuple[int, str, _dt.date | _dt.datetime] | None = None
    for seq in sorted(state.times):
        text = state.times[seq]
        if text is None:
            continue
        try:
            m = parse_moment(text, f"record {seq}'s time")
        except InputError as exc:
            f.error(seq, "time", str(exc))
            continue
        if last is not None and before(m, last[2], tz):
            f.error(
                seq, "time",
                f"record {seq}'s time {text} is before record {last[0]}'s ({last[1]}); records "
                "are appended in time order, so times never decrease",
            )
            continue  # compare the next record with the latest time, not this earlier one
        last = (seq, text, m)


def check_results(
    state: CampaignState, f: Findings, summary: dict[str, Any], tz: _dt.tzinfo | None
) -> None:
    plan = state.plan
    if plan is None:
        return
    outcomes: Counter[str] = Counter()
    overdue = 0
    deadlines: dict[date, date] = {}
    for key, (seq, row) in sorted(state.results.items(), key=lambda kv: kv[1][0]):
        task, tid = row["task"], row["id"]
        try:
            floor = _floor(state, key, tz)
            overdue += _check_result(state, f, key, seq, row, floor, tz, outcomes, deadlines)
        except GUARDED as exc:  # one unreadable result never stops the others
            f.error(seq, "result", f"the result for target {tid!r} under task {task!r} could "
                                   f"not be read: {exc!r}")
    summary["results"] = (
        f"{len(state.results)} of {state.drawn_count()} drawn"
        if state.batches and state.batches[0].selection is not None
        else len(state.results)
    )
    summary["outcomes"] = dict(outcomes)
    summary["overdue"] = overdue


def _floor(
    state: CampaignState, key: ResultKey, tz: _dt.tzinfo | None
) -> tuple[date | None, str]:
    """The earliest day a result can have concluded, and what that day is, in words: the day
    its batch's seed was revealed, or its directed check's date."""
    if key[0] == "directed":
        d = state.directed[key[1]]["date"]
        return date.fromisoformat(d), f"before the directed check's date ({d}, seq {key[1]})"
    b = state.batches[key[0] - 1 if len(key) == 3 else 0]
    revealed = None if b.seed_seq is None else state.time_of(b.seed_seq)
    day = None if revealed is None else day_of(revealed, tz)
    return day, (f"before the draw was revealed ({day}, seq {b.seed_seq}): no drawn target "
                 "can have been inspected yet")


def _check_result(
    state: CampaignState,
    f: Findings,
    key: ResultKey,
    seq: int,
    row: Mapping[str, Any],
    floor: tuple[date | None, str],
    tz: _dt.tzinfo | None,
    outcomes: Counter[str],
    deadlines: dict[date, date],
) -> bool:
    """Check one current result; True when its first publication was after its due day."""
    assert state.plan is not None
    pub = state.plan.publication
    task, tid = row["task"], row["id"]
    where = (f"the result for target {tid!r} under task {task!r}" if key[0] != "directed" else
             f"the result of directed check {key[1]} (target {tid!r})")
    _check_sets(pub, f, seq, where, row, outcomes)
    try:
        concluded = date.fromisoformat(B.iso_date(row.get("date"), "date"))
    except InputError:
        f.error(seq, "result", f"{where} has date {row.get('date')!r}, not YYYY-MM-DD")
        return False
    if floor[0] is not None and concluded < floor[0]:
        f.error(seq, "result", f"{where} is dated {concluded}, {floor[1]}")
        return False
    first = state.first_results[key]
    return _check_deadline(state, f, pub, where, seq, first, concluded, tz, deadlines)


def _check_sets(
    pub: Publication,
    f: Findings,
    seq: int,
    where: str,
    row: Mapping[str, Any],
    outcomes: Counter[str],
) -> None:
    """The result's outcome and penalties must come from the plan's sets; counts outcomes."""
    outcome = row.get("outcome")
    if outcome not in pub.outcomes:
        f.error(seq, "result", f"{where} has outcome {outcome!r}, not one of the plan's "
                               f"outcomes {list(pub.outcomes)}")
    else:
        outcomes[outcome] += 1
    penalties = row.get("penalties")
    if not isinstance(penalties, list) or any(p not in pub.penalties for p in penalties):
        f.error(seq, "result", f"{where} has penalties {penalties!r}, not from the plan's "
                               f"penalties {list(pub.penalties)}")


def _check_deadline(
    state: CampaignState,
    f: Findings,
    pub: Publication,
    where: str,
    seq: int,
    first: int,
    concluded: date,
    tz: _dt.tzinfo | None,
    deadlines: dict[date, date],
) -> bool:
    """The result, first published at record ``first``, against its date and its due day;
    True when that publication was late (a warning). ``deadlines`` caches due days by date."""
    # the deadline applies to the first publication (a correction is late by nature),
    # counted from the date as it stands now (a corrected date is the true one)
    time = state.times.get(first)
    published_at = state.time_of(first)
    if published_at is None:
        return False  # no time, or one the time check reports
    published = day_of(published_at, tz)
    if concluded > published:
        f.error(seq, "result", f"{where} is dated {concluded}, after it was first "
                               f"recorded ({time})")
        return False
    if concluded not in deadlines:
        deadlines[concluded] = pub.deadline(concluded)
    due = deadlines[concluded]
    if published <= due:
        return False
    # counted in calendar days past the due day: a count of working days would say "20, more
    # than the 20 allowed" for a publication on the weekend after a Friday due day
    late = (published - due).days
    f.warning(
        first, "deadline",
        f"{where}, concluded {concluded}, was first published {published}, {late} "
        f"day{'s' if late > 1 else ''} after its due day {due} (the "
        f"{pub.deadline_working_days} working days allowed end then)",
    )
    return True
