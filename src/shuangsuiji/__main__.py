"""``python -m shuangsuiji``: the command line of :mod:`shuangsuiji.cli`."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
