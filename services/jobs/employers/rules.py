"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the last a check character."""

from __future__ import annotations

import re
from typing import Literal

EmployerSize = Literal["micro", "small", "medium", "large"]
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(r"^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$")


def credit_check_char(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_problem(raw: str) -> str | None:
    """Why ``raw`` is not a valid unified social credit code, or None when it is."""
    value = raw.strip().upper()
    if not _SHAPE.match(value):
        return "must be 18 characters: digits and capital letters other than I, O, S, V, Z"
    if credit_check_char(value[:17]) != value[17]:
        return "check character does not match (GB 32100)"
    return None


def make_credit_code(region: str, serial: int) -> str:
    """A valid code for demo data and tests: 91 (enterprise), 6-digit region, 9-character serial."""
    first17 = f"91{region}{serial:09d}"
    return first17 + credit_check_char(first17)
