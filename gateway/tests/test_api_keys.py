"""API keys: created and revoked by an admin, shown once, stored hashed, scoped to the areas they name."""

from sqlalchemy import select

from gateway.keys.models import ApiKey
from gateway.tests.support import bearer, serving, stub_service

ADMIN = bearer("admin", subject="root")
VENDOR = {"name": "安居守护设备厂商", "scopes": ["community:alerts:vendor:anju"]}


async def create(client, body=VENDOR) -> dict:
    r = await client.post("/api/v1/api-keys", json=body, headers=ADMIN)
    assert r.status_code == 201, r.text
    return r.json()


async def test_a_key_is_shown_once_and_stored_only_as_a_hash(make_gateway):
    async with make_gateway() as client:
        created = await create(client)
        assert created["key"].startswith("msk_") and created["roles"] == ["integration"]
        assert created["created_by"] == "root"
        listed = (await client.get("/api/v1/api-keys", headers=ADMIN)).json()["items"]
        assert [k["id"] for k in listed] == [created["id"]] and "key" not in listed[0]
        assert "key" not in (await client.get(f"/api/v1/api-keys/{created['id']}", headers=ADMIN)).json()
        async with client.gateway.session_factory() as session:
            row = await session.scalar(select(ApiKey))
        assert created["key"] not in (row.key_hash, row.prefix) and len(row.key_hash) == 64


async def test_a_key_reaches_only_the_areas_its_scopes_name(make_gateway):
    async with serving(stub_service("community"), stub_service("renovation")) as (community, renovation), \
            make_gateway(routes={"community": community.url, "renovation": renovation.url}) as client:
        key = (await create(client))["key"]
        r = await client.post("/api/v1/community/things", json={"device": "smoke-01"}, headers={"X-API-Key": key})
        assert r.status_code == 201, r.text
        seen = (await client.get("/api/v1/community/echo/a", headers={"X-API-Key": key})).json()["principal"]
        assert seen["kind"] == "api_key" and seen["roles"] == ["integration"]
        assert seen["scopes"] == ["community:alerts:vendor:anju"]
        r = await client.get("/api/v1/renovation/echo/a", headers={"Authorization": f"ApiKey {key}"})
        assert r.status_code == 403 and "no scope for renovation" in r.json()["detail"]
        assert sum(renovation.app.state.calls.values()) == 0
        # The overview is for staff, auditors and admins: not for an integration key.
        assert (await client.get("/api/v1/dashboard/overview", headers={"X-API-Key": key})).status_code == 403


async def test_a_read_only_key_cannot_write(make_gateway):
    async with serving(stub_service("community")) as (community,), \
            make_gateway(routes={"community": community.url}) as client:
        key = (await create(client, {"name": "大屏", "scopes": ["community:stats"], "roles": ["auditor"]}))["key"]
        assert (await client.get("/api/v1/community/echo/s", headers={"X-API-Key": key})).status_code == 200
        r = await client.post("/api/v1/community/things", json={}, headers={"X-API-Key": key})
        assert r.status_code == 403 and "read-only" in r.json()["detail"]


async def test_revoked_unknown_and_expired_keys_are_refused(make_gateway):
    async with serving(stub_service("community")) as (community,), \
            make_gateway(routes={"community": community.url}) as client:
        created = await create(client)
        key = {"X-API-Key": created["key"]}
        assert (await client.get("/api/v1/community/echo/k", headers=key)).status_code == 200  # now cached
        r = await client.post(f"/api/v1/api-keys/{created['id']}/revoke", headers=ADMIN)
        assert r.status_code == 200 and r.json()["revoked_by"] == "root"
        r = await client.get("/api/v1/community/echo/k", headers=key)
        assert r.status_code == 401 and r.json()["detail"] == "API key revoked"
        assert (await client.post(f"/api/v1/api-keys/{created['id']}/revoke", headers=ADMIN)).status_code == 409
        tampered = created["key"][:-4] + ("AAAA" if not created["key"].endswith("AAAA") else "BBBB")
        r = await client.get("/api/v1/community/echo/k", headers={"X-API-Key": tampered})
        assert r.status_code == 401 and r.json()["detail"] == "unknown API key"
        r = await client.get("/api/v1/community/echo/k", headers={"X-API-Key": "msk_short"})
        assert r.status_code == 401 and r.json()["detail"] == "malformed API key"
        old = await create(client, {**VENDOR, "expires_at": "2020-01-01T00:00:00Z"})
        r = await client.get("/api/v1/community/echo/k", headers={"X-API-Key": old["key"]})
        assert r.status_code == 401 and r.json()["detail"] == "API key expired"
        assert (await client.get("/api/v1/api-keys?include_revoked=true", headers=ADMIN)).json()["items"]


async def test_rotation_issues_a_new_key_and_retires_the_old(make_gateway):
    async with serving(stub_service("community")) as (community,), \
            make_gateway(routes={"community": community.url}) as client:
        first = await create(client)
        r = await client.post(f"/api/v1/api-keys/{first['id']}/rotate", json={"grace_seconds": 3600}, headers=ADMIN)
        assert r.status_code == 201
        second = r.json()
        assert second["key"] != first["key"] and second["scopes"] == first["scopes"]
        for key in (first["key"], second["key"]):  # both work during the grace period
            assert (await client.get("/api/v1/community/echo/r", headers={"X-API-Key": key})).status_code == 200
        r = await client.post(f"/api/v1/api-keys/{second['id']}/rotate", headers=ADMIN)
        third = r.json()
        assert (await client.get("/api/v1/community/echo/r", headers={"X-API-Key": second["key"]})).status_code == 401
        assert (await client.get("/api/v1/community/echo/r", headers={"X-API-Key": third["key"]})).status_code == 200
        listed = (await client.get("/api/v1/api-keys?include_revoked=true", headers=ADMIN)).json()["items"]
        assert {k["id"]: k["replaced_by"] for k in listed}[second["id"]] == third["id"]


async def test_only_an_admin_manages_keys_and_bad_input_names_the_field(make_gateway):
    async with make_gateway() as client:
        for role in ("auditor", "community", "resident"):
            r = await client.post("/api/v1/api-keys", json=VENDOR, headers=bearer(role))
            assert r.status_code == 403, role
            assert (await client.get("/api/v1/api-keys", headers=bearer(role))).status_code == 403
        assert (await client.get("/api/v1/api-keys")).status_code == 401
        for body, field in (({**VENDOR, "scopes": ["everything"]}, "scopes"),
                            ({**VENDOR, "roles": ["admin"]}, "roles"),
                            ({**VENDOR, "rate_limit": "lots"}, "rate_limit"),
                            ({**VENDOR, "expires_at": "2030-01-01T00:00:00"}, "expires_at"),
                            ({**VENDOR, "surprise": 1}, "surprise")):
            r = await client.post("/api/v1/api-keys", json=body, headers=ADMIN)
            assert r.status_code == 422, body
            assert r.json()["errors"][0]["field"] == field, r.json()
        assert (await client.get("/api/v1/api-keys", headers=ADMIN)).json()["items"] == []
        r = await client.post("/api/v1/api-keys/00000000-0000-0000-0000-000000000000/revoke", headers=ADMIN)
        assert r.status_code == 404
