"""The ``commitment`` record: everything fixed before the seed exists (docs/spec.md §10).

Its body holds the plan, both registries' fingerprints and sizes, the per-stratum π summary,
the library and algorithm versions, the declared randomness source and the assignment's other
inputs (past inspections, recusal requests). :func:`check_registry` is how the writer refuses a
registry other than the committed one, before anything is written.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

from .._util.version import __version__
from ..errors import InputError
from ..plan.plan import Plan
from ..randomness.declared import Randomness
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from . import record_bodies as B
from .assign_step import assignment_inputs
from .history import batch_burden, batch_strata
from .state import CampaignState, algorithms

__all__ = ["check_registry", "commitment_body", "library", "registry_entry"]


def check_registry(kind: str, reg: Any, committed: Mapping[str, Any]) -> None:
    """Refuse (InputError) a registry whose fingerprint or size is not the committed one."""
    if reg.fingerprint != committed["fingerprint"] or len(reg) != committed["size"]:
        raise InputError(
            f"the {kind} registry ({len(reg)} rows, fingerprint {reg.fingerprint[:16]}…) is not "
            f"the committed one ({committed['size']} rows, fingerprint "
            f"{committed['fingerprint'][:16]}…); supply the registry as it was committed"
        )


def registry_entry(reg: Targets | Inspectors) -> dict[str, Any]:
    return {"fingerprint": reg.fingerprint, "size": len(reg), "id_column": reg.id_column}


def library() -> dict[str, str]:
    return {"name": "shuangsuiji", "version": __version__}


def commitment_body(
    plan: Plan,
    targets: Targets,
    inspectors: Inspectors,
    randomness: Randomness,
    history: Iterable[Any],
    recusals: Iterable[Any],
    prior: Mapping[str, Any] | None = None,
    day: _dt.date | None = None,
) -> dict[str, Any]:
    """The commitment's body (batch 1 of the year, made on ``day``; ``prior``: the member
    :func:`~.year_writer.prior_member` builds); computing the π summary validates the plan
    against the data (docs/spec.md §10.3, §11.5)."""
    body: dict[str, Any] = {
        "format": B.FORMAT,
        "batch": 1,
        "prior": {"logs": [], "inspections": []} if prior is None else dict(prior),
    }
    state = CampaignState()
    known = {"plan": plan.to_dict(), "randomness": randomness.to_dict()}
    state.add(0, "commitment", body | known, None if day is None else day.isoformat())
    burden = batch_burden(state, plan, targets, 0, day)
    strata = batch_strata(plan, targets, burden)  # validates the plan against the data
    return body | {
        "library": library(),
        "algorithms": algorithms(),
        "plan": plan.to_dict(),
        "targets": registry_entry(targets),
        "inspectors": registry_entry(inspectors),
        "randomness": randomness.to_dict(),
        "inclusion_probabilities": B.strata_body(strata, drawn=False),
        "assignment_inputs": assignment_inputs(history, recusals),
    }
