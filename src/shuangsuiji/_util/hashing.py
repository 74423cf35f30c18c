"""Domain-separated SHA-256 (FIPS 180-4) used for every seed-derived value that is not a PRN.

``tagged_sha256(tag, *fields)`` hashes ``tag`` and each field with an 8-byte big-endian length
prefix, so no two different field lists can produce the same byte stream (see docs/spec.md §1).
"""

from __future__ import annotations

import hashlib

__all__ = ["tagged_sha256"]


def _frame(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def tagged_sha256(tag: str, *fields: bytes | str) -> bytes:
    """SHA-256 over ``frame(tag) || frame(field_1) || ...``; str fields are UTF-8 encoded."""
    h = hashlib.sha256(_frame(tag.encode("utf-8")))
    for f in fields:
        h.update(_frame(f.encode("utf-8") if isinstance(f, str) else f))
    return h.digest()

