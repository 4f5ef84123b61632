"""The four cross-area flows as a client of the gateway sees them, each on people and places of its own (fresh
ID numbers, households, spaces), so that a flow can run any number of times on one platform with demo data.

Each ``flow_*`` function drives one flow through ``/api/v1`` with the demo users and returns what it made;
it raises AssertionError (with the last answer) when a step does not come about within the wait.
"""

from __future__ import annotations

import itertools
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

from shared.identity import make_id_number, person_ref
from shared.settings import DEV_PERSON_REF_KEY

DEMO_PASSWORD = "minsheng-demo"
STREET = "330109005"  # 宁围街道
COMMUNITY = "330109005001"  # 振宁社区
_sequence = itertools.count(random.randrange(1000))


def new_person(born_from: int = 1940, years: int = 40) -> dict[str, str]:
    """A made-up person with a valid ID number, a name and a phone (all three must never leave a service)."""
    n = next(_sequence)
    born = date(born_from + n % years, 1 + n % 12, 1 + n % 28)
    id_number = make_id_number("330109", born, random.randrange(1000))
    return {"id_number": id_number, "name": f"测试{uuid.uuid4().hex[:4]}", "phone": f"139{random.randrange(10**8):08d}",
            "person_ref": person_ref(id_number, DEV_PERSON_REF_KEY)}


def wait_for(check: Callable[[], Any], *, timeout: float = 20.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"{what} not met within {timeout}s (last: {last!r})")


@dataclass
class Client:
    """The gateway's REST surface, signed in as demo users (tokens cached per user)."""

    base_url: str
    tokens: dict[str, str] = field(default_factory=dict)
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=15))

    def token(self, username: str) -> str:
        if username not in self.tokens:
            r = self.http.post(f"{self.base_url}/api/v1/auth/token",
                               data={"username": username, "password": DEMO_PASSWORD})
            r.raise_for_status()
            self.tokens[username] = r.json()["access_token"]
        return self.tokens[username]

    def call(self, username: str, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token(username)}", **kwargs.pop("headers", {})}
        return self.http.request(method, f"{self.base_url}/api/v1/{path.lstrip('/')}", headers=headers, **kwargs)

    def ok(self, username: str, method: str, path: str, **kwargs) -> Any:
        r = self.call(username, method, path, **kwargs)
        assert r.status_code < 300, f"{method} {path} as {username}: {r.status_code} {r.text[:500]}"
        return r.json() if r.content else None


def register_patient(api: Client, person: dict[str, str]) -> dict:
    station = api.ok("doctor", "GET", "chronic-care/stations")["items"][0]
    return api.ok("doctor", "POST", "chronic-care/patients", json={
        "id_number": person["id_number"], "name": person["name"], "phone": person["phone"],
        "station_id": station["id"], "conditions": [{"code": "I10"}], "health_data_consent": True})


def open_visit(api: Client, ref: str) -> dict | None:
    items = api.ok("community", "GET", "community/visits", params={"person_ref": ref, "open": "true"})["items"]
    return items[0] if items else None


def flow_reading_to_visit_to_timeline(api: Client, *, timeout: float = 20.0) -> dict:
    """1. A flagged blood-pressure reading → a home visit for that person in community → once it is completed,
    the visit is on the patient's timeline in chronic care."""
    person = new_person()
    patient = register_patient(api, person)
    reading = api.ok("doctor", "POST", "chronic-care/readings", json={
        "patient_id": patient["id"], "measure": "blood_pressure", "systolic": 186, "diastolic": 118})
    assert reading["flagged"] is True, reading
    visit = wait_for(lambda: open_visit(api, patient["person_ref"]), timeout=timeout, what="home visit in community")
    assert visit["reason"] == "reading_flagged", visit
    done = api.ok("community", "POST", f"community/visits/{visit['id']}/complete", json={"outcome": "visited"})
    assert done["status"] == "done", done

    def on_timeline():
        items = api.ok("doctor", "GET", f"chronic-care/patients/{patient['id']}/timeline")["items"]
        return [e for e in items if e["kind"] == "community_visit" and e["ref_id"] == visit["id"]]

    entries = wait_for(on_timeline, timeout=timeout, what="visit on the patient's timeline")
    return {"person": person, "patient": patient, "visit": visit, "timeline": entries}


def new_household_with_kit(api: Client, people: list[dict[str, str]]) -> tuple[dict, list[dict]]:
    household = api.ok("community", "POST", "community/households", json={
        "label": f"振宁{random.randrange(1, 99)}幢{uuid.uuid4().hex[:4]}", "address": "宁围街道振宁社区",
        "community_code": COMMUNITY, "latitude": 30.2062, "longitude": 120.2816})
    for person in people:
        api.ok("community", "POST", f"community/households/{household['id']}/members", json={
            "id_number": person["id_number"], "name": person["name"], "phone": person["phone"]})
    serial = uuid.uuid4().hex[:10]
    devices = api.ok("community", "POST", f"community/households/{household['id']}/kit", json={
        "vendor_code": "anju", "devices": [{"type": t, "serial_no": f"{t[:3]}-{serial}"}
                                           for t in ("smoke", "gas", "emergency_button", "door_sensor")]})
    return household, devices


