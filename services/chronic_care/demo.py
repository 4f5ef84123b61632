"""Demo data at the seed's scale: the 梅林智慧健康站 of the 党山 branch centre (瓜沥镇) served 566 dispensings
of 295 drug kinds in January–October, 174 of them drugs newly got outside its catalogue through the district
platform; plus 振宁's station in 宁围, where the demo resident (a 75-year-old hypertensive woman living alone)
is cared for. Loaded once (nothing happens when the stations exist); no events are published for history."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.chronic_care.demo_drugs import district_catalogue
from services.chronic_care.dispensing.models import Dispensation, Refill, RefillStep
from services.chronic_care.drugs.models import Drug
from services.chronic_care.followups.models import FollowUp
from services.chronic_care.labs.models import LabTest
from services.chronic_care.monitoring.models import Reading
from services.chronic_care.patients.consent import HEALTH_DATA, Consent
from services.chronic_care.patients.models import Patient, PatientCondition
from services.chronic_care.patients.rules import GRADE_RANK, category, sex_from_id_number
from services.chronic_care.referrals.models import Referral, ReferralStep
from services.chronic_care.rehab.models import NursingPlan, NursingVisit
from services.chronic_care.stations.models import Station, StationStaff
from services.chronic_care.stats.rebuild import rebuild_counters
from services.chronic_care.stock.models import StationDrug, StockMovement
from services.chronic_care.thresholds.rules import (
    DEFAULTS,
    applicable_keys,
    bp_controlled,
    glucose_controlled,
    grade_blood_pressure,
    grade_glucose,
    worst,
)
from services.chronic_care.timeline.models import TimelineEntry
from shared import demo_people
from shared.database import unit_of_work, utcnow
from shared.identity import make_id_number, person_ref

# The seed's figures for the 梅林 station, January–October.
DISPENSING_SERVICES = 566
DRUG_KINDS = 295
NEW_OUT_OF_CATALOGUE = 174
OUT_OF_CATALOGUE_ORDERS = 190  # some new drugs were ordered more than once
ADDED_TO_CATALOGUE = 40
DOCTOR = "doctor"  # the demo user with the doctor role works at both stations
STATIONS = (
    {"code": "meilin", "name": "瓜沥镇社区卫生服务中心党山分中心梅林智慧健康站", "street_code": demo_people.GUALI,
     "community_code": demo_people.DANGSHAN, "staff": (DOCTOR, "dr-ni")},
    {"code": "zhenning", "name": "宁围街道振宁社区卫生服务站", "street_code": demo_people.NINGWEI,
     "community_code": demo_people.ZHENNING, "staff": (DOCTOR, "dr-yao")},
)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈倪"
_GIVEN = ("建国", "秀英", "桂英", "国强", "玉兰", "志明", "美华", "金水", "阿毛", "小妹", "根法", "月娥",
          "福根", "菊芳", "长林", "兰芳", "伟民", "杏花", "荣通", "水娟", "春生", "阿大", "海英", "关林")
_DEFAULT_SETS = set(DEFAULTS)


def demo_year(now: datetime) -> int:
    """The last year whose January–October is over (the seed reports January–October)."""
    return now.year if now.month >= 11 else now.year - 1


async def load_demo(session_factory: async_sessionmaker[AsyncSession], settings) -> None:
    async with session_factory() as session:
        if await session.scalar(select(Station.id).where(Station.code == STATIONS[0]["code"])):
            return
        demo = _Demo(settings.person_ref_key.get_secret_value(), utcnow())
        demo.build()
        async with unit_of_work(session):
            for model in (Drug, Station, StationStaff, StationDrug, Patient, Consent, PatientCondition, Reading,
                          FollowUp, Refill, RefillStep, Dispensation, StockMovement, Referral, ReferralStep, LabTest,
                          NursingPlan, NursingVisit, TimelineEntry):
                rows = demo.rows[model]
                for start in range(0, len(rows), 1000):
                    await session.execute(insert(model), rows[start:start + 1000])
            await rebuild_counters(session)


class _Demo:
    def __init__(self, ref_key: str, now: datetime):
        self.ref_key = ref_key
        self.now = now
        self.year = demo_year(now)
        self.rng = random.Random(20221028)  # the seed's article date: the same demo every time
        self.rows: dict[type, list[dict]] = defaultdict(list)
        self.stations: dict[str, dict] = {}
        self.patients: dict[str, list[dict]] = defaultdict(list)
        self.categories: dict[uuid.UUID, set[str]] = {}

    # --- helpers ---------------------------------------------------------------------------------------------

    def add(self, model: type, **values) -> dict:
        values.setdefault("id", uuid.uuid4())
        self.rows[model].append(values)
        return values

    def timeline(self, patient: dict, kind: str, ref_id: uuid.UUID, summary: str, at: datetime,
                 source: str = "chronic_care") -> None:
        self.add(TimelineEntry, patient_id=patient["id"], kind=kind, ref_id=ref_id, summary=summary, occurred_at=at,
                 source=source)

    def moment(self, start: datetime, end: datetime) -> datetime:
        """A time within station hours (08:00–16:00 Beijing = 00:00–08:00 UTC) between start and end."""
        day = start + timedelta(days=self.rng.randrange(max(1, (end - start).days)))
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=self.rng.randrange(480))

    # --- the world -------------------------------------------------------------------------------------------

    def build(self) -> None:
        self.drugs = [self.add(Drug, **row) for row in district_catalogue()]
        for spec in STATIONS:
            station = self.add(Station, code=spec["code"], name=spec["name"], street_code=spec["street_code"],
                               community_code=spec["community_code"])
            for subject in spec["staff"]:
                self.add(StationStaff, station_id=station["id"], subject=subject)
            self.stations[spec["code"]] = station
        self.people()
        for patients in self.patients.values():
            for patient in patients:
                self.readings(patient)
                self.follow_ups(patient)
        self.dispensing()
        self.referrals_labs_nursing()

    def person(self, station: dict, seq: int, conditions: list[str], *, id_number: str | None = None,
               name: str | None = None, phone: str | None = None, community: str | None = None) -> dict:
        born = date(self.rng.randrange(1938, 1972), self.rng.randrange(1, 13), self.rng.randrange(1, 29))
        id_number = id_number or make_id_number("330109", born, seq)
        registered = datetime(self.rng.randrange(2018, self.year), self.rng.randrange(1, 13),
                              self.rng.randrange(1, 29), 1, tzinfo=UTC)
        patient = self.add(
            Patient, person_ref=person_ref(id_number, self.ref_key), id_number=id_number,
            name=name or self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN),
            phone=phone or f"13{self.rng.randrange(5, 10)}{self.rng.randrange(10**8):08d}",
            sex=sex_from_id_number(id_number), birth_date=date(int(id_number[6:10]), int(id_number[10:12]),
                                                               int(id_number[12:14])),
            station_id=station["id"], family_doctor=DOCTOR, street_code=station["street_code"],
            community_code=community or station["community_code"], status="active", registered_at=registered,
            last_grade_rank=0,
        )
        # Signed at registration, as every patient's is (see patients/consent.py).
        self.add(Consent, person_ref=patient["person_ref"], purpose=HEALTH_DATA, granted_at=registered,
                 granted_by=DOCTOR, guardian_person_ref=None)
        for code in conditions:
            self.add(PatientCondition, patient_id=patient["id"], code=code, category=category(code))
        self.categories[patient["id"]] = {category(c) for c in conditions}
        self.timeline(patient, "registered", patient["id"], f"Registered at {station['name']}", registered)
        self.patients[station["code"]].append(patient)
        return patient

    def people(self) -> None:
        meilin, zhenning = self.stations["meilin"], self.stations["zhenning"]
        p = demo_people.PATIENT_DANGSHAN
        self.person(meilin, 0, ["E11"], id_number=p.id_number, name=p.name, phone=p.phone)
        r = demo_people.RESIDENT
        self.resident = self.person(zhenning, 0, ["I10"], id_number=r.id_number, name=r.name, phone=r.phone)
        for station, count in ((meilin, 179), (zhenning, 39)):
            for i in range(count):
                roll = self.rng.random()
                conditions = (["I10"] if roll < 0.55 else ["E11"] if roll < 0.8 else ["I10", "E11"] if roll < 0.95
                              else ["I10", self.rng.choice(["I25", "I69", "J44"])])
                self.person(station, 100 + i + (0 if station is meilin else 500), conditions)

    def readings(self, patient: dict) -> None:
        cats = self.categories[patient["id"]]
        start = datetime(self.year, 1, 1, tzinfo=UTC)
        measures = (["blood_pressure"] if "I10" in cats or "E11" not in cats else []) + (
            ["glucose"] if "E11" in cats else [])
        base_s, base_d = self.rng.gauss(138, 12), self.rng.gauss(84, 7)
        base_g = self.rng.gauss(7.0, 1.4)
        for measure in measures:
            times = sorted(self.moment(start, self.now - timedelta(days=2)) for _ in range(self.rng.randrange(4, 10)))
            for at in times:
                if measure == "blood_pressure":
                    s = max(95, min(230, round(base_s + self.rng.gauss(0, 10))))
                    d = max(55, min(130, round(base_d + self.rng.gauss(0, 6)), s - 25))
                    self.reading(patient, at, measure, systolic=s, diastolic=d)
                else:
                    context = self.rng.choice(["fasting", "fasting", "postprandial", "random"])
                    value = round(max(3.2, min(22.0, base_g + (2.2 if context != "fasting" else 0)
                                               + self.rng.gauss(0, 1.2))), 1)
                    self.reading(patient, at, measure, glucose_mmol=value, glucose_context=context)
        if patient is self.resident:  # her device sent a high reading three days ago
            self.reading(patient, self.now - timedelta(days=3), "blood_pressure", systolic=168, diastolic=96,
                         source="device")

    def reading(self, patient: dict, at: datetime, measure: str, *, source: str = "staff", **values) -> None:
        sets = [DEFAULTS[k] for k in applicable_keys(self.categories[patient["id"]], measure, _DEFAULT_SETS)]
        if measure == "blood_pressure":
            grade = worst([grade_blood_pressure(values["systolic"], values["diastolic"], t) for t in sets])
            controlled = bp_controlled(values["systolic"], values["diastolic"])
            summary = f"Blood pressure {values['systolic']}/{values['diastolic']} mmHg ({grade.grade})"
        else:
            grade = worst([grade_glucose(values["glucose_mmol"], values["glucose_context"], t) for t in sets])
            controlled = glucose_controlled(values["glucose_mmol"], values["glucose_context"])
            summary = f"Glucose {values['glucose_mmol']} mmol/L, {values['glucose_context']} ({grade.grade})"
        reading = self.add(Reading, patient_id=patient["id"], station_id=patient["station_id"], measure=measure,
                           measured_at=at, source=source, recorded_by=DOCTOR if source == "staff" else "device",
                           grade=grade.grade, direction=grade.direction, controlled=controlled, flagged=grade.flagged,
                           **{"systolic": None, "diastolic": None, "glucose_mmol": None, "glucose_context": None,
                              **values})
        self.timeline(patient, "reading", reading["id"], summary, at)
        if patient.get("last_reading_at") is None or at >= patient["last_reading_at"]:
            patient.update(last_reading_at=at, last_grade=grade.grade, last_grade_rank=GRADE_RANK[grade.grade])
        key = "bp" if measure == "blood_pressure" else "glucose"
        if patient.get(f"last_{key}_at") is None or at >= patient[f"last_{key}_at"]:
            patient.update({f"last_{key}_at": at, f"last_{key}_controlled": controlled})
        if grade.grade == "critical" and patient is not self.resident and not hasattr(self, "critical"):
            self.critical = (patient, reading)

    def follow_ups(self, patient: dict) -> None:
        """Quarterly follow-ups through the year; most are done, and the open one is due a quarter later."""
        due = datetime(self.year, 1, 1, tzinfo=UTC) + timedelta(days=self.rng.randrange(0, 60))
        while due + timedelta(days=90) < self.now:
            if self.rng.random() < 0.9:
                done = due + timedelta(days=self.rng.randrange(-5, 12))
                row = self.add(FollowUp, patient_id=patient["id"], station_id=patient["station_id"], due_at=due,
                               reason="routine", status="done", completed_at=done, completed_by=DOCTOR,
                               method=self.rng.choice(["clinic", "clinic", "home", "phone"]))
                self.timeline(patient, "follow_up", row["id"], f"Follow-up done ({row['method']})", done)
                due = done + timedelta(days=90)
            else:
                due += timedelta(days=90)
        if patient is self.resident:
            due = self.now - timedelta(days=12)  # overdue: the demo's call list has her near the top
        self.add(FollowUp, patient_id=patient["id"], station_id=patient["station_id"], due_at=due, reason="routine",
                 status="scheduled")

    # --- dispensing without leaving the village --------------------------------------------------------------

    def dispensing(self) -> None:
        meilin, zhenning = self.stations["meilin"], self.stations["zhenning"]
        drugs = list(self.drugs)
        self.rng.shuffle(drugs)
        catalogue = drugs[:DRUG_KINDS - NEW_OUT_OF_CATALOGUE]
        ordered = drugs[DRUG_KINDS - NEW_OUT_OF_CATALOGUE:DRUG_KINDS]
        before = datetime(self.year - 1, 12, 1, tzinfo=UTC)
        held: dict[uuid.UUID, dict] = {}
        for drug in catalogue:
            held[drug["id"]] = self.add(StationDrug, station_id=meilin["id"], drug_id=drug["id"], in_catalogue=True,
                                        catalogued_at=before, catalogued_via="direct",
                                        stock_quantity=self.rng.randrange(5, 80), low_stock_level=10)
        for drug in self.drugs[:80]:
            self.add(StationDrug, station_id=zhenning["id"], drug_id=drug["id"], in_catalogue=True,
                     catalogued_at=before, catalogued_via="direct", stock_quantity=self.rng.randrange(5, 60),
                     low_stock_level=10)

        start, end = datetime(self.year, 1, 1, tzinfo=UTC), datetime(self.year, 10, 25, tzinfo=UTC)
        patients = self.patients["meilin"]
        in_catalogue = catalogue + [self.rng.choice(catalogue)
                                    for _ in range(DISPENSING_SERVICES - OUT_OF_CATALOGUE_ORDERS - len(catalogue))]
        issued: dict[uuid.UUID, int] = defaultdict(int)
        for drug in in_catalogue:
            at = self.moment(start, datetime(self.year, 10, 31, tzinfo=UTC))
            quantity = self.rng.randrange(1, 4)
            self.refill(self.rng.choice(patients), drug, quantity, [("requested", at), ("dispensed",
                                                                                          at + timedelta(minutes=15))])
            issued[drug["id"]] += quantity
        for drug_id, quantity in issued.items():  # the ledger: what came in covers what went out
            self.add(StockMovement, station_id=meilin["id"], drug_id=drug_id, reason="receipt", by=DOCTOR, at=before,
                     delta=held[drug_id]["stock_quantity"] + quantity)

        orders = ordered + [self.rng.choice(ordered) for _ in range(OUT_OF_CATALOGUE_ORDERS - len(ordered))]
        first_delivery: dict[uuid.UUID, datetime] = {}
        for drug in orders:
            at = self.moment(start, end)
            approved = at + timedelta(hours=self.rng.randrange(1, 6))
            delivered = approved + timedelta(hours=self.rng.randrange(18, 48))
            dispensed = delivered + timedelta(hours=self.rng.randrange(1, 5))
            self.refill(self.rng.choice(patients), drug, self.rng.randrange(1, 4),
                        [("ordered", at), ("approved", approved), ("delivered", delivered), ("dispensed", dispensed)])
            first_delivery[drug["id"]] = min(first_delivery.get(drug["id"], delivered), delivered)
        taken_in = set(self.rng.sample([d["id"] for d in ordered], ADDED_TO_CATALOGUE))
        for drug in ordered:
            added = drug["id"] in taken_in
            self.add(StationDrug, station_id=meilin["id"], drug_id=drug["id"], in_catalogue=added,
                     first_ordered_at=first_delivery[drug["id"]],
                     catalogued_at=datetime(self.year, 10, 28, 2, tzinfo=UTC) if added else None,
                     catalogued_via="out_of_catalogue_order" if added else None,
                     stock_quantity=10 if added else 0, low_stock_level=5)
        # Work in hand after October: an order on its way, a refill waiting at the resident's station.
        november = datetime(self.year, 11, 3, 1, tzinfo=UTC)
        if november < self.now:
            spare = [d for d in self.drugs if d not in catalogue and d not in ordered]
            self.refill(self.rng.choice(patients), spare[0], 2, [("ordered", november),
                                                                  ("approved", november + timedelta(hours=3))])
            self.refill(self.resident, self.drugs[0], 1, [("requested", self.now - timedelta(hours=4))])

    def refill(self, patient: dict, drug: dict, quantity: int, steps: list[tuple[str, datetime]]) -> None:
        path = "in_catalogue" if steps[0][0] == "requested" else "out_of_catalogue"
        status, last = steps[-1]
        stamps = dict(steps)
        refill = self.add(
            Refill, patient_id=patient["id"], station_id=patient["station_id"], drug_id=drug["id"], quantity=quantity,
            dispensed_quantity=quantity if status == "dispensed" else 0, path=path, status=status,
            requested_by=DOCTOR, requested_at=steps[0][1], approved_at=stamps.get("approved"),
            approved_by="district-platform" if "approved" in stamps else None, delivered_at=stamps.get("delivered"),
            delivered_quantity=quantity if "delivered" in stamps else None, first_dispensed_at=stamps.get("dispensed"),
            dispensed_at=stamps.get("dispensed"), closed_at=stamps.get("dispensed"),
        )
        previous = None
        for to_status, at in steps:
            by = "district-platform" if to_status == "approved" else DOCTOR
            self.add(RefillStep, refill_id=refill["id"], from_status=previous, to_status=to_status, by=by, at=at)
            previous = to_status
        what = "Refill requested" if path == "in_catalogue" else "Out-of-catalogue order placed"
        label = f"{drug['generic_name']} {drug['strength']} x{quantity}"
        self.timeline(patient, "refill", refill["id"], f"{what}: {label}", steps[0][1])
        if "delivered" in stamps:
            self.add(StockMovement, station_id=patient["station_id"], drug_id=drug["id"], delta=quantity,
                     reason="delivery", ref_id=refill["id"], by=DOCTOR, at=stamps["delivered"])
        if status == "dispensed":
            dispensation = self.add(Dispensation, refill_id=refill["id"], patient_id=patient["id"],
                                    station_id=patient["station_id"], drug_id=drug["id"], quantity=quantity,
                                    partial=False, out_of_catalogue=path == "out_of_catalogue", dispensed_at=last,
                                    dispensed_by=DOCTOR)
            self.add(StockMovement, station_id=patient["station_id"], drug_id=drug["id"], delta=-quantity,
                     reason="dispense", ref_id=refill["id"], by=DOCTOR, at=last)
            self.timeline(patient, "dispensed", dispensation["id"], f"Dispensed {label}", last)

    # --- tests, referrals, nursing ---------------------------------------------------------------------------

    def referrals_labs_nursing(self) -> None:
        patients = self.patients["meilin"]
        start = datetime(self.year, 1, 1, tzinfo=UTC)
        histories = [("requested", "accepted", "admitted", "discharged")] * 3 + [
            ("requested", "accepted", "admitted"), ("requested",), ("requested", "declined")]
        for steps in histories:
            patient = self.rng.choice(patients)
            at = self.moment(start, self.now - timedelta(days=20))
            self.referral(patient, steps, at, urgency="routine", reading_id=None)
        if hasattr(self, "critical"):
            patient, reading = self.critical
            referral = self.referral(patient, ("proposed",), reading["measured_at"], urgency="urgent",
                                     reading_id=reading["id"])
            reading["referral_id"] = referral["id"]
        tests = ["hba1c", "lipids", "renal_function", "liver_function", "blood_routine", "urine_routine", "ecg"]
        for i in range(90):
            patient = self.rng.choice(patients)
            ordered = self.moment(start, self.now - timedelta(days=3))
            code = self.rng.choice(tests)
            status = "resulted" if i < 80 else "sample_taken" if i < 85 else "ordered"
            abnormal = self.rng.random() < 0.25
            test = self.add(
                LabTest, patient_id=patient["id"], station_id=patient["station_id"], test_code=code, status=status,
                ordered_by=DOCTOR, ordered_at=ordered,
                sample_taken_at=ordered + timedelta(minutes=10) if status != "ordered" else None,
                sample_taken_by=DOCTOR if status != "ordered" else None,
                resulted_at=ordered + timedelta(days=1) if status == "resulted" else None,
                resulted_by="lab" if status == "resulted" else None,
                result_text=("异常" if abnormal else "未见明显异常") if status == "resulted" else None,
                abnormal=abnormal if status == "resulted" else None,
            )
            self.timeline(patient, "lab_ordered", test["id"], f"Lab test ordered: {code}", ordered)
        for patient in self.rng.sample(patients, 4):
            starts = (self.now - timedelta(days=60)).date()
            plan = self.add(NursingPlan, patient_id=patient["id"], station_id=patient["station_id"],
                            goal="脑卒中后肢体功能康复护理", visits_per_month=4, starts_on=starts,
                            ends_on=starts + timedelta(days=120), status="active", created_by=DOCTOR)
            for week in range(8):
                at = datetime.combine(starts, datetime.min.time(), tzinfo=UTC) + timedelta(days=7 * week, hours=2)
                visit = self.add(NursingVisit, plan_id=plan["id"], visited_at=at, by="nurse-chen", notes="康复训练")
                self.timeline(patient, "nursing_visit", visit["id"], "Rehabilitation nursing visit", at)

    def referral(self, patient: dict, steps: tuple[str, ...], at: datetime, *, urgency: str,
                 reading_id: uuid.UUID | None) -> dict:
        stamps, t = {}, at
        for status in steps:
            stamps[status] = t
            t += timedelta(hours=self.rng.randrange(2, 72))
        final = steps[-1]
        referral = self.add(
            Referral, patient_id=patient["id"], station_id=patient["station_id"], status=final, urgency=urgency,
            hospital=None if final == "proposed" else "浙江萧山医院",
            department=None if final == "proposed" else "心内科",
            reason=None if final == "proposed" else "血压控制不佳，需住院调整用药", reading_id=reading_id,
            proposed_at=stamps.get("proposed"), requested_at=stamps.get("requested"),
            accepted_at=stamps.get("accepted"), admitted_at=stamps.get("admitted"),
            discharged_at=stamps.get("discharged"),
            closed_at=stamps.get("discharged") or stamps.get("declined"),
        )
        previous = None
        for status in steps:
            self.add(ReferralStep, referral_id=referral["id"], from_status=previous, to_status=status, by=DOCTOR,
                     at=stamps[status])
            previous = status
        if "requested" in stamps:
            self.timeline(patient, "referral", referral["id"], "Admission referral requested to 浙江萧山医院",
                          stamps["requested"])
        return referral
