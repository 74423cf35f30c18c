"""docs/guide-year.md runs: its python code blocks, in order, in a fresh folder."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

GUIDE = Path(__file__).parent.parent / "docs" / "guide-year.md"


def test_guide_year_code_runs(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 4
    namespace: dict[str, object] = {}
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            for block in blocks:
                exec(compile(block, str(GUIDE), "exec"), namespace)  # noqa: S102 (our own guide)
    finally:
        os.chdir(cwd)
    text = out.getvalue()
    assert "batch 2: π summary, selection, assignment" in text
    assert "'directed': 1" in text
