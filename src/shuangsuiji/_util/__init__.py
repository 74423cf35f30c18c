"""Helpers every stage shares: tagged hashing, the version. Imports nothing of the library but
:mod:`shuangsuiji.errors`; every stage may import it.

- :mod:`.hashing`: SHA-256 over length-framed fields (the key derivations of docs/spec.md);
- :mod:`.version`: the library version recorded in every commitment.
"""
