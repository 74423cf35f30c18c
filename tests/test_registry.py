"""Targets: construction from every input route, validation messages, access and export."""

from __future__ import annotations

import math
import subprocess
import sys
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

import shuangsuiji as ss
from shuangsuiji import InputError
from shuangsuiji.registry.columns import Column
from shuangsuiji.registry.dataframes import _from_polars
from shuangsuiji.registry.ids import _NONASCII_SPACE, Rows, duplicate_groups, ids_from_utf8

ROWS = [
    {"id": "91110000100000000A", "stratum": 1, "risk": "A", "weight": 1.5, "key": True},
    {"id": "91110000100000001B", "stratum": 2, "risk": "C", "weight": None, "key": False},
    {"id": "91110000100000002C", "stratum": 1, "risk": None, "weight": 0.0, "key": True},
    {"id": "甲-3", "stratum": 3, "risk": "D", "weight": 2.0, "key": False},
]


def targets() -> ss.Targets:
    return ss.Targets.from_records(ROWS)


def raises(match: str, fn: Any, *args: Any, **kw: Any) -> str:
    """Assert fn raises InputError (a ValueError) whose message contains ``match``."""
    with pytest.raises(InputError) as e:
        fn(*args, **kw)
    assert isinstance(e.value, ValueError)
    msg = str(e.value)
    assert match in msg, msg
    return msg


# -- records -------------------------------------------------------------------------------------
def test_from_records_kinds_and_values() -> None:
    t = targets()
    assert len(t) == 4
    assert t.column_names == ("id", "stratum", "risk", "weight", "key")
    kinds = {k: c.kind for k, c in t.columns.items()}
    assert kinds == {"stratum": "int", "risk": "str", "weight": "float", "key": "bool"}
    assert t.ids() == [r["id"] for r in ROWS]
    assert t.column("risk").categories == ("A", "C", "D")
    assert t.to_records() == ROWS
    assert isinstance(t.id_bytes, np.ndarray) and t.id_bytes.dtype.kind == "S"
    assert t.id_bytes[3] == "甲-3".encode()


@pytest.mark.parametrize(
    ("values", "kind", "out"),
    [
        ([1, 2, 3], "int", [1, 2, 3]),
        ([1, None, 3], "float", [1.0, None, 3.0]),
        ([1, 2.5, float("nan")], "float", [1.0, 2.5, None]),
        ([True, False, True], "bool", [True, False, True]),
        ([True, None, False], "str", ["True", None, "False"]),
        ([1, "a", 2.5], "str", ["1", "a", "2.5"]),  # mixed types are fine as text
        ([2**63, 1, 2], "str", [str(2**63), "1", "2"]),  # beyond int64: text, not wrapped
        ([2**53 + 1, None, 1], "str", [str(2**53 + 1), None, "1"]),  # not exact as a float
        ([np.int64(4), np.int32(5), 6], "int", [4, 5, 6]),
        ([np.float32(0.5), None, 1], "float", [0.5, None, 1.0]),
        ([None, None, None], "str", [None, None, None]),
        ([pd.NA, "x", pd.NaT], "str", [None, "x", None]),
    ],
)
def test_value_rules(values: list[Any], kind: str, out: list[Any]) -> None:
    t = ss.Targets.from_records([{"id": str(i), "v": v} for i, v in enumerate(values)])
    assert t.column("v").kind == kind
    assert t.column("v").to_list() == out


def test_absent_keys_are_missing() -> None:
    t = ss.Targets.from_records([{"id": "a", "x": 1.0}, {"id": "b"}, {"id": "c", "y": "q"}])
    assert t.column("x").to_list() == [1.0, None, None]
    assert t.column("y").to_list() == [None, None, "q"]


def test_integer_ids_are_decimal() -> None:
    t = ss.Targets.from_records([{"id": 42}, {"id": -7}, {"id": np.int64(10**15)}, {"id": "x"}])
    assert t.ids() == ["42", "-7", "1000000000000000", "x"]
    assert 42 in t and "42" in t and t.index_of(-7) == 1


