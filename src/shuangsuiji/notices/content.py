"""What each notice says: plain-data inputs in, a :class:`~.document.Document` out.

One builder per notice (plan, task, result). Each validates its inputs and raises
:class:`~shuangsuiji.errors.InputError` naming the record and key at fault. Row order is the
order of the inputs; nothing here reads the clock or sorts by anything but the inputs.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import InputError
from ..plan.publication_rules import (
    DEFAULT_OUTCOMES,
    DEFAULT_PENALTIES,
    OUTCOME_LABELS_EN,
    PENALTY_LABELS_EN,
)
from .describe import (
    cooloff_text,
    percent,
    risk_text,
    scope_text,
    size_text,
    strata_text,
    team_text,
    value_text,
)
from .document import Cell, Column, Document, Fact, Kind, Table
from .inputs import (
    as_data,
    get_int,
    get_number,
    get_probability,
    get_str,
    iso_date,
    records,
    require,
    str_list,
)
from .labels import column_label, label, label_or

__all__ = ["plan_document", "result_document", "task_document"]

# Keys of the fixed columns of the targets table; a registry display column may not reuse them.
_TARGET_KEYS = ("task", "stratum", "id", "pi", "prn")


def _col(lang: str, key: str, numeric: bool = False) -> Column:
    return Column(key, label(lang, f"col.{key}"), numeric)


def _cell(v: Any) -> Cell:
    """A registry value as a cell: text and numbers kept, anything else in words."""
    if v is None or isinstance(v, str) or (isinstance(v, (int, float)) and not isinstance(v, bool)):
        return v
    return value_text(v)


def _joined(lang: str, items: Iterable[str]) -> str:
    return label(lang, "list_sep").join(items)


def _header(
    kind: Kind, lang: str, plan_name: str | None, issuer: str | None, date: Any, title: str | None
) -> tuple[str, str | None, list[Fact]]:
    facts: list[Fact] = []
    if issuer is not None:
        if not isinstance(issuer, str) or not issuer.strip():
            raise InputError(f"issuer: expected the issuing body's name, got {issuer!r}")
        facts.append(Fact("issuer", label(lang, "issuer"), issuer))
    if date is not None:
        facts.append(Fact("date", label(lang, "date"), iso_date(date, "date")))
    if plan_name is not None:
        if not isinstance(plan_name, str) or not plan_name.strip():
            raise InputError(f"plan name: expected non-empty text, got {plan_name!r}")
        facts.append(Fact("plan", label(lang, "plan"), plan_name))
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise InputError(f"title: expected non-empty text, got {title!r}")
    return title or label(lang, f"title.{kind}"), plan_name, facts


def _target_index(targets: Any) -> dict[str, Mapping[str, Any]]:
    """Registry rows by ID: from ``{id: row}`` or from records with an ``id`` key."""
    if isinstance(targets, Mapping):
        out: dict[str, Mapping[str, Any]] = {}
        for k, row in targets.items():
            if not isinstance(row, Mapping):
                raise InputError(f"targets[{k!r}]: expected a mapping of column to value")
            out[str(k)] = row
        return out
    rows = records(targets, "targets")
    out = {}
    for i, row in enumerate(rows):
        out[get_str(row, "id", f"targets[{i}]")] = row
    return out


# -- plan ------------------------------------------------------------------------------------
def plan_document(
    plan: Any,
    summary: Any,
    *,
    registries: Mapping[str, Mapping[str, Any]] | None = None,
    randomness: Mapping[str, Any] | None = None,
    commitment: Mapping[str, Any] | None = None,
    issuer: str | None = None,
    date: Any = None,
    title: str | None = None,
    lang: str = "zh",
) -> Document:
    """The plan notice (抽查计划公告); see :func:`shuangsuiji.notices.plan_notice`."""
    plan = as_data(plan)
    if not isinstance(plan, Mapping):
        raise InputError(
            f"plan: expected the plan dict (Plan.to_dict()), got {type(plan).__name__}"
        )
    plan_name = get_str(plan, "name", "plan")
    tasks_in = records(require(plan, "tasks", "plan"), "plan tasks")
    heading, subtitle, facts = _header("plan", lang, plan_name, issuer, date, title)
    if "general_max_rate" in plan:
        rate = get_probability(plan, "general_max_rate", "plan")
        facts.append(Fact("general_max_rate", label(lang, "general_max_rate"), percent(rate)))
    if randomness is not None:
        facts.append(Fact("randomness", label(lang, "randomness"), _randomness(randomness, lang)))
    if plan.get("publication") is not None:
        facts += _publication_facts(plan["publication"], lang)
    if commitment is not None:
        facts.append(Fact("commitment", label(lang, "commitment"), _commitment(commitment, lang)))

    tables = [_tasks_table(tasks_in, lang)]
    if registries is not None:
        tables.append(_registries_table(registries, lang))
    tables.append(_strata_table(records(summary, "summary", "summary"), lang))
    return Document(
        "plan", lang, heading, subtitle, tuple(facts), tuple(tables), (label(lang, "note.plan"),)
    )


def _moment(v: Any, where: str) -> str:
    """A date or date-time as given (ISO text, or a date/datetime value)."""
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    if isinstance(v, str) and v.strip():
        return v.strip()
    raise InputError(f"{where}: expected an ISO date or date-time, got {v!r}")


def _randomness(r: Any, lang: str) -> str:
    """The declared source in words; ``r`` is ``Randomness.to_dict()`` (or the object)."""
    r = as_data(r)
    if not isinstance(r, Mapping):
        raise InputError(f"randomness: expected a mapping with 'kind', got {type(r).__name__}")
    kind = require(r, "kind", "randomness")
    description = r.get("description")
    if kind == "sources":
        listed = r.get("sources", description if not isinstance(description, str) else None)
        items = str_list(
            require({"sources": listed}, "sources", "randomness"), "randomness.sources"
        )
        if not isinstance(description, str):
            description = None
        if len(items) > 1:
            items = tuple(f"{i}. {s}" for i, s in enumerate(items, 1))
        parts = [label(lang, "randomness.sources", items=label(lang, "part_sep").join(items))]
    elif kind == "beacon":
        chain = get_str(r, "chain_hash", "randomness", "chain")
        parts = [
            label(lang, "randomness.beacon", chain=chain, round=get_int(r, "round", "randomness"))
        ]
    elif kind == "undeclared":
        parts = [label(lang, "randomness.undeclared")]
    else:
        raise InputError(
            f"randomness: kind {kind!r} is unknown; use 'sources', 'beacon' or 'undeclared'"
        )
    if r.get("known_after") is not None:
        date = _moment(r["known_after"], "randomness.known_after")
        parts.append(label(lang, "randomness.known_after", date=date))
    if description is not None:
        if not isinstance(description, str):
            raise InputError(f"randomness.description: expected text, got {description!r}")
        parts.insert(0, description)
    return label(lang, "part_sep").join(parts)


def _publication_facts(pub: Any, lang: str) -> list[Fact]:
    """The plan's publication rules (``plan["publication"]``) that a reader needs."""
    if not isinstance(pub, Mapping):
        raise InputError(f"plan key 'publication': expected a mapping, got {type(pub).__name__}")
    out = []
    if "deadline_working_days" in pub:
        n = get_int(pub, "deadline_working_days", "plan key 'publication'")
        out.append(Fact("deadline", label(lang, "deadline"), label(lang, "deadline.text", n=n)))
    for key, fact, names in (
        ("outcomes", "outcome_set", OUTCOME_LABELS_EN),
        ("penalties", "penalty_set", PENALTY_LABELS_EN),
    ):
        if key in pub:
            values = str_list(pub[key], f"plan key 'publication.{key}'")
            shown = values if lang == "zh" else tuple(names.get(v, v) for v in values)
            out.append(Fact(fact, label(lang, fact), _joined(lang, shown)))
    return out


