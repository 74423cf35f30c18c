"""The rendered notice (a frozen value) and the three functions that make one.

Each function builds the notice's content from plain data (:mod:`.content`), applies the
redaction policy (:mod:`.redaction`) and renders one format. The result is a :class:`Notice`
whose bytes depend on the inputs alone: no clock (the publication date is an input), no
environment, no dict or set order that the caller did not give.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..errors import InputError
from .content import plan_document, result_document, task_document
from .document import Document
from .inputs import check_lang
from .labels import column_label, label
from .redaction import Redaction, RedactionPolicy, redact
from .render_csv import render_csv
from .render_html import render_html
from .render_json import render_json
from .render_markdown import render_markdown

__all__ = ["FORMATS", "Notice", "plan_notice", "render_all", "result_notice", "task_notice"]

FORMATS = ("html", "csv", "json", "md")
_MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
}
_BUILDERS: Mapping[str, Callable[..., Document]] = {
    "plan": plan_document,
    "task": task_document,
    "result": result_document,
}


@attrs.frozen
class Notice:
    """One notice in one language and format: the bytes to publish and what was withheld.

    ``content`` is UTF-8 (CSV with a byte-order mark). ``redactions`` lists, per table and
    column, what the redaction policy masked or removed; ``to_dict()`` is what a campaign log
    records about a publication.
    """

    kind: str  # "plan" | "task" | "result"
    lang: str  # "zh" | "en"
    format: str  # "html" | "csv" | "json" | "md"
    content: bytes = attrs.field(repr=False)
    redactions: tuple[Redaction, ...] = ()

    @property
    def filename(self) -> str:
        """``<kind>-notice.<lang>.<format>``, e.g. ``task-notice.zh.html``."""
        return f"{self.kind}-notice.{self.lang}.{self.format}"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self.format]

    @property
    def text(self) -> str:
        """The content as text (without the CSV byte-order mark)."""
        return self.content.decode("utf-8-sig")

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of ``content``."""
        return hashlib.sha256(self.content).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        """Plain data describing the publication: kind, lang, format, file name, size, hash and
        redactions (no content)."""
        return {
            "kind": self.kind,
            "lang": self.lang,
            "format": self.format,
            "filename": self.filename,
            "bytes": len(self.content),
            "sha256": self.sha256,
            "redactions": [r.to_dict() for r in self.redactions],
        }

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the content to ``path`` (a file, or a folder to hold :attr:`filename`).

        The file is replaced atomically, so a reader never sees half a notice. Returns the path
        written.
        """
        target = Path(path)
        if target.is_dir():
            target = target / self.filename
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(self.content)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target


def _check_format(fmt: object) -> str:
    if fmt not in FORMATS:
        raise InputError(f"format {fmt!r} is not supported; use one of {list(FORMATS)}")
    return str(fmt)


def _with_redaction_notes(doc: Document, done: Sequence[Redaction]) -> Document:
    if not done:
        return doc
    titles = {t.key: t.title for t in doc.tables}
    # Label the column as the notice did before redaction (a removed column has no label left).
    labels = {(t.key, c.key): c.label for t in doc.tables for c in t.columns}
    items = [
        label(
            doc.lang,
            "redacted.item",
            table=titles.get(r.table, r.table),
            column=labels.get((r.table, r.column), column_label(doc.lang, r.column)),
            count=r.count,
            rule=label(doc.lang, f"rule.{r.rule}"),
        )
        for r in done
    ]
    note = label(doc.lang, "redacted") + label(doc.lang, "label_sep")
    note += label(doc.lang, "part_sep").join(items)
    return attrs.evolve(doc, notes=(*doc.notes, note))


def _render(doc: Document, done: tuple[Redaction, ...], fmt: str) -> bytes:
    if fmt == "json":
        return render_json(doc, done)
    if fmt == "csv":
        return render_csv(doc)
    if fmt == "md":
        return render_markdown(doc)
    return render_html(doc)


def _notices(
    kind: str,
    args: Sequence[Any],
    inputs: Mapping[str, Any],
    langs: Sequence[str],
    formats: Sequence[str],
    redaction: RedactionPolicy | None,
) -> list[Notice]:
    for f in formats:
        _check_format(f)
    out = []
    for lang in langs:
        doc = _BUILDERS[kind](*args, lang=check_lang(lang), **inputs)
        doc, done = redact(doc, redaction)
        doc = _with_redaction_notes(doc, done)
        out += [Notice(kind, lang, f, _render(doc, done, f), done) for f in formats]
    return out


def _one(kind: str, given: Mapping[str, Any], positional: Sequence[str]) -> Notice:
    """One notice from a public function's arguments (its ``locals()``): ``positional`` go to
    the document builder in order, ``lang``, ``fmt`` and ``redaction`` are the notice's own, and
    every other argument goes to the builder by name. So each keyword is written once, in the
    public signature (a test checks that it matches the builder's)."""
    own = (*positional, "lang", "fmt", "redaction")
    inputs = {k: v for k, v in given.items() if k not in own}
    args = tuple(given[k] for k in positional)
    return _notices(kind, args, inputs, (given["lang"],), (given["fmt"],), given["redaction"])[0]


def plan_notice(
    plan: Any,
    summary: Any,
    *,
    registries: Mapping[str, Mapping[str, Any]] | None = None,
    randomness: Mapping[str, Any] | None = None,
    commitment: Mapping[str, Any] | None = None,
    issuer: str | None = None,
    date: Any = None,
    title: str | None = None,
    lang: str = "zh",
    fmt: str = "html",
    redaction: RedactionPolicy | None = None,
) -> Notice:
    """The plan notice (抽查计划公告), published before the seed exists.

    - ``plan``: the plan dict (``Plan.to_dict()``; a Plan is accepted). Its tasks are listed
      with their kind, scope, strata, size rule, and, when any task has them, risk targeting,
      cool-off, team rules and items to be checked.
    - ``summary``: per-stratum records (``InclusionProbabilities.summary()``; the object is
      accepted): task, stratum, population, expected (Σπ), pi_min, pi_max, and optionally
      design, size (possible sample sizes) and drawn.
    - ``registries``: ``{"targets": {"fingerprint": hex, "size": n}, "inspectors": {...}}``.
    - ``randomness``: the declared source, ``{"kind": "sources", "description": text or list,
      "known_after": "YYYY-MM-DD"}`` or ``{"kind": "beacon", "chain": hex, "round": n,
      "name": "drand"}``.
    - ``commitment``: ``{"seq": n, "root": hex}`` of the commitment record, when known.
    """
    return _one("plan", locals(), ("plan", "summary"))


def task_notice(
    selection: Any,
    *,
    targets: Any = None,
    columns: Sequence[str] | None = None,
    column_labels: Mapping[str, str] | None = None,
    visits: Any = None,
    plan_name: str | None = None,
    seed: Any = None,
    issuer: str | None = None,
    date: Any = None,
    title: str | None = None,
    lang: str = "zh",
    fmt: str = "html",
    redaction: RedactionPolicy | None = None,
) -> Notice:
    """The task notice (抽查任务公告): the drawn targets and the 双清单 of each visit.

    - ``selection``: records with task, id, inclusion_probability, and optionally stratum and
      prn (``Selection.to_records()``; the object is accepted).
    - ``targets``: registry rows, as ``{id: row}`` or records with an ``id`` key, for the
      display ``columns`` (default ``["name"]`` when targets are given). Only drawn IDs are
      looked up; for a large registry pass ``targets.select(selection.rows).to_records()``.
      ``column_labels`` names columns that have no built-in label.
    - ``visits``: the 双清单, one record per visit (``Assignment.visits()``; the object is
      accepted): ``{"visit", "target", "tasks", "items", "team": [{"inspector", "name",
      "unit", "certificate", "role"}]}``. ``target`` may be spelled ``id``; ``tasks`` defaults
      to the tasks that drew the target; ``items`` may be omitted; ``role`` is ``officer``
      (default; certificate required) or ``expert`` (certificate optional). ``inspector`` is
      read by nobody: a public notice shows unit, name and certificate.
    - ``seed``: the revealed seed: its hex, ``{"hex", "key_string"}`` or a Seed.
    """
    return _one("task", locals(), ("selection",))


def result_notice(
    results: Any,
    *,
    targets: Any = None,
    outcomes: Mapping[str, str] | Sequence[str] | None = None,
    penalties: Mapping[str, str] | Sequence[str] | None = None,
    plan_name: str | None = None,
    issuer: str | None = None,
    date: Any = None,
    title: str | None = None,
    lang: str = "zh",
    fmt: str = "html",
    redaction: RedactionPolicy | None = None,
) -> Notice:
    """The result notice (抽查结果公告): a summary by outcome, then one row per result.

    - ``results``: records ``{"id", "outcome", "task", "date", "penalties", "detail",
      "name"}`` (the campaign's result rows); ``id`` (or ``target``/``target_id``) and
      ``outcome`` are required, ``penalties`` is a name or a list of names. The target's name
      comes from the record, else from ``targets``.
    - ``outcomes``, ``penalties``: the plan's sets (``plan["publication"]["outcomes"]``...), as
      a list of values or ``{value: English label}``; default
      :data:`shuangsuiji.plan.publication_rules.DEFAULT_OUTCOMES` / ``DEFAULT_PENALTIES``, with their
      English labels. A value outside its set is an InputError.
    """
    return _one("result", locals(), ("results",))


def render_all(
    folder: str | os.PathLike[str],
    kind: str,
    *args: Any,
    langs: Sequence[str] = ("zh", "en"),
    formats: Sequence[str] = FORMATS,
    redaction: RedactionPolicy | None = None,
    **inputs: Any,
) -> list[Notice]:
    """Render one notice in every language and format and write them to ``folder``.

    ``kind`` is ``"plan"``, ``"task"`` or ``"result"``; ``args`` and ``inputs`` are the
    arguments of :func:`plan_notice`, :func:`task_notice` or :func:`result_notice` (without
    ``lang`` and ``fmt``). Files are named by :attr:`Notice.filename`; the folder is created if
    missing. Everything is rendered before anything is written, so bad input writes nothing.
    """
    if kind not in _BUILDERS:
        raise InputError(f"kind {kind!r} is unknown; use one of {list(_BUILDERS)}")
    if isinstance(langs, str) or isinstance(formats, str):
        raise InputError("langs and formats: expected lists, e.g. langs=['zh'], formats=['html']")
    for bad in ("lang", "fmt"):
        if bad in inputs:
            raise InputError(f"render_all: {bad!r} is not an argument; use {bad}s=[...]")
    notices = _notices(kind, args, inputs, langs, formats, redaction)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for n in notices:
        n.write(out / n.filename)
    return notices
