"""The library's exceptions: bad input versus an unsatisfiable plan."""

from __future__ import annotations

__all__ = ["InfeasibleError", "InputError", "LogError"]


class InputError(ValueError):
    """Bad input: the message names the row, column, key or value at fault and how to fix it."""


class InfeasibleError(InputError):
    """A plan or staffing that no valid draw can satisfy; the message names task, target and constraint.

    A subclass of :class:`InputError`: asking for more than a stratum holds is both bad input
    and unsatisfiable, and code catching either will see it.
    """


class LogError(InputError):
    """A campaign log that cannot be used as asked: torn, locked by another writer, failing its
    chain check, or not a log. The message names the file, the byte offset or seq, and what to do
    (e.g. ``shuangsuiji.log.repair`` for a torn last line).

    A subclass of :class:`InputError`: the log file is the caller's input, and code catching
    InputError sees every refusal the library makes.
    """
