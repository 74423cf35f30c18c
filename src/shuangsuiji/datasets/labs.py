"""A deterministic synthetic province for demos, docs and tests: Hebei's testing labs.

The seed documents describe Hebei (河北省): about 2,600 accredited testing labs (检验检测机构) in
11 prefecture-level cities, all rated by credit class, checked by double-random draws across motor
vehicles, food, oil, building materials, forensic and carbon verification, and 299 third-party
eco-environment monitoring labs. :func:`province_labs` builds a registry with that shape. Every
name and code is fictitious; any resemblance to a real lab is chance.

Determinism contract: the rows are a fixed function of ``n`` and of this module's version tag
(``DATASET_TAG``). They do not depend on the numpy version, the platform or the Python hash seed,
because every pseudo-random quantity is derived from SipHash-2-4 keyed by SHA-256 of a label
(:mod:`shuangsuiji.datasets.bits`) and turned into values with integer arithmetic only: no numpy
``Generator`` streams (which numpy may change between releases), no ``random`` module, no
floating-point transcendental functions (whose last bits vary between SIMD implementations).
Row ``i`` depends on ``i`` alone, so ``province_labs_records(n)`` is the first ``n`` rows of
``province_labs_records(m)`` for any ``m >= n``. Changing what is generated requires a new tag.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ..randomness.seed import Seed
from ..registry.targets import Targets
from ..registry.uscc import ALPHABET, org_code_check_char, uscc_check_char
from .bits import BitSource

DATASET_TAG = "shuangsuiji/datasets/hebei-labs/v1"
_BITS = BitSource(DATASET_TAG)
MAX_ROWS = 2_000_000


class City(NamedTuple):
    """A prefecture-level city: name, English name, GB/T 2260 division code, share in per mille."""

    name: str
    english: str
    division: str
    share: int


class Field(NamedTuple):
    """A lab field: name, English name, share in per mille, the noun used in lab names, and
    the per-mille mix of entity types (enterprise 91, public institution 12, private non-profit 52).
    """

    name: str
    english: str
    share: int
    noun: str
    type_mix: tuple[int, int, int]


# Shares follow the cities' economic weight: the capital and the big industrial cities host most
# labs. They are plausible, not official counts.
CITIES: tuple[City, ...] = (
    City("石家庄", "Shijiazhuang", "130100", 180),
    City("唐山", "Tangshan", "130200", 120),
    City("秦皇岛", "Qinhuangdao", "130300", 50),
    City("邯郸", "Handan", "130400", 110),
    City("邢台", "Xingtai", "130500", 80),
    City("保定", "Baoding", "130600", 140),
    City("张家口", "Zhangjiakou", "130700", 50),
    City("承德", "Chengde", "130800", 50),
    City("沧州", "Cangzhou", "130900", 90),
    City("廊坊", "Langfang", "131000", 80),
    City("衡水", "Hengshui", "131100", 50),
)

# Motor-vehicle stations and construction-materials labs are the most numerous kinds of lab in a
# Chinese province; eco-environment at 12% gives about 310 of 2,600, near Hebei's 299.
FIELDS: tuple[Field, ...] = (
    Field("机动车检验", "motor-vehicle testing", 280, "机动车检测", (950, 40, 10)),
    Field("建筑材料", "building materials", 250, "建设工程质量检测", (850, 130, 20)),
    Field("食品", "food", 150, "食品检测", (800, 180, 20)),
    Field("生态环境监测", "eco-environment monitoring", 120, "环境检测", (880, 100, 20)),
    Field("石油产品", "oil products", 70, "石油产品检验", (900, 80, 20)),
    Field("医疗器械", "medical devices", 50, "医疗器械检测", (800, 180, 20)),
    Field("司法鉴定", "forensic", 50, "司法鉴定", (100, 300, 600)),
    Field("碳核查", "carbon verification", 30, "碳排放核查", (950, 30, 20)),
)

CREDIT_CLASSES: tuple[tuple[str, int], ...] = (("A", 450), ("B", 350), ("C", 150), ("D", 50))

# Complaints in the past year by credit class, as (count, per-mille) pairs: most labs have none,
# and the tail is longer for the riskier classes.
_COMPLAINTS: dict[str, tuple[tuple[int, int], ...]] = {
    "A": ((0, 860), (1, 110), (2, 30)),
    "B": ((0, 700), (1, 190), (2, 70), (3, 40)),
    "C": ((0, 440), (1, 250), (2, 150), (3, 80), (4, 40), (6, 40)),
    "D": ((0, 200), (1, 200), (2, 180), (3, 140), (4, 100), (5, 70), (7, 60), (10, 50)),
}

# Entity types: (credit-code prefix, registry label, name forms).
_TYPES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("91", "企业", ("有限公司", "技术有限公司", "技术服务有限公司", "科技股份有限公司")),
    ("12", "事业单位", ("中心", "研究院", "站")),
    ("52", "民办非企业单位", ("所", "中心")),
)

# Characters common in Chinese trade names; a brand is two different ones (60 * 59 brands).
_BRAND_CHARS = (
    "华信中恒泰诚达鑫源安金众合天和宏瑞丰德正方国新博远通康建科创"
    "精准联盛佳润宇昊辰冀燕衡凯嘉明光大同立汇兴隆昌晟力友诺捷越永"
)

# Establishment periods (start, end exclusive, per mille): most labs date from the 2010s.
_ESTABLISHED: tuple[tuple[str, str, int], ...] = (
    ("1985-01-01", "2000-01-01", 80),
    ("2000-01-01", "2010-01-01", 200),
    ("2010-01-01", "2016-01-01", 300),
    ("2016-01-01", "2021-01-01", 270),
    ("2021-01-01", "2025-07-01", 150),
)
# Enterprises registered since the 2015 reform got organisation codes starting "MA".
_MA_FROM = np.datetime64("2015-10-01")
# Last inspections: none before this; the data describe the registry on DATA_AS_OF.
_INSPECTIONS_FROM = np.datetime64("2019-01-01")
DATA_AS_OF = "2026-01-01"
# Chance (per mille) that a lab has never been inspected, by credit class.
_NEVER_INSPECTED = {"A": 350, "B": 250, "C": 100, "D": 50}
# Riskier labs were inspected recently: their last inspection falls in the last two years.
_RECENT_DAYS = {"A": 0, "B": 0, "C": 730, "D": 730}

# Organisation-code bodies are an affine bijection of the row number (multipliers coprime with the
# moduli), so codes are unique without a collision check and row i's code depends on i only.
_DIGIT_MOD, _DIGIT_MUL, _DIGIT_ADD = 10**8, 61_803_399, 13_010_017
_MA_MOD, _MA_MUL, _MA_ADD = 31**6, 387_420_489, 271_828_182


# -- the registry -------------------------------------------------------------------------------
def province_labs_records(n: int = 2600) -> list[dict[str, Any]]:
    """``n`` synthetic Hebei testing labs as records (1 <= n <= 1,000,000).

    Keys: ``id`` (18-character unified social credit code, valid per GB 32100-2015, unique),
    ``name``, ``city``, ``field``, ``entity_type`` (企业 / 事业单位 / 民办非企业单位),
    ``credit`` (A-D, about 45/35/15/5%), ``complaints`` (int, skewed, higher for C and D),
    ``last_inspected`` (ISO date, or ``None`` if never inspected) and ``established`` (ISO date).
    The records describe the registry as of ``DATA_AS_OF`` (2026-01-01).
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_ROWS:
        raise ValueError(f"n must be an int in 1..{MAX_ROWS}, got {n!r}")
    city = _BITS.categorical("city", n, [c.share for c in CITIES])
    field = _BITS.categorical("field", n, [f.share for f in FIELDS])
    credit = _BITS.categorical("credit", n, [w for _, w in CREDIT_CLASSES])

    etype = np.empty(n, np.intp)
    for k, f in enumerate(FIELDS):
        rows = np.flatnonzero(field == k)
        etype[rows] = _BITS.categorical(f"type/{f.name}", n, f.type_mix)[rows]

    established = _dates("established", n)
    complaints = np.zeros(n, np.int64)
    last = np.full(n, np.datetime64("NaT"), "datetime64[D]")
    for k, (cls, _) in enumerate(CREDIT_CLASSES):
        rows = np.flatnonzero(credit == k)
        counts, probs = zip(*_COMPLAINTS[cls])
        complaints[rows] = np.asarray(counts)[_BITS.categorical(f"complaints/{cls}", n, probs)[rows]]
        last[rows] = _last_inspected(cls, n, established)[rows]

    ids = _credit_codes(n, city, etype, established)
    names = _names(n, city, field, etype)
    est_s = np.datetime_as_string(established).tolist()
    last_s = np.datetime_as_string(last).tolist()
    city_names = [CITIES[i].name for i in city.tolist()]
    field_names = [FIELDS[i].name for i in field.tolist()]
    type_names = [_TYPES[i][1] for i in etype.tolist()]
    credits = [CREDIT_CLASSES[i][0] for i in credit.tolist()]
    comp = complaints.tolist()
    return [
        {
            "id": ids[i],
            "name": names[i],
            "city": city_names[i],
            "field": field_names[i],
            "entity_type": type_names[i],
            "credit": credits[i],
            "complaints": comp[i],
            "last_inspected": None if last_s[i] == "NaT" else last_s[i],
            "established": est_s[i],
        }
        for i in range(n)
    ]