def _commitment(c: Mapping[str, Any], lang: str) -> str:
    if not isinstance(c, Mapping):
        raise InputError(f"commitment: expected a mapping with 'seq', got {type(c).__name__}")
    seq = get_int(c, "seq", "commitment")
    if c.get("root") is None:
        return label(lang, "commitment.seq_only", seq=seq)
    return label(lang, "commitment.text", seq=seq, root=get_str(c, "root", "commitment"))


def _tasks_table(tasks: list[Mapping[str, Any]], lang: str) -> Table:
    optional = [
        ("risk", risk_text),
        ("cooloff", cooloff_text),
        ("team", team_text),
        ("items", lambda v, lg: _joined(lg, str_list(v, "task items"))),
    ]
    present = [(k, f) for k, f in optional if any(k in t for t in tasks)]
    columns = [_col(lang, k) for k in ("task", "kind", "scope", "strata", "size")]
    columns += [_col(lang, k) for k, _ in present]
    rows = []
    for i, t in enumerate(tasks):
        name = get_str(t, "name", f"plan tasks[{i}]")
        kind = t.get("kind", "key")
        row: list[Cell] = [
            name,
            label_or(lang, f"kind.{kind}", value_text(kind)),
            scope_text(t["where"], lang) if t.get("where") else label(lang, "scope.all"),
            strata_text(t["strata"], lang) if t.get("strata") else None,
            size_text(t["size"], lang) if "size" in t else _size_by_risk(t, lang),
        ]
        for k, f in present:
            try:
                row.append(f(t[k], lang) if t.get(k) is not None else None)
            except InputError as exc:
                raise InputError(f"plan task {name!r}, key {k!r}: {exc}") from None
        rows.append(tuple(row))
    return Table("tasks", label(lang, "table.tasks"), tuple(columns), tuple(rows))


