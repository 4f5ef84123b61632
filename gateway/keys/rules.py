"""API keys as pure rules: their shape, their hash, which areas their scopes open."""

from __future__ import annotations

import hashlib
import re
import secrets

KEY_PREFIX = "msk_"
_PREFIX_LEN = 10
_SHAPE = re.compile(r"^msk_([a-z0-9]{10})_([A-Za-z0-9_\-]{40,64})$")
SCOPE_SHAPE = re.compile(r"^[a-z][a-z0-9_]*(:[a-z0-9_\-]+)+$")
# Roles an admin may give a key: third-party systems, or a read-only statistics screen.
KEY_ROLES = frozenset({"integration", "auditor"})


def new_key() -> tuple[str, str]:
    """(the full key, shown once; its public prefix, stored to find the row)."""
    prefix = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(_PREFIX_LEN))
    return f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(36)}", prefix


def parse_key(raw: str) -> str | None:
    """The prefix of a well-formed key, else None (malformed keys never reach the database)."""
    match = _SHAPE.match(raw)
    return match.group(1) if match else None


def hash_key(raw: str) -> str:
    # Keys carry 288 random bits: a fast hash is enough (a slow one would only slow every request).
    return hashlib.sha256(raw.encode()).hexdigest()


def scope_area(scope: str) -> str:
    """``chronic_care:readings`` -> ``chronic_care``: scopes are named after the service they open."""
    return scope.split(":", 1)[0]
