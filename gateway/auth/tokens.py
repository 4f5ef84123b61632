"""User tokens of the development issuer (HS256) and the checks every user token gets."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt

from shared.auth import ROLES, Principal

LOCAL_ALGORITHMS = ["HS256"]  # never "none", never an algorithm the token itself chooses
REQUIRED = ["exp", "iat", "sub", "iss", "aud"]


class TokenRejected(Exception):
    """Why a token was refused: safe to tell the caller (no secret in it)."""


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int


def issue_user_token(*, subject: str, roles: list[str], person_ref: str | None, street_code: str | None,
                     secret: str, issuer: str, audience: str, minutes: int, now: float | None = None) -> IssuedToken:
    issued = int(now if now is not None else time.time())
    claims = {"iss": issuer, "aud": audience, "sub": subject, "iat": issued, "nbf": issued,
              "exp": issued + minutes * 60, "jti": uuid.uuid4().hex, "roles": sorted(roles)}
    if person_ref:
        claims["pref"] = person_ref
    if street_code:
        claims["street"] = street_code
    return IssuedToken(jwt.encode(claims, secret, algorithm="HS256"), minutes * 60)


def unverified_issuer(token: str) -> str | None:
    """Which issuer a token claims, to pick the verifier (the chosen verifier then checks everything)."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise TokenRejected("malformed token") from exc
    issuer = claims.get("iss")
    return issuer if isinstance(issuer, str) else None


def decode_checked(token: str, key, *, algorithms: list[str], issuer: str, audience: str) -> dict:
    try:
        return jwt.decode(token, key, algorithms=algorithms, audience=audience, issuer=issuer, leeway=30,
                          options={"require": REQUIRED})
    except jwt.ExpiredSignatureError as exc:
        raise TokenRejected("token expired") from exc
    except jwt.InvalidAudienceError as exc:
        raise TokenRejected("token is not for this audience") from exc
    except jwt.InvalidIssuerError as exc:
        raise TokenRejected("token issuer is not trusted") from exc
    except jwt.InvalidAlgorithmError as exc:
        raise TokenRejected("token algorithm is not accepted") from exc
    except jwt.InvalidSignatureError as exc:
        raise TokenRejected("token signature does not verify") from exc
    except jwt.PyJWTError as exc:
        raise TokenRejected(f"token rejected: {exc}") from exc


def verify_local(token: str, *, secret: str, issuer: str, audience: str) -> dict:
    return decode_checked(token, secret, algorithms=LOCAL_ALGORITHMS, issuer=issuer, audience=audience)


def known_roles(raw) -> frozenset[str]:
    """Roles the platform knows; anything else in a token is ignored. ``integration`` belongs to API keys."""
    if not isinstance(raw, list | tuple):
        return frozenset()
    return frozenset(r for r in raw if isinstance(r, str) and r in ROLES and r != "integration")


def principal_from_local(claims: dict) -> Principal:
    return Principal(subject=str(claims["sub"]), roles=known_roles(claims.get("roles")), kind="user",
                     person_ref=claims.get("pref"), street_code=claims.get("street"))