def province_labs(n: int = 2600) -> Targets:
    """The records of :func:`province_labs_records` as a registry keyed by ``id``."""
    return Targets.from_records(province_labs_records(n), id="id")


def _dates(label: str, n: int) -> npt.NDArray[np.datetime64]:
    """Establishment dates: a period by its weight, then a uniform day within it."""
    starts = np.array([s for s, _, _ in _ESTABLISHED], "datetime64[D]")
    ends = np.array([e for _, e, _ in _ESTABLISHED], "datetime64[D]")
    period = _BITS.categorical(f"{label}/period", n, [w for _, _, w in _ESTABLISHED])
    span = (ends - starts).astype(np.int64)[period]
    out: npt.NDArray[np.datetime64] = starts[period] + _BITS.below(f"{label}/day", n, span).astype(
        "timedelta64[D]"
    )
    return out


def _last_inspected(
    cls: str, n: int, established: npt.NDArray[np.datetime64]
) -> npt.NDArray[np.datetime64]:
    """Last inspection dates for every row as if its class were ``cls`` (NaT = never).

    A lab is first inspectable 90 days after it opens; the window ends the day before DATA_AS_OF.
    """
    end = np.datetime64(DATA_AS_OF) - np.timedelta64(1, "D")
    start = np.maximum(established + np.timedelta64(90, "D"), _INSPECTIONS_FROM)
    if _RECENT_DAYS[cls]:
        start = np.maximum(start, end - np.timedelta64(_RECENT_DAYS[cls], "D"))
    span = (end - start).astype(np.int64) + 1
    day = _BITS.below(f"inspected/{cls}/day", n, np.maximum(span, 1))
    never = _BITS.below(f"inspected/{cls}/never", n, 1000) < _NEVER_INSPECTED[cls]
    out: npt.NDArray[np.datetime64] = start + day.astype("timedelta64[D]")
    out[never | (span <= 0)] = np.datetime64("NaT")
    return out


