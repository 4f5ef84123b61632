"""Dispensing without leaving the village: both paths end to end, stock, partial issue, catalogue growth."""

from datetime import timedelta

from services.chronic_care.tests.helpers import (
    ADMIN,
    DOCTOR,
    OTHER_DOCTOR,
    PLATFORM,
    T0,
    as_patient,
    drug,
    fix_time,
    patient,
    station,
)


async def _stock(client, station_id, drug_id, quantity, low=2):
    r = await client.post(f"/stations/{station_id}/catalogue", json={"drug_id": drug_id, "low_stock_level": low},
                          headers=DOCTOR)
    assert r.status_code == 201, r.text
    r = await client.post(f"/stations/{station_id}/stock-receipts", json={"drug_id": drug_id, "quantity": quantity},
                          headers=DOCTOR)
    assert r.status_code == 200, r.text
    return r.json()


async def _station_drug(client, station_id, drug_id):
    items = (await client.get(f"/stations/{station_id}/drugs", headers=DOCTOR)).json()["items"]
    return next(i for i in items if i["drug"]["id"] == drug_id)


async def _overview(client, **params):
    r = await client.get("/stats/overview", params=params, headers=ADMIN)
    assert r.status_code == 200, r.text
    return r.json()["figures"]


async def test_in_catalogue_refill_is_dispensed_at_the_station(make_client, db_backend):
    async with make_client(db_backend) as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"])
        amlodipine = await drug(client, "YP001")
        await _stock(client, s["id"], amlodipine["id"], 10)

        r = await client.post("/refills", json={"patient_id": p["id"], "drug_id": amlodipine["id"], "quantity": 2},
                              headers=as_patient(1))  # the patient asks from the app
        assert r.status_code == 201, r.text
        refill = r.json()
        assert (refill["path"], refill["status"]) == ("in_catalogue", "requested")

        fix_time(client, T0 + timedelta(minutes=30))
        r = await client.post(f"/refills/{refill['id']}/dispense", headers=DOCTOR)
        assert r.status_code == 200, r.text
        done = r.json()
        assert done["status"] == "dispensed" and done["dispensed_quantity"] == 2
        assert [s_["to_status"] for s_ in done["steps"]] == ["requested", "dispensed"]
        assert done["dispensations"][0]["partial"] is False
        assert done["dispensed_at"] == "2026-03-02T08:30:00Z"
        assert (await _station_drug(client, s["id"], amlodipine["id"]))["stock_quantity"] == 8

        r = await client.post(f"/refills/{refill['id']}/dispense", headers=DOCTOR)
        assert r.status_code == 409  # nothing more is owed
        figures = await _overview(client, year=2026)
        assert figures["dispensing_services"] == 1 and figures["drug_kinds_dispensed"] == 1
        assert figures["out_of_catalogue_orders"] == 0 and figures["new_out_of_catalogue_drugs"] == 0


