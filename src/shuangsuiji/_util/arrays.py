"""Read-only numpy arrays: the frozen value classes hold arrays nobody can write to, so a
result cannot be changed after it was made (and published)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["readonly", "readonly_vector"]


def readonly(a: Any) -> npt.NDArray[Any]:
    """``a`` as an array whose write flag is cleared (no copy when ``a`` is an array)."""
    out = np.asarray(a)
    out.setflags(write=False)
    return out


def readonly_vector(a: Any, what: str, *, kind: str | None = None) -> npt.NDArray[Any]:
    """:func:`readonly`, refusing anything but one dimension (and, with ``kind``, that numpy dtype
    kind, e.g. ``"S"`` for bytes) with a TypeError naming ``what``."""
    out = np.asarray(a)
    if out.ndim != 1 or (kind is not None and out.dtype.kind != kind):
        detail = f"a one-dimensional numpy {kind!r} array" if kind else "one-dimensional"
        raise TypeError(f"{what} must be {detail}")
    return readonly(out)
