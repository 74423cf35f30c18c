"""The examples are part of the documentation: they must run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_hebei_example_runs_and_replays(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "hebei_labs_2026.py"), str(tmp_path / "out")],
        capture_output=True, text=True, check=True, timeout=300,
    )
    assert "replay from the published files matches" in out.stdout
    for name in ("plan.json", "inclusion_probabilities.csv", "selection.json"):
        assert (tmp_path / "out" / name).stat().st_size > 0
