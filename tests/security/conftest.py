"""The whole platform as real processes on fresh PostgreSQL databases with demo data (the e2e platform), with
rate limits raised so that fuzzing and the authorisation matrix measure the API, not the limiter. One platform
per package: the matrix, the fuzz run and the personal-data scan share it (starting one takes ~20 s)."""

from __future__ import annotations

import pytest

from tests.e2e.platform import RunningPlatform

ROLES = ("admin", "auditor", "renovation", "jobs", "jobs-approver", "community", "doctor", "resident",
         "integration")

HIGH_LIMITS = {"GATEWAY_RATE_LIMIT_IP": "1000000/minute", "GATEWAY_RATE_LIMIT_USER": "1000000/minute",
               "GATEWAY_RATE_LIMIT_API_KEY": "1000000/minute"}


@pytest.fixture(scope="package")
def platform(db_templates, tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        for name, value in HIGH_LIMITS.items():
            env.setenv(name, value)  # the app processes inherit the test's environment
        running = RunningPlatform(tmp_path_factory.mktemp("security"), db_templates)
        try:
            running.start()
        except Exception:
            running.stop()
            raise
    yield running
    running.stop()


INTEGRATION_SCOPES = ["chronic_care:readings", "community:alerts:vendor:anju"]


@pytest.fixture(scope="package")
def credentials(platform) -> dict[str, dict[str, str]]:
    """Request headers per role. Demo users sign in through the gateway's form; ``integration`` belongs to API
    keys only, so an admin issues one (a device vendor's: readings and alarms)."""
    found = {role: {"Authorization": f"Bearer {platform.token(role)}"} for role in ROLES if role != "integration"}
    created = platform.api("admin", "POST", "api-keys", json={"name": "安居守护设备厂商", "scopes": INTEGRATION_SCOPES})
    assert created.status_code == 201, created.text
    found["integration"] = {"X-API-Key": created.json()["key"]}
    return found
