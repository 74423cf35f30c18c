"""Hypothesis strategies for inspector registries; public as :mod:`shuangsuiji.strategies`.

Kept in their own module so that the registry strategies stay one concept each; import them from
``shuangsuiji.strategies`` (``inspector_records``, ``inspectors``, ``UNITS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from ..registry.inspectors import Inspectors
from .registries import FIELDS, REGIONS, pick_names

__all__ = ["LIST_STYLES", "UNITS", "inspector_records", "inspectors"]

UNITS: tuple[str, ...] = (
    "市场监督管理局",
    "生态环境厅",
    "住房和城乡建设厅",
    "交通运输厅",
    "药品监督管理局",
    "司法厅",
)
"""Unit (department) names :func:`inspector_records` draws from (the first ``units`` of them)."""

LIST_STYLES: tuple[str, ...] = ("list", "string")

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"
_ID_ALPHABET = "0123456789ABCDEFXYZ-_甲乙"


def _list_cell(items: list[str], style: str, draw: st.DrawFn) -> Any:
    """The same entries as a list or as a ';'/'；'-separated string with random spacing."""
    if style == "list":
        return items
    if not items:
        return draw(st.sampled_from(["", None]))
    sep = draw(st.sampled_from([";", "；", "; ", " ；"]))
    return sep.join(items)


@attrs.frozen
class _RowSpec:
    """What :func:`inspector_records` draws each row's cells from, and which optional columns
    it writes."""

    field_names: list[str]
    region_names: list[str]
    unit_names: list[str]
    styles: tuple[str, ...]
    names: st.SearchStrategy[str]
    conflict_ids: st.SearchStrategy[str]
    capacity: bool
    conflicts: bool  # write a conflicts column
    active: bool


def _row_spec(
    fields: int | Sequence[str],
    regions: int | Sequence[str],
    units: int | Sequence[str],
    capacity: bool,
    conflicts: bool | Sequence[str],
    active: bool,
    list_style: str | None,
) -> _RowSpec:
    """The cells' strategies from :func:`inspector_records`' options (checked here)."""
    if list_style is not None and list_style not in LIST_STYLES:
        raise ValueError(f"list_style must be one of {LIST_STYLES} or None, got {list_style!r}")
    field_names = pick_names(fields, FIELDS, "fields")
    region_names = pick_names(regions, REGIONS, "regions")
    unit_names = pick_names(units, UNITS, "units")
    target_ids = None if isinstance(conflicts, bool) else [str(x) for x in conflicts]
    if target_ids is not None and not target_ids:
        raise ValueError("conflicts: give target IDs, or True/False")
    styles = LIST_STYLES if list_style is None else (list_style,)
    conflict_ids = (
        st.sampled_from(target_ids)
        if target_ids
        else st.text("0123456789ABCDEFGHJKLMN", min_size=1, max_size=18)
    )
    names = st.builds(
        lambda s, g: s + g,
        st.sampled_from(_SURNAMES),
        st.text(_GIVEN, min_size=1, max_size=2),
    )
    return _RowSpec(
        field_names, region_names, unit_names, styles, names, conflict_ids,
        capacity, conflicts is not False, active,
    )


def _inspector_row(
    draw: st.DrawFn, spec: _RowSpec, k: int, person: str, expert: bool
) -> dict[str, Any]:
    """Row ``k`` of the registry, for ID ``person``."""
    quals = draw(st.lists(st.sampled_from(spec.field_names), max_size=3, unique=True))
    row: dict[str, Any] = {
        "id": person,
        "name": draw(spec.names),
        "unit": draw(st.sampled_from(spec.unit_names)),
        "region": draw(st.sampled_from(spec.region_names)),
        "qualifications": _list_cell(quals, draw(st.sampled_from(spec.styles)), draw),
        "role": "expert" if expert else "officer",
        "certificate": None if expert else f"冀执{k:06d}",
    }
    if spec.capacity:
        row["capacity"] = draw(st.one_of(st.none(), st.integers(0, 5)))
    if spec.conflicts:
        cs = draw(st.lists(spec.conflict_ids, max_size=3, unique=True))
        row["conflicts"] = _list_cell(cs, draw(st.sampled_from(spec.styles)), draw)
    if spec.active:
        row["active"] = draw(st.integers(0, 5)) > 0
    return row


def inspector_records(
    *,
    min_size: int = 1,
    max_size: int = 20,
    fields: int | Sequence[str] = 2,
    regions: int | Sequence[str] = 3,
    units: int | Sequence[str] = 2,
    experts: bool = True,
    min_officers: int = 0,
    capacity: bool = True,
    conflicts: bool | Sequence[str] = True,
    active: bool = True,
    list_style: str | None = None,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Rows of an inspector registry, as ``Inspectors.from_records`` takes them.

    Every row has ``id`` (unique), ``name``, ``unit`` (from the first ``units`` names of
    :data:`UNITS`, or the names given), ``region`` (likewise from ``strategies.REGIONS``),
    ``qualifications`` (0 to 3 of the first ``fields`` names of ``strategies.FIELDS`` — the
    values of the targets' ``field`` column — or of the names given), ``role`` (``officer``, or
    ``expert`` about one row in five when ``experts``) and ``certificate`` (unique; ``None`` for
    experts). At least ``min_officers`` rows are officers. Optional columns: ``capacity``
    (``None`` = no limit, or 0–5) when ``capacity``; ``conflicts`` when ``conflicts`` is true
    (random IDs) or a sequence of target IDs (up to 3 drawn from it); ``active`` (mostly true)
    when ``active``. ``list_style`` writes list cells as ``"list"``, ``"string"`` (``;`` or
    ``；``-separated) or, when ``None``, either per cell.
    """

    if not 1 <= min_size <= max_size:
        raise ValueError(f"need 1 <= min_size <= max_size, got {min_size}, {max_size}")
    if not 0 <= min_officers <= max_size:
        raise ValueError(f"need 0 <= min_officers <= max_size, got {min_officers}")
    spec = _row_spec(fields, regions, units, capacity, conflicts, active, list_style)

    @st.composite
    def build(draw: st.DrawFn) -> list[dict[str, Any]]:
        n = draw(st.integers(max(min_size, min_officers), max_size))
        ids = draw(
            st.lists(
                st.text(_ID_ALPHABET, min_size=1, max_size=8), min_size=n, max_size=n, unique=True
            )
        )
        rows: list[dict[str, Any]] = []
        for k, person in enumerate(ids):
            expert = experts and k >= min_officers and draw(st.integers(0, 4)) == 0
            rows.append(_inspector_row(draw, spec, k, person, expert))
        return rows

    return build()


def inspectors(
    *,
    min_size: int = 1,
    max_size: int = 20,
    fields: int | Sequence[str] = 2,
    regions: int | Sequence[str] = 3,
    units: int | Sequence[str] = 2,
    experts: bool = True,
    min_officers: int = 0,
    capacity: bool = True,
    conflicts: bool | Sequence[str] = True,
    active: bool = True,
    list_style: str | None = None,
) -> st.SearchStrategy[Inspectors]:
    """:class:`~shuangsuiji.Inspectors` built from :func:`inspector_records` (same parameters)."""
    return inspector_records(
        min_size=min_size,
        max_size=max_size,
        fields=fields,
        regions=regions,
        units=units,
        experts=experts,
        min_officers=min_officers,
        capacity=capacity,
        conflicts=conflicts,
        active=active,
        list_style=list_style,
    ).map(lambda rows: Inspectors.from_records(rows, id="id"))
