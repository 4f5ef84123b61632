"""Personal data on the wire, in logs and in events: a flow that registers people with ID numbers and mobile
numbers in three areas (a job seeker, a patient with an abnormal reading, a household member and her child),
then

- every read, by anyone (the staff who serve them included), carries the values masked: the full value comes
  only from ``POST .../{id}/reveal`` with a reason, to an entitled caller, and leaves one audit row,
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
GUARDIAN = {"id_number": make_id_number("330109", date(1990, 3, 8), 63), "name": "测试家长", "phone": "15033334444"}
MEMBER = {"id_number": make_id_number("330109", date(2019, 6, 1), 64), "name": "测试儿童", "phone": "15011112222"}
SECRETS = [SEEKER["id_number"], SEEKER["phone"], PATIENT["id_number"], PATIENT["phone"], MEMBER["id_number"],
           MEMBER["phone"], GUARDIAN["id_number"], GUARDIAN["phone"]]


def id_numbers(text_: str) -> list[str]:
    return sorted({m for m in ID_NUMBER.findall(text_) if is_valid_id_number(m)})


def leaks(text_: str) -> list[str]:
    return sorted(set(id_numbers(text_)) | set(MOBILE.findall(text_)) | {s for s in SECRETS if s in text_})


def run_flow(platform) -> tuple[dict, dict, dict]:
    seeker = platform.api("jobs", "POST", "jobs/seekers", json=SEEKER)
    assert seeker.status_code == 201, seeker.text
    stations = platform.api("doctor", "GET", "chronic-care/stations").json()["items"]
    mine = next(s for s in stations if "doctor" in {m["subject"] for m in s["staff"]})
    patient = platform.api("doctor", "POST", "chronic-care/patients",
                           json={**PATIENT, "station_id": mine["id"], "health_data_consent": True})
    assert patient.status_code == 201, patient.text
    reading = platform.api("doctor", "POST", "chronic-care/readings",
                           json={"patient_id": patient.json()["id"], "measure": "blood_pressure",
                                 "systolic": 192, "diastolic": 118, "pulse": 96})
    assert reading.status_code == 201, reading.text
    household = platform.api("community", "POST", "community/households",
                             json={"label": "测试户", "address": "振宁社区 1 幢 101", "community_code": DANGSHAN})
    assert household.status_code == 201, household.text
    members = f"community/households/{household.json()['id']}/members"
    guardian = platform.api("community", "POST", members, json=GUARDIAN)
    assert guardian.status_code == 201, guardian.text
    member = platform.api("community", "POST", members,
                          json={**MEMBER, "minor_data_consent": True, "guardian_id": guardian.json()["id"]})
    assert member.status_code == 201, member.text
    return seeker.json(), patient.json(), member.json()


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


def test_masked_everywhere_unless_revealed_and_absent_from_logs_and_events(platform):
    seeker, patient, member = run_flow(platform)
    # Lists and single records, for the auditor and for the staff who serve the person alike.
    reads = (("auditor", "jobs/seekers"), ("auditor", f"jobs/seekers/{seeker['id']}"), ("jobs", "jobs/seekers"),
             ("jobs", f"jobs/seekers/{seeker['id']}"), ("auditor", "community/residents"),
             ("community", "community/residents"), ("community", f"community/residents/{member['id']}"),
             ("community", f"community/households/{member['household_id']}"), ("doctor", "chronic-care/patients"),
             ("doctor", f"chronic-care/patients/{patient['id']}"), ("doctor", "chronic-care/follow-ups/overdue"))
    for role, path in reads:
        answer = platform.api(role, "GET", path, params={"limit": 200} if path.count("/") == 1 else None)
        assert answer.status_code == 200, (role, path, answer.text)
        assert not leaks(answer.text), (role, path, leaks(answer.text))

    # Revealed one field at a time, to the entitled, with a reason; refused to the auditor.
    revealed = (("jobs", f"jobs/seekers/{seeker['id']}/reveal", "phone", SEEKER["phone"]),
                ("doctor", f"chronic-care/patients/{patient['id']}/reveal", "id_number", PATIENT["id_number"]),
                ("community", f"community/residents/{member['id']}/reveal", "phone", MEMBER["phone"]))
    for role, path, field, value in revealed:
        answer = platform.api(role, "POST", path, json={"field": field, "reason": "安全测试：核对信息"})
        assert answer.status_code == 200 and answer.json()["value"] == value, (role, path, answer.text)
        refused = platform.api("auditor", "POST", path, json={"field": field, "reason": "安全测试：核对信息"})
        assert refused.status_code == 403 and not leaks(refused.text), (path, refused.text)
    for area, ref in (("jobs", seeker["person_ref"]), ("chronic-care", patient["person_ref"]),
                      ("community", member["person_ref"])):
        log = platform.api("auditor", "GET", f"{area}/audit", params={"person_ref": ref, "action": "reveal"})
        assert [e["reason"] for e in log.json()["items"]] == ["安全测试：核对信息"], (area, log.text)
        assert not leaks(log.text)

    for app in platform.apps.values():
        app_log = app.log_path.read_text(errors="replace") if app.log_path.exists() else ""
        assert app_log, f"{app.app} wrote no log: the scan would prove nothing"
        assert not leaks(app_log), f"{app.app} log holds personal numbers: {leaks(app_log)}"
    bodies = asyncio.run(outbox_bodies(platform))
    assert bodies  # the demo data and this flow published events (published rows may be pruned)
    leaking = [b for b in bodies if leaks(b)]
    assert not leaking, f"{len(leaking)} event bodies hold personal numbers, e.g. {leaking[0][:600]}"
