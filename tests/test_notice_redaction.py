"""Redaction: masked names and columns in every format, and the record of what was withheld."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_notice_support import (
    RESULTS,
    SELECTION,
    TARGETS,
    VISITS,
    csv_table,
    json_table,
    md_tables,
    parse_html,
)

from shuangsuiji import notices as nt
from shuangsuiji.errors import InputError
from shuangsuiji.notices import Redaction, RedactionPolicy, mask_name


def task(policy: RedactionPolicy | None, fmt: str = "json", lang: str = "zh") -> nt.Notice:
    return nt.task_notice(
        SELECTION,
        targets=TARGETS,
        columns=["name", "city", "credit"],
        visits=VISITS,
        lang=lang,
        fmt=fmt,
        redaction=policy,
    )


# -- the name rule ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张三丰", "张**"),
        ("欧阳娜娜", "欧***"),
        ("阿卜杜拉·艾力", "阿***·**"),
        ("张", "*"),
        ("Zhang San", "Z**** S**"),
        ("Jean-Luc Picard", "J***-L** P*****"),
        ("J. Smith", "J. S****"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@given(st.text(min_size=1, max_size=12))
@settings(max_examples=200)
def test_mask_name_keeps_length_and_shows_at_most_initials(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name)
    cjk = any(
        unicodedata.east_asian_width(c) in ("W", "F") and unicodedata.category(c) == "Lo"
        for c in name
    )
    shown = [i for i, (a, b) in enumerate(zip(name, masked)) if a == b and b != "*"]
    separators = set(" \t-·•.'’‧・")
    letters = [i for i in shown if name[i] not in separators]
    if cjk:
        assert len(letters) <= 1 and (
            not letters or letters[0] == min(i for i, c in enumerate(name) if c not in separators)
        )
    else:  # one shown letter per word: each follows a separator or starts the name
        assert all(i == 0 or name[i - 1] in separators for i in letters)


# -- policies ---------------------------------------------------------------------------------
def test_no_policy_no_redaction() -> None:
    n = task(None)
    assert n.redactions == () and json.loads(n.content)["redactions"] == []
    assert task(RedactionPolicy()).content == n.content


def test_private_columns_are_masked_and_recorded() -> None:
    n = task(RedactionPolicy(private=["credit"]))
    rows = json_table(n.content, "targets")["rows"]
    assert [r["credit"] for r in rows] == ["***"] * 4
    assert [r["name"] for r in rows] == [TARGETS[r["id"]]["name"] for r in SELECTION]
    assert n.redactions == (Redaction("targets", "credit", "private", 4, 4),)
    assert json.loads(n.content)["redactions"] == [
        {"table": "targets", "column": "credit", "rule": "private", "count": 4, "total": 4}
    ]
    assert n.to_dict()["redactions"] == json.loads(n.content)["redactions"]


def test_private_numbers_and_table_qualified_names() -> None:
    # "targets.id" masks the ID in the targets table only; π is masked as a value
    n = task(RedactionPolicy(private=["targets.id", "pi"]))
    targets = json_table(n.content, "targets")["rows"]
    assert {r["id"] for r in targets} == {"***"} and {r["pi"] for r in targets} == {"***"}
    visits = json_table(n.content, "visits")["rows"]
    assert visits[0]["id"] == "91130100MA0000001A"
    assert [(r.table, r.column, r.count) for r in n.redactions] == [
        ("targets", "id", 4),
        ("targets", "pi", 4),
    ]


def test_person_name_columns() -> None:
    n = task(RedactionPolicy(names=["inspector_name"]), fmt="csv")
    _, team = csv_table(n.content, "执法检查人员名单")
    assert [r[3] for r in team] == ["张**", "王*", "Z**** S**", "欧***", "张**", "王*", "赵*"]
    assert [r[4] for r in team][:2] == ["13010001", "13060002"]  # certificates stay
    assert n.redactions == (Redaction("team", "inspector_name", "person_name", 7, 7),)


def test_hide_inspector_names_shows_unit_and_certificate_only() -> None:
    policy = RedactionPolicy(hide_inspector_names=True)
    for fmt in nt.FORMATS:
        n = task(policy, fmt=fmt)
        assert n.redactions == (Redaction("team", "inspector_name", "inspector_name", 7, 7),)
        assert "张三丰" not in n.text and "欧阳娜娜" not in n.text
    header, team = csv_table(task(policy, fmt="csv").content, "执法检查人员名单")
    assert header == ["检查编号", "身份", "单位", "执法证号"]
    assert team[0] == ["V1", "执法人员", "石家庄市市场监管局", "13010001"]
    page = parse_html(task(policy, fmt="html", lang="en").content)
    assert page.tables[2]["header"] == ["Visit", "Role", "Unit", "Certificate"]
    md = md_tables(task(policy, fmt="md").text)["执法检查人员名单"]
    assert md[0] == ["检查编号", "身份", "单位", "执法证号"]


def test_natural_persons_are_masked_wherever_their_name_appears() -> None:
    person = "92130100MA0000003C"
    policy = RedactionPolicy(natural_persons=[person])
    n = task(policy)
    targets = json_table(n.content, "targets")["rows"]
    assert [r["name"] for r in targets if r["id"] == person] == ["李*"]
    assert all(r["name"] != "李*" for r in targets if r["id"] != person)
    visits = json_table(n.content, "visits")["rows"]
    assert [r["name"] for r in visits if r["id"] == person] == ["李*"]
    assert n.redactions == (
        Redaction("targets", "name", "natural_person", 1, 4),
        Redaction("visits", "name", "natural_person", 1, 3),
    )
    r = nt.result_notice(RESULTS, targets=TARGETS, fmt="csv", redaction=policy)
    _, rows = csv_table(r.content, "抽查结果")
    assert rows[2][1] == "李*" and rows[0][1] == TARGETS[rows[0][0]]["name"]
    assert r.redactions == (Redaction("results", "name", "natural_person", 1, 3),)


def test_redactions_are_stated_in_the_text_formats() -> None:
    policy = RedactionPolicy(private=["credit"], hide_inspector_names=True)
    zh = "已隐去信息：抽中的检查对象「信用等级」4 项（不予公开）；执法检查人员名单「姓名」7 项（检查人员只显示单位和执法证号）"
    assert zh in task(policy, fmt="html").text
    assert zh in task(policy, fmt="csv").text
    assert zh in task(policy, fmt="md").text
    en = task(policy, fmt="md", lang="en").text
    assert "Redacted: Drawn targets, “Credit class”: 4 values (withheld)" in en
    assert json.loads(task(policy).content)["notes"][-1] == zh


def test_one_policy_serves_every_notice() -> None:
    policy = RedactionPolicy(private=["credit"], names=["inspector_name"])
    r = nt.result_notice(RESULTS, targets=TARGETS, fmt="json", redaction=policy)
    assert r.redactions == ()  # no such columns in a result notice: nothing masked


def test_policy_to_dict() -> None:
    p = RedactionPolicy(private=["b", "a"], natural_persons=("X",), hide_inspector_names=True)
    assert p.to_dict() == {
        "private": ["a", "b"],
        "names": [],
        "natural_persons": ["X"],
        "hide_inspector_names": True,
    }


@pytest.mark.parametrize(
    ("kwargs", "culprit"),
    [
        ({"private": "credit"}, "private=['credit']"),
        ({"names": ["nosuch.name"]}, "'nosuch.name'"),
        ({"private": ["targets."]}, "'targets.'"),
        ({"private": [""]}, "''"),
        ({"natural_persons": [123]}, "123"),
        ({"hide_inspector_names": "yes"}, "'yes'"),
    ],
)
def test_bad_policies(kwargs: dict[str, Any], culprit: str) -> None:
    with pytest.raises(InputError, match="RedactionPolicy") as e:
        RedactionPolicy(**kwargs)
    assert culprit in str(e.value)


def test_redaction_must_be_a_policy() -> None:
    with pytest.raises(InputError, match="RedactionPolicy"):
        nt.task_notice(SELECTION, redaction={"private": ["credit"]})  # type: ignore[arg-type]