# -- ID validation: each message names the culprit ----------------------------------------------
def test_missing_id_column_lists_columns() -> None:
    msg = raises("'编号'", ss.Targets.from_records, ROWS, id="编号")
    assert "['id', 'stratum', 'risk', 'weight', 'key']" in msg


def test_missing_id_column_suggests_near_miss() -> None:
    rows = [{" ID ": "a", "x": 1}]
    msg = raises("did you mean ' ID '", ss.Targets.from_records, rows, id="id")
    assert "columns are [' ID ', 'x']" in msg


@pytest.mark.parametrize("bad", [42.0, 1.5, True, np.float64(3.0), np.bool_(False)])
def test_float_or_bool_id_is_refused(bad: Any) -> None:
    rows = [{"id": "a"}, {"id": bad}]
    msg = raises("row index 1 (0-based)", ss.Targets.from_records, rows)
    assert repr(bad) in msg and "ambiguous" in msg


def test_other_id_type_is_refused() -> None:
    msg = raises("row index 0 (0-based)", ss.Targets.from_records, [{"id": b"x"}])
    assert "bytes" in msg


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_id_is_refused(missing: Any) -> None:
    rows = [{"id": "a"}, {"id": "b"}, {"id": missing}]
    msg = raises("missing ID", ss.Targets.from_records, rows)
    assert "row index 2 (0-based)" in msg


def test_absent_id_key_is_missing_id() -> None:
    raises("row index 1 (0-based)", ss.Targets.from_records, [{"id": "a"}, {"x": 1}])


@pytest.mark.parametrize(
    "bad",
    ["", " 9111", "9111 ", "\t9111", "9111\n", "\u30009111", "9111\u3000", "\xa0x", "x\u2009"],
)
def test_empty_or_padded_id_is_refused(bad: str) -> None:
    rows = [{"id": "ok1"}, {"id": "ok2"}, {"id": bad}]
    msg = raises("row index 2 (0-based)", ss.Targets.from_records, rows)
    assert repr(bad) in msg


def test_inner_spaces_and_non_ascii_ids_are_fine() -> None:
    t = ss.Targets.from_records(
        [{"id": "a b"}, {"id": "甲 乙"}, {"id": "é"}, {"id": "\u3000x\u3000y"[1:]}]
    )
    assert t.ids() == ["a b", "甲 乙", "é", "x\u3000y"]


def test_many_padded_ids_are_counted() -> None:
    rows = [{"id": f" {i}"} for i in range(8)]
    msg = raises("8 empty or whitespace-padded", ss.Targets.from_records, rows)
    assert "and 3 more" in msg


def test_nul_in_id_is_refused() -> None:
    raises("row index 1 (0-based)", ss.Targets.from_records, [{"id": "a"}, {"id": "b\x00"}])
    raises("NUL", ss.Targets.from_records, [{"id": "a\x00b"}])


def test_duplicate_ids_name_rows() -> None:
    rows = [{"id": x} for x in ["a", "b", "a", "c", "b", "a", "d"]]
    msg = raises("2 duplicated ID(s)", ss.Targets.from_records, rows)
    assert "'a' at row indexes 0, 2, 5 (0-based)" in msg
    assert "'b' at row indexes 1, 4 (0-based)" in msg


def test_int_and_text_ids_collide() -> None:
    raises("'7' at row indexes 0, 1", ss.Targets.from_records, [{"id": 7}, {"id": "7"}])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "ab", "甲", "x" * 9, "x" * 8, "y" * 17]), max_size=30))
def test_duplicate_groups_match_brute_force(ids: list[str]) -> None:
    idb = np.array([s.encode() for s in ids], dtype="S") if ids else np.array([], "S1")
    got = [g.tolist() for g in duplicate_groups(idb)]
    want = sorted([[i for i, y in enumerate(ids) if y == x] for x in set(ids) if ids.count(x) > 1])
    assert got == want


