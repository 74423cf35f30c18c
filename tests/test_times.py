"""The one date and time parser (shuangsuiji._util.times): one set of accepted forms, one wording,
and every stage that reads a date uses it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji._util.times import parse_date, parse_moment, parse_time, to_date
from shuangsuiji.campaign.record_bodies import iso_date as body_date
from shuangsuiji.notices.inputs import iso_date as notice_date
from shuangsuiji.teams.inputs import iso_day

CST = dt.timezone(dt.timedelta(hours=8))

# Forms a published plan must not contain although fromisoformat (Python >= 3.11) reads them.
NOT_DATES = [
    "20260101",
    "2026-W01-1",
    "2026-001",
    "2026-02-30",
    " 2026-01-01",
    "２０２６-01-01",
    "2026-1-1",
    "",
    "2026-01-01x",
    None,
    20260101,
    1.5,
]


@given(st.dates())
def test_every_date_round_trips(d: dt.date) -> None:
    assert parse_date(d.isoformat(), "x") == d == parse_date(d, "x")
    assert to_date(f"{d.isoformat()}T09:30:00+08:00", allow_time=True) == d
    assert to_date(f"{d.isoformat()} 00:00:00", allow_time=True) == d


@pytest.mark.parametrize("value", NOT_DATES)
def test_what_is_not_a_date_is_named(value: Any) -> None:
    assert to_date(value) is None and to_date(value, allow_time=True) is None
    with pytest.raises(ss.InputError, match=r"^where: .* is not an ISO date \(YYYY-MM-DD\)$"):
        parse_date(value, "where")


def test_a_date_time_is_a_date_only_where_allowed() -> None:
    t = dt.datetime(2026, 3, 1, 9, tzinfo=CST)
    assert parse_date(t, "x", allow_time=True) == dt.date(2026, 3, 1)
    with pytest.raises(ss.InputError, match="is a date-time; give the date"):
        parse_date(t, "x")
    assert to_date("2026-03-01T09:00", allow_time=False) is None
    assert to_date("2026-03-01T nine o'clock", allow_time=True) is None


@pytest.mark.parametrize(
    "read",
    [
        lambda v: iso_day(v, "history[0], date"),
        lambda v: body_date(v, "history[0], date"),
        lambda v: notice_date(v, "history[0], date"),
        lambda v: ss.Plan.from_dict(
            {
                "name": "p",
                "tasks": [
                    {
                        "name": "t",
                        "size": {"rate": 0.1},
                        "cooloff": {"column": "c", "days": 1, "as_of": v},
                    }
                ],
            }
        ),
        lambda v: ss.Publication.from_dict({"non_working_days": [v]}),
    ],
    ids=["history", "result", "notice", "plan cooloff", "publication"],
)
def test_every_stage_refuses_a_non_date_in_the_same_words(read: Any) -> None:
    with pytest.raises(ss.InputError, match=r"'2026-02-30' is not an ISO date \(YYYY-MM-DD\)"):
        read("2026-02-30")
    with pytest.raises(ss.InputError, match=r"'2026-W09-1' is not an ISO date \(YYYY-MM-DD\)"):
        read("2026-W09-1")


def test_log_times_and_moments() -> None:
    assert parse_time("2026-01-05T09:00:00+08:00") == dt.datetime(2026, 1, 5, 9, tzinfo=CST)
    assert parse_time("2026-01-05t01:00:00.123456789z") == dt.datetime(
        2026, 1, 5, 1, 0, 0, 123456, tzinfo=dt.timezone.utc
    )
    assert parse_time("2026-12-31T23:59:60Z") == dt.datetime(
        2026, 12, 31, 23, 59, 59, 999_999, tzinfo=dt.timezone.utc
    )  # a leap second stays in its minute (RFC 3339 §5.7)
    assert parse_time("2026-01-05T09:00+08:00") is None  # not a log time ...
    assert parse_moment("2026-01-05T09:00+08:00", "t") == dt.datetime(2026, 1, 5, 9, tzinfo=CST)
    with pytest.raises(ss.InputError, match="'2026-01-05T09:00' has no UTC offset"):
        parse_moment("2026-01-05T09:00", "t")  # ... and a naive one is no moment
