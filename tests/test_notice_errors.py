"""Bad inputs to notices: each raises InputError whose message names the culprit."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_notice_support import PLAN, RESULTS, SELECTION, SUMMARY, TARGETS, VISITS

from shuangsuiji import notices as nt
from shuangsuiji.errors import InputError


def _task(**kw: Any) -> Callable[[], Any]:
    args: dict[str, Any] = {"targets": TARGETS, "visits": VISITS}
    args.update(kw)
    selection = args.pop("selection", SELECTION)
    return lambda: nt.task_notice(selection, **args)


def _plan(plan: Any = PLAN, summary: Any = SUMMARY, **kw: Any) -> Callable[[], Any]:
    return lambda: nt.plan_notice(plan, summary, **kw)


def _result(results: Any = RESULTS, **kw: Any) -> Callable[[], Any]:
    return lambda: nt.result_notice(results, **kw)


def _with(records: list[dict[str, Any]], i: int, **changes: Any) -> list[dict[str, Any]]:
    out = copy.deepcopy(records)
    for k, v in changes.items():
        if v is KeyError:
            del out[i][k]
        else:
            out[i][k] = v
    return out


def _team(j: int, **changes: Any) -> list[dict[str, Any]]:
    visits = copy.deepcopy(VISITS)
    member = visits[0]["team"][j]
    for k, v in changes.items():
        if v is KeyError:
            del member[k]
        else:
            member[k] = v
    return visits


CASES: list[tuple[str, Callable[[], Any], list[str]]] = [
    # language and format
    ("lang", _task(lang="fr"), ["'fr'", "zh", "en"]),
    ("format", _task(fmt="pdf"), ["'pdf'", "html"]),
    ("plan lang", _plan(lang="zh-CN"), ["'zh-CN'"]),
    ("result format", _result(fmt="xlsx"), ["'xlsx'"]),
    # task notice: selection
    ("selection id", _task(selection=_with(SELECTION, 1, id=KeyError)), ["selection[1]", "'id'"]),
    (
        "selection task",
        _task(selection=_with(SELECTION, 2, task=KeyError)),
        ["selection[2]", "'task'"],
    ),
    (
        "selection pi",
        _task(selection=_with(SELECTION, 0, inclusion_probability=1.5)),
        ["selection[0]", "inclusion_probability", "1.5"],
    ),
    (
        "selection pi type",
        _task(selection=_with(SELECTION, 0, inclusion_probability="0.1")),
        ["selection[0]", "'0.1'"],
    ),
    ("selection not records", _task(selection="abc"), ["selection", "str"]),
    ("selection row", _task(selection=[SELECTION[0], 5]), ["selection[1]", "int"]),
    ("selection missing", _task(selection=None), ["selection", "missing"]),
    # task notice: targets and columns
    (
        "undrawn id in targets",
        _task(targets={k: v for k, v in TARGETS.items() if k != "91130100MA0000002B"}),
        ["selection[1]", "91130100MA0000002B"],
    ),
    ("display column", _task(columns=["name", "grid"]), ["'grid'", "91130100MA0000001A"]),
    ("column is a fixed key", _task(columns=["name", "pi"]), ["'pi'"]),
    ("column twice", _task(columns=["name", "name"]), ["'name'", "twice"]),
    ("columns as text", _task(columns="name"), ["columns", "'name'"]),
    (
        "columns without targets",
        _task(targets=None, visits=None, columns=["city"]),
        ["['city']", "targets"],
    ),
    ("targets record without id", _task(targets=[{"name": "x"}]), ["targets[0]", "'id'"]),
    # task notice: visits (双清单)
    ("visit id", _task(visits=_with(VISITS, 1, visit=KeyError)), ["visits[1]", "'visit'"]),
    (
        "visit target",
        _task(visits=_with(VISITS, 0, target=KeyError)),
        ["visits[0]", "visit 'V1'", "'target' or 'id'"],
    ),
    (
        "visit not drawn",
        _task(visits=_with(VISITS, 2, target="91000000000000000X")),
        ["visits[2]", "91000000000000000X", "not drawn"],
    ),
    ("visit twice", _task(visits=[VISITS[0], VISITS[0]]), ["visits[1]", "'V1'", "twice"]),
    ("empty team", _task(visits=_with(VISITS, 1, team=[])), ["visits[1]", "'team'"]),
    ("no team", _task(visits=_with(VISITS, 1, team=KeyError)), ["visits[1]", "'team'"]),
    ("member name", _task(visits=_team(1, name=KeyError)), ["visits[0]", "team[1]", "'name'"]),
    ("member unit", _task(visits=_team(0, unit=KeyError)), ["team[0]", "'unit'"]),
    (
        "officer certificate",
        _task(visits=_team(1, certificate=KeyError)),
        ["team[1]", "'certificate'"],
    ),
    ("member role", _task(visits=_team(0, role="chief")), ["team[0]", "'chief'", "officer"]),
    ("member not a mapping", _task(visits=_with(VISITS, 0, team=["张三"])), ["team[0]"]),
    ("items type", _task(visits=_with(VISITS, 0, items=[1, 2])), ["visits[0]", "'items'"]),
    ("seed", _task(seed=12), ["seed", "12"]),
    ("date", _task(date="2026-02-30"), ["date", "'2026-02-30'"]),
    ("date format", _task(date="20260101"), ["date", "'20260101'"]),
    ("issuer", _task(issuer=""), ["issuer"]),
    ("title", _task(title=3), ["title", "3"]),
    # plan notice
    ("plan type", _plan(plan=[1]), ["plan", "list"]),
    ("plan name", _plan(plan={"tasks": []}), ["plan", "'name'"]),
    ("plan tasks", _plan(plan={"name": "x"}), ["plan", "'tasks'"]),
    (
        "task name",
        _plan(plan={"name": "x", "tasks": [{"kind": "key"}]}),
        ["plan tasks[0]", "'name'"],
    ),
    (
        "task items",
        _plan(plan={"name": "x", "tasks": [{"name": "t", "items": [1]}]}),
        ["'t'", "'items'"],
    ),
    (
        "summary population",
        _plan(summary=_with(SUMMARY, 1, population=KeyError)),
        ["summary[1]", "'population'"],
    ),
    (
        "summary population type",
        _plan(summary=_with(SUMMARY, 0, population=2.5)),
        ["summary[0]", "'population'", "2.5"],
    ),
    ("summary pi", _plan(summary=_with(SUMMARY, 0, pi_max=-0.1)), ["summary[0]", "'pi_max'"]),
    (
        "summary expected",
        _plan(summary=_with(SUMMARY, 0, expected=float("nan"))),
        ["summary[0]", "'expected'"],
    ),
    ("summary size", _plan(summary=_with(SUMMARY, 0, size=["3"])), ["summary[0]", "'size'"]),
    (
        "registries",
        _plan(registries={"targets": {"size": 3}}),
        ["registries['targets']", "'fingerprint'"],
    ),
    (
        "registries size",
        _plan(registries={"targets": {"size": -1, "fingerprint": "a"}}),
        ["registries['targets']", "'size'", "-1"],
    ),
    ("registries type", _plan(registries=[1]), ["registries"]),
    ("randomness kind", _plan(randomness={"kind": "dice"}), ["randomness", "'dice'"]),
    ("randomness no kind", _plan(randomness={"sources": ["a"]}), ["randomness", "'kind'"]),
    (
        "beacon round",
        _plan(randomness={"kind": "beacon", "chain_hash": "a" * 64}),
        ["randomness", "'round'"],
    ),
    ("sources list", _plan(randomness={"kind": "sources", "sources": [1]}), ["randomness.sources"]),
    ("commitment seq", _plan(commitment={"root": "ab"}), ["commitment", "'seq'"]),
    ("commitment seq type", _plan(commitment={"seq": "0"}), ["commitment", "'seq'", "'0'"]),
    ("publication", _plan(plan={**PLAN, "publication": {"penalties": "警告"}}), []),
    # result notice
    (
        "outcome not in set",
        _result(results=_with(RESULTS, 1, outcome="基本正常")),
        ["results[1]", "91130100MA0000002B", "'基本正常'", "正常"],
    ),
    (
        "outcome missing",
        _result(results=_with(RESULTS, 0, outcome=KeyError)),
        ["results[0]", "'outcome'"],
    ),
    (
        "result target",
        _result(results=[{"outcome": "正常"}]),
        ["results[0]", "'id' or 'target' or 'target_id'"],
    ),
    (
        "penalty not in set",
        _result(results=_with(RESULTS, 1, penalties=["警告", "拘留"])),
        ["results[1]", "'拘留'", "penalties"],
    ),
    (
        "result date",
        _result(results=_with(RESULTS, 2, date="April 3")),
        ["results[2]", "92130100MA0000003C", "'April 3'"],
    ),
    (
        "result target unknown",
        _result(results=_with(RESULTS, 0, id="X9"), targets=TARGETS),
        ["results[0]", "'X9'", "targets"],
    ),
    ("outcome set empty", _result(outcomes=[]), ["outcomes", "empty"]),
    ("outcome set type", _result(outcomes="正常"), ["outcomes", "'正常'"]),
    ("outcome labels", _result(outcomes={"正常": ""}), ["outcomes", "'正常'"]),
    ("penalty set", _result(penalties=5), ["penalties", "5"]),
]


@pytest.mark.parametrize(("case", "call", "culprits"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_names_the_culprit(
    case: str, call: Callable[[], Any], culprits: list[str]
) -> None:
    if case == "publication":
        # a plain string is one penalty, not a list of characters: accepted, shown as is
        n = call()
        assert "警告" in n.text
        return
    with pytest.raises(InputError) as e:
        call()
    for c in culprits:
        assert c in str(e.value), f"{c!r} not in {str(e.value)!r}"


def test_render_all_arguments(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(InputError, match="'memo'"):
        nt.render_all(out, "memo", SELECTION)
    with pytest.raises(InputError, match="langs"):
        nt.render_all(out, "task", SELECTION, langs="zh")
    with pytest.raises(InputError, match="'lang'"):
        nt.render_all(out, "task", SELECTION, lang="zh")
    with pytest.raises(InputError, match="'fr'"):
        nt.render_all(out, "task", SELECTION, langs=["zh", "fr"])
    with pytest.raises(InputError, match="'docx'"):
        nt.render_all(out, "task", SELECTION, formats=["html", "docx"])
    with pytest.raises(InputError, match="'基本正常'"):
        nt.render_all(out, "result", _with(RESULTS, 0, outcome="基本正常"))
    assert not out.exists()  # nothing was written
