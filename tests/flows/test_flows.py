"""The four cross-area flows end to end: a client of the gateway, the services as separate processes, events
through the real RabbitMQ. People are matched across services only by person_ref; no message body carries a
name, ID number, phone number or health detail."""

from __future__ import annotations

import json
import re
import time
from datetime import date

import pytest

from shared import demo_people
from shared.testing import AMQP_URL
from tests.e2e.platform import run_async
from tests.flows import scenarios
from tests.flows.probe import Probe, json_keys, parse

pytestmark = pytest.mark.slow


def test_flagged_reading_becomes_a_home_visit_and_the_visit_comes_back_on_the_timeline(api):
    out = scenarios.flow_reading_to_visit_to_timeline(api)
    visit = out["visit"]
    assert visit["person_ref"] == out["patient"]["person_ref"]
    assert (visit["reason"], visit["priority"], visit["created_by"]) == ("reading_flagged", "critical",
                                                                          "event:chronic_care")
    # Community learns that a visit is needed, not why medically: no reading in the visit.
    # (as values: ids are hex and may contain these digits, so look for the numbers standing alone)
    values = re.findall(r"(?<![0-9a-fA-F-])\d+(?:\.\d+)?(?![0-9a-fA-F-])", json.dumps(visit))
    assert "186" not in values and "118" not in values
    assert not {"systolic", "diastolic", "reading", "value"} & set(visit)
    [entry] = out["timeline"]
    assert entry["source"] == "community"
    assert entry["summary"].startswith("Home visit by community staff: visited (after the critical reading")
    time.sleep(1.0)  # a redelivery would add a second entry by now
    timeline = api.ok("doctor", "GET", f"chronic-care/patients/{out['patient']['id']}/timeline")["items"]
    assert [e["ref_id"] for e in timeline if e["kind"] == "community_visit"] == [visit["id"]]
    # One visit for the one flag.
    visits = api.ok("community", "GET", "community/visits", params={"person_ref": visit["person_ref"]})["items"]
    assert [v["id"] for v in visits] == [visit["id"]]


def test_emergency_button_opens_a_work_order_and_flags_the_patient_for_follow_up(api):
    out = scenarios.flow_emergency_button(api)
    order = out["work_order"]
    assert (order["device_type"], order["category"], order["severity"]) == ("emergency_button", "emergency",
                                                                            "critical")
    assert order["household_id"] == out["household"]["id"]
    assert out["patient"]["flagged_since"] is not None
    scheduled = [f for f in out["follow_ups"] if f["status"] == "scheduled"]
    assert scheduled, out["follow_ups"]
    timeline = api.ok("doctor", "GET", f"chronic-care/patients/{out['patient']['id']}/timeline")["items"]
    assert any("Emergency-button alert" in e["summary"] for e in timeline), timeline


def test_commissioned_space_becomes_a_station_found_by_the_15_minute_search(api):
    out = scenarios.flow_space_to_station(api)
    station, space = out["station"], out["space"]
    assert space["status"] == "commissioned"
    assert station["source_space_id"] == space["id"]
    assert station["services"] == ["childcare"] and station["status"] == "open"
    assert station["walk_minutes"] <= 15
    # Three kilometres away it is outside the circle.
    assert scenarios.nearby_station(api, space["name"], space["latitude"] + 0.027, space["longitude"]) is None
    # Once only, however often the event came.
    time.sleep(0.5)
    stations = api.ok("community", "GET", "community/stations", params={"community_code": scenarios.COMMUNITY,
                                                                    "service": "childcare", "limit": 200})["items"]
    assert [s["id"] for s in stations if s.get("source_space_id") == space["id"]] == [station["id"]]


def test_placement_stops_the_benefit_clears_the_household_and_moves_the_overview(api):
    out = scenarios.flow_placement(api)
    claim, household = out["claim"], out["household"]
    today = date.today()
    next_period = f"{today.year + today.month // 12:04d}-{today.month % 12 + 1:02d}"
    assert (claim["status"], claim["stop_reason"], claim["stop_from_period"]) == ("stopped", "placed", next_period)
    assert household["status"] == "clear" and household["cleared_at"] is not None
    before, after = out["before"], out["after"]
    moved = {k: after[k] - before[k] for k in before if after.get(k) != before[k]}
    assert moved["zero_employment_households"] == -1
    assert moved["households_cleared"] == 1
    assert moved["benefit_claims_active"] == -1
    assert moved["new_urban_jobs"] == 1


ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
HEALTH_KEYS = {"systolic", "diastolic", "pulse", "glucose_mmol", "glucose_context", "grade", "conditions",
               "diagnosis", "condition", "measure", "note", "notes", "phone", "id_number"}
HEALTH_WORDS = re.compile(r"hypertens|diabet|\bI10\b|\bE11\b|mmHg|mmol|高血压|糖尿病", re.IGNORECASE)


def test_no_message_body_carries_names_id_numbers_phones_or_health_details(platform, api):
    probe = Probe(AMQP_URL, platform.prefix)
    run_async(probe.bind())
    try:
        outs = [scenarios.flow_reading_to_visit_to_timeline(api), scenarios.flow_emergency_button(api),
                scenarios.flow_space_to_station(api), scenarios.flow_placement(api)]
        time.sleep(1.0)  # the relays' last sweep
        messages = run_async(probe.drain())
    finally:
        run_async(probe.delete())
    people = [p for o in outs for k in ("person", "other", "spouse") if (p := o.get(k))]
    people += [{"name": p.name, "id_number": p.id_number, "phone": p.phone} for p in demo_people.ALL]
    types = set()
    for exchange, body in messages:
        text = body.decode()
        envelope = parse(body)
        types.add(envelope["type"])
        for person in people:
            for what in ("name", "id_number", "phone"):
                assert person[what] not in text, f"{what} in {envelope['type']} on {exchange}"
        assert not ID_NUMBER.search(text), f"an ID number in {envelope['type']}"
        assert not PHONE.search(text), f"a phone number in {envelope['type']}"
        assert not (json_keys(envelope["data"]) & HEALTH_KEYS), f"{envelope['type']}: {envelope['data']}"
        assert not HEALTH_WORDS.search(text), f"a health detail in {envelope['type']}: {text}"
    # The probe saw every flow's events (so the check above covered them).
    assert {"chronic_care.reading.flagged", "community.visit.completed", "community.alert.raised",
            "renovation.space.commissioned", "jobs.seeker.placed", "jobs.benefit.stopped",
            "jobs.household.cleared"} <= types, types
    # And people travel by person_ref: the patient's ref is in the flag that asked for the visit.
    flagged = [parse(b) for _, b in messages if parse(b)["type"] == "chronic_care.reading.flagged"]
    assert outs[0]["patient"]["person_ref"] in {m["data"]["person_ref"] for m in flagged}
