"""The parts of a plan's task: :class:`Size` (how many), :class:`Risk` (risk targeting),
:class:`Cooloff` (recently inspected targets left out), :class:`Team` and :class:`Match` (who
inspects, the second random). Each is validated strictly by its ``from_dict`` and written back
by ``to_dict``; the schema is in docs/guide-plans.md and docs/spec.md §5.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from .._util.times import parse_date
from ..errors import InputError
from .checks import check_count, check_keys, check_rate, check_weight, label_map, where_key

__all__ = [
    "DEFAULT_OFFICERS",
    "Allocation",
    "Cooloff",
    "Match",
    "Risk",
    "Rounding",
    "Size",
    "Team",
]


Rounding = Literal["ceil", "round", "random"]
Allocation = Literal["proportional", "equal", "neyman"]


# -- value classes --------------------------------------------------------------------------------
@attrs.frozen
class Size:
    """How many to draw per stratum: exactly one of rate, total, per_stratum or census."""

    mode: Literal["rate", "total", "per_stratum", "census"]
    rate: float | None = None
    rounding: Rounding = "ceil"
    minimum: int = 0
    total: int | None = None
    allocation: Allocation = "proportional"
    anticipated: tuple[tuple[str, float], ...] = ()
    per_stratum: tuple[tuple[str, int], ...] = ()

    @classmethod
    def from_dict(cls, d: Any, task: str) -> Size:
        """A task's ``size``: the mode is told by its key (census, rate, total, per_stratum)."""
        if isinstance(d, Mapping) and "census" in d:
            check_keys(d, ["census"], task, "size")
            if d["census"] is not True:
                raise InputError(
                    f"{where_key(task, 'size.census')}: must be true, got {d['census']!r}"
                )
            return cls("census")
        if isinstance(d, Mapping) and ("rate" in d or (d and set(d) <= {"minimum", "rounding"})):
            # without "rate": only rounding and minimum, for tasks whose risk classes set the rates
            check_keys(d, ["rate", "minimum", "rounding"], task, "size")
            rounding = d.get("rounding", "ceil")
            if rounding not in ("ceil", "round", "random"):
                raise InputError(
                    f"{where_key(task, 'size.rounding')}: {rounding!r} is not one of "
                    "'ceil', 'round', 'random'"
                )
            return cls(
                "rate",
                rate=check_rate(d["rate"], task, "size.rate") if "rate" in d else None,
                rounding=rounding,
                minimum=check_count(d.get("minimum", 0), task, "size.minimum"),
            )
        if isinstance(d, Mapping) and "total" in d:
            return cls._total_from_dict(d, task)
        if isinstance(d, Mapping) and "per_stratum" in d:
            check_keys(d, ["per_stratum"], task, "size")
            return cls(
                "per_stratum",
                per_stratum=label_map(d["per_stratum"], task, "size.per_stratum", check_count),
            )
        if isinstance(d, Mapping):
            check_keys(d, ["rate", "total", "per_stratum", "census"], task, "size")
        raise InputError(
            f"{where_key(task, 'size')}: give one of 'rate', 'total', 'per_stratum' or 'census'"
        )

    @classmethod
    def _total_from_dict(cls, d: Mapping[str, Any], task: str) -> Size:
        """A total split over the strata (``allocation``); Neyman needs ``anticipated`` rates."""
        check_keys(d, ["total", "allocation", "minimum", "anticipated"], task, "size")
        alloc = d.get("allocation", "proportional")
        if alloc not in ("proportional", "equal", "neyman"):
            raise InputError(
                f"{where_key(task, 'size.allocation')}: {alloc!r} is not one of "
                "'proportional', 'equal', 'neyman'"
            )
        anticipated: tuple[tuple[str, float], ...] = ()
        if alloc == "neyman":
            if "anticipated" not in d:
                raise InputError(
                    f"{where_key(task, 'size.anticipated')}: Neyman allocation needs the "
                    "anticipated violation rate of each stratum, e.g. {'石家庄': 0.1, ...}"
                )
            anticipated = label_map(d["anticipated"], task, "size.anticipated", check_rate)
        elif "anticipated" in d:
            raise InputError(
                f"{where_key(task, 'size.anticipated')}: only used with allocation 'neyman'"
            )
        return cls(
            "total",
            total=check_count(d["total"], task, "size.total"),
            allocation=alloc,
            minimum=check_count(d.get("minimum", 0), task, "size.minimum"),
            anticipated=anticipated,
        )

    def to_dict(self) -> dict[str, Any]:
        if self.mode == "census":
            return {"census": True}
        if self.mode == "rate":
            out_r: dict[str, Any] = {"minimum": self.minimum, "rounding": self.rounding}
            if self.rate is not None:
                out_r["rate"] = self.rate
            return out_r
        if self.mode == "total":
            out: dict[str, Any] = {
                "total": self.total,
                "allocation": self.allocation,
                "minimum": self.minimum,
            }
            if self.anticipated:
                out["anticipated"] = dict(self.anticipated)
            return out
        return {"per_stratum": dict(self.per_stratum)}


