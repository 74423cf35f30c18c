"""The declared source of randomness: fixed in the commitment, before the seed exists.

Commit–reveal only protects a draw if the seed could not have been chosen after the commitment.
So the commitment names *where* the seed will come from, and the reveal must match:

- ``Randomness.sources(descriptions, known_after)``: values announced in advance (lottery
  draws, index closes, …), one description per source in the announced order, which become known
  on or after ``known_after``. The seed must be ``Seed.from_sources`` of exactly that many values
  (RFC 3797, Eastlake 2004, §4–§5 on choosing such sources).
- ``Randomness.beacon(chain_hash, round)``: one round of a drand beacon. The seed must be
  ``Seed.from_beacon`` of that chain and round.
- ``Randomness.undeclared()``: no declaration. Any seed is accepted, and :func:`verify` says, as a
  warning, that nothing ties the seed to a source fixed in advance.

:meth:`Randomness.problems` lists every way a seed fails the declaration (empty when it matches);
:meth:`Randomness.check` raises the first as an :class:`InputError`. Both also re-derive the seed
from its recorded inputs, so a hand-built ``Seed`` whose value does not follow from them fails.
The spec is docs/spec.md §10.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from .._util.digests import is_sha256_hex
from .._util.times import parse_moment
from ..errors import InputError
from .seed import Seed, source_key_string

__all__ = ["Randomness"]

Kind = Literal["sources", "beacon", "undeclared"]


def _iso(value: _dt.date | _dt.datetime) -> str:
    return value.isoformat()


@attrs.frozen
class Randomness:
    """A declaration of where the seed will come from; see the module docstring."""

    kind: Kind
    descriptions: tuple[str, ...] = ()
    known_after: str | None = None
    chain_hash: str | None = None
    round: int | None = None
    description: str | None = None

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def sources(
        cls,
        descriptions: Sequence[str],
        known_after: str | _dt.date | _dt.datetime,
        *,
        description: str | None = None,
    ) -> Randomness:
        """Public values announced in advance: one description per source, in announced order.

        ``known_after`` is the date (or aware date-time) from which the values can be known: the
        commitment must be made before it, the seed revealed on or after it.
        """
        if isinstance(descriptions, str) or not isinstance(descriptions, Sequence):
            raise InputError(
                "Randomness.sources: give a list of descriptions, one per source, e.g. "
                "['双色球第2026004期红球开奖号码', '上证综合指数2026-01-09收盘点位']"
            )
        descs = tuple(descriptions)
        if not descs:
            raise InputError("Randomness.sources: at least one source must be declared")
        for i, d in enumerate(descs):
            if not isinstance(d, str) or not d.strip():
                raise InputError(
                    f"Randomness.sources: description {i} is {d!r}; describe each source so "
                    "anyone can look its value up"
                )
        moment = parse_moment(known_after, "Randomness.sources known_after")
        return cls("sources", descs, _iso(moment), description=_text(description))

    @classmethod
    def beacon(
        cls,
        chain_hash: str,
        round: int,
        *,
        known_after: str | _dt.date | _dt.datetime | None = None,
        description: str | None = None,
    ) -> Randomness:
        """One future round of a drand beacon: its chain hash (64 hex digits) and round number.

        ``known_after`` is optional: the round's time (drand: genesis + (round − 1) · period),
        for the same ordering checks as for sources.
        """
        if not isinstance(chain_hash, str) or not is_sha256_hex(chain_hash.strip().lower()):
            raise InputError(
                f"Randomness.beacon: chain hash {chain_hash!r} is not 64 hex digits"
            )
        if isinstance(round, bool) or not isinstance(round, int) or round < 1:
            raise InputError(f"Randomness.beacon: round must be a whole number >= 1, got {round!r}")
        moment = (
            None if known_after is None
            else _iso(parse_moment(known_after, "Randomness.beacon known_after"))
        )
        return cls(
            "beacon",
            known_after=moment,
            chain_hash=chain_hash.strip().lower(),
            round=round,
            description=_text(description),
        )

    @classmethod
    def undeclared(cls) -> Randomness:
        """No declared source: any seed is accepted, and verification warns about it."""
        return cls("undeclared")

    # -- dict form (the commitment) -----------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind == "sources":
            out["sources"] = list(self.descriptions)
        if self.kind == "beacon":
            out["chain_hash"] = self.chain_hash
            out["round"] = self.round
        if self.known_after is not None:
            out["known_after"] = self.known_after
        if self.description is not None:
            out["description"] = self.description
        return out

    @classmethod
    def from_dict(cls, d: Any) -> Randomness:
        """Inverse of :meth:`to_dict`; validates as the constructors do."""
        if not isinstance(d, Mapping):
            raise InputError(f"randomness declaration must be a mapping, got {type(d).__name__}")
        allowed = {
            "sources": {"kind", "sources", "known_after", "description"},
            "beacon": {"kind", "chain_hash", "round", "known_after", "description"},
            "undeclared": {"kind"},
        }
        kind = d.get("kind")
        if kind not in allowed:
            raise InputError(
                f"randomness declaration kind {kind!r} is not one of {sorted(allowed)}"
            )
        extra = sorted(set(d) - allowed[kind])
        if extra:
            raise InputError(f"randomness declaration of kind {kind!r}: unknown key {extra[0]!r}")
        try:
            if kind == "sources":
                return cls.sources(
                    d["sources"], d["known_after"], description=d.get("description")
                )
            if kind == "beacon":
                return cls.beacon(
                    d["chain_hash"],
                    d["round"],
                    known_after=d.get("known_after"),
                    description=d.get("description"),
                )
        except KeyError as exc:
            raise InputError(
                f"randomness declaration of kind {kind!r}: missing {exc.args[0]!r}"
            ) from None
        return cls.undeclared()

    # -- checks -------------------------------------------------------------------------------
    @property
    def known_after_moment(self) -> _dt.date | _dt.datetime | None:
        return None if self.known_after is None else parse_moment(self.known_after, "known_after")

    def problems(self, seed: Seed) -> list[str]:
        """Every way ``seed`` fails this declaration, as plain sentences (empty: it matches)."""
        if not isinstance(seed, Seed):
            return [f"the seed must be a shuangsuiji.Seed, got {type(seed).__name__}"]
        out: list[str] = []
        if self.kind == "sources":
            if seed.kind != "sources":
                msg = (
                    f"the declaration names {len(self.descriptions)} public sources, but the seed "
                    f"is of kind {seed.kind!r}; derive it with Seed.from_sources([...])"
                )
                return [msg]
            if len(seed.inputs) != len(self.descriptions):
                out.append(
                    f"the declaration names {len(self.descriptions)} sources "
                    f"({'; '.join(self.descriptions)}), but the seed was derived from "
                    f"{len(seed.inputs)}"
                )
            try:
                key = source_key_string(seed.inputs)
            except InputError as exc:
                return out + [f"the seed's sources are not valid: {exc}"]
            if hashlib.sha256(key.encode("utf-8")).digest() != seed.value:
                out.append(
                    f"the seed {seed.hex} is not SHA-256 of its sources' key string {key!r}"
                )
        elif self.kind == "beacon":
            if seed.kind != "beacon":
                msg = (
                    f"the declaration names drand round {self.round} of chain "
                    f"{self.chain_hash}, but the seed is of kind {seed.kind!r}; derive it with "
                    "Seed.from_beacon(chain_hash, round, signature)"
                )
                return [msg]
            chain_hash, round_, signature = seed.inputs
            if chain_hash != self.chain_hash:
                out.append(
                    f"the seed comes from beacon chain {chain_hash}, but chain {self.chain_hash} "
                    "was declared"
                )
            if round_ != self.round:
                out.append(
                    f"the seed comes from beacon round {round_}, but round {self.round} was "
                    "declared"
                )
            if hashlib.sha256(bytes.fromhex(str(signature))).digest() != seed.value:
                out.append(f"the seed {seed.hex} is not SHA-256 of the round's signature")
        return out

    def check(self, seed: Seed) -> None:
        """Raise :class:`InputError` naming the first mismatch between ``seed`` and this."""
        found = self.problems(seed)
        if found:
            raise InputError(f"seed refused: {found[0]}")

    def summary(self) -> str:
        """One line for reports: what was declared."""
        if self.kind == "sources":
            return (
                f"{len(self.descriptions)} public sources known after {self.known_after}: "
                + "; ".join(self.descriptions)
            )
        if self.kind == "beacon":
            return f"drand chain {self.chain_hash}, round {self.round}"
        return "no declared source"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"randomness description must be text, got {value!r}")
    return value
