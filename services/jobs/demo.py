"""Demo data at one tenth of the seed's Jan–Oct figures (so every list, match and statistic is realistic and
the numbers are easy to check against the article): 3,320 placements (new urban jobs), 1,970 of them people
helped into work, ¥12.2 M of unemployment benefit paid, ¥6.734 M of start-up loans disbursed, 23,000 relief
records (enterprise-times) worth ¥110 M. Written with bulk inserts in one transaction; does nothing when
seekers already exist. The people of ``shared.demo_people`` appear with their platform person_ref: 陈建国
(older unemployed, zero-employment household, in service) and 李思雨 (graduate, with open recommendations).
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import services.jobs.models as m
from services.jobs.employers.rules import make_credit_code
from services.jobs.periods import add_months, period_of, shift_period
from services.jobs.placements.rules import FOLLOW_UP_MONTHS
from services.jobs.relief.rules import POLICIES
from services.jobs.seekers.rules import ASSISTANCE_GROUPS, is_working_age, sex_from_id
from services.jobs.settings import Settings
from services.jobs.stats import tallies
from shared import demo_people
from shared.areas import xiaoshan
from shared.database import unit_of_work, utcnow
from shared.identity import birth_date_of, make_id_number, person_ref

log = logging.getLogger("minsheng.jobs.demo")
SCALE = 10
PLACEMENTS = 33_200 // SCALE
HELPED = 19_700 // SCALE
BENEFIT_FEN = 122_000_000 * 100 // SCALE
LOANS_FEN = 67_340_000 * 100 // SCALE
RELIEF_RECORDS = 230_000 // SCALE
RELIEF_FEN = 1_100_000_000 * 100 // SCALE
WAITING = 1_400  # seekers still looking for work (registered or in service)
VACANCIES = 1_200
EMPLOYERS = 2_000
MONTHLY_BENEFIT_FEN = 228_000  # about 90 % of Hangzhou's minimum wage
OFFICERS = ("jobs", "officer-zhang", "officer-li", "officer-zhao", "officer-sun")
APPROVER = "jobs-approver"
POSTS = {
    "电工": ["电工", "低压电工证"], "焊工": ["焊工", "氩弧焊"], "叉车司机": ["叉车", "仓储"],
    "仓库管理员": ["仓储", "excel"], "保洁员": ["保洁"], "保安": ["保安证"], "厨师": ["中式烹调"],
    "会计": ["会计", "excel"], "销售代表": ["销售", "沟通"], "客服专员": ["客服", "普通话"],
    "网店运营": ["电商", "直播"], "数控操作工": ["数控", "机加工"], "纺织挡车工": ["纺织"],
    "育婴员": ["育婴"], "养老护理员": ["养老护理"], "快递员": ["驾驶", "配送"], "汽车维修工": ["汽修"],
    "软件测试": ["测试", "python"], "化纤操作工": ["化纤", "设备巡检"], "园林绿化工": ["绿化养护"],
}
ALL_SKILLS = sorted({skill for skills in POSTS.values() for skill in skills})
WELFARE_POSTS = ("保洁员", "保安", "园林绿化工")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红志强海燕晓峰文斌玉兰宇浩思雨佳怡子涵雪梅立新春"
INDUSTRIES = ("纺织化纤", "汽车零部件", "机械制造", "电子商务", "物流仓储", "餐饮服务", "建筑", "商贸零售", "家政养老")


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(1 + rng.randrange(9), rng.randrange(60)), tzinfo=UTC)


def _window(now: datetime) -> tuple[date, date]:
    """The seed's Jan–Oct: of this year once October is over, else of last year."""
    year = now.year if now.month >= 11 else now.year - 1
    return date(year, 1, 1), date(year, 10, 31)


def _split(total: int, parts: int, rng: random.Random, low: float = 0.4) -> list[int]:
    """``parts`` positive integers adding up exactly to ``total`` (uneven, like real amounts)."""
    weights = [low + rng.random() for _ in range(parts)]
    scale = total / sum(weights)
    amounts = [int(w * scale) for w in weights]
    amounts[-1] += total - sum(amounts)
    return amounts


