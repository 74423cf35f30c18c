"""Unified social credit codes (统一社会信用代码, GB 32100-2015): check characters and validation.

An 18-character code is::

    position  1     registration authority (登记管理部门): 1 机构编制, 5 民政, 9 工商/市场监管, Y other
    position  2     entity type within that authority: 91 企业, 12 事业单位, 52 民办非企业单位, ...
    positions 3-8   administrative division code (行政区划码, GB/T 2260), e.g. 130100 石家庄市
    positions 9-17  organisation code (主体标识码, GB 11714): 8 body characters + its own check
    position  18    check character over positions 1-17

Characters come from the 31-symbol alphabet ``0-9`` and ``A-Z`` without I, O, S, V, Z. The
GB 32100 check is ``(31 - Σ value(c_i) * 3**(i-1) mod 31) mod 31`` over positions 1-17, written in
that alphabet. The GB 11714 check is ``11 - Σ value(c_i) * w_i mod 11`` over the body with weights
3, 7, 9, 10, 5, 8, 4, 2 and letters valued A=10 ... Z=35; 10 is written ``X`` and 11 ``0``.
"""

from __future__ import annotations

__all__ = ["ALPHABET", "is_valid_uscc", "org_code_check_char", "uscc_check_char"]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
# 3**(i-1) mod 31 for positions 1..17, as tabulated in GB 32100-2015 §4.3.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character (position 18) for the first 17 characters of a code.

    Raises ``ValueError`` if ``first17`` is not 17 characters of the code alphabet.
    """
    if len(first17) != 17:
        raise ValueError(f"need the first 17 characters of a credit code, got {len(first17)}")
    try:
        total = sum(_VALUE[c] * w for c, w in zip(first17, USCC_WEIGHTS))
    except KeyError as exc:
        raise ValueError(
            f"{first17!r}: {exc.args[0]!r} is not in the credit-code alphabet {ALPHABET}"
        ) from None
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """The GB 11714 check character of an 8-character organisation-code body (digits, A-Z)."""
    if len(body8) != 8 or not all(c.isdigit() or "A" <= c <= "Z" for c in body8):
        raise ValueError(f"organisation-code body must be 8 characters 0-9/A-Z, got {body8!r}")
    total = sum(int(c, 36) * w for c, w in zip(body8, _ORG_WEIGHTS))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def is_valid_uscc(code: str) -> bool:
    """True if ``code`` is 18 alphabet characters whose GB 32100 check character matches.

    Only the final check is tested: the organisation-code check (position 17) is not, because
    codes issued to some entity types use bodies that do not follow GB 11714.
    """
    if not isinstance(code, str) or len(code) != 18 or any(c not in _VALUE for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]
