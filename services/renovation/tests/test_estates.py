import pytest

from services.renovation.tests.factories import (
    CHAODU,
    CHONGHUA,
    STAFF,
    estate,
    household,
    ref,
    resident,
)
from shared.testing import identity_headers


async def test_register_search_and_filter(make_client, db_backend):
    async with make_client(db_backend) as client:
        a = await estate(client, name="崇化三区块", built_year=1992, address="城厢街道崇化路")
        await estate(client, name="湘湖小区", community_code="330109001002", built_year=2001)
        await estate(client, name="潮都花园", community_code=CHAODU, built_year=1998, latitude=30.2195,
                     longitude=120.2790)
        assert a["street_code"] == "330109001" and a["community_code"] == CHONGHUA
        names = lambda r: [e["name"] for e in r.json()["items"]]  # noqa: E731
        assert names(await client.get("/estates", params={"q": "崇化"}, headers=STAFF)) == ["崇化三区块"]
        assert names(await client.get("/estates", params={"street_code": "330109005"}, headers=STAFF)) == ["潮都花园"]
        assert sorted(names(await client.get("/estates", params={"built_to": 2000}, headers=STAFF))) == [
            "崇化三区块", "潮都花园"]
        assert names(await client.get("/estates", params={"q": "%"}, headers=STAFF)) == []  # LIKE is escaped
        # The register is public: a resident can look estates up.
        assert (await client.get(f"/estates/{a['id']}", headers=resident(1))).json()["name"] == "崇化三区块"
        r = await client.patch(f"/estates/{a['id']}", json={"households": 420}, headers=STAFF)
        assert r.json()["households"] == 420


@pytest.mark.parametrize(("field", "value", "status"), [
    ("floor_area_m2", -100, 422), ("community_code", "330109001999", 422), ("community_code", "330109001", 422),
    ("street_code", "330109005", 422), ("buildings", 0, 422), ("latitude", 39.9, 422),
])
async def test_bad_estate_is_refused_naming_the_field(make_client, field, value, status):
    async with make_client() as client:
        body = {"name": "坏数据", "community_code": CHONGHUA, "built_year": 1990, "floor_area_m2": 1000,
                "households": 10, "buildings": 2, field: value}
        if field == "latitude":
            body["longitude"] = 116.4  # Beijing: not in Xiaoshan
        r = await client.post("/estates", json=body, headers=STAFF)
        assert r.status_code == status, r.text
        assert r.json()["errors"][0]["field"] == field
        assert (await client.get("/estates", headers=STAFF)).json()["items"] == []


async def test_duplicate_name_in_a_street_is_409(make_client):
    async with make_client() as client:
        await estate(client, name="崇化三区块")
        r = await client.post("/estates", headers=STAFF, json={
            "name": "崇化三区块", "community_code": CHONGHUA, "built_year": 1990, "floor_area_m2": 1,
            "households": 1, "buildings": 1})
        assert r.status_code == 409 and r.json()["errors"][0]["field"] == "name"
        assert (await client.get("/estates/00000000-0000-4000-8000-000000000000", headers=STAFF)).status_code == 404


async def test_households_hold_members_by_person_ref_only(make_client):
    async with make_client() as client:
        e = await estate(client)
        h = await household(client, e["id"], "3幢2单元501", 1, 2)
        assert h["member_refs"] == [ref(1), ref(2)]
        # One person, one household per estate; one label per estate.
        r = await client.post(f"/estates/{e['id']}/households", headers=STAFF,
                              json={"label": "3幢2单元502", "member_refs": [ref(2)]})
        assert r.status_code == 409 and r.json()["errors"][0]["field"] == "member_refs"
        r = await client.post(f"/estates/{e['id']}/households", headers=STAFF, json={"label": "3幢2单元501"})
        assert r.status_code == 409 and r.json()["errors"][0]["field"] == "label"
        r = await client.post(f"/estates/{e['id']}/households", headers=STAFF,
                              json={"label": "x", "member_refs": ["330109195104120284"]})  # an ID number
        assert r.status_code == 422
        r = await client.post(f"/households/{h['id']}/members", json={"person_ref": ref(3)}, headers=STAFF)
        assert r.json()["member_refs"] == [ref(1), ref(2), ref(3)]
        r = await client.delete(f"/households/{h['id']}/members/{ref(1)}", headers=STAFF)
        assert r.json()["member_refs"] == [ref(2), ref(3)]
        assert (await client.delete(f"/households/{h['id']}/members/{ref(1)}", headers=STAFF)).status_code == 404
        listing = (await client.get(f"/estates/{e['id']}/households", headers=STAFF)).json()["items"]
        assert [x["label"] for x in listing] == ["3幢2单元501"]
        # Residents see their own household, nobody else's.
        mine = (await client.get("/me/households", headers=resident(2))).json()
        assert [(m["label"], m["estate_name"]) for m in mine] == [("3幢2单元501", e["name"])]
        assert (await client.get("/me/households", headers=resident(1))).json() == []
        assert (await client.get(f"/estates/{e['id']}/households", headers=resident(2))).status_code == 403
        no_ref = identity_headers("resident")
        assert (await client.get("/me/households", headers=no_ref)).status_code == 403