def _credit_codes(
    n: int,
    city: npt.NDArray[np.intp],
    etype: npt.NDArray[np.intp],
    established: npt.NDArray[np.datetime64],
) -> list[str]:
    """Unique GB 32100 codes: type prefix, city division code, organisation code, check."""
    rows = np.arange(n, dtype=np.int64)
    digit_body = (rows * _DIGIT_MUL + _DIGIT_ADD) % _DIGIT_MOD
    ma_body = (rows * _MA_MUL + _MA_ADD) % _MA_MOD
    is_ma = (etype == 0) & (established >= _MA_FROM)
    out = []
    for i in range(n):
        if is_ma[i]:
            v, tail = int(ma_body[i]), []
            for _ in range(6):
                v, r = divmod(v, 31)
                tail.append(ALPHABET[r])
            body = "MA" + "".join(reversed(tail))
        else:
            body = f"{int(digit_body[i]):08d}"
        first17 = _TYPES[etype[i]][0] + CITIES[city[i]].division + body + org_code_check_char(body)
        out.append(first17 + uscc_check_char(first17))
    return out


def _names(
    n: int, city: npt.NDArray[np.intp], field: npt.NDArray[np.intp], etype: npt.NDArray[np.intp]
) -> list[str]:
    """Lab names ``<city><brand><field noun><form>``, made unique in row order.

    A repeated name gets a branch suffix (第2分支机构, ...), so row i's name depends on rows < i only.
    """
    nb = len(_BRAND_CHARS)
    first = _BITS.below("brand/1", n, nb)
    second = (first + 1 + _BITS.below("brand/2", n, nb - 1)) % nb  # never the first character again
    form = _BITS.below("form", n, 12)  # 12 is a multiple of every form count
    seen: dict[str, int] = {}
    out = []
    for i in range(n):
        prefix, _, forms = _TYPES[etype[i]]
        place = CITIES[city[i]].name + ("市" if prefix == "12" else "")
        name = (
            place
            + _BRAND_CHARS[first[i]]
            + _BRAND_CHARS[second[i]]
            + FIELDS[field[i]].noun
            + forms[form[i] % len(forms)]
        )
        k = seen.get(name, 0) + 1
        seen[name] = k
        out.append(name if k == 1 else f"{name}第{k}分支机构")
    return out


