"""Canonical JSON: the JSON Canonicalization Scheme of RFC 8785 (Rundgren, Jordan, Erdtman 2020).

Every log line is the canonical form of one JSON object, so its bytes, and the hashes over them,
are a function of the *value* alone: no white space, object members sorted by the UTF-16 code
units of their names, strings in UTF-8 with only ``"``, ``\\`` and U+0000..U+001F escaped (the
short escapes where JSON has them, else ``\\u00xx`` in lower case), and numbers written as
ECMAScript's ``Number.prototype.toString`` writes an IEEE 754 binary64 value (RFC 8785 §3.2.2.3).

The value domain, and what it means for callers (the campaign records):

- **Integers** must lie within ±(2⁵³−1) (I-JSON, RFC 7493 §2.2), where every JSON reader agrees
  on their value. Larger integers, such as a 64-bit PRN hash, are refused: store them as strings.
- **Floats** are allowed when finite, and are exact: RFC 8785 writes the shortest decimal that
  reads back as the same binary64, so ``float(text) == x`` bit for bit. Two consequences: an
  integral float is written as an integer (``1.0`` → ``1``, read back as the int ``1``), and
  ``-0.0`` is written ``0``. Compare numbers by value (``1 == 1.0`` in Python), or compare the
  canonical bytes. NaN and infinities are refused. Probabilities π can therefore be stored as
  plain floats; store them as strings only if you need more than binary64 carries.
- **Strings** are any Unicode text without lone surrogates; no normalisation is applied
  (RFC 8785 §3.2.2.2: "Å" written as A + U+030A stays so).
- **Objects** are ``dict`` with ``str`` keys; **arrays** are ``list`` or ``tuple``; plus ``bool``
  and ``None``. Anything else (numpy scalars other than float64, dates, sets, bytes) is refused
  with the path to it, e.g. ``body["selection"][3]["pi"]``, so the caller converts it explicitly.

:func:`dumps` serialises (validating first, so a bad value writes nothing); :func:`loads` parses
bytes and refuses them unless they are exactly the canonical form of what they parse to.
:func:`number_text` is the number serialisation on its own.

Implementation: the standard library's C JSON encoder already writes RFC 8785 strings, literals
and integers, and sorts BMP-only keys as UTF-16 would; only floats outside [1e-4, 1e16) and
integral floats differ from ``repr``. Those are rewritten with :func:`number_text`. Objects with
keys beyond the BMP (whose code point order differs from UTF-16 order) go through the ``rfc8785``
package (Trail of Bits, Apache-2.0), as the tests also do for random values.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

import rfc8785

from ..errors import InputError

__all__ = ["MAX_SAFE_INTEGER", "decode", "dumps", "loads", "number_text"]

MAX_SAFE_INTEGER = 2**53 - 1
_MAX_DEPTH = 200
_SEPARATORS = (",", ":")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NUL_ESCAPE = "\\u0000"
# A float rewritten by _mark is serialised as the string "\u0000<text>\u0000"; unwrap it.
_MARKED = re.compile(r'"\\u0000([-+.0-9e]+)\\u0000"')


def number_text(x: float) -> str:
    """ECMAScript ``Number.prototype.toString`` of a finite binary64 (RFC 8785 §3.2.2.3).

    Python's ``repr`` gives the shortest round-tripping digits (ties to even), the same digits
    ECMAScript chooses; only the layout differs. With ``k`` digits and ``x = 0.d₁…d_k × 10ⁿ``:
    integers up to 21 digits are written out, ``-6 < n <= 21`` is positional, and everything else
    is ``d₁.d₂…e±(n−1)``.
    """
    if not math.isfinite(x):
        raise InputError(f"{x!r} is not a JSON number; RFC 8785 has no NaN or infinity")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    mantissa, _, exp = repr(abs(float(x))).partition("e")  # float(): numpy's repr differs
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    scale = (int(exp) if exp else 0) - len(frac)  # x = int(digits) · 10^scale
    trimmed = digits.rstrip("0")
    scale += len(digits) - len(trimmed)
    d, k = trimmed, len(trimmed)
    n = scale + k
    if k <= n <= 21:
        text = d + "0" * (n - k)
    elif 0 < n <= 21:
        text = d[:n] + "." + d[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + d
    else:
        e = n - 1
        text = d[0] + ("." + d[1:] if k > 1 else "") + "e" + ("+" if e > 0 else "-") + str(abs(e))
    return sign + text


def _plain(x: float) -> bool:
    """True when ``repr(x)`` is already its RFC 8785 form: positional, not integral."""
    return 1e-4 <= abs(x) < 1e16 and not x.is_integer()


def _marker(x: float) -> str:
    """A string that the JSON encoder writes as ``"\\u0000<RFC 8785 number>\\u0000"``."""
    return "\x00" + number_text(x) + "\x00"


class _Bad(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path: list[str | int] = []


_SAME: Any = object()


class _Walk:
    """Validates a value and copies, on write, the containers that hold a float to rewrite."""

    __slots__ = ("astral_key", "markers")

    def __init__(self) -> None:
        self.markers = 0  # floats replaced by marker strings
        self.astral_key = False  # a key beyond the BMP: UTF-16 order differs from code points

    def fix(self, v: Any, depth: int) -> Any:
        """``_SAME`` when ``v`` serialises canonically as it is, else its marked copy."""
        t = type(v)
        if t is str or t is bool or v is None:
            return _SAME
        if t is int or (isinstance(v, int) and not isinstance(v, bool)):
            if -MAX_SAFE_INTEGER <= v <= MAX_SAFE_INTEGER:
                return _SAME
            raise _Bad(
                f"the integer {int(v)} is beyond ±(2^53-1), where JSON readers disagree; "
                "store it as a string"
            )
        if t is float or isinstance(v, float):
            if not math.isfinite(v):
                raise _Bad(f"{float(v)!r} is not a JSON number; give a finite number or null")
            if _plain(v):
                return _SAME
            self.markers += 1
            return _marker(v)
        if isinstance(v, str):
            return _SAME
        if depth >= _MAX_DEPTH:
            raise _Bad(f"nested more than {_MAX_DEPTH} levels deep (is there a cycle?)")
        members: Iterable[tuple[Any, Any]]
        if isinstance(v, dict):
            members, is_object = v.items(), True
        elif isinstance(v, (list, tuple)):
            members, is_object = enumerate(v), False
        else:
            raise _Bad(
                f"{t.__module__}.{t.__qualname__} is not a JSON value; use dict, list, str, int, "
                "float, bool or None (convert numpy values with .item() or .tolist(), dates with "
                ".isoformat())"
            )
        out: Any = None
        for key, x in members:
            if is_object:
                if type(key) is not str and not isinstance(key, str):
                    raise _Bad(f"the key {key!r} is a {type(key).__name__}; JSON keys are strings")
                if not key.isascii() and _ASTRAL.search(key):
                    self.astral_key = True
            # the common leaves inline: a call per array element or member would cost more
            tx = type(x)
            if tx is str or tx is bool or x is None:
                continue
            if tx is float and 1e-4 <= abs(x) < 1e16 and not x.is_integer():
                continue
            if tx is int and -MAX_SAFE_INTEGER <= x <= MAX_SAFE_INTEGER:
                continue
            try:
                r = self.fix(x, depth + 1)
            except _Bad as e:
                e.path.append(key)
                raise
            if r is not _SAME:
                if out is None:
                    out = dict(v) if is_object else list(v)
                out[key] = r
        return _SAME if out is None else out


def _key_text(key: str) -> str:
    text = json.dumps(key, ensure_ascii=False)
    return text if text.isprintable() and not _SURROGATE.search(text) else json.dumps(key)


def _path(where: str, path: list[str | int]) -> str:
    """``where["key"][3]…`` from a path collected innermost first."""
    parts = [f"[{p}]" if isinstance(p, int) else f"[{_key_text(p)}]" for p in reversed(path)]
    return where + "".join(parts)


def _find_surrogate(v: Any, path: list[str | int]) -> list[str | int] | None:
    if isinstance(v, str):
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(v, dict):
        for key, x in v.items():
            found = _find_surrogate(key, [*path, key]) or _find_surrogate(x, [*path, key])
            if found is not None:
                return found
    elif isinstance(v, (list, tuple)):
        for i, x in enumerate(v):
            found = _find_surrogate(x, [*path, i])
            if found is not None:
                return found
    return None


_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=_SEPARATORS, sort_keys=True, allow_nan=False
)


def _encode(marked: Any, markers: int) -> str | None:
    """JSON text of a marked value with its markers unwrapped; None if a real U+0000 is present
    (which a marker could be confused with: the caller falls back to ``rfc8785``)."""
    text = _ENCODER.encode(marked)
    if markers:
        if text.count(_NUL_ESCAPE) != 2 * markers:
            return None
        text = _MARKED.sub(r"\1", text)
    return text


def dumps(value: Any, *, where: str = "value") -> bytes:
    """The RFC 8785 canonical bytes of ``value`` (UTF-8, no trailing newline).

    Raises :class:`InputError` naming the path to the first thing that is not JSON (``where`` is
    the name of the root in that path): a non-string key, an integer beyond ±(2⁵³−1), NaN or
    infinity, a lone surrogate, or a type other than dict/list/tuple/str/int/float/bool/None.
    """
    walk = _Walk()
    try:
        marked = walk.fix(value, 0)
    except _Bad as e:
        raise InputError(f"{_path(where, e.path)}: {e.reason}") from None
    try:
        text = None
        if not walk.astral_key:
            text = _encode(value if marked is _SAME else marked, walk.markers)
        return rfc8785.dumps(value) if text is None else text.encode("utf-8")
    except (UnicodeEncodeError, rfc8785.CanonicalizationError):
        bad = _find_surrogate(value, [])
        at = _path(where, list(reversed(bad))) if bad is not None else where
        raise InputError(
            f"{at}: the text holds a lone surrogate, which is not Unicode; fix its encoding"
        ) from None


def _int(literal: str) -> int | str:
    n = int(literal)
    if -MAX_SAFE_INTEGER <= n <= MAX_SAFE_INTEGER:
        return n
    # Beyond 2^53 only RFC 8785's spelling of a binary64 is canonical (1e16 is written
    # 10000000000000000, 2^68 as 295147905179352830000); other digits would change in a reader
    # that uses binary64, as JSON readers may.
    if len(literal) <= 22 and number_text(float(n)) == literal:
        return _marker(float(n))
    raise InputError(f"the integer {literal[:40]} is beyond ±(2^53-1) and not a binary64")


def _plain_int(literal: str) -> int | float:
    """Integers as Python ints, except beyond ±(2^53-1), where JSON means the binary64."""
    n = int(literal)
    return n if -MAX_SAFE_INTEGER <= n <= MAX_SAFE_INTEGER else float(n)


def _constant(name: str) -> Any:
    raise InputError(f"{name} is not JSON")


def _number(literal: str) -> float | str:
    x = float(literal)
    if not math.isfinite(x):
        raise InputError(f"the number {literal[:40]} is beyond binary64")
    return x if _plain(x) else _marker(x)


_DECODER = json.JSONDecoder(parse_float=_number, parse_int=_int, parse_constant=_constant)
_PLAIN_DECODER = json.JSONDecoder(parse_int=_plain_int, parse_constant=_constant)


def _checked(data: bytes) -> tuple[Any, bool]:
    """Parse canonical bytes; returns the value (floats that RFC 8785 writes unlike ``repr``
    replaced by marker strings) and whether any were. Raises InputError when not canonical."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 at byte {e.start}") from None
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as e:
        at = len(text[: e.pos].encode("utf-8"))
        raise InputError(f"not JSON at byte {at}: {e.msg}") from None
    except RecursionError:
        raise InputError("not usable JSON: nested too deeply") from None
    except ValueError as e:  # int() of a huge digit string
        raise InputError(f"not usable JSON: {e}") from None
    marked = False
    try:
        expected = None
        # A real U+0000 is always spelled \u0000 in JSON; without one, every \u0000 that the
        # encoder writes belongs to a marker.
        if _NUL_ESCAPE not in text and (text.isascii() or not _ASTRAL.search(text)):
            encoded = _ENCODER.encode(value)
            if _NUL_ESCAPE in encoded:
                marked = True
                encoded = _MARKED.sub(r"\1", encoded)
            expected = encoded.encode("utf-8")
        else:
            marked = True
            expected = rfc8785.dumps(_PLAIN_DECODER.decode(text))
    except (UnicodeEncodeError, rfc8785.CanonicalizationError):
        raise InputError("not canonical JSON: it holds a lone surrogate escape") from None
    if expected != data:
        at = next(
            (i for i, (a, b) in enumerate(zip(data, expected)) if a != b),
            min(len(data), len(expected)),
        )
        raise InputError(
            f"not in RFC 8785 canonical form from byte {at}: it has {data[at : at + 24]!r} "
            f"where the canonical form has {expected[at : at + 24]!r}"
        )
    return value, marked


def decode(data: bytes) -> Any:
    """Parse JSON bytes already known to be canonical, without checking them again.

    Numbers read as :func:`loads` reads them: integers beyond ±(2⁵³−1) as the binary64 they
    stand for. NaN and infinity are refused.
    """
    return _PLAIN_DECODER.decode(data.decode("utf-8"))


def loads(data: bytes) -> Any:
    """Parse bytes that must be exactly the RFC 8785 canonical form of the value they hold.

    Raises :class:`InputError` saying why not, with the byte offset: not UTF-8, not JSON, or
    JSON whose canonical form differs (white space, key order, number or string spelling,
    duplicate keys, integers beyond ±(2⁵³−1) other than binary64 values written out).
    """
    value, marked = _checked(data)
    return decode(data) if marked else value
