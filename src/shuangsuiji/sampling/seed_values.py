"""The two values the seed gives each cell (docs/spec.md §1, §6.2, §6.4).

Both are ``uniform_int(bits, tag, seed, namespace, label)``, the first ``bits`` bits of the
tagged SHA-256 of the seed, the task's PRN namespace and the cell's label:

- the random-rounding coin, 256 bits under :data:`SIZE_TAG`: a cell of random size takes its
  larger size iff coin / 2**256 < p_high (:func:`larger_sizes`);
- the systematic start, 64 bits under :data:`START_TAG`, of every πps cell (:func:`starts`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .cell_sizes import Cell
from .sizes import bernoulli

__all__ = ["SIZE_TAG", "START_TAG", "cell_ints", "larger_sizes", "starts"]

SIZE_TAG = "shuangsuiji/size/v1"
START_TAG = "shuangsuiji/start/v1"


def cell_ints(bits: int, tag: str, seed: bytes, ns: str, labels: list[str]) -> list[int]:
    """``uniform_int(bits, tag, seed, ns, label)`` for many labels (spec §1, §6.2, §6.4).

    The hash state after the common fields is computed once and copied per label.
    """
    base = hashlib.sha256()
    for field in (tag.encode("utf-8"), seed, ns.encode("utf-8")):
        base.update(len(field).to_bytes(8, "big") + field)
    out = []
    for label in labels:
        h = base.copy()
        b = label.encode("utf-8")
        h.update(len(b).to_bytes(8, "big") + b)
        out.append(int.from_bytes(h.digest(), "big") >> (256 - bits))
    return out


def larger_sizes(
    specs: Sequence[Cell], coin: npt.NDArray[np.intp], seed: bytes, ns: str
) -> npt.NDArray[np.bool_]:
    """Per cell, whether it takes its larger size: only the cells ``coin`` (random sizes) toss
    their coin (spec §6.2); the others keep the smaller, their only, size."""
    high = np.zeros(len(specs), bool)
    if coin.size:
        u = cell_ints(256, SIZE_TAG, seed, ns, [specs[c].label for c in coin.tolist()])
        high[coin] = [bernoulli(x, specs[c].size.p_high) for x, c in zip(u, coin.tolist())]
    return high


def starts(
    specs: Sequence[Cell], pips_cells: npt.NDArray[np.intp], seed: bytes, ns: str
) -> npt.NDArray[np.uint64]:
    """Per cell, the systematic start of the πps cells ``pips_cells`` (spec §6.4); 0 elsewhere."""
    start = np.zeros(len(specs), np.uint64)
    if pips_cells.size:
        start[pips_cells] = cell_ints(
            64, START_TAG, seed, ns, [specs[c].label for c in pips_cells.tolist()]
        )
    return start
