"""``Campaign``: one plan's commit–reveal lifecycle, written to an append-only publication log.

::

    campaign = ss.Campaign.create(path, plan, targets, inspectors, randomness=declared)
    sel, teams = campaign.reveal(seed)                 # seed, selection, assignment records
    campaign.record_result("91130100MA0C0001X1", "正常", task="食品检验机构重点抽查")
    campaign.publish_notice(notice)                    # digest + what was redacted
    ss.verify(path, targets, inspectors).ok

The records, in the order :func:`~shuangsuiji.verify` requires (docs/spec.md §10):

1. ``commitment``: the plan, both registries' fingerprints and sizes, the per-stratum π summary,
   the library and algorithm versions, the declared randomness source, and the assignment's
   other inputs (past inspections, recusal requests), all fixed before the seed exists;
2. ``seed``: the revealed seed with its provenance, which must match the declaration;
3. ``selection`` and 4. ``assignment``: what ``draw`` and ``assign`` gave, as columns;
5. then any number of ``result``/``results`` (one result or a batch), ``notice`` and
   ``correction`` records. A record is never edited: a correction names the seq it corrects.

Every method checks everything before it writes, so a failed call writes nothing. Each record's
time comes from the caller (``time=``) or the clock; it is published, checked against the
declaration and the deadline, and never used by the replay. The log itself (JSON Lines, hash
chain, Merkle tree, lock, fsync) is :mod:`shuangsuiji.log`; what the records say is kept in a
:class:`~.state.CampaignState`, the commitment's body is built by :mod:`.commitment` and result
rows are checked by :mod:`.results`.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, final

from .._util.times import before, day_of, parse_moment
from ..errors import InputError, LogError
from ..log.logfile import Log
from ..log.records import Record
from ..plan.plan import Plan, as_plan
from ..randomness.declared import Randomness
from ..randomness.seed import Seed
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from ..sampling.engine import draw
from ..sampling.selection import Selection
from . import record_bodies as B
from .assign_step import assignment_body, assignment_records, run_assign
from .commitment import check_registry, commitment_body
from .results import ResultRows, current_result
from .state import CampaignState, read_state

__all__ = ["Campaign"]


def now(tz: _dt.tzinfo = _dt.timezone.utc) -> _dt.datetime:
    """The clock, to the second, in ``tz`` (a campaign passes its publication time zone): the
    default time of a record (never used by replay)."""
    return _dt.datetime.now(tz).replace(microsecond=0)


def moment(time: Any, what: str = "time", tz: _dt.tzinfo = _dt.timezone.utc) -> _dt.datetime:
    """The time of a record ``Campaign`` writes: an aware date-time from ``time`` (None = the
    clock). A bare date is refused here, because a record is made at an instant; a log written
    otherwise may hold one, and reading it (:func:`parse_moment`) accepts every §9.1 form."""
    if time is None:
        return now(tz)
    m = parse_moment(time, what)
    if not isinstance(m, _dt.datetime):
        raise InputError(f"{what}: {time!r} is a date; give a date-time with a UTC offset")
    return m



def _new_log(
    path: str | os.PathLike[str], body: Mapping[str, Any], t: _dt.datetime
) -> tuple[Log, Record]:
    """Create the log at ``path`` and write the commitment ``body``; a failed call leaves no
    file behind (and refuses a path that exists)."""
    try:
        log = Log.create(path)
    except LogError:
        if not os.path.exists(path):
            raise
        raise LogError(
            f"{os.fspath(path)} already exists: a campaign log is created once. Continue it "
            "with Campaign.open(path, targets, inspectors), or choose a new path"
        ) from None
    try:
        rec = log.append("commitment", body, time=t)
    except BaseException:
        log.close()
        os.unlink(path)  # the empty file this call created: a failed call leaves nothing
        raise
    return log, rec

@final
class Campaign:
    """A campaign log opened for writing; see the module docstring.

    Create one with :meth:`create` (writes the commitment) or :meth:`open` (an existing log).
    The log's lock keeps other writers out until :meth:`close` (or the end of a ``with``).
    """

    def __init__(
        self,
        log: Log,
        state: CampaignState,
        targets: Targets | None = None,
        inspectors: Inspectors | None = None,
    ) -> None:
        self._log = log
        self._state = state
        self._targets = targets
        self._inspectors = inspectors

    # -- lifecycle ----------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        plan: Plan | Mapping[str, Any],
        targets: Targets,
        inspectors: Inspectors,
        *,
        randomness: Randomness | None = None,
        history: Iterable[Any] = (),
        recusals: Iterable[Any] = (),
        time: Any = None,
    ) -> Campaign:
        """Start a new log at ``path`` with the commitment (the file must not exist).

        ``randomness`` declares where the seed will come from (default: undeclared, which
        :func:`verify` warns about). ``history`` (past inspections: inspector, target, date)
        and ``recusals`` (enterprise recusal requests: target, inspector) are the assignment's
        inputs besides the registries; they are committed too, so the replay is self-contained.
        Raises InputError for a plan that does not fit the targets, and when the commitment
        would be made after the declared randomness is known.
        """
        p = as_plan(plan)
        p = Plan.from_dict(p.to_dict())
        if not isinstance(targets, Targets):
            raise InputError(f"targets must be shuangsuiji.Targets, got {type(targets).__name__}")
        if not isinstance(inspectors, Inspectors):
            raise InputError(
                f"inspectors must be shuangsuiji.Inspectors, got {type(inspectors).__name__}"
            )
        decl = Randomness.undeclared() if randomness is None else randomness
        if not isinstance(decl, Randomness):
            raise InputError(
                f"randomness must be a shuangsuiji.Randomness declaration, got "
                f"{type(decl).__name__}"
            )
        t = moment(time, tz=p.publication.tz)
        known = decl.known_after_moment
        if known is not None and not before(t, known, p.publication.tz):
            raise InputError(
                f"the commitment at {t.isoformat()} would not come before the declared "
                f"randomness is known ({decl.known_after}); declare sources that become known "
                "later"
            )
        body = commitment_body(p, targets, inspectors, decl, history, recusals)
        log, rec = _new_log(path, body, t)
        state = CampaignState()
        state.add(rec.seq, "commitment", body, rec.time)
        return cls(log, state, targets, inspectors)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        targets: Targets | None = None,
        inspectors: Inspectors | None = None,
    ) -> Campaign:
        """Open an existing campaign log for writing. Registries are needed only to reveal;
        when given they must match the committed fingerprints."""
        log = Log.open(path)
        try:
            state = read_state(log.records())
            if state.problems:
                seq, msg = state.problems[0]
                raise InputError(
                    f"{os.fspath(path)!r} is not a valid campaign log: seq {seq}: {msg}; run "
                    "shuangsuiji verify on it"
                )
            if state.commitment is None:
                raise InputError(f"{os.fspath(path)!r} has no commitment record")
            if targets is not None:
                check_registry("target", targets, state.commitment["targets"])
            if inspectors is not None:
                check_registry("inspector", inspectors, state.commitment["inspectors"])
        except BaseException:
            log.close()
            raise
        return cls(log, state, targets, inspectors)

    def close(self) -> None:
        """Release the log (and its lock)."""
        self._log.close()

    def __enter__(self) -> Campaign:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what the log says --------------------------------------------------------------------
    @property
    def path(self) -> str:
        return str(self._log.path)

    @property
    def plan(self) -> Plan:
        assert self._state.plan is not None
        return self._state.plan

    @property
    def _tz(self) -> _dt.tzinfo:
        """The publication time zone (the plan's ``publication.utc_offset``)."""
        return self.plan.publication.tz

    @property
    def randomness(self) -> Randomness:
        assert self._state.randomness is not None
        return self._state.randomness

    @property
    def state(self) -> CampaignState:
        """The parsed records (read-only use)."""
        return self._state

    @property
    def revealed(self) -> bool:
        return self._state.assignment_seq is not None

    @property
    def seed(self) -> Seed | None:
        return self._state.seed

    def selection_records(self) -> list[dict[str, Any]]:
        """The drawn targets as records (task, stratum, id, inclusion_probability, prn)."""
        self._need_reveal("read the selection")
        assert self._state.selection is not None
        return B.selection_records(self._state.selection)

    def assignment_records(self) -> list[dict[str, Any]]:
        """The teams as records (task, id, inspector, role, visit)."""
        self._need_reveal("read the assignment")
        assert self._state.assignment is not None and self._state.selection is not None
        return assignment_records(self._state.assignment)

    def results(self) -> list[dict[str, Any]]:
        """The current result of each (task, target): corrections applied, with its ``seq``."""
        return [{**row, "seq": seq} for seq, row in self._state.results.values()]

    def checkpoint(self) -> Any:
        """The log's current checkpoint (size and Merkle root), to publish elsewhere."""
        return self._log.checkpoint()

    # -- reveal -------------------------------------------------------------------------------
    def reveal(
        self,
        seed: Seed,
        *,
        targets: Targets | None = None,
        inspectors: Inspectors | None = None,
        time: Any = None,
    ) -> tuple[Selection, Any]:
        """Record the seed, draw the targets and assign the teams; returns ``(sel, teams)``.

        Refuses (InputError) a seed that does not match the declared source, a seed revealed
        before the declared sources are known, registries other than the committed ones, and a
        second reveal. If an earlier reveal was cut short after its seed record (a crash), the
        same seed completes it.
        """
        st = self._state
        commitment = st.commitment
        assert commitment is not None and st.plan is not None
        t = self._reveal_time(seed, time)
        tg, ins = self._registries(targets, inspectors)
        sel = draw(st.plan, tg, seed)
        teams = run_assign(st.plan, sel, ins, seed, commitment["assignment_inputs"])
        entries = [
            ("seed", {"seed": seed.provenance()}, t),
            ("selection", B.selection_body(sel), t),
            ("assignment", assignment_body(teams, sel), t),
        ]
        if st.seed_seq is not None:
            entries = entries[1:]  # completing a reveal cut short after its seed record
        # one write and one fsync for the three records
        for rec, (type_, body, _) in zip(self._log.append_many(entries), entries):
            st.add(rec.seq, type_, body, rec.time)
        self._targets, self._inspectors = tg, ins
        return sel, teams

    def _reveal_time(self, seed: Seed, time: Any) -> _dt.datetime:
        """The reveal's time, once ``seed`` is checked: the first reveal (or the completion of
        one cut short, with the same seed), from the declared source, once it is known."""
        st = self._state
        if st.assignment_seq is not None:
            raise InputError(
                f"the seed was already revealed (seq {st.seed_seq}); a campaign reveals once"
            )
        if not isinstance(seed, Seed):
            raise InputError(f"seed must be a shuangsuiji.Seed, got {type(seed).__name__}")
        if st.seed is not None and st.seed != seed:
            raise InputError(
                f"seed {st.seed.hex} was already recorded (seq {st.seed_seq}); an interrupted "
                "reveal can only be completed with that seed"
            )
        self.randomness.check(seed)
        t = moment(time, tz=self._tz)
        known = self.randomness.known_after_moment
        if known is not None and before(t, known, self._tz):
            raise InputError(
                f"the reveal at {t.isoformat()} comes before the declared randomness is known "
                f"({self.randomness.known_after}); a seed cannot come from those sources yet"
            )
        self._not_before_last(t)
        return t

    def _registries(
        self, targets: Targets | None, inspectors: Inspectors | None
    ) -> tuple[Targets, Inspectors]:
        """The registries to draw from: those given, else those the campaign was opened with;
        either way the committed ones."""
        commitment = self._state.commitment
        assert commitment is not None
        tg = targets if targets is not None else self._targets
        ins = inspectors if inspectors is not None else self._inspectors
        if tg is None or ins is None:
            raise InputError(
                "reveal needs the target and inspector registries: pass targets= and "
                "inspectors= (as committed), or Campaign.open(path, targets, inspectors)"
            )
        check_registry("target", tg, commitment["targets"])
        check_registry("inspector", ins, commitment["inspectors"])
        return tg, ins

    # -- results ------------------------------------------------------------------------------
    def _need_reveal(self, what: str) -> None:
        if self._state.assignment_seq is None:
            raise InputError(f"cannot {what} before the seed is revealed; call reveal(seed)")

    def _reveal_day(self) -> _dt.date | None:
        st = self._state
        text = st.times.get(st.seed_seq) if st.seed_seq is not None else None
        return None if text is None else day_of(parse_moment(text, "the seed's time"), self._tz)

    def _not_before_last(self, t: _dt.datetime) -> None:
        last = self._state.times.get(self._state.size - 1)
        if last is not None and before(t, parse_moment(last, "the last record's time"), self._tz):
            raise InputError(
                f"time {t.isoformat()} is before the last record's time ({last}); records are "
                "appended in time order"
            )

    def _time(self, time: Any) -> _dt.datetime:
        """The time of the next record: ``time`` (None = the clock), not before the last one."""
        t = moment(time, tz=self._tz)
        self._not_before_last(t)
        return t

    def _append(self, type_: str, body: dict[str, Any], t: _dt.datetime) -> int:
        """Write one checked record and take it into the state; its seq."""
        rec = self._log.append(type_, body, time=t)
        self._state.add(rec.seq, type_, body, rec.time)
        return int(rec.seq)

    def record_result(
        self,
        target_id: str | int,
        outcome: str,
        *,
        task: str | None = None,
        date: Any = None,
        detail: str | None = None,
        penalties: str | Sequence[str] | None = None,
        time: Any = None,
    ) -> int:
        """Record the result of inspecting one drawn target; returns the record's seq.

        ``outcome`` comes from the plan's outcome set (default 正常 / 未按规定公示 /
        通过登记的住所无法联系 / 发现问题已责令改正) and ``penalties`` (none, one or a list)
        from its penalty set. ``task`` may be left out when the target was drawn by one task.
        ``date`` is the day the inspection concluded (default: the record's day); the
        publication deadline counts from it. A target that was not drawn under the task, a
        second result for it (use :meth:`correct_result`), or any bad value is an InputError.
        """
        self._need_reveal("record results")
        t = self._time(time)
        rows = ResultRows(self._state, t, self._reveal_day())
        row = rows.row(target_id, outcome, task, date, detail, penalties, "result")
        return self._append("result", row, t)

    def record_results(self, rows: Iterable[Mapping[str, Any]], *, time: Any = None) -> int:
        """Record many results as one ``results`` record (columns); returns its seq.

        Each row is a mapping with ``id`` (or ``target_id``), ``outcome`` and optionally
        ``task``, ``date``, ``detail`` and ``penalties``, checked as in :meth:`record_result`.
        All rows are checked before anything is written; an error names the row.
        """
        self._need_reveal("record results")
        t = self._time(time)
        out = ResultRows(self._state, t, self._reveal_day()).batch(rows)
        if not out:
            raise InputError("record_results: no rows given")
        return self._append("results", B.results_body(out), t)

    def correct_result(
        self,
        seq: int,
        target_id: str | int,
        *,
        reason: str,
        task: str | None = None,
        outcome: str | None = None,
        date: Any = None,
        detail: Any = ...,
        penalties: Any = ...,
        time: Any = None,
    ) -> int:
        """Correct the result of ``target_id`` that record ``seq`` holds; returns the new seq.

        ``seq`` must be the record that holds the target's current result (the original, or
        the last correction). Fields not given keep their values; ``reason`` says why, and is
        published.
        """
        self._need_reveal("correct results")
        if not isinstance(reason, str) or not reason.strip():
            raise InputError("correct_result: give the reason for the correction (reason=...)")
        old = current_result(self._state, seq, target_id, task)
        t = self._time(time)
        row = ResultRows(self._state, t, self._reveal_day()).row(
            old["id"],
            old["outcome"] if outcome is None else outcome,
            old["task"],
            old["date"] if date is None else date,
            old["detail"] if detail is ... else detail,
            old["penalties"] if penalties is ... else penalties,
            "correction",
            allow_existing=True,
        )
        return self._append("correction", {"corrects": seq, "reason": reason, "result": row}, t)

    # -- notices ------------------------------------------------------------------------------
    def publish_notice(self, notice: Any, *, where: str | None = None, time: Any = None) -> int:
        """Record that a rendered notice was published; returns the seq.

        ``notice`` is a :class:`shuangsuiji.notices.Notice` (or its ``to_dict()``): the record
        holds its kind (plan, task or result), language, format, size, SHA-256 and what was
        redacted, not the content, which is published where the notice is (``where``: e.g. a
        URL). Anyone holding the published file can check it against the digest.
        """
        body = notice_body(notice, where)
        if body["kind"] in ("task", "result"):
            self._need_reveal(f"publish a {body['kind']} notice")
        if body["kind"] == "result" and not self._state.results:
            raise InputError("a result notice needs at least one recorded result")
        return self._append("notice", body, self._time(time))

    def correct_notice(
        self, seq: int, notice: Any, *, reason: str, where: str | None = None, time: Any = None
    ) -> int:
        """Record that the notice published at ``seq`` was replaced by ``notice`` (a corrected
        rendering, e.g. after a redaction was missed); returns the new seq. The record of the
        first notice stays, as every record does."""
        st = self._state
        if not isinstance(reason, str) or not reason.strip():
            raise InputError("correct_notice: give the reason for the correction (reason=...)")
        if seq not in st.notices:
            raise InputError(f"correct_notice: record {seq} is not a notice")
        body = notice_body(notice, where)
        if body["kind"] != st.notices[seq].get("kind"):
            raise InputError(
                f"correct_notice: record {seq} is a {st.notices[seq].get('kind')} notice, not a "
                f"{body['kind']} notice"
            )
        t = self._time(time)
        return self._append("correction", {"corrects": seq, "reason": reason, "notice": body}, t)


NOTICE_KINDS = ("plan", "task", "result")


def notice_body(notice: Any, where: str | None = None) -> dict[str, Any]:
    """The notice record's body: ``Notice.to_dict()`` checked, plus ``where`` when given."""
    d = notice.to_dict() if hasattr(notice, "to_dict") else notice
    if not isinstance(d, Mapping):
        raise InputError(
            f"notice must be a shuangsuiji.notices.Notice or its to_dict(), got "
            f"{type(notice).__name__}"
        )
    body = dict(d)
    if body.get("kind") not in NOTICE_KINDS:
        raise InputError(f"notice kind {body.get('kind')!r} is not one of {list(NOTICE_KINDS)}")
    digest = body.get("sha256")
    if not isinstance(digest, str) or len(digest) != 64 or digest != digest.lower() or any(
        c not in "0123456789abcdef" for c in digest
    ):
        raise InputError(f"notice sha256 {digest!r} is not 64 lower-case hex digits")
    if where is not None:
        if not isinstance(where, str) or not where.strip():
            raise InputError(f"notice where= must be text such as a URL, got {where!r}")
        body["where"] = where
    return body