@attrs.frozen
class Risk:
    """Risk targeting: class rates (class = extra stratum), class weights, or a weight column."""

    column: str
    rates: tuple[tuple[str, float], ...] = ()
    weights: tuple[tuple[str, float], ...] = ()

    @property
    def mode(self) -> Literal["rates", "weights", "column"]:
        return "rates" if self.rates else "weights" if self.weights else "column"

    @classmethod
    def from_dict(cls, d: Any, task: str) -> Risk:
        check_keys(d, ["column", "rates", "weights"], task, "risk")
        col = d.get("column")
        if not isinstance(col, str) or not col:
            raise InputError(f"{where_key(task, 'risk.column')}: give the risk column name")
        if "rates" in d and "weights" in d:
            raise InputError(f"{where_key(task, 'risk')}: give 'rates' or 'weights', not both")
        rates = label_map(d["rates"], task, "risk.rates", check_rate) if "rates" in d else ()
        weights = (
            label_map(d["weights"], task, "risk.weights", check_weight) if "weights" in d else ()
        )
        return cls(col, rates, weights)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"column": self.column}
        if self.rates:
            out["rates"] = dict(self.rates)
        if self.weights:
            out["weights"] = dict(self.weights)
        return out


@attrs.frozen
class Cooloff:
    """Leave out targets inspected within ``days`` before ``as_of`` (a date from the plan)."""

    column: str
    days: int
    as_of: str

    @property
    def cutoff(self) -> _dt.date:
        """Targets last inspected after this date are left out."""
        return _dt.date.fromisoformat(self.as_of) - _dt.timedelta(days=self.days)

    @classmethod
    def from_dict(cls, d: Any, task: str) -> Cooloff:
        check_keys(d, ["column", "days", "as_of"], task, "cooloff")
        for k in ("column", "days", "as_of"):
            if k not in d:
                raise InputError(f"{where_key(task, 'cooloff.' + k)}: missing")
        col = d["column"]
        if not isinstance(col, str) or not col:
            raise InputError(f"{where_key(task, 'cooloff.column')}: give the date column name")
        as_of = _iso(d["as_of"], task, "cooloff.as_of")
        out = cls(col, check_count(d["days"], task, "cooloff.days"), as_of)
        try:
            out.cutoff  # noqa: B018 - computed now so an impossible date fails at plan time
        except OverflowError:
            raise InputError(
                f"{where_key(task, 'cooloff.days')}: {d['days']} days before {as_of} is before year 1"
            ) from None
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "days": self.days, "as_of": self.as_of}


DEFAULT_OFFICERS = 2  # the rules: at least two officers per inspection


@attrs.frozen
class Match:
    """Qualification matching: officers hold the target's value in ``column`` as a qualification.

    ``who`` is ``"all"`` (every officer on the team) or ``"any"`` (at least one).
    """

    column: str
    who: Literal["all", "any"] = "all"

    @classmethod
    def from_dict(cls, d: Any, task: str) -> Match:
        check_keys(d, ["column", "who"], task, "team.match")
        col = d.get("column")
        if not isinstance(col, str) or not col:
            raise InputError(
                f"{where_key(task, 'team.match.column')}: give the target column holding the field, "
                "e.g. 'field'"
            )
        who = d.get("who", "all")
        if who not in ("all", "any"):
            raise InputError(
                f"{where_key(task, 'team.match.who')}: {who!r} is not 'all' (every officer qualified) "
                "or 'any' (at least one)"
            )
        return cls(col, who)

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "who": self.who}


def _iso(v: Any, task: str | None, key: str) -> str:
    return parse_date(v, where_key(task, key)).isoformat()


