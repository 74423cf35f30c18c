"""In-memory inputs to registries: records, pandas and polars DataFrames, Arrow tables.

Each adapter returns ``(id_bytes, columns)`` and follows the same value rules
(:mod:`shuangsuiji.registry.columns`), so the same data gives the same registry, and the same fingerprint,
whichever route it came by. pandas, polars and pyarrow are optional: they are recognised by the
module their type comes from and imported only when the object is one of theirs. Rows in
messages are 0-based indexes.

Vectorised routes: integer/float/bool arrays go straight to numpy; text is dictionary-encoded
(``pandas.factorize``, Arrow ``dictionary_encode``) so that only the distinct values become
Python strings; Arrow string IDs are copied from the Arrow buffers without per-row objects.
"""

from __future__ import annotations

import difflib
import importlib
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from .columns import Column
from .ids import Rows, ids_from_ints, ids_from_objects, ids_from_utf8

__all__ = [
    "Parsed",
    "check_names",
    "from_arrow",
    "from_column_data",
    "from_rows",
    "from_table",
    "missing_id_column",
    "require",
    "row_names",
    "table_kind",
]

Parsed = tuple[npt.NDArray[np.bytes_], dict[str, Column]]

_EXTRAS = {"pandas": "pandas", "polars": "polars", "pyarrow": "arrow", "pyarrow.parquet": "arrow"}
_FLOAT_EXACT = 2**53
_INT64_MAX = 2**63 - 1


