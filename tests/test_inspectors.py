"""Inspectors: every input route, every validation message, the columnar interface, and the
fingerprint against a stdlib reference written from docs/fingerprint.md ("Inspectors")."""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_fingerprint import RefColumn, frame, ref_fingerprint

import shuangsuiji as ss
from shuangsuiji import InputError
from shuangsuiji import strategies as sst

ROWS: list[dict[str, Any]] = [
    {
        "id": "HB0001",
        "name": "王伟",
        "unit": "河北省市场监督管理局",
        "region": "石家庄",
        "qualifications": ["食品", "医疗器械"],
        "role": "officer",
        "certificate": "冀1301010001",
        "capacity": 3,
        "conflicts": ["91130100MA0000001X"],
        "active": True,
        "phone": "0311-1234",
    },
    {
        "id": "HB0002",
        "name": "李娜",
        "unit": "河北省生态环境厅",
        "region": "保定",
        "qualifications": ["生态环境监测"],
        "role": "officer",
        "certificate": "冀1306020002",
        "capacity": None,
        "conflicts": [],
        "active": False,
        "phone": None,
    },
    {
        "id": "ZJ001",
        "name": "赵敏",
        "unit": "河北大学",
        "region": None,
        "qualifications": ["食品", "生态环境监测"],
        "role": "expert",
        "certificate": None,
        "capacity": 2,
        "conflicts": ["42", "91130100MA0000001X"],
        "active": True,
        "phone": "0312-5678",
    },
]


def build(rows: list[dict[str, Any]] | None = None, **kw: Any) -> ss.Inspectors:
    return ss.Inspectors.from_records(ROWS if rows is None else rows, **kw)


def with_(i: int, **changes: Any) -> list[dict[str, Any]]:
    """ROWS with row ``i`` changed (a key set to ``...`` is removed)."""
    rows = [dict(r) for r in ROWS]
    for k, v in changes.items():
        if v is ...:
            rows[i].pop(k, None)
        else:
            rows[i][k] = v
    return rows


def raises(fn: Any, *args: Any, **kw: Any) -> str:
    with pytest.raises(InputError) as e:
        fn(*args, **kw)
    assert isinstance(e.value, ValueError)
    return str(e.value)


def bad(rows: list[dict[str, Any]], *parts: str, **kw: Any) -> str:
    """Building from ``rows`` raises InputError whose message contains every part."""
    msg = raises(ss.Inspectors.from_records, rows, **kw)
    for p in parts:
        assert p in msg, (p, msg)
    return msg


