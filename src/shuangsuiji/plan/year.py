"""The year rules (docs/spec.md §11.1): fixed in the first batch's plan, published with it, and
in force for every batch of the year's log.

::

    "year": {
      "departments": ["市场监管局", "生态环境局"],
      "cap": {"per_year": 2, "scope": "all", "directed": true},
      "spread": {"days": 180, "factor": 0.25, "except": {"column": "credit", "values": ["D"]}},
      "coverage": {"years": 3, "factor": 4},
      "officer_cap": {"per_year": 40}
    }

- ``departments``: the departments taking part. A task names its initiating department
  (``department``, who draws the targets); a joint task's cooperating departments are its
  team's ``departments`` (each supplies its own officers). Departments are inspector units.
- ``cap``: at most ``per_year`` inspections of one enterprise in the year, across all
  departments (``scope: "all"``) or per department (``"department"``); directed checks count
  unless ``directed`` is false. An enterprise at its cap has π = 0 in later batches.
- ``spread`` (negative coordination, burden spreading): an enterprise inspected in the last
  ``days`` days has its weight multiplied by ``factor`` (0 = cool-off: π = 0), unless its value in
  ``except.column`` is one of ``except.values`` ("不免抽": such classes are never spared).
- ``coverage`` (全覆盖 over a cycle): an enterprise not inspected in the last ``years`` years
  gets weight × ``factor`` (>= 1), or is drawn with certainty (``"certain": true``).
- ``officer_cap``: at most ``per_year`` visits per officer in the year (with each officer's own
  registry capacity per batch).

Every key is optional, but the rules must say something; unknown keys, bad values and
contradictions (a per-department cap without departments, ``factor`` and ``certain`` together)
are InputErrors naming the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from ..errors import InputError
from .checks import check_keys, check_rate

__all__ = ["Cap", "Coverage", "Spread", "YearRules"]

_WHERE = "year"


def _key(key: str) -> str:
    return f"plan key 'year.{key}'"


def _whole(v: Any, key: str, low: int = 1) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < low:
        raise InputError(f"{_key(key)}: expected a whole number >= {low}, got {v!r}")
    return int(v)


def _names(v: Any, key: str) -> tuple[str, ...]:
    if isinstance(v, (str, bytes)) or not isinstance(v, Sequence) or not v:
        raise InputError(f"{_key(key)}: expected a non-empty list of names")
    out = tuple(v)
    for x in out:
        if not isinstance(x, str) or not x.strip() or x != x.strip():
            raise InputError(f"{_key(key)}: {x!r} is not a name (non-empty text, no outer spaces)")
    if len(set(out)) != len(out):
        dup = next(x for x in out if out.count(x) > 1)
        raise InputError(f"{_key(key)}: {dup!r} is listed twice")
    return out


def _mapping(v: Any, allowed: Sequence[str], key: str) -> Mapping[str, Any]:
    return check_keys(v, allowed, None, f"year.{key}")


@attrs.frozen
class Cap:
    """At most ``per_year`` inspections of one enterprise per year."""

    per_year: int
    scope: Literal["all", "department"] = "all"
    directed: bool = True  # directed checks count against the cap

    @classmethod
    def from_dict(cls, d: Any) -> Cap:
        _mapping(d, ["per_year", "scope", "directed"], "cap")
        if "per_year" not in d:
            raise InputError(f"{_key('cap.per_year')}: missing; say how many inspections a year")
        scope = d.get("scope", "all")
        if scope not in ("all", "department"):
            raise InputError(
                f"{_key('cap.scope')}: {scope!r} is not 'all' (across departments) or "
                "'department' (per department)"
            )
        directed = d.get("directed", True)
        if not isinstance(directed, bool):
            raise InputError(f"{_key('cap.directed')}: expected true or false, got {directed!r}")
        return cls(_whole(d["per_year"], "cap.per_year"), scope, directed)

    def to_dict(self) -> dict[str, Any]:
        return {"per_year": self.per_year, "scope": self.scope, "directed": self.directed}


@attrs.frozen
class Spread:
    """Weight × ``factor`` for an enterprise inspected in the last ``days`` days, except the
    values ``except_values`` of column ``except_column``."""

    days: int
    factor: float
    except_column: str | None = None
    except_values: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: Any) -> Spread:
        _mapping(d, ["days", "factor", "except"], "spread")
        for k in ("days", "factor"):
            if k not in d:
                raise InputError(f"{_key('spread.' + k)}: missing")
        factor = check_rate(d["factor"], None, "year.spread.factor")
        column: str | None = None
        values: tuple[str, ...] = ()
        if "except" in d:
            e = _mapping(d["except"], ["column", "values"], "spread.except")
            column = e.get("column")
            if not isinstance(column, str) or not column:
                raise InputError(f"{_key('spread.except.column')}: give the class column's name")
            values = _names(e.get("values"), "spread.except.values")
            if factor == 1:
                raise InputError(
                    f"{_key('spread.except')}: with factor 1 nobody is spared, so an exception "
                    "changes nothing; lower the factor or drop 'except'"
                )
        return cls(_whole(d["days"], "spread.days"), factor, column, values)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"days": self.days, "factor": self.factor}
        if self.except_column is not None:
            out["except"] = {"column": self.except_column, "values": list(self.except_values)}
        return out


@attrs.frozen
class Coverage:
    """Weight × ``factor`` (or certainty) for an enterprise not inspected in ``years`` years."""

    years: int
    factor: float | None = None  # None: certain
    certain: bool = False

    @classmethod
    def from_dict(cls, d: Any) -> Coverage:
        _mapping(d, ["years", "factor", "certain"], "coverage")
        if "years" not in d:
            raise InputError(f"{_key('coverage.years')}: missing; say how long a cycle is")
        certain = d.get("certain", False)
        if not isinstance(certain, bool):
            raise InputError(f"{_key('coverage.certain')}: expected true or false, got {certain!r}")
        if certain == ("factor" in d):
            raise InputError(
                f"{_key('coverage')}: give 'factor' (weight × factor) or 'certain': true, "
                "exactly one of them"
            )
        factor = None
        if not certain:
            f = d["factor"]
            if isinstance(f, bool) or not isinstance(f, (int, float)) or not math.isfinite(f):
                raise InputError(f"{_key('coverage.factor')}: expected a number >= 1, got {f!r}")
            if f < 1:
                raise InputError(
                    f"{_key('coverage.factor')}: {f!r} is below 1; coverage raises the weight of "
                    "the long uninspected (use 'spread' to lower weights)"
                )
            factor = float(f)
        return cls(_whole(d["years"], "coverage.years"), factor, certain)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"years": self.years}
        if self.certain:
            out["certain"] = True
        else:
            out["factor"] = self.factor
        return out


@attrs.frozen
class YearRules:
    """The rules of the year; see the module docstring."""

    departments: tuple[str, ...] = ()
    cap: Cap | None = None
    spread: Spread | None = None
    coverage: Coverage | None = None
    officer_cap: int | None = None

    KEYS = ("departments", "cap", "spread", "coverage", "officer_cap")

    @classmethod
    def from_dict(cls, d: Any) -> YearRules:
        check_keys(d, cls.KEYS, None, _WHERE)
        if not d:
            raise InputError(
                f"plan key {_WHERE!r}: empty; give at least one of {list(cls.KEYS)}, or leave "
                "the key out"
            )
        departments = _names(d["departments"], "departments") if "departments" in d else ()
        cap = Cap.from_dict(d["cap"]) if "cap" in d else None
        if cap is not None and cap.scope == "department" and not departments:
            raise InputError(
                f"{_key('cap.scope')}: a per-department cap needs the departments: give "
                "'year.departments'"
            )
        officer_cap = None
        if "officer_cap" in d:
            oc = _mapping(d["officer_cap"], ["per_year"], "officer_cap")
            if "per_year" not in oc:
                raise InputError(f"{_key('officer_cap.per_year')}: missing")
            officer_cap = _whole(oc["per_year"], "officer_cap.per_year")
        return cls(
            departments=departments,
            cap=cap,
            spread=Spread.from_dict(d["spread"]) if "spread" in d else None,
            coverage=Coverage.from_dict(d["coverage"]) if "coverage" in d else None,
            officer_cap=officer_cap,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.departments:
            out["departments"] = list(self.departments)
        if self.cap is not None:
            out["cap"] = self.cap.to_dict()
        if self.spread is not None:
            out["spread"] = self.spread.to_dict()
        if self.coverage is not None:
            out["coverage"] = self.coverage.to_dict()
        if self.officer_cap is not None:
            out["officer_cap"] = {"per_year": self.officer_cap}
        return out
