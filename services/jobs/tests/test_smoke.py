from services.jobs.tests.helpers import NINGWEI, OFFICER, T0, at, seeker


async def test_register_and_read(make_client):
    async with make_client() as client:
        at(client, T0)
        s = await seeker(client, priority_groups=["hard_to_employ"])
        assert s["stage"] == "registered"
        r = await client.get(f"/seekers/{s['id']}", headers=OFFICER)
        assert r.status_code == 200, r.text
        r = await client.get("/stats/overview", params={"street_code": NINGWEI}, headers=OFFICER)
        assert r.status_code == 200, r.text
