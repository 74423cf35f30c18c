"""Pseudo-random bits for the demo data that never change with numpy, platform or hash seed.

Every pseudo-random quantity of the demo data is SipHash-2-4 of a row number, keyed by the first
16 bytes of SHA-256 of (a data set's version tag, a label), and turned into values with integer
arithmetic only: no numpy ``Generator`` streams (numpy may change them between releases), no
``random`` module, no floating-point transcendental functions (their last bits vary between SIMD
implementations). Row ``i`` depends on ``i`` alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import numpy.typing as npt

from .._util.hashing import tagged_sha256
from ..randomness.prn import siphash24


def pick(bits: np.uint64 | int, bound: int) -> int:
    """An integer in ``[0, bound)`` from one row of :meth:`BitSource.bits`, as
    :meth:`BitSource.below` computes it."""
    return ((int(bits) >> 32) * bound) >> 32


@attrs.frozen
class BitSource:
    """The bits of one data set (its version ``tag``)."""

    tag: str

    def bits(self, label: str, n: int) -> npt.NDArray[np.uint64]:
        """64 pseudo-random bits per row: SipHash-2-4 of the row number, keyed by the label."""
        key = tagged_sha256(self.tag, label)[:16]
        return siphash24(key, np.arange(n, dtype=np.int64).astype("S"))

    def below(self, label: str, n: int, bound: int | npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Integers in ``[0, bound)`` per row (``bound`` <= 2**31, scalar or per row).

        ``floor(u * bound / 2**32)`` with ``u`` the top 32 bits: exact in uint64, bias below 2**-31.
        """
        u: npt.NDArray[np.uint64] = self.bits(label, n) >> np.uint64(32)
        scaled: npt.NDArray[np.uint64] = u * np.asarray(bound, dtype=np.uint64)
        out: npt.NDArray[np.int64] = (scaled >> np.uint64(32)).astype(np.int64)
        return out

    def categorical(self, label: str, n: int, weights: Sequence[int]) -> npt.NDArray[np.intp]:
        """Index ``k`` drawn with probability ``weights[k] / sum(weights)`` per row."""
        cum = np.cumsum(np.asarray(weights, dtype=np.int64))
        return np.searchsorted(cum, self.below(label, n, int(cum[-1])), side="right")