# -- the interface the assignment relies on ---------------------------------------------------
def test_columnar_interface() -> None:
    ins = build()
    assert len(ins) == 3 and ins.id_column == "id"
    assert ins.ids() == ["HB0001", "HB0002", "ZJ001"]
    assert ins.ids(np.array([2, 0])) == ["ZJ001", "HB0001"]
    assert ins.id_bytes.dtype.kind == "S" and ins.id_bytes[0] == b"HB0001"
    assert ins.index_of("ZJ001") == 2 and "HB0002" in ins and "nobody" not in ins
    assert 5 not in ins and None not in ins
    assert "index 0" not in raises(ins.index_of, "nobody")
    for name in ("name", "unit", "region", "certificate"):
        a = getattr(ins, name)
        assert a.dtype == object and all(type(v) is str for v in a)
    assert ins.name.tolist() == ["王伟", "李娜", "赵敏"]
    assert ins.region.tolist() == ["石家庄", "保定", ""]
    assert ins.certificate.tolist() == ["冀1301010001", "冀1306020002", ""]
    assert ins.is_expert.tolist() == [False, False, True]
    assert ins.is_officer.tolist() == [True, True, False]
    assert ins.active.tolist() == [True, False, True]
    assert ins.capacity.dtype == np.int64 and ins.capacity.tolist() == [3, -1, 2]
    assert ins.fields == ("医疗器械", "生态环境监测", "食品")  # code-point order
    assert ins.qual_indptr.dtype == np.int64 and ins.qual_indptr.tolist() == [0, 2, 3, 5]
    assert ins.qual_codes.dtype == np.int32 and ins.qual_codes.tolist() == [0, 2, 1, 1, 2]
    assert ins.qualifications(0) == ("医疗器械", "食品")
    assert ins.qualified("食品").tolist() == [True, False, True]
    assert ins.qualified("碳核查").tolist() == [False, False, False]
    assert ins.conflict_indptr.dtype == np.int64 and ins.conflict_indptr.tolist() == [0, 1, 1, 3]
    assert ins.conflict_ids.dtype.kind == "S"
    assert ins.conflict_ids.tolist() == [b"91130100MA0000001X", b"42", b"91130100MA0000001X"]
    assert ins.conflicts(1) == () and ins.conflicts(2) == ("42", "91130100MA0000001X")
    assert ins.role(2) == "expert" and ins.role(0) == "officer"
    assert ins.column("phone").to_list() == ["0311-1234", None, "0312-5678"]
    assert ins.column("unit").to_list() == ins.unit.tolist()
    assert ins.column("region").to_list() == ["石家庄", "保定", None]
    assert ins.column("role").to_list() == ["officer", "officer", "expert"]
    assert ins.column("capacity").to_list() == [3, -1, 2]
    assert ins.column("active").kind == "bool"
    assert "list column" in raises(ins.column, "qualifications")
    assert "'phone'" in raises(ins.column, "nope")
    assert ins.column_names[:2] == ("id", "name") and ins.column_names[-1] == "phone"
    assert "2 officers, 1 experts" in repr(ins)


def test_arrays_are_read_only() -> None:
    ins = build()
    for name in (
        "id_bytes",
        "name",
        "unit",
        "region",
        "certificate",
        "is_expert",
        "active",
        "capacity",
        "qual_indptr",
        "qual_codes",
        "conflict_indptr",
        "conflict_ids",
    ):
        a = getattr(ins, name)
        assert not a.flags.writeable, name
        with pytest.raises(ValueError):
            a[0] = a[0]
    with pytest.raises(TypeError):
        ins.columns["x"] = ins.columns["phone"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        ins.name = ins.unit  # type: ignore[misc]
    ins.qualified("食品")[0] = False  # a fresh array, not a view of the registry


def test_absent_optional_columns_mean_no_limit_no_conflicts_all_active() -> None:
    rows = [
        {k: v for k, v in r.items() if k not in ("capacity", "conflicts", "active")} for r in ROWS
    ]
    ins = build(rows)
    assert ins.capacity.tolist() == [-1, -1, -1]
    assert ins.active.tolist() == [True, True, True]
    assert ins.conflict_indptr.tolist() == [0, 0, 0, 0] and ins.conflict_ids.size == 0
    assert ins.conflicts(0) == ()
    # the same registry as with the optional columns given in their "empty" form
    explicit = [{**r, "capacity": None, "conflicts": "", "active": "是"} for r in rows]
    assert build(explicit).fingerprint == ins.fingerprint


def test_to_records_round_trip() -> None:
    ins = build()
    recs = ins.to_records()
    assert list(recs[0]) == ["id", *ss.registry.inspectors.STANDARD_COLUMNS, "phone"]
    assert recs[0]["qualifications"] == ["医疗器械", "食品"]
    assert recs[1]["capacity"] is None and recs[2]["region"] is None
    assert recs[2]["certificate"] is None and recs[2]["conflicts"] == ["42", "91130100MA0000001X"]
    again = ss.Inspectors.from_records(recs)
    assert again.to_records() == recs and again.fingerprint == ins.fingerprint


def test_to_pandas_round_trip() -> None:
    ins = build()
    df = ins.to_pandas()
    assert str(df["capacity"].dtype) == "Int64" and df["capacity"].isna().tolist() == [
        False,
        True,
        False,
    ]
    assert df["qualifications"].tolist()[0] == ["医疗器械", "食品"]
    assert ss.Inspectors.from_records(df).fingerprint == ins.fingerprint


# -- accepted forms ----------------------------------------------------------------------------
def test_list_cells_in_every_form() -> None:
    forms = [
        ["食品", "医疗器械"],
        ("医疗器械", "食品"),
        {"食品", "医疗器械"},
        np.array(["食品", "医疗器械"]),
        "食品;医疗器械",
        " 食品 ; 医疗器械 ",
        "食品；医疗器械",  # full-width semicolon
        "食品；医疗器械;食品",  # repeats are dropped
        ["\u3000食品", "医疗器械 "],  # ideographic space trimmed
    ]
    want = build().fingerprint
    for f in forms:
        assert build(with_(0, qualifications=f)).fingerprint == want, f


def test_empty_qualifications_are_allowed() -> None:
    for empty in ([], "", "  ", None, float("nan")):
        ins = build(with_(1, qualifications=empty))
        assert ins.qualifications(1) == ()
        assert ins.qual_indptr.tolist()[1] == ins.qual_indptr.tolist()[2]


def test_integer_ids_are_written_in_decimal() -> None:
    ins = build(with_(0, id=7, conflicts=[42, np.int64(43), "x"]))
    assert ins.ids()[0] == "7" and ins.conflicts(0) == ("42", "43", "x")
    assert build(with_(0, conflicts=42)).conflicts(0) == ("42",)  # one integer: one entry
    assert build(with_(0, certificate=1301010001)).certificate[0] == "1301010001"


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (3, 3),
        (np.int32(3), 3),
        (3.0, 3),
        ("3", 3),
        (" 12 ", 12),
        (0, 0),
        ("", -1),
        (None, -1),
        (float("nan"), -1),
        (pd.NA, -1),
    ],
)
def test_capacity_forms(value: Any, want: int) -> None:
    assert build(with_(0, capacity=value)).capacity[0] == want


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        (np.bool_(False), False),
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("yes", True),
        ("No", False),
        ("是", True),
        ("否", False),
        (" 是 ", True),
        (1.0, True),
    ],
)
def test_active_forms(value: Any, want: bool) -> None:
    assert bool(build(with_(0, active=value)).active[0]) is want


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("officer", False),
        ("Officer", False),
        (" EXPERT ", True),
        ("执法人员", False),
        ("专家", True),
    ],
)
def test_role_forms(value: str, want: bool) -> None:
    assert bool(build(with_(0, role=value)).is_expert[0]) is want