def _size_by_risk(task: Mapping[str, Any], lang: str) -> str | None:
    risk = task.get("risk")
    return label(lang, "size.by_risk") if isinstance(risk, Mapping) and "rates" in risk else None


def _registries_table(registries: Mapping[str, Mapping[str, Any]], lang: str) -> Table:
    if not isinstance(registries, Mapping):
        raise InputError(
            "registries: expected {name: {'fingerprint': ..., 'size': ...}}, got "
            f"{type(registries).__name__}"
        )
    rows = []
    for name, reg in registries.items():
        where = f"registries[{name!r}]"
        if not isinstance(reg, Mapping):
            raise InputError(f"{where}: expected a mapping with 'fingerprint' and 'size'")
        shown = label_or(lang, f"registry.{name}", str(name))
        rows.append((shown, get_int(reg, "size", where), get_str(reg, "fingerprint", where)))
    columns = (_col(lang, "registry"), _col(lang, "records", True), _col(lang, "fingerprint"))
    return Table("registries", label(lang, "table.registries"), columns, tuple(rows))


def _sizes(v: Any, where: str) -> Cell:
    if isinstance(v, bool):
        raise InputError(f"{where}, key 'size': expected whole numbers, got {v!r}")
    if isinstance(v, int):
        return (v,)
    if isinstance(v, (list, tuple)) and all(
        isinstance(x, int) and not isinstance(x, bool) for x in v
    ):
        return tuple(v)
    raise InputError(f"{where}, key 'size': expected a list of whole numbers, got {v!r}")


def _strata_table(summary: list[Mapping[str, Any]], lang: str) -> Table:
    with_drawn = any(s.get("drawn") is not None for s in summary)
    keys = [
        "task",
        "stratum",
        "design",
        "population",
        "sample_size",
        "expected",
        "pi_min",
        "pi_max",
    ]
    numeric = {"population", "sample_size", "expected", "pi_min", "pi_max", "drawn"}
    keys += ["drawn"] if with_drawn else []
    rows = []
    for i, s in enumerate(summary):
        where = f"summary[{i}]"
        design = s.get("design")
        design_text: Cell = None
        if design is not None:
            design_text = label_or(lang, f"design.{design}", value_text(design))
        row: list[Cell] = [
            get_str(s, "task", where),
            get_str(s, "stratum", where),
            design_text,
            get_int(s, "population", where),
            _sizes(s["size"], where) if s.get("size") is not None else None,
            get_number(s, "expected", where),
            get_probability(s, "pi_min", where),
            get_probability(s, "pi_max", where),
        ]
        if with_drawn:
            row.append(get_int(s, "drawn", where) if s.get("drawn") is not None else None)
        rows.append(tuple(row))
    columns = tuple(_col(lang, k, k in numeric) for k in keys)
    return Table("strata", label(lang, "table.strata"), columns, tuple(rows))


