"""The demo's activity: a month of alerts and work orders, the year's courses, childcare, meals and visits
(rows, consistent with the rules), and the live moment (through the use cases). See ``demo.py``."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.community.alerts import service as alerts_service
from services.community.alerts.models import Alert
from services.community.alerts.rules import category_of, severity_for
from services.community.alerts.schemas import AlertCreate
from services.community.canteen.models import MealOrder
from services.community.canteen.rules import cut_off, price_meal
from services.community.childcare.models import ChildcareBooking, ChildcareSlot
from services.community.courses.models import Course, Enrolment
from services.community.devices.models import Device
from services.community.escalation.models import DutyChain
from services.community.escalation.policy import policy_of
from services.community.escalation.rules import assignee_at, missed_deadlines
from services.community.feed.models import FeedEvent
from services.community.localtime import local_at, local_date
from services.community.residents.rules import age_in_months, age_on
from services.community.settings import DEFAULT_ACK_LIMITS, Settings
from services.community.visits.models import VisitRequest, VisitTask
from services.community.workorders import service as workorders
from services.community.workorders.models import WorkOrder, WorkOrderEscalation, WorkOrderStep
from shared.auth import principal

NINGWEI, ZHENNING, CHAODU = "330109005", "330109005001", "330109005002"
CHAIN = ["community", "duty-officer-li", "secretary-yao", "post:street-emergency-office"]
RESPONDERS = ["网格员王师傅", "社区志愿者服务队", "物业维修组", "安居守护运维"]
# device type -> [(kind, weight)] of what its alerts are in a month
KINDS = {
    "smoke": [("alarm", 35), ("low_battery", 45), ("test", 20)],
    "gas": [("alarm", 20), ("low_battery", 50), ("offline", 30)],
    "emergency_button": [("alarm", 80), ("low_battery", 20)],
    "door_sensor": [("no_activity", 40), ("alarm", 20), ("low_battery", 40)],
}
DEVICE_WEIGHTS = {"smoke": 30, "gas": 15, "emergency_button": 30, "door_sensor": 25}


@dataclass
class Ids:
    stations: dict[str, uuid.UUID] = field(default_factory=dict)
    households: list[uuid.UUID] = field(default_factory=list)
    devices: dict[uuid.UUID, dict[str, Device]] = field(default_factory=dict)  # household -> type -> device
    busy_devices: set[uuid.UUID] = field(default_factory=set)  # with an open order at the end of history


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def _age(person: dict, day: date) -> int:
    return age_on(person["born"], day)


async def month_of_alerts(session: AsyncSession, ids: Ids, rng: random.Random, people: list[dict],
                          now: datetime) -> None:
    """300 kits, then thirty days of alerts and the work orders they opened, each timed through the loop."""
    today = local_date(now)
    by_household: dict[uuid.UUID, list[dict]] = {}
    for person in people:
        by_household.setdefault(person["household"], []).append(person)
    elderly = [h for h, members in by_household.items() if any(_age(m, today) >= 60 for m in members)]
    others = [h for h in by_household if h not in elderly]
    kitted = elderly + rng.sample(others, max(0, 300 - len(elderly)))
    serial = iter(range(1, 10**6))
    for household in kitted[:300]:
        vendor = "anju" if rng.random() < 0.6 else "haiman"
        installed = now - timedelta(days=rng.randint(60, 400))
        first = by_household[household][0]
        ids.devices[household] = {}
        for kind in ("smoke", "gas", "emergency_button", "door_sensor"):
            device = Device(id=uuid.uuid4(), household_id=household, street_code=first["street"],
                            community_code=first["community"], type=kind,
                            serial_no=f"{vendor.upper()}-{kind[:4].upper()}-{next(serial):06d}", vendor_code=vendor,
                            installed_at=installed, status="active")
            session.add(device)
            ids.devices[household][kind] = device
    for community in (ZHENNING, CHAODU):
        session.add(DutyChain(community_code=community, levels=CHAIN, updated_by="secretary-yao"))

    vulnerable = {h: any(m["disabled"] or (m["lives_alone"] and _age(m, today) >= 60) for m in members)
                  for h, members in by_household.items()}
    demo_homes = {p["household"] for p in people if p["demo"] in ("resident", "patient")}
    candidates = [h for h in ids.devices if h not in demo_homes]  # the demo people's moment is live, below
    open_orders: dict[tuple[uuid.UUID, str], WorkOrder] = {}
    feed: list[FeedEvent] = []
    alerts: list[Alert] = []
    start = now - timedelta(days=30)
    moments = sorted(start + timedelta(seconds=rng.uniform(0, 30 * 86400)) for _ in range(270))
    for at in moments:
        household = rng.choice(candidates)
        device_type = _pick(rng, list(DEVICE_WEIGHTS.items()))
        device = ids.devices[household][device_type]
        kind = _pick(rng, KINDS[device_type])
        _alert(session, rng, device, kind, at, vulnerable[household], open_orders, alerts, feed, now)
        if kind == "alarm" and rng.random() < 0.15:  # pressed again, smoke still there: a repeat
            _alert(session, rng, device, kind, at + timedelta(seconds=rng.uniform(40, 180)), vulnerable[household],
                   open_orders, alerts, feed, now)
    ids.busy_devices = {order.device_id for order in open_orders.values() if order.status in
                        ("raised", "acknowledged", "dispatched", "on_site")}
    await session.flush()  # devices and work orders before the alerts that point at them
    session.add_all(alerts)
    await session.flush()
    session.add_all(sorted(feed, key=lambda e: e.at))  # feed numbers in time order


def _alert(session, rng, device: Device, kind: str, at: datetime, vulnerable: bool,
           open_orders: dict, alerts: list, feed: list, now: datetime) -> None:
    if at > now:
        return
    category = category_of(kind)
    severity = severity_for(device.type, kind, vulnerable=vulnerable)
    alert = Alert(id=uuid.uuid4(), device_id=device.id, household_id=device.household_id,
                  street_code=device.street_code, community_code=device.community_code, device_type=device.type,
                  kind=kind, severity=severity, occurred_at=at - timedelta(seconds=rng.randint(1, 20)), received_at=at,
                  repeat=False, posted_by=f"api-key:{device.vendor_code}:demo")
    device.last_alert_at = at
    alerts.append(alert)
    if category is None:
        return
    order = open_orders.get((device.id, category))
    if order is not None and (order.resolved_at is None or order.resolved_at > at):
        alert.repeat, alert.work_order_id = True, order.id
        order.alert_count += 1
        order.last_alert_at = at
        return
    order = _timed_order(rng, device, category, severity, kind, at, now)
    session.add(order)
    alert.work_order_id = order.id
    open_orders[(device.id, category)] = order
    if now - at < timedelta(days=1):
        for step in order.steps:
            feed.append(FeedEvent(at=step.at, kind=f"workorder.{step.to_status}", street_code=device.street_code,
                                  community_code=device.community_code,
                                  data={"work_order_id": str(order.id), "status": step.to_status,
                                        "severity": severity, "device_type": device.type, "category": category,
                                        "assignee": order.assignee, "escalation_level": order.escalation_level}))
        feed.insert(len(feed) - len(order.steps) + 1, FeedEvent(
            at=at, kind="alert.raised", street_code=device.street_code, community_code=device.community_code,
            data={"alert_id": str(alert.id), "work_order_id": str(order.id), "device_type": device.type,
                  "kind_of_alert": kind, "severity": severity}))


def _plan(rng: random.Random, device_type: str, kind: str, category: str, severity: str, raised: datetime):
    """When each step of the loop happens (before cutting at now), and how it ends."""
    limit = DEFAULT_ACK_LIMITS[severity]
    late = rng.random() < 0.12
    ack = raised + timedelta(seconds=rng.uniform(limit * 1.1, limit * 3.5) if late else rng.uniform(
        min(20, limit * 0.1), limit * 0.9))
    steps = [("acknowledged", ack)]
    if category == "maintenance":
        dispatch = ack + timedelta(hours=rng.uniform(1, 20))
        arrive = dispatch + timedelta(minutes=rng.uniform(20, 180))
        resolve = arrive + timedelta(minutes=rng.uniform(10, 40))
        ending = "handled" if kind == "low_battery" else "device_replaced"
        return [*steps, ("dispatched", dispatch), ("on_site", arrive), ("resolved", resolve)], ending
    remote = {"smoke": 0.65, "emergency_button": 0.45, "door_sensor": 0.5, "gas": 0.0}[device_type]
    if rng.random() < remote:
        ending = "false_alarm" if device_type != "door_sensor" else "resolved_remotely"
        return [*steps, ("resolved", ack + timedelta(seconds=rng.uniform(60, 300)))], ending
    dispatch = ack + timedelta(seconds=rng.uniform(30, 120))
    arrive = dispatch + timedelta(seconds=rng.uniform(240, 720))
    resolve = arrive + timedelta(seconds=rng.uniform(300, 1800))
    ending = "handled"
    if device_type == "emergency_button" and rng.random() < 0.2:
        ending = "referred_to_hospital"
    elif device_type == "gas" and rng.random() < 0.1:
        ending = "fire_service"
    return [*steps, ("dispatched", dispatch), ("on_site", arrive), ("resolved", resolve)], ending


def _timed_order(rng, device: Device, category: str, severity: str, kind: str, raised: datetime,
                 now: datetime) -> WorkOrder:
    planned, ending = _plan(rng, device.type, kind, category, severity, raised)
    resolved_at = dict(planned)["resolved"]
    if resolved_at + timedelta(days=1) < now:
        planned.append(("reviewed", resolved_at + timedelta(hours=rng.uniform(20, 60))))
    happened = [(status, at) for status, at in planned if at <= now]
    order = WorkOrder(id=uuid.uuid4(), device_id=device.id, household_id=device.household_id,
                      street_code=device.street_code, community_code=device.community_code, device_type=device.type,
                      category=category, severity=severity, status="raised", assignee=CHAIN[0], escalation_level=0,
                      raised_at=raised, alert_count=1, last_alert_at=raised,
                      steps=[WorkOrderStep(from_status=None, to_status="raised", by="device", at=raised)],
                      escalations=[])
    limit = timedelta(seconds=DEFAULT_ACK_LIMITS[severity])
    acked = next((at for status, at in happened if status == "acknowledged"), None)
    missed, next_due = missed_deadlines(due_at=raised + limit, now=(acked or now) - timedelta(microseconds=1),
                                        limit=limit, max_steps=50)
    for level, deadline in enumerate(missed, start=1):
        order.escalations.append(WorkOrderEscalation(level=level, from_assignee=order.assignee,
                                                     to_assignee=assignee_at(CHAIN, level), deadline_missed=deadline,
                                                     at=deadline + timedelta(seconds=rng.uniform(1, 5))))
        order.escalation_level, order.assignee = level, assignee_at(CHAIN, level)
    order.ack_due_at = None if acked else next_due
    actor = order.assignee if not order.assignee.startswith("post:") else "secretary-yao"
    reviewer = "secretary-yao" if actor != "secretary-yao" else "duty-officer-li"  # never the resolver
    previous = raised
    for status, at in happened:
        by = reviewer if status == "reviewed" else actor
        order.steps.append(WorkOrderStep(from_status=order.status, to_status=status, by=by, at=at,
                                         seconds_in_previous=int((at - previous).total_seconds())))
        previous = at
        order.status = status
        if status == "acknowledged":
            order.acknowledged_at, order.acknowledged_by, order.assignee = at, actor, actor
            order.seconds_to_acknowledge = int((at - raised).total_seconds())
        elif status == "dispatched":
            order.dispatched_at, order.responder = at, rng.choice(RESPONDERS)
        elif status == "on_site":
            order.on_site_at = at
        elif status == "resolved":
            order.resolved_at, order.resolved_by, order.resolution = at, actor, ending
            order.seconds_to_resolve = int((at - raised).total_seconds())
        elif status == "reviewed":
            order.reviewed_at, order.reviewed_by, order.review_rating = at, reviewer, rng.choice((4, 5, 5, 5))
    return order


COURSE_KINDS = [("public_welfare", 45), ("children_council", 10), ("reporter_base", 12), ("parent_child", 13),
                ("elderly_activity", 12), ("health_talk", 8)]
TITLES = {
    "public_welfare": ["公益课堂：家庭急救与心肺复苏", "公益课堂：垃圾分类小达人", "公益课堂：防溺水安全教育",
                       "公益课堂：书法入门", "公益课堂：非遗剪纸", "公益课堂：反诈宣传进社区",
                       "公益课堂：手机智能应用"],
    "children_council": ["“宁未来”儿童议事会：社区游乐场改造提案", "“宁未来”儿童议事会：我们的社区花园",
                         "“宁未来”儿童议事会：上学路安全议题"],
    "reporter_base": ["小记者基地：走进宁惠驿站", "小记者基地：采访社区书记", "小记者基地：新闻写作课"],
    "parent_child": ["亲子阅读会", "亲子手工坊", "亲子运动会", "亲子烘焙课"],
    "elderly_activity": ["老年书画班", "老年合唱团排练", "太极拳晨练", "智能手机课堂（老年专场）"],
    "health_talk": ["健康讲座：高血压的日常管理", "健康讲座：糖尿病饮食", "健康讲座：防跌倒"],
}
# kind -> (capacity, min age, max age, station)
COURSE_SHAPE = {
    "public_welfare": (30, 6, None, "宁惠驿站"), "children_council": (20, 6, 14, "宁惠驿站"),
    "reporter_base": (25, 8, 15, "宁惠驿站"), "parent_child": (20, 3, 12, "宁惠驿站"),
    "elderly_activity": (40, 60, None, "宁惠驿站"), "health_talk": (50, 50, None, "振宁社区卫生服务站"),
}


async def courses(session: AsyncSession, ids: Ids, rng: random.Random, people: list[dict], now: datetime) -> None:
    """170 courses and activities over this (local) year: enrolments, waiting lists, attendance."""
    year = local_date(now).year
    enrolments: list[Enrolment] = []
    local = [p for p in people if p["community"] == ZHENNING]
    for i in range(170):
        day = date(year, 1, 4) + timedelta(days=int(i * 2.1))
        kind = _pick(rng, COURSE_KINDS)
        capacity, low, high, station = COURSE_SHAPE[kind]
        starts = local_at(day, time(9, 30) if day.isoweekday() >= 6 else rng.choice((time(14, 0), time(19, 0))))
        course = Course(id=uuid.uuid4(), title=rng.choice(TITLES[kind]), kind=kind, station_id=ids.stations[station],
                        street_code=NINGWEI, community_code=ZHENNING, starts_at=starts,
                        ends_at=starts + timedelta(minutes=90), capacity=capacity, waitlist_capacity=capacity // 2,
                        min_age=low, max_age=high, status="scheduled", created_by="secretary-yao")
        eligible = [p for p in local if _age(p, day) >= low and (high is None or _age(p, day) <= high)]
        past = starts < now
        wanted = rng.randint(int(capacity * 0.6), capacity) if past else rng.randint(int(capacity * 0.2),
                                                                                        int(capacity * 1.4))
        chosen = rng.sample(eligible, min(wanted, len(eligible)))
        enrolled = waitlisted = 0
        for n, person in enumerate(chosen, start=1):
            requested = min(starts - timedelta(days=rng.uniform(1, 14)), now - timedelta(minutes=n))
            if enrolled < capacity:
                status, enrolled = "enrolled", enrolled + 1
            elif waitlisted < course.waitlist_capacity and not past:
                status, waitlisted = "waitlisted", waitlisted + 1
            else:
                break
            marked = None
            if past:
                status, marked = ("attended" if rng.random() < 0.88 else "absent"), starts + timedelta(hours=2)
            enrolments.append(Enrolment(course_id=course.id, resident_id=person["id"], person_ref=person["ref"],
                                        status=status, requested_at=requested, queue_no=n,
                                        enrolled_at=requested if status != "waitlisted" else None,
                                        attendance_marked_at=marked, requested_by="secretary-yao"))
        course.enrolled_count, course.waitlisted_count = enrolled, waitlisted
        course.requests_taken = enrolled + waitlisted
        session.add(course)
    await session.flush()  # courses before their enrolments
    session.add_all(enrolments)


async def nursery(session: AsyncSession, ids: Ids, rng: random.Random, people: list[dict], now: datetime) -> None:
    """Weekday morning and afternoon sessions at the two childcare stations, four weeks back, two ahead."""
    today = local_date(now)
    bookings: list[ChildcareBooking] = []
    for offset_days in range(-28, 15):
        day = today + timedelta(days=offset_days)
        if day.isoweekday() > 5:
            continue
        infants = [p for p in people if 6 <= age_in_months(p["born"], day) < 36]
        for station in ("小宁萌托育", "婴幼儿成长驿站"):
            for opens, closes in ((time(8, 30), time(11, 30)), (time(14, 0), time(17, 0))):
                starts, ends = local_at(day, opens), local_at(day, closes)
                slot = ChildcareSlot(id=uuid.uuid4(), station_id=ids.stations[station], street_code=NINGWEI,
                                     community_code=ZHENNING, starts_at=starts, ends_at=ends, capacity=10,
                                     min_age_months=6, max_age_months=36, status="open", created_by="secretary-yao")
                booked = rng.sample(infants, min(len(infants) // 3, rng.randint(5, 10)))
                for child in booked:
                    status = "booked" if starts > now else ("attended" if rng.random() < 0.9 else "no_show")
                    bookings.append(ChildcareBooking(
                        slot_id=slot.id, resident_id=child["id"], person_ref=child["ref"], status=status,
                        booked_at=min(starts - timedelta(days=rng.uniform(1, 6)), now), booked_by="parent",
                        checked_in_at=starts + timedelta(minutes=rng.randint(0, 20)) if status == "attended" else None))
                slot.booked_count = len(booked)
                session.add(slot)
    await session.flush()  # slots before their bookings
    session.add_all(bookings)


def meals(session: AsyncSession, ids: Ids, rng: random.Random, people: list[dict], now: datetime) -> None:
    """A month of lunches (and some dinners) at 宁惠驿站's shared canteen, subsidised by age."""
    today = local_date(now)
    elders = [p for p in people if p["community"] == ZHENNING and _age(p, today) >= 60]
    diners = [p for p in elders if p["demo"] == "resident"] + rng.sample(
        [p for p in elders if p["demo"] != "resident"], min(90, len(elders) - 1))
    station = ids.stations["宁惠驿站"]
    for back in range(30, -1, -1):
        day = today - timedelta(days=back)
        for meal, share, served_at in (("lunch", 0.75, time(11, 40)), ("dinner", 0.15, time(17, 20))):
            for person in diners:
                if rng.random() >= share:
                    continue
                price = price_meal(price_fen=1500, age=_age(person, day), low_income=person["low_income"])
                ordered = cut_off(day, meal) - timedelta(hours=rng.uniform(1, 20))
                if ordered > now:
                    continue
                served = local_at(day, served_at)
                status = "served" if served <= now else "ordered"
                session.add(MealOrder(
                    station_id=station, resident_id=person["id"], person_ref=person["ref"], street_code=NINGWEI,
                    meal_date=day, meal=meal, price_fen=price.price_fen, subsidy_fen=price.subsidy_fen,
                    payable_fen=price.payable_fen, subsidy_band=price.band, status=status, ordered_by="canteen-desk",
                    ordered_at=ordered, served_at=served if status == "served" else None))