class _Rows:
    def __init__(self) -> None:
        self.tables: dict[str, list[dict]] = {}

    def add(self, model, **values) -> dict:
        self.tables.setdefault(model.__tablename__, []).append(values)
        return values

    async def write(self, session: AsyncSession, order: Iterable) -> None:
        for model in order:
            rows = self.tables.get(model.__tablename__, [])
            for start in range(0, len(rows), 2_000):
                await session.execute(model.__table__.insert(), rows[start:start + 2_000])


async def load_demo(session_factory: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    async with session_factory() as session:
        if await session.scalar(select(func.count()).select_from(m.Seeker)):
            return
        key = settings.person_ref_key.get_secret_value()
        rows = _build(key, utcnow())
        async with unit_of_work(session):
            await rows.write(session, (
                m.Employer, m.Household, m.Seeker, m.SeekerSkill, m.StageChange, m.HouseholdMember,
                m.HouseholdChange, m.Vacancy, m.VacancySkill, m.ServiceAct, m.ContactAttempt, m.Placement,
                m.FollowUp, m.BenefitClaim, m.PaymentBatch, m.BenefitPayment, m.Loan, m.Guarantor, m.Repayment,
                m.ReliefRecord, m.ReliefRollup, m.ReliefEnterpriseYear,
            ))
            await tallies.rebuild(session)  # the seekers were written as rows: count them once
    log.info("jobs demo data loaded", extra={"seekers": len(rows.tables["seekers"])})


def _build(key: str, now: datetime) -> _Rows:
    rng = random.Random(20221031)  # demo data: reproducible on purpose
    rows = _Rows()
    start, end = _window(now)
    span = (end - start).days
    streets = [s for s in xiaoshan().streets()]
    street_weights = [6 if s.code in ("330109001", "330109002", "330109005", "330109011") else 2 for s in streets]
    today = now.date()

    def some_day(first: date = start, last: date = end) -> date:
        return first + timedelta(days=rng.randrange(max((last - first).days, 1) + 1))

    def pick_street():
        street = rng.choices(streets, street_weights)[0]
        kids = xiaoshan().children(street.code)
        return street.code, (rng.choice(kids).code if kids and rng.random() < 0.7 else None)

    # Employers and their vacancies.
    employers = []
    for i in range(EMPLOYERS):
        street, _ = pick_street()
        name = f"杭州萧山{_name(rng)}{rng.choice(INDUSTRIES)}有限公司"
        employers.append(rows.add(m.Employer, id=_uuid(rng), name=name,
                                  credit_code=make_credit_code("330109", 100_000 + i), street_code=street,
                                  industry=rng.choice(INDUSTRIES), size=rng.choice(("micro", "small", "small",
                                                                                    "medium", "large"))))
    vacancies = []
    for _ in range(VACANCIES):
        title = rng.choice(list(POSTS))
        employer = rng.choice(employers)
        welfare = title in WELFARE_POSTS and rng.random() < 0.5
        low = rng.randrange(2_300, 6_000, 100) * 100
        opened = _at(some_day(), rng)
        headcount = rng.choice((1, 1, 2, 3, 5, 10))
        vacancy = rows.add(m.Vacancy, id=_uuid(rng), employer_id=employer["id"], title=title,
                           description=None, salary_min_fen=low, salary_max_fen=low + rng.randrange(5, 30) * 10_000,
                           street_code=employer["street_code"], community_code=None, location=None,
                           headcount=headcount, filled=0, status="open", public_welfare=welfare,
                           opened_at=opened, closed_at=None, created_at=opened)
        vacancies.append(vacancy)
        for skill in POSTS[title]:
            rows.add(m.VacancySkill, vacancy_id=vacancy["id"], skill=skill)

    used_ids: set[str] = set()

    def new_id_number(born: date) -> str:
        while True:
            number = make_id_number("330109", born, rng.randrange(1000))
            if number not in used_ids:
                used_ids.add(number)
                return number

    def new_seeker(*, number: str | None = None, name: str | None = None, phone: str | None = None,
                   street: str | None = None, community: str | None = None, groups: list[str] | None = None,
                   registered: datetime, household_id=None, post: str | None = None) -> dict:
        if number is None:
            group = rng.choices(["graduate", "older_unemployed", "land_expropriated", "hard_to_employ", "disabled",
                                 None], [25, 25, 15, 15, 5, 15])[0]
            if group == "graduate":
                born = date(registered.year - rng.randrange(21, 26), rng.randrange(1, 13), rng.randrange(1, 29))
            elif group == "older_unemployed":
                born = date(registered.year - rng.randrange(50, 55), rng.randrange(1, 13), rng.randrange(1, 29))
            else:
                born = date(registered.year - rng.randrange(25, 50), rng.randrange(1, 13), rng.randrange(1, 29))
            number = new_id_number(born)
            if group == "older_unemployed" and sex_from_id(number) == "M" and registered.year - born.year < 51:
                group = "hard_to_employ"
            groups = [group] if group else []
        used_ids.add(number)
        if street is None:
            street, community = pick_street()
        post = post or rng.choice(list(POSTS))
        seeker = rows.add(
            m.Seeker, id=_uuid(rng), id_number=number, person_ref=person_ref(number, key), name=name or _name(rng),
            phone=phone or f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}", sex=sex_from_id(number),
            birth_date=birth_date_of(number), street_code=street, community_code=community,
            household_id=household_id, groups="," + ",".join(sorted(groups)) + "," if groups else "",
            education=rng.choice(("junior_high", "senior_high", "vocational", "college", "bachelor")),
            desired_posts=[post.lower()], desired_salary_min_fen=rng.randrange(25, 70) * 10_000,
            caseworker=rng.choice(OFFICERS), stage="registered", registered_at=registered, last_contact_at=None,
            placed_at=None, closed_at=None, created_at=registered, updated_at=registered)
        extra = rng.sample(ALL_SKILLS, rng.randrange(0, 2))
        for skill in dict.fromkeys(POSTS[post] + extra):
            rows.add(m.SeekerSkill, seeker_id=seeker["id"], skill=skill)
        rows.add(m.StageChange, id=_uuid(rng), seeker_id=seeker["id"], from_stage=None, to_stage="registered",
                 by=seeker["caseworker"], at=registered, reason=None)
        return seeker

    def move(seeker: dict, to: str, at: datetime, reason: str | None = None) -> None:
        rows.add(m.StageChange, id=_uuid(rng), seeker_id=seeker["id"], from_stage=seeker["stage"], to_stage=to,
                 by=seeker["caseworker"], at=at, reason=reason)
        seeker["stage"] = to

    def serve(seeker: dict, at: datetime, vacancy: dict | None = None) -> None:
        kinds = ["career_guidance", "policy_explanation", "training_referral"]
        for i in range(rng.randrange(1, 4)):
            when = at + timedelta(days=i * 3)
            rows.add(m.ServiceAct, id=_uuid(rng), seeker_id=seeker["id"], kind=kinds[i % 3], vacancy_id=None,
                     note=None, by=seeker["caseworker"], at=when, status=None, expires_at=None, responded_at=None,
                     response_note=None)
        if vacancy is not None:
            rows.add(m.ServiceAct, id=_uuid(rng), seeker_id=seeker["id"], kind="job_recommendation",
                     vacancy_id=vacancy["id"], note=None, by=seeker["caseworker"], at=at, status="accepted",
                     expires_at=at + timedelta(days=14), responded_at=at + timedelta(days=2), response_note=None)
        move(seeker, "in_service", at, "career_guidance")
        seeker["last_contact_at"] = at

    # Zero-employment households: 60 flagged this year, 45 cleared since by a placement of one of them.
    households = []
    for _ in range(60):
        street, community = pick_street()
        flagged = _at(some_day(start, start + timedelta(days=120)), rng)
        households.append(rows.add(m.Household, id=_uuid(rng), street_code=street, community_code=community,
                                   label=f"{rng.randrange(1, 30)}幢{rng.randrange(1, 5)}单元", status="zero_employment",
                                   flagged_at=flagged, cleared_at=None, created_at=flagged, updated_at=flagged))

    # Placements: market, public-welfare and self-employed; the first HELPED were helped (in service first).
    by_post: dict[str, list[dict]] = {}
    for v in vacancies:
        by_post.setdefault(v["title"], []).append(v)
    benefit_candidates: list[tuple[dict, date | None]] = []
    for i in range(PLACEMENTS):
        placed_on = start + timedelta(days=int(span * (i / PLACEMENTS) ** 0.9))
        registered = _at(placed_on - timedelta(days=rng.randrange(10, 90)), rng)
        household = households[i % len(households)] if i < 45 else None
        seeker = new_seeker(registered=registered, household_id=household["id"] if household else None)
        if household is not None and "zero_employment_household" not in seeker["groups"]:
            seeker["groups"] = (seeker["groups"] or ",") + "zero_employment_household,"
        assisted = i < HELPED
        groups = set(filter(None, seeker["groups"].split(",")))
        post = seeker["desired_posts"][0]
        options = [v for v in by_post.get(next(t for t in POSTS if t.lower() == post), [])
                   if v["filled"] < v["headcount"] and (not v["public_welfare"] or groups & ASSISTANCE_GROUPS)]
        vacancy = rng.choice(options) if options and rng.random() < 0.8 else None
        if assisted:
            serve(seeker, registered + timedelta(days=2), vacancy)
        kind = ("public_welfare" if vacancy and vacancy["public_welfare"] else "market") if vacancy else \
            rng.choice(("self_employed", "market"))
        if vacancy is not None:
            vacancy["filled"] += 1
            if vacancy["filled"] >= vacancy["headcount"]:
                vacancy["status"], vacancy["closed_at"] = "closed", _at(placed_on, rng)
        at = _at(placed_on, rng)
        placement = rows.add(
            m.Placement, id=_uuid(rng), seeker_id=seeker["id"], vacancy_id=vacancy["id"] if vacancy else None,
            employer_id=vacancy["employer_id"] if vacancy else None, placement_type=kind, placed_on=placed_on,
            monthly_salary_fen=(vacancy["salary_min_fen"] if vacancy else rng.randrange(30, 80) * 10_000),
            assisted=assisted, street_code=seeker["street_code"], priority=bool(groups & ASSISTANCE_GROUPS),
            status="active", ended_on=None, recorded_by=seeker["caseworker"], created_at=at, updated_at=at)
        move(seeker, "placed", at, kind)
        seeker["placed_at"], seeker["last_contact_at"] = at, at
        pending = 0
        for month in FOLLOW_UP_MONTHS:
            due = add_months(placed_on, month)
            # Most follow-ups due by now are done; one in twenty is left overdue for the worklist.
            done = due <= today and rng.random() > 0.05
            pending += not done
            done_at = _at(min(due + timedelta(days=rng.randrange(0, 6)), today), rng) if done else None
            rows.add(m.FollowUp, id=_uuid(rng), placement_id=placement["id"], seeker_id=seeker["id"], month=month,
                     due_on=due, caseworker=seeker["caseworker"], street_code=seeker["street_code"],
                     status="done" if done else "pending", outcome="employed" if done else None, note=None,
                     done_by=seeker["caseworker"] if done else None, done_at=done_at)
            if done_at:
                seeker["last_contact_at"] = max(seeker["last_contact_at"], done_at)
        if not pending:
            move(seeker, "followed_up", seeker["last_contact_at"], "6-month follow-up: still employed")
            seeker["closed_at"] = seeker["last_contact_at"]
        if household is not None:
            household.update(status="clear", cleared_at=at, updated_at=at)
        if rng.random() < 0.3:
            benefit_candidates.append((seeker, placed_on))

    # Households: members (the placed seeker and a non-working spouse), and their flag/clear history.
    for i, household in enumerate(households):
        seekers_here = [s for s in rows.tables["seekers"] if s["household_id"] == household["id"]]
        spouse_born = date(start.year - rng.randrange(30, 50), rng.randrange(1, 13), rng.randrange(1, 29))
        spouse = new_id_number(spouse_born)
        members = [(s["person_ref"], s["birth_date"], s["sex"], s["stage"] in ("placed", "followed_up"), s["id"])
                   for s in seekers_here]
        members.append((person_ref(spouse, key), spouse_born, sex_from_id(spouse), False, None))
        for ref, born, sex, employed, seeker_id in members:
            rows.add(m.HouseholdMember, household_id=household["id"], person_ref=ref, birth_date=born, sex=sex,
                     employed=employed, seeker_id=seeker_id)
        rows.add(m.HouseholdChange, id=_uuid(rng), household_id=household["id"], from_status=None,
                 to_status="zero_employment", cause="registered", by=OFFICERS[i % len(OFFICERS)],
                 at=household["flagged_at"])
        if household["status"] == "clear":
            rows.add(m.HouseholdChange, id=_uuid(rng), household_id=household["id"], from_status="zero_employment",
                     to_status="clear", cause="member placed", by=OFFICERS[i % len(OFFICERS)],
                     at=household["cleared_at"])
        if not any(is_working_age(b, s, today) for _, b, s, _, _ in members):
            household["status"] = "clear"

    # People still looking for work: some registered only, most in service, a few not reached for weeks.
    waiting = []
    for i in range(WAITING):
        registered = _at(some_day(start, today - timedelta(days=1)), rng)
        seeker = new_seeker(registered=registered,
                            household_id=households[45 + i]["id"] if i < 15 else None)
        if i < 15:
            seeker["groups"] = (seeker["groups"] or ",") + "zero_employment_household,"
            rows.add(m.HouseholdMember, household_id=households[45 + i]["id"], person_ref=seeker["person_ref"],
                     birth_date=seeker["birth_date"], sex=seeker["sex"], employed=False, seeker_id=seeker["id"])
        if rng.random() < 0.75:
            serve(seeker, registered + timedelta(days=rng.randrange(1, 20)))
        for _ in range(rng.randrange(0, 3)):
            when = registered + timedelta(days=rng.randrange(1, 40))
            outcome = rng.choice(("reached", "no_answer", "no_answer", "agreed_to_visit", "refused"))
            rows.add(m.ContactAttempt, id=_uuid(rng), seeker_id=seeker["id"],
                     channel=rng.choice(("phone", "phone", "visit", "wechat")), outcome=outcome, note=None,
                     by=seeker["caseworker"], at=when)
            if outcome != "no_answer":
                seeker["last_contact_at"] = max(seeker["last_contact_at"] or when, when)
        if rng.random() < 0.7:  # most are reached again lately; the rest make the no-contact worklist
            when = _at(today - timedelta(days=rng.randrange(1, 28)), rng)
            if when > registered:
                rows.add(m.ContactAttempt, id=_uuid(rng), seeker_id=seeker["id"], channel="phone",
                         outcome="reached", note=None, by=seeker["caseworker"], at=when)
                seeker["last_contact_at"] = when
        waiting.append(seeker)
        if rng.random() < 0.35:
            benefit_candidates.append((seeker, None))

    _demo_people(rows, rng, key, now, vacancies, households, new_seeker, serve)
    _benefits(rows, rng, benefit_candidates, start, end)
    _loans(rows, rng, waiting, start, end)
    _relief(rows, rng, employers, start, end)
    for v in vacancies:
        v["updated_at"] = v["created_at"]
    return rows


