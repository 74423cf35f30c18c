"""Notices: content and the four formats, checked by parsing the output as a reader would."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_notice_support import (
    BOM,
    PLAN,
    RANDOMNESS,
    REGISTRIES,
    RESULTS,
    SELECTION,
    SUMMARY,
    TARGETS,
    VISITS,
    csv_blocks,
    csv_table,
    json_table,
    md_tables,
    parse_html,
)

from shuangsuiji import notices as nt
from shuangsuiji.notices.describe import percent
from shuangsuiji.notices.document import number_text
from shuangsuiji.notices.render_csv import spreadsheet_raw, spreadsheet_safe

ZH_TARGET_HEADER = ["抽查任务", "层", "统一社会信用代码", "名称", "城市", "入样概率π", "随机数"]
EN_TARGET_HEADER = [
    "Task",
    "Stratum",
    "ID",
    "Name",
    "City",
    "Inclusion probability π",
    "Random number",
]


# The task notice's inputs besides the selection, as the tests give them unless told otherwise.
TASK_INPUTS: dict[str, Any] = {
    "targets": TARGETS,
    "columns": ["name", "city"],
    "visits": VISITS,
    "plan_name": PLAN["name"],
    "seed": {"hex": "ab" * 16, "key_string": "3.11.17./3512.34/"},
    "issuer": "某市市场监督管理局",
    "date": "2026-01-12",
}


def task(fmt: str = "html", lang: str = "zh", **kw: Any) -> nt.Notice:
    return nt.task_notice(SELECTION, lang=lang, fmt=fmt, **{**TASK_INPUTS, **kw})


def plan(fmt: str = "html", lang: str = "zh", **kw: Any) -> nt.Notice:
    args: dict[str, Any] = {
        "registries": REGISTRIES,
        "randomness": RANDOMNESS,
        "commitment": {"seq": 0, "root": "c" * 64},
        "issuer": "某市市场监督管理局",
        "date": "2026-01-05",
    }
    args.update(kw)
    return nt.plan_notice(PLAN, SUMMARY, lang=lang, fmt=fmt, **args)


def result(fmt: str = "html", lang: str = "zh", **kw: Any) -> nt.Notice:
    args: dict[str, Any] = {"targets": TARGETS, "plan_name": PLAN["name"], "date": "2026-04-20"}
    args.update(kw)
    return nt.result_notice(RESULTS, lang=lang, fmt=fmt, **args)


def expected_target_rows() -> list[list[str]]:
    return [
        [
            r["task"],
            r["stratum"],
            r["id"],
            TARGETS[r["id"]]["name"],
            TARGETS[r["id"]]["city"],
            number_text(r["inclusion_probability"]),
            number_text(r["prn"]),
        ]
        for r in SELECTION
    ]


# -- numbers --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0.1, "0.1"),
        (1.0, "1"),
        (0.0, "0"),
        (1e-05, "0.00001"),
        (0.058823529411764705, "0.058823529411764705"),
        (2.05, "2.05"),
        (0.1 + 0.2, "0.30000000000000004"),
    ],
)
def test_number_text_is_the_shortest_exact_decimal(x: float, text: str) -> None:
    assert number_text(x) == text
    assert float(text) == x


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
@settings(max_examples=200)
def test_number_text_round_trips(x: float) -> None:
    text = number_text(x)
    assert float(text) == x and "e" not in text


@pytest.mark.parametrize(
    ("rate", "text"), [(0.07, "7%"), (0.125, "12.5%"), (1, "100%"), (0.1, "10%"), (0, "0%")]
)
def test_percent_is_exact(rate: float, text: str) -> None:
    assert percent(rate) == text


# -- task notice ----------------------------------------------------------------------------
def test_task_csv_has_bom_zh_labels_and_the_input_rows() -> None:
    n = task("csv")
    assert n.content.startswith(BOM) and n.format == "csv" and n.filename == "task-notice.zh.csv"
    blocks = csv_blocks(n.content)
    head = blocks[0]
    assert head[0] == ["抽查任务公告"] and head[1] == [PLAN["name"]]
    facts = {r[0]: r[1] for r in head[2:]}
    assert facts["发布机关"] == "某市市场监督管理局" and facts["发布日期"] == "2026-01-12"
    assert facts["随机种子"] == "ab" * 16
    assert (
        facts["抽中检查对象"] == "3" and facts["抽查任务记录"] == "4" and facts["检查户次"] == "3"
    )
    header, rows = csv_table(n.content, "抽中的检查对象")
    assert header == ZH_TARGET_HEADER
    assert rows == expected_target_rows()
    # every π and PRN reads back as exactly the input float
    assert [float(r[5]) for r in rows] == [r["inclusion_probability"] for r in SELECTION]
    assert [float(r[6]) for r in rows] == [r["prn"] for r in SELECTION]


def test_task_csv_double_list_blocks() -> None:
    n = task("csv")
    header, rows = csv_table(n.content, "检查事项清单")
    assert header == ["检查编号", "统一社会信用代码", "名称", "抽查任务", "检查事项"]
    assert rows[0] == [
        "V1",
        "91130100MA0000001A",
        "石家庄恒信食品检测有限公司",
        "食品检验机构重点抽查、其他机构一般抽查",
        "资质认定条件、检验检测报告",
    ]
    # tasks default to those that drew the target; items may be omitted or one string
    assert rows[1][3:] == ["食品检验机构重点抽查", ""]
    assert rows[2][4] == "碳排放核查报告"
    header, team = csv_table(n.content, "执法检查人员名单")
    assert header == ["检查编号", "身份", "单位", "姓名", "执法证号"]
    assert team[0] == ["V1", "执法人员", "石家庄市市场监管局", "张三丰", "13010001"]
    assert team[2] == ["V1", "技术专家", "河北省计量院", "Zhang San", ""]
    assert len(team) == sum(len(v["team"]) for v in VISITS)


def test_task_csv_english_labels() -> None:
    n = task("csv", "en")
    assert n.filename == "task-notice.en.csv"
    blocks = csv_blocks(n.content)
    assert blocks[0][0] == ["Inspection task notice"]
    header, rows = csv_table(n.content, "Drawn targets")
    assert header == EN_TARGET_HEADER
    assert rows == expected_target_rows()
    header, team = csv_table(n.content, "Inspection teams")
    assert header == ["Visit", "Role", "Unit", "Name", "Certificate"]
    assert [r[1] for r in team[:3]] == ["officer", "officer", "technical expert"]


def test_task_json_is_canonical_and_typed() -> None:
    n = task("json")
    text = n.content.decode("utf-8")
    assert not text.startswith("\ufeff") and "石家庄恒信食品检测有限公司" in text  # not \\u escaped
    doc = json.loads(text)
    assert json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n" == text
    assert doc["schema"] == "shuangsuiji.notice/1"
    assert (doc["kind"], doc["lang"], doc["title"]) == ("task", "zh", "抽查任务公告")
    t = json_table(n.content, "targets")
    assert [c["key"] for c in t["columns"]] == [
        "task",
        "stratum",
        "id",
        "name",
        "city",
        "pi",
        "prn",
    ]
    assert [c["label"] for c in t["columns"]] == ZH_TARGET_HEADER
    for row, r in zip(t["rows"], SELECTION):
        assert row["pi"] == r["inclusion_probability"] and row["prn"] == r["prn"]
        assert row["id"] == r["id"] and row["name"] == TARGETS[r["id"]]["name"]
    facts = {f["key"]: f["value"] for f in doc["facts"]}
    assert facts["drawn_targets"] == 3 and isinstance(facts["drawn_records"], int)
    team = json_table(n.content, "team")
    assert team["rows"][2]["certificate"] is None
    assert doc["redactions"] == []


def test_task_html_tables_match_the_input() -> None:
    n = task("html")
    page = parse_html(n.content)
    assert page.lang == "zh-CN"
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert page.headings[0] == "抽查任务公告"
    targets, visits, team = page.tables
    assert targets["header"] == ZH_TARGET_HEADER
    assert targets["rows"] == expected_target_rows()
    assert len(visits["rows"]) == 3 and visits["rows"][0][0] == "V1"
    assert team["header"] == ["检查编号", "身份", "单位", "姓名", "执法证号"]
    assert len(team["rows"]) == 7


def test_html_is_standalone_and_printable() -> None:
    text = task("html", "en").text
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta charset="utf-8">' in text and "@media print" in text
    for external in ("http://", "https://", "<script", "src=", "@import", "url("):
        assert external not in text
    assert '"Microsoft YaHei"' in text and '"PingFang SC"' in text and "Noto Sans CJK SC" in text


def test_task_markdown_tables() -> None:
    n = task("md")
    text = n.text
    assert text.startswith("# 抽查任务公告\n")
    tables = md_tables(text)
    header, rows = tables["抽中的检查对象"]
    assert header == ZH_TARGET_HEADER and rows == expected_target_rows()
    header, rows = tables["执法检查人员名单"]
    assert rows[0] == ["V1", "执法人员", "石家庄市市场监管局", "张三丰", "13010001"]
    assert "| --- | --- | --- | --- | --- | ---: | ---: |" in text


HOSTILE = [
    "<script>alert('x')</script>",
    "A|B \\| C",
    'quote " and, comma',
    "line\nbreak",
    "**bold** _it_ [link](http://x) `code` ~~s~~ &amp; &lt;",
    '=HYPERLINK("http://evil")',
    "-1+2",
    "@SUM(A1)",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_survive_every_format(name: str) -> None:
    targets = copy.deepcopy(TARGETS)
    targets["91130100MA0000001A"]["name"] = name
    flat = name.replace("\n", " ")
    # HTML: escaped, shown as text
    page = parse_html(task("html", targets=targets).content)
    assert "script" not in page.tags and "a" not in page.tags
    assert page.tables[0]["rows"][0][3] == name
    # CSV: the value, behind an apostrophe when a spreadsheet would run it as a formula
    _, rows = csv_table(task("csv", targets=targets).content, "抽中的检查对象")
    assert rows[0][3] == ("'" + name if name[0] in "=+-@" else name)
    # JSON: the value
    assert json_table(task("json", targets=targets).content, "targets")["rows"][0]["name"] == name
    # Markdown: the value on one line, markup escaped
    md = task("md", targets=targets).text
    assert md_tables(md)["抽中的检查对象"][1][0][3] == flat
    assert "<script>" not in md and "**bold**" not in md


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n|\\*<>&"),
        min_size=1,
        max_size=30,
    )
)
@settings(max_examples=40, deadline=None)
def test_any_text_round_trips(name: str) -> None:
    targets = copy.deepcopy(TARGETS)
    targets["91130100MA0000001A"]["name"] = name
    assert parse_html(task("html", targets=targets).content).tables[0]["rows"][0][3] == name
    _, rows = csv_table(task("csv", targets=targets).content, "抽中的检查对象")
    assert rows[0][3] in (name, "'" + name) and spreadsheet_raw(rows[0][3]) == name
    assert json_table(task("json", targets=targets).content, "targets")["rows"][0]["name"] == name
    md = md_tables(task("md", targets=targets).text)["抽中的检查对象"][1][0][3]
    assert md == name.replace("\n", " ")


# -- CSV cells a spreadsheet would damage ---------------------------------------------------
CODE_18 = "911306008594204897"  # an all-digit 统一社会信用代码: Excel shows 9.11306E+17
CODE_0 = "0130100001"  # a registry ID with a leading zero: Excel shows 130100001
CODE_LETTER = "91130100MA0000001A"
CERT_14 = "13010020260007"  # a 执法证号: Excel's General format shows 1.301E+13


def fragile_task(fmt: str) -> nt.Notice:
    """A task notice whose IDs, name and certificate are each a kind of cell CSV must guard."""
    ids = [CODE_18, CODE_0, CODE_LETTER]
    targets = {
        CODE_18: {"name": '=HYPERLINK("http://x")'},
        CODE_0: {"name": "某检测站"},
        CODE_LETTER: {"name": "'引号开头"},
    }
    sel = [{"task": "t", "id": i, "inclusion_probability": 0.5} for i in ids]
    team = [{"name": "王五", "unit": "某局", "certificate": CERT_14}]
    visits = [{"visit": "007", "target": CODE_18, "team": team}]
    return nt.task_notice(sel, targets=targets, visits=visits, fmt=fmt)


def test_csv_keeps_digit_ids_as_text_in_spreadsheets() -> None:
    n = fragile_task("csv")
    _, rows = csv_table(n.content, "抽中的检查对象")
    assert [(r[2], r[3]) for r in rows] == [
        ("'" + CODE_18, '\'=HYPERLINK("http://x")'),  # 18 digits; a formula
        ("'" + CODE_0, "某检测站"),  # leading zero; plain text
        (CODE_LETTER, "''引号开头"),  # a letter: as is; a leading ' is doubled
    ]
    _, visits = csv_table(n.content, "检查事项清单")
    assert visits[0][:2] == ["'007", "'" + CODE_18]
    _, team = csv_table(n.content, "执法检查人员名单")
    assert team[0] == ["'007", "执法人员", "某局", "王五", "'" + CERT_14]
    # the bytes: one apostrophe before the digits, no quotes, no invisible character
    assert f"t,,'{CODE_18},".encode() in n.content and f"t,,{CODE_LETTER},".encode() in n.content


def test_csv_raw_values_are_the_json_values() -> None:
    """Removing one leading apostrophe from every cell gives exactly the published values."""
    csv_rows = csv_table(fragile_task("csv").content, "抽中的检查对象")[1]
    json_rows = json_table(fragile_task("json").content, "targets")["rows"]
    got = [[spreadsheet_raw(c) for c in r[2:4]] for r in csv_rows]
    assert got == [[r["id"], r["name"]] for r in json_rows]
    assert [r["id"] for r in json_rows] == [CODE_18, CODE_0, CODE_LETTER]


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("12345678901", "12345678901"),  # 11 digits: Excel's General format shows them all
        ("123456789012", "'123456789012"),  # 12: shown in exponent form
        (CODE_18, "'" + CODE_18),
        ("0", "0"),
        ("00", "'00"),
        ("0.15", "0.15"),  # a number, not an ID: left for the spreadsheet to read as one
        ("1", "1"),
        ("2026-01-12", "2026-01-12"),
        (
            "１２３４５６７８９０１２３",
            "１２３４５６７８９０１２３",
        ),  # not ASCII digits: outside the rule
        ("0123 ", "0123 "),
        ("", ""),
        ("'", "''"),
        ("-5", "'-5"),
        ("\t1", "'\t1"),
    ],
)
def test_spreadsheet_safe_rule(text: str, cell: str) -> None:
    assert spreadsheet_safe(text) == cell
    assert spreadsheet_raw(cell) == text


@given(st.one_of(st.text(max_size=25), st.from_regex(r"0?[0-9]{0,20}", fullmatch=True)))
@settings(max_examples=200)
def test_spreadsheet_raw_inverts_spreadsheet_safe(text: str) -> None:
    cell = spreadsheet_safe(text)
    assert spreadsheet_raw(cell) == text
    assert cell in (text, "'" + text)


def test_same_inputs_same_bytes() -> None:
    for fmt in nt.FORMATS:
        a, b = task(fmt), task(fmt, targets=copy.deepcopy(TARGETS))
        assert a.content == b.content and a == b
        assert plan(fmt).content == plan(fmt).content
        assert result(fmt).content == result(fmt).content


def test_objects_with_records_are_accepted() -> None:
    class Sel:
        def to_records(self) -> list[dict[str, Any]]:
            return SELECTION

    class Assignment:
        def visits(self) -> list[dict[str, Any]]:
            return VISITS

    a = task("json", visits=Assignment())
    records = [{"id": k, **v} for k, v in TARGETS.items()]
    b = nt.task_notice(Sel(), **{**TASK_INPUTS, "targets": records}, fmt="json")
    assert a.content == b.content


def test_task_notice_without_targets_or_visits() -> None:
    n = nt.task_notice(SELECTION, fmt="csv")
    blocks = csv_blocks(n.content)
    assert len(blocks) == 3  # header, targets, notes
    header, rows = csv_table(n.content, "抽中的检查对象")
    assert header == ["抽查任务", "层", "统一社会信用代码", "入样概率π", "随机数"]
    assert len(rows) == 4


def test_column_labels_and_extra_columns() -> None:
    n = task(
        "csv",
        "en",
        columns=["name", "credit", "grid"],
        targets={k: {**v, "grid": "G-7"} for k, v in TARGETS.items()},
        column_labels={"grid": "Grid cell"},
    )
    header, rows = csv_table(n.content, "Drawn targets")
    assert header[3:6] == ["Name", "Credit class", "Grid cell"]
    assert rows[0][5] == "G-7"


# -- plan notice ----------------------------------------------------------------------------
def test_plan_notice_content_zh() -> None:
    n = plan("csv")
    head = csv_blocks(n.content)[0]
    assert head[0] == ["抽查计划公告"] and head[1] == [PLAN["name"]]
    facts = {r[0]: r[1] for r in head[2:]}
    assert facts["一般事项抽查比例上限"] == "10%"
    assert facts["随机源（事先声明）"] == (
        "以下公开数值：1. 双色球第2026004期红球开奖号码；2. 上证综合指数2026-01-09收盘点位；"
        "2026-01-09 之后方可知晓"
    )
    assert facts["承诺记录"] == f"序号 0，Merkle 根 {'c' * 64}"
    assert facts["结果公示期限"] == "检查结束后 20 个工作日内"
    assert facts["处罚种类"] == "警告、罚款"
    header, rows = csv_table(n.content, "抽查事项")
    assert header == [
        "抽查任务",
        "类型",
        "抽查范围",
        "分层",
        "抽取数量",
        "风险分类抽查",
        "近期已检查排除",
        "检查组要求",
        "检查事项",
    ]
    food, other = rows
    assert food[:5] == [
        "食品检验机构重点抽查",
        "重点",
        "领域 = 食品",
        "城市",
        "比例 7%，至少 2 家，向上取整",
    ]
    assert food[5] == "按信用等级加权：A 1、B 2.5"
    assert food[7] == "执法人员 2 名；专家 1 名；全员具备领域资质"
    assert food[8] == "资质认定条件、检验检测报告"
    assert other[1:5] == ["一般", "领域 ∈ {建筑材料、碳核查}", "", "按风险分级比例"]
    assert other[5] == "按信用等级分级比例：A 5%、B 10%"
    assert other[6] == "排除 2026-01-01 前 365 天内检查过的对象（上次检查日期）"
    assert other[7:] == ["", ""]
    header, rows = csv_table(n.content, "名录库")
    assert rows == [["检查对象名录库", "2600", "a" * 64], ["执法检查人员名录库", "340", "b" * 64]]
    header, rows = csv_table(n.content, "各层入样概率（随机种子产生前公布）")
    assert header == [
        "抽查任务",
        "层",
        "抽样方法",
        "对象总数",
        "抽取数量",
        "期望抽中数（Σπ）",
        "最小入样概率",
        "最大入样概率",
    ]
    assert rows[0] == [
        "食品检验机构重点抽查",
        "石家庄",
        "按风险权重的不等概率抽样（πps）",
        "30",
        "3",
        "3",
        "0.058823529411764705",
        "0.14705882352941177",
    ]
    assert rows[1][4:6] == ["2/3", "2.05"]


def test_plan_notice_english_and_json() -> None:
    n = plan("json", "en")
    doc = json.loads(n.content)
    facts = {f["key"]: f["value"] for f in doc["facts"]}
    assert facts["randomness"] == (
        "these public values: 1. 双色球第2026004期红球开奖号码; 2. 上证综合指数2026-01-09收盘点位; "
        "known after 2026-01-09"
    )
    assert facts["outcome_set"].startswith("normal, did not disclose as required")
    tasks = json_table(n.content, "tasks")["rows"]
    assert tasks[0]["size"] == "rate 7%, at least 2, rounded up"
    assert tasks[1]["kind"] == "general"
    strata = json_table(n.content, "strata")["rows"]
    assert strata[1]["sample_size"] == [2, 3] and strata[1]["expected"] == 2.05
    assert strata[0]["population"] == 30 and isinstance(strata[0]["population"], int)


@pytest.mark.parametrize(
    ("randomness", "zh"),
    [
        (
            {"kind": "beacon", "chain_hash": "d" * 64, "round": 123},
            f"drand 随机信标，链 {'d' * 64}，第 123 轮",
        ),
        (
            {
                "kind": "beacon",
                "chain": "e" * 64,
                "round": 7,
                "known_after": "2026-01-09T12:00+08:00",
                "description": "drand quicknet",
            },
            f"drand quicknet；drand 随机信标，链 {'e' * 64}，第 7 轮；2026-01-09T12:00+08:00 之后方可知晓",
        ),
        ({"kind": "undeclared"}, "未事先声明"),
        (
            {"kind": "sources", "sources": ["上证综合指数收盘点位"], "description": "两个来源"},
            "两个来源；以下公开数值：上证综合指数收盘点位",
        ),
        ({"kind": "sources", "description": ["A", "B"]}, "以下公开数值：1. A；2. B"),
    ],
)
def test_randomness_declarations(randomness: dict[str, Any], zh: str) -> None:
    doc = json.loads(plan("json", randomness=randomness).content)
    assert {f["key"]: f["value"] for f in doc["facts"]}["randomness"] == zh


def test_plan_notice_accepts_library_objects() -> None:
    import shuangsuiji as ss

    p = ss.Plan.from_dict(
        {"name": "小计划", "tasks": [{"name": "t", "strata": ["city"], "size": {"rate": 0.5}}]}
    )
    rows = [{"id": f"id{i}", "city": "AB"[i % 2], "name": f"n{i}"} for i in range(10)]
    targets = ss.Targets.from_records(rows, id="id")
    pi = ss.inclusion_probabilities(p, targets)
    a = nt.plan_notice(p, pi, fmt="json")
    b = nt.plan_notice(p.to_dict(), pi.summary(), fmt="json")
    assert a.content == b.content
    sel = ss.draw(p, targets, ss.Seed.from_hex("00" * 16))
    n = nt.task_notice(sel, targets=rows, fmt="csv", seed=ss.Seed.from_hex("00" * 16))
    _, got = csv_table(n.content, "抽中的检查对象")
    assert [r[2] for r in got] == [r["id"] for r in sel.to_records()]
    facts = {r[0]: r[1] for r in csv_blocks(n.content)[0][1:]}
    assert facts["随机种子"] == "'" + "00" * 16  # all digits, leading zero: kept as text
    assert spreadsheet_raw(facts["随机种子"]) == "00" * 16


# -- result notice --------------------------------------------------------------------------
def test_result_notice_zh() -> None:
    n = result("csv")
    header, rows = csv_table(n.content, "结果汇总")
    assert header == ["检查结果", "户数"]
    assert rows == [
        ["正常", "1"],
        ["未按规定公示", "0"],
        ["通过登记的住所无法联系", "1"],
        ["发现问题已责令改正", "1"],
    ]
    header, rows = csv_table(n.content, "抽查结果")
    assert header == [
        "统一社会信用代码",
        "名称",
        "抽查任务",
        "检查结果",
        "处罚",
        "检查日期",
        "说明",
    ]
    assert rows[1] == [
        "91130100MA0000002B",
        "石家庄华正食品检测有限公司",
        "食品检验机构重点抽查",
        "发现问题已责令改正",
        "警告、罚款",
        "2026-04-02",
        "报告签发不规范",
    ]
    assert rows[2][1] == "李四" and rows[2][4] == ""


def test_result_notice_en_labels_outcomes_and_penalties() -> None:
    n = result("md", "en")
    tables = md_tables(n.text)
    _, summary = tables["Summary of results"]
    assert [r[0] for r in summary] == [
        "normal",
        "did not disclose as required",
        "unreachable at the registered address",
        "problems found, ordered to correct",
    ]
    _, rows = tables["Results"]
    assert rows[1][3:5] == ["problems found, ordered to correct", "warning, fine"]


def test_result_notice_custom_outcome_set() -> None:
    outcomes = {"正常": "normal", "未发现问题": "no problem found"}
    res = [{"id": "X1", "outcome": "未发现问题", "name": "某公司"}]
    n = nt.result_notice(res, outcomes=outcomes, lang="en", fmt="json")
    rows = json_table(n.content, "results")["rows"]
    assert rows[0]["outcome"] == "no problem found" and rows[0]["name"] == "某公司"
    summary = json_table(n.content, "outcomes")["rows"]
    assert summary == [
        {"outcome": "normal", "count": 0},
        {"outcome": "no problem found", "count": 1},
    ]
    # a plain list of values: English labels from the built-in table, else the value
    n = nt.result_notice(res, outcomes=["正常", "未发现问题"], lang="en", fmt="json")
    assert [r["outcome"] for r in json_table(n.content, "outcomes")["rows"]] == [
        "normal",
        "未发现问题",
    ]


# -- Notice, render_all, visits ---------------------------------------------------------------
def test_notice_value_and_write(tmp_path: Path) -> None:
    n = task("html")
    assert n.sha256 == hashlib.sha256(n.content).hexdigest()
    d = n.to_dict()
    assert d == {
        "kind": "task",
        "lang": "zh",
        "format": "html",
        "filename": "task-notice.zh.html",
        "bytes": len(n.content),
        "sha256": n.sha256,
        "redactions": [],
    }
    assert n.media_type.startswith("text/html")
    p = n.write(tmp_path)
    assert p == tmp_path / "task-notice.zh.html" and p.read_bytes() == n.content
    q = n.write(tmp_path / "other.html")
    assert q.read_bytes() == n.content
    assert sorted(x.name for x in tmp_path.iterdir()) == ["other.html", "task-notice.zh.html"]


def test_render_all_writes_every_language_and_format(tmp_path: Path) -> None:
    out = tmp_path / "notices"
    policy = nt.RedactionPolicy(names=["inspector_name"])
    got = nt.render_all(out, "task", SELECTION, **TASK_INPUTS, redaction=policy)
    assert len(got) == 8
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"task-notice.{lang}.{fmt}" for lang in ("zh", "en") for fmt in nt.FORMATS
    )
    for n in got:
        assert (out / n.filename).read_bytes() == n.content
        assert n.content == task(n.format, n.lang, redaction=policy).content
        assert n.redactions and n.redactions[0].column == "inspector_name"
    plans = nt.render_all(out, "plan", PLAN, SUMMARY, langs=["en"], formats=["md"])
    assert [n.filename for n in plans] == ["plan-notice.en.md"]


def test_visits_from_assignment() -> None:
    records = [
        {"task": "T1", "id": "X", "inspector": "P1", "role": "officer", "visit": "V1"},
        {"task": "T1", "id": "X", "inspector": "P2", "role": "officer", "visit": "V1"},
        {"task": "T2", "id": "X", "inspector": "P1", "role": "officer", "visit": "V1"},
        {"task": "T2", "id": "X", "inspector": "E1", "role": "expert", "visit": "V1"},
        {"task": "T2", "id": "Y", "inspector": "P2", "role": "officer", "visit": "V2"},
    ]
    inspectors = [
        {"id": "P1", "name": "张三", "unit": "U1", "certificate": "C1"},
        {"id": "P2", "name": "李四", "unit": "U2", "certificate": "C2"},
        {"id": "E1", "name": "王五", "unit": "U3"},
    ]
    items = {"tasks": [{"name": "T1", "items": ["a", "b"]}, {"name": "T2", "items": ["b", "c"]}]}
    visits = nt.visits_from_assignment(records, inspectors, items=items)
    assert visits[0] == {
        "visit": "V1",
        "target": "X",
        "tasks": ["T1", "T2"],
        "items": ["a", "b", "c"],
        "team": [
            {
                "inspector": "P1",
                "role": "officer",
                "name": "张三",
                "unit": "U1",
                "certificate": "C1",
            },
            {
                "inspector": "P2",
                "role": "officer",
                "name": "李四",
                "unit": "U2",
                "certificate": "C2",
            },
            {"inspector": "E1", "role": "expert", "name": "王五", "unit": "U3"},
        ],
    }
    assert visits[1]["items"] == ["b", "c"] and visits[1]["tasks"] == ["T2"]
    sel = [{"task": r["task"], "id": r["id"], "inclusion_probability": 1.0} for r in records]
    n = nt.task_notice(sel, visits=visits, fmt="json")
    assert len(json_table(n.content, "team")["rows"]) == 4


@pytest.mark.parametrize("kind", ["plan", "task", "result"])
def test_each_notice_function_takes_its_builders_arguments(kind: str) -> None:
    # The public functions pass their arguments to the document builders by name (notice._one),
    # so the two signatures must agree: same positional and keyword names, same defaults.
    import inspect

    from shuangsuiji.notices import content, notice

    public = inspect.signature(getattr(notice, f"{kind}_notice")).parameters
    builder = inspect.signature(getattr(content, f"{kind}_document")).parameters
    own = {"fmt", "redaction"}
    assert [n for n in public if n not in own] == list(builder), kind
    for name, p in builder.items():
        assert public[name].kind == p.kind and public[name].default == p.default, name