def require(module: str, what: str) -> Any:
    """Import an optional dependency, or raise ImportError saying which extra provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        extra = _EXTRAS.get(module, module)
        raise ImportError(
            f"{what} needs the optional dependency {module.split('.')[0]!r}; install it with: "
            f'pip install "shuangsuiji[{extra}]"'
        ) from e


def table_kind(obj: Any) -> str | None:
    """``"pandas"``, ``"polars"`` or ``"arrow"`` if ``obj`` is such a table, else ``None``.

    Decided from the type's module so that no optional library is imported to find out.
    """
    t = type(obj)
    root = t.__module__.split(".")[0]
    if root == "pandas" and t.__name__ == "DataFrame":
        return "pandas"
    if root == "polars" and t.__name__ == "DataFrame":
        return "polars"
    if root == "pyarrow" and t.__name__ in ("Table", "RecordBatch"):
        return "arrow"
    return None


def missing_id_column(id: str, names: Sequence[str], hint: str = "") -> InputError:
    """The error for an absent ID column, listing the columns and a near miss if there is one."""
    near = [n for n in names if n.strip().casefold() == id.strip().casefold()]
    near = near or difflib.get_close_matches(id, list(names), n=1)
    if near and not hint:
        hint = f" (did you mean {near[0]!r}?)"
    return InputError(f"ID column {id!r} not found{hint}; columns are {list(names)}")


def check_names(names: Sequence[Any], id: str, hint: str = "") -> list[str]:
    """The column names as a list, checked: text, each once, the ID column among them."""
    for i, n in enumerate(names):
        if not isinstance(n, str):
            raise InputError(
                f"column names must be text; column {i} is named {n!r} ({type(n).__name__})"
            )
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise InputError(f"column name {n!r} appears more than once")
        seen.add(n)
    if id not in seen:
        raise missing_id_column(id, names, hint)
    return list(names)


# -- records -----------------------------------------------------------------------------------
def row_names(
    rows: Sequence[Any], what: str, fix: str = "", *, text_keys: bool = False
) -> list[Any]:
    """The keys of records, in order of first appearance; every record must be a mapping.

    ``what`` names the registry in the message for no rows and ``fix`` ends the message for a
    row that is not a mapping. With ``text_keys`` a key that is not text is refused, naming the
    first row that has it; otherwise the caller checks the names (:func:`check_names`).
    """
    if not rows:
        raise InputError(f"no {what}: the input has no rows, the registry is empty")
    names: list[Any] = []
    seen: set[Any] = set()
    for i, r in enumerate(rows):
        if not isinstance(r, Mapping):
            raise InputError(
                f"row index {i} (0-based) is a {type(r).__name__}, not a mapping of column name "
                f"to value{fix}"
            )
        for k in r:
            if k not in seen:
                if text_keys and not isinstance(k, str):
                    raise InputError(
                        f"column names must be text; row index {i} (0-based) has key {k!r}"
                    )
                seen.add(k)
                names.append(k)
    return names


def from_rows(rows: Iterable[Mapping[str, Any]], id: str) -> Parsed:
    """From an iterable of mappings; a key absent from a row is a missing value in that row."""
    rows = list(rows)
    names = row_names(
        rows, "targets", "; for a mapping of columns use Targets.from_columns", text_keys=True
    )
    if id not in names:
        raise missing_id_column(id, names)
    rws = Rows()
    ids = ids_from_objects([r.get(id) for r in rows], id, rws)
    cols = {k: Column.from_values([r.get(k) for r in rows]) for k in names if k != id}
    return ids, cols


def from_column_data(ids: Any, columns: Mapping[str, Any], id: str) -> Parsed:
    """From an ID sequence and a mapping of column name to values (sequence, array or Column)."""
    rws = Rows()
    fast = _ascii_unicode_ids(ids)
    if isinstance(ids, np.ndarray) and ids.dtype.kind in "iu":
        idb = ids_from_ints(ids)
    elif fast is not None:
        idb = fast
    else:
        vals = ids.tolist() if isinstance(ids, np.ndarray) else list(ids)
        vals = [v.decode("utf-8") if isinstance(v, bytes) else v for v in vals]
        idb = ids_from_objects(vals, id, rws)
    cols: dict[str, Column] = {}
    for name, values in columns.items():
        if not isinstance(name, str):
            raise InputError(f"column names must be text; got {name!r}")
        if name == id:
            raise InputError(f"column {name!r} is the ID column; pass it only as the IDs")
        col = _any_column(values)
        if len(col) != idb.shape[0]:
            raise InputError(
                f"column {name!r} has {len(col)} values but there are {idb.shape[0]} IDs"
            )
        cols[name] = col
    return idb, cols


def _ascii_unicode_ids(ids: Any) -> npt.NDArray[np.bytes_] | None:
    """A numpy ``U`` array of ASCII IDs without NUL, as bytes without a Python string per row
    (what the per-value path gives); None otherwise, and the per-value path decides."""
    if not (
        isinstance(ids, np.ndarray)
        and ids.dtype.kind == "U"
        and ids.dtype.isnative
        and ids.ndim == 1
        and ids.size
    ):
        return None
    n, k = ids.size, max(ids.dtype.itemsize // 4, 1)
    points = np.ascontiguousarray(ids).view(np.uint32).reshape(n, k)
    if int(points.max()) >= 128:
        return None
    # each code point's low byte, copied out of the native 4-byte units
    low = 0 if np.little_endian else 3
    mat = points.view(np.uint8).reshape(n, k, 4)[:, :, low].copy()
    width = k
    if not bool(mat.all()):  # IDs of different lengths (or NULs): look closer
        lengths = np.strings.str_len(ids)
        if bool((np.count_nonzero(mat, axis=1) != lengths).any()):  # a NUL inside an ID
            return None
        width = max(int(lengths.max()), 1)
    out: npt.NDArray[np.bytes_] = np.ascontiguousarray(mat[:, :width]).view(f"S{width}").reshape(n)
    return out


def _any_column(values: Any) -> Column:
    if isinstance(values, Column):
        return values
    if isinstance(values, np.ndarray):
        return _numpy_column(values)
    kind = type(values).__module__.split(".")[0]
    if kind == "pandas" and type(values).__name__ == "Series":
        return _pandas_column(values)
    if kind == "pyarrow":
        return _arrow_column(values)
    if kind == "polars" and type(values).__name__ == "Series":
        return Column.from_values(values.to_list())
    return Column.from_values(list(values))


def _numpy_column(a: npt.NDArray[Any]) -> Column:
    if a.ndim != 1:
        raise InputError(f"a column must be one-dimensional; got shape {a.shape}")
    k = a.dtype.kind
    if k == "i":
        return Column("int", a.astype(np.int64))
    if k == "u" and (a.size == 0 or int(a.max()) <= _INT64_MAX):
        return Column("int", a.astype(np.int64))
    if k == "f":
        return Column("float", a.astype(np.float64))
    if k == "b":
        return Column("bool", a.astype(bool))
    if k == "U" and a.size:
        return Column.from_strings(a)  # all text: what from_values would give, vectorised
    return Column.from_values(a.tolist())


def _ints_with_missing(lo: Any, hi: Any, floats: Any, values: Any) -> Column:
    """Integers with missing values: float (NaN = missing) if every integer is exact as a
    float64, judged on the exact integer extremes ``lo``/``hi`` (None if all are missing);
    otherwise the per-value rules, which make it text. ``floats``/``values`` are thunks."""
    if lo is None or (-_FLOAT_EXACT <= int(lo) and int(hi) <= _FLOAT_EXACT):
        return Column("float", np.asarray(floats(), np.float64))
    return Column.from_values(values())


# -- pandas --------------------------------------------------------------------------------------
def from_table(obj: Any, id: str) -> Parsed:
    """From a pandas DataFrame, polars DataFrame or pyarrow Table/RecordBatch."""
    kind = table_kind(obj)
    if kind == "pandas":
        return _from_pandas(obj, id)
    if kind == "polars":
        return _from_polars(obj, id)
    if kind == "arrow":
        return from_arrow(obj, id, Rows())
    raise TypeError(f"not a supported table type: {type(obj).__name__}")


def _from_pandas(df: Any, id: str) -> Parsed:
    names = list(df.columns)
    hint = ""
    if id not in names and id in [n for n in df.index.names if n is not None]:
        hint = " (it is the DataFrame's index: call df.reset_index() first)"
    names = check_names(names, id, hint)
    rows = Rows()
    idb = _pandas_ids(df[id], id, rows)
    cols = {n: _pandas_column(df[n]) for n in names if n != id}
    return idb, cols


def _is_arrow_backed(s: Any) -> bool:
    return type(s.array).__name__ in ("ArrowStringArray", "ArrowExtensionArray") or (
        type(s.array).__name__.startswith("ArrowStringArray")
    )


def _pandas_ids(s: Any, id: str, rows: Rows) -> npt.NDArray[np.bytes_]:
    dt = s.dtype
    if isinstance(dt, np.dtype) and dt.kind in "iu":
        return ids_from_ints(s.to_numpy())
    if _is_arrow_backed(s):
        pa = require("pyarrow", "an Arrow-backed pandas column")
        return _arrow_ids(_arrow_array(pa, s.array), id, rows)
    pd = require("pandas", "a pandas DataFrame")
    if pd.api.types.is_integer_dtype(dt) and not s.hasnans:
        return ids_from_ints(s.to_numpy(dtype=np.int64))
    # object, python-backed strings, categoricals and anything else: per value, with the checks
    return ids_from_objects(s.to_numpy(dtype=object).tolist(), id, rows)


def _pandas_column(s: Any) -> Column:
    pd = require("pandas", "a pandas DataFrame")
    dt = s.dtype
    if isinstance(dt, pd.CategoricalDtype):
        if dt.categories.inferred_type == "string":
            return Column.from_codes(s.cat.codes.to_numpy(), [str(c) for c in dt.categories])
        return Column.from_values(s.tolist())
    if isinstance(dt, np.dtype):
        if dt.kind in "iufb":
            return _numpy_column(s.to_numpy())
        if dt.kind == "O":
            return _object_column(pd, s.to_numpy())
        return Column.from_values(s.tolist())
    if _is_arrow_backed(s):
        pa = require("pyarrow", "an Arrow-backed pandas column")
        return _arrow_column(_arrow_array(pa, s.array))
    if pd.api.types.is_integer_dtype(dt):
        if not s.hasnans:
            return Column("int", s.to_numpy(dtype=np.int64))
        lo, hi = (None, None) if s.isna().all() else (s.min(), s.max())
        return _ints_with_missing(
            lo, hi, lambda: s.to_numpy(dtype=np.float64, na_value=np.nan), s.tolist
        )
    if pd.api.types.is_float_dtype(dt):
        return Column("float", s.to_numpy(dtype=np.float64, na_value=np.nan))
    if pd.api.types.is_bool_dtype(dt) and not s.hasnans:
        return Column("bool", s.to_numpy(dtype=bool))
    if pd.api.types.is_string_dtype(dt):
        return _object_column(pd, s.to_numpy(dtype=object))
    return Column.from_values(s.tolist())


def _object_column(pd: Any, values: npt.NDArray[Any]) -> Column:
    """Object arrays of text (with None/NaN for missing) via factorize; anything else per value."""
    vals = values.tolist()
    types = set(map(type, vals))
    if types <= {str, type(None), float} and all(math.isnan(v) for v in vals if type(v) is float):
        codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
        return Column.from_codes(codes, [str(u) for u in uniques])
    return Column.from_values(vals)


# -- polars --------------------------------------------------------------------------------------
def _from_polars(df: Any, id: str, *, use_arrow: bool | None = None) -> Parsed:
    """polars via Arrow (zero-copy, vectorised) when pyarrow is installed, else per value."""
    names = check_names(list(df.columns), id)
    if use_arrow is None:
        try:
            importlib.import_module("pyarrow")
            use_arrow = True
        except ImportError:
            use_arrow = False
    if use_arrow:
        return from_arrow(df.to_arrow(), id, Rows())
    rows = Rows()
    idb = ids_from_objects(df.get_column(id).to_list(), id, rows)
    cols = {n: Column.from_values(df.get_column(n).to_list()) for n in names if n != id}
    return idb, cols


# -- Arrow ---------------------------------------------------------------------------------------
def _arrow_array(pa: Any, x: Any) -> Any:
    """One contiguous pyarrow Array from an Array, ChunkedArray or anything pa.array accepts."""
    if not isinstance(x, (pa.Array, pa.ChunkedArray)):
        x = pa.array(x)
    if isinstance(x, pa.ChunkedArray):
        x = x.combine_chunks() if x.num_chunks != 1 else x.chunk(0)
    return x


def _decoded(pa: Any, arr: Any) -> Any:
    """Dictionary and string-view arrays as plain (large) string arrays."""
    t = arr.type
    if pa.types.is_dictionary(t):
        arr = arr.cast(t.value_type)
        t = arr.type
    if pa.types.is_string_view(t):
        arr = arr.cast(pa.large_string())
    return arr


def from_arrow(table: Any, id: str, rows: Rows) -> Parsed:
    """From a pyarrow Table or RecordBatch."""
    pa = require("pyarrow", "an Arrow table")
    names = check_names(list(table.column_names), id)
    idb = _arrow_ids(_arrow_array(pa, table.column(id)), id, rows)
    cols = {n: _arrow_column(table.column(n)) for n in names if n != id}
    return idb, cols


def _arrow_ids(arr: Any, id: str, rows: Rows) -> npt.NDArray[np.bytes_]:
    pa = require("pyarrow", "an Arrow table")
    arr = _decoded(pa, _arrow_array(pa, arr))
    t = arr.type
    if arr.null_count:
        nulls = np.flatnonzero(arr.is_null().to_numpy(zero_copy_only=False))
        raise InputError(f"missing ID in column {id!r} at {rows.at(nulls.tolist())}")
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        bufs = arr.buffers()
        off_t = np.int32 if pa.types.is_string(t) else np.int64
        offsets = np.frombuffer(bufs[1], dtype=off_t)[arr.offset : arr.offset + len(arr) + 1]
        data = np.frombuffer(bufs[2], np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
        return ids_from_utf8(offsets, data, id, rows)
    if pa.types.is_integer(t):
        return ids_from_ints(arr.to_numpy())
    # floats, bools and other types: the per-value route refuses them with the usual message
    return ids_from_objects(arr.to_pylist(), id, rows)


def _arrow_column(x: Any) -> Column:
    pa = require("pyarrow", "an Arrow table")
    pc = importlib.import_module("pyarrow.compute")
    arr = _decoded(pa, _arrow_array(pa, x))
    t = arr.type
    if pa.types.is_integer(t):
        if arr.null_count == 0:
            return _numpy_column(arr.to_numpy())
        mm = pc.min_max(arr)
        return _ints_with_missing(
            mm["min"].as_py(),
            mm["max"].as_py(),
            lambda: arr.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False),
            arr.to_pylist,
        )
    if pa.types.is_floating(t):
        return Column("float", arr.cast(pa.float64()).to_numpy(zero_copy_only=False))
    if pa.types.is_boolean(t) and arr.null_count == 0:
        return Column("bool", arr.to_numpy(zero_copy_only=False).astype(bool))
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        enc = pc.dictionary_encode(arr)
        dictionary = enc.dictionary
        # Arrow sorts strings by their bytes, i.e. in code-point order, the canonical order, so
        # Column.from_codes finds the categories sorted and keeps the codes as they are.
        order = pc.sort_indices(dictionary).to_numpy()
        rank = np.empty(order.size + 1, np.int32)
        rank[order] = np.arange(order.size, dtype=np.int32)
        rank[-1] = -1
        ind = enc.indices if enc.indices.null_count == 0 else enc.indices.fill_null(-1)
        codes = rank[ind.to_numpy(zero_copy_only=False)]
        cats = dictionary.take(pa.array(order)).to_pylist()
        if all(a < b for a, b in itertools.pairwise(cats)):
            # canonical already: sorted, and dictionary_encode lists only values that occur
            return Column("str", codes, tuple(cats))
        return Column.from_codes(codes, cats)
    if pa.types.is_null(t):
        return Column.from_strings([None] * len(arr))
    return Column.from_values(arr.to_pylist())