async def test_out_of_catalogue_drug_is_ordered_approved_delivered_then_dispensed(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"])
        sitagliptin = await drug(client, "YP200", "磷酸西格列汀", "100mg")

        r = await client.post("/refills", json={"patient_id": p["id"], "drug_id": sitagliptin["id"], "quantity": 3},
                              headers=DOCTOR)
        order = r.json()
        assert r.status_code == 201 and (order["path"], order["status"]) == ("out_of_catalogue", "ordered")
        # Nothing can be dispensed before the drug arrives.
        assert (await client.post(f"/refills/{order['id']}/dispense", headers=DOCTOR)).status_code == 409
        assert (await client.post(f"/refills/{order['id']}/deliver", headers=DOCTOR)).status_code == 409
        # The district platform decides, never a station doctor (and never the requester).
        assert (await client.post(f"/refills/{order['id']}/approve", headers=DOCTOR)).status_code == 403
        queue = (await client.get("/drug-orders", params={"status": "ordered"}, headers=PLATFORM)).json()["items"]
        assert [o["id"] for o in queue] == [order["id"]] and "patient_id" not in queue[0]

        fix_time(client, T0 + timedelta(hours=2))
        r = await client.post(f"/refills/{order['id']}/approve", headers=PLATFORM)
        assert r.status_code == 200 and r.json()["status"] == "approved"
        fix_time(client, T0 + timedelta(days=1))
        r = await client.post(f"/refills/{order['id']}/deliver", headers=DOCTOR)
        assert r.status_code == 200 and r.json()["status"] == "delivered", r.text
        held = await _station_drug(client, s["id"], sitagliptin["id"])
        assert held["in_catalogue"] is False and held["stock_quantity"] == 3
        fix_time(client, T0 + timedelta(days=1, hours=1))
        r = await client.post(f"/refills/{order['id']}/dispense", headers=DOCTOR)
        done = r.json()
        assert r.status_code == 200 and done["status"] == "dispensed"
        assert [(x["to_status"], x["at"]) for x in done["steps"]] == [
            ("ordered", "2026-03-02T08:00:00Z"), ("approved", "2026-03-02T10:00:00Z"),
            ("delivered", "2026-03-03T08:00:00Z"), ("dispensed", "2026-03-03T09:00:00Z")]
        assert done["dispensations"][0]["out_of_catalogue"] is True

        # First got by order, now taken into the station's own catalogue.
        r = await client.post(f"/stations/{s['id']}/catalogue", json={"drug_id": sitagliptin["id"]}, headers=DOCTOR)
        assert r.status_code == 201 and r.json()["catalogued_via"] == "out_of_catalogue_order"
        r = await client.post(f"/stations/{s['id']}/catalogue", json={"drug_id": sitagliptin["id"]}, headers=DOCTOR)
        assert r.status_code == 409
        figures = await _overview(client, year=2026)
        assert figures["out_of_catalogue_orders"] == 1 and figures["new_out_of_catalogue_drugs"] == 1
        assert figures["drugs_added_to_catalogue"] == 1 and figures["dispensing_services"] == 1
        # Next time the same drug is dispensed on the spot.
        r = await client.post("/refills", json={"patient_id": p["id"], "drug_id": sitagliptin["id"], "quantity": 1},
                              headers=DOCTOR)
        assert r.json()["path"] == "in_catalogue"


async def test_short_stock_gives_a_partial_issue_then_the_rest(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"])
        metformin = await drug(client, "YP010", "盐酸二甲双胍", "0.5g")
        await _stock(client, s["id"], metformin["id"], 3, low=5)
        refill = (await client.post("/refills", json={"patient_id": p["id"], "drug_id": metformin["id"],
                                                      "quantity": 5}, headers=DOCTOR)).json()
        r = await client.post(f"/refills/{refill['id']}/dispense", headers=DOCTOR)
        part = r.json()
        assert r.status_code == 200 and part["status"] == "partially_dispensed" and part["dispensed_quantity"] == 3
        assert part["dispensations"][0]["partial"] is True
        low = (await client.get(f"/stations/{s['id']}/drugs", params={"low_stock": True}, headers=DOCTOR)).json()
        assert [i["drug"]["code"] for i in low["items"]] == ["YP010"] and low["items"][0]["stock_quantity"] == 0
        assert (await client.post(f"/refills/{refill['id']}/dispense", headers=DOCTOR)).status_code == 409

        await client.post(f"/stations/{s['id']}/stock-receipts", json={"drug_id": metformin["id"], "quantity": 20},
                          headers=DOCTOR)
        r = await client.post(f"/refills/{refill['id']}/dispense", json={"quantity": 9}, headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "quantity"
        r = await client.post(f"/refills/{refill['id']}/dispense", headers=DOCTOR)
        done = r.json()
        assert done["status"] == "dispensed" and [d["quantity"] for d in done["dispensations"]] == [3, 2]
        assert (await _station_drug(client, s["id"], metformin["id"]))["stock_quantity"] == 18
        figures = await _overview(client)
        assert figures["partial_dispensings"] == 1 and figures["low_stock_items"] == 0


async def test_refill_rules_and_who_may_act(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"])
        d = await drug(client, "YP020")
        body = {"patient_id": p["id"], "drug_id": d["id"], "quantity": 1}
        # Another station's doctor, an auditor and another patient are refused.
        assert (await client.post("/refills", json=body, headers=OTHER_DOCTOR)).status_code == 403
        assert (await client.post("/refills", json=body, headers=as_patient(2))).status_code == 403
        r = await client.post("/refills", json={**body, "drug_id": "00000000-0000-0000-0000-000000000000"},
                              headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "drug_id"
        r = await client.post("/refills", json={**body, "quantity": 0}, headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "quantity"
        # A retried request with the same Idempotency-Key creates nothing twice.
        key = {"Idempotency-Key": "refill-123"}
        first = await client.post("/refills", json=body, headers={**DOCTOR, **key})
        again = await client.post("/refills", json=body, headers={**DOCTOR, **key})
        assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
        clash = await client.post("/refills", json={**body, "quantity": 2}, headers={**DOCTOR, **key})
        assert clash.status_code == 409
        listing = (await client.get("/refills", headers=DOCTOR)).json()["items"]
        assert len(listing) == 1
        # Rejection by the platform closes the order; nothing is dispensed.
        r = await client.post(f"/refills/{first.json()['id']}/reject", json={"reason": "停产"}, headers=ADMIN)
        assert r.status_code == 200 and r.json()["status"] == "rejected"
        assert (await client.post(f"/refills/{first.json()['id']}/approve", headers=ADMIN)).status_code == 409
