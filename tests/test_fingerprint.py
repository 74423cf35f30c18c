"""The registry fingerprint against an independent, stdlib-only reference written from the spec
(docs/fingerprint.md), plus its invariances and the published test vector."""

from __future__ import annotations

import hashlib
import math
import struct
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji.registry.columns import Column
from shuangsuiji.registry.fingerprint import id_order, registry_fingerprint

# -- the reference: plain Python lists in, hex out, following the spec text ----------------------
RefColumn = tuple[str, list[Any]]  # (kind, values); None = missing for "str" and "float"


def frame(b: bytes) -> bytes:
    return len(b).to_bytes(8, "big") + b


def ref_fingerprint(id_column: str, ids: list[str], columns: dict[str, RefColumn]) -> str:
    order = sorted(range(len(ids)), key=lambda i: ids[i].encode("utf-8"))
    fields = [
        id_column.encode("utf-8"),
        len(ids).to_bytes(8, "big"),
        len(columns).to_bytes(8, "big"),
        b"".join(frame(ids[i].encode("utf-8")) for i in order),
    ]
    for name in sorted(columns, key=lambda s: s.encode("utf-8")):
        kind, values = columns[name]
        vals = [values[i] for i in order]
        fields += [name.encode("utf-8"), kind.encode("ascii")]
        if kind == "str":
            cats = sorted({v for v in vals if v is not None}, key=lambda s: s.encode("utf-8"))
            pos = {c: i for i, c in enumerate(cats)}
            fields.append(b"".join(frame(c.encode("utf-8")) for c in cats))
            fields.append(b"".join(struct.pack("<i", -1 if v is None else pos[v]) for v in vals))
        elif kind == "float":
            out = []
            for v in vals:
                if v is None or math.isnan(v):
                    out.append(bytes.fromhex("000000000000f87f"))
                else:
                    out.append(struct.pack("<d", 0.0 if v == 0 else v))
            fields.append(b"".join(out))
        elif kind == "int":
            fields.append(b"".join(struct.pack("<q", v) for v in vals))
        elif kind == "bool":
            fields.append(bytes(1 if v else 0 for v in vals))
        else:
            raise AssertionError(kind)
    data = frame(b"shuangsuiji/registry/v1") + b"".join(frame(f) for f in fields)
    return hashlib.sha256(data).hexdigest()


def build(id_column: str, ids: list[str], columns: dict[str, RefColumn]) -> ss.Targets:
    """The fast implementation's registry for the same data (constructed directly)."""
    cols = {}
    for name, (kind, values) in columns.items():
        if kind == "str":
            cols[name] = Column.from_strings(values)
        elif kind == "float":
            cols[name] = Column("float", np.array([np.nan if v is None else v for v in values]))
        elif kind == "int":
            cols[name] = Column("int", np.array(values, np.int64))
        else:
            cols[name] = Column("bool", np.array(values, bool))
    idb = np.array([s.encode("utf-8") for s in ids], dtype="S")
    return ss.Targets(id_column, idb, cols)


# -- the published test vector ------------------------------------------------------------------
VECTOR_IDS = ["91110000100000000A", "91320000MA1XK0000B", "甲-001", "42"]
VECTOR_COLUMNS: dict[str, RefColumn] = {
    "类别": ("str", ["检验检测", None, "认证", "检验检测"]),
    "risk": ("float", [1.5, -0.0, None, 2.0]),
    "人数": ("int", [12, -3, 0, 7]),
    "重点": ("bool", [True, False, True, False]),
}
VECTOR_HEX = "ea2fd0d88c6e5bf8cd60c6c42e30c005d7d8e4b03529f85b844599ddb1788832"


def test_vector_reference() -> None:
    assert ref_fingerprint("统一社会信用代码", VECTOR_IDS, VECTOR_COLUMNS) == VECTOR_HEX


def test_vector_fast() -> None:
    t = build("统一社会信用代码", VECTOR_IDS, VECTOR_COLUMNS)
    assert t.fingerprint == VECTOR_HEX


def test_vector_in_spec_fragment() -> None:
    from pathlib import Path

    frag = Path(__file__).parents[1] / "docs" / "fingerprint.md"
    text = frag.read_text(encoding="utf-8")
    assert VECTOR_HEX in text
    order = sorted(VECTOR_IDS, key=lambda s: s.encode())
    assert b"".join(frame(i.encode()) for i in order).hex() in text  # the IDS field shown


