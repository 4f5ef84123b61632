"""Personal data on the wire, in logs and in events: a flow that registers people with ID numbers and mobile
numbers in three areas (a job seeker, a patient with an abnormal reading, a household member), then

- responses to readers who are not entitled carry the values masked,
- no log line of any app (gateway and the four services, for the whole package's run: matrix, fuzzing and this
  flow) and no event body in any service's outbox holds an ID number or a mobile number.

Runs last in the package (file order), so the scanned logs cover everything the other tests did."""

from __future__ import annotations

import asyncio
import re
from datetime import date

from sqlalchemy import text

from shared.database import create_engine
from shared.demo_people import DANGSHAN, GUALI
from shared.identity import is_valid_id_number, make_id_number
from tests.support.processes import ENV_PREFIX

# Standalone numbers only: a run of digits inside a hex request id or a UUID is not a phone number.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")
SERVICES = ("renovation", "jobs", "community", "chronic_care")

SEEKER = {"id_number": make_id_number("330109", date(1980, 2, 14), 37), "name": "测试求职者",
          "phone": "13912345678", "street_code": GUALI}
PATIENT = {"id_number": make_id_number("330109", date(1949, 10, 1), 52), "name": "测试患者",
           "phone": "13787654321", "conditions": [{"code": "I10"}], "community_code": DANGSHAN}
MEMBER = {"id_number": make_id_number("330109", date(2019, 6, 1), 64), "name": "测试儿童", "phone": "15011112222"}
SECRETS = [SEEKER["id_number"], SEEKER["phone"], PATIENT["id_number"], PATIENT["phone"], MEMBER["id_number"],
           MEMBER["phone"]]


def id_numbers(text_: str) -> list[str]:
    return sorted({m for m in ID_NUMBER.findall(text_) if is_valid_id_number(m)})


def leaks(text_: str) -> list[str]:
    return sorted(set(id_numbers(text_)) | set(MOBILE.findall(text_)) | {s for s in SECRETS if s in text_})


def run_flow(platform) -> tuple[dict, dict]:
    seeker = platform.api("jobs", "POST", "jobs/seekers", json=SEEKER)
    assert seeker.status_code == 201, seeker.text
    stations = platform.api("doctor", "GET", "chronic-care/stations").json()["items"]
    mine = next(s for s in stations if "doctor" in {m["subject"] for m in s["staff"]})
    patient = platform.api("doctor", "POST", "chronic-care/patients", json={**PATIENT, "station_id": mine["id"]})
    assert patient.status_code == 201, patient.text
    reading = platform.api("doctor", "POST", "chronic-care/readings",
                           json={"patient_id": patient.json()["id"], "measure": "blood_pressure",
                                 "systolic": 192, "diastolic": 118, "pulse": 96})
    assert reading.status_code == 201, reading.text
    household = platform.api("community", "POST", "community/households",
                             json={"label": "测试户", "address": "振宁社区 1 幢 101", "community_code": DANGSHAN})
    assert household.status_code == 201, household.text
    member = platform.api("community", "POST", f"community/households/{household.json()['id']}/members", json=MEMBER)
    assert member.status_code == 201, member.text
    return seeker.json(), patient.json()


async def outbox_bodies(platform) -> list[str]:
    bodies = []
    for service in SERVICES:
        engine = create_engine(platform.apps[service].env[f"{ENV_PREFIX[service]}DATABASE_URL"])
        try:
            async with engine.connect() as conn:
                bodies += list((await conn.execute(text("SELECT payload FROM outbox"))).scalars())
        finally:
            await engine.dispose()
    return bodies


def test_masked_for_readers_not_entitled_and_absent_from_logs_and_events(platform):
    seeker, _ = run_flow(platform)
    # The auditor reads everything masked; the area's staff see ID numbers masked in lists (a phone number is
    # theirs to call: a caseworker's follow-up, a social worker's alarm response).
    reads = (("auditor", "jobs/seekers"), ("auditor", f"jobs/seekers/{seeker['id']}"),
             ("auditor", "community/residents"), ("jobs", "jobs/seekers"), ("community", "community/residents"))
    for role, path in reads:
        answer = platform.api(role, "GET", path, params={"limit": 200} if path.count("/") == 1 else None)
        assert answer.status_code == 200, (role, path, answer.text)
        found = leaks(answer.text) if role == "auditor" else id_numbers(answer.text)
        assert not found, (role, path, found)

    for app in platform.apps.values():
        app_log = app.log_path.read_text(errors="replace") if app.log_path.exists() else ""
        assert app_log, f"{app.app} wrote no log: the scan would prove nothing"
        assert not leaks(app_log), f"{app.app} log holds personal numbers: {leaks(app_log)}"
    bodies = asyncio.run(outbox_bodies(platform))
    assert bodies  # the demo data and this flow published events (published rows may be pruned)
    leaking = [b for b in bodies if leaks(b)]
    assert not leaking, f"{len(leaking)} event bodies hold personal numbers, e.g. {leaking[0][:600]}"
