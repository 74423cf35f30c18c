"""Stratum sizes: from rates and totals to integers, exactly (docs/spec.md §5.1, §6.2).

- :class:`SizeDist` is a size, fixed or randomly rounded (``high`` with probability ``p_high``);
  :func:`bernoulli` is its exact coin.
- :func:`rate_size` turns a rate into a size (``ceil``, ``round`` or ``random`` rounding).
- :func:`allocate` splits a total over strata (water-filling, then largest remainders).

All arithmetic is exact (integers and fractions); nothing here knows about plans or registries.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from fractions import Fraction

import attrs

__all__ = ["SizeDist", "allocate", "bernoulli", "decimal_rate", "rate_size"]


def bernoulli(u256: int, p: Fraction) -> bool:
    """True iff u256 / 2**256 < p: exact for any p whose denominator divides 2**256."""
    return u256 * p.denominator < p.numerator * (1 << 256)


@attrs.frozen
class SizeDist:
    """A stratum size: ``high`` with probability ``p_high``, else ``low`` (equal when fixed)."""

    low: int
    high: int
    p_high: Fraction = Fraction(0)

    @property
    def expected(self) -> Fraction:
        return self.low + (self.high - self.low) * self.p_high

    @property
    def fixed(self) -> bool:
        return self.low == self.high or self.p_high == 0


def decimal_rate(rate: float) -> Fraction:
    """The rate the plan states: the shortest decimal that round-trips the binary64 value.

    ``Fraction(0.1)`` is 0.1000000000000000055…, and ⌈0.1000…055 × 30⌉ would be 4, not 3.
    """
    return Fraction(repr(float(rate)))


@functools.lru_cache(maxsize=1 << 14)  # many cells share a population: fractions once per value
def rate_size(population: int, rate: float, rounding: str, minimum: int, cap: int) -> SizeDist:
    """n from a rate, exactly: ``ceil`` (at least the rate), ``round`` (half up) or ``random``.

    ``random`` draws floor(rate*N) + Bernoulli(frac(rate*N)), so E[n]/N equals the rate exactly.
    The minimum (small-population rule) raises n to min(minimum, cap); n never exceeds ``cap``
    (the number of units that can be drawn). A rate of 0 means "left alone": n = 0 regardless of
    the minimum.
    """
    if rate == 0 or cap == 0:
        return SizeDist(0, 0)
    x = decimal_rate(rate) * population
    if rounding == "ceil":
        lo, hi, p = math.ceil(x), math.ceil(x), Fraction(0)
    elif rounding == "round":
        lo = hi = math.floor(x + Fraction(1, 2))
        p = Fraction(0)
    elif rounding == "random":
        lo = math.floor(x)
        p = x - lo
        hi = lo + 1 if p else lo
    else:
        raise ValueError(f"unknown rounding {rounding!r}")
    floor_n = min(minimum, cap)

    def fix(k: int) -> int:
        return min(max(k, floor_n), cap)

    lo, hi = fix(lo), fix(hi)
    return SizeDist(lo, hi, p if hi != lo else Fraction(0))


def _clamp(x: Fraction, lo: int, hi: int) -> Fraction:
    return min(max(x, Fraction(lo)), Fraction(hi))


def _water_fill(
    total: int, shares: Sequence[Fraction], lower: Sequence[int], upper: Sequence[int]
) -> list[Fraction] | None:
    """x_h = clamp(λ·share_h, lower_h, upper_h) with Σx = total, solved exactly; None if no λ."""
    k = len(shares)

    def f(lam: Fraction) -> Fraction:
        return sum((_clamp(lam * shares[h], lower[h], upper[h]) for h in range(k)), Fraction(0))

    if f(Fraction(0)) >= total:
        lam = Fraction(0)
    else:
        points = sorted(
            {
                Fraction(b) / shares[h]
                for h in range(k)
                if shares[h] > 0
                for b in (lower[h], upper[h])
            }
        )
        prev = Fraction(0)
        lam_opt: Fraction | None = None
        for b in points:
            if f(b) >= total:
                # f is linear on [prev, b]: slope = Σ share over strata strictly inside bounds
                slope = sum(
                    (
                        shares[h]
                        for h in range(k)
                        if shares[h] > 0
                        and lower[h] <= prev * shares[h]
                        and upper[h] >= b * shares[h]
                    ),
                    Fraction(0),
                )
                lam_opt = prev + (total - f(prev)) / slope if slope else b
                break
            prev = b
        if lam_opt is None:
            return None
        lam = lam_opt
    return [_clamp(lam * shares[h], lower[h], upper[h]) for h in range(k)]


def allocate(
    total: int,
    populations: Sequence[int],
    shares: Sequence[Fraction],
    minimum: int,
) -> list[int]:
    """Split ``total`` into integers n_h with min(minimum, N_h) <= n_h <= N_h and Σn_h = total.

    Continuous target: x_h = clamp(λ·share_h, lower_h, N_h) with λ chosen so that Σx_h = total
    (water-filling; exact, since Σx is piecewise linear and non-decreasing in λ). When the
    shares cannot reach the total (every stratum with a positive share is full), the shares are
    replaced by the populations. Integers by the largest-remainder (Hamilton) method, ties to
    the earlier stratum. All arithmetic is exact (fractions).
    """
    k = len(populations)
    lower = [min(minimum, N) for N in populations]
    upper = list(populations)
    if total > sum(upper):
        raise ValueError(f"total {total} exceeds the population {sum(upper)}")
    if total < sum(lower):
        raise ValueError(f"total {total} is below the sum of stratum minimums {sum(lower)}")
    target = _water_fill(total, [Fraction(a) for a in shares], lower, upper)
    if target is None:
        target = _water_fill(total, [Fraction(N) for N in populations], lower, upper)
    assert target is not None and sum(target) == total
    n = [math.floor(t) for t in target]
    short = total - sum(n)
    order = sorted(range(k), key=lambda h: (-(target[h] - n[h]), h))
    for h in order[:short]:
        n[h] += 1
    return n
