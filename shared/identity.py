"""Identity helpers: GB 11643-1999 citizen ID numbers, masking, and the pseudonymous ``person_ref``.

Services never exchange raw ID numbers: people are linked across services by ``person_ref``, a keyed
HMAC-SHA256 of the normalised ID number (the key is platform-wide and secret, so a ref cannot be reversed
by hashing every possible ID number, which would be easy for an unkeyed hash of an 18-digit number).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_SHAPE = re.compile(r"^1[3-9]\d{9}$")


class InvalidIdNumber(ValueError):
    pass


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalise_id_number(raw: str) -> str:
    """Validate an 18-character ID number (region, birth date, check character) and return it upper-cased."""
    value = raw.strip().upper()
    if not _ID_SHAPE.match(value):
        raise InvalidIdNumber("must be 17 digits followed by a digit or X")
    if value[:2] == "00" or value[:6] == "000000":
        raise InvalidIdNumber("region code is not valid")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber("birth date is not a real date") from exc
    if born.year < 1900 or born > date.today():
        raise InvalidIdNumber("birth date is out of range")
    if id_check_char(value[:17]) != value[17]:
        raise InvalidIdNumber("check character does not match (GB 11643)")
    return value


def is_valid_id_number(raw: str) -> bool:
    try:
        normalise_id_number(raw)
    except InvalidIdNumber:
        return False
    return True


def birth_date_of(id_number: str) -> date:
    v = normalise_id_number(id_number)
    return date(int(v[6:10]), int(v[10:12]), int(v[12:14]))


def mask_id_number(value: str | None) -> str | None:
    """Keep the first 3 and last 4 characters: enough for a person to recognise their own record."""
    if not value:
        return value
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def is_valid_mobile(raw: str) -> bool:
    return bool(_MOBILE_SHAPE.match(raw.strip()))


def mask_phone(value: str | None) -> str | None:
    """138****5678 for mobiles; other numbers keep only their last 4 characters."""
    if not value:
        return value
    v = value.strip()
    if _MOBILE_SHAPE.match(v):
        return v[:3] + "****" + v[-4:]
    return "*" * max(len(v) - 4, 0) + v[-4:]


def mask_name(value: str | None) -> str | None:
    """张三丰 -> 张**: the family name only."""
    if not value:
        return value
    return value[0] + "*" * (len(value) - 1)


def person_ref(id_number: str, key: str | bytes) -> str:
    """Pseudonymous, stable reference of a person: ``pr_`` + 32 hex of HMAC-SHA256(key, ID number)."""
    normalised = normalise_id_number(id_number)
    key_bytes = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key_bytes, normalised.encode(), hashlib.sha256).hexdigest()
    return "pr_" + digest[:32]


def make_id_number(region: str, born: date, sequence: int) -> str:
    """A valid ID number (used for demo data and tests): region (6 digits), birth date, 3-digit sequence."""
    first17 = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_check_char(first17)
