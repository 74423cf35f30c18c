"""The checks of what the commitment fixed (docs/spec.md §10.8, steps 3–4 of
:func:`~.verify.verify`): the registries against the committed fingerprints and sizes, the
algorithm versions against this library's, and the revealed seed against the declared
randomness source and time. What a person must still check by hand is listed, with the values.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from .._util.times import before
from ..errors import InputError
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from .replay import Registries
from .report import Findings
from .state import Batch, CampaignState, algorithms

__all__ = ["check_randomness", "check_registries", "check_versions", "registry_arg"]


def registry_arg(kind: str, given: Any) -> None:
    """Refuse (InputError) a ``targets``/``inspectors`` argument of :func:`~.verify.verify` that
    is not one registry, a list of them (one per batch) or a mapping fingerprint → registry."""
    cls = Targets if kind == "targets" else Inspectors
    if isinstance(given, cls):
        return
    values = given.values() if isinstance(given, Mapping) else given
    if isinstance(given, (Mapping, list, tuple)) and given and all(
        isinstance(r, cls) for r in values
    ):
        return
    raise InputError(
        f"{kind} must be shuangsuiji.{cls.__name__}, a list of them (one per batch) or a "
        f"mapping of fingerprint to registry, got {type(given).__name__}"
    )


def _pick(given: Any, batch: int, fingerprint: Any) -> Any:
    if isinstance(given, (Targets, Inspectors)):
        return given
    if isinstance(given, Mapping):
        return given.get(fingerprint)
    return given[batch - 1] if batch <= len(given) else None


def check_registries(
    state: CampaignState,
    targets: Any,
    inspectors: Any,
    f: Findings,
    summary: dict[str, Any],
) -> list[Registries]:
    """Each batch's registry snapshots, from one registry for every batch, a list with one per
    batch, or a mapping fingerprint → registry (docs/spec.md §11.8); None for a batch whose
    snapshot is missing or not the committed one (reported; its replay is skipped)."""
    out: list[Registries] = []
    seen: dict[str, list[str]] = {"targets": [], "inspectors": []}
    for b in state.batches:
        pair = [_batch_registry(b, kind, given, f, seen)
                for kind, given in (("targets", targets), ("inspectors", inspectors))]
        tg, ins = pair
        out.append((tg, ins) if tg is not None and ins is not None else None)
    for kind, given in (("targets", targets), ("inspectors", inspectors)):
        if isinstance(given, (list, tuple)) and len(given) > len(state.batches):
            f.error(None, "registry", f"{len(given)} {kind} registries were supplied for a log "
                                      f"of {len(state.batches)} batch(es)")
        texts = seen[kind]
        summary[kind] = texts[0] if len(texts) == 1 else "; ".join(
            f"batch {i + 1}: {t}" for i, t in enumerate(texts)
        )
    return out


def _batch_registry(
    b: Batch, kind: str, given: Any, f: Findings, seen: dict[str, list[str]]
) -> Any:
    """Batch ``b``'s ``kind`` registry from ``given``, checked against its committed entry."""
    entry = b.body.get(kind)
    committed: dict[str, Any] = entry if isinstance(entry, dict) else {}
    reg = _pick(given, b.number, committed.get("fingerprint"))
    where = "" if b.number == 1 else f" for batch {b.number}"
    if reg is None:
        seen[kind].append("not supplied")
        f.error(b.seq, "registry", f"no {kind} registry was supplied{where} (committed: "
                                   f"{committed.get('size')} rows, fingerprint "
                                   f"{committed.get('fingerprint')}); its replay was skipped")
        return None
    seen[kind].append(f"{len(reg)} rows, fingerprint {reg.fingerprint}")
    if reg.fingerprint != committed.get("fingerprint") or len(reg) != committed.get("size"):
        f.error(
            b.seq, "registry",
            f"the {kind} registry supplied{where} ({len(reg)} rows, fingerprint "
            f"{reg.fingerprint}) is not the one committed ({committed.get('size')} rows, "
            f"fingerprint {committed.get('fingerprint')}); the replay was skipped",
        )
        return None
    return reg


