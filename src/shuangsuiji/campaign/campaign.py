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
from ..errors import InputError
from ..log.logfile import Log
from ..notices.year import YearSummary, year_summary
from ..plan.plan import Plan, as_plan
from ..randomness.declared import Randomness
from ..randomness.seed import Seed
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from ..sampling.selection import Selection
from . import record_bodies as B
from .assign_step import assignment_body, assignment_records
from .commitment import check_registry, commitment_body
from .history import batch_assign, batch_burden, batch_day, batch_draw, inspections_before
from .notice_record import NOTICE_KINDS, notice_body
from .results import ResultRows, current_result
from .state import Batch, CampaignState, read_state
from .writer_steps import before_known, check_registries, declaration, moment, new_log, now
from .year_writer import batch_body, batch_plan, directed_body, prior_member

__all__ = ["NOTICE_KINDS", "Campaign", "moment", "notice_body", "now"]


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
        prior: Iterable[Any] = (),
    ) -> Campaign:
        """Start a new log at ``path`` with the commitment, batch 1 of the year (the file must
        not exist; docs/spec.md §10.3, §11.5).

        ``randomness`` declares where the seed will come from (default: undeclared, which
        :func:`verify` warns about). ``history`` (past inspections: inspector, target, date)
        and ``recusals`` (enterprise recusal requests: target, inspector) are the assignment's
        inputs besides the registries; they are committed too, so the replay is self-contained.
        ``prior``: earlier years' logs as ``[(log path, targets, inspectors), ...]``; each must
        pass :func:`verify` (else InputError with its report), and their inspections are
        committed as history (spread, coverage). Raises InputError for a plan that does not
        fit the targets, and when the commitment would be made after the declared randomness is
        known.
        """
        p = as_plan(plan)
        check_registries(targets, inspectors)
        decl = declaration(randomness)
        t = moment(time, tz=p.publication.tz)
        before_known(t, decl, p.publication.tz, "the commitment")
        earlier = prior_member(prior) if prior else None
        body = commitment_body(p, targets, inspectors, decl, history, recusals, earlier,
                               day_of(t, p.publication.tz))
        log, rec = new_log(path, body, t)
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
        """Open an existing campaign log for writing. Registries (the latest batch's) are
        needed to reveal and to record directed checks; when given they must match that batch's
        committed fingerprints. To reveal a later batch after reopening, give them here or to
        :meth:`reveal`."""
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
            committed = state.batches[-1].body
            if targets is not None:
                check_registry("target", targets, committed["targets"])
            if inspectors is not None:
                check_registry("inspector", inspectors, committed["inspectors"])
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
        """The latest batch's plan (the only one in a single-batch campaign)."""
        plan = self._state.batches[-1].plan
        assert plan is not None
        return plan

    @property
    def batch(self) -> int:
        """The number of the latest committed batch (1 after :meth:`create`)."""
        return len(self._state.batches)

    @property
    def _tz(self) -> _dt.tzinfo:
        """The publication time zone (the year plan's ``publication.utc_offset``)."""
        assert self._state.plan is not None
        return self._state.plan.publication.tz

    @property
    def randomness(self) -> Randomness:
        """The latest batch's declared randomness."""
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

    def selection_records(self, batch: int | None = None) -> list[dict[str, Any]]:
        """The drawn targets as records (task, stratum, id, inclusion_probability, prn), of
        ``batch`` (default: the latest)."""
        b = self._batch(batch, "read the selection")
        assert b.selection is not None
        return B.selection_records(b.selection)

    def assignment_records(self, batch: int | None = None) -> list[dict[str, Any]]:
        """The teams as records (task, id, inspector, role, visit), of ``batch`` (default: the
        latest)."""
        b = self._batch(batch, "read the assignment")
        assert b.assignment is not None
        return assignment_records(b.assignment)

    def _batch(self, batch: int | None, what: str) -> Batch:
        if batch is None:
            self._need_reveal(what)
            return self._state.batches[-1]
        batches = self._state.batches
        if isinstance(batch, bool) or not isinstance(batch, int) or not 1 <= batch <= len(
            batches
        ) or not batches[batch - 1].revealed:
            raise InputError(
                f"batch {batch!r} is not a revealed batch (batches 1–{len(batches)}, the "
                f"latest {'revealed' if batches[-1].revealed else 'not yet revealed'})"
            )
        return batches[batch - 1]

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
        """Reveal the latest batch: record the seed, draw the targets and assign the teams;
        returns ``(sel, teams)`` (docs/spec.md §10.4–10.6, §11.7).

        The batch's registries are those given here, else those given to :meth:`create`,
        :meth:`commit_batch` or :meth:`open`. The draw uses the batch's plan and the burden of
        the history before its commitment; the assignment the committed inputs, this year's
        earlier teams (rotation) and the officers' remaining yearly visits.
        Refuses (InputError) a seed that does not match the declared source, a seed revealed
        before the declared sources are known, registries other than the committed ones, and a
        second reveal of a batch. If an earlier reveal was cut short after its seed record (a
        crash), the same seed completes it.
        """
        st = self._state
        b = st.batches[-1]
        assert b.plan is not None
        t = self._reveal_time(seed, time)
        tg, ins = self._registries(targets, inspectors)
        burden = batch_burden(st, b.plan, tg, b.seq, batch_day(st, b))
        sel = batch_draw(b.plan, tg, seed, burden)
        teams = batch_assign(st, b, b.plan, sel, tg, ins, seed)
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
                + ("" if st.version == 1 else
                   f" per batch: commit batch {self.batch + 1} with commit_batch first")
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
        committed = self._state.batches[-1].body
        tg = targets if targets is not None else self._targets
        ins = inspectors if inspectors is not None else self._inspectors
        if tg is None or ins is None:
            raise InputError(
                "reveal needs the target and inspector registries: pass targets= and "
                "inspectors= (as committed), or Campaign.open(path, targets, inspectors)"
            )
        check_registry("target", tg, committed["targets"])
        check_registry("inspector", ins, committed["inspectors"])
        return tg, ins

    # -- the year: batches and directed checks (docs/spec.md §11.5–11.6) ----------------------
    def commit_batch(
        self,
        plan: Plan | Mapping[str, Any],
        targets: Targets,
        inspectors: Inspectors,
        *,
        randomness: Randomness | None,
        recusals: Iterable[Any] | None = None,
        history: Iterable[Any] = (),
        time: Any = None,
    ) -> int:
        """Commit the year's next batch; returns the ``batch`` record's seq (spec §11.5).

        The record holds the batch's plan (tasks for this batch; a plan dict without
        ``publication`` takes the year's), its registry snapshots' fingerprints and sizes, its
        declared randomness, its π summary (from the year rules and the history logged so far)
        and the assignment's inputs (``recusals``; ``history``: rotation history beyond what the
        log holds). Then :meth:`reveal` reveals it with its own seed.

        Refused (InputError, nothing written): on a format /1 log; before the latest batch's
        reveal; a plan carrying ``year``, or naming a department that is not the year's; a
        commitment made after its declared randomness is known; a time before the last record's.
        """
        st = self._state
        if st.version == 1:
            raise InputError(
                f"commit_batch: this log is format {B.FORMAT_1!r}, a single batch; start the "
                "year's log with Campaign.create of this library version"
            )
        last = st.batches[-1]
        if not last.revealed:
            raise InputError(
                f"commit_batch: batch {last.number} is not revealed yet (seed, selection, "
                f"assignment); reveal it before committing batch {last.number + 1}"
            )
        check_registries(targets, inspectors)
        decl = declaration(randomness)
        p = batch_plan(plan, st)
        t = self._time(time)
        before_known(t, decl, self._tz, f"batch {last.number + 1}'s commitment")
        body = batch_body(st, p, targets, inspectors, decl, history, recusals or (), t)
        seq = self._append("batch", body, t)
        self._targets, self._inspectors = targets, inspectors
        return seq

    def record_directed(
        self,
        target_id: str | int,
        *,
        reason: str,
        source: str,
        department: str | None,
        date: Any,
        time: Any = None,
    ) -> int:
        """Record a directed (non-random) check; returns the ``directed`` record's seq, which
        :meth:`record_result` takes as ``directed=`` (docs/spec.md §11.6).

        ``reason``: 投诉举报, 转办交办, 监测发现 or 其他 (or complaint, referral, monitoring,
        other; stored in Chinese); ``source``: its reference (a case number); ``department``:
        one of the year's departments (when the year lists them); ``date``: the day of the
        check, not after the record's day. The enterprise must be in the latest batch's target
        registry. A check beyond the year's cap is allowed (the law permits complaint-driven
        checks), written, and reported by :func:`verify` (warning ``cap``). Bad input is an
        InputError naming the culprit; nothing is written.
        """
        t = self._time(time)
        body = directed_body(self._state, self._targets, target_id, reason, source, department,
                             date, t)
        return self._append("directed", body, t)

    def year_summary(self, enterprises: Iterable[str] | None = None) -> YearSummary:
        """The year so far (:func:`shuangsuiji.notices.year_summary`): batches, random visits
        and directed checks, enterprises by times inspected (0 too when ``enterprises`` is
        given), and those at the cap. ``summary.text("zh")`` prints it."""
        st = self._state
        found = inspections_before(st, st.size)
        rules = None if st.plan is None else st.plan.year
        return year_summary(
            batches=len(st.batches),
            inspections=[{"id": i.id, "kind": i.kind} for i in found if i.kind != "prior"],
            enterprises=enterprises,
            cap=None if rules is None or rules.cap is None else rules.cap.per_year,
        )

    # -- results ------------------------------------------------------------------------------
    def _need_reveal(self, what: str, *, latest: bool = True) -> None:
        """Refuse ``what`` before the latest batch's reveal (``latest=False``: the first's)."""
        b = self._state.batches[-1 if latest else 0]
        if not b.revealed:
            raise InputError(f"cannot {what} before the seed is revealed; call reveal(seed)")

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
        batch: int | None = None,
        directed: int | None = None,
    ) -> int:
        """Record the result of inspecting one drawn target; returns the record's seq.

        ``outcome`` comes from the plan's outcome set (default 正常 / 未按规定公示 /
        通过登记的住所无法联系 / 发现问题已责令改正) and ``penalties`` (none, one or a list)
        from its penalty set. ``task`` may be left out when the target was drawn by one task.
        ``date`` is the day the inspection concluded (default: the record's day); the
        publication deadline counts from it. A target that was not drawn under the task, a
        second result for it (use :meth:`correct_result`), or any bad value is an InputError.
        In a year (docs/spec.md §11.6): ``batch`` defaults to the latest batch that drew the
        target under the task; ``directed=seq`` records the result of the directed check that
        :meth:`record_directed` returned (then no task or batch).
        """
        if directed is None:
            self._need_reveal("record results", latest=False)
        t = self._time(time)
        row = ResultRows(self._state, t).row(
            target_id, outcome, task, date, detail, penalties, "result", batch=batch,
            directed=directed,
        )
        return self._append("result", row, t)

    def record_results(self, rows: Iterable[Mapping[str, Any]], *, time: Any = None) -> int:
        """Record many results as one ``results`` record (columns); returns its seq.

        Each row is a mapping with ``id`` (or ``target_id``), ``outcome`` and optionally
        ``task``, ``date``, ``detail``, ``penalties`` (and in a year ``batch`` or ``directed``),
        checked as in :meth:`record_result`. All rows are checked before anything is written;
        an error names the row.
        """
        if not self._state.directed:
            self._need_reveal("record results", latest=False)
        t = self._time(time)
        out = ResultRows(self._state, t).batch(rows)
        if not out:
            raise InputError("record_results: no rows given")
        return self._append("results", B.results_body(out, self._state.version), t)

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
        if not self._state.directed:
            self._need_reveal("correct results", latest=False)
        if not isinstance(reason, str) or not reason.strip():
            raise InputError("correct_result: give the reason for the correction (reason=...)")
        old = current_result(self._state, seq, target_id, task)
        t = self._time(time)
        row = ResultRows(self._state, t).row(
            old["id"],
            old["outcome"] if outcome is None else outcome,
            old["task"],
            old["date"] if date is None else date,
            old["detail"] if detail is ... else detail,
            old["penalties"] if penalties is ... else penalties,
            "correction",
            allow_existing=True,
            batch=old.get("batch"),
            directed=old.get("directed"),
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
