"""Registry rows, Targets and seeds as hypothesis strategies (the building blocks of the rest)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from ..randomness.seed import Seed
from ..registry.targets import Targets

REGIONS: tuple[str, ...] = (
    "石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "廊坊", "衡水",
    "雄安",
)
"""Region names :func:`records` draws from (the first ``regions`` of them)."""

FIELDS: tuple[str, ...] = ("食品", "药品", "特种设备", "工业产品", "计量", "检验检测")
"""Regulatory fields :func:`records` draws from (the first ``fields`` of them)."""

CREDIT_CLASSES: tuple[str, ...] = ("A", "B", "C", "D")
"""Credit-risk classes (A lowest risk, D highest)."""

_ID_STYLES = ("sequential", "uscc", "text")
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015 code characters
_TEXT_ID_ALPHABET = "0123456789ABCDEFXYZabcxyz-_.企业甲乙丙丁"
FIRST_DATE = _dt.date(2023, 1, 1)
LAST_DATE = _dt.date(2025, 12, 31)



# -- registries -----------------------------------------------------------------------------------
def _id_lists(style: str, n: int) -> st.SearchStrategy[list[str]]:
    """``n`` distinct IDs in one style."""
    if style == "sequential":
        # credit-code-like sequential IDs: a fixed prefix and a running number
        return st.integers(0, 10**8).map(
            lambda start: [f"91130100MA{start + i:08d}" for i in range(n)]
        )
    if style == "uscc":
        # 18 characters: "91" (enterprise), area code 130100, 9-character body, check character
        # (the check character is random, not computed: the registry does not validate it)
        body = st.text(_USCC_ALPHABET, min_size=10, max_size=10)
        return st.lists(body, min_size=n, max_size=n, unique=True).map(
            lambda xs: [f"91130100{x}" for x in xs]
        )
    text = st.text(_TEXT_ID_ALPHABET, min_size=1, max_size=10)
    return st.lists(text, min_size=n, max_size=n, unique=True)


def weight_values() -> st.SearchStrategy[float]:
    """Non-negative weights: often zero, sometimes tiny or huge (certainty units)."""
    return st.one_of(
        st.just(0.0),
        st.sampled_from([1e-9, 0.25, 1.0, 1.0, 2.0, 10.0, 1e6]),
        st.floats(0.0, 1000.0, allow_nan=False, allow_infinity=False, allow_subnormal=False),
    )


def pick_names(given: int | Sequence[str], pool: Sequence[str], what: str) -> list[str]:
    if isinstance(given, int):
        if not 1 <= given <= len(pool):
            raise ValueError(f"{what} must be between 1 and {len(pool)}, got {given}")
        return list(pool[:given])
    names = [str(x) for x in given]
    if not names:
        raise ValueError(f"{what}: give at least one name")
    return names


def records(
    *,
    min_size: int = 1,
    max_size: int = 30,
    regions: int | Sequence[str] = 3,
    fields: int | Sequence[str] = 2,
    id_style: str | None = None,
    dates: bool = True,
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Rows of a registry, as ``Targets.from_records`` takes them.

    Every row has ``id`` (unique), ``region`` (one of the first ``regions`` names of
    :data:`REGIONS`, or the names given), ``field`` (likewise from :data:`FIELDS`), ``credit``
    (A–D), ``weight`` (a float >= 0: zero, tiny, ordinary or huge) and, when ``dates`` is true,
    ``last_inspected`` (an ISO date from 2023–2025 or ``None``). ``id_style`` is
    ``"sequential"`` (credit-code-like running numbers), ``"uscc"`` (18-character codes),
    ``"text"`` (short mixed ASCII/Chinese text) or ``None`` for any of them.
    """
    if not 1 <= min_size <= max_size:
        raise ValueError(f"need 1 <= min_size <= max_size, got {min_size}, {max_size}")
    if id_style is not None and id_style not in _ID_STYLES:
        raise ValueError(f"id_style must be one of {_ID_STYLES} or None, got {id_style!r}")
    region_names = pick_names(regions, REGIONS, "regions")
    field_names = pick_names(fields, FIELDS, "fields")
    styles = _ID_STYLES if id_style is None else (id_style,)
    date_values = st.one_of(
        st.none(), st.dates(FIRST_DATE, LAST_DATE).map(lambda d: d.isoformat())
    )

    @st.composite
    def build(draw: st.DrawFn) -> list[dict[str, Any]]:
        n = draw(st.integers(min_size, max_size))
        ids = draw(_id_lists(draw(st.sampled_from(styles)), n))
        rows: list[dict[str, Any]] = []
        for target_id in ids:
            row: dict[str, Any] = {
                "id": target_id,
                "region": draw(st.sampled_from(region_names)),
                "field": draw(st.sampled_from(field_names)),
                "credit": draw(st.sampled_from(CREDIT_CLASSES)),
                "weight": draw(weight_values()),
            }
            if dates:
                row["last_inspected"] = draw(date_values)
            rows.append(row)
        return rows

    return build()


def targets(
    *,
    min_size: int = 1,
    max_size: int = 30,
    regions: int | Sequence[str] = 3,
    fields: int | Sequence[str] = 2,
    id_style: str | None = None,
    dates: bool = True,
) -> st.SearchStrategy[Targets]:
    """:class:`~shuangsuiji.Targets` built from :func:`records` (same parameters), ID column ``id``."""
    return records(
        min_size=min_size,
        max_size=max_size,
        regions=regions,
        fields=fields,
        id_style=id_style,
        dates=dates,
    ).map(lambda rows: Targets.from_records(rows, id="id"))


def seeds(min_bytes: int = 16, max_bytes: int = 32) -> st.SearchStrategy[Seed]:
    """Seeds of ``min_bytes`` to ``max_bytes`` random bytes (at least 16: 128 bits)."""
    if not 16 <= min_bytes <= max_bytes:
        raise ValueError(f"need 16 <= min_bytes <= max_bytes, got {min_bytes}, {max_bytes}")
    return st.binary(min_size=min_bytes, max_size=max_bytes).map(lambda b: Seed.from_hex(b.hex()))
