"""The demo province's inspectors: 300 officers in 12 units, 40 experts, and their recent history.

The counterpart of :func:`shuangsuiji.datasets.province_labs` for the second random. The pool is
sized for the demo plan (:func:`shuangsuiji.datasets.demo_plan`), which draws about 500 labs. Two
officers per lab make about 1,000 visits by officers. Capacities sum to well over that in every
field, so the demo is feasible. A few officers can take only one to three visits, so their
capacity binds. Units match the fields they supervise: the eco-environment department checks
monitoring labs, housing and construction checks building-materials labs, and the market
regulators check every field. Every name, certificate number and ID is fictitious.

* :func:`province_inspectors_records` / :func:`province_inspectors`: the registry rows
  (``Inspectors.from_records`` columns plus ``title``, the person's post or academic title);
* :func:`inspection_history`: past inspections of demo labs by pool members,
  ``{"inspector", "target", "date"}``, all before :data:`HISTORY_BEFORE`.

Determinism contract, as in :mod:`shuangsuiji.datasets.bits`: every pseudo-random choice is SipHash-2-4
of a row number keyed by SHA-256 of ``POOL_TAG`` and a label, turned into values with integer
arithmetic only. So the pool is a fixed function of this module's version tag and of the
demo labs. Changing what is generated requires a new tag.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ..registry.inspectors import Inspectors
from .bits import BitSource, pick
from .labs import CITIES, province_labs_records

POOL_TAG = "shuangsuiji/datasets/hebei-inspectors/v1"
_BITS = BitSource(POOL_TAG)
HISTORY_FROM = "2024-03-01"  # the history covers two years before the plan
HISTORY_BEFORE = "2026-03-01"


class Unit(NamedTuple):
    """An enforcement unit: name, short code (for certificates and IDs), home city, how many of
    its officers the pool holds, the per-mille share of them stationed in its home city (the
    rest serve elsewhere in the province), and the fields its officers hold as
    ``(field, per-mille chance)`` pairs (the first pair is a certainty for specialist units)."""

    name: str
    code: int
    city: str
    officers: int
    home_share: int
    fields: tuple[tuple[str, int], ...]


class Institution(NamedTuple):
    """An expert's institution (专家库): name, city, how many experts, and the fields offered."""

    name: str
    city: str
    experts: int
    fields: tuple[str, ...]


# fmt: off
# What a city market-regulation bureau's officers hold.
_CITY_FIELDS: tuple[tuple[str, int], ...] = (
    ("食品", 600), ("机动车检验", 450), ("医疗器械", 350), ("生态环境监测", 300),
    ("石油产品", 250), ("建筑材料", 200),
)

# Officer counts and qualification chances follow the demo plan's demand per field: eco-
# environment and motor-vehicle labs dominate it (about 150 visits each), then food (about 80)
# and medical devices (60).
INSPECTOR_UNITS: tuple[Unit, ...] = (
    Unit("河北省市场监督管理局", 1, "石家庄", 36, 300, (
        ("食品", 400), ("机动车检验", 350), ("医疗器械", 300), ("生态环境监测", 250),
        ("建筑材料", 200), ("石油产品", 200), ("司法鉴定", 100), ("碳核查", 150),
    )),
    Unit("河北省生态环境厅", 2, "石家庄", 40, 300, (
        ("生态环境监测", 1000), ("碳核查", 250), ("机动车检验", 300),
    )),
    Unit("河北省住房和城乡建设厅", 3, "石家庄", 16, 300, (("建筑材料", 1000),)),
    Unit("河北省交通运输厅", 4, "石家庄", 16, 300, (
        ("机动车检验", 1000), ("建筑材料", 300), ("石油产品", 250),
    )),
    Unit("河北省公安厅交通管理局", 5, "石家庄", 16, 300, (("机动车检验", 1000),)),
    Unit("河北省药品监督管理局", 6, "石家庄", 16, 300, (("医疗器械", 1000), ("食品", 150))),
    Unit("河北省司法厅", 7, "石家庄", 10, 300, (("司法鉴定", 1000),)),
    Unit("石家庄市市场监督管理局", 11, "石家庄", 30, 1000, _CITY_FIELDS),
    Unit("唐山市市场监督管理局", 12, "唐山", 30, 1000, _CITY_FIELDS),
    Unit("保定市市场监督管理局", 13, "保定", 30, 1000, _CITY_FIELDS),
    Unit("邯郸市市场监督管理局", 14, "邯郸", 30, 1000, _CITY_FIELDS),
    Unit("沧州市市场监督管理局", 15, "沧州", 30, 1000, _CITY_FIELDS),
)