@attrs.frozen
class Team:
    """Who inspects a drawn target (the second random): team size and rules (docs/spec.md §8).

    ``officers`` (>= 2, the rules require two) and ``experts`` (>= 0, advisers from the expert
    pool, never counted as officers); ``match``: qualification matching on a target column;
    ``cross_region``: officers from a region other than the target's, whose region is in the
    target column ``region_column``; ``departments``: a joint inspection, each listed unit
    supplies at least one officer; ``rotation_days``: nobody inspects a target they inspected in
    the ``rotation_days`` before ``as_of`` (a date the plan states, never the clock).
    A task without ``team`` gets ``Team()``: two officers, no other rule.
    """

    officers: int = DEFAULT_OFFICERS
    experts: int = 0
    match: Match | None = None
    cross_region: bool = False
    region_column: str = "region"
    departments: tuple[str, ...] = ()
    rotation_days: int = 0
    as_of: str | None = None

    KEYS = (
        "officers",
        "experts",
        "match",
        "cross_region",
        "region_column",
        "departments",
        "rotation_days",
        "as_of",
    )

    @classmethod
    def from_dict(cls, d: Any, task: str) -> Team:
        check_keys(d, cls.KEYS, task, "team")
        officers = d.get("officers", DEFAULT_OFFICERS)
        if isinstance(officers, bool) or not isinstance(officers, int) or officers < 2:
            raise InputError(
                f"{where_key(task, 'team.officers')}: {officers!r}; the rules require at least 2 "
                "officers per inspection"
            )
        experts = check_count(d.get("experts", 0), task, "team.experts")
        match = Match.from_dict(d["match"], task) if "match" in d else None
        if experts and match is None:
            raise InputError(
                f"{where_key(task, 'team.experts')}: experts are matched by field; give team.match, "
                "e.g. {'column': 'field'}"
            )
        cross = d.get("cross_region", False)
        if not isinstance(cross, bool):
            raise InputError(f"{where_key(task, 'team.cross_region')}: expected true or false")
        region_column = d.get("region_column", "region")
        if not isinstance(region_column, str) or not region_column:
            raise InputError(
                f"{where_key(task, 'team.region_column')}: give the target column holding the region"
            )
        deps = d.get("departments", [])
        if (
            isinstance(deps, str)
            or not isinstance(deps, Sequence)
            or not all(isinstance(x, str) and x.strip() == x and x for x in deps)
        ):
            raise InputError(
                f"{where_key(task, 'team.departments')}: expected a list of unit names, got {deps!r}"
            )
        if len(set(deps)) != len(deps):
            raise InputError(f"{where_key(task, 'team.departments')}: a unit is listed twice")
        if len(deps) > officers:
            raise InputError(
                f"{where_key(task, 'team.departments')}: {len(deps)} departments each supply an "
                f"officer, but team.officers is {officers}; raise it to {len(deps)}"
            )
        rotation = check_count(d.get("rotation_days", 0), task, "team.rotation_days")
        as_of = d.get("as_of")
        if rotation and as_of is None:
            raise InputError(
                f"{where_key(task, 'team.as_of')}: missing; rotation counts back from a date the "
                "plan states, e.g. '2026-03-01'"
            )
        if as_of is not None:
            if not rotation:
                raise InputError(f"{where_key(task, 'team.as_of')}: only used with rotation_days")
            _iso(as_of, task, "team.as_of")
            try:
                _dt.date.fromisoformat(as_of) - _dt.timedelta(days=rotation)
            except OverflowError:
                raise InputError(
                    f"{where_key(task, 'team.rotation_days')}: {rotation} days before {as_of} is "
                    "before year 1"
                ) from None
        return cls(officers, experts, match, cross, region_column, tuple(deps), rotation, as_of)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"officers": self.officers, "experts": self.experts}
        if self.match is not None:
            out["match"] = self.match.to_dict()
        out["cross_region"] = self.cross_region
        out["region_column"] = self.region_column
        out["departments"] = list(self.departments)
        out["rotation_days"] = self.rotation_days
        if self.as_of is not None:
            out["as_of"] = self.as_of
        return out

    @property
    def rotation_cutoff(self) -> _dt.date | None:
        """Inspections after this date bar an inspector (None without rotation)."""
        if not self.rotation_days or self.as_of is None:
            return None
        return _dt.date.fromisoformat(self.as_of) - _dt.timedelta(days=self.rotation_days)
