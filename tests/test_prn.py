"""Permanent random numbers: SipHash-2-4 keyed per (seed, namespace), vectorised (docs/spec.md §3).

``PRN_VECTORS`` are published in docs/spec.md. They were computed with the stdlib reference in
tests/reference.py and are hard-coded here, so that both the reference and the fast numpy code
must keep reproducing them.
"""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest
import reference as R
from hypothesis import given, settings
from hypothesis import strategies as st

from shuangsuiji.randomness import prn
from shuangsuiji.randomness.prn import id_bytes_array, prn_float, prn_hash, prn_key, siphash24

S_RFC = "0d42a5bded1bfc584f68b302b1a6204230fc7a6dbf2a6068b567181217797d18"  # RFC 3797 §6 sources
S_128 = "000102030405060708090a0b0c0d0e0f"
NS_ZH = "重点检查-检验检测机构"
NS_EN = "general-2024"
LONG_ID = "0123456789" * 30  # 300 characters

# (seed hex, namespace, id) -> (h as 16 hex digits, prn_float(h))
PRN_VECTORS = [
    (S_RFC, NS_ZH, "91130100MA0CXXXX1X", 0x5723192D21673AE9, 0.3403793082410659),
    (S_RFC, NS_ZH, "91130100MA0CXXXX1Y", 0xB949137AFC3E5306, 0.7237713027245659),
    (S_RFC, NS_ZH, "91130100MA0CXXXX2X", 0xCAB68EA79ADD47CE, 0.7918481024924989),
    (S_RFC, NS_ZH, "河北省检验检测研究院", 0x87EF815C184D3106, 0.530998311027635),
    (S_RFC, NS_ZH, "河北省检验检测研究所", 0x41245F4A5CF9B385, 0.254461246161532),
    (S_RFC, NS_ZH, LONG_ID, 0xF5B35F4A508FB873, 0.959768252986179),
    (S_RFC, NS_EN, "91130100MA0CXXXX1X", 0xF3BF7BED104E7121, 0.9521405652779381),
    (S_128, NS_ZH, "91130100MA0CXXXX1X", 0x40E41EE97BCAA5AD, 0.25348084640772106),
    (S_128, NS_EN, "A", 0x147FC5EF02AA3125, 0.08007466397490581),
    (S_128, NS_EN, "1234567", 0xF1A71E31E6864CB9, 0.9439562675311431),
    (S_128, NS_EN, "12345678", 0xD10413C88E0B1F47, 0.8164684643398171),
    (S_128, NS_EN, "123456789", 0x44576037350F1FC1, 0.2669582495482782),
    (S_128, NS_EN, "123456789012345", 0x27BBE183BD26EF8F, 0.155210585272609),
    (S_128, NS_EN, "1234567890123456", 0xD99E3CA4F4C51697, 0.850070753357404),
    (S_128, NS_EN, "12345678901234567", 0x20127396F114120E, 0.12528154788113033),
    (S_128, "t", "河北", 0x8194AC1A186F8820, 0.5061748088559722),
]

# (seed hex, namespace) -> SipHash key = tagged_sha256("shuangsuiji/prn/v1", seed, ns)[:16]
KEY_VECTORS = [
    (S_RFC, NS_ZH, "3954b8517a4aa75f25036cb096487cdc"),
    (S_RFC, NS_EN, "5b7888d6462c4988dd0734c3f745b908"),
    (S_128, NS_ZH, "2cda7303c21036fa709a41563039c58a"),
    (S_128, NS_EN, "8515a0e7d6a25a47e1e832417f5756df"),
    (S_128, "t", "d5538a991c03dbdf23ed31d0ff39a2f5"),
]

# SipHash-2-4 with key 00 01 .. 0f on message 00 01 .. (len-1): the reference implementation's
# vectors.h (veorq/SipHash), whose length-15 entry is the paper's Appendix A example.
PAPER_KEY = bytes(range(16))
PAPER_VECTORS = {
    0: 0x726FDB47DD0E0E31,
    1: 0x74F839C593DC67FD,
    2: 0x0D6C8009D9A94F5A,
    3: 0x85676696D7FB7E2D,
    4: 0xCF2794E0277187B7,
    5: 0x18765564CD99A68D,
    6: 0xCBC9466E58FEE3CE,
    7: 0xAB0200F58B01D137,
    8: 0x93F5F5799A932462,
    9: 0x9E0082DF0BA9E4B0,
    15: 0xA129CA6149BE45E5,
}


def _fast(seed_hex: str, ns: str, ids: list[str]) -> list[int]:
    out = prn_hash(bytes.fromhex(seed_hex), ns, id_bytes_array(np.array(ids)))
    return [int(x) for x in out.tolist()]


# -- published vectors ------------------------------------------------------------------------
def test_vector_table_covers_the_edges() -> None:
    assert len(PRN_VECTORS) >= 12
    lengths = {len(i.encode("utf-8")) for _, _, i, _, _ in PRN_VECTORS}
    assert {1, 7, 8, 9, 15, 16, 17, 18, 30, 300} <= lengths


