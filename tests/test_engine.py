"""The vectorised draw engine against plain definitions and the stdlib reference.

The engine (``unit_order.order_units``, ``designs.pips_table`` / ``quantize_table`` /
``lexmin_segments``) computes what spec §3 and §6 define, for all cells of a task at once and
on groups of units that share a weight. These tests hold it to the unit-by-unit definitions:

* the packed-key order equals sorting by (cell, h, ID), with partial ties of the packed top
  bits of h, exact ties of h and the lexicographic fallback;
* a group's π and q equal what ``pips`` and ``quantize`` give each of its units;
* whole draws agree with ``tests/ref_draw.py`` when the packed keys keep only a few bits of h
  (so nearly every unit is in a tie run) and when the fallback sort is forced.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import pytest
import ref_draw
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji.sampling import designs as D

unit_order = importlib.import_module("shuangsuiji.sampling.unit_order")

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class ArrayPrns:
    """Given PRNs, handed out as the hashing threads do: in chunks, as slices or index arrays."""

    def __init__(self, h: np.ndarray, chunk: int = 37) -> None:
        self.h, self.chunk = h, chunk

    def into(self, sink: Any) -> None:
        n = self.h.size
        for s in range(0, n, self.chunk):
            if (s // self.chunk) % 2:
                sink(slice(s, min(s + self.chunk, n)), self.h[s : s + self.chunk].copy())
            else:
                idx = np.arange(s, min(s + self.chunk, n))[::-1].copy()
                sink(idx, self.h[idx])

    def at(self, pos: np.ndarray) -> np.ndarray:
        return self.h[pos]


def _ids(n: int, width: int = 6) -> np.ndarray:
    # distinct IDs of mixed length (NUL padding must sort first), in scrambled order
    raw = [
        f"{(i * 7919) % 100003:0{width}d}"[: width - (i % 3)] + chr(65 + i % 26) for i in range(n)
    ]
    return np.array([s.encode() for s in raw])


@SETTINGS
@given(
    st.integers(1, 300),
    st.integers(1, 7),
    st.integers(1, 5),
    st.sampled_from([1, 3, 64, 1 << 40, 1 << 64]),
    st.integers(0, 2**32 - 1),
)
def test_order_is_cell_then_h_then_id(
    n: int, ncell: int, ngroup: int, h_range: int, salt: int
) -> None:
    """Few distinct h (h_range small) gives exact ties; large h shares its top bits rarely."""
    rng = np.random.default_rng(salt)  # test data only: no result depends on it
    ids = _ids(n)
    cell = rng.integers(0, ncell, n)
    group = rng.integers(0, ngroup, n)
    h = (
        rng.integers(0, min(h_range, 1 << 63), n, dtype=np.uint64)
        if h_range < 1 << 64
        else rng.integers(0, 1 << 64, n, dtype=np.uint64, endpoint=False)
    )
    unit = (cell * ngroup + group).astype(np.intp)
    sizes = np.bincount(cell, minlength=ncell)
    order = unit_order.order_units(ArrayPrns(h), n, unit, ngroup, ncell, ids, sizes)
    want = sorted(range(n), key=lambda i: (int(cell[i]), int(h[i]), bytes(ids[i])))
    assert order.positions().tolist() == want
    assert order.units().tolist() == unit[want].tolist()
    some = np.arange(0, n, 3)
    places = order.places(some, unit[some])
    assert order.positions(places).tolist() == some.tolist()


def _force_sort_path(monkeypatch: pytest.MonkeyPatch, mode: str, h_bits: int) -> None:
    """Make order_units take one of its rare paths: ``"few_h_bits"`` packs only ``h_bits`` bits
    of each PRN (most units in tie runs); ``"fallback"`` sorts lexicographically throughout."""
    if mode == "few_h_bits":
        monkeypatch.setattr(unit_order, "_MIN_H_BITS", 1)
        monkeypatch.setattr(unit_order, "_MAX_H_BITS", h_bits)
        monkeypatch.setattr(unit_order, "_MAX_TIES", float("inf"))
    else:
        monkeypatch.setattr(unit_order, "_MIN_H_BITS", 65)


@pytest.mark.parametrize("mode", ["few_h_bits", "fallback"])
def test_order_paths_agree(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    n, ncell, ngroup = 2000, 5, 3
    ids = _ids(n)
    h = rng.integers(0, 1 << 64, n, dtype=np.uint64, endpoint=False)
    h[::7] = h[1::7][: h[::7].size]  # exact ties too
    cell = rng.integers(0, ncell, n)
    unit = (cell * ngroup + rng.integers(0, ngroup, n)).astype(np.intp)
    sizes = np.bincount(cell, minlength=ncell)
    _force_sort_path(monkeypatch, mode, 3)
    order = unit_order.order_units(ArrayPrns(h, 301), n, unit, ngroup, ncell, ids, sizes)
    want = sorted(range(n), key=lambda i: (int(cell[i]), int(h[i]), bytes(ids[i])))
    assert order.positions().tolist() == want
    assert order.units().tolist() == unit[want].tolist()
    some = np.arange(1, n, 11)
    assert order.positions(order.places(some, unit[some])).tolist() == some.tolist()


weights = st.sampled_from([0.0, 1e-9, 0.5, 1.0, 2.0, 3.0, 1e6, 2.0**60, 0.1])


@SETTINGS
@given(
    st.lists(
        st.lists(st.tuples(weights, st.integers(0, 4)), min_size=1, max_size=4),
        min_size=1,
        max_size=4,
    ),
    st.data(),
)
def test_group_tables_equal_unit_by_unit(cells: list[list[tuple[float, int]]], data: Any) -> None:
    ngroup = max(len(c) for c in cells)
    w = np.zeros((len(cells), ngroup))
    count = np.zeros((len(cells), ngroup), np.intp)
    for c, groups in enumerate(cells):
        for g, (wg, k) in enumerate(groups):
            w[c, g], count[c, g] = wg, k
    npos = [int(count[c][w[c] > 0].sum()) for c in range(len(cells))]
    n = np.array([data.draw(st.integers(0, k)) for k in npos], np.int64)
    pi = D.pips_table(w, count, n)
    q, deficit, cand = D.quantize_table(pi, count)
    for c in range(len(cells)):
        units_w = np.repeat(w[c], count[c])
        ref_pi = D.pips(units_w, int(n[c]))
        assert np.repeat(pi[c], count[c]).tolist() == ref_pi.tolist()
        ids = np.array([f"u{i:03d}".encode() for i in range(units_w.size)])
        ref_q = D.quantize(ref_pi, int(n[c]), ids)
        mine = np.repeat(q[c], count[c])
        diff = np.flatnonzero(mine != ref_q)
        # only deficit receivers differ from their group, all from the candidate groups
        assert (ref_q.astype(object).sum() - mine.astype(object).sum()) == int(deficit[c])
        if deficit[c] == 0:
            assert diff.size == 0
        elif D.absorbs(int(q[c][cand[c]].max()), int(deficit[c])):
            grp = np.repeat(np.arange(ngroup), count[c])
            first = np.flatnonzero(cand[c][grp])[0]  # the smallest ID: IDs ascend with position
            assert diff.tolist() == [first]


def test_group_pips_names_the_cell() -> None:
    with pytest.raises(D.CellError) as e:
        D.pips_table(np.array([[1.0], [1.0]]), np.array([[2], [2]]), np.array([1, 3]))
    assert e.value.cell == 1 and "cannot draw 3 from 2" in str(e.value)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3), st.text(min_size=1, max_size=11).filter(lambda s: "\x00" not in s)
        ),
        min_size=1,
        max_size=30,
        unique_by=lambda t: t[1],
    )
)
def test_lexmin_segments(pairs: list[tuple[int, str]]) -> None:
    ids = np.array([s.encode() for _, s in pairs])
    seg = np.array([g for g, _ in pairs], np.intp)
    rows = np.arange(len(pairs))[::-1].copy()
    segs, at = D.lexmin_segments(ids, rows, seg[rows])
    for s, a in zip(segs.tolist(), at.tolist()):
        mine = [bytes(ids[r]) for r in rows[seg[rows] == s]]
        assert bytes(ids[rows[a]]) == min(mine)
    assert segs.tolist() == sorted(set(seg.tolist()))
    # a non-contiguous ID array takes the copying path
    wide = np.repeat(ids, 2)[::2]
    assert D.lexmin_segments(wide, rows, seg[rows])[1].tolist() == at.tolist()


def _class_rows() -> list[dict[str, Any]]:
    rows = []
    for i in range(90):
        cls = "ABCDEX"[i % 6] if i % 17 else None  # X weighs 0; some classes missing
        rows.append(
            {
                "id": f"9113{i * 37 % 1000:04d}ID{i:02d}",
                "city": "甲乙丙"[i % 3],
                "grade": cls,
                "w": [1.0, 1e-9, 2.0**52, 3.0, 0.0][i % 5],
            }
        )
    return rows


CLASS_PLAN = {
    "name": "adv",
    "tasks": [
        {
            "name": "rnd",
            "strata": ["city"],
            "size": {"rate": 0.37, "rounding": "random"},
            "risk": {
                "column": "grade",
                "weights": {"A": 1, "B": 1, "C": 1e-9, "D": 1e6, "E": 3, "X": 0, "(missing)": 2.5},
            },
        },
        {
            "name": "fix",
            "size": {"total": 7},
            "risk": {
                "column": "grade",
                "weights": {
                    "A": 0.1,
                    "B": 0.2,
                    "C": 0.3,
                    "D": 1e9,
                    "E": 0.1,
                    "X": 0,
                    "(missing)": 0.7,
                },
            },
        },
        {
            "name": "num",
            "strata": ["city"],
            "size": {"rate": 0.2, "rounding": "random"},
            "risk": {"column": "w"},
        },
        {"name": "srs", "strata": ["city", "grade"], "size": {"rate": 0.3, "rounding": "random"}},
    ],
}


def _agree(rows: list[dict[str, Any]], plan: dict[str, Any], seeds: int) -> None:
    targets = ss.Targets.from_records(rows)
    ref_pi = ref_draw.inclusion_probabilities(plan, rows)
    lib_pi = {
        (r["task"], r["id"]): (r["stratum"], r["inclusion_probability"])
        for r in ss.inclusion_probabilities(plan, targets).to_records()
    }
    assert lib_pi == ref_pi
    for i in range(seeds):
        seed = ss.Seed.from_hex(f"{i:032x}")
        sel = ss.draw(plan, targets, seed)
        ref = ref_draw.draw(plan, rows, seed.value)
        got = {
            (r["task"], r["id"]): (r["stratum"], r["inclusion_probability"])
            for r in sel.to_records()
        }
        assert got == ref


def test_class_weights_agree_with_reference() -> None:
    """Equal, tiny, huge and zero class weights, missing classes, random rounding."""
    _agree(_class_rows(), CLASS_PLAN, 30)


@pytest.mark.parametrize("mode", ["few_h_bits", "fallback"])
def test_draw_order_paths_agree_with_reference(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _force_sort_path(monkeypatch, mode, 2)
    _agree(_class_rows(), CLASS_PLAN, 8)


def test_selection_is_in_cell_then_prn_order() -> None:
    rows = _class_rows()
    sel = ss.draw(CLASS_PLAN, ss.Targets.from_records(rows), ss.Seed.from_hex("ab" * 16))
    labels = [s.stratum for s in sel.strata]
    key = [
        (int(t), labels.index(s), int(h))
        for t, s, h in zip(sel.task_index, sel.stratum, sel.prn_int)
    ]
    # strata summaries are per task; within a task cells in order, then PRN ascending
    per_task: dict[int, list[tuple[int, int]]] = {}
    for t, c, h in key:
        per_task.setdefault(t, []).append((c, h))
    for seq in per_task.values():
        assert seq == sorted(seq)


def _same_draws(
    rows: list[dict[str, Any]], grouped: dict[str, Any], unit: dict[str, Any], seeds: int
) -> None:
    targets = ss.Targets.from_records(rows)
    a = ss.inclusion_probabilities(grouped, targets)
    b = ss.inclusion_probabilities(unit, targets)
    assert a.id_bytes.tolist() == b.id_bytes.tolist()
    assert a.pi.tolist() == b.pi.tolist()
    for i in range(seeds):
        seed = ss.Seed.from_hex(f"{i:032x}")
        x, y = ss.draw(grouped, targets, seed), ss.draw(unit, targets, seed)
        assert x.rows.tolist() == y.rows.tolist()
        assert x.pi.tolist() == y.pi.tolist()


def test_class_weights_equal_a_weight_column() -> None:
    """The grouped engine (class weights) and the unit-by-unit one (numeric weights) agree."""
    rows = _class_rows()
    table = {"A": 1.0, "B": 1.0, "C": 1e-9, "D": 1e6, "E": 3.0, "X": 0.0, None: 2.5}
    for r in rows:
        r["cw"] = table[r["grade"]]
    task = {"name": "t", "strata": ["city"], "size": {"rate": 0.37, "rounding": "random"}}
    weights = {("(missing)" if k is None else k): v for k, v in table.items()}
    grouped = {"name": "p", "tasks": [{**task, "risk": {"column": "grade", "weights": weights}}]}
    unit = {"name": "p", "tasks": [{**task, "risk": {"column": "cw"}}]}
    _same_draws(rows, grouped, unit, 10)


def test_deficit_spilling_over_two_units() -> None:
    """π = 1 - 2**-52 cannot take the whole grid deficit: the rest goes to the smallest ID.

    One unit of weight 1 and 2**14 of weight 2**-66 (q = 0 each) with n = 1: the sum is
    1 + 2**-52, the big unit's q is 2**64 - 4096 and the deficit 4096, one more than it holds.
    """
    rows = [{"id": "BIG", "c": "A", "w": 1.0}] + [
        {"id": f"t{i:05d}", "c": "B", "w": 2.0**-66} for i in range(1 << 14)
    ]
    task = {"name": "t", "size": {"total": 1}}
    grouped = {
        "name": "p",
        "tasks": [{**task, "risk": {"column": "c", "weights": {"A": 1.0, "B": 2.0**-66}}}],
    }
    unit = {"name": "p", "tasks": [{**task, "risk": {"column": "w"}}]}
    _same_draws(rows, grouped, unit, 3)
    pi = ss.inclusion_probabilities(grouped, ss.Targets.from_records(rows))
    assert pi.of("t", "BIG") == (2.0**64 - 1) / 2.0**64
    assert pi.of("t", "t00000") == 2.0**-64


@SETTINGS
@given(st.binary(min_size=16, max_size=40), st.text(max_size=8), st.lists(st.text(max_size=12)))
def test_cell_ints_are_uniform_int(seed: bytes, ns: str, labels: list[str]) -> None:
    seed_values = importlib.import_module("shuangsuiji.sampling.seed_values")
    for bits, tag in ((64, seed_values.START_TAG), (256, seed_values.SIZE_TAG)):
        got = seed_values.cell_ints(bits, tag, seed, ns, labels)
        assert got == [ref_draw.uniform_int(bits, tag, seed, ns, lab) for lab in labels]


@SETTINGS
@given(st.integers(0, 2**64 - 1), st.integers(-(2**40), 2**40))
def test_absorbs_table(q: int, deficit: int) -> None:
    got = D.absorbs_table(np.array([q], np.uint64), np.array([deficit], np.int64))
    assert bool(got[0]) == D.absorbs(q, deficit)


@pytest.mark.parametrize("keep", [0.25, 0.75])
def test_where_subsets_agree_with_reference(keep: float) -> None:
    """PRNs of a subset: its IDs gathered and hashed, or every ID hashed and the rest dropped."""
    rows = _class_rows()
    for i, r in enumerate(rows):
        r["on"] = "y" if (i * 0.618) % 1 < keep else "n"
    plan = {
        "name": "sub",
        "tasks": [
            {**t, "where": {"on": "y"}}
            for t in CLASS_PLAN["tasks"]  # type: ignore[attr-defined]
        ],
    }
    _agree(rows, plan, 6)


@SETTINGS
@given(
    st.lists(st.binary(min_size=1, max_size=26).filter(lambda b: b"\x00" not in b), max_size=40),
    st.integers(0, 12),
    st.binary(min_size=16, max_size=16),
    st.sampled_from([1, 3, 8, 1 << 15]),
)
def test_siphash_kernel_paths(tails: list[bytes], prefix_len: int, key: bytes, chunk: int) -> None:
    """Strided and gathered blocks, shared leading blocks absorbed once, any chunking."""
    import reference

    prn = importlib.import_module("shuangsuiji.randomness.prn")
    prefix = b"91130100MA0C"[:prefix_len]
    msgs = [prefix + t for t in tails]
    ids = np.array(msgs, dtype="S") if msgs else np.array([], dtype="S1")
    old = prn._CHUNK
    try:
        prn._CHUNK = chunk
        got = prn.siphash24(key, ids).tolist()
        # a strided (non-contiguous) view of the same IDs
        twice = np.repeat(ids, 2)[::2] if msgs else ids
        assert prn.siphash24(key, twice).tolist() == got
    finally:
        prn._CHUNK = old
    assert got == [reference.siphash24(key, bytes(m)) for m in ids.tolist()]


@pytest.mark.parametrize("width", [5, 8, 16, 18, 23])
@pytest.mark.parametrize("shared", [0, 8, 16])
def test_siphash_fixed_width(width: int, shared: int) -> None:
    import reference

    prn = importlib.import_module("shuangsuiji.randomness.prn")
    key = bytes(range(16))
    head = b"9113010012345678"[: min(shared, width - 1)]
    msgs = [head + f"{i * 7919:0{width}d}".encode()[-(width - len(head)) :] for i in range(300)]
    ids = np.array(msgs, dtype="S")
    assert ids.dtype.itemsize == width
    old = prn._CHUNK
    try:
        prn._CHUNK = 64
        got = prn.siphash24(key, ids).tolist()
    finally:
        prn._CHUNK = old
    assert got == [reference.siphash24(key, m) for m in msgs]


finite = st.floats(min_value=0.0, max_value=1e300, allow_nan=False, allow_infinity=False)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.integers(0, 4),
            st.one_of(finite, st.sampled_from([0.0, 1.0, 3.0, 2.0**-1074, 1.7e308])),
        ),
        max_size=40,
    )
)
def test_exact_sums_per_cell(pairs: list[tuple[int, float]]) -> None:
    cell = np.array([c for c, _ in pairs], np.intp)
    w = np.array([x for _, x in pairs], np.float64)
    got = D.exact_sums(w, cell, 5)
    for c in range(5):
        assert got[c] == D.exact_sum(w[cell == c]) or (
            np.isinf(got[c]) and np.isinf(D.exact_sum(w[cell == c]))
        )


@SETTINGS
@given(
    st.lists(st.tuples(st.integers(0, 3), weights), min_size=1, max_size=30),
    st.data(),
)
def test_unit_tables_equal_cell_by_cell(pairs: list[tuple[int, float]], data: Any) -> None:
    cell = np.array([c for c, _ in pairs], np.intp)
    w = np.array([x for _, x in pairs], np.float64)
    npos = [int(((cell == c) & (w > 0)).sum()) for c in range(4)]
    n = np.array([data.draw(st.integers(0, k)) for k in npos], np.int64)
    pi = D.pips_units(w, cell, n)
    q, deficit, qmax = D.quantize_units(pi, cell, 4)
    for c in range(4):
        at = np.flatnonzero(cell == c)
        ref_pi = D.pips(w[at], int(n[c]))
        assert pi[at].tolist() == ref_pi.tolist()
        ids = np.array([f"u{i:03d}".encode() for i in range(at.size)])
        ref_q = D.quantize(ref_pi, int(n[c]), ids)
        assert int(ref_q.astype(object).sum() - q[at].astype(object).sum()) == int(deficit[c])
        free = (ref_pi > 0) & (ref_pi < 1)
        if free.any():
            assert int(qmax[c]) == int(q[at][free].max())
