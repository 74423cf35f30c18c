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
chain, Merkle tree, lock, fsync) is :mod:`shuangsuiji.log`.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, final

from .._util.version import __version__
from ..errors import InputError, LogError
from ..log.logfile import Log
from ..plan.plan import Plan, as_plan
from ..randomness.declared import Randomness, before, day_of, parse_moment
from ..randomness.seed import Seed
from ..registry.inspectors import Inspectors
from ..registry.targets import Targets
from ..sampling.engine import ALGORITHM, draw, stratum_summaries
from ..sampling.selection import Selection
from ..teams.assignment import ALGORITHM as ASSIGN_ALGORITHM
from . import record_bodies as B
from .assign_step import assignment_body, assignment_inputs, assignment_records, run_assign

__all__ = ["Campaign", "CampaignState", "read_state"]

RESULT_KEYS = ("task", "id", "outcome", "date", "penalties", "detail")


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


# -- the state a log describes ---------------------------------------------------------------------
class CampaignState:
    """What the records of a campaign log say, read in order (no registry needed).

    ``problems`` collects what is out of order or malformed, as ``(seq, sentence)``; a log that
    :class:`Campaign` wrote has none. :func:`~shuangsuiji.verify` reports them, ``Campaign.open``
    refuses a log that has any.
    """

    def __init__(self) -> None:
        self.commitment: dict[str, Any] | None = None
        self.plan: Plan | None = None
        self.randomness: Randomness | None = None
        self.seed: Seed | None = None
        self.seed_seq: int | None = None
        self.selection: dict[str, Any] | None = None
        self.selection_seq: int | None = None
        self.assignment: dict[str, Any] | None = None
        self.assignment_seq: int | None = None
        self.drawn: dict[tuple[str, str], int] = {}
        self.drawn_by_id: dict[str, list[str]] = {}  # target ID -> the tasks that drew it
        # (task, id) -> (seq of the record now holding the result, the result's fields)
        self.results: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
        self.result_seqs: dict[int, list[tuple[str, str]]] = {}
        # (task, id) -> seq of the record that first published its result (for the deadline)
        self.first_results: dict[tuple[str, str], int] = {}
        self.notices: dict[int, dict[str, Any]] = {}
        self.corrections: list[int] = []
        self.times: dict[int, str | None] = {}
        self.problems: list[tuple[int | None, str]] = []
        self.size = 0

    def _bad(self, seq: int, message: str) -> None:
        self.problems.append((seq, message))

    def add(self, seq: int, type_: str, body: Any, time: str | None) -> None:
        """Take one record; each ``_on_<type>`` handler reads its body."""
        self.size = seq + 1
        self.times[seq] = time
        handler = getattr(self, f"_on_{type_}", None)
        if handler is None:
            self._bad(seq, f"record type {type_!r} is not a campaign record type")
            return
        if not isinstance(body, dict):
            self._bad(seq, f"the {type_} record's body is not a JSON object")
            return
        if type_ != "commitment" and self.commitment is None:
            self._bad(seq, f"a {type_} record comes before the commitment")
            return
        try:
            handler(seq, body)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            self._bad(seq, f"the {type_} record's body is malformed: {exc!r}")

    def _on_commitment(self, seq: int, body: dict[str, Any]) -> None:
        if self.commitment is not None or seq != 0:
            self._bad(seq, "a second commitment; the commitment must be record 0")
            return
        if body.get("format") != B.FORMAT:
            self._bad(seq, f"the commitment's format is {body.get('format')!r}, not {B.FORMAT!r}")
        self.commitment = body
        try:
            self.plan = Plan.from_dict(body["plan"])
            self.randomness = Randomness.from_dict(body["randomness"])
        except InputError as exc:
            self._bad(seq, f"the committed plan or randomness is not valid: {exc}")

    def _on_seed(self, seq: int, body: dict[str, Any]) -> None:
        if self.seed_seq is not None:
            self._bad(seq, f"a second seed record; the seed was revealed at seq {self.seed_seq}")
            return
        self.seed_seq = seq
        try:
            self.seed = Seed.from_provenance(body["seed"])
        except InputError as exc:
            self._bad(seq, f"the seed record does not give a seed: {exc}")

    def _on_selection(self, seq: int, body: dict[str, Any]) -> None:
        if self.seed_seq is None or self.selection_seq is not None or seq != self.seed_seq + 1:
            self._bad(seq, "the selection must come once, right after the seed")
            if self.selection_seq is not None:
                return
        self.selection_seq = seq
        self.selection = body
        self.drawn = B.drawn_pairs(body)
        for task, tid in self.drawn:
            self.drawn_by_id.setdefault(tid, []).append(task)

    def _on_assignment(self, seq: int, body: dict[str, Any]) -> None:
        if self.selection_seq is None or self.assignment_seq is not None or (
            seq != self.selection_seq + 1
        ):
            self._bad(seq, "the assignment must come once, right after the selection")
            if self.assignment_seq is not None:
                return
        self.assignment_seq = seq
        self.assignment = body

    def _after_reveal(self, seq: int, what: str) -> bool:
        if self.assignment_seq is None:
            self._bad(seq, f"a {what} before the selection and assignment")
            return False
        return True

    def _take(self, seq: int, row: dict[str, Any], *, correcting: bool = False) -> None:
        key = (row["task"], row["id"])
        if key not in self.drawn:
            self._bad(
                seq,
                f"a result for target {row['id']!r} under task {row['task']!r}, which was not "
                "drawn",
            )
            return
        if not correcting and key in self.results:
            self._bad(
                seq,
                f"a second result for target {row['id']!r} under task {row['task']!r} (first "
                f"at seq {self.results[key][0]}); use a correction",
            )
            return
        self.results[key] = (seq, row)
        self.result_seqs.setdefault(seq, []).append(key)
        self.first_results.setdefault(key, seq)

    def _on_result(self, seq: int, body: dict[str, Any]) -> None:
        if self._after_reveal(seq, "result"):
            self._take(seq, {k: body.get(k) for k in RESULT_KEYS})

    def _on_results(self, seq: int, body: dict[str, Any]) -> None:
        if self._after_reveal(seq, "results record"):
            cols = body["rows"]
            n = body["count"]
            if any(len(cols[k]) != n for k in RESULT_KEYS):
                raise ValueError(f"every column must have {n} entries")
            for i in range(n):
                self._take(seq, {k: cols[k][i] for k in RESULT_KEYS})

    def _on_notice(self, seq: int, body: dict[str, Any]) -> None:
        kind = body.get("kind")
        if kind in ("task", "result") and not self._after_reveal(seq, f"{kind} notice"):
            return
        if kind == "result" and not self.results:
            self._bad(seq, "a result notice before any result")
        self.notices[seq] = body

    def _on_correction(self, seq: int, body: dict[str, Any]) -> None:
        target = body["corrects"]
        self.corrections.append(seq)
        if not isinstance(target, int) or isinstance(target, bool) or not 0 <= target < seq:
            self._bad(seq, f"the correction names seq {target!r}, not an earlier record")
            return
        if "result" in body:
            row = {k: body["result"].get(k) for k in RESULT_KEYS}
            key = (row["task"], row["id"])
            current = self.results.get(key)
            if current is None or current[0] != target:
                where = "no result" if current is None else f"its current record is seq {current[0]}"
                self._bad(
                    seq,
                    f"the correction of seq {target} for target {row['id']!r} under task "
                    f"{row['task']!r} does not correct its current result ({where})",
                )
                return
            self._take(seq, row, correcting=True)
        elif "notice" in body:
            if not isinstance(body["notice"], dict):
                raise TypeError("the corrected notice is not a JSON object")
            if target not in self.notices:
                self._bad(seq, f"the correction names seq {target}, not a notice")
                return
            self.notices[seq] = body["notice"]
        else:
            raise ValueError("a correction holds 'result' or 'notice'")


