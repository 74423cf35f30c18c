"""The sampling math of sampling/designs.py: exact sums, πps with certainty capping, the 2**-64
grid, systematic selection, SRS by PRN, integer sizes from rates and totals (docs/spec.md §6)."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from shuangsuiji.sampling import designs as D

GRID = 2**64
FAST = settings(max_examples=120, deadline=None)


def _ids(n: int) -> np.ndarray:
    return np.array([f"U{k:04d}".encode() for k in range(n)])


def _qsum(q: np.ndarray) -> int:
    return sum(int(x) for x in q.tolist())


# -- exact_sum --------------------------------------------------------------------------------
_finite_nonneg = st.floats(
    min_value=0.0, max_value=1e300, allow_nan=False, allow_infinity=False, allow_subnormal=True
)
_mixed = st.sampled_from(
    [
        0.0,
        5e-324,
        1e-310,
        2.2250738585072014e-308,
        1e-300,
        2.0**-60,
        1e-16,
        0.1,
        1.0,
        1.0 + 2.0**-52,
        3.0,
        1e16,
        2.0**53,
        2.0**53 + 2,
        1e300,
    ]
)


@FAST
@given(st.lists(st.one_of(_finite_nonneg, _mixed), min_size=0, max_size=60), st.randoms())
def test_exact_sum_is_fsum_and_order_free(xs: list[float], rnd: random.Random) -> None:
    expected = math.fsum(xs)
    assert D.exact_sum(np.array(xs, np.float64)) == expected
    rnd.shuffle(xs)
    assert D.exact_sum(np.array(xs, np.float64)) == expected
    assert D.exact_sum(np.array(xs[::-1], np.float64)) == expected


@pytest.mark.parametrize(
    "xs",
    [
        [],
        [0.0, 0.0],
        [5e-324] * 7,
        [1.0, 2.0**-53],  # exactly half an ulp: ties to even
        [1.0, 2.0**-53, 2.0**-105],  # just above half an ulp
        [2.0**53, 1.0],
        [2.0**53, 1.0, 1.0],
        [1e300, 1e-300, 5e-324],
        [0.1] * 10,
        [1e100, 1.0, -1e100],  # cancellation (signed inputs are supported too)
    ],
)
def test_exact_sum_hard_cases(xs: list[float]) -> None:
    got = D.exact_sum(np.array(xs, np.float64))
    assert got == math.fsum(xs)
    assert type(got) is float


def test_exact_sum_large_input() -> None:
    rng = np.random.default_rng(1)
    x = rng.random(200_000) * 10.0 ** rng.integers(-30, 30, 200_000)
    assert D.exact_sum(x) == math.fsum(x.tolist())


# -- pips (R sampling::inclusionprobabilities) ------------------------------------------------
def test_pips_r_example_no_certainty() -> None:
    # inclusionprobabilities(1:10, 3) = a * 3 / 55, each correctly rounded
    w = np.arange(1, 11, dtype=np.float64)
    pi = D.pips(w, 3)
    assert pi.tolist() == [float(Fraction(3 * k, 55)) for k in range(1, 11)]


def test_pips_r_example_dominating_unit() -> None:
    # inclusionprobabilities(c(1,1,1,1,20), 2) = c(0.25, 0.25, 0.25, 0.25, 1)
    assert D.pips(np.array([1, 1, 1, 1, 20.0]), 2).tolist() == [0.25, 0.25, 0.25, 0.25, 1.0]


def test_pips_cascade_of_certainties() -> None:
    # pass 1: 30*3/44 >= 1; pass 2: 10*2/14 >= 1; pass 3: 1 left over four equal weights
    pi = D.pips(np.array([1, 1, 1, 1, 10, 30.0]), 3)
    assert pi.tolist() == [0.25, 0.25, 0.25, 0.25, 1.0, 1.0]


def test_pips_one_certain_then_proportional() -> None:
    pi = D.pips(np.array([1, 2, 3, 4, 100.0]), 3)
    assert pi.tolist() == [float(Fraction(2 * k, 10)) for k in (1, 2, 3, 4)] + [1.0]


def test_pips_exactly_one_is_certain() -> None:
    # 4 * 2 / 8 == 1.0 exactly: taken with certainty, the rest share n - 1
    assert D.pips(np.array([0, 2, 2, 0, 4.0]), 2).tolist() == [0.0, 0.5, 0.5, 0.0, 1.0]


def test_pips_zero_weights_and_bounds() -> None:
    assert D.pips(np.array([0, 1, 0, 3.0]), 2).tolist() == [0.0, 1.0, 0.0, 1.0]
    assert D.pips(np.array([0, 1, 0, 3.0]), 0).tolist() == [0.0] * 4
    with pytest.raises(ValueError, match="cannot draw 3 from 2 units with positive weight"):
        D.pips(np.array([0, 1, 0, 3.0]), 3)
    with pytest.raises(ValueError, match="cannot draw -1"):
        D.pips(np.array([1.0, 2.0]), -1)


_weights = st.lists(
    st.one_of(st.just(0.0), st.floats(1e-6, 1e6), st.sampled_from([1.0, 2.0, 1e9])),
    min_size=1,
    max_size=40,
)


@FAST
@given(_weights, st.data())
def test_pips_properties(ws: list[float], data: st.DataObject) -> None:
    w = np.array(ws, np.float64)
    npos = int((w > 0).sum())
    n = data.draw(st.integers(0, npos))
    pi = D.pips(w, n)
    assert ((pi >= 0) & (pi <= 1)).all()
    assert (pi[w == 0] == 0).all()
    assert math.fsum(pi.tolist()) == pytest.approx(n, rel=1e-12, abs=1e-12)
    # monotone in the weight
    order = np.argsort(w, kind="stable")
    assert (np.diff(pi[order]) >= 0).all()
    # row order does not matter, unit by unit, bit for bit
    perm = np.array(data.draw(st.permutations(range(w.size))), np.intp)
    assert (D.pips(w[perm], n) == pi[perm]).all()


# -- quantize ---------------------------------------------------------------------------------
def _check_quantized(pi: np.ndarray, n: int, q: np.ndarray, ids: np.ndarray) -> None:
    certain = pi >= 1.0
    assert (q[certain | (pi == 0)] == 0).all()
    floor = [int(Fraction(p) * GRID) if 0 < p < 1 else 0 for p in pi.tolist()]
    changed = [k for k in range(pi.size) if int(q[k]) != floor[k]]
    deficit = sum(int(x) for x in q.tolist()) - sum(floor)
    # the deficit is tiny and goes to the unit(s) with the largest q, smallest ID first
    assert abs(deficit) < (n + 1) * 2**20
    if changed:
        top = max(floor[k] for k in range(pi.size) if not certain[k])
        at_top = [k for k in range(pi.size) if floor[k] == top and not certain[k]]
        assert changed == [min(at_top, key=lambda k: ids[k])]
    # for π >= 2**-12 the grid value is π itself
    for k in range(pi.size):
        if k not in changed and 2.0**-12 <= pi[k] < 1:
            assert Fraction(int(q[k]), GRID) == Fraction(float(pi[k]))


@FAST
@given(_weights, st.data())
def test_quantize_properties(ws: list[float], data: st.DataObject) -> None:
    w = np.array(ws, np.float64)
    npos = int((w > 0).sum())
    assume(npos > 0)
    n = data.draw(st.integers(1, npos))
    ids = _ids(w.size)
    pi = D.pips(w, n)
    q = D.quantize(pi, n, ids)
    assert q.dtype == np.uint64
    _check_quantized(pi, n, q, ids)
    # permuting units together with their IDs leaves every unit's q unchanged
    perm = np.array(data.draw(st.permutations(range(w.size))), np.intp)
    q2 = D.quantize(D.pips(w[perm], n), n, ids[perm])
    assert (q2 == q[perm]).all()


def test_quantize_equal_weights_deficit_goes_to_smallest_id() -> None:
    ids = np.array([b"g", b"c", b"a", b"f", b"b", b"e", b"d"])
    pi = D.pips(np.ones(7), 3)  # 3/7 is not on the grid
    q = D.quantize(pi, 3, ids)
    _check_quantized(pi, 3, q, ids)
    floor = int(Fraction(float(pi[0])) * GRID)
    assert [int(x) == floor for x in q.tolist()] == [True, True, False, True, True, True, True]
    for perm in ([6, 5, 4, 3, 2, 1, 0], [2, 0, 1, 3, 4, 6, 5]):
        assert (D.quantize(pi[perm], 3, ids[perm]) == q[perm]).all()


def test_quantize_certain_and_zero_units() -> None:
    pi = np.array([1.0, 0.0, 0.25, 0.75, 1.0])
    q = D.quantize(pi, 3, _ids(5)).tolist()
    assert q[0] == q[1] == q[4] == 0
    assert q[2] == 2**62
    assert q[3] >= 3 * 2**62  # exactly 3 * 2**62 once the quantize target bug is fixed


def test_quantize_spreads_a_deficit_no_single_unit_can_absorb() -> None:
    # Inconsistent on purpose (Σπ = 1.4, n = 1) to exercise the "repeatedly" branch: the
    # excess 0.4 is taken from the largest q, smallest ID first, one unit after another.
    ids = np.array([c.encode() for c in "nmlkjihgfedcba"])
    q = D.quantize(np.full(14, 0.1), 1, ids)
    by_id = [int(q[k]) for k in np.argsort(ids)]
    q0 = int(Fraction(0.1) * GRID)  # 0.1 is a little above 1/10: 14 * q0 - 2**64 = 4 * q0 + 1024
    assert 14 * q0 - GRID == 4 * q0 + 1024
    assert by_id[:4] == [0, 0, 0, 0]
    assert q0 - 1024 <= by_id[4] < q0
    assert by_id[5:] == [q0] * 9


def test_quantize_total_is_exact() -> None:
    q = D.quantize(np.array([0.5, 0.5]), 1, np.array([b"b", b"a"]))
    assert _qsum(q) == GRID
    # ... and so systematic selection never takes two units where one is due
    assert int(D.systematic(q, 0).sum()) == 1
    pi = D.pips(np.ones(7), 3)
    assert _qsum(D.quantize(pi, 3, _ids(7))) == 3 * GRID
    q = D.quantize(np.array([1.0, 0.0, 0.25, 0.75, 1.0]), 3, _ids(5))
    assert q.tolist()[3] == 3 * 2**62


@FAST
@given(_weights, st.data())
def test_quantize_total_is_exact_property(ws: list[float], data: st.DataObject) -> None:
    w = np.array(ws, np.float64)
    npos = int((w > 0).sum())
    assume(npos > 0)
    n = data.draw(st.integers(1, npos))
    pi = D.pips(w, n)
    q = D.quantize(pi, n, _ids(w.size))
    assert _qsum(q) == (n - int((pi >= 1).sum())) * GRID


# -- systematic -------------------------------------------------------------------------------
def test_systematic_grid_frequencies_equal_q() -> None:
    # q in units of 2**60 summing to 2 * 16: over the 16 starts k * 2**60 (plus any offset
    # inside a grid cell) each unit is taken exactly q_k / 2**60 times and always 2 in all.
    units = [3, 5, 0, 8, 15, 1]
    q = np.array([u * 2**60 for u in units], np.uint64)
    for offset in (0, 1, 2**59, 2**60 - 1):
        counts = np.zeros(len(units), int)
        for k in range(16):
            sel = D.systematic(q, k * 2**60 + offset)
            assert int(sel.sum()) == 2
            counts += sel
        assert counts.tolist() == units


def test_systematic_extreme_q() -> None:
    q = np.array([2**64 - 1, 1], np.uint64)
    assert D.systematic(q, 0).tolist() == [True, False]
    assert D.systematic(q, 2**64 - 2).tolist() == [True, False]
    assert D.systematic(q, 2**64 - 1).tolist() == [False, True]


@FAST
@given(st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=30), st.integers(0, 2**64 - 1))
def test_systematic_count_is_sum_over_grid(qs: list[int], start: int) -> None:
    r = sum(qs) % GRID
    if r:
        qs = [*qs, GRID - r]
    q = np.array(qs, np.uint64)
    sel = D.systematic(q, start)
    assert int(sel.sum()) == sum(qs) // GRID
    assert not sel[q == 0].any()


# -- smallest, prn_order, lexmin --------------------------------------------------------------
def test_smallest_ties_by_id() -> None:
    h = np.array([5, 3, 3, 3, 9], np.uint64)
    ids = np.array([b"e", b"c", b"a", b"b", b"d"])
    assert D.smallest(h, 2, ids).tolist() == [2, 3]
    assert D.smallest(h, 3, ids).tolist() == [1, 2, 3]
    assert D.smallest(h, 4, ids).tolist() == [0, 1, 2, 3]
    assert D.smallest(h, 5, ids).tolist() == [0, 1, 2, 3, 4]
    assert D.smallest(h, 9, ids).tolist() == [0, 1, 2, 3, 4]
    assert D.smallest(h, 0, ids).tolist() == []


_ids_strategy = st.lists(
    st.binary(min_size=1, max_size=10).filter(lambda b: b"\0" not in b),
    min_size=1,
    max_size=30,
    unique=True,
)


@FAST
@given(_ids_strategy, st.data())
def test_smallest_and_prn_order_are_sorted_by_h_then_id(
    ids_l: list[bytes], data: st.DataObject
) -> None:
    hs = data.draw(st.lists(st.integers(0, 3), min_size=len(ids_l), max_size=len(ids_l)))
    h = np.array(hs, np.uint64)
    ids = np.array(ids_l, dtype="S")
    want = sorted(range(len(hs)), key=lambda k: (hs[k], ids_l[k]))
    assert D.prn_order(h, ids).tolist() == want
    n = data.draw(st.integers(0, len(hs)))
    assert D.smallest(h, n, ids).tolist() == sorted(want[:n])


@FAST
@given(_ids_strategy, st.data())
def test_lexmin_is_min_of_utf8_bytes(ids_l: list[bytes], data: st.DataObject) -> None:
    ids = np.array(ids_l, dtype="S")
    cand = data.draw(st.lists(st.integers(0, len(ids_l) - 1), min_size=1, unique=True))
    assert D.lexmin(ids, np.array(cand, np.intp)) == min(cand, key=lambda k: ids_l[k])


def test_lexmin_prefix_sorts_first() -> None:
    ids = np.array([b"abcdefghij", b"abcdefgh", b"abcdefghi", "河北".encode()])
    assert D.lexmin(ids, np.array([0, 1, 2, 3])) == 1
    assert D.lexmin(ids, np.array([0, 2, 3])) == 2
    assert D.lexmin(ids, np.array([3])) == 3


# -- rate_size --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((10, 0.25, "ceil", 0, 10), (3, 3, 0)),  # 2.5 -> 3
        ((8, 0.25, "ceil", 0, 8), (2, 2, 0)),
        ((1, 0.25, "ceil", 0, 1), (1, 1, 0)),
        ((10, 0.25, "round", 0, 10), (3, 3, 0)),  # half up
        ((6, 0.25, "round", 0, 6), (2, 2, 0)),  # 1.5 -> 2
        ((5, 0.25, "round", 0, 5), (1, 1, 0)),  # 1.25 -> 1
        ((1, 0.25, "round", 0, 1), (0, 0, 0)),
        ((10, 0.25, "random", 0, 10), (2, 3, Fraction(1, 2))),
        ((9, 0.25, "random", 0, 9), (2, 3, Fraction(1, 4))),
        ((8, 0.25, "random", 0, 8), (2, 2, 0)),
        ((10, 0.25, "ceil", 5, 10), (5, 5, 0)),  # minimum raises n
        ((10, 0.25, "ceil", 20, 10), (10, 10, 0)),  # ... but not beyond the population
        ((10, 0.25, "ceil", 5, 4), (4, 4, 0)),  # ... nor beyond the cap
        ((10, 0.25, "random", 3, 10), (3, 3, 0)),  # both outcomes lifted: fixed
        ((10, 0.25, "random", 2, 10), (2, 3, Fraction(1, 2))),
        ((100, 0.5, "ceil", 0, 7), (7, 7, 0)),  # cap
        ((100, 0.0, "ceil", 5, 100), (0, 0, 0)),  # rate 0 is "left alone" despite minimum
        ((100, 0.0, "random", 5, 100), (0, 0, 0)),
        ((100, 0.5, "ceil", 5, 0), (0, 0, 0)),  # nothing can be drawn
        ((7, 1.0, "ceil", 0, 7), (7, 7, 0)),
        ((0, 0.5, "ceil", 3, 0), (0, 0, 0)),
    ],
)
def test_rate_size(args: tuple, expected: tuple) -> None:
    s = D.rate_size(*args)
    assert (s.low, s.high, s.p_high) == expected
    assert s.fixed == (s.low == s.high)


def test_rate_size_random_is_exact_in_expectation() -> None:
    for N in range(50):
        s = D.rate_size(N, 0.375, "random", 0, N)
        assert s.expected == Fraction(3, 8) * N
        assert s.high - s.low in (0, 1)


def test_rate_size_bad_rounding() -> None:
    with pytest.raises(ValueError, match="floor"):
        D.rate_size(10, 0.25, "floor", 0, 10)


@pytest.mark.parametrize(
    ("args", "n"),
    [
        ((100, 0.1, "ceil", 0, 100), 10),
        ((30, 0.1, "ceil", 0, 30), 3),
        ((100, 0.07, "ceil", 0, 100), 7),
        ((10, 0.15, "round", 0, 10), 2),
        ((100, 0.1, "random", 0, 100), 10),
    ],
)
def test_rate_size_uses_the_decimal_rate(args: tuple, n: int) -> None:
    s = D.rate_size(*args)
    assert (s.low, s.high) == (n, n)


def test_size_dist() -> None:
    s = D.SizeDist(2, 3, Fraction(1, 4))
    assert s.expected == Fraction(9, 4) and not s.fixed
    assert D.SizeDist(4, 4).fixed and D.SizeDist(4, 4).expected == 4
    assert D.SizeDist(2, 3, Fraction(0)).fixed


# -- allocate ---------------------------------------------------------------------------------
F = Fraction


@pytest.mark.parametrize(
    ("total", "pops", "shares", "minimum", "expected"),
    [
        (10, [50, 30, 20], [50, 30, 20], 0, [5, 3, 2]),  # proportional, exact
        (10, [40, 35, 25], [40, 35, 25], 0, [4, 4, 2]),  # .5/.5 remainders: earlier stratum
        (10, [100, 2, 100], [1, 1, 1], 0, [4, 2, 4]),  # equal, one stratum capped
        (10, [1000, 10, 5], [1000, 10, 5], 3, [4, 3, 3]),  # minimums lift the small strata
        (8, [100, 100], [3, 1], 0, [6, 2]),  # Neyman-like shares N_h * S_h
        (4, [10, 10, 10], [0, 1, 1], 1, [1, 2, 1]),  # zero share: its minimum only
        (6, [10, 20, 30], [0, 0, 0], 0, [1, 2, 3]),  # all shares zero: by population
        (0, [10, 20, 30], [1, 1, 1], 0, [0, 0, 0]),
        (3, [0, 5], [0, 5], 2, [0, 3]),  # an empty stratum
        (60, [10, 20, 30], [1, 1, 1], 0, [10, 20, 30]),  # census of all
        (7, [3, 100, 100], [100, 1, 1], 0, [3, 2, 2]),  # capped by share, rest re-spread
    ],
)
def test_allocate_examples(
    total: int, pops: list[int], shares: list[int], minimum: int, expected: list[int]
) -> None:
    got = D.allocate(total, pops, [F(s) for s in shares], minimum)
    assert got == expected
    assert sum(got) == total


def test_allocate_errors() -> None:
    with pytest.raises(ValueError, match="total 61 exceeds the population 60"):
        D.allocate(61, [10, 20, 30], [F(1)] * 3, 0)
    with pytest.raises(ValueError, match="total 5 is below the sum of stratum minimums 6"):
        D.allocate(5, [10, 20, 30], [F(1)] * 3, 2)
    # a minimum above a stratum's population is that population
    assert D.allocate(5, [1, 20, 30], [F(1)] * 3, 2) == [1, 2, 2]


@st.composite
def _allocation_inputs(draw: st.DrawFn, with_minimum: bool) -> tuple:
    k = draw(st.integers(1, 7))
    pops = draw(st.lists(st.integers(0, 60), min_size=k, max_size=k))
    shares = [Fraction(x, 4) for x in draw(st.lists(st.integers(0, 40), min_size=k, max_size=k))]
    minimum = draw(st.integers(0, 8)) if with_minimum else 0
    lower = [min(minimum, N) for N in pops]
    total = draw(st.integers(sum(lower), sum(pops)))
    return total, pops, shares, minimum


def _check_allocation(total: int, pops: list[int], shares: list[Fraction], minimum: int) -> None:
    n = D.allocate(total, pops, shares, minimum)
    assert sum(n) == total
    assert all(min(minimum, N) <= x <= N for x, N in zip(n, pops))
    # scaling every share by the same factor changes nothing (only ratios matter)
    assert D.allocate(total, pops, [s * 3 for s in shares], minimum) == n


@FAST
@given(_allocation_inputs(with_minimum=False))
def test_allocate_properties_without_minimum(args: tuple) -> None:
    _check_allocation(*args)


@FAST
@example((10, [2, 9], [Fraction(0), Fraction(1)], 2))
@given(_allocation_inputs(with_minimum=True))
def test_allocate_properties_with_minimum(args: tuple) -> None:
    _check_allocation(*args)


@pytest.mark.parametrize(
    ("total", "pops", "shares", "minimum", "expected"),
    [
        # a stratum at its population must give way to another's minimum (before 8ce50cd
        # allocate returned [3, 9] and [10, 2] here: above the population, Σ above the total)
        (10, [2, 9], [0, 1], 2, [2, 8]),
        (10, [9, 2], [1, 0], 2, [8, 2]),
        (10, [2, 9], [F(1, 1000), 1], 2, [2, 8]),
    ],
)
def test_allocate_minimum_after_a_capped_stratum(
    total: int, pops: list[int], shares: list, minimum: int, expected: list[int]
) -> None:
    assert D.allocate(total, pops, [F(s) for s in shares], minimum) == expected


# -- bernoulli --------------------------------------------------------------------------------
def test_bernoulli_exact() -> None:
    top = 2**256 - 1
    assert not D.bernoulli(0, F(0)) and not D.bernoulli(top, F(0))
    assert D.bernoulli(0, F(1)) and D.bernoulli(top, F(1))
    assert D.bernoulli(2**255 - 1, F(1, 2))
    assert not D.bernoulli(2**255, F(1, 2))
    assert D.bernoulli(3 * 2**254 - 1, F(3, 4)) and not D.bernoulli(3 * 2**254, F(3, 4))
    assert D.bernoulli(0, F(1, 2**256)) and not D.bernoulli(1, F(1, 2**256))