def check_versions(state: CampaignState, f: Findings) -> bool:
    c = state.commitment
    assert c is not None
    ok = True
    ours = algorithms()
    committed_algorithms = c.get("algorithms")
    if not isinstance(committed_algorithms, dict):
        f.error(0, "version", f"the commitment's algorithms {committed_algorithms!r} are not "
                              "a mapping of name to version")
        return False
    for name, version in committed_algorithms.items():
        if ours.get(name) != version:
            ok = False
            f.error(
                0, "version",
                f"the log uses {name} algorithm {version!r}, but this library implements "
                f"{ours.get(name)!r}; replay it with a shuangsuiji version that implements it",
            )
    return ok



def check_randomness(
    state: CampaignState, f: Findings, summary: dict[str, Any], tz: _dt.tzinfo | None
) -> None:
    """Each batch's declared randomness and seed (docs/spec.md §10.4, §11.8)."""
    seeds: list[str] = []
    manual: list[str] = []
    for b in state.batches:
        _check_batch_randomness(state, b, f, summary, tz, seeds, manual)
    if seeds:
        summary["seed"] = seeds[0] if len(state.batches) == 1 else "; ".join(seeds)
        summary["check_by_hand"] = manual


def _check_batch_randomness(
    state: CampaignState,
    b: Batch,
    f: Findings,
    summary: dict[str, Any],
    tz: _dt.tzinfo | None,
    seeds: list[str],
    manual: list[str],
) -> None:
    randomness = b.randomness
    if randomness is None:
        return
    of = "" if b.number == 1 else f" of batch {b.number}"
    if b.number == 1:
        summary["randomness"] = randomness.summary()
    if randomness.kind == "undeclared":
        f.warning(
            b.seq, "randomness",
            f"no randomness source was declared in the commitment{of}, so nothing shows the "
            "seed was not chosen after it",
        )
    known = randomness.known_after_moment
    t0 = state.time_of(b.seq)
    if known is not None and t0 is not None and not before(t0, known, tz):
        f.error(
            b.seq, "randomness",
            f"the commitment{of} is dated {state.times.get(b.seq)}, not before the declared "
            f"randomness was known ({randomness.known_after})",
        )
    if randomness.kind == "beacon" and known is None:
        f.warning(
            b.seq, "randomness",
            f"the beacon declaration (drand round {randomness.round}) has no known_after, so "
            "nothing here shows the commitment was made before the round could be known; "
            "declare the round's time (genesis + (round − 1) · period) as known_after",
        )
    if b.seed is None or b.seed_seq is None:
        return
    seeds.append(f"{b.seed.hex} ({b.seed.kind})" if b.number == 1 else
                 f"batch {b.number}: {b.seed.hex} ({b.seed.kind})")
    lines = _manual_checks(randomness, b.seed)
    manual += lines if b.number == 1 or not lines else [f"batch {b.number}:", *lines]
    for msg in randomness.problems(b.seed):
        f.error(b.seed_seq, "seed", msg)
    ts = state.time_of(b.seed_seq)
    if known is not None and ts is not None and before(ts, known, tz):
        f.error(
            b.seed_seq, "seed",
            f"the seed is dated {state.times.get(b.seed_seq)}, before the declared "
            f"randomness was known ({randomness.known_after})",
        )


def _manual_checks(randomness: Any, seed: Any) -> list[str]:
    """What a person must still check about the seed, with the values to check (10.4, 10.8)."""
    if randomness.kind == "sources" and seed.kind == "sources":
        values = [f'"{v}"' if isinstance(v, str) else repr(v) for v in seed.inputs]
        descs = list(randomness.descriptions)
        width = max(len(values), len(descs))
        values += ["(no value recorded)"] * (width - len(values))
        descs += ["(not declared)"] * (width - len(descs))
        return [
            ("the seed's source values, as recorded, next to what was declared; a person must "
            "look each one up where it was published and compare:"),
            *(f"  {i + 1}. {d}: recorded {v}" for i, (d, v) in enumerate(zip(descs, values))),
        ]
    if seed.kind == "beacon":
        chain, round_, _ = seed.inputs
        return [
            (f"the BLS signature of drand round {round_} (chain {chain}) was NOT verified: the "
            "seed is SHA-256 of the recorded signature, but whether that signature is the "
            "chain's valid one for the round needs drand's client or another BLS verifier, "
            "against the chain's public key")
        ]
    return []
