"""Test data builders that go through the API, as a station would."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared.identity import make_id_number, person_ref
from shared.settings import DEV_PERSON_REF_KEY
from shared.testing import identity_headers

ADMIN = identity_headers("admin", subject="district-admin")
AUDITOR = identity_headers("auditor")
DOCTOR = identity_headers("doctor", subject="dr-li")
OTHER_DOCTOR = identity_headers("doctor", subject="dr-wang")
PLATFORM = identity_headers("integration", subject="health-brain", kind="api_key",
                            scopes=frozenset({"chronic_care:orders"}))
DEVICE_HUB = identity_headers("integration", subject="bp-hub", kind="api_key",
                              scopes=frozenset({"chronic_care:readings"}))
NINGWEI, GUALI, DANGSHAN = "330109005", "330109011", "330109011001"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def id_number(seq: int, born: date = date(1950, 5, 1)) -> str:
    return make_id_number("330109", born, seq)


def ref_of(seq: int, born: date = date(1950, 5, 1)) -> str:
    return person_ref(id_number(seq, born), DEV_PERSON_REF_KEY)


def as_patient(seq: int, born: date = date(1950, 5, 1)) -> dict[str, str]:
    return identity_headers("resident", subject=f"resident-{seq}", person_ref=ref_of(seq, born))


def fix_time(client, at: datetime) -> None:
    client.app.state.clock = lambda: at


async def station(client, code: str = "meilin", staff=("dr-li",), street: str = GUALI,
                  community: str | None = DANGSHAN) -> dict:
    r = await client.post("/stations", json={"code": code, "name": f"{code} 健康站", "street_code": street,
                                              "community_code": community, "staff": list(staff)}, headers=ADMIN)
    assert r.status_code == 201, r.text
    return r.json()


async def drug(client, code: str, name: str = "苯磺酸氨氯地平", strength: str = "5mg") -> dict:
    r = await client.post("/drugs", json={"code": code, "generic_name": name, "form": "tablet",
                                           "strength": strength}, headers=ADMIN)
    assert r.status_code == 201, r.text
    return r.json()


async def patient(client, station_id: str, seq: int = 1, conditions=("I10",), headers=DOCTOR, **extra) -> dict:
    body = {"id_number": id_number(seq), "name": f"病人{seq}", "phone": "13800000000", "station_id": station_id,
            "conditions": [{"code": c} for c in conditions], "health_data_consent": True, **extra}
    r = await client.post("/patients", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def bp(client, patient_id: str, systolic: int, diastolic: int, headers=DOCTOR, **extra):
    return await client.post("/readings", json={"patient_id": patient_id, "measure": "blood_pressure",
                                                "systolic": systolic, "diastolic": diastolic, **extra},
                             headers=headers)


async def glucose(client, patient_id: str, value: float, context: str = "fasting", headers=DOCTOR, **extra):
    return await client.post("/readings", json={"patient_id": patient_id, "measure": "glucose",
                                                "glucose_mmol": value, "glucose_context": context, **extra},
                             headers=headers)
