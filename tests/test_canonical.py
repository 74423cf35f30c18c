"""Canonical JSON (RFC 8785): published vectors, agreement with ``rfc8785``, and refusals.

Known answers:
- RFC 8785 §3.2.2 (the "numbers/string/literals" sample), §3.2.3 (sorting by UTF-16 code units)
  and Appendix B (number serialisation), typed in from the RFC;
- the input/output pairs of cyberphone/json-canonicalization (the RFC author's test data), and
  the ES6 number test file regenerated from its published recipe and checked against its published
  SHA-256 (tests/data/rfc8785_testdata.json, Apache-2.0, attribution inside).
The hypothesis tests compare with the ``rfc8785`` package (Trail of Bits), an independent
implementation.
"""

from __future__ import annotations

import hashlib
import json
import math
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from shuangsuiji import InputError
from shuangsuiji.log import canonical as C

DATA: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "rfc8785_testdata.json").read_text("utf-8")
)

# RFC 8785 Appendix B: IEEE 754 bits -> serialisation.
APPENDIX_B = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


def _f64(bits: int) -> float:
    return float(struct.unpack("<d", struct.pack("<Q", bits))[0])


@pytest.mark.parametrize("hex_bits,text", APPENDIX_B)
def test_appendix_b_numbers(hex_bits: str, text: str) -> None:
    x = _f64(int(hex_bits, 16))
    assert C.number_text(x) == text
    assert C.dumps(x) == text.encode()
    assert C.dumps([x]) == f"[{text}]".encode()
    back = C.loads(text.encode())
    assert back == x and (x == 0 or math.copysign(1, back) == math.copysign(1, x))


@pytest.mark.parametrize("bits", [0x7FFFFFFFFFFFFFFF, 0x7FF0000000000000, 0xFFF0000000000000])
def test_appendix_b_nan_and_infinity_are_errors(bits: int) -> None:
    with pytest.raises(InputError, match="not a JSON number"):
        C.number_text(_f64(bits))
    with pytest.raises(InputError, match=r'value\["pi"\]'):
        C.dumps({"pi": _f64(bits)})


def test_section_3_2_2_sample_and_its_utf8_bytes() -> None:
    src = (
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        ' "literals": [null, true, false]}'
    )
    got = C.dumps(json.loads(src))
    assert got == (  # §3.2.3, as the UTF-8 bytes of §3.2.4
        b'{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        b'"string":"\xe2\x82\xac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert C.loads(got) == json.loads(src)


def test_section_3_2_3_sorting_by_utf16_code_units() -> None:
    src = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    order = [v for v in json.loads(C.dumps(src)).values()]
    assert order == [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",
        "Hebrew Letter Dalet With Dagesh",
    ]


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: c["name"])
def test_cyberphone_input_output_pairs(case: dict[str, str]) -> None:
    want = bytes.fromhex(case["output_hex"])
    assert C.dumps(json.loads(case["input"])) == want
    assert C.dumps(C.loads(want)) == want
    if case["input"].encode() != want:
        with pytest.raises(InputError, match="not in RFC 8785 canonical form|not JSON"):
            C.loads(case["input"].encode())


def _es6_values(n: int) -> list[int]:
    """The IEEE 754 bit patterns of the ES6 number test file, by its published recipe."""
    out = [int(h, 16) for h in DATA["es6_static_u64"]]
    out += [0x0010000000000000 + i for i in range(2000)]
    block, pending = bytes(32), []
    while len(out) < n:
        x = 0.0
        while x == 0.0 or not math.isfinite(x):
            if not pending:
                block = hashlib.sha256(block).digest()
                pending = list(struct.unpack("<4d", block))
            x = pending.pop(0)
        out.append(struct.unpack("<Q", struct.pack("<d", x))[0])
    return out[:n]


def test_es6_number_file_matches_its_published_checksums() -> None:
    values = _es6_values(100_000)
    h = hashlib.sha256()
    size = 0
    checks = {c["lines"]: c for c in DATA["es6_checksums"]}
    for i, bits in enumerate(values, 1):
        line = f"{bits:x},{C.number_text(_f64(bits))}\n".encode()
        h.update(line)
        size += len(line)
        if i in checks:
            assert (h.hexdigest(), size) == (checks[i]["sha256"], checks[i]["bytes"]), i
    assert max(checks) == len(values)