# -- task ------------------------------------------------------------------------------------
def task_document(
    selection: Any,
    *,
    targets: Any = None,
    columns: Sequence[str] | None = None,
    column_labels: Mapping[str, str] | None = None,
    visits: Any = None,
    plan_name: str | None = None,
    seed: Any = None,
    issuer: str | None = None,
    date: Any = None,
    title: str | None = None,
    lang: str = "zh",
) -> Document:
    """The task notice (抽查任务公告); see :func:`shuangsuiji.notices.task_notice`."""
    sel = records(selection, "selection")
    index = _target_index(targets) if targets is not None else None
    columns = _display_columns(columns, index, column_labels)

    heading, subtitle, facts = _header("task", lang, plan_name, issuer, date, title)
    facts += _seed_facts(seed, lang)

    rows = []
    drawn: dict[str, list[str]] = {}  # id -> tasks, in first-appearance order
    for i, r in enumerate(sel):
        tid, task, row = _target_row(r, f"selection[{i}]", index, columns)
        rows.append(row)
        drawn.setdefault(tid, []).append(task)
    table_cols = [_col(lang, "task"), _col(lang, "stratum"), _col(lang, "id")]
    table_cols += [Column(c, column_label(lang, c, column_labels)) for c in columns]
    table_cols += [_col(lang, "pi", True), _col(lang, "prn", True)]
    tables = [Table("targets", label(lang, "table.targets"), tuple(table_cols), tuple(rows))]

    facts.append(Fact("drawn_targets", label(lang, "drawn_targets"), len(drawn)))
    facts.append(Fact("drawn_records", label(lang, "drawn_records"), len(rows)))
    if visits is not None:
        visit_list = records(visits, "visits", "visits")
        tables += _visit_tables(visit_list, drawn, index, lang)
        facts.append(Fact("visits", label(lang, "visits"), len(visit_list)))
    return Document(
        "task", lang, heading, subtitle, tuple(facts), tuple(tables), (label(lang, "note.task"),)
    )


def _display_columns(
    columns: Sequence[str] | None,
    index: Mapping[str, Mapping[str, Any]] | None,
    column_labels: Mapping[str, str] | None,
) -> Sequence[str]:
    """The registry columns the targets table shows, checked; by default the name if known."""
    if columns is None:
        columns = ("name",) if index is not None else ()
    if isinstance(columns, str) or not all(isinstance(c, str) and c for c in columns):
        raise InputError(f"columns: expected a list of registry column names, got {columns!r}")
    if len(set(columns)) != len(columns):
        raise InputError(f"columns: a column is listed twice in {list(columns)!r}")
    for c in columns:
        if c in _TARGET_KEYS:
            raise InputError(f"columns: {c!r} is already a column of the notice; leave it out")
    if columns and index is None:
        raise InputError(f"columns {list(columns)!r} need targets: pass the registry rows")
    if column_labels is not None and not isinstance(column_labels, Mapping):
        raise InputError("column_labels: expected a mapping of column name to label")
    return columns


def _target_row(
    r: Mapping[str, Any],
    where: str,
    index: Mapping[str, Mapping[str, Any]] | None,
    columns: Sequence[str],
) -> tuple[str, str, tuple[Cell, ...]]:
    """One selection record as (target id, task, row of the targets table)."""
    tid = get_str(r, "id", where)
    task = get_str(r, "task", where)
    row: list[Cell] = [task, get_str(r, "stratum", where, default=""), tid]
    if columns:
        assert index is not None
        target = index.get(tid)
        if target is None:
            raise InputError(f"{where}: target {tid!r} is not in targets; pass the registry rows")
        for c in columns:
            if c not in target:
                raise InputError(
                    f"targets[{tid!r}]: no column {c!r}; have {sorted(map(str, target))}"
                )
            row.append(_cell(target[c]))
    row.append(get_probability(r, "inclusion_probability", where))
    row.append(get_probability(r, "prn", where) if r.get("prn") is not None else None)
    return tid, task, tuple(row)


