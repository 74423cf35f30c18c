"""Seed: hex seeds (>= 128 bits) and RFC 3797-style seeds from public sources (docs/spec.md §2).

The test vectors in ``SOURCE_VECTORS`` are published in docs/spec.md; each seed is
SHA-256(UTF-8(key string)), checked here against ``hashlib`` directly.
"""

from __future__ import annotations

import hashlib
import re

import pytest

import shuangsuiji as ss
from shuangsuiji.randomness.seed import canonical_source, source_key_string


def _names(*fragments: str) -> str:
    """A ``match=`` pattern requiring every fragment, in any order."""
    return "(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments)


# (sources as announced, RFC 3797 key string, seed hex)
SOURCE_VECTORS = [
    (
        ["9319", "2 5 12 8 10", "9 18 26 34 41 45"],  # RFC 3797 §6 example
        "9319./2.5.8.10.12./9.18.26.34.41.45./",
        "0d42a5bded1bfc584f68b302b1a6204230fc7a6dbf2a6068b567181217797d18",
    ),
    (
        [9319, [2, 5, 12, 8, 10], (9, 18, 26, 34, 41, 45)],  # the same, as numbers
        "9319./2.5.8.10.12./9.18.26.34.41.45./",
        "0d42a5bded1bfc584f68b302b1a6204230fc7a6dbf2a6068b567181217797d18",
    ),
    (
        ["03 11", "  drand round 12345 "],
        "3.11./DRAND ROUND 12345/",
        "46977ad3f9925b30b82ebcf3d0b4c618b353dc3e364b446b3e789bc46470e1a6",
    ),
    (
        ["沪深300 3512.34", [7, 3, 22]],
        "沪深300 3512.34/3.7.22./",
        "0029f4fabfe7c0e127cfc0e12eaca966e32f0f9134bcb00edd769fefd2ab5eb9",
    ),
    (
        ["沪深３００\u3000３５１２．３４"],  # full-width digits and space: NFKC
        "沪深300 3512.34/",
        "109d3e0392473bb2404df505c592bd1b98f788e249d54ba71d5d6f21fc788310",
    ),
    (
        ["2024-06-28 上证指数收盘 2967.40", "\ufb01rst\u00a0Prize  0042"],  # ligature, NBSP
        "2024-06-28 上证指数收盘 2967.40/FIRST PRIZE 0042/",
        "8f5eeb9a80a94ce9e631d33d7419e7f3adabe37f41d8ed1251e9f6aa08a8b863",
    ),
]


# -- from_hex ---------------------------------------------------------------------------------
def test_from_hex_128_bits_minimum() -> None:
    s = ss.Seed.from_hex("00" * 16)
    assert s.value == bytes(16)
    assert s.hex == "00" * 16
    assert s.kind == "hex"
    assert ss.Seed.from_hex("ab" * 32).value == b"\xab" * 32


def test_from_hex_31_digits_is_odd() -> None:
    with pytest.raises(ss.InputError, match=_names("odd number of hex digits", "(31)")):
        ss.Seed.from_hex("f" * 31)


def test_from_hex_30_digits_names_bits() -> None:
    with pytest.raises(ss.InputError, match=_names("120 bits", "at least 128", "32 hex digits")):
        ss.Seed.from_hex("f" * 30)


@pytest.mark.parametrize(
    "text", ["g" * 32, "0123456789abcdef0123456789abcdeX", "12 34" * 8, "", "0x"]
)
def test_from_hex_non_hex_names_the_input(text: str) -> None:
    with pytest.raises(ss.InputError, match=_names(repr(text), "not hexadecimal")):
        ss.Seed.from_hex(text)


def test_from_hex_prefix_case_and_whitespace() -> None:
    plain = ss.Seed.from_hex("ab" * 16)
    for text in ["0x" + "ab" * 16, "0X" + "AB" * 16, "  \t0x" + "aB" * 16 + "\n", "AB" * 16]:
        s = ss.Seed.from_hex(text)
        assert s == plain
        assert s.hex == "ab" * 16
        assert s.inputs == ("ab" * 16,)


