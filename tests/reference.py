"""Small, independent, stdlib-only reference implementations of the spec (docs/spec.md).

Written from the spec text, not from the fast code, so that agreement between the two means the
spec is implemented, not merely that the code agrees with itself.
"""

from __future__ import annotations

import hashlib
import struct

MASK = (1 << 64) - 1


def frame(b: bytes) -> bytes:
    return len(b).to_bytes(8, "big") + b


def tagged_sha256(tag: str, *fields: bytes) -> bytes:
    data = frame(tag.encode()) + b"".join(frame(f) for f in fields)
    return hashlib.sha256(data).digest()


def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & MASK


def siphash24(key: bytes, msg: bytes) -> int:
    """SipHash-2-4 as in Aumasson & Bernstein (2012), §2, one byte string at a time."""
    k0, k1 = struct.unpack("<QQ", key)
    v = [k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D,
         k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573]

    def rnd() -> None:
        v[0] = (v[0] + v[1]) & MASK; v[1] = _rotl(v[1], 13); v[1] ^= v[0]; v[0] = _rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & MASK; v[3] = _rotl(v[3], 16); v[3] ^= v[2]
        v[0] = (v[0] + v[3]) & MASK; v[3] = _rotl(v[3], 21); v[3] ^= v[0]
        v[2] = (v[2] + v[1]) & MASK; v[1] = _rotl(v[1], 17); v[1] ^= v[2]; v[2] = _rotl(v[2], 32)

    tail = len(msg) % 8
    blocks = [struct.unpack("<Q", msg[i:i + 8])[0] for i in range(0, len(msg) - tail, 8)]
    last = msg[len(msg) - tail:] + bytes(7 - tail) + bytes([len(msg) & 0xFF])
    blocks.append(struct.unpack("<Q", last)[0])
    for m in blocks:
        v[3] ^= m
        rnd(); rnd()
        v[0] ^= m
    v[2] ^= 0xFF
    for _ in range(4):
        rnd()
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def prn_int(seed: bytes, namespace: str, target_id: str) -> int:
    key = tagged_sha256("shuangsuiji/prn/v1", seed, namespace.encode())[:16]
    return siphash24(key, target_id.encode("utf-8"))