def test_nonascii_space_table_matches_python() -> None:
    py = {chr(c) for c in range(0x80, 0x110000) if chr(c).isspace()}
    assert set(_NONASCII_SPACE) == py


def test_bad_rows_input() -> None:
    raises("no targets", ss.Targets.from_records, [])
    raises("row index 1 (0-based) is a list", ss.Targets.from_records, [{"id": "a"}, ["b"]])
    raises("not a string", ss.Targets.from_records, "id,x\n")
    raises("key 3", ss.Targets.from_records, [{"id": "a", 3: "x"}])


# -- columns and weights -------------------------------------------------------------------------
def test_missing_column_is_named() -> None:
    msg = raises("'x' does not exist", targets().column, "x")
    assert "'stratum'" in msg


def test_weights_valid() -> None:
    t = ss.Targets.from_records([{"id": "a", "w": 1}, {"id": "b", "w": 0}, {"id": "c", "w": 2}])
    w = t.weights("w")
    assert w.dtype == np.float64 and w.tolist() == [1.0, 0.0, 2.0]


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([1.0, float("nan"), 2.0], "missing at row index 1 (0-based), ID 'b'"),
        ([1.0, None, 2.0], "missing at row index 1 (0-based), ID 'b'"),
        ([1.0, -0.5, 2.0], "-0.5 at row index 1 (0-based), ID 'b'"),
        ([1.0, 2.0, math.inf], "inf at row index 2 (0-based), ID 'c'"),
        ([-1, 2, 3], "-1.0 at row index 0 (0-based), ID 'a'"),
    ],
)
def test_weights_refused(values: list[Any], shown: str) -> None:
    t = ss.Targets.from_records([{"id": i, "w": v} for i, v in zip("abc", values)])
    msg = raises(shown, t.weights, "w")
    assert "'w'" in msg


def test_weights_non_numeric() -> None:
    t = ss.Targets.from_records([{"id": "a", "w": None}, {"id": "b", "w": "heavy"}])
    msg = raises("weight column 'w' is text", t.weights, "w")
    assert "'heavy' at row index 1 (0-based), ID 'b'" in msg
    t = ss.Targets.from_records([{"id": "a", "w": True}])
    raises("'w' is boolean", t.weights, "w")
    raises("'nope' does not exist", t.weights, "nope")


# -- select, lookup, export ----------------------------------------------------------------------
def test_select_mask_and_positions() -> None:
    t = targets()
    s = t.select(np.array([True, False, True, False]))
    assert s.ids() == [ROWS[0]["id"], ROWS[2]["id"]]
    assert s.column("risk").categories == ("A",)  # unused categories dropped
    s2 = t.select([3, 0])
    assert s2.to_records() == [ROWS[3], ROWS[0]]
    assert t.select(np.array([2, 0, 3, 1])).fingerprint == t.fingerprint
    assert t.select([0, 1]).fingerprint != t.fingerprint
    raises("repeat", t.select, [0, 0])
    raises("0..3", t.select, [4])
    raises("shape (4,)", t.select, np.array([True]))


def test_index_of_and_contains() -> None:
    t = targets()
    assert t.index_of("甲-3") == 3
    assert "91110000100000001B" in t
    assert "nope" not in t and 1.0 not in t and "a" * 100 not in t
    raises("'nope' is not in the targets", t.index_of, "nope")


def test_to_pandas_round_trip() -> None:
    t = targets()
    df = t.to_pandas()
    assert list(df.columns) == list(t.column_names)
    assert isinstance(df["risk"].dtype, pd.CategoricalDtype)
    assert ss.Targets.from_records(df).fingerprint == t.fingerprint


def test_repr_and_immutability() -> None:
    t = targets()
    assert repr(t) == "Targets(4 rows, id='id', columns=['stratum', 'risk', 'weight', 'key'])"
    with pytest.raises(ValueError):
        t.id_bytes[0] = b"x"
    with pytest.raises(TypeError):
        t.columns["new"] = Column("int", np.zeros(4, np.int64))  # type: ignore[index]


