"""Read-only numpy arrays: the frozen value classes hold arrays nobody can write to, so a
result cannot be changed after it was made (and published)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["readonly", "readonly_bytes", "readonly_vector"]


def readonly(a: Any) -> npt.NDArray[Any]:
    """``a`` as an array whose write flag is cleared (no copy when ``a`` is an array)."""
    out = np.asarray(a)
    out.setflags(write=False)
    return out


def readonly_vector(what: str) -> Callable[[Any], npt.NDArray[Any]]:
    """A converter: :func:`readonly`, refusing anything but one dimension (TypeError naming
    ``what``)."""
    return functools.partial(_vector, what=what, kind=None)


def readonly_bytes(what: str) -> Callable[[Any], npt.NDArray[np.bytes_]]:
    """A converter: :func:`readonly`, refusing anything but a one-dimensional numpy ``S``
    (bytes) array (TypeError naming ``what``)."""
    return functools.partial(_vector, what=what, kind="S")


def _vector(a: Any, *, what: str, kind: str | None) -> npt.NDArray[Any]:
    out = np.asarray(a)
    if out.ndim != 1 or (kind is not None and out.dtype.kind != kind):
        detail = "a one-dimensional numpy S (bytes) array" if kind == "S" else "one-dimensional"
        raise TypeError(f"{what} must be {detail}")
    return readonly(out)