def _demo_people(rows: _Rows, rng: random.Random, key: str, now: datetime, vacancies: list[dict],
                 households: list[dict], new_seeker, serve) -> None:
    """陈建国: older unemployed, in service, his household still zero-employment; 李思雨: a graduate with open
    recommendations. Both are in the demo street 宁围 (振宁社区)."""
    seeker_person, graduate_person = demo_people.SEEKER, demo_people.GRADUATE
    home = rows.add(m.Household, id=_uuid(rng), street_code=seeker_person.street_code,
                    community_code=seeker_person.community_code, label="振宁社区7幢1单元", status="zero_employment",
                    flagged_at=now - timedelta(days=40), cleared_at=None, created_at=now - timedelta(days=40),
                    updated_at=now - timedelta(days=40))
    households.append(home)
    chen = new_seeker(number=seeker_person.id_number, name=seeker_person.name, phone=seeker_person.phone,
                      street=seeker_person.street_code, community=seeker_person.community_code,
                      groups=["older_unemployed", "zero_employment_household"], registered=now - timedelta(days=40),
                      household_id=home["id"], post="仓库管理员")
    chen["caseworker"] = "jobs"
    serve(chen, now - timedelta(days=35))
    wife = make_id_number("330109", date(1977, 4, 18), 26)
    for ref, born, sex, seeker_id in ((chen["person_ref"], chen["birth_date"], chen["sex"], chen["id"]),
                                      (person_ref(wife, key), birth_date_of(wife), sex_from_id(wife), None)):
        rows.add(m.HouseholdMember, household_id=home["id"], person_ref=ref, birth_date=born, sex=sex,
                 employed=False, seeker_id=seeker_id)
    rows.add(m.HouseholdChange, id=_uuid(rng), household_id=home["id"], from_status=None, to_status="zero_employment",
             cause="registered", by="jobs", at=home["flagged_at"])
    li = new_seeker(number=graduate_person.id_number, name=graduate_person.name, phone=graduate_person.phone,
                    street=graduate_person.street_code, community=graduate_person.community_code, groups=["graduate"],
                    registered=now - timedelta(days=10), post="网店运营")
    li["caseworker"] = "jobs"
    serve(li, now - timedelta(days=8))
    for vacancy in [v for v in vacancies if v["title"] == "网店运营" and v["status"] == "open"][:2]:
        rows.add(m.ServiceAct, id=_uuid(rng), seeker_id=li["id"], kind="job_recommendation", vacancy_id=vacancy["id"],
                 note="电商直播岗位，适合应届生", by="jobs", at=now - timedelta(days=3), status="open",
                 expires_at=now + timedelta(days=11), responded_at=None, response_note=None)


