"""Helpers for the tests that pin the generated demo data (test_datasets, test_demo_pool).

The data is pinned by the SHA-256 of its JSON (sorted keys, no white space); the same digests
must come out under another ``PYTHONHASHSEED``, and the generators may not use randomness whose
stream can change (numpy Generator methods, ``random``, ``hash()``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import shuangsuiji

SRC = Path(shuangsuiji.__file__).resolve().parent

# numpy Generator streams may change between releases; hash() changes with PYTHONHASHSEED.
_UNSTABLE = re.compile(
    r"default_rng|np\.random\.|random\.(choice|shuffle|sample|random|randint)\(|\bhash\("
)


def digest(records: Any) -> str:
    """Hex SHA-256 of the JSON of ``records`` (sorted keys, no white space, UTF-8)."""
    text = json.dumps(records, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digests_under_hash_seed(calls: str, hash_seed: str) -> list[str]:
    """:func:`digest` of each value of ``calls`` (expressions over ``shuangsuiji.datasets`` as
    ``d``, comma-separated), computed in a fresh interpreter with ``PYTHONHASHSEED=hash_seed``."""
    code = (
        "import hashlib, json; from shuangsuiji import datasets as d; "
        "f = lambda x: hashlib.sha256(json.dumps(x, ensure_ascii=False, sort_keys=True, "
        "separators=(',', ':')).encode()).hexdigest(); "
        f"print(*[f(x) for x in ({calls},)])"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(SRC.parent)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def unstable_randomness(module: str) -> str | None:
    """The first use of unstable randomness in ``shuangsuiji/<module>``, or None."""
    found = _UNSTABLE.search((SRC / module).read_text(encoding="utf-8"))
    return found.group(0) if found else None