def test_constructor_checks_shapes() -> None:
    with pytest.raises(InputError, match="'x' has 1 rows but there are 2 IDs"):
        ss.Targets("id", np.array([b"a", b"b"]), {"x": Column("int", np.zeros(1, np.int64))})
    with pytest.raises(TypeError):
        ss.Targets("id", np.array(["a"]), {})


def test_from_columns() -> None:
    t = ss.Targets.from_columns(
        np.array([5, 3]), {"w": np.array([1.0, 2.0]), "r": ["A", None], "n": np.array([1, 2])}
    )
    assert t.ids() == ["5", "3"]
    assert [c.kind for c in t.columns.values()] == ["float", "str", "int"]
    raises("'w' has 1 values", ss.Targets.from_columns, ["a", "b"], {"w": [1.0]})
    raises("duplicated", ss.Targets.from_columns, ["a", "a"], {})


# -- DataFrames and Arrow give the same registry as records ----------------------------------------
def records_frame() -> list[dict[str, Any]]:
    return [
        {"id": "91110000100000000A", "s": 1, "r": "A", "w": 1.5, "k": True, "m": 1},
        {"id": "91110000100000001B", "s": 2, "r": "C", "w": None, "k": False, "m": None},
        {"id": "甲-3", "s": 1, "r": None, "w": 0.0, "k": True, "m": 3},
        {"id": "x", "s": -4, "r": "检验", "w": 2.0, "k": False, "m": 4},
    ]