def test_vector_from_records() -> None:
    rows = [
        {"统一社会信用代码": i, **{k: v[1][r] for k, v in VECTOR_COLUMNS.items()}}
        for r, i in enumerate(VECTOR_IDS)
    ]
    rows[3]["统一社会信用代码"] = 42  # an integer ID is written in decimal
    t = ss.Targets.from_records(rows, id="统一社会信用代码")
    assert [c.kind for c in t.columns.values()] == ["str", "float", "int", "bool"]
    assert t.fingerprint == VECTOR_HEX


# -- hypothesis: fast == reference, and invariances ------------------------------------------
_id_text = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=12
).filter(lambda s: s == s.strip() and not s[0].isspace() and not s[-1].isspace())
_name = st.text(st.characters(codec="utf-8"), min_size=1, max_size=6)


@st.composite
def registries(draw: st.DrawFn) -> tuple[str, list[str], dict[str, RefColumn]]:
    ids = draw(st.lists(_id_text, min_size=1, max_size=25, unique=True))
    n = len(ids)
    id_column = draw(_name)
    names = draw(st.lists(_name.filter(lambda s: s != id_column), max_size=4, unique=True))
    value_strategies = {
        "str": st.one_of(
            st.none(), st.sampled_from(["A", "B", "é", "检验", ""]), st.text(max_size=4)
        ),
        "float": st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
        "int": st.integers(-(2**63), 2**63 - 1),
        "bool": st.booleans(),
    }
    cols: dict[str, RefColumn] = {}
    for name in names:
        kind = draw(st.sampled_from(["str", "float", "int", "bool"]))
        cols[name] = (kind, draw(st.lists(value_strategies[kind], min_size=n, max_size=n)))
    return id_column, ids, cols


@settings(max_examples=300, deadline=None)
@given(registries())
def test_fast_matches_reference(reg: tuple[str, list[str], dict[str, RefColumn]]) -> None:
    id_column, ids, cols = reg
    assert build(id_column, ids, cols).fingerprint == ref_fingerprint(id_column, ids, cols)