# -- the demo plan and seed ---------------------------------------------------------------------
def demo_plan() -> dict[str, Any]:
    """A year's plan for the demo province, in the plan dict schema (:mod:`shuangsuiji.plan`).

    Key (重点) tasks follow the national per-field ratios in domain.md: eco-environment 50%, food
    20% and medical devices about half. Motor-vehicle stations, too many for a census here, are
    drawn with one county's published class rates (A 5%, B 15%, C 40%, D 100%): the credit class
    becomes an extra stratum. Food labs are drawn with credit-risk weights (πps within each city).
    The general (一般) task covers the remaining fields at 8%, under the plan's 10% cap, with
    weight 0 for class A (无事不扰: low-risk labs are left alone) rising to 6 for D, and leaves
    out labs inspected in the year before the plan.

    Teams (the second random, docs/spec.md §8): two officers qualified for the lab's field, nobody
    who inspected the lab in the year before the plan (rotation), and: eco-environment labs get a
    joint inspection (部门联合抽查) by the eco-environment department, whose officer holds the
    field, and the provincial market regulator; medical-device labs get officers from another
    city (异地协助); the general task adds a technical expert of the field. Each task lists the
    items checked (双清单).
    """
    return {
        "name": "河北省2026年检验检测机构双随机抽查计划",
        "general_max_rate": 0.10,
        "tasks": [
            _motor_vehicle_task(),
            _eco_environment_task(),
            _food_task(),
            _medical_device_task(),
            _general_task(),
        ],
    }


# One helper per task of demo_plan, in the plan's order. The plan is hashed into the demo log, so
# each returns exactly the keys, key order and values it always had.
_ROTATION: Mapping[str, Any] = MappingProxyType({"rotation_days": 365, "as_of": DATA_AS_OF})
_BASICS: tuple[str, ...] = ("资质认定条件保持情况", "检验检测报告和原始记录")