def test_from_hex_not_a_str() -> None:
    with pytest.raises(ss.InputError, match=_names("Seed.from_hex", "int")):
        ss.Seed.from_hex(0x1234)  # type: ignore[arg-type]
    with pytest.raises(ss.InputError, match=_names("Seed.from_hex", "bytes")):
        ss.Seed.from_hex(b"00" * 16)  # type: ignore[arg-type]


def test_direct_construction_is_validated() -> None:
    with pytest.raises(ss.InputError, match=_names("120 bits", "128")):
        ss.Seed(bytes(15))
    with pytest.raises(ss.InputError, match=_names("bytes", "str")):
        ss.Seed("00" * 16)  # type: ignore[arg-type]


def test_equality_and_hash_by_value_only() -> None:
    a = ss.Seed.from_hex("0x" + "12" * 16)
    b = ss.Seed(b"\x12" * 16, kind="sources", inputs=("x",), key_string="x/")
    assert a == b and hash(a) == hash(b)
    assert a != ss.Seed.from_hex("12" * 15 + "13")
    src = ss.Seed.from_sources(SOURCE_VECTORS[0][0])
    assert src == ss.Seed.from_hex(SOURCE_VECTORS[0][2])
    assert len({src, ss.Seed.from_hex(SOURCE_VECTORS[0][2])}) == 1


def test_seed_is_a_value_is_frozen() -> None:
    import attrs

    s = ss.Seed.from_hex("00" * 16)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s.value = b"\x01" * 16  # type: ignore[misc]


# -- from_sources -----------------------------------------------------------------------------
@pytest.mark.parametrize(("sources", "key", "hexseed"), SOURCE_VECTORS)
def test_source_vectors(sources: list, key: str, hexseed: str) -> None:
    s = ss.Seed.from_sources(sources)
    assert s.key_string == key
    assert source_key_string(sources) == key
    assert s.value == hashlib.sha256(key.encode("utf-8")).digest()
    assert s.hex == hexseed
    assert s.kind == "sources"
    assert len(s.value) * 8 == 256


def test_rfc3797_example() -> None:
    # RFC 3797 §6: the key string of its worked example (the RFC then applies MD5; we use SHA-256).
    s = ss.Seed.from_sources(["9319", "2 5 12 8 10", "9 18 26 34 41 45"])
    assert s.key_string == "9319./2.5.8.10.12./9.18.26.34.41.45./"
    assert s.value == hashlib.sha256(b"9319./2.5.8.10.12./9.18.26.34.41.45./").digest()


def test_sources_accept_any_iterable_in_order() -> None:
    gen = (x for x in ["9319", "2 5 12 8 10", "9 18 26 34 41 45"])
    assert ss.Seed.from_sources(gen).hex == SOURCE_VECTORS[0][2]
    # the announced order of sources matters (only numbers within one source are sorted)
    swapped = ss.Seed.from_sources(["2 5 12 8 10", "9319", "9 18 26 34 41 45"])
    assert swapped.key_string == "2.5.8.10.12./9319./9.18.26.34.41.45./"
    assert swapped != ss.Seed.from_sources(SOURCE_VECTORS[0][0])


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("2 5 12 8 10", "2.5.8.10.12./"),
        ([12, 10, 8, 5, 2], "2.5.8.10.12./"),
        ((10, 2, 12, 5, 8), "2.5.8.10.12./"),
        ("2,5,12 , 8;10", "2.5.8.10.12./"),
        ("2，5、12", "2.5.12./"),  # full-width comma and 顿号
        ("03 11", "3.11./"),
        ("007", "7./"),
        ("0", "0./"),
        ("1 1 2", "1.1.2./"),  # repeated numbers are kept (a multiset)
        (9319, "9319./"),
        ("9319", "9319./"),
        ("  42\n", "42./"),
        ("３ １１", "3.11./"),  # full-width digits: NFKC
    ],
)
def test_number_sources_are_sorted_sets(source: object, canonical: str) -> None:
    assert canonical_source(source) == canonical  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("  drand round 12345 ", "DRAND ROUND 12345/"),
        ("沪深300 3512.34", "沪深300 3512.34/"),
        ("3512.34", "3512.34/"),  # a decimal is text: written as announced
        ("沪深３００\u3000３５１２．３４", "沪深300 3512.34/"),
        ("a\t\tb \n c", "A B C/"),
        ("a\u00a0\u2003b", "A B/"),  # NBSP and em space fold to one space after NFKC
        ("\ufb01nal", "FINAL/"),  # the "fi" ligature decomposes under NFKC
        ("Ｂｅａｃｏｎ", "BEACON/"),  # full-width Latin letters
        ("straße é", "STRAßE é/"),  # only ASCII letters are upper-cased
        ("上证指数", "上证指数/"),
    ],
)
def test_text_sources_are_normalised(source: str, canonical: str) -> None:
    assert canonical_source(source) == canonical