def test_text_values_are_trimmed() -> None:
    ins = build(with_(0, name=" 王伟\u3000", unit="河北省市场监督管理局 ", region="\t石家庄"))
    assert ins.fingerprint == build().fingerprint


def test_experts_may_lack_region_and_certificate() -> None:
    ins = build(with_(2, region="", certificate="  "))
    assert ins.region[2] == "" and ins.certificate[2] == ""


def test_names_maps_chinese_headers() -> None:
    zh = {
        "name": "姓名",
        "unit": "单位",
        "region": "地区",
        "qualifications": "执法资质",
        "role": "角色",
        "certificate": "执法证号",
        "capacity": "容量",
        "conflicts": "回避",
        "active": "在岗",
    }
    rows = [{("工号" if k == "id" else zh.get(k, k)): v for k, v in r.items()} for r in ROWS]
    ins = ss.Inspectors.from_records(rows, id="工号", names=zh)
    plain = build()
    assert ins.id_column == "工号"
    assert ins.to_records() == [
        {("工号" if k == "id" else k): v for k, v in r.items()} for r in plain.to_records()
    ]
    # the fingerprint covers the ID column's name, not the headers of standard columns
    renamed = ss.Inspectors.from_records(
        [{("工号" if k == "id" else k): v for k, v in r.items()} for r in ROWS], id="工号"
    )
    assert ins.fingerprint == renamed.fingerprint != plain.fingerprint


# -- every route gives the same registry --------------------------------------------------------
def _table_rows() -> list[dict[str, Any]]:
    """ROWS with list cells as strings (for CSV) and None for missing."""
    out = []
    for r in ROWS:
        out.append({k: ";".join(v) if isinstance(v, list) else v for k, v in r.items()})
    return out