def _benefits(rows: _Rows, rng: random.Random, candidates: list[tuple[dict, date | None]], start: date,
              end: date) -> None:
    """Claims and ten monthly batches whose paid lines add up to the benefit figure."""
    periods = [shift_period(period_of(start), i) for i in range(10)]
    claims = []
    for seeker, placed_on in candidates:
        begin = period_of(seeker["registered_at"].date())
        if begin > periods[-1]:
            continue
        stop = shift_period(period_of(placed_on), 1) if placed_on else None
        claim = rows.add(m.BenefitClaim, id=_uuid(rng), seeker_id=seeker["id"], person_ref=seeker["person_ref"],
                         street_code=seeker["street_code"], monthly_amount_fen=MONTHLY_BENEFIT_FEN,
                         months_entitled=rng.choice((6, 12, 12, 18, 24)), start_period=max(begin, periods[0]),
                         stop_from_period=stop, stop_reason="placed" if stop else None,
                         status="stopped" if stop else "approved", prepared_by=rng.choice(OFFICERS),
                         decided_by=APPROVER, decided_at=seeker["registered_at"] + timedelta(days=7),
                         decision_reason="参保缴费满一年，非因本人意愿中断就业", created_at=seeker["registered_at"],
                         updated_at=seeker["registered_at"])
        claims.append(claim)
    lines: list[dict] = []
    for period in periods:
        batch_id = _uuid(rng)
        prepared = datetime(int(period[:4]), int(period[5:]), 5, 2, tzinfo=UTC)
        these = []
        for claim in claims:
            used = claim.setdefault("_used", 0)
            if (claim["start_period"] <= period and (claim["stop_from_period"] is None
                                                     or period < claim["stop_from_period"])
                    and used < claim["months_entitled"]):
                claim["_used"] = used + 1
                these.append({"id": _uuid(rng), "batch_id": batch_id, "claim_id": claim["id"], "period": period,
                              "street_code": claim["street_code"], "amount_fen": claim["monthly_amount_fen"],
                              "status": "paid", "paid_at": prepared + timedelta(days=10)})
        lines.extend(these)
        rows.add(m.PaymentBatch, id=batch_id, period=period, status="paid", prepared_by="jobs",
                 prepared_at=prepared, decided_by=APPROVER, decided_at=prepared + timedelta(days=3),
                 decision_reason="名单与金额核对无误", paid_by="jobs", paid_at=prepared + timedelta(days=10),
                 lines=len(these), total_fen=0, paid_fen=0, created_at=prepared, updated_at=prepared)
    # Scale the monthly amounts so that the paid total is the seed's figure (one tenth of ¥122 M).
    paid = sum(line["amount_fen"] for line in lines)
    factor = BENEFIT_FEN / paid if paid else 1
    for claim in claims:
        claim["monthly_amount_fen"] = int(claim["monthly_amount_fen"] * factor)
        if claim["_used"] >= claim["months_entitled"] and claim["status"] == "approved":
            claim["status"] = "exhausted"
        claim.pop("_used")
    by_claim = {c["id"]: c["monthly_amount_fen"] for c in claims}
    for line in lines:
        line["amount_fen"] = by_claim[line["claim_id"]]
    if lines:
        lines[-1]["amount_fen"] += BENEFIT_FEN - sum(line["amount_fen"] for line in lines)
    batches = {b["id"]: b for b in rows.tables["benefit_batches"]}
    for line in lines:
        batch = batches[line["batch_id"]]
        batch["total_fen"] += line["amount_fen"]
        batch["paid_fen"] += line["amount_fen"]
        rows.add(m.BenefitPayment, **line)