def columnar(recs: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {k: [r[k] for r in recs] for k in recs[0]}


def test_inputs_agree() -> None:
    recs = records_frame()
    want = ss.Targets.from_records(recs)
    assert [c.kind for c in want.columns.values()] == ["int", "str", "float", "bool", "float"]
    cols = columnar(recs)
    inputs = {
        "pandas": pd.DataFrame(recs),
        "pandas-object": pd.DataFrame(recs).astype({"id": object, "r": object}),
        "pandas-python-str": pd.DataFrame(recs).astype(
            {"id": "string[python]", "r": "string[python]"}
        ),
        "pandas-category": pd.DataFrame(recs).astype({"r": "category"}),
        "pandas-nullable": pd.DataFrame(recs).astype({"m": "Int64", "s": "Int64", "w": "Float64"}),
        "pandas-arrow": pd.DataFrame(recs).convert_dtypes(dtype_backend="pyarrow"),
        "polars": pl.DataFrame(cols),
        "arrow": pa.table(cols),
        "arrow-batch": pa.RecordBatch.from_pydict(cols),
        "arrow-dict": pa.table({**cols, "r": pa.array(cols["r"]).dictionary_encode()}),
        "arrow-chunked": pa.concat_tables([pa.table(cols).slice(0, 1), pa.table(cols).slice(1)]),
        "arrow-view": pa.table({**cols, "id": pa.array(cols["id"], pa.string_view())}),
    }
    for name, obj in inputs.items():
        got = ss.Targets.from_records(obj)
        assert got.to_records() == want.to_records(), name
        assert got.fingerprint == want.fingerprint, name
    ids, rest = _from_polars(pl.DataFrame(cols), "id", use_arrow=False)
    assert ss.Targets("id", ids, rest).fingerprint == want.fingerprint


def test_int_ids_from_frames() -> None:
    recs = [{"id": 10, "x": 1.0}, {"id": -2, "x": 2.0}, {"id": 3, "x": None}]
    want = ss.Targets.from_records(recs).fingerprint
    for obj in (pd.DataFrame(recs), pl.DataFrame(recs), pa.Table.from_pylist(recs)):
        t = ss.Targets.from_records(obj)
        assert t.ids() == ["10", "-2", "3"] and t.fingerprint == want


@pytest.mark.parametrize(("big", "kind"), [(2**53, "float"), (-(2**53) - 1, "str")])
def test_ints_with_missing_agree_across_routes(big: int, kind: str) -> None:
    recs = [{"id": "a", "m": big}, {"id": "b", "m": None}, {"id": "c", "m": 1}]
    want = ss.Targets.from_records(recs)
    assert want.column("m").kind == kind
    frames = (
        pd.DataFrame({"id": ["a", "b", "c"], "m": pd.array([big, None, 1], dtype="Int64")}),
        pl.DataFrame(recs),
        pa.Table.from_pylist(recs),
    )
    for obj in frames:
        assert ss.Targets.from_records(obj).fingerprint == want.fingerprint


def test_frame_index_is_ignored_but_hinted() -> None:
    df = pd.DataFrame(records_frame()).set_index("id")
    raises("df.reset_index()", ss.Targets.from_records, df)
    df2 = pd.DataFrame(records_frame(), index=[9, 8, 7, 6])
    assert (
        ss.Targets.from_records(df2).fingerprint
        == ss.Targets.from_records(records_frame()).fingerprint
    )


@pytest.mark.parametrize(
    ("make", "where"),
    [
        (lambda d: pd.DataFrame(d), "row index 1 (0-based)"),
        (lambda d: pl.DataFrame(d), "row index 1 (0-based)"),
        (lambda d: pa.table(d), "row index 1 (0-based)"),
    ],
)
def test_frame_id_errors(make: Any, where: str) -> None:
    raises("'b' at row indexes 1, 2", ss.Targets.from_records, make({"id": ["a", "b", "b"]}))
    raises(where, ss.Targets.from_records, make({"id": ["a", None, "c"]}))
    raises(where, ss.Targets.from_records, make({"id": ["a", " b", "c"]}))
    raises(where, ss.Targets.from_records, make({"id": ["a", "b\x00", "c"]}))
    raises("ambiguous", ss.Targets.from_records, make({"id": [1.0, 2.0, 3.0]}))
    raises("columns are ['id']", ss.Targets.from_records, make({"id": ["a"]}), id="code")


def test_frame_column_name_checks() -> None:
    raises("must be text", ss.Targets.from_records, pd.DataFrame({"id": ["a"], 0: [1]}))
    df = pd.DataFrame([["a", 1, 2]], columns=["id", "x", "x"])
    raises("'x' appears more than once", ss.Targets.from_records, df)


@pytest.mark.parametrize("n", [1, 7, 300])
def test_arrow_ids_varied_lengths_and_slices(n: int) -> None:
    ids = [("甲" * (i % 4)) + str(i) * (i % 5 + 1) for i in range(n)]
    arr = pa.array(["pad", *ids], pa.large_string()).slice(1)  # a non-zero Arrow offset
    t = ss.Targets.from_records(pa.table({"id": arr}))
    assert t.ids() == ids
    s = pa.array(ids, pa.string())
    assert ss.Targets.from_records(pa.table({"id": s})).ids() == ids


def test_ids_from_utf8_chunked_gather() -> None:
    ids = [b"a" * (i % 37 + 1) for i in range(20000)]
    offsets = np.concatenate([[0], np.cumsum([len(x) for x in ids])])
    data = np.frombuffer(b"".join(ids), np.uint8)
    got = ids_from_utf8(offsets, data, "id", Rows())
    assert got.tolist() == ids


# -- CSV ----------------------------------------------------------------------------------------
def write(tmp_path: Path, text: str, name: str = "t.csv", bom: bool = False) -> Path:
    p = tmp_path / name
    p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return p


CSV = (
    "统一社会信用代码,企业名称,风险等级,抽查权重,区划代码,人数\r\n"
    "91110000100000000A,甲检测公司,A,1.5,0101,12\r\n"
    '91110000100000001B,"乙认证, 有限公司",C,,0102,-3\r\n'
    "91110000100000002C,丙实验室,,2,1100,7\r\n"
)


@pytest.mark.parametrize("bom", [True, False])
def test_csv_bom_and_chinese_headers(tmp_path: Path, bom: bool) -> None:
    t = ss.Targets.from_csv(write(tmp_path, CSV, bom=bom), id="统一社会信用代码")
    assert t.id_column == "统一社会信用代码"  # no BOM glued to the first header
    assert t.column_names[1:] == ("企业名称", "风险等级", "抽查权重", "区划代码", "人数")
    kinds = [c.kind for c in t.columns.values()]
    assert kinds == ["str", "str", "float", "str", "int"]
    assert t.column("企业名称").to_list() == ["甲检测公司", "乙认证, 有限公司", "丙实验室"]
    assert t.column("风险等级").to_list() == ["A", "C", None]
    assert t.column("抽查权重").to_list() == [1.5, None, 2.0]
    assert t.column("区划代码").to_list() == ["0101", "0102", "1100"]  # leading zero: a code
    assert t.column("人数").to_list() == [12, -3, 7]
    assert t.source == str(tmp_path / "t.csv")


def test_csv_matches_equivalent_records(tmp_path: Path) -> None:
    t = ss.Targets.from_csv(write(tmp_path, CSV), id="统一社会信用代码")
    same = ss.Targets.from_records(t.to_records(), id="统一社会信用代码")
    assert same.fingerprint == t.fingerprint


@pytest.mark.parametrize(
    ("cells", "kind", "out"),
    [
        (["1", "2", "-3"], "int", [1, 2, -3]),
        (["1", "", "3"], "float", [1.0, None, 3.0]),
        (["1.5", "2e3", "-0.25"], "float", [1.5, 2000.0, -0.25]),
        (["1", "x", "3"], "str", ["1", "x", "3"]),
        (["007", "1", "2"], "str", ["007", "1", "2"]),
        ([" 1", "2", "3"], "str", [" 1", "2", "3"]),
        (["nan", "1", "2"], "str", ["nan", "1", "2"]),
        (["1e999", "1", "2"], "str", ["1e999", "1", "2"]),
        (["9223372036854775808", "1", "2"], "str", ["9223372036854775808", "1", "2"]),
        (["", "", ""], "str", [None, None, None]),
        (["0", "0.5", ""], "float", [0.0, 0.5, None]),
    ],
)
def test_csv_numeric_inference(tmp_path: Path, cells: list[str], kind: str, out: list[Any]) -> None:
    text = "id,v\n" + "".join(f"r{i},{c}\n" for i, c in enumerate(cells))
    col = ss.Targets.from_csv(write(tmp_path, text)).column("v")
    assert col.kind == kind and col.to_list() == out


def test_csv_ids_are_text(tmp_path: Path) -> None:
    t = ss.Targets.from_csv(write(tmp_path, "id,x\n007,1\n42,2\n"))
    assert t.ids() == ["007", "42"]


def test_csv_not_utf8_names_file_and_offset(tmp_path: Path) -> None:
    p = tmp_path / "gbk.csv"
    p.write_bytes("id,名称\na,".encode() + "检验".encode("gbk") + b"\n")
    msg = raises("byte offset 12", ss.Targets.from_csv, p)
    assert "gbk.csv" in msg and "line 2" in msg and "UTF-8" in msg


def test_csv_row_numbers_are_one_based(tmp_path: Path) -> None:
    p = write(tmp_path, "id,x\na,1\nb,2\na,3\n b,4\n")
    raises("' b' at row 4 of", ss.Targets.from_csv, p)
    p = write(tmp_path, "id,x\na,1\nb,2\na,3\n")
    msg = raises("'a' at rows 1, 3 of", ss.Targets.from_csv, p)
    assert "t.csv" in msg
    p = write(tmp_path, "id,x\na,1\n,2\n")
    raises("'' at row 2 of", ss.Targets.from_csv, p)


def test_csv_weights_name_file_rows(tmp_path: Path) -> None:
    t = ss.Targets.from_csv(write(tmp_path, "id,w\na,1\nb,-2\n"))
    raises("-2.0 at row 2 of", t.weights, "w")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "is empty"),
        ("id,x\n", "no rows"),
        ("id,x\na,1\nb\n", "row 2 of"),
        ("id,x\na,1,2\n", "has 3 fields but the header has 2"),
        ("id,x\na,1\n\nb,2\n", "row 2 of"),
        ("id,,x\na,1,2\n", "header field 2 is empty"),
        ("id,x,x\na,1,2\n", "'x' appears more than once"),
        ("code,x\na,1\n", "columns are ['code', 'x']"),
        ('id,x\n"a,1\n', "not valid CSV"),
    ],
)
def test_csv_malformed(tmp_path: Path, text: str, match: str) -> None:
    raises(match, ss.Targets.from_csv, write(tmp_path, text))