def _write_csv(path: Path, rows: list[dict[str, Any]], encoding: str = "utf-8") -> None:
    import csv

    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        w.writerow(list(rows[0]))
        for r in rows:
            w.writerow(["" if v is None else str(v) for v in r.values()])


def test_every_route_gives_the_same_registry(tmp_path: Path) -> None:
    want = build()
    fp = want.fingerprint
    strings = _table_rows()
    assert build(strings).fingerprint == fp
    assert ss.Inspectors.from_records(pd.DataFrame(ROWS)).fingerprint == fp
    assert ss.Inspectors.from_records(pd.DataFrame(strings)).fingerprint == fp
    assert ss.Inspectors.from_records(pl.DataFrame(ROWS)).fingerprint == fp
    assert ss.Inspectors.from_records(pl.DataFrame(strings)).fingerprint == fp
    table = pa.Table.from_pylist(ROWS)
    assert pa.types.is_list(table.schema.field("qualifications").type)
    assert ss.Inspectors.from_records(table).fingerprint == fp
    assert ss.Inspectors.from_records(table.to_batches()[0]).fingerprint == fp
    assert ss.Inspectors.from_records(pd.DataFrame(ROWS).convert_dtypes()).fingerprint == fp
    for enc in ("utf-8", "utf-8-sig"):
        p = tmp_path / f"ins-{enc}.csv"
        _write_csv(p, strings, enc)
        got = ss.Inspectors.from_csv(p)
        assert got.fingerprint == fp and got.source == str(p)
        assert got.to_records() == want.to_records()
    p = tmp_path / "ins.parquet"
    pq.write_table(table, p)
    got = ss.Inspectors.from_parquet(p)
    assert got.fingerprint == fp and got.source == str(p)


def test_csv_keeps_standard_text_exactly(tmp_path: Path) -> None:
    # All-digit certificates and integer conflict IDs would be numbers by the CSV inference
    # rules; the standard columns keep their cells' text ("+7" stays "+7", "0042" stays text).
    rows = [dict(r) for r in _table_rows()]
    rows[0]["certificate"], rows[1]["certificate"] = "+7", "1306020002"
    rows[0]["conflicts"], rows[2]["conflicts"] = "42", "1.50;43"
    rows[0]["capacity"], rows[1]["capacity"], rows[2]["capacity"] = "3", "", "2"
    p = tmp_path / "digits.csv"
    _write_csv(p, rows)
    ins = ss.Inspectors.from_csv(p)
    assert ins.certificate.tolist()[:2] == ["+7", "1306020002"]
    assert ins.conflicts(0) == ("42",) and ins.conflicts(2) == ("1.50", "43")
    assert ins.capacity.tolist() == [3, -1, 2]


def test_csv_with_chinese_headers_and_semicolon_delimiter(tmp_path: Path) -> None:
    p = tmp_path / "zh.csv"
    p.write_text(
        "\ufeff工号;姓名;单位;地区;执法资质;角色;执法证号;备注\n"
        "A1;王伟;河北省市场监督管理局;石家庄;食品，药品;执法人员;冀001;\n"
        'A2;赵敏;河北大学;;"食品；药品";专家;;特聘\n',
        encoding="utf-8",
    )
    zh = {
        "name": "姓名",
        "unit": "单位",
        "region": "地区",
        "qualifications": "执法资质",
        "role": "角色",
        "certificate": "执法证号",
    }
    ins = ss.Inspectors.from_csv(p, id="工号", names=zh, delimiter=";")
    assert ins.qualifications(0) == ("食品，药品",)  # a full-width comma is not a separator
    assert ins.qualifications(1) == ("药品", "食品")
    assert ins.column("备注").to_list() == [None, "特聘"]