def _loans(rows: _Rows, rng: random.Random, waiting: list[dict], start: date, end: date) -> None:
    """34 disbursed loans adding up to the loans figure, plus a few being decided or repaid."""
    amounts = [round(a, -5) for a in _split(LOANS_FEN, 34, rng)]
    amounts[-1] += LOANS_FEN - sum(amounts)
    borrowers = rng.sample(waiting, 40)
    for i, seeker in enumerate(borrowers):
        applied = _at(start + timedelta(days=rng.randrange((end - start).days - 40)), rng)
        disbursed = i < 34
        amount = amounts[i] if disbursed else rng.randrange(5, 30) * 1_000_000
        status = "applied" if not disbursed else rng.choice(("disbursed", "repaying", "repaying", "repaid"))
        repaid = {"disbursed": 0, "repaying": amount // rng.choice((3, 4, 5)), "repaid": amount}.get(status, 0)
        kind = "enterprise" if amount > 30_000_000 else "individual"
        loan = rows.add(
            m.Loan, id=_uuid(rng), applicant_ref=seeker["person_ref"], seeker_id=seeker["id"], borrower_kind=kind,
            business_name=f"{_name(rng)}{rng.choice(('小吃店', '网店', '汽修铺', '家政服务部', '花木园艺'))}",
            street_code=seeker["street_code"], amount_fen=amount, term_months=24 if kind == "enterprise" else 36,
            status=status, prepared_by=rng.choice(OFFICERS), applied_at=applied,
            decided_by=APPROVER if disbursed else None, decided_at=applied + timedelta(days=10) if disbursed else None,
            decision_reason="经营项目可行，担保足额" if disbursed else None, approved_fen=amount if disbursed else None,
            disbursed_fen=amount if disbursed else 0,
            disbursed_on=(applied + timedelta(days=20)).date() if disbursed else None, repaid_fen=repaid,
            closed_on=end if status == "repaid" else None, created_at=applied, updated_at=applied)
        rows.add(m.Guarantor, id=_uuid(rng), loan_id=loan["id"], kind="guarantee_fund", party="萧山区创业担保基金",
                 amount_fen=amount)
        if repaid:
            rows.add(m.Repayment, id=_uuid(rng), loan_id=loan["id"], amount_fen=repaid, paid_on=end,
                     recorded_by=loan["prepared_by"], idempotency_key=None)


def _relief(rows: _Rows, rng: random.Random, employers: list[dict], start: date, end: date) -> None:
    amounts = _split(RELIEF_FEN, RELIEF_RECORDS, rng, low=0.1)
    policies = sorted(POLICIES)
    rollups: dict[tuple[int, str, str], tuple[int, int]] = {}
    relieved: dict[tuple[int, uuid.UUID], str] = {}
    for amount in amounts:
        employer = rng.choice(employers)
        policy = rng.choices(policies, (2, 5, 1, 6, 2))[0]
        day = start + timedelta(days=rng.randrange((end - start).days))
        prepared = _at(day, rng)
        rows.add(m.ReliefRecord, id=_uuid(rng), employer_id=employer["id"], street_code=employer["street_code"],
                 kind=POLICIES[policy], policy=policy, period=period_of(day), amount_fen=amount, status="approved",
                 prepared_by=rng.choice(OFFICERS), prepared_at=prepared, decided_by=APPROVER,
                 decided_at=prepared + timedelta(days=2), decision_reason="符合政策条件", idempotency_key=None,
                 created_at=prepared, updated_at=prepared)
        decided = prepared + timedelta(days=2)
        key = (decided.year, employer["street_code"], POLICIES[policy])
        records, fen = rollups.get(key, (0, 0))
        rollups[key] = (records + 1, fen + amount)
        relieved.setdefault((decided.year, employer["id"]), employer["street_code"])
    for (year, street, kind), (records, fen) in rollups.items():
        rows.add(m.ReliefRollup, year=year, street_code=street, kind=kind, records=records, amount_fen=fen)
    for (year, employer_id), street in relieved.items():
        rows.add(m.ReliefEnterpriseYear, year=year, employer_id=employer_id, street_code=street)