def flow_emergency_button(api: Client, *, timeout: float = 20.0) -> dict:
    """2. The emergency button of a household whose member is a chronic patient → a work order in community and
    the patient flagged for follow-up in chronic care."""
    patient_person, other = new_person(), new_person()
    patient = register_patient(api, patient_person)
    household, devices = new_household_with_kit(api, [patient_person, other])
    button = next(d for d in devices if d["type"] == "emergency_button")
    receipt = api.ok("community", "POST", f"community/devices/{button['id']}/alerts", json={"kind": "alarm"})
    assert receipt["opened_work_order"] is True
    order = api.ok("community", "GET", f"community/work-orders/{receipt['work_order_id']}")

    def flagged():
        p = api.ok("doctor", "GET", f"chronic-care/patients/{patient['id']}")
        return p if p["flagged_since"] else None

    flagged_patient = wait_for(flagged, timeout=timeout, what="patient flagged for follow-up")
    follow_ups = api.ok("doctor", "GET", "chronic-care/follow-ups", params={"patient_id": patient["id"]})["items"]
    return {"person": patient_person, "other": other, "patient": flagged_patient, "work_order": order,
            "follow_ups": follow_ups, "household": household}


def nearby_station(api: Client, name: str, latitude: float, longitude: float) -> dict | None:
    found = api.ok("resident", "GET", "community/stations/nearby",
                   params={"latitude": latitude, "longitude": longitude, "minutes": 15, "limit": 100})
    return next((s for s in found["items"] if s["name"] == name), None)


def flow_space_to_station(api: Client, *, timeout: float = 20.0) -> dict:
    """3. A space commissioned in renovation → a new service station in community, found by the 15-minute
    search from a point nearby."""
    name = f"振宁架空层托育点{uuid.uuid4().hex[:6]}"
    latitude, longitude = 30.2060 + random.uniform(-0.002, 0.002), 120.2810 + random.uniform(-0.002, 0.002)
    space = api.ok("renovation", "POST", "renovation/spaces", json={
        "name": name, "kind": "stilt_floor", "community_code": COMMUNITY, "address": "振宁社区架空层",
        "latitude": latitude, "longitude": longitude, "area_m2": 180.0, "service_type": "childcare"})
    assert nearby_station(api, name, latitude + 0.003, longitude) is None
    commissioned = api.ok("renovation", "POST", f"renovation/spaces/{space['id']}/commission")
    # ~330 m away: inside the 15-minute walk.
    station = wait_for(lambda: nearby_station(api, name, latitude + 0.003, longitude), timeout=timeout,
                       what="station in the 15-minute search")
    return {"space": commissioned, "station": station}


def jobs_figures(api: Client) -> dict[str, float]:
    """The jobs area of the district's one-screen overview (as the gateway composes it), for the demo street."""
    overview = api.ok("admin", "GET", "dashboard/overview", params={"street_code": STREET})
    assert overview["areas"]["jobs"]["status"] == "ok", overview["unavailable"]
    return overview["areas"]["jobs"]["figures"]


def flow_placement(api: Client) -> dict:
    """4. A job seeker placed → the benefit stops and the zero-employment household is cleared; the overview's
    figures move accordingly."""
    seeker_person, spouse = new_person(1976, 20), new_person(1976, 20)
    household = api.ok("jobs", "POST", "jobs/households", json={
        "street_code": STREET, "community_code": COMMUNITY, "label": f"振宁{uuid.uuid4().hex[:4]}",
        "members": [{"id_number": seeker_person["id_number"]}, {"id_number": spouse["id_number"]}]})
    seeker = api.ok("jobs", "POST", "jobs/seekers", json={
        "id_number": seeker_person["id_number"], "name": seeker_person["name"], "phone": seeker_person["phone"],
        "street_code": STREET, "community_code": COMMUNITY, "household_id": household["id"],
        "priority_groups": ["zero_employment_household"]})
    today = date.today()
    claim = api.ok("jobs", "POST", "jobs/benefits/claims", json={
        "seeker_id": seeker["id"], "monthly_amount_fen": 189_000, "months_entitled": 12,
        "start_period": f"{today:%Y-%m}"})
    claim = api.ok("jobs-approver", "POST", f"jobs/benefits/claims/{claim['id']}/approve",
                   json={"reason": "参保缴费满一年，非因本人意愿中断就业"})
    assert claim["status"] == "approved"
    before = jobs_figures(api)
    placement = api.ok("jobs", "POST", "jobs/placements", json={
        "seeker_id": seeker["id"], "placement_type": "self_employed", "monthly_salary_fen": 520_000})
    after = jobs_figures(api)
    return {"person": seeker_person, "spouse": spouse, "seeker": seeker, "placement": placement,
            "claim": api.ok("jobs", "GET", f"jobs/benefits/claims/{claim['id']}"),
            "household": api.ok("jobs", "GET", f"jobs/households/{household['id']}"),
            "before": before, "after": after}