# -- validation: every bad input names its culprit ------------------------------------------------
def test_empty_inputs() -> None:
    assert "no inspectors" in raises(ss.Inspectors.from_records, [])
    assert "no inspectors" in raises(ss.Inspectors.from_records, pd.DataFrame(ROWS).iloc[:0])
    assert "no inspectors" in raises(ss.Inspectors.from_records, pa.Table.from_pylist(ROWS)[:0])
    assert "not a string" in raises(ss.Inspectors.from_records, "ins.csv")
    bad([ROWS[0], ["x"]], "row index 1", "list", "not a mapping")  # type: ignore[list-item]
    bad([{**ROWS[0], 3: "x"}], "column names must be text", "3")


def test_empty_files(tmp_path: Path) -> None:
    p = tmp_path / "header.csv"
    p.write_text("id,name,unit,region,qualifications,role,certificate\n", encoding="utf-8")
    assert "no rows" in raises(ss.Inspectors.from_csv, p)
    p.write_text("", encoding="utf-8")
    assert "empty" in raises(ss.Inspectors.from_csv, p)


@pytest.mark.parametrize("column", ss.registry.inspectors.REQUIRED_COLUMNS)
def test_missing_required_column(column: str) -> None:
    rows = [{k: v for k, v in r.items() if k != column} for r in ROWS]
    bad(rows, "required inspector column", repr(column), "columns are")


def test_missing_column_near_miss_and_id_column() -> None:
    rows = [{("Unit" if k == "unit" else k): v for k, v in r.items()} for r in ROWS]
    bad(rows, "'unit'", "did you mean 'Unit'?")
    bad(ROWS, "ID column 'ID' not found", "did you mean 'id'?", id="ID")


def test_bad_names_mapping() -> None:
    bad(ROWS, "'nickname'", "not a standard", names={"nickname": "x"})
    bad(ROWS, "same column 'x'", names={"name": "x", "unit": "x"})
    bad(ROWS, "the ID column 'id' is also the 'name' column", names={"name": "id"})
    bad(ROWS, "names= must map 'name'", names={"name": ""})
    rows = [{**r, "姓名": r["name"]} for r in ROWS]
    bad(rows, "column 'name' is a standard inspector column name", names={"name": "姓名"})
    bad(ROWS, "the ID column 'name' is also the 'name' column", id="name")


def test_ids() -> None:
    bad(
        with_(1, id="HB0001"),
        "1 duplicated ID(s) in column 'id'",
        "'HB0001'",
        "row indexes 0, 1 (0-based)",
        "Each inspector must appear once",
    )
    bad(with_(2, id=None), "missing ID in column 'id'", "row index 2", "every inspector")
    bad(with_(1, id=" HB0002"), "whitespace-padded ID", "' HB0002'", "row index 1")
    bad(with_(1, id=""), "empty or whitespace-padded ID", "row index 1")
    bad(with_(1, id=1.0), "float", "1.0", "row index 1")
    bad(with_(1, id="a\x00b"), "NUL", "row index 1")


def test_duplicate_ids_in_a_file_use_1_based_rows(tmp_path: Path) -> None:
    p = tmp_path / "dup.csv"
    _write_csv(p, [_table_rows()[0], _table_rows()[1], _table_rows()[0]])
    msg = raises(ss.Inspectors.from_csv, p)
    assert "'HB0001' at rows 1, 3 of" in msg and "dup.csv" in msg


def test_role() -> None:
    bad(
        with_(1, role="boss"),
        "column 'role'",
        "'boss'",
        "row index 1",
        "ID 'HB0002'",
        "'officer' or 'expert'",
    )
    bad(with_(1, role=None), "column 'role'", "row index 1", "missing")
    bad(with_(1, role=" "), "column 'role'", "row index 1", "missing")
    bad(with_(1, role=1), "column 'role'", "row index 1", "not a role")


@pytest.mark.parametrize("column", ["name", "unit"])
def test_name_and_unit_are_required_for_everyone(column: str) -> None:
    bad(
        with_(2, **{column: None}),
        f"column {column!r}",
        "row index 2",
        "ID 'ZJ001'",
        "missing: every person needs",
    )
    bad(with_(0, **{column: "  "}), f"column {column!r}", "row index 0", "missing")


