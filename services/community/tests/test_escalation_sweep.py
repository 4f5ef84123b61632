"""The escalation sweep runs in the background and keeps its state in the database: an order raised before a
restart escalates after it, at the limits configured."""

from datetime import timedelta

from services.community.tests.helpers import AUDITOR, STAFF, T0, device_key, fix_time, household, kit
from shared.testing import eventually


async def test_an_order_raised_before_a_restart_escalates_after_it(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        url = client.database_url
        smoke = (await kit(client, (await household(client))["id"]))["smoke"]
        key = device_key(f"community:alerts:device:{smoke['id']}")
        receipt = (await client.post(f"/devices/{smoke['id']}/alerts", json={}, headers=key)).json()
    # The service was down for ten minutes; limits are configured to one minute for critical alerts.
    later = T0 + timedelta(minutes=10)
    async with make_client(url=url, clock=lambda: later, escalation_sweep_seconds=0.05,
                           ack_limits_seconds={"critical": 60},
                           default_duty_chain=["post:grid", "post:duty-officer", "post:secretary"]) as client:

        async def escalated():
            order = (await client.get(f"/work-orders/{receipt['work_order_id']}", headers=AUDITOR)).json()
            return order if order["escalation_level"] >= 8 else None

        order = await eventually(escalated)
        assert order["escalation_level"] == 8  # deadlines at 3, 4, ... 10 minutes
        # The order was raised under the old limit (180 s): first deadline at 3 min, then every minute.
        assert order["escalations"][0]["deadline_missed"] == (T0 + timedelta(minutes=3)).isoformat().replace(
            "+00:00", "Z")
        assert order["assignee"] == "post:secretary"
        assert [e["to_assignee"] for e in order["escalations"][:3]] == ["post:duty-officer", "post:secretary",
                                                                          "post:secretary"]
        r = await client.post(f"/work-orders/{receipt['work_order_id']}/acknowledge", json={}, headers=STAFF)
        assert r.status_code == 200
        level = r.json()["escalation_level"]
        client.app.state.clock = lambda: later + timedelta(hours=1)
        await client.app.state.escalation_sweep.run_once()
        order = (await client.get(f"/work-orders/{receipt['work_order_id']}", headers=AUDITOR)).json()
        assert order["escalation_level"] == level and order["ack_due_at"] is None
        feed = (await client.get("/feed", params={"after": 0, "limit": 500}, headers=AUDITOR)).json()["items"]
        assert {"workorder.raised", "alert.raised", "workorder.escalated", "workorder.acknowledged"} <= {
            m["kind"] for m in feed}