@pytest.mark.parametrize(("seed", "ns", "tid", "h", "f"), PRN_VECTORS)
def test_prn_vectors_reference(seed: str, ns: str, tid: str, h: int, f: float) -> None:
    assert R.prn_int(bytes.fromhex(seed), ns, tid) == h
    assert float(prn_float(np.array([h], np.uint64))[0]) == f
    assert f == (2 * (h >> 12) + 1) / 2**53


@pytest.mark.parametrize(("seed", "ns", "tid", "h", "f"), PRN_VECTORS)
def test_prn_vectors_fast_single(seed: str, ns: str, tid: str, h: int, f: float) -> None:
    assert _fast(seed, ns, [tid]) == [h]


def test_prn_vectors_fast_batched() -> None:
    # all the vectors of one (seed, namespace) in one call, mixed lengths, non-ASCII included
    groups: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for seed, ns, tid, h, _ in PRN_VECTORS:
        groups.setdefault((seed, ns), []).append((tid, h))
    for (seed, ns), rows in groups.items():
        ids = [t for t, _ in rows]
        assert _fast(seed, ns, ids) == [h for _, h in rows]
        assert _fast(seed, ns, ids[::-1]) == [h for _, h in rows][::-1]


@pytest.mark.parametrize(("seed", "ns", "key"), KEY_VECTORS)
def test_key_vectors(seed: str, ns: str, key: str) -> None:
    assert prn_key(bytes.fromhex(seed), ns).hex() == key
    assert R.tagged_sha256("shuangsuiji/prn/v1", bytes.fromhex(seed), ns.encode())[:16].hex() == key


def test_one_character_apart_ids_are_unrelated() -> None:
    hs = [h for s, ns, t, h, _ in PRN_VECTORS if s == S_RFC and ns == NS_ZH and t.startswith("911")]
    assert len(set(hs)) == 3
    # roughly half of the 64 bits flip between neighbouring IDs (a PRF, not a checksum)
    for a, b in [(hs[0], hs[1]), (hs[0], hs[2])]:
        assert 16 <= (a ^ b).bit_count() <= 48


def test_namespace_and_seed_separate_streams() -> None:
    tid = "91130100MA0CXXXX1X"
    a = _fast(S_RFC, NS_ZH, [tid])[0]
    assert a != _fast(S_RFC, NS_EN, [tid])[0]
    assert a != _fast(S_128, NS_ZH, [tid])[0]
    # a namespace is framed, not concatenated with the ID
    assert _fast(S_128, "ab", ["c"]) != _fast(S_128, "a", ["bc"])


# -- SipHash-2-4 against the paper ------------------------------------------------------------
def test_reference_siphash_paper_appendix_a() -> None:
    assert R.siphash24(PAPER_KEY, bytes(range(15))) == 0xA129CA6149BE45E5
    assert R.siphash24(PAPER_KEY, b"") == 0x726FDB47DD0E0E31


@pytest.mark.parametrize(("length", "expected"), sorted(PAPER_VECTORS.items()))
def test_reference_siphash_vectors_h(length: int, expected: int) -> None:
    assert R.siphash24(PAPER_KEY, bytes(range(length))) == expected


def test_fast_siphash_empty_message() -> None:
    out = siphash24(PAPER_KEY, np.array([b"", b"\x01\x02"], dtype="S2"))
    assert int(out[0]) == 0x726FDB47DD0E0E31
    assert int(out[1]) == R.siphash24(PAPER_KEY, b"\x01\x02")


def test_fast_siphash_rejects_bad_key() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        siphash24(bytes(15), np.array([b"a"]))


def test_fast_siphash_empty_input() -> None:
    assert siphash24(PAPER_KEY, np.array([], dtype="S1")).shape == (0,)


# IDs and namespaces are text that UTF-8 can encode (no lone surrogates) and IDs hold no NUL
_id_chars = st.characters(codec="utf-8", exclude_characters="\x00")
_no_nul = st.binary(min_size=0, max_size=40).filter(lambda b: b"\x00" not in b)


@settings(max_examples=150, deadline=None)
@given(key=st.binary(min_size=16, max_size=16), msgs=st.lists(_no_nul, min_size=1, max_size=20))
def test_fast_siphash_matches_reference(key: bytes, msgs: list[bytes]) -> None:
    out = siphash24(key, np.array(msgs, dtype="S"))
    assert [int(x) for x in out.tolist()] == [R.siphash24(key, m) for m in msgs]


def test_fast_siphash_every_length_0_to_40() -> None:
    rng = random.Random(20240628)
    key = rng.randbytes(16)
    msgs = [bytes(rng.randrange(1, 256) for _ in range(n)) for n in range(41) for _ in range(3)]
    out = siphash24(key, np.array(msgs, dtype="S"))
    assert [int(x) for x in out.tolist()] == [R.siphash24(key, m) for m in msgs]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.binary(min_size=16, max_size=48),
    ns=st.text(st.characters(codec="utf-8"), min_size=0, max_size=12),
    ids=st.lists(st.text(_id_chars, min_size=1, max_size=24), min_size=1, max_size=12),
)
def test_prn_hash_matches_reference(seed: bytes, ns: str, ids: list[str]) -> None:
    out = prn_hash(seed, ns, id_bytes_array(np.array(ids)))
    assert [int(x) for x in out.tolist()] == [R.prn_int(seed, ns, t) for t in ids]