@pytest.mark.parametrize("column", ["region", "certificate"])
def test_region_and_certificate_are_required_for_officers(column: str) -> None:
    msg = bad(
        with_(1, **{column: None}),
        f"column {column!r}",
        "row index 1",
        "ID 'HB0002'",
        "every officer needs",
    )
    assert msg.startswith("1 bad value(s)")


def test_certificate_missing_for_officer_message() -> None:
    bad(with_(0, certificate=""), "column 'certificate'", "ID 'HB0001'", "执法证号")


def test_duplicate_certificates() -> None:
    bad(
        with_(2, certificate="冀1301010001"),
        "certificate '冀1301010001'",
        "row index 0",
        "ID 'HB0001'",
        "row index 2",
        "ID 'ZJ001'",
        "one person",
    )


def test_text_columns_refuse_floats_and_bools() -> None:
    bad(with_(0, name=1.5), "column 'name'", "1.5", "row index 0", "not text")
    bad(with_(0, certificate=True), "column 'certificate'", "True", "not text")


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("食品;;药品", "an entry is empty"),
        ("食品;", "an entry is empty"),
        (";食品", "an entry is empty"),
        ("食品； ；药品", "an entry is empty"),
        (["食品", ""], "an entry is empty"),
        (["食品", "  "], "an entry is empty"),
        (["食品", None], "missing"),
        (["食品;药品"], "contains a separator"),
        (["食品；药品"], "contains a separator"),
        ([1.5], "1.5"),
        ([True], "True"),
        ({"食品": 1}, "not a list"),
        (2.5, "not a list"),
    ],
)
def test_bad_qualifications(value: Any, why: str) -> None:
    bad(
        with_(1, qualifications=value), "column 'qualifications'", "row index 1", "ID 'HB0002'", why
    )


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("x;;y", "an entry is empty"),
        ([1.5], "ambiguous as an ID"),
        (["a\x00b"], "NUL"),
        ([""], "an entry is empty"),
    ],
)
def test_bad_conflicts(value: Any, why: str) -> None:
    bad(with_(0, conflicts=value), "column 'conflicts'", "row index 0", "ID 'HB0001'", why)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (-1, "negative"),
        (2.5, "not a whole number"),
        (math.inf, "not finite"),
        ("abc", "not a whole number"),
        ("-3", "not a whole number"),
        (True, "bool"),
        (2**63, "too large"),
        ([3], "not a number"),
    ],
)
def test_bad_capacity(value: Any, why: str) -> None:
    msg = bad(
        with_(1, capacity=value),
        "column 'capacity'",
        "row index 1",
        "ID 'HB0002'",
        why,
        "leave it empty for no limit",
    )
    assert repr(value) in msg


@pytest.mark.parametrize("value", [None, "maybe", 2, float("nan"), ""])
def test_bad_active(value: Any) -> None:
    bad(with_(1, active=value), "column 'active'", "row index 1", "ID 'HB0002'", "是/否")


def test_many_bad_values_are_counted() -> None:
    rows = [dict(ROWS[0], id=f"P{i}", certificate=f"C{i}", capacity=-i - 1) for i in range(5)]
    msg = bad(rows, "5 bad value(s) in column 'capacity'", "and 2 more")
    assert msg.count("negative") == 3


def test_bad_values_in_files_use_1_based_rows(tmp_path: Path) -> None:
    rows = _table_rows()
    rows[1]["capacity"] = "两"
    p = tmp_path / "cap.csv"
    _write_csv(p, rows)
    msg = raises(ss.Inspectors.from_csv, p)
    assert "'两' at row 2 of" in msg and "cap.csv" in msg and "column 'capacity'" in msg
    rows = [dict(r) for r in ROWS]
    rows[2]["role"] = "visitor"
    q = tmp_path / "role.parquet"
    pq.write_table(pa.Table.from_pylist(rows), q)
    msg = raises(ss.Inspectors.from_parquet, q)
    assert "'visitor' at row 3 of" in msg and "role.parquet" in msg


