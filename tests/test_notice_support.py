"""Shared inputs and output parsers for the notice tests (no tests here).

The parsers read each format the way an independent consumer would: ``csv`` for CSV,
``json`` for JSON, ``html.parser`` for HTML and a small GFM table splitter for Markdown, so the
tests check what a reader gets, not how the renderer built it.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from typing import Any

BOM = b"\xef\xbb\xbf"

PLAN: dict[str, Any] = {
    "name": "某市2026年检验检测机构双随机抽查计划",
    "general_max_rate": 0.1,
    "publication": {
        "deadline_working_days": 20,
        "outcomes": ["正常", "未按规定公示", "通过登记的住所无法联系", "发现问题已责令改正"],
        "penalties": ["警告", "罚款"],
    },
    "tasks": [
        {
            "name": "食品检验机构重点抽查",
            "kind": "key",
            "where": {"field": "食品"},
            "strata": ["city"],
            "size": {"rate": 0.07, "minimum": 2, "rounding": "ceil"},
            "risk": {"column": "credit", "weights": {"A": 1, "B": 2.5}},
            "items": ["资质认定条件", "检验检测报告"],
            "team": {"officers": 2, "experts": 1, "match": {"column": "field", "who": "all"}},
        },
        {
            "name": "其他机构一般抽查",
            "kind": "general",
            "where": {"field": ["建筑材料", "碳核查"]},
            "risk": {"column": "credit", "rates": {"A": 0.05, "B": 0.1}},
            "cooloff": {"column": "last_inspected", "days": 365, "as_of": "2026-01-01"},
        },
    ],
}

SUMMARY: list[dict[str, Any]] = [
    {
        "task": "食品检验机构重点抽查",
        "stratum": "石家庄",
        "design": "pips",
        "population": 30,
        "expected": 3.0,
        "size": [3],
        "pi_min": 0.058823529411764705,
        "pi_max": 0.14705882352941177,
        "rate": None,
        "drawn": None,
    },
    {
        "task": "其他机构一般抽查",
        "stratum": "credit=A",
        "design": "srs",
        "population": 41,
        "expected": 2.05,
        "size": [2, 3],
        "pi_min": 0.05,
        "pi_max": 0.05,
    },
]

TARGETS: dict[str, dict[str, Any]] = {
    "91130100MA0000001A": {
        "name": "石家庄恒信食品检测有限公司",
        "city": "石家庄",
        "field": "食品",
        "credit": "B",
    },
    "91130100MA0000002B": {
        "name": "石家庄华正食品检测有限公司",
        "city": "石家庄",
        "field": "食品",
        "credit": "A",
    },
    "92130100MA0000003C": {"name": "李四", "city": "保定", "field": "碳核查", "credit": "A"},
}

SELECTION: list[dict[str, Any]] = [
    {
        "task": "食品检验机构重点抽查",
        "stratum": "石家庄",
        "id": "91130100MA0000001A",
        "inclusion_probability": 0.14705882352941177,
        "prn": 0.012345678901234568,
    },
    {
        "task": "食品检验机构重点抽查",
        "stratum": "石家庄",
        "id": "91130100MA0000002B",
        "inclusion_probability": 0.058823529411764705,
        "prn": 0.0009765625,
    },
    {
        "task": "其他机构一般抽查",
        "stratum": "credit=A",
        "id": "92130100MA0000003C",
        "inclusion_probability": 0.05,
        "prn": 1e-05,
    },
    {
        "task": "其他机构一般抽查",
        "stratum": "credit=A",
        "id": "91130100MA0000001A",
        "inclusion_probability": 0.05,
        "prn": 0.03125,
    },
]

VISITS: list[dict[str, Any]] = [
    {
        "visit": "V1",
        "target": "91130100MA0000001A",
        "tasks": ["食品检验机构重点抽查", "其他机构一般抽查"],
        "items": ["资质认定条件", "检验检测报告"],
        "team": [
            {
                "inspector": "P1",
                "name": "张三丰",
                "unit": "石家庄市市场监管局",
                "certificate": "13010001",
                "role": "officer",
            },
            {
                "inspector": "P2",
                "name": "王五",
                "unit": "保定市市场监管局",
                "certificate": "13060002",
                "role": "officer",
            },
            {"inspector": "E1", "name": "Zhang San", "unit": "河北省计量院", "role": "expert"},
        ],
    },
    {
        "visit": "V2",
        "id": "91130100MA0000002B",
        "team": [
            {
                "inspector": "P3",
                "name": "欧阳娜娜",
                "unit": "石家庄市市场监管局",
                "certificate": "13010003",
            },
            {
                "inspector": "P1",
                "name": "张三丰",
                "unit": "石家庄市市场监管局",
                "certificate": "13010001",
            },
        ],
    },
    {
        "visit": "V3",
        "target": "92130100MA0000003C",
        "items": "碳排放核查报告",
        "team": [
            {
                "inspector": "P2",
                "name": "王五",
                "unit": "保定市市场监管局",
                "certificate": "13060002",
            },
            {
                "inspector": "P4",
                "name": "赵六",
                "unit": "保定市市场监管局",
                "certificate": "13060004",
            },
        ],
    },
]

RESULTS: list[dict[str, Any]] = [
    {
        "id": "91130100MA0000001A",
        "task": "食品检验机构重点抽查",
        "outcome": "正常",
        "date": "2026-04-01",
    },
    {
        "id": "91130100MA0000002B",
        "task": "食品检验机构重点抽查",
        "outcome": "发现问题已责令改正",
        "penalties": ["警告", "罚款"],
        "date": "2026-04-02",
        "detail": "报告签发不规范",
    },
    {
        "target": "92130100MA0000003C",
        "task": "其他机构一般抽查",
        "outcome": "通过登记的住所无法联系",
        "date": "2026-04-03",
    },
]

RANDOMNESS = {
    "kind": "sources",
    "sources": ["双色球第2026004期红球开奖号码", "上证综合指数2026-01-09收盘点位"],
    "known_after": "2026-01-09",
}
REGISTRIES = {
    "targets": {"fingerprint": "a" * 64, "size": 2600},
    "inspectors": {"fingerprint": "b" * 64, "size": 340},
}


# -- parsers ------------------------------------------------------------------------------------
def csv_blocks(content: bytes) -> list[list[list[str]]]:
    """The CSV's rows split into blocks at empty rows (BOM required)."""
    assert content.startswith(BOM), "CSV must start with a UTF-8 byte-order mark"
    assert not content[len(BOM) :].startswith(BOM)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    blocks: list[list[list[str]]] = [[]]
    for r in rows:
        if r:
            blocks[-1].append(r)
        else:
            blocks.append([])
    return blocks


