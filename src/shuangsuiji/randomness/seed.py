"""The public seed of a draw and where it came from.

A seed is at least 128 bits. It is either given directly (``Seed.from_hex``, e.g. the output of a
randomness beacon) or derived from values that were announced in advance as the source of
randomness and only became known later: lottery draws, stock-index closes, beacon outputs
(``Seed.from_sources``). The derivation follows RFC 3797 ("Publicly Verifiable Nominations Committee
(NomCom) Random Selection", Eastlake 2004) §4 for the canonical key string, and replaces its MD5 with
SHA-256 (FIPS 180-4). The spec, with test vectors, is in docs/spec.md §2.

A third kind is a round of a drand randomness beacon (``Seed.from_beacon``): the seed is the
round's randomness, SHA-256 of its BLS signature, as drand defines it. The BLS signature itself is
*not* verified here (that needs a pairing library, which the core does not depend on); see
:meth:`Seed.from_beacon` for what a verifier must check independently.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..errors import InputError

__all__ = ["Seed", "canonical_source", "source_key_string"]

_SEED_KINDS = ("hex", "sources", "beacon")

MIN_SEED_BITS = 128
_HEX = re.compile(r"[0-9a-fA-F]+")
_INT_TOKENS = re.compile(r"[0-9]+(?:[\s,;，、]+[0-9]+)*")  # ASCII digits, no signs
_SPLIT = re.compile(r"[\s,;，、]+")


def canonical_source(source: str | int | Sequence[int]) -> str:
    """One source in RFC 3797 canonical form, including its terminating ``/``.

    - A sequence of integers, or a string of integers separated by spaces or commas (a lottery
      draw), is a set: the numbers are sorted ascending, written in decimal without leading zeros,
      and each is followed by ``.``. ``"2 5 12 8 10"`` gives ``"2.5.8.10.12./"``.
    - A single integer is a one-element set: ``9319`` gives ``"9319./"``.
    - Any other string (an index close ``"3512.34"``, a beacon output, a headline) is text: it is
      NFKC-normalised, trimmed, internal white space is folded to one space, ASCII letters are
      upper-cased, and ``/`` is appended. Text may not contain ``/``.
    """
    if isinstance(source, bool):
        raise InputError(f"seed source {source!r} is a bool; give the announced number or text")
    if isinstance(source, int):
        return f"{source}./"
    if isinstance(source, str):
        text = unicodedata.normalize("NFKC", source).strip()
        if not text:
            raise InputError("seed source is empty; give the announced value (e.g. '2 5 12 8 10')")
        if _INT_TOKENS.fullmatch(text):
            nums = sorted(int(t) for t in _SPLIT.split(text) if t)
            return "".join(f"{n}." for n in nums) + "/"
        if "/" in text:
            raise InputError(f"seed source {source!r} contains '/', the source separator; remove it")
        text = re.sub(r"\s+", " ", text)
        return "".join(c.upper() if c.isascii() else c for c in text) + "/"
    if isinstance(source, (bytes, bytearray)) or not isinstance(source, Iterable) or not all(
        isinstance(x, int) and not isinstance(x, bool) for x in source
    ):
        raise InputError(
            f"seed source {source!r} is neither text nor a sequence of integers; write "
            "decimals such as an index close as text, e.g. '3512.34'"
        )
    nums = sorted(int(x) for x in source)
    if not nums:
        raise InputError("seed source is an empty sequence; give the announced numbers")
    return "".join(f"{n}." for n in nums) + "/"


def source_key_string(sources: Iterable[str | int | Sequence[int]]) -> str:
    """The RFC 3797 key string: the canonical sources concatenated in the announced order."""
    parts = [canonical_source(s) for s in sources]
    if not parts:
        raise InputError("Seed.from_sources needs at least one source")
    return "".join(parts)


def _beacon_hex(text: Any, what: str, exact_bytes: int | None = None) -> str:
    """Lower-case hex of a beacon field; refuses odd lengths, non-hex text and wrong sizes."""
    if not isinstance(text, str):
        raise InputError(f"beacon {what} must be hex text, got {type(text).__name__}")
    t = text.strip().lower()
    t = t.removeprefix("0x")
    if not t or not _HEX.fullmatch(t) or len(t) % 2:
        raise InputError(f"beacon {what} {text!r} is not an even number of hex digits")
    if exact_bytes is not None and len(t) != 2 * exact_bytes:
        raise InputError(
            f"beacon {what} {text!r} has {len(t) // 2} bytes; expected {exact_bytes}"
        )
    return t


def _freeze(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


@attrs.frozen
class Seed:
    """A seed of at least 128 bits, with its provenance.

    ``value`` is the raw seed; ``kind`` is ``"hex"``, ``"sources"`` or ``"beacon"``; ``inputs``
    keeps what the seed was derived from (the hex string; each announced source as given; or the
    beacon's chain hash, round and signature) and ``key_string`` the canonical RFC 3797 key string
    for sources. Equality and every draw depend on ``value`` only.
    """

    value: bytes = attrs.field(repr=False)
    kind: str = attrs.field(default="hex", eq=False)
    inputs: tuple[Any, ...] = attrs.field(default=(), eq=False, converter=_freeze)
    key_string: str | None = attrs.field(default=None, eq=False)

    @value.validator
    def _check(self, _: attrs.Attribute[bytes], value: bytes) -> None:
        if not isinstance(value, bytes):
            raise InputError(f"seed value must be bytes, got {type(value).__name__}")
        if len(value) * 8 < MIN_SEED_BITS:
            raise InputError(
                f"seed has {len(value) * 8} bits; at least {MIN_SEED_BITS} are required"
            )

    @classmethod
    def from_hex(cls, text: str) -> Seed:
        """A seed from hexadecimal text (``0x`` prefix and surrounding white space allowed).

        At least 32 hex digits (128 bits); an odd number of digits is refused as ambiguous.
        """
        if not isinstance(text, str):
            raise InputError(f"Seed.from_hex takes a str, got {type(text).__name__}")
        t = text.strip()
        if t[:2].lower() == "0x":
            t = t[2:]
        if not _HEX.fullmatch(t):
            raise InputError(f"seed {text!r} is not hexadecimal (digits 0-9, a-f only)")
        if len(t) % 2:
            raise InputError(f"seed {text!r} has an odd number of hex digits ({len(t)})")
        if len(t) * 4 < MIN_SEED_BITS:
            raise InputError(
                f"seed {text!r} has {len(t) * 4} bits; at least {MIN_SEED_BITS} "
                f"({MIN_SEED_BITS // 4} hex digits) are required"
            )
        return cls(bytes.fromhex(t), kind="hex", inputs=(t.lower(),))

    @classmethod
    def from_sources(cls, sources: Iterable[str | int | Sequence[int]]) -> Seed:
        """SHA-256 of the UTF-8 RFC 3797 key string of values announced in advance.

        >>> Seed.from_sources(["9319", "2 5 12 8 10", "9 18 26 34 41 45"]).key_string
        '9319./2.5.8.10.12./9.18.26.34.41.45./'
        """
        given = list(sources) if not isinstance(sources, (str, bytes)) else None
        if given is None:
            raise InputError("Seed.from_sources takes a list of sources, not a single string")
        key = source_key_string(given)
        return cls(
            hashlib.sha256(key.encode("utf-8")).digest(),
            kind="sources",
            inputs=tuple(given),
            key_string=key,
        )

    @classmethod
    def from_beacon(
        cls, chain_hash: str, round: int, signature: str, *, randomness: str | None = None
    ) -> Seed:
        """The randomness of a drand beacon round: ``SHA-256(signature)``, 256 bits.

        ``chain_hash`` is the hex hash identifying the drand chain (e.g. quicknet's
        ``52db9ba7…c84e971``), ``round`` the round number (>= 1) and ``signature`` the round's
        BLS signature in hex, as a drand relay returns them. drand defines a round's randomness
        as SHA-256 of the signature bytes; when ``randomness`` is given too it must equal that.

        **Not verified here:** that the signature is the chain's valid BLS signature for this
        round. That needs a BLS12-381 pairing library, which the core does not depend on. A
        verifier must check it independently, e.g. with drand's own client or any drand
        verification library, against the chain's public key from its ``/info`` endpoint; and
        check that ``chain_hash`` is the chain the campaign declared. What is checked here is
        everything else: the hex, the round, and randomness = SHA-256(signature).
        """
        ch = _beacon_hex(chain_hash, "chain hash", exact_bytes=32)
        if isinstance(round, bool) or not isinstance(round, int) or round < 1:
            raise InputError(f"beacon round must be a whole number >= 1, got {round!r}")
        sig = _beacon_hex(signature, "signature")
        value = hashlib.sha256(bytes.fromhex(sig)).digest()
        if randomness is not None:
            given = _beacon_hex(randomness, "randomness", exact_bytes=32)
            if given != value.hex():
                raise InputError(
                    f"beacon round {round}: randomness {given} is not SHA-256 of the signature "
                    f"({value.hex()}); check that both come from the same round"
                )
        return cls(value, kind="beacon", inputs=(ch, round, sig))

    @classmethod
    def from_provenance(cls, provenance: Any) -> Seed:
        """Rebuild a seed from :meth:`provenance` and check it reproduces the recorded hex.

        This is how a verifier re-derives a logged seed from its public inputs (the sources or
        the beacon round), rather than trusting the hex. A mismatch is an :class:`InputError`.
        """
        if not isinstance(provenance, dict):
            raise InputError(f"seed provenance must be a mapping, got {type(provenance).__name__}")
        kind = provenance.get("kind")
        recorded = provenance.get("hex")
        if kind not in _SEED_KINDS:
            raise InputError(f"seed provenance kind {kind!r} is not one of {list(_SEED_KINDS)}")
        try:
            if kind == "hex":
                seed = cls.from_hex(str(recorded))
            elif kind == "sources":
                seed = cls.from_sources(
                    [tuple(s) if isinstance(s, list) else s for s in provenance["sources"]]
                )
            else:
                seed = cls.from_beacon(
                    provenance["chain_hash"], provenance["round"], provenance["signature"]
                )
        except KeyError as exc:
            raise InputError(f"seed provenance of kind {kind!r} lacks {exc.args[0]!r}") from None
        if not isinstance(recorded, str) or seed.hex != recorded.lower():
            raise InputError(
                f"seed provenance of kind {kind!r} gives seed {seed.hex}, but {recorded!r} is "
                "recorded"
            )
        return seed

    @property
    def hex(self) -> str:
        """The seed as lower-case hex."""
        return self.value.hex()

    def provenance(self) -> dict[str, Any]:
        """A JSON-ready description of the seed and how it was derived (for the log)."""
        out: dict[str, Any] = {"kind": self.kind, "hex": self.hex}
        if self.kind == "sources":
            out["sources"] = [list(s) if isinstance(s, tuple) else s for s in self.inputs]
            out["key_string"] = self.key_string
        elif self.kind == "beacon":
            chain_hash, round_, signature = self.inputs
            out.update(chain_hash=chain_hash, round=round_, signature=signature)
        return out
