"""Demo data at the seed's scale (振宁社区, seed article): loaded by ``make run`` after migrations.

- the five-in-one station 宁惠驿站 (canteen, minors' protection, children's home, disability home), the
  childcare stations 小宁萌托育 and 婴幼儿成长驿站, health and elderly-care stations around 振宁 and 潮都;
- 360 households (~830 residents: elders living alone, couples, young families), 300 home-safety kits (1,200
  devices) and the last month of their alerts, each incident's work order timed through the loop (escalated
  when nobody acknowledged in time), a few still open now;
- 170 public-welfare courses and activities this year (children's council, reporter base...), with
  enrolments, waiting lists and attendance; a month of childcare sessions; a month of subsidised canteen meals;
  home visits done and due;
- the people of ``shared.demo_people`` (王秀英 living alone with a kit, 陈建国, 李思雨; 倪阿大 in 党山村), so
  that the areas meet: 王秀英's emergency button was pressed twenty minutes ago (through the use case, so
  chronic care hears of it).

History is written as rows (it is not news: no events leave for it); what happens "now" goes through the use
cases. Loading twice does nothing: the demo is there when 宁惠驿站 is.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.community.demo_activity import Ids, courses, live_moment, meals, month_of_alerts, nursery, visits
from services.community.figures import service as figures
from services.community.residents.consent import MINOR_DATA, Consent
from services.community.residents.models import Household, Resident
from services.community.settings import Settings
from services.community.stations.models import Station, StationService
from services.community.stations.rules import services_of
from shared import demo_people
from shared.consent import needs_guardian
from shared.database import owned_transaction, utcnow
from shared.identity import make_id_number, person_ref

NINGWEI, ZHENNING, CHAODU = "330109005", "330109005001", "330109005002"
HUB = (30.20490, 120.28290)  # 宁惠驿站
EVERY_DAY = [{"days": [1, 2, 3, 4, 5, 6, 7], "opens": "07:30", "closes": "19:30"}]
WEEKDAYS = [{"days": [1, 2, 3, 4, 5], "opens": "07:30", "closes": "18:00"}]
OFFICE = [{"days": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "11:30"},
          {"days": [1, 2, 3, 4, 5], "opens": "13:30", "closes": "17:00"}]
# name, kind, community, (north m, east m) from the hub, hours, meal price (fen)
STATIONS = [
    ("宁惠驿站", "five_in_one", ZHENNING, (0, 0), EVERY_DAY, 1500),
    ("小宁萌托育", "childcare", ZHENNING, (180, 260), WEEKDAYS, None),
    ("婴幼儿成长驿站", "childcare", ZHENNING, (-320, 120), WEEKDAYS, None),
    ("振宁社区卫生服务站", "health_station", ZHENNING, (90, -410), OFFICE, None),
    ("宁围街道社区卫生服务中心", "health_station", ZHENNING, (1400, 900), OFFICE, None),
    ("潮都社区居家养老服务中心", "elderly_care", CHAODU, (650, 720), EVERY_DAY, None),
    ("潮都邻里食堂", "canteen", CHAODU, (820, 640), EVERY_DAY, 1300),
    ("丰二社区邻里中心", "neighbourhood", "330109005003", (-1300, 1500), OFFICE, None),
    ("党山村居家养老服务站", "elderly_care", demo_people.DANGSHAN, None, EVERY_DAY, None),
]
DANGSHAN_POINT = (30.1655, 120.5210)
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾田董潘袁蔡蒋余叶程魏沈姚钱洪汪"
GIVEN = "秀英桂兰玉珍建国志强国华文明伟芳丽敏静海燕春梅金凤建华红霞小宁子涵欣怡浩然宇轩思远雨桐一诺梓萱佳怡俊杰"


def offset(north_m: float, east_m: float, origin: tuple[float, float] = HUB) -> tuple[float, float]:
    import math

    return (origin[0] + north_m / 111_195.0,
            origin[1] + east_m / (111_195.0 * math.cos(math.radians(origin[0]))))


async def load_demo(session_factory: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    now = utcnow()
    key = settings.person_ref_key.get_secret_value()
    rng = random.Random(20221012)
    async with session_factory() as session, owned_transaction(session):
        if await session.scalar(select(Station.id).where(Station.name == "宁惠驿站").limit(1)) is not None:
            return  # already there
        ids = Ids()
        _stations(session, ids)
        people = _households(session, ids, rng, key, now)
        await session.flush()  # households before their residents' devices, enrolments, orders
        await month_of_alerts(session, ids, rng, people, now)
        await courses(session, ids, rng, people, now)
        await nursery(session, ids, rng, people, now)
        meals(session, ids, rng, people, now)
        visits(session, ids, rng, people, now)
        await session.flush()
        await figures.rebuild(session)  # history was written as rows: count it once
    # What is happening now goes through the use cases (its own transaction: events leave for it).
    await live_moment(session_factory, settings, ids, people, now)


def _stations(session: AsyncSession, ids: Ids) -> None:
    for name, kind, community, place, hours, price in STATIONS:
        latitude, longitude = offset(*place) if place else DANGSHAN_POINT
        street = demo_people.GUALI if community == demo_people.DANGSHAN else NINGWEI
        station = Station(id=uuid.uuid4(), name=name, kind=kind, street_code=street, community_code=community,
                          address=f"{'宁围街道' if street == NINGWEI else '瓜沥镇'}{name}", latitude=latitude,
                          longitude=longitude, opening_hours=hours, meal_price_fen=price, status="open",
                          phone="0571-8288" + str(8000 + len(ids.stations)),
                          service_links=[StationService(service=s) for s in services_of(kind, None)])
        session.add(station)
        ids.stations[name] = station.id


def _name(rng: random.Random, surname: str | None = None) -> str:
    return (surname or rng.choice(SURNAMES)) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _birth(rng: random.Random, now: datetime, low: int, high: int) -> date:
    return (now - timedelta(days=rng.randint(low * 365 + 1, high * 365 - 1))).date()


def _households(session: AsyncSession, ids: Ids, rng: random.Random, key: str, now: datetime) -> list[dict]:
    """360 households with their members; returns one dict per resident (id, birth, household...)."""
    people: list[dict] = []
    refs: set[str] = set()
    sequence = iter(range(1, 10**6))
    parents: dict[uuid.UUID, str] = {}  # household -> its first adult, who signs for the children

    def add(household: Household, name: str, born: date, *, id_number: str | None = None, phone: str | None = None,
            lives_alone: bool = False, demo: str | None = None) -> None:
        number = id_number
        while number is None or person_ref(number, key) in refs:
            number = make_id_number("330109", born, next(sequence))
        ref = person_ref(number, key)
        refs.add(ref)
        age = (now.date() - born).days // 365
        resident = Resident(
            id=uuid.uuid4(), household_id=household.id, person_ref=ref, id_number=number, name=name,
            phone=phone or (f"13{rng.randint(5, 9)}{rng.randint(10**7, 10**8 - 1)}" if age >= 16 else None),
            sex="M" if int(number[16]) % 2 else "F", birth_date=born, lives_alone=lives_alone,
            disabled=rng.random() < 0.04, low_income=age >= 60 and rng.random() < 0.06,
            street_code=household.street_code, community_code=household.community_code)
        session.add(resident)
        if age >= 18:
            parents.setdefault(household.id, ref)
        elif needs_guardian(born, now.date()):  # the parent signed the consent for the child's data
            session.add(Consent(person_ref=ref, purpose=MINOR_DATA, guardian_person_ref=parents[household.id],
                                granted_by="community-demo", granted_at=now))
        people.append({"id": resident.id, "ref": ref, "born": born, "household": household.id,
                       "lives_alone": lives_alone, "disabled": resident.disabled, "low_income": resident.low_income,
                       "demo": demo,
                       "street": household.street_code, "community": household.community_code})

    def home(label: str, community: str = ZHENNING, place: tuple[float, float] | None = None,
             street: str = NINGWEI) -> Household:
        if place is None:
            base = HUB if community == ZHENNING else offset(700, 800)
            place = offset(rng.uniform(-600, 600), rng.uniform(-600, 600), base)
        household = Household(id=uuid.uuid4(), label=label, address=f"宁围街道{label}", street_code=street,
                              community_code=community, latitude=round(place[0], 6), longitude=round(place[1], 6))
        session.add(household)
        ids.households.append(household.id)
        return household

    r = demo_people.RESIDENT
    add(home("振宁3幢2单元301", place=offset(150, -120)), r.name, _born(r), id_number=r.id_number, phone=r.phone,
        lives_alone=True, demo="resident")
    seeker_home = home("振宁7幢1单元502")
    for person, role in ((demo_people.SEEKER, "seeker"),):
        add(seeker_home, person.name, _born(person), id_number=person.id_number, phone=person.phone, demo=role)
    add(seeker_home, _name(rng, "周"), _birth(rng, now, 48, 53))
    g = demo_people.GRADUATE
    graduate_home = home("振宁12幢3单元201")
    add(graduate_home, g.name, _born(g), id_number=g.id_number, phone=g.phone, demo="graduate")
    add(graduate_home, _name(rng, "李"), _birth(rng, now, 50, 56))
    p = demo_people.PATIENT_DANGSHAN
    add(home("党山村红星组28号", community=p.community_code, place=DANGSHAN_POINT, street=p.street_code), p.name,
        _born(p), id_number=p.id_number, phone=p.phone, lives_alone=True, demo="patient")

    for n in range(356):
        community = ZHENNING if n < 316 else CHAODU
        household = home(f"{'振宁' if community == ZHENNING else '潮都'}{n // 12 + 1}幢{n % 4 + 1}单元"
                         f"{(n % 6 + 1) * 100 + n % 3 + 1}", community=community)
        roll = rng.random()
        surname = rng.choice(SURNAMES)
        if roll < 0.18:
            add(household, _name(rng, surname), _birth(rng, now, 62, 94), lives_alone=True)
        elif roll < 0.40:
            add(household, _name(rng, surname), _birth(rng, now, 63, 90))
            add(household, _name(rng), _birth(rng, now, 60, 88))
        elif roll < 0.75:
            add(household, _name(rng, surname), _birth(rng, now, 28, 45))
            add(household, _name(rng), _birth(rng, now, 27, 43))
            for _ in range(rng.choice((1, 1, 2))):
                add(household, _name(rng, surname), _birth(rng, now, 0, 14))
            if rng.random() < 0.3:
                add(household, _name(rng, surname), _birth(rng, now, 60, 82))
        else:
            for _ in range(rng.choice((1, 2, 3))):
                add(household, _name(rng, surname), _birth(rng, now, 20, 59))
    return people


def _born(person: demo_people.DemoPerson) -> date:
    v = person.id_number
    return date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