def visits(session: AsyncSession, ids: Ids, rng: random.Random, people: list[dict], now: datetime) -> None:
    """Routine visits to elders living alone this month (done), and those due now."""
    today = local_date(now)
    alone = [p for p in people if p["lives_alone"] and _age(p, today) >= 60 and p["demo"] is None]
    chosen = rng.sample(alone, min(31, len(alone)))
    for n, person in enumerate(chosen):
        done = n < 25
        created = now - timedelta(days=rng.uniform(5, 30) if done else rng.uniform(0.2, 6))
        priority, reason = ("routine", "routine")
        if n == 29:
            priority, reason = "high", "alert_follow_up"
        elif n == 30:
            priority, reason = "critical", "reading_flagged"
        due = created + {"routine": timedelta(days=7), "high": timedelta(hours=24),
                         "critical": timedelta(hours=4)}[priority]
        task = VisitTask(
            id=uuid.uuid4(), person_ref=person["ref"], resident_id=person["id"], household_id=person["household"],
            street_code=person["street"], community_code=person["community"], reason=reason, priority=priority,
            due_at=due, status="done" if done else ("assigned" if n % 2 else "open"),
            assignee="grid-wang" if done or n % 2 else None, created_by="secretary-yao", request_count=1,
            requests=[VisitRequest(source="staff" if reason != "reading_flagged" else "chronic_care.reading.flagged",
                                   reason=reason, priority=priority, at=created, by="secretary-yao")])
        if done:
            task.completed_at = min(created + timedelta(days=rng.uniform(0.5, 5)), now)
            task.completed_by = "grid-wang"
            task.outcome = "visited" if rng.random() < 0.85 else "not_home"
        session.add(task)


