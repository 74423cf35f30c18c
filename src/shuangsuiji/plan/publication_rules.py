"""Publication rules (一公开) of a plan: the result categories, penalties and the deadline.

A plan's optional ``publication`` key holds them, so they are published in the commitment with
the rest of the plan::

    {"deadline_working_days": 20,            # results public within 20 working days
     "weekend": [6, 7],                      # ISO weekdays that are not working days
     "non_working_days": ["2026-10-01", …],  # public holidays
     "extra_working_days": ["2026-09-27"],   # weekend days that are working days (调休)
     "outcomes": ["正常", "未按规定公示", "通过登记的住所无法联系", "发现问题已责令改正"],
     "penalties": ["警告", "罚款", …],
     "utc_offset": "+08:00"}                 # the time zone that decides which day it is

Every key is optional; the defaults are the national rule of 20 working days, a Saturday and
Sunday weekend, no holidays, the four result categories in use (domain.md, "Publication") and the
kinds of administrative penalty of the Administrative Penalty Law of the PRC (2021), Art. 9,
without detention, which only public security organs impose, and Beijing time (UTC+08:00).
Holidays change every year, so a plan that relies on the deadline should list them.

**Which day.** Every calendar day derived from a record's time (the day a result was
published, the day of the reveal, the default date of a result) is the day in the publication
time zone ``utc_offset``, a fixed offset (China has no daylight saving; no time-zone database is
needed). The default clock writes times in it too, so a record made at 07:00 Beijing time is
dated that Beijing day, never the UTC day before. No machine's local time zone enters.

Deadline arithmetic (docs/spec.md §10): a result concluded on day d is due on the n-th working day
after d (d itself not counted; n = 0 means the same day), and is on time when published on or
before that day, the day of publication taken in the publication time zone.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from .._util.times import parse_date
from ..errors import InputError

__all__ = [
    "DEFAULT_DEADLINE_WORKING_DAYS",
    "DEFAULT_OUTCOMES",
    "DEFAULT_PENALTIES",
    "DEFAULT_UTC_OFFSET",
    "OUTCOME_LABELS_EN",
    "PENALTY_LABELS_EN",
    "Publication",
    "parse_date",
]

DEFAULT_DEADLINE_WORKING_DAYS = 20
DEFAULT_OUTCOMES: tuple[str, ...] = ("正常", "未按规定公示", "通过登记的住所无法联系", "发现问题已责令改正")
DEFAULT_PENALTIES: tuple[str, ...] = (
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
)
OUTCOME_LABELS_EN: dict[str, str] = {
    "正常": "normal",
    "未按规定公示": "did not disclose as required",
    "通过登记的住所无法联系": "unreachable at the registered address",
    "发现问题已责令改正": "problems found, ordered to correct",
}
PENALTY_LABELS_EN: dict[str, str] = {
    "警告": "warning",
    "通报批评": "public criticism",
    "罚款": "fine",
    "没收违法所得": "confiscation of illegal gains",
    "没收非法财物": "confiscation of illegal property",
    "暂扣许可证件": "suspension of licence",
    "降低资质等级": "downgrading of qualification",
    "吊销许可证件": "revocation of licence",
    "限制开展生产经营活动": "restriction of business activities",
    "责令停产停业": "order to suspend production or business",
    "责令关闭": "order to close",
    "限制从业": "restriction from practice",
}
_KEYS = (
    "deadline_working_days",
    "weekend",
    "non_working_days",
    "extra_working_days",
    "outcomes",
    "penalties",
    "utc_offset",
)
DEFAULT_UTC_OFFSET = "+08:00"
_OFFSET = re.compile(r"([+-])([0-9]{2}):([0-9]{2})\Z")


def _dates(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InputError(f"plan key 'publication.{key}': expected a list of dates (YYYY-MM-DD)")
    what = f"plan key 'publication.{key}'"
    days = sorted({parse_date(v, what, allow_time=True) for v in value})
    return tuple(d.isoformat() for d in days)


def _labels(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InputError(f"plan key 'publication.{key}': expected a list of names")
    out = tuple(value)
    for v in out:
        if not isinstance(v, str) or not v.strip() or v != v.strip():
            raise InputError(
                f"plan key 'publication.{key}': {v!r} is not a name (non-empty text without "
                "surrounding spaces)"
            )
    if len(set(out)) != len(out):
        dup = next(v for v in out if out.count(v) > 1)
        raise InputError(f"plan key 'publication.{key}': {dup!r} is listed twice")
    return out


def offset_tz(text: Any, what: str = "plan key 'publication.utc_offset'") -> _dt.timezone:
    """The fixed time zone of an RFC 3339 offset ``+HH:MM`` / ``-HH:MM`` (at most 23:59)."""
    return _offset_tz(text, what) if isinstance(text, str) else _bad_offset(text, what)


def _bad_offset(text: Any, what: str) -> _dt.timezone:
    raise InputError(
        f"{what}: {text!r} is not a UTC offset; write it as +HH:MM or -HH:MM, e.g. '+08:00' "
        "(Beijing time) or '+00:00' (UTC)"
    )


@functools.lru_cache(maxsize=64)  # a campaign asks for its zone once per result row
def _offset_tz(text: str, what: str) -> _dt.timezone:
    m = _OFFSET.match(text)
    if m is None or int(m.group(2)) > 23 or int(m.group(3)) > 59:
        return _bad_offset(text, what)
    delta = _dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
    return _dt.timezone(-delta if m.group(1) == "-" else delta)


@attrs.frozen
class Publication:
    """A plan's publication rules; see the module docstring. Dates are ISO strings."""

    deadline_working_days: int = DEFAULT_DEADLINE_WORKING_DAYS
    weekend: tuple[int, ...] = (6, 7)
    non_working_days: tuple[str, ...] = ()
    extra_working_days: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = DEFAULT_OUTCOMES
    penalties: tuple[str, ...] = DEFAULT_PENALTIES
    utc_offset: str = DEFAULT_UTC_OFFSET

    @property
    def tz(self) -> _dt.timezone:
        """The publication time zone: which calendar day a record's time falls on."""
        return offset_tz(self.utc_offset)

    def day(self, moment: _dt.date | _dt.datetime) -> _dt.date:
        """The calendar day of ``moment`` in the publication time zone (a date is itself)."""
        if isinstance(moment, _dt.datetime):
            return moment.astimezone(self.tz).date()
        return moment

    @classmethod
    def from_dict(cls, d: Any) -> Publication:
        if not isinstance(d, Mapping):
            raise InputError(
                f"plan key 'publication': expected a mapping, got {type(d).__name__}"
            )
        for k in d:
            if k not in _KEYS:
                hint = difflib.get_close_matches(str(k), _KEYS, n=1)
                extra = f"; did you mean {hint[0]!r}?" if hint else f"; allowed keys are {list(_KEYS)}"
                raise InputError(f"plan key 'publication.{k}': unknown key{extra}")
        n = d.get("deadline_working_days", DEFAULT_DEADLINE_WORKING_DAYS)
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 3660:
            raise InputError(
                f"plan key 'publication.deadline_working_days': expected a whole number of "
                f"working days in 0..3660, got {n!r}"
            )
        weekend = d.get("weekend", [6, 7])
        if (
            isinstance(weekend, (str, bytes))
            or not isinstance(weekend, Iterable)
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in weekend)
        ):
            raise InputError(
                "plan key 'publication.weekend': expected a list of ISO weekdays (1 = Monday … "
                f"7 = Sunday), got {weekend!r}"
            )
        days = tuple(sorted(set(weekend)))
        if any(not 1 <= x <= 7 for x in days) or len(days) == 7:
            raise InputError(
                "plan key 'publication.weekend': weekdays are 1 (Monday) … 7 (Sunday) and at "
                f"least one day must be a working day, got {weekend!r}"
            )
        non_working = _dates(d.get("non_working_days", []), "non_working_days")
        extra_days = _dates(d.get("extra_working_days", []), "extra_working_days")
        both = sorted(set(non_working) & set(extra_days))
        if both:
            raise InputError(
                f"plan key 'publication.extra_working_days': {both[0]} is also listed in "
                "non_working_days; a day is one or the other"
            )
        outcomes = _labels(d.get("outcomes", DEFAULT_OUTCOMES), "outcomes")
        if not outcomes:
            raise InputError("plan key 'publication.outcomes': at least one outcome is needed")
        penalties = _labels(d.get("penalties", DEFAULT_PENALTIES), "penalties")
        offset = d.get("utc_offset", DEFAULT_UTC_OFFSET)
        offset_tz(offset)
        return cls(n, days, non_working, extra_days, outcomes, penalties, offset)

    def to_dict(self) -> dict[str, Any]:
        return {
            "deadline_working_days": self.deadline_working_days,
            "weekend": list(self.weekend),
            "non_working_days": list(self.non_working_days),
            "extra_working_days": list(self.extra_working_days),
            "outcomes": list(self.outcomes),
            "penalties": list(self.penalties),
            "utc_offset": self.utc_offset,
        }

    # -- the working-day calendar -------------------------------------------------------------
    def is_working_day(self, day: _dt.date) -> bool:
        """Extra working days always work; otherwise weekends and holidays do not."""
        iso = day.isoformat()
        if iso in self.extra_working_days:
            return True
        return day.isoweekday() not in self.weekend and iso not in self.non_working_days

    def add_working_days(self, day: _dt.date, n: int) -> _dt.date:
        """The n-th working day after ``day`` (``day`` itself not counted; n = 0 gives ``day``)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        out = day
        while n:
            out += _dt.timedelta(days=1)
            if self.is_working_day(out):
                n -= 1
        return out

    def deadline(self, concluded: _dt.date) -> _dt.date:
        """The last day on which a result concluded on ``concluded`` may be published."""
        return self.add_working_days(concluded, self.deadline_working_days)

    def check_outcome(self, outcome: Any, where: str) -> str:
        """``outcome`` if it is in the configured set, else an InputError listing the set."""
        if not isinstance(outcome, str) or outcome not in self.outcomes:
            raise InputError(
                f"{where}: outcome {outcome!r} is not one of the plan's outcomes "
                f"{list(self.outcomes)}"
            )
        return outcome

    def check_penalties(self, penalties: Any, where: str) -> tuple[str, ...]:
        """The penalties as a tuple (``None`` or one name allowed), each from the configured set."""
        if penalties is None:
            return ()
        items = [penalties] if isinstance(penalties, str) else penalties
        if isinstance(items, bytes) or not isinstance(items, Iterable):
            raise InputError(f"{where}: penalties {penalties!r} are not a name or a list of names")
        out = tuple(items)
        for p in out:
            if not isinstance(p, str) or p not in self.penalties:
                raise InputError(
                    f"{where}: penalty {p!r} is not one of the plan's penalties "
                    f"{list(self.penalties)}"
                )
        if len(set(out)) != len(out):
            raise InputError(f"{where}: a penalty is listed twice in {list(out)}")
        return out