def test_csv_delimiter(tmp_path: Path) -> None:
    t = ss.Targets.from_csv(write(tmp_path, "id;x\na;1\n"), delimiter=";")
    assert t.to_records() == [{"id": "a", "x": 1}]


# -- Parquet ------------------------------------------------------------------------------------------
def test_parquet_round_trip(tmp_path: Path) -> None:
    t = ss.Targets.from_records(records_frame())
    p = tmp_path / "t.parquet"
    t.to_pandas().to_parquet(p)
    back = ss.Targets.from_parquet(p)
    assert back.to_records() == t.to_records()
    assert back.fingerprint == t.fingerprint
    pq.write_table(pa.table(columnar(records_frame())), tmp_path / "u.parquet")
    assert ss.Targets.from_parquet(tmp_path / "u.parquet").fingerprint == t.fingerprint


def test_parquet_errors_name_file_rows(tmp_path: Path) -> None:
    pq.write_table(pa.table({"id": ["a", "b", "a"]}), tmp_path / "d.parquet")
    raises("'a' at rows 1, 3 of", ss.Targets.from_parquet, tmp_path / "d.parquet")
    raises("cannot read Parquet", ss.Targets.from_parquet, write(tmp_path, "id\na\n"))


# -- optional dependencies are optional --------------------------------------------------------
def test_core_imports_no_optional_library() -> None:
    code = (
        "import sys, shuangsuiji as ss\n"
        "t = ss.Targets.from_records([{'id': 'a', 'x': 1}])\n"
        "t.fingerprint\n"
        "print(sorted(m for m in ('pandas', 'polars', 'pyarrow') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_missing_extra_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # makes the import fail
    with pytest.raises(ImportError, match=r'pip install "shuangsuiji\[arrow\]"'):
        ss.Targets.from_parquet(tmp_path / "x.parquet")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r'pip install "shuangsuiji\[pandas\]"'):
        targets().to_pandas()


