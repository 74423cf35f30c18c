"""``Targets.from_columns`` with numpy text arrays: the vectorised path gives what lists give.

numpy ``U`` arrays of IDs (ASCII, no NUL) are encoded in C, and ``U`` columns of up to three
characters are factorised on packed code points; anything else goes the per-value way. Both
routes must build the same registry, and bad input must fail with the same error.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shuangsuiji as ss
from shuangsuiji.errors import InputError
from shuangsuiji.registry.columns import Column


def _same(a: ss.Targets, b: ss.Targets) -> None:
    assert a.id_bytes.dtype == b.id_bytes.dtype
    assert a.id_bytes.tolist() == b.id_bytes.tolist()
    assert list(a.columns) == list(b.columns)
    for name in a.columns:
        x, y = a.column(name), b.column(name)
        assert (x.kind, x.categories) == (y.kind, y.categories)
        assert x.data.tolist() == y.data.tolist()
    assert a.fingerprint == b.fingerprint


text = st.text(
    alphabet=st.sampled_from(["a", "B", "é", "石", "\x01", "\x00", " ", "z"]), max_size=5
)


@settings(max_examples=80, deadline=None)
@given(st.lists(text, min_size=1, max_size=40), st.integers(0, 10**6))
def test_text_columns_agree(values: list[str], salt: int) -> None:
    n = len(values)
    ids = [f"ID{salt}-{i}" for i in range(n)]
    arr = np.array(values)  # U array: trailing NULs are dropped, as tolist() shows
    fast = ss.Targets.from_columns(np.array(ids), {"c": arr})
    slow = ss.Targets.from_columns(ids, {"c": arr.tolist()})
    _same(fast, slow)


@pytest.mark.parametrize(
    "ids",
    [
        ["91130100MA0C0001X1", "91130100MA0C0002X2", "A"],
        ["短", "长ID", "x"],  # non-ASCII: per-value path
        ["a", "b", "a"],  # duplicate
        ["a", " b", "c"],  # whitespace
        ["a", "b\x00c", "d"],  # NUL inside
        ["", "b"],  # empty
    ],
)
def test_id_arrays_agree(ids: list[str]) -> None:
    def build(x: object) -> ss.Targets | str:
        try:
            return ss.Targets.from_columns(x, {"k": np.arange(len(ids))})  # type: ignore[arg-type]
        except InputError as exc:
            return str(exc)

    fast, slow = build(np.array(ids)), build(list(ids))
    if isinstance(fast, str) or isinstance(slow, str):
        assert fast == slow
    else:
        _same(fast, slow)


def test_short_text_is_factorised_without_python_strings() -> None:
    col = Column.from_strings(np.array(["C", "A", "石家庄", "A", "", "B"]))
    assert col.categories == ("", "A", "B", "C", "石家庄")
    assert col.data.tolist() == [3, 1, 4, 1, 0, 2]


def test_big_endian_arrays_agree() -> None:
    ids = np.array(["b1", "a22", "c"], dtype=">U3")
    col = np.array(["石", "x", "石"], dtype=">U1")
    _same(
        ss.Targets.from_columns(ids, {"c": col}),
        ss.Targets.from_columns(ids.tolist(), {"c": col.tolist()}),
    )
