"""Dates and times: the one parser every stage uses, with one set of accepted forms and one
wording for what it refuses.

Accepted forms:

- a **date** is ``YYYY-MM-DD`` text (ISO 8601 calendar date, exactly ten characters, no week or
  ordinal dates, no ``20260101``) or a :class:`datetime.date`. Where the value may come from a
  spreadsheet or a DataFrame (a history row, a cool-off column), a date-time is also taken for
  its day (``allow_time=True``: a :class:`datetime.datetime`, or date text followed by ``T`` or
  a space and a time of digits, ``:``, ``.``, ``+``, ``-`` and ``Z``);
- a **log time** is RFC 3339 as docs/spec.md §9.1 allows it: a full date, or a date-time with
  ``Z`` or a ``±HH:MM`` offset (``t``/``z`` in either case, up to nine fractional digits, a leap
  second ``:60``);
- a **moment** (a deadline, ``known_after``, a record's time given by a caller) is a date, a log
  time, or an ISO 8601 date-time with an offset such as ``2026-01-09T15:00+08:00``. Naive
  date-times are refused: comparing them with logged times would silently assume a zone.

``fromisoformat`` alone is not used as the check: on Python >= 3.11 it accepts ``20240630`` and
week dates, which a published plan must not contain.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import Any

from ..errors import InputError

__all__ = [
    "DATE_FORM",
    "before",
    "check_time",
    "day_of",
    "not_a_date",
    "parse_date",
    "parse_moment",
    "parse_time",
    "to_date",
]

DATE_FORM = "YYYY-MM-DD"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_WITH_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ][0-9:.+\-Zz]*")
_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?"
    r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2})))?\Z"
)


def not_a_date(what: str, value: Any) -> InputError:
    """The one message for a value that is not a date."""
    return InputError(f"{what}: {value!r} is not an ISO date ({DATE_FORM})")


def to_date(value: Any, *, allow_time: bool = False) -> _dt.date | None:
    """The calendar date of ``value`` in an accepted form (see the module docstring), or None.
    A date-time counts only when ``allow_time``, for its day."""
    if isinstance(value, _dt.datetime):
        return value.date() if allow_time else None
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value
    if allow_time and (m := _DATE_WITH_TIME.fullmatch(value)):
        text = m.group(1)
    if not _DATE.fullmatch(text):
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:  # 2026-02-30
        return None


def parse_date(value: Any, what: str, *, allow_time: bool = False) -> _dt.date:
    """:func:`to_date`, or an InputError naming ``what`` and the value."""
    day = to_date(value, allow_time=allow_time)
    if day is not None:
        return day
    if isinstance(value, _dt.datetime):
        raise InputError(f"{what}: {value!r} is a date-time; give the date ({DATE_FORM})")
    raise not_a_date(what, value)


@functools.lru_cache(maxsize=4096)  # records written together often share their time
def check_time(text: str) -> str | None:
    """Why ``text`` is not an RFC 3339 date or date-time with offset, or None when it is."""
    m = _TIME.match(text)
    if m is None:
        return (
            f"time {text[:40]!r} is not an RFC 3339 date-time with a UTC offset "
            "(e.g. 2025-03-01T09:30:00+08:00) or a date (2025-03-01)"
        )
    y, mo, d, hh, mm, ss, _frac, _sign, oh, om = m.groups()
    try:
        _dt.date(int(y), int(mo), int(d))
    except ValueError:
        return f"time {text!r} has no such date"
    if hh is not None and (int(hh) > 23 or int(mm) > 59 or int(ss) > 60):
        return f"time {text!r} has no such time of day"
    if oh is not None and (int(oh) > 23 or int(om) > 59):
        return f"time {text!r} has no such UTC offset"
    return None


def parse_time(text: str) -> _dt.date | _dt.datetime | None:
    """The moment a §9.1 ``time`` names: a ``date`` for a full-date, else an aware ``datetime``
    (None when :func:`check_time` refuses ``text``).

    Everything §9.1 allows is read: ``t`` and ``z`` in either case, up to nine fractional digits
    (cut to microseconds, the resolution of ``datetime``) and a leap second ``:60``, read as the
    last microsecond of its minute so that it stays in its minute and day (RFC 3339 §5.7).
    """
    if check_time(text) is not None:
        return None
    m = _TIME.match(text)
    assert m is not None
    y, mo, d, hh, mm, ss, frac, sign, oh, om = m.groups()
    if hh is None:
        return _dt.date(int(y), int(mo), int(d))
    micro = int((frac or "").ljust(6, "0")[:6])
    second = int(ss)
    if second == 60:
        second, micro = 59, 999_999
    offset = _dt.timedelta(0)
    if sign is not None:
        offset = _dt.timedelta(hours=int(oh), minutes=int(om)) * (1 if sign == "+" else -1)
    return _dt.datetime(
        int(y), int(mo), int(d), int(hh), int(mm), second, micro, tzinfo=_dt.timezone(offset)
    )


def parse_moment(value: Any, what: str) -> _dt.date | _dt.datetime:
    """A date or an aware date-time, from text or a value (see the module docstring)."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            raise InputError(f"{what}: {value!r} has no time zone; give an aware datetime")
        return value
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        raise InputError(f"{what}: expected an ISO date or date-time, got {value!r}")
    text = value.strip()
    logged = parse_time(text)  # every form a log's time may take (docs/spec.md §9.1)
    if logged is not None:
        return logged
    try:
        if _DATE.fullmatch(text):
            return _dt.date.fromisoformat(text)
        moment = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{what}: {value!r} is not an ISO date ({DATE_FORM}) or date-time"
        ) from None
    if moment.tzinfo is None:
        raise InputError(f"{what}: {value!r} has no UTC offset; write e.g. '2026-01-09T15:00+08:00'")
    return moment


def day_of(m: _dt.date | _dt.datetime, tz: _dt.tzinfo | None = None) -> _dt.date:
    """The calendar day of moment ``m``: a date is itself; a date-time's day is taken in ``tz``
    (the publication time zone, docs/spec.md §10.7), or in its own offset when ``tz`` is None."""
    if isinstance(m, _dt.datetime):
        return (m if tz is None else m.astimezone(tz)).date()
    return m


def before(
    a: _dt.date | _dt.datetime, b: _dt.date | _dt.datetime, tz: _dt.tzinfo | None = None
) -> bool:
    """Whether moment ``a`` is strictly before ``b``: two date-times as instants; otherwise as
    days, a date-time's day taken in ``tz`` (see :func:`day_of`)."""
    if isinstance(a, _dt.datetime) and isinstance(b, _dt.datetime):
        return a < b
    return day_of(a, tz) < day_of(b, tz)
