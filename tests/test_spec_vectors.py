"""The tables in docs/spec.md are test vectors: parse them and check both implementations."""

from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pytest
import reference as R
from spec_text import SPEC, markdown_table

import shuangsuiji as ss
from shuangsuiji.randomness.prn import id_bytes_array, prn_float, prn_hash
from shuangsuiji.sampling.seed_values import SIZE_TAG, START_TAG, cell_ints


def table_after(heading: str, first_col: str) -> list[list[str]]:
    """Rows of the first markdown table after ``heading`` whose header starts with ``first_col``."""
    return markdown_table(SPEC[SPEC.index(heading) :], first_col)


def _id(cell: str) -> str:
    m = re.fullmatch(r'"(.)" × (\d+)', cell)
    return m.group(1) * int(m.group(2)) if m else cell


PRN_ROWS = table_after("PRN test vectors", "seed")


def test_prn_table_is_large_enough() -> None:
    assert len(PRN_ROWS) >= 12


@pytest.mark.parametrize("row", PRN_ROWS, ids=lambda r: f"{r[1]}:{r[2][:12]}")
def test_prn_vectors(row: list[str]) -> None:
    seed_hex, ns, tid, h_hex, prn = row
    seed = bytes.fromhex(seed_hex)
    target = _id(tid)
    expected = int(h_hex, 16)
    assert R.prn_int(seed, ns, target) == expected
    fast = prn_hash(seed, ns, id_bytes_array(np.array([target])))
    assert int(fast[0]) == expected
    assert float(prn_float(fast)[0]) == float(prn)


def test_siphash_known_answers_from_the_paper() -> None:
    key = bytes(range(16))
    assert R.siphash24(key, b"") == 0x726FDB47DD0E0E31
    assert R.siphash24(key, bytes(range(15))) == 0xA129CA6149BE45E5


def test_key_derivation_example() -> None:
    seed = bytes(range(16))
    framed = R.frame(b"shuangsuiji/prn/v1") + R.frame(seed) + R.frame(b"task")
    assert framed.hex() in SPEC
    assert hashlib.sha256(framed).digest()[:16].hex() in SPEC


def test_seed_vectors() -> None:
    for sources, key, seed_hex in table_after("## 2. Seeds", "sources"):
        srcs = [s.strip().strip("`") for s in sources.split(";")]
        seed = ss.Seed.from_sources(srcs)
        assert seed.key_string == key.strip("`")
        assert seed.hex == seed_hex.strip("`")
        assert hashlib.sha256(seed.key_string.encode()).hexdigest() == seed.hex


def _vector_inputs() -> tuple[ss.Targets, dict[str, object], ss.Seed]:
    rows = [{"id": i, "city": c, "credit": k} for i, c, k in table_after("Registry (ID", "id")]
    text = SPEC[SPEC.index("### 6.6"):]
    plan = json.loads(text[text.index("```json") + 7 : text.index("```", text.index("```json") + 7)])
    seed = ss.Seed.from_hex(re.search(r"Seed: `([0-9a-f]+)`", text).group(1))  # type: ignore[union-attr]
    return ss.Targets.from_records(rows), plan, seed


def test_draw_vector() -> None:
    targets, plan, seed = _vector_inputs()
    got = [
        [r["task"], r["stratum"], r["id"], repr(r["inclusion_probability"])]
        for r in ss.draw(plan, targets, seed).to_records()
    ]
    assert got == table_after("Drawn:", "task")


def test_draw_vector_cell_values() -> None:
    _, _, seed = _vector_inputs()
    for task, cell, start, coin in table_after("Per-cell values", "task"):
        # the engine's own construction (the coin is the top 64 of its 256 bits)
        assert cell_ints(64, START_TAG, seed.value, task, [cell]) == [int(start, 16)]
        assert cell_ints(64, SIZE_TAG, seed.value, task, [cell]) == [int(coin, 16)]
    assert (START_TAG, SIZE_TAG) == ("shuangsuiji/start/v1", "shuangsuiji/size/v1")
