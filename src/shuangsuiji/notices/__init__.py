"""Public notices of 一公开: the plan, task and result notices, in zh or en, as HTML, CSV, JSON
or Markdown, with a redaction policy whose effect is recorded.

::

    from shuangsuiji import notices as nt

    n = nt.plan_notice(plan.to_dict(), pi.summary(),
                       registries={"targets": {"fingerprint": targets.fingerprint,
                                               "size": len(targets)}},
                       randomness={"kind": "sources", "description": [...],
                                   "known_after": "2026-01-09"},
                       commitment={"seq": 0, "root": "ab12..."},
                       issuer="河北省市场监督管理局", date="2026-01-05")
    n = nt.task_notice(sel.to_records(), targets=rows, columns=["name", "city", "field"],
                       visits=assignment.visits(), seed=seed.hex, plan_name=plan.name,
                       lang="en", fmt="csv", redaction=nt.RedactionPolicy(hide_inspector_names=True))
    n = nt.result_notice([{"id": "9113...", "task": "...", "outcome": "发现问题已责令改正",
                           "penalties": ["警告"], "date": "2026-04-01"}],
                         targets=rows, date="2026-04-20")
    n.content; n.redactions; n.write("out/"); n.to_dict()   # to_dict() is what a log records
    nt.render_all("out/", "task", sel.to_records(), targets=rows, visits=..., date=...)
    visits = nt.visits_from_assignment(assignment_records, inspector_rows, items=plan_dict)
    nt.year_summary(batches=4, inspections=[{"id": ..., "kind": "random"}, ...], cap=2)

Everything is a pure function of its arguments: the same inputs give the same bytes (the
publication ``date`` is an input, never the clock). Inputs are plain records, so notices depend
on no other part of the library; Plan, Selection, InclusionProbabilities and an Assignment with
``visits()`` are accepted where their records are. Bad input (an unknown ``lang`` or ``fmt``, an
outcome outside the set, a missing key) raises :class:`~shuangsuiji.errors.InputError` naming
the record and key. The formats, column keys and redaction rules are described in
docs/guide-notices.md.
"""

from __future__ import annotations

from .labels import LANGS
from .notice import FORMATS, Notice, plan_notice, render_all, result_notice, task_notice
from .redaction import Redaction, RedactionPolicy, mask_name
from .visits import visits_from_assignment
from .year import YearSummary, year_summary

__all__ = [
    "FORMATS",
    "LANGS",
    "Notice",
    "Redaction",
    "RedactionPolicy",
    "YearSummary",
    "mask_name",
    "plan_notice",
    "render_all",
    "result_notice",
    "task_notice",
    "visits_from_assignment",
    "year_summary",
]