def _seed_facts(seed: Any, lang: str) -> list[Fact]:
    if seed is None:
        return []
    if isinstance(seed, str):
        seed = {"hex": seed}
    elif not isinstance(seed, Mapping) and hasattr(seed, "hex"):
        seed = {"hex": seed.hex, "key_string": getattr(seed, "key_string", None)}
    if not isinstance(seed, Mapping):
        raise InputError(
            f"seed: expected the seed's hex or {{'hex': ..., 'key_string': ...}}, got {seed!r}"
        )
    out = [Fact("seed", label(lang, "seed"), get_str(seed, "hex", "seed"))]
    if seed.get("key_string") is not None:
        out.append(
            Fact("seed_sources", label(lang, "seed_sources"), get_str(seed, "key_string", "seed"))
        )
    return out


def _visit_tables(
    visits: list[Mapping[str, Any]],
    drawn: Mapping[str, list[str]],
    index: Mapping[str, Mapping[str, Any]] | None,
    lang: str,
) -> list[Table]:
    visit_rows, team_rows = [], []
    seen: set[str] = set()
    for i, v in enumerate(visits):
        vid = get_str(v, "visit", f"visits[{i}]")
        where = f"visits[{i}] (visit {vid!r})"
        if vid in seen:
            raise InputError(f"{where}: visit {vid!r} is listed twice")
        seen.add(vid)
        tid = get_str(v, "target", where, "id")
        if tid not in drawn:
            raise InputError(f"{where}: target {tid!r} was not drawn; a visit needs a drawn target")
        name: Cell = None
        if index is not None and tid in index:
            name = _cell(index[tid].get("name"))
        elif v.get("name") is not None:
            name = get_str(v, "name", where)
        tasks = str_list(v["tasks"], f"{where}, key 'tasks'") if v.get("tasks") else drawn[tid]
        items = str_list(v["items"], f"{where}, key 'items'") if v.get("items") else ()
        visit_rows.append((vid, tid, name, _joined(lang, tasks), _joined(lang, items) or None))
        team = require(v, "team", where)
        if isinstance(team, (str, Mapping)) or not isinstance(team, Sequence) or not team:
            raise InputError(
                f"{where}, key 'team': expected a non-empty list of members; a visit without a "
                "team cannot be published"
            )
        for j, m in enumerate(team):
            mwhere = f"{where}, team[{j}]"
            if not isinstance(m, Mapping):
                raise InputError(f"{mwhere}: expected a mapping, got {type(m).__name__}")
            role = m.get("role", "officer")
            if role not in ("officer", "expert"):
                raise InputError(f"{mwhere}, key 'role': {role!r} is not 'officer' or 'expert'")
            certificate: Cell = (
                get_str(m, "certificate", mwhere)
                if role == "officer" or m.get("certificate") is not None
                else None
            )
            team_rows.append(
                (
                    vid,
                    label(lang, f"role.{role}"),
                    get_str(m, "unit", mwhere),
                    get_str(m, "name", mwhere),
                    certificate,
                )
            )
    vcols = tuple(_col(lang, k) for k in ("visit", "id", "name", "tasks", "items"))
    tcols = tuple(_col(lang, k) for k in ("visit", "role", "unit", "inspector_name", "certificate"))
    return [
        Table("visits", label(lang, "table.visits"), vcols, tuple(visit_rows)),
        Table("team", label(lang, "table.team"), tcols, tuple(team_rows)),
    ]