EXPERT_INSTITUTIONS: tuple[Institution, ...] = (
    Institution("河北大学", "保定", 4, ("食品", "生态环境监测", "司法鉴定")),
    Institution("河北农业大学", "保定", 3, ("食品", "生态环境监测")),
    Institution("河北科技大学", "石家庄", 4, ("建筑材料", "石油产品", "碳核查")),
    Institution("河北医科大学", "石家庄", 4, ("医疗器械", "司法鉴定", "食品")),
    Institution("燕山大学", "秦皇岛", 4, ("机动车检验", "建筑材料", "碳核查")),
    Institution("华北理工大学", "唐山", 3, ("石油产品", "建筑材料", "碳核查")),
    Institution("河北工程大学", "邯郸", 3, ("建筑材料", "机动车检验")),
    Institution("河北省产品质量监督检验研究院", "石家庄", 4, ("石油产品", "机动车检验")),
    Institution("河北省食品检验研究院", "石家庄", 3, ("食品",)),
    Institution("河北省生态环境监测中心", "石家庄", 3, ("生态环境监测", "碳核查")),
    Institution("河北省建筑科学研究院", "石家庄", 2, ("建筑材料",)),
    Institution("河北省医疗器械与药品包装材料检验研究院", "石家庄", 3, ("医疗器械",)),
)

# Capacity (most visits in the plan) per officer, with per-mille weights: most can take five or
# more, a few only one to three (part-time, near retirement), where the capacity binds.
_OFFICER_CAPACITY: tuple[tuple[int, int], ...] = (
    (1, 30), (2, 40), (3, 80), (4, 150), (5, 200), (6, 200), (8, 180), (10, 120),
)
# Experts advise a few visits each; some have no stated limit (None).
_EXPERT_CAPACITY: tuple[tuple[int | None, int], ...] = ((3, 250), (5, 350), (8, 250), (None, 150))
_INACTIVE = 30  # per mille of officers on leave or seconded: never assigned
_CONFLICTED = 140  # per mille of officers who declare conflicts (former employer, relatives)
_IN_HISTORY = 350  # per mille of recent lab inspections that pool members made
_WITH_EXPERT = 200  # per mille of those with an expert on the team

_OFFICER_TITLES: tuple[tuple[str, int], ...] = (
    ("科员", 250), ("一级科员", 200), ("四级主任科员", 200), ("二级主任科员", 150),
    ("一级主任科员", 100), ("四级调研员", 60), ("副科长", 40),
)
_EXPERT_TITLES: tuple[tuple[str, int], ...] = (
    ("教授", 250), ("副教授", 250), ("研究员", 150), ("高级工程师", 200), ("正高级工程师", 150),
)
# Common surnames with rough per-mille frequencies (the 2020 census ranking), and given-name
# characters; a given name has one character about a quarter of the time.
_SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 72), ("李", 70), ("张", 68), ("刘", 54), ("陈", 46), ("杨", 32), ("赵", 27),
    ("黄", 24), ("周", 23), ("吴", 21), ("徐", 17), ("孙", 16), ("胡", 14), ("朱", 13),
    ("高", 13), ("林", 12), ("何", 12), ("郭", 12), ("马", 11), ("罗", 9), ("梁", 9),
    ("宋", 8), ("郑", 8), ("谢", 7), ("韩", 7), ("唐", 6), ("冯", 6), ("于", 6), ("董", 6),
    ("萧", 5), ("程", 5), ("曹", 5), ("袁", 5), ("邓", 5), ("许", 5), ("傅", 4), ("沈", 4),
    ("曾", 4), ("彭", 4), ("吕", 4), ("苏", 4), ("卢", 4), ("蒋", 4), ("蔡", 4), ("贾", 4),
    ("丁", 3), ("魏", 3), ("薛", 3), ("叶", 3), ("阎", 3), ("田", 3), ("耿", 2), ("孟", 2),
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍建国志红文斌海燕鹏辉宇浩凯健俊帆晨欣悦颖琳"
# fmt: on


