"""Small steps the writer (:class:`~.campaign.Campaign`) shares between creating a log and
committing a later batch: the record time, the new file, and the checks of the registries and
of the declared randomness (docs/spec.md §10.1, §10.4).
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from typing import Any

from .._util.times import before, parse_moment
from ..errors import InputError, LogError
from ..log.logfile import Log
from ..log.records import Record
from ..randomness.declared import Randomness
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets

__all__ = ["before_known", "check_registries", "declaration", "moment", "new_log", "now"]


def now(tz: _dt.tzinfo = _dt.timezone.utc) -> _dt.datetime:
    """The clock, to the second, in ``tz`` (a campaign passes its publication time zone): the
    default time of a record (never used by replay)."""
    return _dt.datetime.now(tz).replace(microsecond=0)


def moment(time: Any, what: str = "time", tz: _dt.tzinfo = _dt.timezone.utc) -> _dt.datetime:
    """The time of a record ``Campaign`` writes: an aware date-time from ``time`` (None = the
    clock). A bare date is refused here, because a record is made at an instant; a log written
    otherwise may hold one, and reading it (:func:`parse_moment`) accepts every §9.1 form."""
    if time is None:
        return now(tz)
    m = parse_moment(time, what)
    if not isinstance(m, _dt.datetime):
        raise InputError(f"{what}: {time!r} is a date; give a date-time with a UTC offset")
    return m



def new_log(
    path: str | os.PathLike[str], body: Mapping[str, Any], t: _dt.datetime
) -> tuple[Log, Record]:
    """Create the log at ``path`` and write the commitment ``body``; a failed call leaves no
    file behind (and refuses a path that exists)."""
    try:
        log = Log.create(path)
    except LogError:
        if not os.path.exists(path):
            raise
        raise LogError(
            f"{os.fspath(path)} already exists: a campaign log is created once. Continue it "
            "with Campaign.open(path, targets, inspectors), or choose a new path"
        ) from None
    try:
        rec = log.append("commitment", body, time=t)
    except BaseException:
        log.close()
        os.unlink(path)  # the empty file this call created: a failed call leaves nothing
        raise
    return log, rec

def check_registries(targets: Any, inspectors: Any) -> None:
    if not isinstance(targets, Targets):
        raise InputError(f"targets must be shuangsuiji.Targets, got {type(targets).__name__}")
    if not isinstance(inspectors, Inspectors):
        raise InputError(
            f"inspectors must be shuangsuiji.Inspectors, got {type(inspectors).__name__}"
        )


def declaration(randomness: Any) -> Randomness:
    decl = Randomness.undeclared() if randomness is None else randomness
    if not isinstance(decl, Randomness):
        raise InputError(
            f"randomness must be a shuangsuiji.Randomness declaration, got {type(decl).__name__}"
        )
    return decl


def before_known(t: _dt.datetime, decl: Randomness, tz: _dt.tzinfo, what: str) -> None:
    """Refuse a commitment at ``t`` that would not come before the declared randomness is
    known (docs/spec.md §10.4)."""
    known = decl.known_after_moment
    if known is not None and not before(t, known, tz):
        raise InputError(
            f"{what} at {t.isoformat()} would not come before the declared "
            f"randomness is known ({decl.known_after}); declare sources that become known "
            "later"
        )