# -- hypothesis: every route gives the same registry ---------------------------------------------
_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=6)
_ids = _text.filter(lambda s: not s[0].isspace() and not s[-1].isspace())


@st.composite
def frames(draw: st.DrawFn) -> list[dict[str, Any]]:
    ids = draw(st.lists(_ids, min_size=1, max_size=12, unique=True))
    n = len(ids)
    col = {
        "t": st.lists(st.one_of(st.none(), _text), min_size=n, max_size=n),
        "f": st.lists(
            st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
            min_size=n,
            max_size=n,
        ),
        "i": st.lists(st.integers(-(2**62), 2**62), min_size=n, max_size=n),
        "b": st.lists(st.booleans(), min_size=n, max_size=n),
    }
    values = {k: draw(v) for k, v in col.items()}
    return [{"id": i, **{k: v[r] for k, v in values.items()}} for r, i in enumerate(ids)]


@settings(max_examples=60, deadline=None)
@given(frames())
def test_routes_agree(recs: list[dict[str, Any]]) -> None:
    want = ss.Targets.from_records(recs)
    cols = columnar(recs)
    for obj in (pd.DataFrame(recs), pl.DataFrame(cols), pa.table(cols)):
        got = ss.Targets.from_records(obj)
        assert got.to_records() == want.to_records()
        assert got.fingerprint == want.fingerprint
