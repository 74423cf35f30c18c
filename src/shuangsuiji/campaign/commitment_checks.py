"""The checks of what the commitment fixed (docs/spec.md §10.8, steps 3–4 of
:func:`~.verify.verify`): the registries against the committed fingerprints and sizes, the
algorithm versions against this library's, and the revealed seed against the declared
randomness source and time. What a person must still check by hand is listed, with the values.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .._util.times import before
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from .report import Findings
from .state import CampaignState, algorithms

__all__ = ["check_randomness", "check_registries", "check_versions"]


def check_registries(
    state: CampaignState,
    targets: Targets,
    inspectors: Inspectors,
    f: Findings,
    summary: dict[str, Any],
) -> bool:
    c = state.commitment
    assert c is not None
    ok = True
    for kind, reg in (("targets", targets), ("inspectors", inspectors)):
        entry = c.get(kind)
        committed: dict[str, Any] = entry if isinstance(entry, dict) else {}
        summary[kind] = f"{len(reg)} rows, fingerprint {reg.fingerprint}"
        if reg.fingerprint != committed.get("fingerprint") or len(reg) != committed.get("size"):
            ok = False
            f.error(
                0, "registry",
                f"the {kind} registry supplied ({len(reg)} rows, fingerprint "
                f"{reg.fingerprint}) is not the one committed ({committed.get('size')} rows, "
                f"fingerprint {committed.get('fingerprint')}); the replay was skipped",
            )
    return ok


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
    randomness = state.randomness
    if randomness is None:
        return
    summary["randomness"] = randomness.summary()
    if randomness.kind == "undeclared":
        f.warning(
            0, "randomness",
            "no randomness source was declared in the commitment, so nothing shows the "
            "seed was not chosen after it",
        )
    known = randomness.known_after_moment
    t0 = state.time_of(0)
    if known is not None and t0 is not None and not before(t0, known, tz):
        f.error(
            0, "randomness",
            f"the commitment is dated {state.times.get(0)}, not before the declared randomness "
            f"was known ({randomness.known_after})",
        )
    if randomness.kind == "beacon" and known is None:
        f.warning(
            0, "randomness",
            f"the beacon declaration (drand round {randomness.round}) has no known_after, so "
            "nothing here shows the commitment was made before the round could be known; "
            "declare the round's time (genesis + (round − 1) · period) as known_after",
        )
    if state.seed is None or state.seed_seq is None:
        return
    summary["seed"] = f"{state.seed.hex} ({state.seed.kind})"
    summary["check_by_hand"] = _manual_checks(randomness, state.seed)
    for msg in randomness.problems(state.seed):
        f.error(state.seed_seq, "seed", msg)
    ts = state.time_of(state.seed_seq)
    if known is not None and ts is not None and before(ts, known, tz):
        f.error(
            state.seed_seq, "seed",
            f"the seed is dated {state.times.get(state.seed_seq)}, before the declared "
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
