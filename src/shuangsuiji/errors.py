"""The library's exceptions: bad input versus an unsatisfiable plan."""

from __future__ import annotations

__all__ = ["InfeasibleError", "InputError"]


class InputError(ValueError):
    """Bad input: the message names the row, column, key or value at fault and how to fix it."""


class InfeasibleError(InputError):
    """A plan or staffing that no valid draw can satisfy; the message names task, target and constraint.

    A subclass of :class:`InputError`: asking for more than a stratum holds is both bad input
    and unsatisfiable, and code catching either will see it.
    """
