"""The demo data: at the seed's scale, consistent with the rules, loaded once however often it is asked."""

from sqlalchemy import func, select

from services.community.demo import load_demo
from services.community.tests.helpers import AUDITOR, outbox_payloads
from services.community.workorders.models import WorkOrder
from shared.demo_people import RESIDENT
from shared.settings import DEV_PERSON_REF_KEY
from shared.testing import identity_headers


async def test_demo_loads_once_at_the_seeds_scale(make_client):
    async with make_client("sqlite") as client:
        factory, settings = client.app.state.session_factory, client.app.state.settings
        await load_demo(factory, settings)
        await load_demo(factory, settings)  # a second run does nothing
        async with factory() as session:
            orders = await session.scalar(select(func.count()).select_from(WorkOrder))
        f = (await client.get("/stats/overview", headers=AUDITOR)).json()["figures"]
        assert f["courses"] >= 160 and f["course_enrolments"] > 1000 and f["course_attendances"] > 0
        assert f["households_with_kit"] == 300 and f["devices_active"] == 1200
        assert 200 <= f["alerts"] <= 400 and f["work_orders_raised"] == orders
        assert f["work_orders_open"] >= 2 and f["meals_served"] > 1000 and f["meal_subsidy_fen"] > 0
        assert f["stations"] >= 8 and 0 < f["childcare_occupancy_pct"] <= 100 and f["visits_open"] > 0
        hub = (await client.get("/stations", params={"kind": "five_in_one"}, headers=AUDITOR)).json()["items"]
        assert [s["name"] for s in hub] == ["宁惠驿站"]

        # 王秀英 sees herself; her emergency call went out as an event (the areas meet on her person_ref).
        ref = RESIDENT.ref(DEV_PERSON_REF_KEY)
        me = (await client.get("/residents/me", headers=identity_headers("resident", person_ref=ref))).json()
        assert me["me"]["name"] == RESIDENT.name and "elderly_living_alone" in me["me"]["groups"]
        raised = await outbox_payloads(client, "community.alert.raised")
        assert any(ref in event["person_refs"] and event["device_type"] == "emergency_button" for event in raised)
        near = (await client.get("/stations/nearby", headers=identity_headers("resident", person_ref=ref))).json()
        assert near["items"][0]["name"] == "宁惠驿站"
        # The demo's history obeys the loop: every resolved order was acknowledged first.
        orders = (await client.get("/work-orders", params={"status": "reviewed", "limit": 200},
                                   headers=AUDITOR)).json()["items"]
        assert orders and all(o["acknowledged_at"] <= o["resolved_at"] <= o["reviewed_at"] for o in orders)
        assert all(o["reviewed_by"] != o["resolved_by"] for o in orders)