@pytest.mark.parametrize("source", ["a/b", "2024/06/28 close", "beacon\uff0f7"])  # ／ -> / by NFKC
def test_slash_in_text_refused(source: str) -> None:
    with pytest.raises(ss.InputError, match=_names(repr(source), "'/'")):
        ss.Seed.from_sources([source])


@pytest.mark.parametrize("source", ["", "   ", "\u3000"])
def test_empty_text_source_refused(source: str) -> None:
    with pytest.raises(ss.InputError, match="seed source is empty"):
        ss.Seed.from_sources(["9319", source])


def test_empty_sequence_source_refused() -> None:
    with pytest.raises(ss.InputError, match="empty sequence"):
        ss.Seed.from_sources(["9319", []])


def test_no_sources_refused() -> None:
    with pytest.raises(ss.InputError, match="at least one source"):
        ss.Seed.from_sources([])


@pytest.mark.parametrize("sources", ["9319", b"9319"])
def test_single_string_instead_of_list_refused(sources: object) -> None:
    with pytest.raises(ss.InputError, match="not a single string"):
        ss.Seed.from_sources(sources)  # type: ignore[arg-type]


def test_bool_source_refused() -> None:
    with pytest.raises(ss.InputError, match=_names("True", "bool")):
        ss.Seed.from_sources([True])


@pytest.mark.parametrize("source", [[1, "x"], [None], 3.5, {"a": 1}.items()])
def test_non_number_sequence_refused(source: object) -> None:
    with pytest.raises(ss.InputError, match="neither text nor a sequence of integers"):
        ss.Seed.from_sources([source])  # type: ignore[list-item]


@pytest.mark.parametrize("source", [[2.7, 5], [True, 3], b"abc"], ids=["float", "bool", "bytes"])
def test_non_integer_members_of_a_number_source_refused(source: object) -> None:
    with pytest.raises(ss.InputError):
        ss.Seed.from_sources([source])  # type: ignore[list-item]


# -- provenance -------------------------------------------------------------------------------
def test_provenance_of_sources() -> None:
    s = ss.Seed.from_sources([9319, [2, 5, 12, 8, 10], (9, 18, 26, 34, 41, 45)])
    assert s.provenance() == {
        "kind": "sources",
        "hex": SOURCE_VECTORS[0][2],
        "sources": [9319, [2, 5, 12, 8, 10], [9, 18, 26, 34, 41, 45]],
        "key_string": "9319./2.5.8.10.12./9.18.26.34.41.45./",
    }
    # the provenance is JSON-ready and replays to the same seed
    import json

    again = json.loads(json.dumps(s.provenance(), ensure_ascii=False))
    assert ss.Seed.from_sources(again["sources"]) == s
    assert hashlib.sha256(again["key_string"].encode()).hexdigest() == again["hex"]


def test_provenance_of_hex() -> None:
    s = ss.Seed.from_hex(" 0x" + "AB" * 20)
    assert s.provenance() == {"kind": "hex", "hex": "ab" * 20}
    assert ss.Seed.from_hex(s.provenance()["hex"]) == s


def test_inputs_are_kept_as_given_and_frozen() -> None:
    given = [9319, [2, 5, 12, 8, 10]]
    s = ss.Seed.from_sources(given)
    assert s.inputs == (9319, (2, 5, 12, 8, 10))
    given[1].append(99)  # mutating the caller's list does not change the seed's record
    assert s.inputs == (9319, (2, 5, 12, 8, 10))