# -- result ----------------------------------------------------------------------------------
def value_set(
    values: Any, default: Sequence[str], english: Mapping[str, str], what: str
) -> dict[str, str]:
    """A configurable set (outcomes, penalties) as {stored value: English label}.

    ``values`` is ``None`` (the default set), a list (English labels from the built-in table,
    else the value itself) or a mapping {value: English label}.
    """
    if values is None:
        values = default
    if isinstance(values, Mapping):
        pairs = list(values.items())
    elif isinstance(values, Sequence) and not isinstance(values, str):
        pairs = [(v, english.get(v, v) if isinstance(v, str) else v) for v in values]
    else:
        raise InputError(f"{what}: expected a list or a mapping to English labels, got {values!r}")
    if not pairs:
        raise InputError(f"{what}: the set is empty; list the values a result may take")
    for k, en in pairs:
        if not isinstance(k, str) or not k or not isinstance(en, str) or not en:
            raise InputError(f"{what}: {k!r}: {en!r} is not a pair of non-empty texts")
    return dict(pairs)


def result_document(
    results: Any,
    *,
    targets: Any = None,
    outcomes: Any = None,
    penalties: Any = None,
    plan_name: str | None = None,
    issuer: str | None = None,
    date: Any = None,
    title: str | None = None,
    lang: str = "zh",
) -> Document:
    """The result notice (抽查结果公告); see :func:`shuangsuiji.notices.result_notice`."""
    res = records(results, "results")
    allowed = value_set(outcomes, DEFAULT_OUTCOMES, OUTCOME_LABELS_EN, "outcomes")
    kinds = value_set(penalties, DEFAULT_PENALTIES, PENALTY_LABELS_EN, "penalties")
    index = _target_index(targets) if targets is not None else None
    heading, subtitle, facts = _header("result", lang, plan_name, issuer, date, title)
    counts = dict.fromkeys(allowed, 0)
    rows = []
    for i, r in enumerate(res):
        outcome, row = _result_row(r, i, allowed, kinds, index, lang)
        counts[outcome] += 1
        rows.append(row)
    summary_cols = (_col(lang, "outcome"), _col(lang, "count", True))
    summary_rows = tuple((o if lang == "zh" else en, counts[o]) for o, en in allowed.items())
    cols = tuple(
        _col(lang, k)
        for k in ("id", "name", "task", "outcome", "penalties", "result_date", "detail")
    )
    facts.append(Fact("results", label(lang, "results"), len(rows)))
    tables = (
        Table("outcomes", label(lang, "table.outcomes"), summary_cols, summary_rows),
        Table("results", label(lang, "table.results"), cols, tuple(rows)),
    )
    notes = (label(lang, "note.result"),)
    return Document("result", lang, heading, subtitle, tuple(facts), tables, notes)


def _result_row(
    r: Mapping[str, Any],
    i: int,
    allowed: Mapping[str, str],
    kinds: Mapping[str, str],
    index: Mapping[str, Mapping[str, Any]] | None,
    lang: str,
) -> tuple[str, tuple[Cell, ...]]:
    """Result ``i`` checked against the outcome and penalty sets, as (outcome, table row)."""
    tid = get_str(r, "id", f"results[{i}]", "target", "target_id")
    where = f"results[{i}] (target {tid!r})"
    outcome = get_str(r, "outcome", where)
    if outcome not in allowed:
        raise InputError(
            f"{where}, key 'outcome': {outcome!r} is not in the outcome set {list(allowed)}; "
            "add it to outcomes= or correct the result"
        )
    given = r.get("penalties", r.get("penalty"))
    fines = str_list(given, f"{where}, key 'penalties'") if given else ()
    for p in fines:
        if p not in kinds:
            raise InputError(
                f"{where}, key 'penalties': {p!r} is not in the penalty set {list(kinds)}; "
                "add it to penalties= or correct the result"
            )
    name: Cell = None
    if r.get("name") is not None:
        name = get_str(r, "name", where)
    elif index is not None:
        if tid not in index:
            raise InputError(f"{where}: target {tid!r} is not in targets")
        name = _cell(index[tid].get("name"))
    row: tuple[Cell, ...] = (
        tid,
        name,
        get_str(r, "task", where) if r.get("task") is not None else None,
        outcome if lang == "zh" else allowed[outcome],
        _joined(lang, fines if lang == "zh" else [kinds[p] for p in fines]) or None,
        iso_date(r["date"], f"{where}, key 'date'") if r.get("date") is not None else None,
        get_str(r, "detail", where) if r.get("detail") else None,
    )
    return outcome, row
