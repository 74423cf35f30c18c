"""The command line: ``shuangsuiji COMMAND`` (also ``python -m shuangsuiji``).

Stage: the outermost. It may import every other stage and nothing imports it.

- :mod:`.main`: the argument parser and :func:`main`;
- :mod:`.tables`: plain-text tables padded by display width;
- :mod:`.demo`, :mod:`.demo_teams`, :mod:`.demo_year`: ``shuangsuiji demo``;
- :mod:`.log_commands`: ``shuangsuiji verify`` and ``shuangsuiji repair``.
"""

from __future__ import annotations

from .main import build_parser, main

__all__ = ["build_parser", "main"]