def _names(label: str, n: int, taken: set[str]) -> list[str]:
    """``n`` distinct Chinese names; a name already taken is drawn again (attempt 1, 2, ...)."""
    surname = _BITS.categorical(f"{label}/surname", n, [w for _, w in _SURNAMES])
    attempts: list[tuple[npt.NDArray[np.uint64], ...]] = []
    g = len(_GIVEN)
    out = []
    for i in range(n):
        k = 0
        while True:
            if k == len(attempts):
                attempts.append(tuple(_BITS.bits(f"{label}/{k}/{part}", n) for part in "12s"))
            first, second, single = (int(x[i]) for x in attempts[k])
            given = _GIVEN[pick(first, g)]
            if pick(single, 4):  # three times in four: a two-character given name
                given += _GIVEN[pick(second, g)]
            name = _SURNAMES[int(surname[i])][0] + given
            if name not in taken:
                break
            k += 1
        taken.add(name)
        out.append(name)
    return out


def _certificate(division: str, unit: int, i: int) -> str:
    """A fictitious 执法证号: 冀 + the city's 4-digit division prefix + unit code + a 5-digit
    serial; the serial is an affine bijection of the row number, so numbers never repeat."""
    serial = (i * 7_919 + 10_477) % 100_000
    return f"冀{division[:4]}{unit:02d}{serial:05d}"


# -- the pool ------------------------------------------------------------------------------------
def _cities() -> tuple[list[str], dict[str, str], list[int]]:
    return [c.name for c in CITIES], {c.name: c.division for c in CITIES}, [c.share for c in CITIES]


def _officers(taken: set[str]) -> list[dict[str, Any]]:
    city_names, division, shares = _cities()
    rows: list[dict[str, Any]] = []
    for unit in INSPECTOR_UNITS:
        n = unit.officers
        lab = f"officers/{unit.code}"
        home = _BITS.below(f"{lab}/home", n, 1000) < unit.home_share
        away = _BITS.categorical(f"{lab}/city", n, shares)
        names = _names(f"{lab}/name", n, taken)
        capacity = _BITS.categorical(f"{lab}/capacity", n, [w for _, w in _OFFICER_CAPACITY])
        title = _BITS.categorical(f"{lab}/title", n, [w for _, w in _OFFICER_TITLES])
        inactive = _BITS.below(f"{lab}/inactive", n, 1000) < _INACTIVE
        hold = np.stack([_BITS.below(f"{lab}/field/{f}", n, 1000) < p for f, p in unit.fields])
        fallback = _BITS.categorical(f"{lab}/field", n, [p for _, p in unit.fields])
        for i in range(n):
            quals = [f for (f, _), h in zip(unit.fields, hold[:, i].tolist()) if h]
            if not quals:  # everyone holds at least one field
                quals = [unit.fields[int(fallback[i])][0]]
            region = unit.city if home[i] else city_names[int(away[i])]
            k = len(rows)
            rows.append(
                {
                    "id": f"JF{k + 1:04d}",
                    "name": names[i],
                    "unit": unit.name,
                    "region": region,
                    "qualifications": sorted(quals[:3]),  # at most three: the main ones
                    "role": "officer",
                    "certificate": _certificate(division[region], unit.code, k),
                    "capacity": _OFFICER_CAPACITY[int(capacity[i])][0],
                    "conflicts": [],
                    "active": not bool(inactive[i]),
                    "title": _OFFICER_TITLES[int(title[i])][0],
                }
            )
    return rows