# -- prn_float --------------------------------------------------------------------------------
def test_prn_float_extremes_strictly_inside_unit_interval() -> None:
    h = np.array([0, 1, 2**12 - 1, 2**12, 2**63, 2**64 - 2**12, 2**64 - 1], np.uint64)
    f = prn_float(h)
    assert f.dtype == np.float64
    assert ((f > 0) & (f < 1)).all()
    assert f[0] == 2.0**-53 and f[-1] == 1 - 2.0**-53
    assert f[3] == 3 * 2.0**-53
    assert f[4] == 0.5 + 2.0**-53


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=20))
def test_prn_float_is_the_exact_top_52_bits(hs: list[int]) -> None:
    f = prn_float(np.array(hs, np.uint64))
    for h, x in zip(hs, f.tolist()):
        assert Fraction(x) == Fraction(2 * (h >> 12) + 1, 2**53)
        assert 0 < x < 1
    order = np.argsort(np.array(hs, np.uint64), kind="stable")
    assert (np.diff(f[order]) >= 0).all()


# -- id_bytes_array ---------------------------------------------------------------------------
def test_id_bytes_array_ascii_fast_path() -> None:
    ids = ["91130100MA0CXXXX1X", "A", "abc def", "x" * 40]
    arr = id_bytes_array(np.array(ids))
    assert arr.dtype.kind == "S" and arr.dtype.itemsize == 40
    assert arr.tolist() == [s.encode("utf-8") for s in ids]


def test_id_bytes_array_non_ascii_fallback() -> None:
    ids = ["河北省检验检测研究院", "A", "Ünïcödé", "🧪lab", "91130100MA0CXXXX1X"]
    arr = id_bytes_array(np.array(ids))
    assert arr.dtype.kind == "S"
    assert arr.tolist() == [s.encode("utf-8") for s in ids]
    # object arrays and lists take the same route
    assert id_bytes_array(np.array(ids, dtype=object)).tolist() == arr.tolist()
    assert id_bytes_array(ids).tolist() == arr.tolist()


def test_id_bytes_array_bytes_pass_through() -> None:
    b = np.array([b"abc", "河北".encode()])
    assert id_bytes_array(b) is b


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(_id_chars, min_size=1, max_size=16), min_size=1, max_size=16))
def test_id_bytes_array_agrees_with_encode(ids: list[str]) -> None:
    assert id_bytes_array(np.array(ids)).tolist() == [s.encode("utf-8") for s in ids]


# -- chunking and threads ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def many_ids() -> np.ndarray:
    # > 2**16 rows, in several lengths (several groups, several chunks in the largest group)
    n = (1 << 16) + 4321
    base = np.char.add("9113", np.char.zfill(np.arange(n).astype(str), 14))
    ids = base.astype(object)
    ids[::7] = np.char.add("检", base[::7]).astype(object)  # non-ASCII fallback, 3 bytes longer
    ids[::5] = np.char.add(base[::5], "x" * 9).astype(object)
    return id_bytes_array(np.array(ids.tolist()))


def test_large_input_matches_reference_and_is_row_order_free(many_ids: np.ndarray) -> None:
    seed = bytes.fromhex(S_RFC)
    h = prn_hash(seed, NS_ZH, many_ids)
    assert h.shape == (many_ids.shape[0],) and h.dtype == np.uint64
    rng = np.random.default_rng(7)
    sample = rng.choice(many_ids.shape[0], 400, replace=False)
    for i in sample.tolist():
        assert int(h[i]) == R.prn_int(seed, NS_ZH, many_ids[i].decode("utf-8"))
    perm = rng.permutation(many_ids.shape[0])
    assert (prn_hash(seed, NS_ZH, many_ids[perm]) == h[perm]).all()
    # hashing in slices (a registry grown one batch at a time) gives the same numbers
    parts = [prn_hash(seed, NS_ZH, many_ids[s : s + 10007]) for s in range(0, len(many_ids), 10007)]
    assert (np.concatenate(parts) == h).all()


def test_chunk_size_and_thread_count_do_not_matter(
    many_ids: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = bytes.fromhex(S_128)
    base = prn_hash(seed, NS_EN, many_ids)
    monkeypatch.setattr(prn.os, "cpu_count", lambda: 1)
    single = prn_hash(seed, NS_EN, many_ids)
    monkeypatch.setattr(prn, "_CHUNK", 999)
    small_chunks_single = prn_hash(seed, NS_EN, many_ids)
    monkeypatch.setattr(prn.os, "cpu_count", lambda: 8)
    small_chunks_threads = prn_hash(seed, NS_EN, many_ids)
    for other in (single, small_chunks_single, small_chunks_threads):
        assert (other == base).all()
