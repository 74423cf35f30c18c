"""JSON: the whole notice as data, with numbers as numbers and keys in sorted order.

Layout (``"schema": "shuangsuiji.notice/1"``): ``kind``, ``lang``, ``title``, ``subtitle``,
``facts`` (a list of ``{key, label, value}``), ``tables`` (a list of ``{key, title, columns:
[{key, label}], rows: [{column key: value}]}``), ``notes`` and ``redactions``. Objects have their
keys sorted and non-ASCII text is written as is (UTF-8, no BOM), without optional white space
(``json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)``) and with a
final newline, so equal inputs give equal bytes. (Indented output would use Python's pure-Python
encoder, about ten times slower on a national task notice.) Floats are written by Python's shortest
round-trip repr; a cell that is not given is ``null``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .document import Document
from .redaction import Redaction

__all__ = ["SCHEMA", "render_json"]

SCHEMA = "shuangsuiji.notice/1"


def render_json(doc: Document, redactions: Sequence[Redaction] = ()) -> bytes:
    obj: dict[str, Any] = {
        "schema": SCHEMA,
        "kind": doc.kind,
        "lang": doc.lang,
        "title": doc.title,
        "subtitle": doc.subtitle,
        "facts": [{"key": f.key, "label": f.label, "value": f.value} for f in doc.facts],
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "columns": [{"key": c.key, "label": c.label} for c in t.columns],
                "rows": [
                    {c.key: (list(v) if isinstance(v, tuple) else v) for c, v in zip(t.columns, r)}
                    for r in t.rows
                ],
            }
            for t in doc.tables
        ],
        "notes": list(doc.notes),
        "redactions": [r.to_dict() for r in redactions],
    }
    text = json.dumps(
        obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    return (text + "\n").encode("utf-8")