# -- agreement with the rfc8785 package -----------------------------------------------------------
keys = st.text(st.characters(codec="utf-8"), max_size=4) | st.sampled_from(
    ["\U0001f600", "\ufb33", "a", "\x00", "é", "石家庄"]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-C.MAX_SAFE_INTEGER, C.MAX_SAFE_INTEGER)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec="utf-8"), max_size=6)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=16,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_dumps_agrees_with_rfc8785_and_round_trips(v: Any) -> None:
    got = C.dumps(v)
    assert got == rfc8785.dumps(v)
    back = C.loads(got)
    assert C.dumps(back) == got
    assert back == v  # the same value; integral floats come back as ints


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_text_agrees_with_rfc8785_and_round_trips(x: float) -> None:
    text = C.number_text(x)
    assert text.encode() == rfc8785.dumps(x)
    assert float(text) == x
    if 1e-4 <= abs(x) < 1e16 and not x.is_integer():
        assert text == repr(x)  # the fast path's premise


@settings(max_examples=200, deadline=None)
@given(values)
def test_non_canonical_spellings_are_refused(v: Any) -> None:
    canon = C.dumps(v)
    pretty = json.dumps(v, indent=1, ensure_ascii=True).encode()
    if pretty != canon:
        with pytest.raises(InputError, match="not in RFC 8785 canonical form"):
            C.loads(pretty)


# -- refusals name the culprit ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "value,path,words",
    [
        ({"a": [1, {"b": 2**53}]}, 'body["a"][1]["b"]', "beyond"),
        ({"a": [-(2**60)]}, 'body["a"][0]', "store it as a string"),
        ({"x": float("nan")}, 'body["x"]', "not a JSON number"),
        ({"x": [float("-inf")]}, 'body["x"][0]', "not a JSON number"),
        ({"n": np.int64(3)}, 'body["n"]', "numpy.int64"),
        ({"s": {1, 2}}, 'body["s"]', "set is not a JSON value"),
        ({"d": {1: "x"}}, 'body["d"]', "the key 1 is a int"),
        ({"t": b"bytes"}, 'body["t"]', "bytes is not a JSON value"),
        ({"u": "ok", "v": ["\ud800"]}, 'body["v"][0]', "lone surrogate"),
        ({"\udc00": 1}, 'body["\\udc00"]', "lone surrogate"),
    ],
)
def test_bad_values_are_refused_with_their_path(value: Any, path: str, words: str) -> None:
    with pytest.raises(InputError) as e:
        C.dumps(value, where="body")
    assert path in str(e.value) and words in str(e.value)


def test_cycles_and_depth_are_refused() -> None:
    a: list[Any] = []
    a.append(a)
    with pytest.raises(InputError, match="nested more than 200 levels"):
        C.dumps(a)


def test_numpy_float64_and_tuples_are_json() -> None:
    assert C.dumps({"p": np.float64(0.25), "t": (1, 2)}) == b'{"p":0.25,"t":[1,2]}'
    assert C.dumps({"x": np.float64(1.0)}) == b'{"x":1}'


@pytest.mark.parametrize(
    "data,words",
    [
        (b'{"a":1} ', "from byte 7"),
        (b'{"b":1,"a":2}', "from byte 2"),
        (b'{"a":1.0}', "from byte 6"),
        (b'{"a":-0}', "from byte 5"),
        (b'{"a":1e-07}', "from byte 8"),
        (b'{"a":"\\u00e9"}', "from byte 6"),
        (b'{"a":"\\/"}', "from byte 6"),
        (b'{"a":1,"a":1}', "canonical form"),
        (b'{"a":NaN}', "NaN is not JSON"),
        (b'{"a":1e400}', "beyond binary64"),
        (b'{"a":9007199254740993}', "beyond"),
        (b'{"a":\xff}', "not UTF-8 at byte 5"),
        (b'{"a":}', "not JSON at byte 5"),
        (b'{"\xc3\xa9":}', "not JSON at byte 6"),
        (b'"\\ud800"', "lone surrogate"),
    ],
)
def test_loads_refuses_non_canonical_bytes_with_the_offset(data: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words.replace("(", r"\(")):
        C.loads(data)


def test_big_binary64_integers_written_out_are_canonical() -> None:
    assert C.dumps(1e16) == b"10000000000000000"
    assert C.loads(b"10000000000000000") == 1e16
    assert C.loads(b"295147905179352830000") == 2.0**68
    assert C.dumps(2.0**68) == b"295147905179352830000"
    with pytest.raises(InputError, match="not a binary64"):
        C.loads(b"295147905179352825856")


def test_decode_reads_numbers_as_loads_does_without_the_check() -> None:
    got = C.decode(b'{"a":10000000000000000,"b":1,"c":0.5}')
    assert got == {"a": 1e16, "b": 1, "c": 0.5} and isinstance(got["a"], float)
    assert C.decode(b'{"b":1, "a":2}') == {"a": 2, "b": 1}  # no canonical check
    with pytest.raises(InputError, match="NaN is not JSON"):
        C.decode(b"[NaN]")
