"""The shared audit log and consent records, mounted in a small app on a real database."""

import httpx
import pytest
from fastapi import FastAPI, Request

from shared.audit import AuditMixin, audit_router, record_read
from shared.auth import Principal
from shared.consent import ConsentMixin, consent_router
from shared.errors import install_problem_handlers
from shared.settings import PlatformSettings
from shared.testing import identity_headers
from shared.tests.conftest import Base


class AuditEntry(AuditMixin, Base):
    pass


class Consent(ConsentMixin, Base):
    pass


PERSON = "pr_" + "a" * 32


@pytest.fixture
async def client(session_factory):
    factory = session_factory
    async with factory() as s:
        await s.run_sync(lambda sync: Base.metadata.create_all(sync.get_bind()))
        await s.commit()

    async def get_session(request: Request):
        async with factory() as session:
            yield session

    app = FastAPI()
    app.state.settings = PlatformSettings()
    install_problem_handlers(app)
    app.include_router(audit_router(AuditEntry, get_session))
    app.include_router(consent_router(Consent, AuditEntry, get_session, staff_roles=("doctor",)))
    async with factory() as s:
        await record_read(s, AuditEntry, principal=Principal("dr-li", frozenset({"doctor"})), action="read",
                          resource_type="patient", resource_id="p1", person_ref=PERSON, fields=["health"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        yield c


async def test_audit_log_is_queryable_by_auditors_only_and_reading_it_is_audited(client):
    assert (await client.get("/audit", headers=identity_headers("doctor"))).status_code == 403
    page = (await client.get("/audit", params={"person_ref": PERSON}, headers=identity_headers("auditor"))).json()
    assert [(e["actor"], e["action"], e["fields"]) for e in page["items"]] == [("dr-li", "read", "health")]
    again = (await client.get("/audit", headers=identity_headers("admin"))).json()["items"]
    assert again[0]["action"] == "list" and again[0]["actor"] == "auditor-user"


async def test_consent_is_granted_withdrawn_and_kept_on_record(client):
    own = identity_headers("resident", person_ref=PERSON)
    other = identity_headers("resident", person_ref="pr_" + "b" * 32)
    body = {"person_ref": PERSON, "purpose": "health_data"}
    assert (await client.post("/consents", json=body, headers=other)).status_code == 403
    r = await client.post("/consents", json=body, headers=own)
    assert r.status_code == 201
    assert (await client.post("/consents", json=body, headers=own)).status_code == 409
    cid = r.json()["id"]
    assert (await client.post(f"/consents/{cid}/withdraw", headers=other)).status_code == 404
    w = await client.post(f"/consents/{cid}/withdraw", headers=identity_headers("doctor"))
    assert w.status_code == 200 and w.json()["withdrawn_by"] == "doctor-user"
    listed = (await client.get("/consents", params={"person_ref": PERSON}, headers=own)).json()
    assert len(listed) == 1 and listed[0]["withdrawn_at"]
    audit = (await client.get("/audit", params={"person_ref": PERSON}, headers=identity_headers("auditor"))).json()
    assert {e["reason"] for e in audit["items"]} >= {"grant health_data", "withdraw health_data"}
