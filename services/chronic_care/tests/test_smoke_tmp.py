from services.chronic_care.tests.helpers import DOCTOR, T0, bp, fix_time, patient, station


async def test_smoke(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"])
        r = await bp(client, p["id"], 185, 100)
        assert r.status_code == 201, r.text
        print(r.json())
        r = await client.get(f"/patients/{p['id']}/timeline", headers=DOCTOR)
        print(r.json())
        r = await client.get("/stats/overview", headers=DOCTOR)
        print(r.status_code, r.json())
