"""The declared randomness source and beacon seeds (docs/spec.md §2 and §10).

The drand vector is quicknet round 32281667 as a drand relay served it: randomness is SHA-256 of
the 48-byte BLS signature (drand's definition), checked here with hashlib. The BLS signature is
not verified by the library (no pairing library in the core), and these tests do not pretend to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji._util.times import before, parse_moment
from shuangsuiji.randomness.declared import Randomness

QUICKNET = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
ROUND = 32281667
SIGNATURE = (
    "b0f5ae301358ff87a9d3dd539ed4a07c0148b1ab4f7b61a8ca43c7e9ca7ca9553e4faae9188deb30b2cd1a7f447e3e5b"
)
RANDOMNESS = "4fd2fc55983dbfa3f446d8a0bd56f16cc8c5e76afd1ec154b60d477cbabed13b"
SOURCES = ["03 11 17 24 29 33", "3512.34", "10846.72"]
NOTES = ["双色球第2026004期红球", "上证综合指数收盘", "深证成份指数收盘"]


def _names(*fragments: str) -> str:
    return "(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments)


# -- Seed.from_beacon --------------------------------------------------------------------------
def test_beacon_seed_is_sha256_of_the_signature() -> None:
    s = ss.Seed.from_beacon(QUICKNET, ROUND, SIGNATURE, randomness=RANDOMNESS)
    assert s.hex == RANDOMNESS == hashlib.sha256(bytes.fromhex(SIGNATURE)).hexdigest()
    assert s.kind == "beacon"
    assert s.provenance() == {
        "kind": "beacon",
        "hex": RANDOMNESS,
        "chain_hash": QUICKNET,
        "round": ROUND,
        "signature": SIGNATURE,
    }
    # upper case and 0x are normalised
    again = ss.Seed.from_beacon(QUICKNET.upper(), ROUND, "0x" + SIGNATURE.upper())
    assert again == s and again.inputs == s.inputs


@pytest.mark.parametrize(
    ("args", "kw", "fragments"),
    [
        ((QUICKNET, ROUND, SIGNATURE), {"randomness": "00" * 32}, ["randomness", "SHA-256"]),
        ((QUICKNET[:-2], ROUND, SIGNATURE), {}, ["chain hash", "31 bytes", "32"]),
        ((QUICKNET, 0, SIGNATURE), {}, ["round", ">= 1", "0"]),
        ((QUICKNET, True, SIGNATURE), {}, ["round", "True"]),
        ((QUICKNET, ROUND, SIGNATURE + "0"), {}, ["signature", "hex digits"]),
        ((QUICKNET, ROUND, "zz"), {}, ["signature", "'zz'"]),
        ((QUICKNET, ROUND, b"\x01"), {}, ["signature", "bytes"]),
    ],
)
def test_beacon_seed_errors(args: tuple[Any, ...], kw: dict[str, Any], fragments: list[str]) -> None:
    with pytest.raises(ss.InputError, match=_names(*fragments)):
        ss.Seed.from_beacon(*args, **kw)


@pytest.mark.parametrize(
    "seed",
    [
        ss.Seed.from_hex("00" * 16),
        ss.Seed.from_sources(SOURCES),
        ss.Seed.from_sources([9319, [2, 5, 12, 8, 10]]),
        ss.Seed.from_beacon(QUICKNET, ROUND, SIGNATURE),
    ],
)
def test_from_provenance_round_trips(seed: ss.Seed) -> None:
    import json

    prov = json.loads(json.dumps(seed.provenance()))
    assert ss.Seed.from_provenance(prov) == seed


def test_from_provenance_refuses_a_wrong_hex() -> None:
    prov = ss.Seed.from_sources(SOURCES).provenance()
    prov["sources"][1] = "3512.35"
    with pytest.raises(ss.InputError, match=_names("sources", "recorded", prov["hex"])):
        ss.Seed.from_provenance(prov)
    with pytest.raises(ss.InputError, match=_names("kind", "'dice'")):
        ss.Seed.from_provenance({"kind": "dice", "hex": "00" * 16})
    with pytest.raises(ss.InputError, match=_names("beacon", "'signature'")):
        ss.Seed.from_provenance({"kind": "beacon", "hex": "00", "chain_hash": QUICKNET, "round": 1})
    with pytest.raises(ss.InputError, match="mapping"):
        ss.Seed.from_provenance(["hex"])


# -- declarations ------------------------------------------------------------------------------
def test_sources_declaration_accepts_its_seed_and_round_trips() -> None:
    r = Randomness.sources(NOTES, "2026-01-08", description="公告见计划")
    assert r.problems(ss.Seed.from_sources(SOURCES)) == []
    r.check(ss.Seed.from_sources(SOURCES))
    assert Randomness.from_dict(r.to_dict()) == r
    assert r.to_dict() == {
        "kind": "sources",
        "sources": NOTES,
        "known_after": "2026-01-08",
        "description": "公告见计划",
    }
    assert "3 public sources" in r.summary()


def test_beacon_declaration_accepts_its_round_only() -> None:
    r = Randomness.beacon(QUICKNET.upper(), ROUND, known_after="2026-01-09T08:00:00+08:00")
    assert r.chain_hash == QUICKNET
    seed = ss.Seed.from_beacon(QUICKNET, ROUND, SIGNATURE)
    assert r.problems(seed) == []
    assert Randomness.from_dict(r.to_dict()) == r
    other_round = ss.Seed.from_beacon(QUICKNET, ROUND + 1, SIGNATURE)
    with pytest.raises(ss.InputError, match=_names("round 32281668", "round 32281667")):
        r.check(other_round)
    other_chain = ss.Seed.from_beacon("ab" * 32, ROUND, SIGNATURE)
    with pytest.raises(ss.InputError, match=_names("chain", "ab" * 32, QUICKNET)):
        r.check(other_chain)


@pytest.mark.parametrize(
    ("declaration", "seed", "fragments"),
    [
        (Randomness.sources(NOTES, "2026-01-08"), ss.Seed.from_hex("ab" * 16),
         ["3 public sources", "'hex'", "Seed.from_sources"]),
        (Randomness.sources(NOTES, "2026-01-08"), ss.Seed.from_sources(SOURCES[:2]),
         ["3 sources", "derived from 2"]),
        (Randomness.sources(NOTES, "2026-01-08"),
         ss.Seed(b"\x01" * 32, kind="sources", inputs=tuple(SOURCES)),
         ["not SHA-256", "key string"]),
        (Randomness.beacon(QUICKNET, ROUND), ss.Seed.from_sources(SOURCES),
         ["drand round", "'sources'", "Seed.from_beacon"]),
        (Randomness.beacon(QUICKNET, ROUND),
         ss.Seed(b"\x01" * 32, kind="beacon", inputs=(QUICKNET, ROUND, SIGNATURE)),
         ["not SHA-256", "signature"]),
    ],
)
def test_declaration_refuses_other_seeds(
    declaration: Randomness, seed: ss.Seed, fragments: list[str]
) -> None:
    assert declaration.problems(seed)
    with pytest.raises(ss.InputError, match=_names("seed refused", *fragments)):
        declaration.check(seed)


def test_undeclared_accepts_any_seed() -> None:
    r = Randomness.undeclared()
    assert r.problems(ss.Seed.from_hex("ab" * 16)) == []
    assert Randomness.from_dict({"kind": "undeclared"}) == r
    assert r.summary() == "no declared source"
    assert r.problems("ab" * 16)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "fragments"),
    [
        (lambda: Randomness.sources("one string", "2026-01-08"), ["list of descriptions"]),
        (lambda: Randomness.sources([], "2026-01-08"), ["at least one source"]),
        (lambda: Randomness.sources(["ok", " "], "2026-01-08"), ["description 1", "' '"]),
        (lambda: Randomness.sources(["ok"], "2026/01/08"), ["known_after", "2026/01/08"]),
        (lambda: Randomness.sources(["ok"], "2026-01-08T10:00"), ["no UTC offset"]),
        (lambda: Randomness.sources(["ok"], dt.datetime(2026, 1, 8)), ["no time zone"]),
        (lambda: Randomness.sources(["ok"], 20260108), ["known_after", "20260108"]),
        (lambda: Randomness.beacon("xyz", 1), ["chain hash", "'xyz'", "64 hex"]),
        (lambda: Randomness.beacon(QUICKNET, -1), ["round", "-1"]),
        (lambda: Randomness.beacon(QUICKNET, 1, description=5), ["description", "5"]),
        (lambda: Randomness.from_dict({"kind": "lottery"}), ["kind", "'lottery'"]),
        (lambda: Randomness.from_dict({"kind": "beacon", "round": 1}), ["missing", "chain_hash"]),
        (lambda: Randomness.from_dict({"kind": "undeclared", "x": 1}), ["unknown key", "'x'"]),
        (lambda: Randomness.from_dict([1]), ["mapping", "list"]),
    ],
)
def test_declaration_errors(call: Any, fragments: list[str]) -> None:
    with pytest.raises(ss.InputError, match=_names(*fragments)):
        call()


def test_moments_compare_by_day_unless_both_have_times() -> None:
    d = parse_moment("2026-01-08", "x")
    t = parse_moment("2026-01-08T23:00:00+08:00", "x")
    assert isinstance(d, dt.date) and isinstance(t, dt.datetime)
    assert not before(t, d) and not before(d, t)
    assert before(parse_moment("2026-01-07T23:59:00Z", "x"), d)
    assert before(parse_moment("2026-01-08T10:00:00+00:00", "x"), t.replace(hour=23))
    assert parse_moment(dt.date(2026, 1, 1), "x") == dt.date(2026, 1, 1)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 99), min_size=1, max_size=6), st.integers(1, 5))
def test_sources_declaration_counts_sources(numbers: list[int], n: int) -> None:
    seed = ss.Seed.from_sources([str(x) for x in numbers])
    r = Randomness.sources([f"source {i}" for i in range(n)], "2030-01-01")
    assert (r.problems(seed) == []) == (n == len(numbers))
