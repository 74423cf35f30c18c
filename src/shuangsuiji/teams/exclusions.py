"""Who may not inspect a drawn target (spec §8, step 3), and the recusals to record.

Three reasons bar an inspector from a visit: a declared conflict (the inspector registry's
``conflicts`` column), an enterprise's recusal request (回避申请) and rotation (the inspector
inspected the target after the visit's rotation cutoff). They are bit flags, OR-ed per
(visit, inspector) pair, in the order the error messages attribute them.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from ..registry.inspectors import Inspectors
from ..sampling.selection import Selection
from .inputs import read_history, read_recusals
from .team_seats import VisitRule
from .visits import IntArray, Visits

__all__ = ["CONFLICT", "REQUEST", "ROTATION", "Exclusions", "exclusions"]

# exclusion reasons (bit flags), in the order messages attribute them
CONFLICT, REQUEST, ROTATION = 1, 2, 4

# (visit, registry row, reason bits) of some barred pairs
_Barred: TypeAlias = tuple[IntArray, IntArray, npt.NDArray[np.int64]]


@attrs.frozen
class Exclusions:
    """(visit, registry row, reason bits) of everyone barred from a drawn target."""

    visit: IntArray
    row: IntArray
    reason: npt.NDArray[np.int64]
    # the recusals to record, sorted: indexes into the sorted target and inspector IDs, and
    # whether each was requested (else declared)
    target_ids: npt.NDArray[np.bytes_]
    inspector_ids: npt.NDArray[np.bytes_]
    recusal_target: npt.NDArray[np.int64]
    recusal_inspector: npt.NDArray[np.int64]
    recusal_requested: npt.NDArray[np.bool_]


def exclusions(
    ins: Inspectors,
    sel: Selection,
    visits: Visits,
    group: IntArray,
    rules: list[VisitRule],
    history: Any,
    recusals: Any,
) -> Exclusions:
    """Everyone barred from each visit, and why; ``group`` is each visit's index in ``rules``.

    ``history`` and ``recusals`` are read by :mod:`.inputs`, recusals first.
    """
    index = {x: i for i, x in enumerate(ins.ids())}
    known = sel.targets.id_bytes if sel.targets is not None else visits.ids
    # declared conflicts (the registry's ``conflicts`` column)
    owner = np.repeat(np.arange(len(ins), dtype=np.intp), np.diff(ins.conflict_indptr))
    cv = visits.index(ins.conflict_ids)
    hit = cv >= 0
    declared_v, declared_p = cv[hit], owner[hit]
    parts = [_barred(declared_v, declared_p, CONFLICT)]
    requested_t, requested_p = _requests(recusals, index, known, visits)
    if requested_t.size:
        rv = visits.index(requested_t)
        parts.append(_barred(rv[rv >= 0], requested_p[rv >= 0], REQUEST))
    rotated = _rotation(history, index, known, visits, group, rules)
    if rotated is not None:
        parts.append(rotated)
    visit, row, bits = _merged(parts, len(ins))
    named, inspector_ids, t, who, requested = _recusals(
        ins, visits, declared_v, declared_p, requested_t, requested_p
    )
    return Exclusions(visit, row, bits, named, inspector_ids, t, who, requested)


def _barred(v: IntArray, r: IntArray, reason: int) -> _Barred:
    return v, r, np.full(v.size, reason, np.int64)


def _requests(
    recusals: Any, index: dict[str, int], known: npt.NDArray[np.bytes_], visits: Visits
) -> tuple[npt.NDArray[np.bytes_], IntArray]:
    """The enterprises' recusal requests: target IDs (UTF-8) and registry rows."""
    r_targets, r_people = read_recusals(recusals, index, known, visits.ids)
    if not r_targets:
        return np.zeros(0, "S1"), np.zeros(0, np.intp)
    rt = np.array([t.encode("utf-8") for t in r_targets], dtype="S")
    return rt, np.array(r_people, np.intp)


def _rotation(
    history: Any,
    index: dict[str, int],
    known: npt.NDArray[np.bytes_],
    visits: Visits,
    group: IntArray,
    rules: list[VisitRule],
) -> _Barred | None:
    """Rotation: who inspected a visit's target after the visit's cutoff (None: no history)."""
    h_people, h_targets, h_dates = read_history(history, index, known, visits.ids)
    if not h_people:
        return None
    hv = visits.index(np.array([t.encode("utf-8") for t in h_targets], dtype="S"))
    never = np.datetime64("9999-12-31")  # no rotation rule: no date is recent
    cut = np.array([r.cutoff or never for r in rules], dtype="datetime64[D]")
    days = np.array(h_dates, dtype="datetime64[D]")
    k = hv >= 0
    k[k] = days[k] > cut[group[hv[k]]]
    return _barred(hv[k], np.array(h_people, np.intp)[k], ROTATION)


def _merged(parts: list[_Barred], n_people: int) -> _Barred:
    """One entry per barred (visit, row) pair, sorted, with its reasons OR-ed."""
    v = np.concatenate([p[0] for p in parts]).astype(np.int64)
    r = np.concatenate([p[1] for p in parts]).astype(np.int64)
    b = np.concatenate([p[2] for p in parts])
    key = v * max(n_people, 1) + r
    o = np.argsort(key)  # reasons are OR-ed per pair, so the sort need not be stable
    key, b = key[o], b[o]
    first = np.ones(key.size, bool)
    first[1:] = key[1:] != key[:-1]
    uk = key[first]
    bits = np.bitwise_or.reduceat(b, np.flatnonzero(first)) if key.size else b
    return (uk // max(n_people, 1)).astype(np.intp), (uk % max(n_people, 1)).astype(np.intp), bits


def _recusals(
    ins: Inspectors,
    visits: Visits,
    declared_v: IntArray,
    declared_p: IntArray,
    requested_t: npt.NDArray[np.bytes_],
    requested_p: IntArray,
) -> tuple[
    npt.NDArray[np.bytes_],
    npt.NDArray[np.bytes_],
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.bool_],
]:
    """The recusals to record (declared conflicts on drawn targets, then requests), sorted.

    Returns the sorted target IDs named, the inspector IDs in ID order, and per recusal its
    target and inspector (indexes into those) and whether it was requested. The sort is by
    target, inspector (UTF-8 bytes), declared before requested, on integer ranks: gathering and
    sorting a million byte strings is several times slower.
    """
    named = np.union1d(visits.ids, requested_t) if requested_t.size else visits.ids
    t_rank = np.concatenate(
        [np.searchsorted(named, visits.ids)[declared_v], np.searchsorted(named, requested_t)]
    ).astype(np.int64)
    by_id = np.argsort(ins.id_bytes, kind="stable")
    p_rank = np.empty(len(ins), np.int64)
    p_rank[by_id] = np.arange(len(ins))
    who = p_rank[np.concatenate([declared_p, requested_p])]
    requested = np.concatenate(
        [np.zeros(declared_p.size, bool), np.ones(requested_p.size, bool)]
    )
    o = np.lexsort((requested, who, t_rank))
    return named, ins.id_bytes[by_id], t_rank[o], who[o], requested[o]
