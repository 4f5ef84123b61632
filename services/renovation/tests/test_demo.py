from services.renovation.demo import load_demo, reference_year
from services.renovation.tests.factories import STAFF, outbox_payloads, outbox_types
from shared import demo_people
from shared.database import utcnow
from shared.settings import DEV_PERSON_REF_KEY
from shared.testing import identity_headers


async def test_demo_is_at_the_seeds_scale_and_loads_once(make_client):
    async with make_client() as client:
        settings = client.app.state.settings
        await load_demo(client.app.state.session_factory, settings)
        events = len(await outbox_types(client))
        await load_demo(client.app.state.session_factory, settings)  # idempotent
        assert len(await outbox_types(client)) == events

        year = reference_year(utcnow())
        f = (await client.get("/stats/overview", params={"year": year}, headers=STAFF)).json()["figures"]
        # 已改造完成6个区块、18余万平方米；另有6个区块、近29万平方米将于年底前完成
        assert f["projects_total"] == 12 and f["projects_in_progress"] == 6
        assert f["projects_accepted"] + f["projects_completed"] == 6
        assert f["area_renovated_m2"] == 180_000 and f["area_under_way_m2"] == 290_000
        f = (await client.get("/stats/overview", headers=STAFF)).json()["figures"]
        # 未来社区创建项目16个，其中省级试点13个，受益人群13万余人；振宁、潮都、丰二通过验收
        assert f["future_community_projects"] == 16 and f["future_community_provincial_pilots"] == 13
        assert f["beneficiaries"] >= 130_000 and f["future_communities_accepted"] == 3
        assert f["one_old_one_young_scenarios_passed"] == 3
        accepted = (await client.get("/future-communities", params={"status": "accepted"}, headers=STAFF)).json()
        assert sorted(a["name"] for a in accepted["items"]) == ["丰二未来社区", "振宁未来社区", "潮都未来社区"]
        programmes = (await client.get("/programmes", params={"year": year + 1}, headers=STAFF)).json()["items"]
        assert len(programmes) == 1 and len(programmes[0]["community_codes"]) == 14  # 14个社区启动片区化改造

        spaces = await outbox_payloads(client, "renovation.space.commissioned")
        assert len(spaces) == 6
        assert all(30.0 < s["latitude"] < 30.4 and 120.1 < s["longitude"] < 120.5 for s in spaces)

        # The demo resident (王秀英, 振宁) can take part: her household has not voted yet.
        wang = identity_headers("resident", "resident", person_ref=demo_people.RESIDENT.ref(DEV_PERSON_REF_KEY))
        plans = (await client.get("/plans", headers=wang)).json()["items"]
        assert [p["title"] for p in plans] == ["振宁区块加装电梯与停车改造方案"]
        assert (await client.get(f"/plans/{plans[0]['id']}/votes/mine", headers=wang)).status_code == 404
        r = await client.put(f"/plans/{plans[0]['id']}/votes/mine", json={"choice": "for"}, headers=wang)
        assert r.status_code == 200 and r.json()["household_label"] == "1幢101"
        results = (await client.get(f"/plans/{plans[0]['id']}/results", headers=wang)).json()
        assert results["eligible_households"] == 120 and results["voted_households"] == 91
