"""The plan (一单一细则): what is drawn, from whom, how many, and with what risk targeting.

A plan is published before the seed exists, so it round-trips through plain dicts and JSON
(``Plan.from_dict`` / ``Plan.to_dict``) and validation is strict: an unknown key, a rate outside
[0, 1], a general (一般) task above the plan's cap, or any malformed value is an
:class:`~shuangsuiji.errors.InputError` naming the task and the key. A typo is never ignored.
The schema is documented in docs/guide-plans.md and docs/spec.md §5.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from .._util.times import parse_date
from ..errors import InputError
from .publication_rules import Publication

__all__ = [
    "DEFAULT_GENERAL_MAX_RATE",
    "DEFAULT_OFFICERS",
    "Cooloff",
    "Match",
    "Plan",
    "Risk",
    "Size",
    "Task",
    "Team",
    "as_plan",
]

DEFAULT_GENERAL_MAX_RATE = 0.10

Rounding = Literal["ceil", "round", "random"]
Allocation = Literal["proportional", "equal", "neyman"]


# -- small validation helpers ---------------------------------------------------------------------
def _where(task: str | None, key: str) -> str:
    return f"task {task!r}, key {key!r}" if task is not None else f"plan key {key!r}"


def _check_keys(obj: Any, allowed: Sequence[str], task: str | None, ctx: str) -> Mapping[str, Any]:
    if not isinstance(obj, Mapping):
        raise InputError(f"{_where(task, ctx)}: expected a mapping, got {type(obj).__name__}")
    for k in obj:
        if k not in allowed:
            hint = difflib.get_close_matches(str(k), allowed, n=1)
            extra = f"; did you mean {hint[0]!r}?" if hint else f"; allowed keys are {list(allowed)}"
            name = f"{ctx}.{k}" if ctx else str(k)
            raise InputError(f"{_where(task, name)}: unknown key{extra}")
    return obj


def _rate(v: Any, task: str | None, key: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise InputError(f"{_where(task, key)}: rate must be a number in [0, 1], got {v!r}")
    f = float(v)
    if not (0.0 <= f <= 1.0):
        raise InputError(f"{_where(task, key)}: rate {v!r} is outside [0, 1]")
    return f


def _count(v: Any, task: str | None, key: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise InputError(f"{_where(task, key)}: expected a whole number >= 0, got {v!r}")
    return int(v)


def _weight(v: Any, task: str | None, key: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
        raise InputError(f"{_where(task, key)}: weight must be a finite number >= 0, got {v!r}")
    return float(v)


def _label_map(
    obj: Any, task: str, key: str, value: Any
) -> tuple[tuple[str, Any], ...]:
    if not isinstance(obj, Mapping) or not obj:
        raise InputError(f"{_where(task, key)}: expected a non-empty mapping")
    return tuple((str(k), value(v, task, f"{key}.{k}")) for k, v in obj.items())


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
        if isinstance(d, Mapping) and "census" in d:
            _check_keys(d, ["census"], task, "size")
            if d["census"] is not True:
                raise InputError(f"{_where(task, 'size.census')}: must be true, got {d['census']!r}")
            return cls("census")
        if isinstance(d, Mapping) and ("rate" in d or (d and set(d) <= {"minimum", "rounding"})):
            # without "rate": only rounding and minimum, for tasks whose risk classes set the rates
            _check_keys(d, ["rate", "minimum", "rounding"], task, "size")
            rounding = d.get("rounding", "ceil")
            if rounding not in ("ceil", "round", "random"):
                raise InputError(
                    f"{_where(task, 'size.rounding')}: {rounding!r} is not one of "
                    "'ceil', 'round', 'random'"
                )
            return cls(
                "rate",
                rate=_rate(d["rate"], task, "size.rate") if "rate" in d else None,
                rounding=rounding,
                minimum=_count(d.get("minimum", 0), task, "size.minimum"),
            )
        if isinstance(d, Mapping) and "total" in d:
            _check_keys(d, ["total", "allocation", "minimum", "anticipated"], task, "size")
            alloc = d.get("allocation", "proportional")
            if alloc not in ("proportional", "equal", "neyman"):
                raise InputError(
                    f"{_where(task, 'size.allocation')}: {alloc!r} is not one of "
                    "'proportional', 'equal', 'neyman'"
                )
            anticipated: tuple[tuple[str, float], ...] = ()
            if alloc == "neyman":
                if "anticipated" not in d:
                    raise InputError(
                        f"{_where(task, 'size.anticipated')}: Neyman allocation needs the "
                        "anticipated violation rate of each stratum, e.g. {'石家庄': 0.1, ...}"
                    )
                anticipated = _label_map(d["anticipated"], task, "size.anticipated", _rate)
            elif "anticipated" in d:
                raise InputError(
                    f"{_where(task, 'size.anticipated')}: only used with allocation 'neyman'"
                )
            return cls(
                "total",
                total=_count(d["total"], task, "size.total"),
                allocation=alloc,
                minimum=_count(d.get("minimum", 0), task, "size.minimum"),
                anticipated=anticipated,
            )
        if isinstance(d, Mapping) and "per_stratum" in d:
            _check_keys(d, ["per_stratum"], task, "size")
            return cls("per_stratum", per_stratum=_label_map(
                d["per_stratum"], task, "size.per_stratum", _count))
        if isinstance(d, Mapping):
            _check_keys(d, ["rate", "total", "per_stratum", "census"], task, "size")
        raise InputError(
            f"{_where(task, 'size')}: give one of 'rate', 'total', 'per_stratum' or 'census'"
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
                "total": self.total, "allocation": self.allocation, "minimum": self.minimum
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
        _check_keys(d, ["column", "rates", "weights"], task, "risk")
        col = d.get("column")
        if not isinstance(col, str) or not col:
            raise InputError(f"{_where(task, 'risk.column')}: give the risk column name")
        if "rates" in d and "weights" in d:
            raise InputError(f"{_where(task, 'risk')}: give 'rates' or 'weights', not both")
        rates = _label_map(d["rates"], task, "risk.rates", _rate) if "rates" in d else ()
        weights = _label_map(d["weights"], task, "risk.weights", _weight) if "weights" in d else ()
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
        _check_keys(d, ["column", "days", "as_of"], task, "cooloff")
        for k in ("column", "days", "as_of"):
            if k not in d:
                raise InputError(f"{_where(task, 'cooloff.' + k)}: missing")
        col = d["column"]
        if not isinstance(col, str) or not col:
            raise InputError(f"{_where(task, 'cooloff.column')}: give the date column name")
        as_of = _iso(d["as_of"], task, "cooloff.as_of")
        out = cls(col, _count(d["days"], task, "cooloff.days"), as_of)
        try:
            out.cutoff  # noqa: B018 - computed now so an impossible date fails at plan time
        except OverflowError:
            raise InputError(
                f"{_where(task, 'cooloff.days')}: {d['days']} days before {as_of} is before year 1"
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
        _check_keys(d, ["column", "who"], task, "team.match")
        col = d.get("column")
        if not isinstance(col, str) or not col:
            raise InputError(
                f"{_where(task, 'team.match.column')}: give the target column holding the field, "
                "e.g. 'field'"
            )
        who = d.get("who", "all")
        if who not in ("all", "any"):
            raise InputError(
                f"{_where(task, 'team.match.who')}: {who!r} is not 'all' (every officer qualified) "
                "or 'any' (at least one)"
            )
        return cls(col, who)

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "who": self.who}


def _iso(v: Any, task: str | None, key: str) -> str:
    return parse_date(v, _where(task, key)).isoformat()


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
        _check_keys(d, cls.KEYS, task, "team")
        officers = d.get("officers", DEFAULT_OFFICERS)
        if isinstance(officers, bool) or not isinstance(officers, int) or officers < 2:
            raise InputError(
                f"{_where(task, 'team.officers')}: {officers!r}; the rules require at least 2 "
                "officers per inspection"
            )
        experts = _count(d.get("experts", 0), task, "team.experts")
        match = Match.from_dict(d["match"], task) if "match" in d else None
        if experts and match is None:
            raise InputError(
                f"{_where(task, 'team.experts')}: experts are matched by field; give team.match, "
                "e.g. {'column': 'field'}"
            )
        cross = d.get("cross_region", False)
        if not isinstance(cross, bool):
            raise InputError(f"{_where(task, 'team.cross_region')}: expected true or false")
        region_column = d.get("region_column", "region")
        if not isinstance(region_column, str) or not region_column:
            raise InputError(
                f"{_where(task, 'team.region_column')}: give the target column holding the region"
            )
        deps = d.get("departments", [])
        if isinstance(deps, str) or not isinstance(deps, Sequence) or not all(
            isinstance(x, str) and x.strip() == x and x for x in deps
        ):
            raise InputError(
                f"{_where(task, 'team.departments')}: expected a list of unit names, got {deps!r}"
            )
        if len(set(deps)) != len(deps):
            raise InputError(f"{_where(task, 'team.departments')}: a unit is listed twice")
        if len(deps) > officers:
            raise InputError(
                f"{_where(task, 'team.departments')}: {len(deps)} departments each supply an "
                f"officer, but team.officers is {officers}; raise it to {len(deps)}"
            )
        rotation = _count(d.get("rotation_days", 0), task, "team.rotation_days")
        as_of = d.get("as_of")
        if rotation and as_of is None:
            raise InputError(
                f"{_where(task, 'team.as_of')}: missing; rotation counts back from a date the "
                "plan states, e.g. '2026-03-01'"
            )
        if as_of is not None:
            if not rotation:
                raise InputError(f"{_where(task, 'team.as_of')}: only used with rotation_days")
            _iso(as_of, task, "team.as_of")
            try:
                _dt.date.fromisoformat(as_of) - _dt.timedelta(days=rotation)
            except OverflowError:
                raise InputError(
                    f"{_where(task, 'team.rotation_days')}: {rotation} days before {as_of} is "
                    "before year 1"
                ) from None
        return cls(
            officers, experts, match, cross, region_column, tuple(deps), rotation, as_of
        )

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


def _items(v: Any, task: str) -> tuple[str, ...]:
    if isinstance(v, str) or not isinstance(v, Sequence) or not v or not all(
        isinstance(x, str) and x.strip() for x in v
    ):
        raise InputError(
            f"{_where(task, 'items')}: expected a non-empty list of the items to check (抽查事项), "
            f"got {v!r}"
        )
    if len(set(v)) != len(v):
        raise InputError(f"{_where(task, 'items')}: an item is listed twice")
    return tuple(v)



def _where_from_dict(d: Any, task: str) -> tuple[tuple[str, tuple[Any, ...], bool], ...]:
    if not isinstance(d, Mapping):
        raise InputError(f"{_where(task, 'where')}: expected a mapping of column to value(s)")
    out = []
    for col, v in d.items():
        if isinstance(v, (list, tuple)):
            if not v:
                raise InputError(f"{_where(task, 'where.' + str(col))}: empty list matches nothing")
            out.append((str(col), tuple(v), True))
        elif isinstance(v, (str, int, float, bool)):
            out.append((str(col), (v,), False))
        else:
            raise InputError(
                f"{_where(task, 'where.' + str(col))}: expected a value or a list, got {v!r}"
            )
    return tuple(out)


@attrs.frozen
class Task:
    """One matter of the checklist (抽查事项), drawn independently in its own PRN namespace."""

    name: str
    kind: Literal["key", "general"] = "key"
    where: tuple[tuple[str, tuple[Any, ...], bool], ...] = ()
    strata: tuple[str, ...] = ()
    size: Size | None = None
    risk: Risk | None = None
    cooloff: Cooloff | None = None
    namespace: str | None = None
    # the second random: team rules (None: Team(), two officers) and the checklist items (双清单)
    team: Team | None = None
    items: tuple[str, ...] = ()

    KEYS = (
        "name", "kind", "where", "strata", "size", "risk", "cooloff", "namespace", "team", "items"
    )

    @property
    def prn_namespace(self) -> str:
        """The PRN namespace: the task's name unless shared on purpose to coordinate draws."""
        return self.namespace if self.namespace is not None else self.name

    @classmethod
    def from_dict(cls, d: Any, index: int) -> Task:
        if not isinstance(d, Mapping):
            raise InputError(f"tasks[{index}]: expected a mapping, got {type(d).__name__}")
        name = d.get("name")
        valid_name = isinstance(name, str) and bool(name.strip())
        _check_keys(d, cls.KEYS, name if valid_name else f"tasks[{index}]", "")
        if not isinstance(name, str) or not valid_name:
            raise InputError(f"tasks[{index}], key 'name': every task needs a non-empty name")
        kind = d.get("kind", "key")
        if kind not in ("key", "general"):
            raise InputError(f"{_where(name, 'kind')}: {kind!r} is not 'key' (重点) or 'general' (一般)")
        strata = d.get("strata", [])
        if isinstance(strata, str) or not isinstance(strata, Sequence) or not all(
            isinstance(s, str) and s for s in strata
        ):
            raise InputError(f"{_where(name, 'strata')}: expected a list of column names")
        if len(set(strata)) != len(strata):
            raise InputError(f"{_where(name, 'strata')}: a column is listed twice in {strata!r}")
        risk = Risk.from_dict(d["risk"], name) if "risk" in d else None
        size = Size.from_dict(d["size"], name) if "size" in d else None
        if risk is not None and risk.column in strata and risk.mode == "rates":
            raise InputError(
                f"{_where(name, 'risk.column')}: {risk.column!r} is already a stratum; class rates "
                "make it one"
            )
        if size is None and not (risk is not None and risk.mode == "rates"):
            raise InputError(f"{_where(name, 'size')}: missing; say how many to draw")
        class_rates = risk is not None and risk.mode == "rates"
        if class_rates and size is not None and (size.mode != "rate" or size.rate is not None):
            raise InputError(
                f"{_where(name, 'size')}: with risk class rates the classes set the rates; size "
                "may only give 'rounding' and 'minimum', e.g. {'minimum': 2, 'rounding': 'random'}"
            )
        if not class_rates and size is not None and size.mode == "rate" and size.rate is None:
            raise InputError(f"{_where(name, 'size.rate')}: missing; give the sampling rate")
        ns = d.get("namespace")
        if ns is not None and (not isinstance(ns, str) or not ns):
            raise InputError(f"{_where(name, 'namespace')}: expected a non-empty string")
        return cls(
            name=name,
            kind=kind,
            where=_where_from_dict(d.get("where", {}), name),
            strata=tuple(strata),
            size=size,
            risk=risk,
            cooloff=Cooloff.from_dict(d["cooloff"], name) if "cooloff" in d else None,
            namespace=ns,
            team=Team.from_dict(d["team"], name) if "team" in d else None,
            items=_items(d["items"], name) if "items" in d else (),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.where:
            out["where"] = {c: (list(v) if is_list else v[0]) for c, v, is_list in self.where}
        if self.strata:
            out["strata"] = list(self.strata)
        if self.size is not None:
            out["size"] = self.size.to_dict()
        if self.risk is not None:
            out["risk"] = self.risk.to_dict()
        if self.cooloff is not None:
            out["cooloff"] = self.cooloff.to_dict()
        if self.namespace is not None:
            out["namespace"] = self.namespace
        if self.team is not None:
            out["team"] = self.team.to_dict()
        if self.items:
            out["items"] = list(self.items)
        return out

    @property
    def team_rules(self) -> Team:
        """The task's team rules, or the default ``Team()`` when the plan gives none."""
        return self.team if self.team is not None else Team()

    def declared_rates(self) -> list[tuple[str, float]]:
        """Every rate the task declares, with its key (for the general-task cap)."""
        out: list[tuple[str, float]] = []
        class_rates = self.risk is not None and self.risk.mode == "rates"
        if self.size is not None and self.size.mode == "rate" and self.size.rate is not None and (
            not class_rates
        ):
            out.append(("size.rate", self.size.rate))
        if self.risk is not None:
            out += [(f"risk.rates.{k}", r) for k, r in self.risk.rates]
        if self.size is not None and self.size.mode == "census":
            out.append(("size.census", 1.0))
        return out


@attrs.frozen
class Plan:
    """A named list of tasks plus plan-wide rules (the cap on general tasks' rates)."""

    name: str
    tasks: tuple[Task, ...]
    general_max_rate: float = DEFAULT_GENERAL_MAX_RATE
    # publication rules (outcomes, penalties, deadline): see shuangsuiji.plan.publication_rules
    publication: Publication = attrs.field(factory=Publication, kw_only=True)

    KEYS = ("name", "tasks", "general_max_rate", "publication")

    def task(self, name: str) -> Task:
        for t in self.tasks:
            if t.name == name:
                return t
        raise InputError(f"no task named {name!r}; tasks are {[t.name for t in self.tasks]}")

    @classmethod
    def from_dict(cls, d: Any) -> Plan:
        """Validate and build a plan; see the module docstring for what is refused."""
        _check_keys(d, cls.KEYS, None, "")
        name = d.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputError("plan key 'name': the plan needs a non-empty name")
        tasks_in = d.get("tasks")
        if not isinstance(tasks_in, Sequence) or isinstance(tasks_in, str) or not tasks_in:
            raise InputError("plan key 'tasks': expected a non-empty list of tasks")
        cap = _rate(d.get("general_max_rate", DEFAULT_GENERAL_MAX_RATE), None, "general_max_rate")
        tasks = tuple(Task.from_dict(t, i) for i, t in enumerate(tasks_in))
        seen: set[str] = set()
        for t in tasks:
            if t.name in seen:
                raise InputError(f"task {t.name!r}, key 'name': two tasks have this name")
            seen.add(t.name)
            if t.kind == "general":
                for key, r in t.declared_rates():
                    if r > cap:
                        raise InputError(
                            f"{_where(t.name, key)}: rate {r:g} exceeds general_max_rate "
                            f"{cap:g} for a general (一般) task; lower it or make the task 'key'"
                        )
        publication = Publication.from_dict(d.get("publication", {}))
        return cls(name=name, tasks=tasks, general_max_rate=cap, publication=publication)

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain JSON-ready data; ``Plan.from_dict(p.to_dict()) == p``."""
        out: dict[str, Any] = {
            "name": self.name,
            "general_max_rate": self.general_max_rate,
            "tasks": [t.to_dict() for t in self.tasks],
        }
        if self.publication != Publication():  # the defaults stay implicit, as before
            out["publication"] = self.publication.to_dict()
        return out

    @classmethod
    def from_json(cls, text: str) -> Plan:
        import json

        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"plan JSON is not valid: {exc}") from None
        return cls.from_dict(data)

    def to_json(self) -> str:
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def as_plan(plan: Plan | Mapping[str, Any]) -> Plan:
    """A validated :class:`Plan` from a Plan or a plan dict: the entry check of draw, assign
    and Campaign.

    A Plan built by hand skips :meth:`Plan.from_dict`'s checks, so it takes the dict round trip
    too: every public entry point sees a plan that the published schema accepts.
    """
    if isinstance(plan, Plan):
        return Plan.from_dict(plan.to_dict())
    if isinstance(plan, Mapping):
        return Plan.from_dict(plan)
    raise InputError(f"plan must be a Plan or a plan dict, got {type(plan).__name__}")

