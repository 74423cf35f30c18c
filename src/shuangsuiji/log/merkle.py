"""Merkle tree hashes and proofs over the campaign log, exactly as RFC 6962 §2.1 defines them.

RFC 6962 ("Certificate Transparency", Laurie, Langley, Kasper 2013) §2.1, with the verification
algorithms of its successor RFC 9162 §2.1.3.2 and §2.1.4.2 (Laurie, Messeri, Stradling 2021):

- ``MTH({}) = SHA-256()``, the hash of the empty string;
- ``MTH({d}) = SHA-256(0x00 || d)`` (a leaf);
- ``MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))`` for ``n > 1``, where ``k`` is the
  largest power of two smaller than ``n``.

The distinct 0x00/0x01 prefixes keep a leaf from ever hashing like an inner node (second-preimage
resistance). The log uses this tree with one leaf per log line (the line's bytes without the
newline, see docs/spec.md §9), so a published root commits to every line and its position.

Two layers:

- :class:`MerkleTree` holds the leaf hashes and every complete subtree hash, grows by ``append``
  in amortised O(1) hashes, and answers ``root(size)``, inclusion proofs and consistency proofs for
  any size up to its own in O(log² n) hashes. The log keeps one.
- Module functions take the leaves (raw data, not hashes) as the interface promises:
  :func:`root`, :func:`inclusion_proof`, :func:`consistency_proof`, and the verifiers
  :func:`verify_inclusion` and :func:`verify_consistency`. ``root`` hashes level by level in a
  loop, so 200 000 leaves take a fraction of a second and no recursion.

Hashes are 32-byte ``bytes``. The verifiers also accept hex strings for the proof elements and the
roots, since that is how proofs get published.

Edge cases follow transparency-dev/merkle's ``proof`` package (the published test vectors):
an inclusion proof needs ``0 <= index < size``; a consistency proof from the empty tree proves
nothing and is refused (``verify_consistency(0, ...)`` is ``False``); between equal sizes the
proof is empty and the roots must be equal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

__all__ = [
    "EMPTY_ROOT",
    "MerkleTree",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root",
    "verify_consistency",
    "verify_inclusion",
    "verify_inclusion_hash",
]

_sha256 = hashlib.sha256

EMPTY_ROOT: bytes = _sha256(b"").digest()
"""MTH of the empty tree: SHA-256 of the empty string (RFC 6962 §2.1)."""


def leaf_hash(data: bytes) -> bytes:
    """``SHA-256(0x00 || data)``: the hash of one leaf."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``: the hash of an inner node."""
    return _sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def _reduce(level: list[bytes]) -> bytes:
    """Root over a list of leaf hashes, bottom-up.

    Pairing neighbours and carrying an odd last node up unchanged builds the same tree as
    RFC 6962's split at the largest power of two: every left subtree it forms is complete.
    """
    if not level:
        return EMPTY_ROOT
    sha = _sha256
    while len(level) > 1:
        nxt = [sha(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) & 1:
            nxt.append(level[-1])
        level = nxt
    return level[0]


class MerkleTree:
    """An append-only RFC 6962 tree over leaf *hashes*, with every complete subtree cached.

    ``levels[h][j]`` is the hash of leaves ``[j·2^h, (j+1)·2^h)`` once all of them exist. Any
    subtree that RFC 6962's recursion visits is either such a complete subtree or splits into two
    of them recursively, so roots and proofs for every size ``<= len(tree)`` cost O(log² n) hashes.
    """

    __slots__ = ("_levels",)

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels: list[list[bytes]] = [[]]
        self.extend(leaf_hashes)

    @classmethod
    def from_leaves(cls, leaves: Iterable[bytes]) -> MerkleTree:
        """The tree over raw leaf data (each hashed with :func:`leaf_hash`)."""
        return cls(leaf_hash(d) for d in leaves)

    def __len__(self) -> int:
        return len(self._levels[0])

    def append(self, leaf_hash: bytes) -> None:
        """Add one leaf hash; completes O(1) subtrees on average."""
        if len(leaf_hash) != 32:
            raise ValueError(f"a leaf hash has 32 bytes, not {len(leaf_hash)}")
        levels = self._levels
        levels[0].append(leaf_hash)
        h = 0
        while len(levels[h]) % 2 == 0:
            if h + 1 == len(levels):
                levels.append([])
            level = levels[h]
            levels[h + 1].append(node_hash(level[-2], level[-1]))
            h += 1

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        for lh in leaf_hashes:
            self.append(lh)

    def leaf(self, index: int) -> bytes:
        """The hash of leaf ``index``."""
        return self._levels[0][index]

    def _size(self, size: int | None) -> int:
        n = len(self)
        if size is None:
            return n
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= n:
            raise ValueError(f"tree size {size!r} is outside 0..{n}")
        return size

    def _subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range that RFC 6962's recursion produces (start aligned)."""
        n = end - start
        if n & (n - 1) == 0:  # a complete subtree: cached
            h = n.bit_length() - 1
            return self._levels[h][start >> h]
        k = _split(n)
        return node_hash(self._subtree(start, start + k), self._subtree(start + k, end))

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (all leaves by default)."""
        n = self._size(size)
        return EMPTY_ROOT if n == 0 else self._subtree(0, n)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) of RFC 6962 §2.1.1: sibling hashes from the leaf upwards."""
        n = self._size(size)
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < n:
            raise ValueError(f"leaf index {index!r} is outside 0..{n - 1} (tree size {n})")
        path: list[bytes] = []
        start, end = 0, n
        while end - start > 1:  # walk down, collecting siblings top-down
            k = _split(end - start)
            if index < start + k:
                path.append(self._subtree(start + k, end))
                end = start + k
            else:
                path.append(self._subtree(start, start + k))
                start += k
        path.reverse()
        return path

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[0:new_size]) of RFC 6962 §2.1.2 (empty when the sizes are equal or 0)."""
        n = self._size(new_size)
        if isinstance(old_size, bool) or not isinstance(old_size, int) or not 0 <= old_size <= n:
            raise ValueError(f"old size {old_size!r} is outside 0..{n}")
        if old_size in (0, n):
            return []
        # SUBPROOF(m, D[start:end], complete), unrolled top-down; nodes are emitted bottom-up.
        out: list[bytes] = []
        m, start, end, complete = old_size, 0, n, True
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                out.append(self._subtree(start + k, end))
                end = start + k
            else:
                out.append(self._subtree(start, start + k))
                start, m, complete = start + k, m - k, False
        if not complete:
            out.append(self._subtree(start, end))
        out.reverse()
        return out


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH over the leaves (raw data): RFC 6962 §2.1. The empty tree gives ``SHA-256("")``."""
    return _reduce([leaf_hash(d) for d in leaves])


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree over all ``leaves`` (RFC 6962 §2.1.1)."""
    return MerkleTree.from_leaves(leaves).inclusion_proof(index)


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The proof that the first ``old_size`` leaves are a prefix of ``leaves`` (RFC 6962 §2.1.2)."""
    return MerkleTree.from_leaves(leaves).consistency_proof(old_size)