def csv_table(content: bytes, title: str) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of the block whose title row is ``title``."""
    for b in csv_blocks(content)[1:]:
        if b and b[0] == [title]:
            return b[1], b[2:]
    raise AssertionError(f"no CSV block titled {title!r}")


class HTMLTables(HTMLParser):
    """Collects the page's lang, tables (header and rows of cell texts), headings and tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.tags: list[str] = []
        self.tables: list[dict[str, Any]] = []
        self.headings: list[str] = []
        self.texts: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._heading: list[str] | None = None
        self._in_head_row = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        elif tag == "table":
            self.tables.append({"header": [], "rows": []})
        elif tag == "thead":
            self._in_head_row = True
        elif tag == "tbody":
            self._in_head_row = False
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            if self._in_head_row:
                table["header"] = self._row
            else:
                table["rows"].append(self._row)
            self._row = None
        elif tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._heading is not None:
            self._heading.append(data)


def parse_html(content: bytes) -> HTMLTables:
    p = HTMLTables()
    p.feed(content.decode("utf-8"))
    p.close()
    return p


def md_cells(line: str) -> list[str]:
    """Split a GFM table row at unescaped pipes and undo backslash escapes."""
    assert line.startswith("| ") and line.endswith(" |"), line
    cells, cur, i = [], [], 0
    body = line[1:-1]
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            cur.append(body[i + 1])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    cells.append("".join(cur))
    return [c[1:-1] if c.startswith(" ") and c.endswith(" ") else c.strip() for c in cells]


def md_tables(text: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Tables by their ``## `` heading: header cells and row cells."""
    out: dict[str, tuple[list[str], list[list[str]]]] = {}
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("## "):
            title = line[3:]
            j = i + 2
            header = md_cells(lines[j])
            assert set(lines[j + 1].replace(" ", "")) <= set("|-:"), lines[j + 1]
            rows = []
            k = j + 2
            while k < len(lines) and lines[k].startswith("|"):
                rows.append(md_cells(lines[k]))
                k += 1
            out[title] = (header, rows)
    return out


def json_table(content: bytes, key: str) -> dict[str, Any]:
    doc = json.loads(content.decode("utf-8"))
    for t in doc["tables"]:
        if t["key"] == key:
            return t  # type: ignore[no-any-return]
    raise AssertionError(f"no JSON table {key!r}")
