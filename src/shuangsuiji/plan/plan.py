"""The plan (一单一细则): what is drawn, from whom, how many, and with what risk targeting.

A plan is published before the seed exists, so it round-trips through plain dicts and JSON
(``Plan.from_dict`` / ``Plan.to_dict``) and validation is strict: an unknown key, a rate outside
[0, 1], a general (一般) task above the plan's cap, or any malformed value is an
:class:`~shuangsuiji.errors.InputError` naming the task and the key. A typo is never ignored.
The schema is documented in docs/guide-plans.md and docs/spec.md §5.

:class:`Task` and :class:`Plan` are here; the parts of a task (:class:`Size`, :class:`Risk`,
:class:`Cooloff`, :class:`Team`, :class:`Match`) are in :mod:`.parts` and re-exported.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from ..errors import InputError
from .checks import check_keys, check_rate, where_key
from .parts import DEFAULT_OFFICERS, Cooloff, Match, Risk, Size, Team
from .publication_rules import Publication
from .year import YearRules

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
    "check_year_departments",
]

DEFAULT_GENERAL_MAX_RATE = 0.10


def _items(v: Any, task: str) -> tuple[str, ...]:
    if (
        isinstance(v, str)
        or not isinstance(v, Sequence)
        or not v
        or not all(isinstance(x, str) and x.strip() for x in v)
    ):
        raise InputError(
            f"{where_key(task, 'items')}: expected a non-empty list of the items to check (抽查事项), "
            f"got {v!r}"
        )
    if len(set(v)) != len(v):
        raise InputError(f"{where_key(task, 'items')}: an item is listed twice")
    return tuple(v)


def _where_from_dict(d: Any, task: str) -> tuple[tuple[str, tuple[Any, ...], bool], ...]:
    if not isinstance(d, Mapping):
        raise InputError(f"{where_key(task, 'where')}: expected a mapping of column to value(s)")
    out = []
    for col, v in d.items():
        if isinstance(v, (list, tuple)):
            if not v:
                raise InputError(
                    f"{where_key(task, 'where.' + str(col))}: empty list matches nothing"
                )
            out.append((str(col), tuple(v), True))
        elif isinstance(v, (str, int, float, bool)):
            out.append((str(col), (v,), False))
        else:
            raise InputError(
                f"{where_key(task, 'where.' + str(col))}: expected a value or a list, got {v!r}"
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
    # the initiating department (who draws the targets), for the year rules (docs/spec.md §11)
    department: str | None = None

    KEYS = (
        "name",
        "kind",
        "where",
        "strata",
        "size",
        "risk",
        "cooloff",
        "namespace",
        "team",
        "items",
        "department",
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
        check_keys(d, cls.KEYS, name if valid_name else f"tasks[{index}]", "")
        if not isinstance(name, str) or not valid_name:
            raise InputError(f"tasks[{index}], key 'name': every task needs a non-empty name")
        kind = d.get("kind", "key")
        if kind not in ("key", "general"):
            raise InputError(
                f"{where_key(name, 'kind')}: {kind!r} is not 'key' (重点) or 'general' (一般)"
            )
        strata = d.get("strata", [])
        if (
            isinstance(strata, str)
            or not isinstance(strata, Sequence)
            or not all(isinstance(s, str) and s for s in strata)
        ):
            raise InputError(f"{where_key(name, 'strata')}: expected a list of column names")
        if len(set(strata)) != len(strata):
            raise InputError(f"{where_key(name, 'strata')}: a column is listed twice in {strata!r}")
        risk = Risk.from_dict(d["risk"], name) if "risk" in d else None
        size = Size.from_dict(d["size"], name) if "size" in d else None
        if risk is not None and risk.column in strata and risk.mode == "rates":
            raise InputError(
                f"{where_key(name, 'risk.column')}: {risk.column!r} is already a stratum; class rates "
                "make it one"
            )
        if size is None and not (risk is not None and risk.mode == "rates"):
            raise InputError(f"{where_key(name, 'size')}: missing; say how many to draw")
        class_rates = risk is not None and risk.mode == "rates"
        if class_rates and size is not None and (size.mode != "rate" or size.rate is not None):
            raise InputError(
                f"{where_key(name, 'size')}: with risk class rates the classes set the rates; size "
                "may only give 'rounding' and 'minimum', e.g. {'minimum': 2, 'rounding': 'random'}"
            )
        if not class_rates and size is not None and size.mode == "rate" and size.rate is None:
            raise InputError(f"{where_key(name, 'size.rate')}: missing; give the sampling rate")
        ns = d.get("namespace")
        if ns is not None and (not isinstance(ns, str) or not ns):
            raise InputError(f"{where_key(name, 'namespace')}: expected a non-empty string")
        dep = d.get("department")
        if dep is not None and (not isinstance(dep, str) or not dep.strip() or dep != dep.strip()):
            raise InputError(f"{where_key(name, 'department')}: expected a department's name")
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
            department=dep,
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
        if self.department is not None:
            out["department"] = self.department
        return out

    @property
    def departments(self) -> tuple[str, ...]:
        """The departments taking part in the task: the initiating one, then the team's (each
        draws its own officers), without repeats."""
        first = () if self.department is None else (self.department,)
        rest = tuple(d for d in self.team_rules.departments if d not in first)
        return first + rest

    @property
    def team_rules(self) -> Team:
        """The task's team rules, or the default ``Team()`` when the plan gives none."""
        return self.team if self.team is not None else Team()

    def declared_rates(self) -> list[tuple[str, float]]:
        """Every rate the task declares, with its key (for the general-task cap)."""
        out: list[tuple[str, float]] = []
        class_rates = self.risk is not None and self.risk.mode == "rates"
        if (
            self.size is not None
            and self.size.mode == "rate"
            and self.size.rate is not None
            and (not class_rates)
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
    # the year rules: only in the first batch's plan (docs/spec.md §11)
    year: YearRules | None = attrs.field(default=None, kw_only=True)

    KEYS = ("name", "tasks", "general_max_rate", "publication", "year")

    def task(self, name: str) -> Task:
        for t in self.tasks:
            if t.name == name:
                return t
        raise InputError(f"no task named {name!r}; tasks are {[t.name for t in self.tasks]}")

    @classmethod
    def from_dict(cls, d: Any) -> Plan:
        """Validate and build a plan; see the module docstring for what is refused."""
        check_keys(d, cls.KEYS, None, "")
        name = d.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputError("plan key 'name': the plan needs a non-empty name")
        tasks_in = d.get("tasks")
        if not isinstance(tasks_in, Sequence) or isinstance(tasks_in, str) or not tasks_in:
            raise InputError("plan key 'tasks': expected a non-empty list of tasks")
        cap = check_rate(
            d.get("general_max_rate", DEFAULT_GENERAL_MAX_RATE), None, "general_max_rate"
        )
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
                            f"{where_key(t.name, key)}: rate {r:g} exceeds general_max_rate "
                            f"{cap:g} for a general (一般) task; lower it or make the task 'key'"
                        )
        publication = Publication.from_dict(d.get("publication", {}))
        year = YearRules.from_dict(d["year"]) if "year" in d else None
        if year is not None:
            check_year_departments(tasks, year)
        return cls(name=name, tasks=tasks, general_max_rate=cap, publication=publication, year=year)

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain JSON-ready data; ``Plan.from_dict(p.to_dict()) == p``."""
        out: dict[str, Any] = {
            "name": self.name,
            "general_max_rate": self.general_max_rate,
            "tasks": [t.to_dict() for t in self.tasks],
        }
        if self.publication != Publication():  # the defaults stay implicit, as before
            out["publication"] = self.publication.to_dict()
        if self.year is not None:
            out["year"] = self.year.to_dict()
        return out

    @classmethod
    def from_json(cls, text: str) -> Plan:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"plan JSON is not valid: {exc}") from None
        return cls.from_dict(data)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def check_year_departments(tasks: Sequence[Task], rules: YearRules) -> None:
    """Every department a task names (its own and its team's) is one of the year's; under a
    per-department cap every task names its initiating department."""
    known = set(rules.departments)
    for t in tasks:
        if known:
            for key, names in (
                ("department", (t.department,)),
                ("team.departments", t.team_rules.departments),
            ):
                for d in names:
                    if d is not None and d not in known:
                        raise InputError(
                            f"{where_key(t.name, key)}: {d!r} is not one of the year's "
                            f"departments {list(rules.departments)}"
                        )
        if rules.cap is not None and rules.cap.scope == "department" and t.department is None:
            raise InputError(
                f"{where_key(t.name, 'department')}: missing; under a per-department cap every "
                "task names the department that draws it"
            )


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
