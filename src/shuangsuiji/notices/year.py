"""The year summary (issue 9, docs/spec.md §11): how the year's inspections spread over the
enterprises, from plain data.

::

    s = year_summary(batches=4, inspections=[{"id": "9113...", "kind": "random"}, ...],
                     enterprises=all_ids, cap=2)
    s.times        # {0: 250, 1: 40, 2: 10}: enterprises inspected 0, 1, 2, ... times
    print(s.text("en"))

Random visits and directed checks are counted apart (a directed check is never part of a
random sample); ``times`` counts both, as the cap does. Like every notice it depends on nothing
but plain records, so a summary can be made without the engine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..errors import InputError
from .labels import LANGS, label

__all__ = ["YearSummary", "year_summary"]

KINDS = ("random", "directed")


@attrs.frozen
class YearSummary:
    """``batches``; ``random`` and ``directed`` inspections; ``times``: number of inspections →
    number of enterprises inspected that often (0 only when the enterprises were given);
    ``at_cap``: enterprises at or over ``cap`` (None without a cap)."""

    batches: int
    random: int
    directed: int
    times: Mapping[int, int]
    cap: int | None
    at_cap: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"batches": self.batches, "random": self.random, "directed": self.directed,
                "times": dict(self.times), "cap": self.cap, "at_cap": self.at_cap}

    def text(self, lang: str = "zh") -> str:
        """The summary as lines of text in ``lang`` (zh or en)."""
        if lang not in LANGS:
            raise InputError(f"lang {lang!r} is not one of {list(LANGS)}")
        lines = [
            label(lang, "year.title"),
            f"{label(lang, 'year.batches')}: {self.batches}",
            f"{label(lang, 'year.random')}: {self.random}",
            f"{label(lang, 'year.directed')}: {self.directed}",
            label(lang, "year.times"),
            *(f"  {label(lang, 'year.times.row', n=n)}: {c}" for n, c in self.times.items()),
        ]
        if self.cap is not None:
            lines.append(f"{label(lang, 'year.at_cap', cap=self.cap)}: {self.at_cap}")
        return "\n".join(lines)


def year_summary(
    *,
    batches: int,
    inspections: Iterable[Mapping[str, Any]],
    enterprises: Iterable[str] | None = None,
    cap: int | None = None,
) -> YearSummary:
    """Summarise a year from its inspections: mappings with ``id`` and ``kind`` (``random`` or
    ``directed``). ``enterprises`` (every enterprise's ID) adds those never inspected; ``cap``
    counts the enterprises at or over it. Bad input is an InputError naming the row."""
    if isinstance(batches, bool) or not isinstance(batches, int) or batches < 0:
        raise InputError(f"batches: expected a whole number >= 0, got {batches!r}")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
        raise InputError(f"cap: expected a whole number >= 1 or None, got {cap!r}")
    per: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for i, row in enumerate(inspections):
        if not isinstance(row, Mapping) or not isinstance(row.get("id"), str):
            raise InputError(f"inspections[{i}]: expected a mapping with an 'id' (text)")
        if row.get("kind") not in KINDS:
            raise InputError(f"inspections[{i}], key 'kind': {row.get('kind')!r} is not one of "
                             f"{list(KINDS)}")
        per[row["id"]] += 1
        kinds[row["kind"]] += 1
    times: Counter[int] = Counter(per.values())
    if enterprises is not None:
        times[0] = len(set(enterprises) - set(per))
    at_cap = None if cap is None else sum(1 for n in per.values() if n >= cap)
    return YearSummary(batches, kinds["random"], kinds["directed"],
                       dict(sorted(times.items())), cap, at_cap)
