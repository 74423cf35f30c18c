"""docs/spec.md as the tests read it: its text, and its Markdown tables as rows of cells."""

from __future__ import annotations

from pathlib import Path

SPEC = (Path(__file__).resolve().parents[1] / "docs" / "spec.md").read_text(encoding="utf-8")


def markdown_table(text: str, first_col: str) -> list[list[str]]:
    """The body rows of the first Markdown table in ``text`` whose header starts with
    ``| first_col |``, each as its stripped cells."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"| {first_col} |"))
    rows = []
    for ln in lines[start + 2 :]:
        if not ln.startswith("|"):
            break
        rows.append([c.strip() for c in ln.strip().strip("|").split("|")])
    return rows