def _motor_vehicle_task() -> dict[str, Any]:
    """Motor-vehicle stations: one county's published class rates, credit class as a stratum."""
    return {
        "name": "机动车检验机构重点抽查",
        "kind": "key",
        "where": {"field": "机动车检验"},
        "strata": ["city"],
        "risk": {"column": "credit", "rates": {"A": 0.05, "B": 0.15, "C": 0.4, "D": 1}},
        "team": {"officers": 2, "match": {"column": "field"}, **_ROTATION},
        "items": [*_BASICS, "机动车安全技术检验项目和方法"],
    }


def _eco_environment_task() -> dict[str, Any]:
    """Eco-environment labs at 50%, inspected jointly with the eco-environment department."""
    return {
        "name": "生态环境监测机构重点抽查",
        "kind": "key",
        "where": {"field": "生态环境监测"},
        "strata": ["city"],
        "size": {"rate": 0.5, "minimum": 2, "rounding": "ceil"},
        "team": {
            "officers": 2,
            "match": {"column": "field", "who": "any"},
            "departments": ["河北省生态环境厅", "河北省市场监督管理局"],
            **_ROTATION,
        },
        "items": [*_BASICS, "监测数据真实性和准确性"],
    }


def _food_task() -> dict[str, Any]:
    """Food labs at 20% with credit-risk weights (πps within each city)."""
    return {
        "name": "食品检验机构重点抽查",
        "kind": "key",
        "where": {"field": "食品"},
        "strata": ["city"],
        "size": {"rate": 0.2, "minimum": 2, "rounding": "ceil"},
        "risk": {"column": "credit", "weights": {"A": 1, "B": 2, "C": 4, "D": 8}},
        "team": {"officers": 2, "match": {"column": "field"}, **_ROTATION},
        "items": [*_BASICS, "食品检验方法和标准执行情况"],
    }


def _medical_device_task() -> dict[str, Any]:
    """Medical-device labs, 60 in all (about half), by officers from another city."""
    return {
        "name": "医疗器械检验机构重点抽查",
        "kind": "key",
        "where": {"field": "医疗器械"},
        "strata": ["city"],
        "size": {"total": 60, "allocation": "proportional", "minimum": 1},
        "team": {
            "officers": 2,
            "match": {"column": "field"},
            "cross_region": True,
            "region_column": "city",
            **_ROTATION,
        },
        "items": [*_BASICS],
    }


def _general_task() -> dict[str, Any]:
    """The other fields at 8% under the 10% cap, class A weighted 0, with a year's cool-off and
    a technical expert on each team."""
    return {
        "name": "其他领域检验检测机构一般抽查",
        "kind": "general",
        "where": {"field": ["建筑材料", "石油产品", "司法鉴定", "碳核查"]},
        "strata": ["city"],
        "size": {"rate": 0.08, "rounding": "round"},
        "risk": {"column": "credit", "weights": {"A": 0, "B": 1, "C": 3, "D": 6}},
        "cooloff": {"column": "last_inspected", "days": 365, "as_of": DATA_AS_OF},
        "team": {"officers": 2, "experts": 1, "match": {"column": "field"}, **_ROTATION},
        "items": [*_BASICS],
    }


# Announced in the plan notice before they were known; all values are fictitious. The notes say
# what each value is, so anyone can look it up and re-derive the seed (RFC 3797).
DEMO_SEED_SOURCES: tuple[str, ...] = ("03 11 17 24 29 33", "3512.34", "10846.72")
DEMO_SEED_SOURCE_NOTES: tuple[str, ...] = (
    "中国福利彩票双色球第2026004期红球开奖号码（2026-01-08）",
    "上证综合指数2026-01-09收盘点位",
    "深证成份指数2026-01-09收盘点位",
)


def demo_seed() -> Seed:
    """The seed derived from :data:`DEMO_SEED_SOURCES` (``Seed.from_sources``)."""
    return Seed.from_sources(list(DEMO_SEED_SOURCES))