def test_non_utf8_csv_is_refused_with_the_byte_offset(tmp_path: Path) -> None:
    p = tmp_path / "gbk.csv"
    _write_csv(p, _table_rows(), "gb18030")
    msg = raises(ss.Inspectors.from_csv, p)
    assert "not valid UTF-8" in msg and "byte offset" in msg and "GB18030" in msg


def test_unreadable_parquet(tmp_path: Path) -> None:
    p = tmp_path / "bad.parquet"
    p.write_bytes(b"not parquet")
    assert "cannot read Parquet file" in raises(ss.Inspectors.from_parquet, p)
    with pytest.raises(FileNotFoundError):
        ss.Inspectors.from_parquet(tmp_path / "absent.parquet")


def test_extra_columns_follow_the_targets_rules() -> None:
    rows = [dict(r, score=s, flag=f) for r, s, f in zip(ROWS, [1, 2, 3], [True, False, True])]
    ins = build(rows)
    assert ins.column("score").kind == "int" and ins.column("flag").kind == "bool"
    df = ss.Inspectors.from_records(pd.DataFrame(rows))
    assert df.column("score").kind == "int" and df.fingerprint == ins.fingerprint


def test_bare_constructor_checks_shapes() -> None:
    ins = build()
    with pytest.raises(InputError, match="rows but there are 3 IDs"):
        ss.Inspectors(
            "id",
            ins.id_bytes,
            ins.name[:2],
            ins.unit,
            ins.region,
            ins.certificate,
            ins.is_expert,
            ins.active,
            ins.capacity,
            ins.fields,
            ins.qual_indptr,
            ins.qual_codes,
            ins.conflict_indptr,
            ins.conflict_ids,
        )
    with pytest.raises(InputError, match="qual_codes must index fields"):
        ss.Inspectors(
            "id",
            ins.id_bytes,
            ins.name,
            ins.unit,
            ins.region,
            ins.certificate,
            ins.is_expert,
            ins.active,
            ins.capacity,
            ins.fields[:1],
            ins.qual_indptr,
            ins.qual_codes,
            ins.conflict_indptr,
            ins.conflict_ids,
        )


# -- the fingerprint: a stdlib reference written from the spec ------------------------------------
_SEP = re.compile("[;\uff1b]")


def ref_list(v: Any) -> list[str]:
    if v is None:
        return []
    items = [x.strip() for x in _SEP.split(v)] if isinstance(v, str) else [str(x) for x in v]
    if items == [""]:
        return []
    return sorted(set(items), key=lambda s: s.encode("utf-8"))


def ref_text(v: Any) -> str | None:
    return None if v is None or not str(v).strip() else str(v).strip()


def ref_inspectors_fingerprint(
    id_column: str, rows: list[dict[str, Any]], extras: dict[str, RefColumn] | None = None
) -> str:
    """docs/fingerprint.md "Inspectors": the canonical table, its registry/v1 digest, wrapped.

    ``rows`` hold the standard columns as inspector_records() writes them (lists or strings).
    """

    def joined(key: str) -> list[str | None]:
        return [";".join(ref_list(r.get(key))) or None for r in rows]

    cols: dict[str, RefColumn] = {
        "name": ("str", [ref_text(r["name"]) for r in rows]),
        "unit": ("str", [ref_text(r["unit"]) for r in rows]),
        "region": ("str", [ref_text(r["region"]) for r in rows]),
        "qualifications": ("str", joined("qualifications")),
        "role": ("str", [r["role"].strip().lower() for r in rows]),
        "certificate": ("str", [ref_text(r["certificate"]) for r in rows]),
        "capacity": ("int", [-1 if r.get("capacity") is None else r["capacity"] for r in rows]),
        "conflicts": ("str", joined("conflicts")),
        "active": ("bool", [r.get("active", True) for r in rows]),
        **(extras or {}),
    }
    inner = ref_fingerprint(id_column, [str(r[id_column]) for r in rows], cols)
    data = frame(b"shuangsuiji/inspectors/v1") + frame(bytes.fromhex(inner))
    return hashlib.sha256(data).hexdigest()


