"""Publication rules: the plan's 'publication' key, outcomes, penalties and working-day deadlines.

The deadline arithmetic is checked three ways: hand-worked calendar cases (a Chinese National Day
week with its make-up working days), numpy's business-day functions where the calendar has no
make-up days, and a slow day-by-day count (hypothesis).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji.plan.publication_rules import DEFAULT_OUTCOMES, DEFAULT_PENALTIES, Publication

# 2026 National Day holiday (illustrative): 1–7 October off, Sunday 27 September and Saturday
# 10 October are working days (调休).
GOLDEN_WEEK = {
    "non_working_days": [f"2026-10-0{d}" for d in range(1, 8)],
    "extra_working_days": ["2026-09-27", "2026-10-10"],
}


def _names(*fragments: str) -> str:
    return "(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments)


def _plan(**publication: Any) -> dict[str, Any]:
    return {
        "name": "p",
        "tasks": [{"name": "t", "size": {"rate": 0.1}}],
        "publication": publication,
    }


def test_defaults() -> None:
    p = Publication()
    assert p.deadline_working_days == 20 and p.weekend == (6, 7)
    assert p.outcomes == DEFAULT_OUTCOMES == (
        "正常", "未按规定公示", "通过登记的住所无法联系", "发现问题已责令改正"
    )
    assert "罚款" in DEFAULT_PENALTIES
    plan = ss.Plan.from_dict({"name": "p", "tasks": [{"name": "t", "size": {"rate": 0.1}}]})
    assert plan.publication == p
    assert "publication" not in plan.to_dict()  # defaults stay implicit


def test_plan_round_trip_with_rules() -> None:
    d = _plan(deadline_working_days=5, weekend=[7], outcomes=["合格", "不合格"],
              penalties=["罚款"], **GOLDEN_WEEK)
    plan = ss.Plan.from_dict(d)
    assert plan.publication.deadline_working_days == 5
    assert plan.publication.outcomes == ("合格", "不合格")
    again = ss.Plan.from_dict(plan.to_dict())
    assert again == plan
    assert plan.to_dict()["publication"]["non_working_days"][0] == "2026-10-01"


def _working_days_between(p: Publication, start: dt.date, end: dt.date) -> int:
    """Working days in (start, end], counted day by day; 0 when ``end`` is not after ``start``."""
    days = range(1, (end - start).days + 1)
    return sum(p.is_working_day(start + dt.timedelta(days=k)) for k in days)


def test_golden_week_deadline() -> None:
    p = Publication.from_dict({"deadline_working_days": 3, **GOLDEN_WEEK})
    # concluded Friday 25 Sept: Sun 27 (make-up), Mon 28, Tue 29 -> due Tue 29 Sept
    assert p.deadline(dt.date(2026, 9, 25)) == dt.date(2026, 9, 29)
    # concluded Wed 30 Sept: 1-7 Oct off, Thu 8, Fri 9, Sat 10 (make-up) -> due Sat 10 Oct
    assert p.deadline(dt.date(2026, 9, 30)) == dt.date(2026, 10, 10)
    assert _working_days_between(p, dt.date(2026, 9, 30), dt.date(2026, 10, 10)) == 3
    assert _working_days_between(p, dt.date(2026, 10, 10), dt.date(2026, 9, 30)) == 0
    assert not p.is_working_day(dt.date(2026, 10, 5))
    assert p.is_working_day(dt.date(2026, 10, 10))
    assert Publication.from_dict({"deadline_working_days": 0}).deadline(dt.date(2026, 1, 3)) == (
        dt.date(2026, 1, 3)
    )
    with pytest.raises(ValueError):
        p.add_working_days(dt.date(2026, 1, 1), -1)


@settings(max_examples=60, deadline=None)
@given(
    st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)),
    st.integers(0, 45),
    st.sets(st.integers(1, 7), max_size=3),
    st.lists(st.dates(dt.date(2024, 1, 1), dt.date(2028, 3, 31)), max_size=15),
)
def test_deadline_matches_numpy_busday(
    day: dt.date, n: int, weekend: set[int], holidays: list[dt.date]
) -> None:
    p = Publication.from_dict({
        "deadline_working_days": n,
        "weekend": sorted(weekend),
        "non_working_days": [h.isoformat() for h in holidays],
    })
    mask = [0 if d in weekend else 1 for d in range(1, 8)]
    cal = np.busdaycalendar(weekmask=mask, holidays=[np.datetime64(h) for h in holidays])
    expected = np.busday_offset(np.datetime64(day), 0, roll="forward", busdaycal=cal)
    if n:
        expected = np.busday_offset(np.datetime64(day), n, roll="backward", busdaycal=cal)
    got = p.deadline(day)
    assert np.datetime64(got) == expected if n else got == day
    # the deadline is the first day by which n working days have passed
    assert _working_days_between(p, day, got) == n
    assert n == 0 or _working_days_between(p, day, got - dt.timedelta(days=1)) == n - 1


def test_checks_of_outcomes_and_penalties() -> None:
    p = Publication()
    assert p.check_outcome("正常", "here") == "正常"
    with pytest.raises(ss.InputError, match=_names("result 3", "'良好'", "正常")):
        p.check_outcome("良好", "result 3")
    assert p.check_penalties(None, "x") == ()
    assert p.check_penalties("罚款", "x") == ("罚款",)
    assert p.check_penalties(["警告", "罚款"], "x") == ("警告", "罚款")
    with pytest.raises(ss.InputError, match=_names("x", "'拘留'")):
        p.check_penalties(["警告", "拘留"], "x")
    with pytest.raises(ss.InputError, match=_names("x", "twice")):
        p.check_penalties(["警告", "警告"], "x")
    with pytest.raises(ss.InputError, match=_names("x", "not a name")):
        p.check_penalties(5, "x")


@pytest.mark.parametrize(
    ("publication", "fragments"),
    [
        ({"deadline_workingdays": 20}, ["publication.deadline_workingdays", "did you mean"]),
        ({"deadline_working_days": -1}, ["deadline_working_days", "-1"]),
        ({"deadline_working_days": 2.5}, ["deadline_working_days", "2.5"]),
        ({"deadline_working_days": True}, ["deadline_working_days", "True"]),
        ({"weekend": [0]}, ["weekend", "[0]"]),
        ({"weekend": list(range(1, 8))}, ["weekend", "at least one day"]),
        ({"weekend": "6,7"}, ["weekend", "'6,7'"]),
        ({"non_working_days": ["2026-02-30"]}, ["non_working_days", "2026-02-30"]),
        ({"non_working_days": "2026-10-01"}, ["non_working_days", "list of dates"]),
        ({"non_working_days": ["2026-10-01"], "extra_working_days": ["2026-10-01"]},
         ["extra_working_days", "2026-10-01", "non_working_days"]),
        ({"outcomes": []}, ["outcomes", "at least one"]),
        ({"outcomes": ["正常", "正常"]}, ["outcomes", "'正常'", "twice"]),
        ({"outcomes": [" 正常"]}, ["outcomes", "' 正常'"]),
        ({"penalties": "罚款"}, ["penalties", "list of names"]),
    ],
)
def test_publication_errors(publication: dict[str, Any], fragments: list[str]) -> None:
    with pytest.raises(ss.InputError, match=_names(*fragments)):
        ss.Plan.from_dict(_plan(**publication))


def test_publication_not_a_mapping() -> None:
    d = _plan()
    d["publication"] = [20]
    with pytest.raises(ss.InputError, match=_names("publication", "mapping", "list")):
        ss.Plan.from_dict(d)