def _as_hash(value: bytes | str) -> bytes:
    if isinstance(value, str):
        try:
            return bytes.fromhex(value)
        except ValueError:
            return b""  # never equal to a 32-byte hash
    return bytes(value)


def _is_size(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and x >= 0


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes | str], root: bytes | str
) -> bool:
    """True when ``proof`` shows that ``leaf`` (raw data) is leaf ``index`` of the tree ``root``."""
    return verify_inclusion_hash(leaf_hash(leaf), index, size, proof, root)


def verify_inclusion_hash(
    leaf_hash: bytes | str, index: int, size: int, proof: Sequence[bytes | str], root: bytes | str
) -> bool:
    """RFC 9162 §2.1.3.2: recompute the root from a leaf hash and its audit path."""
    h = _as_hash(leaf_hash)
    if not (_is_size(index) and _is_size(size)) or index >= size or len(h) != 32:
        return False
    fn, sn = index, size - 1
    r = h
    for p in proof:
        p = _as_hash(p)
        if sn == 0:
            return False  # proof too long
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == _as_hash(root)


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes | str,
    new_root: bytes | str,
    proof: Sequence[bytes | str],
) -> bool:
    """RFC 9162 §2.1.4.2: True when ``proof`` shows tree ``old_root`` is a prefix of ``new_root``.

    ``old_size == 0`` is refused (a proof from the empty tree says nothing, as in
    transparency-dev/merkle); equal sizes need an empty proof and equal roots.
    """
    if not (_is_size(old_size) and _is_size(new_size)) or old_size > new_size or old_size == 0:
        return False
    r1, r2 = _as_hash(old_root), _as_hash(new_root)
    path = [_as_hash(p) for p in proof]
    if old_size == new_size:
        return not path and r1 == r2
    if not path:
        return False
    if old_size & (old_size - 1) == 0:  # old tree is complete: its root is the first node
        path.insert(0, r1)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == r1 and sr == r2 and sn == 0
