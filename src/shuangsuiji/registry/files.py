"""Registry files: CSV (stdlib only) and Parquet (needs pyarrow, the ``arrow`` extra).

CSV contract:

* UTF-8, with or without a byte-order mark; anything else is refused with the byte offset of the
  first invalid byte (convert GBK/GB18030 exports first, e.g. ``iconv -f GB18030 -t UTF-8``);
* the first record is the header; names must be non-empty and distinct (Chinese names are fine);
* every record has as many fields as the header; an empty field is a missing value;
* values are text, except that a column whose every non-empty value is a plain decimal number
  becomes numeric: ``int`` if all are integers in int64 range and none is missing, else
  ``float`` (missing -> NaN). "Plain decimal" means ``[+-]?(0|[1-9][0-9]*)(\\.[0-9]+)?
  ([eE][+-]?[0-9]+)?`` with no spaces: a leading zero (``"0101"``, a code) keeps the column text,
  and so does any value that a float would not hold (overflow to infinity, an integer beyond
  2**53 among missing values or fractions). The ID column is always text.

Rows in messages are 1-based data rows: the first record after the header is row 1.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import InputError
from .columns import Column
from .dataframes import Parsed, from_arrow, missing_id_column, require
from .ids import Rows, ids_from_objects

__all__ = ["decode_utf8", "infer_text_column", "read_csv", "read_parquet", "read_parquet_table"]

_INT = re.compile(r"[+-]?(?:0|[1-9][0-9]*)").fullmatch
_NUM = re.compile(r"[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?").fullmatch
_INT64 = (-(2**63), 2**63 - 1)
_FLOAT_EXACT = 2**53


def infer_text_column(values: Sequence[str]) -> Column:
    """A column from CSV text: numeric if every non-empty value is a plain decimal number."""
    present = [v for v in values if v != ""]
    any_missing = len(present) != len(values)
    if present and all(map(_INT, present)):
        ints = [int(v) for v in present]
        lo, hi = min(ints), max(ints)
        if not any_missing and _INT64[0] <= lo and hi <= _INT64[1]:
            return Column("int", np.array(ints, np.int64))
        if -_FLOAT_EXACT <= lo and hi <= _FLOAT_EXACT:
            return Column("float", _floats(values))
    elif present and all(map(_NUM, present)):
        out = _floats(values)
        if not np.isinf(out).any():
            return Column("float", out)
    return Column.from_strings([v if v != "" else None for v in values])


def _floats(values: Sequence[str]) -> np.ndarray:
    return np.array([float(v) if v != "" else math.nan for v in values], np.float64)


def decode_utf8(data: bytes, name: str) -> str:
    """A CSV file's bytes as text: UTF-8 with an optional BOM (removed); anything else is an
    InputError naming the file, the first bad byte, its offset and line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise InputError(
            f"file {name!r} is not valid UTF-8: byte 0x{data[e.start]:02x} at byte offset "
            f"{e.start} (line {line}). Save it as UTF-8 (a GBK/GB18030 export can be converted "
            "with `iconv -f GB18030 -t UTF-8`)"
        ) from None
    return text.removeprefix("\ufeff")


def read_csv(path: str | os.PathLike[str], id: str, *, delimiter: str = ",") -> Parsed:
    """Parse a registry CSV file (see the module docstring for the contract)."""
    name = os.fspath(path)
    with open(path, "rb") as f:
        text = decode_utf8(f.read(), name)
    rows = Rows(name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(f"file {name!r} is empty: expected a header row")
        width = len(header)
        for i, h in enumerate(header):
            if h == "":
                raise InputError(
                    f"file {name!r}: header field {i + 1} is empty; every column needs a name"
                )
        if len(set(header)) != width:
            dup = next(h for h in header if header.count(h) > 1)
            raise InputError(f"file {name!r}: column name {dup!r} appears more than once")
        if id not in header:
            raise missing_id_column(id, header)
        records: list[list[str]] = []
        for rec in reader:
            if len(rec) != width:
                if not rec:  # a blank line: csv yields [] for it
                    raise InputError(
                        f"{rows.at(len(records))} is blank; remove blank lines from the file"
                    )
                raise InputError(
                    f"{rows.at(len(records))} has {len(rec)} fields but the header has {width}"
                )
            records.append(rec)
    except csv.Error as e:
        raise InputError(f"file {name!r} is not valid CSV near line {reader.line_num}: {e}") from e
    if not records:
        raise InputError(f"file {name!r} has a header but no rows: the registry is empty")
    columns = list(zip(*records))
    j = header.index(id)
    idb = ids_from_objects(list(columns[j]), id, rows)
    cols = {h: infer_text_column(c) for h, c in zip(header, columns) if h != id}
    return idb, cols


def read_parquet_table(path: str | os.PathLike[str]) -> Any:
    """A Parquet file as a pyarrow Table; an unreadable file is an InputError naming it."""
    pq = require("pyarrow.parquet", "reading Parquet")
    try:
        return pq.read_table(path)
    except FileNotFoundError:
        raise  # as open() does for CSV
    except (OSError, ValueError) as e:  # pyarrow's ArrowInvalid is a ValueError
        raise InputError(f"cannot read Parquet file {os.fspath(path)!r}: {e}") from e


def read_parquet(path: str | os.PathLike[str], id: str) -> Parsed:
    """Read a Parquet file with pyarrow (any column types the Arrow adapter accepts)."""
    return from_arrow(read_parquet_table(path), id, Rows(os.fspath(path)))