async def live_moment(session_factory: async_sessionmaker[AsyncSession], settings: Settings, ids: Ids,
                      people: list[dict], now: datetime) -> None:
    """王秀英 pressed her emergency button twenty minutes ago: a grid worker is on the way. And a smoke alarm
    went off two minutes ago that nobody has acknowledged yet (watch it escalate)."""
    policy = policy_of(settings)
    resident = next(p for p in people if p["demo"] == "resident")
    button = ids.devices[resident["household"]]["emergency_button"]
    vendor = principal(f"api-key:{button.vendor_code}:demo", [], kind="api_key",
                       scopes=frozenset({f"community:alerts:vendor:{button.vendor_code}"}))
    staff = principal("community", ["community"])
    async with session_factory() as session:
        receipt = await alerts_service.raise_alert(session, device_id=button.id, data=AlertCreate(kind="alarm"),
                                                   actor=vendor, policy=policy, now=now - timedelta(minutes=20))
    order_id = receipt["work_order_id"]
    for verb, minutes, extra in (("acknowledge", 19, {}), ("dispatch", 17, {"responder": "网格员王师傅"})):
        async with session_factory() as session:
            await workorders.move(session, order_id=order_id, verb=verb, actor=staff,
                                  now=now - timedelta(minutes=minutes), **extra)
    quiet = next(devices["smoke"] for household, devices in ids.devices.items()
                 if devices["smoke"].id not in ids.busy_devices and household != resident["household"]
                 and devices["smoke"].community_code == ZHENNING)
    smoke_vendor = principal(f"api-key:{quiet.vendor_code}:demo", [], kind="api_key",
                             scopes=frozenset({f"community:alerts:vendor:{quiet.vendor_code}"}))
    async with session_factory() as session:
        await alerts_service.raise_alert(session, device_id=quiet.id, data=AlertCreate(kind="alarm"),
                                         actor=smoke_vendor, policy=policy, now=now - timedelta(minutes=2))
