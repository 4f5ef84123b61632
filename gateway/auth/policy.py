"""What the gateway refuses before a request reaches a service (the services check again: defence in depth).

- Auditors read everything and write nothing.
- Area staff write only in their own area (a doctor cannot write to jobs).
- An API key reaches only the areas its scopes name (``chronic_care:readings`` opens chronic-care).
"""

from __future__ import annotations

from shared.auth import Principal

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# URL area -> the staff roles that may write there.
AREA_WRITERS = {
    "renovation": frozenset({"renovation"}),
    "jobs": frozenset({"jobs", "jobs-approver"}),
    "community": frozenset({"community"}),
    "chronic-care": frozenset({"doctor"}),
}
STAFF_ROLES = frozenset().union(*AREA_WRITERS.values())
# Roles whose writes are not area-bound at the gateway (their service decides).
UNBOUND_WRITERS = frozenset({"admin", "resident"})


def service_of(area: str) -> str:
    return area.replace("-", "_")


def refusal(principal: Principal, area: str, method: str) -> str | None:
    """Why the gateway refuses ``method`` on ``area`` for ``principal``; None when it lets it through."""
    if principal.kind == "api_key":
        prefix = service_of(area) + ":"
        if not any(scope.startswith(prefix) for scope in principal.scopes):
            return f"this API key has no scope for {area}"
        if method not in SAFE_METHODS and "integration" not in principal.roles:
            return "this API key is read-only"
        return None
    if method in SAFE_METHODS or principal.roles & UNBOUND_WRITERS:
        return None
    if not principal.roles:
        return "your account has no role"
    writers = AREA_WRITERS.get(area)
    if writers is None:
        return None  # an area added by configuration: its service decides
    if principal.roles & writers:
        return None
    if principal.roles <= {"auditor"}:
        return "auditors read and write nothing"
    return f"your roles ({', '.join(sorted(principal.roles))}) do not write in {area}"
