"""Token abuse across the two kinds of token (what gateway/tests/test_auth.py does not already cover): a user
token and the gateway's internal identity token are not interchangeable, a forged identity header is dropped at
the gateway, and a revoked API key replayed against the running platform is refused."""

from __future__ import annotations

import httpx

from shared.auth import IDENTITY_HEADER, issue_internal_token, principal
from shared.settings import DEV_INTERNAL_TOKEN_SECRET


def forged_admin_identity() -> str:
    """What an attacker who learnt the internal secret's development default would send."""
    return issue_internal_token(principal("intruder", ["admin"]), DEV_INTERNAL_TOKEN_SECRET)


def test_an_internal_identity_token_is_no_bearer_token(platform):
    answer = httpx.get(f"{platform.url}/api/v1/jobs/seekers",
                       headers={"Authorization": f"Bearer {forged_admin_identity()}"}, timeout=10)
    assert answer.status_code == 401


def test_an_identity_header_sent_to_the_gateway_is_dropped(platform):
    # A resident adds an admin identity of their own making: the gateway replaces it with the resident's.
    answer = platform.api("resident", "GET", "jobs/stats/overview", headers={IDENTITY_HEADER: forged_admin_identity()})
    assert answer.status_code == 403
    me = platform.api("resident", "GET", "auth/me", headers={IDENTITY_HEADER: forged_admin_identity()}).json()
    assert me["roles"] == ["resident"]


def test_a_user_token_is_no_identity_for_a_service(platform):
    # Straight to a service (bypassing the gateway) with the user's own JWT where the identity goes: refused.
    user_token = platform.token("admin")
    answer = httpx.get(f"{platform.apps['jobs'].url}/seekers", headers={IDENTITY_HEADER: user_token}, timeout=10)
    assert answer.status_code == 401
    assert httpx.get(f"{platform.apps['jobs'].url}/seekers", timeout=10).status_code == 401


def test_a_revoked_key_replayed_is_refused(platform):
    created = platform.api("admin", "POST", "api-keys", json={"name": "将被吊销", "scopes": ["chronic_care:readings"]})
    assert created.status_code == 201
    key, key_id = created.json()["key"], created.json()["id"]
    headers = {"X-API-Key": key}
    assert httpx.get(f"{platform.url}/api/v1/chronic-care/thresholds", headers=headers, timeout=10).status_code != 401
    assert platform.api("admin", "POST", f"api-keys/{key_id}/revoke").status_code == 200
    for _ in range(3):  # no cached verification outlives the revocation
        answer = httpx.get(f"{platform.url}/api/v1/chronic-care/thresholds", headers=headers, timeout=10)
        assert answer.status_code == 401
