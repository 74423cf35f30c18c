"""SHA-256 digests written as text: 64 lower-case hex digits (the log's ``prev``, a checkpoint's
``root`` and ``head``, a beacon's chain hash)."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["is_sha256_hex"]

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def is_sha256_hex(value: Any) -> bool:
    """Whether ``value`` is text of exactly 64 lower-case hex digits."""
    return isinstance(value, str) and _SHA256_HEX.fullmatch(value) is not None