def _experts(taken: set[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for j, inst in enumerate(EXPERT_INSTITUTIONS):
        n = inst.experts
        lab = f"experts/{j}"
        names = _names(f"{lab}/name", n, taken)
        capacity = _BITS.categorical(f"{lab}/capacity", n, [w for _, w in _EXPERT_CAPACITY])
        title = _BITS.categorical(f"{lab}/title", n, [w for _, w in _EXPERT_TITLES])
        second = _BITS.below(f"{lab}/field/2", n, len(inst.fields))
        for i in range(n):
            # the i-th expert of an institution starts at its i-th field, so each field it
            # offers has an expert whenever it has as many experts as fields
            a = inst.fields[i % len(inst.fields)]
            b = inst.fields[int(second[i])]
            k = len(rows)
            rows.append(
                {
                    "id": f"ZJ{k + 1:03d}",
                    "name": names[i],
                    "unit": inst.name,
                    "region": inst.city,
                    "qualifications": sorted({a, b}),
                    "role": "expert",
                    "certificate": None,
                    "capacity": _EXPERT_CAPACITY[int(capacity[i])][0],
                    "conflicts": [],
                    "active": True,
                    "title": _EXPERT_TITLES[int(title[i])][0],
                }
            )
    return rows


def _labs_by_city_field(labs: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for lab in labs:
        out.setdefault((lab["city"], lab["field"]), []).append(lab["id"])
    return out


def _add_conflicts(rows: list[dict[str, Any]], labs: list[dict[str, Any]]) -> None:
    """Some officers declare one or two labs of their own city and field (a former employer,
    a relative's employer) as conflicts."""
    groups = _labs_by_city_field(labs)
    n = len(rows)
    declares = _BITS.below("conflicts/declares", n, 1000) < _CONFLICTED
    two = _BITS.below("conflicts/two", n, 3) == 0
    which = [_BITS.bits(f"conflicts/{k}/{part}", n) for k in range(2) for part in ("field", "lab")]
    for i, row in enumerate(rows):
        if row["role"] != "officer" or not declares[i]:
            continue
        found: set[str] = set()
        for k in range(2 if two[i] else 1):
            quals = row["qualifications"]
            pool = groups.get((row["region"], quals[pick(which[2 * k][i], len(quals))]), [])
            if pool:
                found.add(pool[pick(which[2 * k + 1][i], len(pool))])
        row["conflicts"] = sorted(found)


def province_inspectors_records() -> list[dict[str, Any]]:
    """The demo pool as records: 300 officers (IDs ``JF0001``–``JF0300``) in the 12 units of
    :data:`INSPECTOR_UNITS`, then 40 experts (``ZJ001``–``ZJ040``) from the institutions of
    :data:`EXPERT_INSTITUTIONS`.

    Keys: the standard :class:`~shuangsuiji.Inspectors` columns (``qualifications`` and
    ``conflicts`` as lists; experts have no certificate) and ``title``. Conflicts name real
    demo lab IDs (:func:`shuangsuiji.datasets.province_labs`). A fresh list on every call.
    """
    taken: set[str] = set()
    rows = _officers(taken) + _experts(taken)
    _add_conflicts(rows, province_labs_records())
    return rows


def province_inspectors() -> Inspectors:
    """:func:`province_inspectors_records` as an :class:`~shuangsuiji.Inspectors` registry."""
    return Inspectors.from_records(province_inspectors_records(), id="id")


def inspection_history() -> list[dict[str, Any]]:
    """Past inspections of demo labs by pool members: ``{"inspector", "target", "date"}``.

    About a third of the labs last inspected on or after :data:`HISTORY_FROM` were inspected by
    this pool (the rest by county bureaus outside it), on their ``last_inspected`` date. Each
    such visit had two officers qualified for the lab's field, one of them from the lab's
    city when possible. Nobody inspected a lab they declared a conflict with. One visit in five
    also had an expert of the field. Sorted by date, target, then inspector; every date is before
    :data:`HISTORY_BEFORE`.
    """
    by_field: dict[str, list[dict[str, Any]]] = {}
    for person in province_inspectors_records():
        for field in person["qualifications"]:
            by_field.setdefault(field, []).append(person)
    labs = [
        lab
        for lab in province_labs_records()
        if lab["last_inspected"] is not None and lab["last_inspected"] >= HISTORY_FROM
    ]
    n = len(labs)
    in_history = _BITS.below("history/pick", n, 1000) < _IN_HISTORY
    with_expert = _BITS.below("history/expert", n, 1000) < _WITH_EXPERT
    first_bits, second_bits, expert_bits = (_BITS.bits(f"history/{k}", n) for k in (1, 2, 3))
    out: list[dict[str, Any]] = []
    for i, lab in enumerate(labs):
        if not in_history[i]:
            continue
        able = [p for p in by_field[lab["field"]] if lab["id"] not in p["conflicts"]]
        officers = [p["id"] for p in able if p["role"] == "officer"]
        local = [p["id"] for p in able if p["role"] == "officer" and p["region"] == lab["city"]]
        first_pool = local or officers
        first = first_pool[pick(first_bits[i], len(first_pool))]
        rest = [o for o in officers if o != first]
        team = [first, rest[pick(second_bits[i], len(rest))]]
        experts = [p["id"] for p in able if p["role"] == "expert"]
        if with_expert[i] and experts:
            team.append(experts[pick(expert_bits[i], len(experts))])
        out += [{"inspector": p, "target": lab["id"], "date": lab["last_inspected"]} for p in team]
    out.sort(key=lambda r: (r["date"], r["target"], r["inspector"]))
    return out