def read_state(records: Iterable[Any]) -> CampaignState:
    """Fold log records (with ``seq``, ``type``, ``body``, ``time``) into a CampaignState.

    Each record's ``body`` is read once (a log Record parses its line on each access)."""
    state = CampaignState()
    for r in records:
        state.add(r.seq, r.type, r.body, r.time)
    return state


# -- the campaign ----------------------------------------------------------------------------------
def _check_registry(kind: str, reg: Any, committed: Mapping[str, Any]) -> None:
    if reg.fingerprint != committed["fingerprint"] or len(reg) != committed["size"]:
        raise InputError(
            f"the {kind} registry ({len(reg)} rows, fingerprint {reg.fingerprint[:16]}…) is not "
            f"the committed one ({committed['size']} rows, fingerprint "
            f"{committed['fingerprint'][:16]}…); supply the registry as it was committed"
        )


def registry_entry(reg: Targets | Inspectors) -> dict[str, Any]:
    return {"fingerprint": reg.fingerprint, "size": len(reg), "id_column": reg.id_column}


def algorithms() -> dict[str, str]:
    """The algorithm versions this library implements, as recorded in a commitment."""
    return {"draw": ALGORITHM, "assign": ASSIGN_ALGORITHM}


def library() -> dict[str, str]:
    return {"name": "shuangsuiji", "version": __version__}


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
        strata = stratum_summaries(p, targets)  # validates the plan against the data
        body = {
            "format": B.FORMAT,
            "library": library(),
            "algorithms": algorithms(),
            "plan": p.to_dict(),
            "targets": registry_entry(targets),
            "inspectors": registry_entry(inspectors),
            "randomness": decl.to_dict(),
            "inclusion_probabilities": B.strata_body(strata, drawn=False),
            "assignment_inputs": assignment_inputs(history, recusals),
        }
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
                _check_registry("target", targets, state.commitment["targets"])
            if inspectors is not None:
                _check_registry("inspector", inspectors, state.commitment["inspectors"])
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
        tg = targets if targets is not None else self._targets
        ins = inspectors if inspectors is not None else self._inspectors
        if tg is None or ins is None:
            raise InputError(
                "reveal needs the target and inspector registries: pass targets= and "
                "inspectors= (as committed), or Campaign.open(path, targets, inspectors)"
            )
        _check_registry("target", tg, commitment["targets"])
        _check_registry("inspector", ins, commitment["inspectors"])
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

    def _result_row(
        self,
        target_id: Any,
        outcome: Any,
        task: Any,
        date: Any,
        detail: Any,
        penalties: Any,
        t: _dt.datetime,
        where: str,
        reveal_day: _dt.date | None,
        *,
        allow_existing: bool = False,
    ) -> dict[str, Any]:
        st = self._state
        pub = self.plan.publication
        if isinstance(target_id, bool) or not isinstance(target_id, (str, int)):
            raise InputError(f"{where}: target ID {target_id!r} is not text or a whole number")
        tid = str(target_id)
        tasks = st.drawn_by_id.get(tid, [])
        if task is None:
            if len(tasks) != 1:
                raise InputError(
                    f"{where}: target {tid!r} was not drawn by any task" if not tasks else
                    f"{where}: target {tid!r} was drawn by tasks {tasks}; say which with task="
                )
            task = tasks[0]
        if (task, tid) not in st.drawn:
            drawn_by = f"it was drawn by {tasks}" if tasks else "it was not drawn by any task"
            raise InputError(
                f"{where}: target {tid!r} was not drawn under task {task!r} ({drawn_by}); "
                "results are recorded only for drawn targets"
            )
        if not allow_existing and (task, tid) in st.results:
            seq = st.results[(task, tid)][0]
            raise InputError(
                f"{where}: target {tid!r} under task {task!r} already has a result (seq {seq}); "
                "records are never edited: use correct_result(seq, ...)"
            )
        day = day_of(t, self._tz) if date is None else _dt.date.fromisoformat(
            B.iso_date(date, f"{where}, date")
        )
        if day > day_of(t, self._tz):
            raise InputError(
                f"{where}: date {day.isoformat()} is after the record's time {t.isoformat()}; "
                "a result is recorded once the inspection has concluded"
            )
        revealed = reveal_day
        if revealed is not None and day < revealed:
            raise InputError(
                f"{where}: date {day.isoformat()} is before the draw was revealed "
                f"({revealed.isoformat()}); check the date"
            )
        if detail is not None and not isinstance(detail, str):
            raise InputError(f"{where}: detail must be text, got {detail!r}")
        return {
            "task": task,
            "id": tid,
            "outcome": pub.check_outcome(outcome, where),
            "date": day.isoformat(),
            "penalties": list(pub.check_penalties(penalties, where)),
            "detail": detail,
        }

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
        t = moment(time, tz=self._tz)
        self._not_before_last(t)
        row = self._result_row(
            target_id, outcome, task, date, detail, penalties, t, "result", self._reveal_day()
        )
        rec = self._log.append("result", row, time=t)
        self._state.add(rec.seq, "result", row, rec.time)
        return int(rec.seq)

    def record_results(self, rows: Iterable[Mapping[str, Any]], *, time: Any = None) -> int:
        """Record many results as one ``results`` record (columns); returns its seq.

        Each row is a mapping with ``id`` (or ``target_id``), ``outcome`` and optionally
        ``task``, ``date``, ``detail`` and ``penalties``, checked as in :meth:`record_result`.
        All rows are checked before anything is written; an error names the row.
        """
        self._need_reveal("record results")
        t = moment(time, tz=self._tz)
        self._not_before_last(t)
        out: list[dict[str, Any]] = []
        seen: dict[tuple[str, str], int] = {}
        allowed = {"id", "target_id", "outcome", "task", "date", "detail", "penalties"}
        reveal_day = self._reveal_day()
        for i, r in enumerate(rows):
            where = f"results row {i}"
            if not isinstance(r, Mapping):
                raise InputError(f"{where}: expected a mapping, got {type(r).__name__}")
            unknown = sorted(set(r) - allowed)
            if unknown:
                raise InputError(f"{where}: unknown key {unknown[0]!r}; keys are {sorted(allowed)}")
            tid = r.get("id", r.get("target_id"))
            if tid is None or "outcome" not in r:
                raise InputError(f"{where}: every row needs 'id' and 'outcome'")
            row = self._result_row(
                tid, r["outcome"], r.get("task"), r.get("date"), r.get("detail"),
                r.get("penalties"), t, where, reveal_day,
            )
            key = (row["task"], row["id"])
            if key in seen:
                raise InputError(
                    f"{where}: target {row['id']!r} under task {row['task']!r} is also in row "
                    f"{seen[key]}"
                )
            seen[key] = i
            out.append(row)
        if not out:
            raise InputError("record_results: no rows given")
        body = {"count": len(out), "rows": {k: [r[k] for r in out] for k in RESULT_KEYS}}
        rec = self._log.append("results", body, time=t)
        self._state.add(rec.seq, "results", body, rec.time)
        return int(rec.seq)

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
        st = self._state
        if not isinstance(reason, str) or not reason.strip():
            raise InputError("correct_result: give the reason for the correction (reason=...)")
        keys = [k for k in st.result_seqs.get(seq, []) if k[1] == str(target_id)]
        if task is not None:
            keys = [k for k in keys if k[0] == task]
        if len(keys) != 1:
            raise InputError(
                f"correct_result: record {seq} holds no result for target {target_id!r}"
                + (f" under task {task!r}" if task is not None else "")
                if not keys else
                f"correct_result: record {seq} holds results for target {target_id!r} under "
                f"tasks {[k[0] for k in keys]}; say which with task="
            )
        current_seq, old = st.results[keys[0]]
        if current_seq != seq:
            raise InputError(
                f"correct_result: the result of target {target_id!r} in record {seq} was already "
                f"corrected by record {current_seq}; correct that one"
            )
        t = moment(time, tz=self._tz)
        self._not_before_last(t)
        row = self._result_row(
            old["id"],
            old["outcome"] if outcome is None else outcome,
            old["task"],
            old["date"] if date is None else date,
            old["detail"] if detail is ... else detail,
            old["penalties"] if penalties is ... else penalties,
            t,
            "correction",
            self._reveal_day(),
            allow_existing=True,
        )
        body = {"corrects": seq, "reason": reason, "result": row}
        rec = self._log.append("correction", body, time=t)
        st.add(rec.seq, "correction", body, rec.time)
        return int(rec.seq)

    # -- notices ------------------------------------------------------------------------------
    def publish_notice(self, notice: Any, *, where: str | None = None, time: Any = None) -> int:
        """Record that a rendered notice was published; returns the seq.

        ``notice`` is a :class:`shuangsuiji.notices.Notice` (or its ``to_dict()``): the record
        holds its kind (plan, task or result), language, format, size, SHA-256 and what was
        redacted, not the content, which is published where the notice is (``where``: e.g. a
        URL). Anyone holding the published file can check it against the digest.
        """
        body = notice_body(notice, where)
        st = self._state
        if body["kind"] in ("task", "result"):
            self._need_reveal(f"publish a {body['kind']} notice")
        if body["kind"] == "result" and not st.results:
            raise InputError("a result notice needs at least one recorded result")
        t = moment(time, tz=self._tz)
        self._not_before_last(t)
        rec = self._log.append("notice", body, time=t)
        st.add(rec.seq, "notice", body, rec.time)
        return int(rec.seq)

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
        t = moment(time, tz=self._tz)
        self._not_before_last(t)
        full = {"corrects": seq, "reason": reason, "notice": body}
        rec = self._log.append("correction", full, time=t)
        st.add(rec.seq, "correction", full, rec.time)
        return int(rec.seq)


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