@settings(max_examples=150, deadline=None)
@given(registries(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(reg: Any, rnd: Any) -> None:
    t = build(*reg)
    perm = list(range(len(t)))
    rnd.shuffle(perm)
    assert t.select(np.array(perm)).fingerprint == t.fingerprint


@settings(max_examples=150, deadline=None)
@given(st.lists(_id_text, min_size=1, max_size=60, unique=True))
def test_id_order_is_utf8_byte_order(ids: list[str]) -> None:
    idb = np.array([s.encode() for s in ids], dtype="S")
    got = [ids[i] for i in id_order(idb)]
    assert got == sorted(ids, key=lambda s: s.encode("utf-8"))


@pytest.mark.parametrize(
    "ids",
    [
        [f"91{i:016d}" for i in (5, 3, 9, 0, 12345678901234)],  # shared prefix, one packed key
        ["b", "a", "ab", "a" * 20, "a" * 19 + "b", "z" * 9, "甲", "\x01"],  # mixed widths
        [bytes([i]).hex() * 9 for i in range(40)],  # wide: several lexsort keys
    ],
)
def test_id_order_cases(ids: list[str]) -> None:
    idb = np.array([s.encode() for s in ids], dtype="S")
    assert [ids[i] for i in id_order(idb)] == sorted(ids, key=lambda s: s.encode())


# -- every change shows ---------------------------------------------------------------------------
def base() -> ss.Targets:
    return build("统一社会信用代码", VECTOR_IDS, VECTOR_COLUMNS)


def test_changing_any_value_changes_it() -> None:
    fp = base().fingerprint
    seen = {fp}
    for name, (kind, values) in VECTOR_COLUMNS.items():
        for r in range(len(VECTOR_IDS)):
            changed = list(values)
            changed[r] = {
                "str": "其他",
                "float": 9.25,
                "int": 99,
                "bool": not values[r],
            }[kind]
            t = build("统一社会信用代码", VECTOR_IDS, {**VECTOR_COLUMNS, name: (kind, changed)})
            seen.add(t.fingerprint)
    for r in range(len(VECTOR_IDS)):
        ids = list(VECTOR_IDS)
        ids[r] = ids[r] + "X"
        seen.add(build("统一社会信用代码", ids, VECTOR_COLUMNS).fingerprint)
    assert len(seen) == 1 + 4 * 4 + 4  # all distinct


def test_missing_differs_from_values() -> None:
    fp = base().fingerprint
    cols = dict(VECTOR_COLUMNS)
    cols["类别"] = ("str", ["检验检测", "", "认证", "检验检测"])  # empty text is not missing
    assert build("统一社会信用代码", VECTOR_IDS, cols).fingerprint != fp
    cols = dict(VECTOR_COLUMNS)
    cols["risk"] = ("float", [1.5, -0.0, 0.0, 2.0])
    assert build("统一社会信用代码", VECTOR_IDS, cols).fingerprint != fp


def test_renaming_changes_it() -> None:
    fp = base().fingerprint
    assert build("id", VECTOR_IDS, VECTOR_COLUMNS).fingerprint != fp
    cols = {("风险" if k == "risk" else k): v for k, v in VECTOR_COLUMNS.items()}
    assert build("统一社会信用代码", VECTOR_IDS, cols).fingerprint != fp
    # moving a value between columns is a change too
    cols = dict(VECTOR_COLUMNS)
    cols["extra"] = ("bool", [False] * 4)
    assert build("统一社会信用代码", VECTOR_IDS, cols).fingerprint != fp


def test_changing_kind_changes_it() -> None:
    ids = ["a", "b"]
    as_int = build("id", ids, {"x": ("int", [1, 2])}).fingerprint
    as_float = build("id", ids, {"x": ("float", [1.0, 2.0])}).fingerprint
    as_str = build("id", ids, {"x": ("str", ["1", "2"])}).fingerprint
    as_bool = build("id", ids, {"x": ("bool", [True, False])}).fingerprint
    assert len({as_int, as_float, as_str, as_bool}) == 4


def test_signed_zero_and_nan_payloads_are_canonical() -> None:
    nans = np.array([0x7FF8000000000000, 0xFFF8000000000001, 0x7FF0000000000001], "<u8")
    a = Column("float", nans.view("<f8").copy())
    b = Column("float", np.full(3, np.nan))
    idb = np.array([b"a", b"b", b"c"])
    assert registry_fingerprint("id", idb, {"x": a}) == registry_fingerprint("id", idb, {"x": b})
    z = Column("float", np.array([-0.0, 0.0, 1.0]))
    p = Column("float", np.array([0.0, 0.0, 1.0]))
    assert registry_fingerprint("id", idb, {"x": z}) == registry_fingerprint("id", idb, {"x": p})


def test_non_canonical_categories_are_canonicalised() -> None:
    idb = np.array([b"a", b"b", b"c"])
    good = Column.from_strings(["x", None, "y"])
    unsorted = Column("str", np.array([1, -1, 0], np.int32), ("y", "x"))
    unused = Column("str", np.array([0, -1, 2], np.int32), ("x", "w", "y"))
    fps = {registry_fingerprint("id", idb, {"c": c}) for c in (good, unsorted, unused)}
    assert len(fps) == 1


def test_fingerprint_is_cached_and_hex() -> None:
    t = base()
    fp = t.fingerprint
    assert t.fingerprint is fp
    assert len(fp) == 64 and int(fp, 16) >= 0


@pytest.mark.parametrize("chunk", [1, 3, 7])
def test_chunked_and_threaded_paths(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    # Large registries stream IDs in chunks and build column buffers on a worker thread; a tiny
    # chunk size sends this small registry through those paths.
    import shuangsuiji.registry.fingerprint as fp

    ids = [f"{i:03d}" * (1 + i % 3) for i in range(20)] + ["甲乙", "x"]
    n = len(ids)
    cols: dict[str, RefColumn] = {
        "a": ("str", [None if i % 5 == 0 else "abc"[i % 3] for i in range(n)]),
        "b": ("float", [None if i % 4 == 0 else i / 3 for i in range(n)]),
        "c": ("int", list(range(n))),
        "d": ("bool", [i % 2 == 0 for i in range(n)]),
    }
    want = ref_fingerprint("id", ids, cols)
    monkeypatch.setattr(fp, "_CHUNK", chunk)
    assert build("id", ids, cols).fingerprint == want
    uniform = [f"{i:05d}" for i in range(n)]  # the equal-length fast path
    assert build("id", uniform, cols).fingerprint == ref_fingerprint("id", uniform, cols)
