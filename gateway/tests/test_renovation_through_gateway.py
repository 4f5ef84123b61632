"""The real renovation service behind the gateway: same answers as directly, residents see only their own
records, and Idempotency-Key makes a retried POST create nothing twice."""

from contextlib import asynccontextmanager

import httpx
import pytest

from gateway.tests.support import bearer, serving
from services.renovation.app import create_app as renovation_app
from services.renovation.settings import Settings as RenovationSettings
from shared.demo_people import RESIDENT, SEEKER
from shared.settings import DEV_PERSON_REF_KEY
from shared.testing import identity_headers

STAFF = bearer("renovation", subject="kong-ran")
ESTATE = {"name": "振宁花苑", "community_code": "330109005001", "built_year": 1996, "floor_area_m2": 52000.0,
          "households": 620, "buildings": 12}
WANG = RESIDENT.ref(DEV_PERSON_REF_KEY)
CHEN = SEEKER.ref(DEV_PERSON_REF_KEY)


@pytest.fixture
def renovation_behind_gateway(database_url_for, event_prefix, make_gateway):
    @asynccontextmanager
    async def start(**gateway_settings):
        url = await database_url_for("renovation", "postgresql")
        app = renovation_app(RenovationSettings(database_url=url, event_prefix=event_prefix, event_bus="rabbitmq"))
        async with serving(app) as (service,), make_gateway(routes={"renovation": service.url},
                                                            **gateway_settings) as client, \
                httpx.AsyncClient(base_url=service.url) as direct:
            yield client, direct

    return start


async def test_same_status_and_body_as_calling_the_service(renovation_behind_gateway):
    async with renovation_behind_gateway() as (client, direct):
        r = await client.post("/api/v1/renovation/estates", json=ESTATE, headers=STAFF)
        assert r.status_code == 201, r.text
        estate_id = r.json()["id"]
        as_auditor = identity_headers("auditor")
        for path in (f"/estates/{estate_id}", "/estates?limit=5", "/stats/overview", "/estates/not-a-uuid",
                     "/projects/00000000-0000-0000-0000-000000000000"):
            via = await client.get(f"/api/v1/renovation{path}", headers=bearer("auditor"))
            straight = await direct.get(path, headers=as_auditor)
            assert via.status_code == straight.status_code, path
            strip = ("request_id", "generated_at")
            assert {k: v for k, v in via.json().items() if k not in strip} == \
                   {k: v for k, v in straight.json().items() if k not in strip}, path
        bad = await client.post("/api/v1/renovation/estates", json={**ESTATE, "built_year": "old"}, headers=STAFF)
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "built_year"


async def test_a_resident_sees_only_their_own_records(renovation_behind_gateway):
    async with renovation_behind_gateway() as (client, _):
        estate = (await client.post("/api/v1/renovation/estates", json=ESTATE, headers=STAFF)).json()
        for label, ref in (("1-101", WANG), ("2-202", CHEN)):
            r = await client.post(f"/api/v1/renovation/estates/{estate['id']}/households",
                                  json={"label": label, "member_refs": [ref]}, headers=STAFF)
            assert r.status_code == 201, r.text
        token = (await client.post("/api/v1/auth/token",
                                   data={"username": "resident", "password": "minsheng-demo"})).json()["access_token"]
        wang = {"Authorization": f"Bearer {token}"}
        mine = (await client.get("/api/v1/renovation/me/households", headers=wang)).json()
        assert [h["label"] for h in mine] == ["1-101"]
        chen = bearer("resident", subject="chen", person_ref=CHEN)
        assert [h["label"] for h in (await client.get("/api/v1/renovation/me/households", headers=chen)).json()] \
            == ["2-202"]
        # The list of every household of the estate is for staff: a resident is refused.
        r = await client.get(f"/api/v1/renovation/estates/{estate['id']}/households", headers=wang)
        assert r.status_code in (403, 404)
        # Residents do write in every area (votes, ratings): the service itself refuses staff-only writes.
        r = await client.post("/api/v1/renovation/estates", json=ESTATE, headers=wang)
        assert r.status_code == 403
        # Staff of another area are refused at the gateway, before the service.
        r = await client.post("/api/v1/renovation/estates", json=ESTATE, headers=bearer("doctor"))
        assert r.status_code == 403 and "do not write in renovation" in r.json()["detail"]
        r = await client.post("/api/v1/renovation/estates", json=ESTATE, headers=bearer("auditor"))
        assert r.status_code == 403 and "auditors" in r.json()["detail"]


async def test_a_retried_post_with_idempotency_key_creates_once(renovation_behind_gateway):
    async with renovation_behind_gateway() as (client, _):
        key = {**STAFF, "Idempotency-Key": "estate-zhenning-1"}
        first = await client.post("/api/v1/renovation/estates", json=ESTATE, headers=key)
        again = await client.post("/api/v1/renovation/estates", json=ESTATE, headers=key)
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
        assert again.headers["content-type"] == first.headers["content-type"]
        listed = (await client.get("/api/v1/renovation/estates", headers=STAFF)).json()["items"]
        assert len(listed) == 1
        r = await client.post("/api/v1/renovation/estates", json={**ESTATE, "name": "另一个"}, headers=key)
        assert r.status_code == 422 and r.json()["type"].endswith("/idempotency-key-reused")
        # Keys are per caller: another user's identical key is another request.
        li = {**bearer("renovation", subject="li"), "Idempotency-Key": "estate-zhenning-1"}
        other = await client.post("/api/v1/renovation/estates", json={**ESTATE, "name": "第二个"}, headers=li)
        assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
        # A refused request (4xx) is kept too: its retry gets the same refusal, nothing is created.
        bad = {**STAFF, "Idempotency-Key": "bad-1"}
        codes = [(await client.post("/api/v1/renovation/estates", json={**ESTATE, "households": -1},
                                    headers=bad)).status_code for _ in range(2)]
        assert codes == [422, 422]
        assert len((await client.get("/api/v1/renovation/estates", headers=STAFF)).json()["items"]) == 2


async def test_a_request_still_running_with_the_same_key_gets_409(renovation_behind_gateway):
    from datetime import UTC, datetime

    from gateway.idempotency.store import fingerprint

    async with renovation_behind_gateway(backend="postgresql") as (client, _):
        import orjson

        body = orjson.dumps(ESTATE)
        await client.gateway.idempotency.begin(owner="user:kong-ran", key="k-1",
                                               fingerprint=fingerprint("POST", b"/estates", body),
                                               now=datetime.now(UTC))
        r = await client.post("/api/v1/renovation/estates", content=body,
                              headers={**STAFF, "Idempotency-Key": "k-1", "content-type": "application/json"})
        assert r.status_code == 409 and r.headers["retry-after"] == "1"
        assert (await client.get("/api/v1/renovation/estates", headers=STAFF)).json()["items"] == []
        r = await client.post("/api/v1/renovation/estates", json=ESTATE, headers={**STAFF, "Idempotency-Key": ""})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "Idempotency-Key"
