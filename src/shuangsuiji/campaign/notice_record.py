"""The ``notice`` record's body (docs/spec.md §10.7): what :meth:`~.campaign.Campaign.publish_notice`
writes about a published notice (its digest and what was redacted, not its content)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InputError

__all__ = ["NOTICE_KINDS", "notice_body"]

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