VECTOR_REGISTRY_HEX = "8fa6e7da431b29fb1314e01a248da3775580192a153b18371dc81fdcfa72c5b8"
VECTOR_HEX = "1722e6072e0cd570b0fb601368313bd3036ca2e11034f20c25b7bbe2f68d52c0"


def test_vector() -> None:
    rows = [{k: v for k, v in r.items() if k != "phone"} for r in ROWS]
    extras: dict[str, RefColumn] = {"phone": ("str", [r["phone"] for r in ROWS])}
    assert ref_inspectors_fingerprint("id", rows, extras) == VECTOR_HEX
    assert build().fingerprint == VECTOR_HEX
    text = (Path(__file__).parents[1] / "docs" / "fingerprint.md").read_text(encoding="utf-8")
    assert VECTOR_HEX in text and VECTOR_REGISTRY_HEX in text
    from shuangsuiji.registry.fingerprint import registry_fingerprint

    ins = build()
    assert registry_fingerprint("id", ins.id_bytes, ins.canonical_columns()) == VECTOR_REGISTRY_HEX


def test_fingerprint_differs_from_the_targets_one() -> None:
    ins = build()
    t = ss.Targets.from_columns(ins.id_bytes, ins.canonical_columns())
    assert t.fingerprint != ins.fingerprint  # the inspectors tag separates the two


def test_fingerprint_sees_every_change() -> None:
    base = build().fingerprint
    changes = [
        with_(0, name="王伟伟"),
        with_(0, unit="X"),
        with_(1, region="唐山"),
        with_(0, qualifications=["食品"]),
        with_(0, role="expert"),
        with_(1, certificate="C"),
        with_(0, capacity=4),
        with_(1, capacity=0),
        with_(0, conflicts=[]),
        with_(1, active=True),
        with_(2, phone="x"),
        with_(2, id="ZJ002"),
    ]
    seen = {base}
    for rows in changes:
        fp = build(rows).fingerprint
        assert fp not in seen
        seen.add(fp)


@settings(max_examples=80, deadline=None)
@given(sst.inspector_records(max_size=12, fields=4, units=3), st.randoms(use_true_random=False))
def test_fast_matches_reference_and_ignores_row_order(rows: list[dict[str, Any]], rnd: Any) -> None:
    ins = ss.Inspectors.from_records(rows)
    assert ins.fingerprint == ref_inspectors_fingerprint("id", rows)
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    again = ss.Inspectors.from_records(shuffled)
    assert again.fingerprint == ins.fingerprint
    order = [again.index_of(i) for i in ins.ids()]
    assert again.name[order].tolist() == ins.name.tolist()
    assert [again.qualifications(j) for j in order] == [
        ins.qualifications(i) for i in range(len(ins))
    ]
    assert [again.conflicts(j) for j in order] == [ins.conflicts(i) for i in range(len(ins))]


@settings(max_examples=40, deadline=None)
@given(sst.inspector_records(max_size=10, fields=3))
def test_round_trips(rows: list[dict[str, Any]]) -> None:
    ins = ss.Inspectors.from_records(rows)
    recs = ins.to_records()
    assert ss.Inspectors.from_records(recs).to_records() == recs
    assert ss.Inspectors.from_records(ins.to_pandas()).fingerprint == ins.fingerprint
    assert ss.Inspectors.from_records(pl.DataFrame(recs)).fingerprint == ins.fingerprint
    assert ss.Inspectors.from_records(pa.Table.from_pylist(recs)).fingerprint == ins.fingerprint
    for i, r in enumerate(rows):
        assert list(ins.qualifications(i)) == ref_list(r["qualifications"])
        assert list(ins.conflicts(i)) == ref_list(r.get("conflicts"))
        codes = ins.qual_codes[ins.qual_indptr[i] : ins.qual_indptr[i + 1]]
        assert (np.diff(codes) > 0).all()
    for f in ins.fields:
        assert ins.qualified(f).tolist() == [f in ins.qualifications(i) for i in range(len(ins))]
