"""Statistical checks of the PRN function on structured inputs (docs/spec.md §3).

SipHash-2-4 is a PRF, so PRNs of sequential credit codes, of one ID under many seeds and of
adjacent IDs must look like independent uniform draws. These are sanity checks against gross
mistakes (a wrong key derivation, a dropped round, a bad float view, a byte-order slip), not a
proof of randomness.

Thresholds are fixed and the inputs deterministic, so the tests cannot be flaky:

- chi-square goodness of fit with 64 bins (63 degrees of freedom) at p = 1e-6 in either tail:
  above 131.37 (``scipy.stats.chi2.isf(1e-6, 63)`` = 131.3697) is too uneven, below 23.16
  (``scipy.stats.chi2.ppf(1e-6, 63)`` = 23.1615) too even to be random, as a counter or a Weyl
  sequence would be. Hard-coded, so scipy is not needed;
- Pearson correlations within ±5/sqrt(n) (under independence r is about N(0, 1/n), so 5σ);
- each of the 64 bits set in n/2 ± 5·sqrt(n/4) of n values.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest
from reference import prn_int

from shuangsuiji.randomness.prn import id_bytes_array, prn_float, prn_hash

N_IDS = 100_000
N_SEEDS = 20_000
BINS = 64
CHI2_CRIT_63DF_P1E6 = 131.37  # scipy.stats.chi2.isf(1e-6, 63) = 131.3697
CHI2_LOW_63DF_P1E6 = 23.16  # scipy.stats.chi2.ppf(1e-6, 63) = 23.1615
SEED = bytes.fromhex("0d42a5bded1bfc584f68b302b1a6204230fc7a6dbf2a6068b567181217797d18")


class _Plausible:
    """Chi-square statistics (63 df) with neither tail below p = 1e-6."""

    def __contains__(self, x: float) -> bool:
        return CHI2_LOW_63DF_P1E6 < x < CHI2_CRIT_63DF_P1E6


PLAUSIBLE = _Plausible()


def _sequential_ids(n: int) -> list[str]:
    """Credit-code-like IDs that differ only in a running number."""
    return [f"91130100MA{i:08d}" for i in range(n)]


@pytest.fixture(scope="module")
def sequential() -> npt.NDArray[np.uint64]:
    ids = _sequential_ids(N_IDS)
    h = prn_hash(SEED, "食品抽查", id_bytes_array(np.array(ids)))
    # the vectorised PRN is the spec's (a few spot checks against the stdlib reference)
    for i in (0, 1, 2, 9_999, N_IDS - 1):
        assert int(h[i]) == prn_int(SEED, "食品抽查", ids[i])
    return h


@pytest.fixture(scope="module")
def one_id_many_seeds() -> npt.NDArray[np.uint64]:
    """One ID under seeds 0, 1, 2, ... (16-byte big-endian counters): the hardest seed structure."""
    target = "91130100MA00000001"
    return np.array(
        [prn_int(i.to_bytes(16, "big"), "task", target) for i in range(N_SEEDS)], np.uint64
    )


def chi_square(h: npt.NDArray[np.uint64]) -> float:
    """Chi-square statistic of the top 6 bits of h (64 equiprobable bins)."""
    counts = np.bincount((h >> np.uint64(64 - 6)).astype(np.intp), minlength=BINS)
    expected = h.size / BINS
    return float(((counts - expected) ** 2 / expected).sum())


def chi_square_floats(u: npt.NDArray[np.float64]) -> float:
    """Chi-square statistic of PRN floats in 64 equal bins of (0, 1)."""
    counts = np.bincount(np.floor(u * BINS).astype(np.intp), minlength=BINS)
    assert counts.size == BINS
    expected = u.size / BINS
    return float(((counts - expected) ** 2 / expected).sum())


def correlation_bound(n: int) -> float:
    return 5 / math.sqrt(n)


def test_sequential_ids_are_uniform(sequential: npt.NDArray[np.uint64]) -> None:
    u = prn_float(sequential)
    assert ((u > 0) & (u < 1)).all()
    assert chi_square_floats(u) in PLAUSIBLE
    assert chi_square(sequential) in PLAUSIBLE
    # low bits too: bins of the bottom 6 bits
    low = (sequential & np.uint64(63)) << np.uint64(58)
    assert chi_square(low) in PLAUSIBLE
    assert abs(u.mean() - 0.5) < 5 * math.sqrt(1 / 12 / u.size)


def test_one_id_under_many_seeds_is_uniform(one_id_many_seeds: npt.NDArray[np.uint64]) -> None:
    u = prn_float(one_id_many_seeds)
    assert chi_square_floats(u) in PLAUSIBLE
    assert abs(u.mean() - 0.5) < 5 * math.sqrt(1 / 12 / u.size)
    # seeds i and i + 1 give unrelated PRNs
    r = np.corrcoef(u[:-1], u[1:])[0, 1]
    assert abs(r) < correlation_bound(u.size - 1)
    # and the library agrees with the reference on a few of them
    for i in (0, 1, 255, 256, N_SEEDS - 1):
        lib = prn_hash(i.to_bytes(16, "big"), "task", id_bytes_array(np.array(["91130100MA00000001"])))
        assert int(lib[0]) == int(one_id_many_seeds[i])


def test_adjacent_ids_are_uncorrelated(sequential: npt.NDArray[np.uint64]) -> None:
    u = prn_float(sequential)
    for lag in (1, 2, 10):
        r = np.corrcoef(u[:-lag], u[lag:])[0, 1]
        assert abs(r) < correlation_bound(u.size - lag), (lag, r)
    # pairs (PRN_i, PRN_{i+1}) fill the unit square evenly: 8 x 8 cells, 63 degrees of freedom
    a = (sequential[:-1] >> np.uint64(61)).astype(np.intp)
    b = (sequential[1:] >> np.uint64(61)).astype(np.intp)
    counts = np.bincount(a * 8 + b, minlength=64)
    expected = a.size / 64
    assert float(((counts - expected) ** 2 / expected).sum()) in PLAUSIBLE


def test_namespaces_give_unrelated_prns(sequential: npt.NDArray[np.uint64]) -> None:
    ids = id_bytes_array(np.array(_sequential_ids(N_IDS)))
    other = prn_float(prn_hash(SEED, "食品抽查2", ids))
    r = np.corrcoef(prn_float(sequential), other)[0, 1]
    assert abs(r) < correlation_bound(N_IDS)


def test_every_bit_is_balanced(sequential: npt.NDArray[np.uint64]) -> None:
    n = sequential.size
    sigma = math.sqrt(n / 4)
    for bit in range(64):
        ones = int(((sequential >> np.uint64(bit)) & np.uint64(1)).sum())
        assert abs(ones - n / 2) < 5 * sigma, (bit, ones)


def test_every_bit_is_balanced_across_seeds(one_id_many_seeds: npt.NDArray[np.uint64]) -> None:
    n = one_id_many_seeds.size
    sigma = math.sqrt(n / 4)
    for bit in range(64):
        ones = int(((one_id_many_seeds >> np.uint64(bit)) & np.uint64(1)).sum())
        assert abs(ones - n / 2) < 5 * sigma, (bit, ones)
