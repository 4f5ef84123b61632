"""Demo data at the seed's scale (区住建局, seed article): loaded by ``make run`` after migrations.

- 12 renovation blocks: 6 done (崇化三区块 and five more, 180,000 m²) and 6 due by the year's end (290,000 m²),
  with their estates, scope, milestones and acceptance inspections (one block still rectifying defects);
- next year's area-wide (片区化) programme over 14 communities;
- 16 future-community projects, 13 of them provincial pilots, 130,000+ beneficiaries; 振宁 accepted in May,
  潮都 and 丰二 later, all three passing the "one old, one young" scenario inspection in October;
- the idle-space inventory around 振宁 and elsewhere, six spaces commissioned (the community service hears it);
- resident participation: an open plan for the 振宁 block (the demo resident 王秀英 has not voted yet) and an
  accepted, rated plan for 崇化三区块.

"This year" is the current year from November on (the seed reports January to October), else the last one,
so that every dated step lies in the past. Everything goes through the use cases in ONE transaction: the
demo is all there or not at all, and loading it twice does nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.renovation.acceptance import service as acceptance
from services.renovation.acceptance.schemas import DefectFound, InspectionCreate, RectificationCreate
from services.renovation.communities import service as communities
from services.renovation.communities.schemas import FutureCommunityCreate, ScenarioInspectionCreate
from services.renovation.estates import service as estates
from services.renovation.estates.models import Estate
from services.renovation.estates.schemas import EstateCreate, HouseholdCreate
from services.renovation.milestones import service as milestones
from services.renovation.milestones.schemas import MilestoneCreate, ProgressReport
from services.renovation.participation import feedback, votes
from services.renovation.participation import service as plans
from services.renovation.participation.schemas import OfflineBatch, OfflineVote, PlanCreate
from services.renovation.programmes import service as programmes
from services.renovation.programmes.schemas import ProgrammeCreate
from services.renovation.projects import service as projects
from services.renovation.projects.schemas import ProjectCreate, ScopeItemCreate
from services.renovation.settings import Settings
from services.renovation.spaces import service as spaces
from services.renovation.spaces.schemas import SpaceCreate
from shared import demo_people
from shared.areas import xiaoshan
from shared.auth import Principal, principal
from shared.database import owned_transaction, utcnow
from shared.identity import make_id_number, person_ref

STAFF = principal("renovation", ["renovation"])
INSPECTOR = "区住建局工程质量安全监督站"
YUAN_PER_M2 = 450  # a typical comprehensive-renovation cost

# (block, [(estate, community code, built year, floor area m², households, buildings)])
DONE_BLOCKS = [
    ("崇化三区块", [("崇化一苑", "330109001001", 1988, 14000, 210, 6),
                ("崇化二苑", "330109001001", 1990, 12000, 180, 5),
                ("崇化三苑", "330109001001", 1992, 10000, 150, 4)]),
    ("回澜区块", [("回澜南苑", "330109001003", 1993, 16000, 240, 7),
               ("回澜北苑", "330109001003", 1995, 12000, 170, 5)]),
    ("湘湖区块", [("湘湖人家", "330109001002", 1996, 30000, 420, 12)]),
    ("金城区块", [("金城花园", "330109002001", 1994, 18000, 260, 8),
               ("金城新村", "330109002001", 1991, 14000, 200, 6)]),
    ("蜀山区块", [("蜀山新村", "330109003001", 1989, 24000, 330, 10)]),
    ("新塘区块", [("新塘小区", "330109004001", 1997, 30000, 400, 11)]),
]  # 180,000 m²
DUE_BLOCKS = [
    ("振宁区块", [("振宁一区", "330109005001", 1998, 28000, 380, 10),
               ("振宁二区", "330109005001", 2000, 24000, 330, 9)]),
    ("潮都区块", [("潮都家园", "330109005002", 2001, 48000, 620, 16)]),
    ("丰二区块", [("丰二小区", "330109005003", 1999, 45000, 560, 15)]),
    ("北干山区块", [("北干山苑", "330109002003", 1996, 26000, 350, 9),
                ("北干新苑", "330109002003", 1998, 24000, 320, 8)]),
    ("盈丰区块", [("盈丰小区", "330109007001", 2000, 47000, 600, 15)]),
    ("闻堰区块", [("闻堰老街小区", "330109008001", 1992, 48000, 580, 14)]),
]  # 290,000 m²
SCOPE = [("pipes", "雨污分流与供水管网改造", 25), ("facades", "外立面整治与屋面防水", 25),
         ("accessibility", "无障碍通道与适老化改造", 10), ("parking", "停车位挖潜与充电设施", 15),
         ("greening", "绿化景观与城市家具提升", 10), ("lifts", "既有住宅加装电梯", 15)]
MILESTONES = ["管网改造", "外立面整治", "加装电梯", "绿化与停车"]
DUE_PROGRESS = [(100, 90, 60, 40), (100, 70, 50, 20), (100, 80, 40, 30), (90, 60, 30, 10), (100, 100, 70, 50),
                (80, 50, 20, 0)]
PROGRAMME_COMMUNITIES = ["330109006001", "330109009001", "330109010001", "330109011003", "330109012001",
                         "330109013001", "330109014001", "330109015001", "330109016001", "330109017001",
                         "330109018001", "330109019001", "330109020001", "330109021001"]
# (community code, name, level, beneficiaries, how far it has got)
FUTURE_COMMUNITIES = [
    ("330109005001", "振宁未来社区", "province", 12800, "accepted"),
    ("330109005002", "潮都未来社区", "province", 11500, "accepted"),
    ("330109005003", "丰二未来社区", "province", 9800, "accepted"),
    ("330109001001", "崇化未来社区", "province", 9200, "inspection_requested"),
    ("330109001002", "湘湖未来社区", "province", 8600, "building"),
    ("330109001003", "回澜未来社区", "province", 8200, "building"),
    ("330109002001", "金城未来社区", "province", 8900, "building"),
    ("330109002003", "北干山未来社区", "province", 7800, "building"),
    ("330109003001", "蜀山未来社区", "province", 7600, "building"),
    ("330109004001", "新塘未来社区", "province", 7400, "building"),
    ("330109007001", "盈丰未来社区", "province", 8300, "selected"),
    ("330109008001", "闻堰未来社区", "province", 7100, "selected"),
    ("330109006001", "新街未来社区", "province", 6900, "selected"),
    ("330109009001", "靖江未来社区", "city", 6200, "building"),
    ("330109010001", "南阳未来社区", "city", 5800, "selected"),
    ("330109011003", "瓜沥未来社区", "city", 6500, "selected"),
]  # 13 provincial, 3 city; 132,600 beneficiaries
STEPS = {"selected": ["select"], "building": ["select", "start"],
         "inspection_requested": ["select", "start", "request-inspection"],
         "accepted": ["select", "start", "request-inspection", "accept"]}
ACCEPTED_IN_MONTH = {"330109005001": 5, "330109005002": 9, "330109005003": 10}  # 振宁 in May (全省首批)
# (name, kind, community code, estate, lat, lon (WGS-84), m², service type, commissioned?)
SPACES = [
    ("振宁一区3幢架空层", "stilt_floor", "330109005001", "振宁一区", 30.2051, 120.2832, 260, "elderly_care", True),
    ("宁惠驿站（五位一体）", "state_asset", "330109005001", None, 30.2063, 120.2818, 1200, "canteen", True),
    ("小宁萌托育点", "commercial", "330109005001", "振宁二区", 30.2044, 120.2850, 420, "childcare", True),
    ("潮都家园楼廊邻里空间", "corridor", "330109005002", "潮都家园", 30.2190, 120.2795, 150, "neighbourhood", True),
    ("丰二健康小屋", "state_asset", "330109005003", None, 30.2120, 120.2700, 180, "health", True),
    ("崇化一苑架空层", "stilt_floor", "330109001001", "崇化一苑", 30.1655, 120.2640, 220, "elderly_care", True),
    ("湘湖人家闲置用房", "state_asset", "330109001002", "湘湖人家", 30.1500, 120.2500, 300, "childcare", False),
    ("金城花园沿街商铺", "commercial", "330109002001", "金城花园", 30.1780, 120.2750, 350, "canteen", False),
    ("蜀山新村楼廊", "corridor", "330109003001", "蜀山新村", 30.1400, 120.2600, 90, None, False),
    ("盈丰小区架空层", "stilt_floor", "330109007001", "盈丰小区", 30.1850, 120.2350, 240, None, False),
]


def reference_year(now: datetime) -> int:
    return now.year if now.month >= 11 else now.year - 1


def _at(year: int, month: int, day: int, hour: int = 2) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _ref(sequence: int, key: str) -> str:
    born = date(1950, 1, 1) + timedelta(days=97 * sequence)
    return person_ref(make_id_number("330109", born, sequence), key)


async def load_demo(session_factory: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    year = reference_year(utcnow())
    key = settings.person_ref_key.get_secret_value()
    async with session_factory() as session, owned_transaction(session):
        if await session.scalar(select(Estate.id).limit(1)) is not None:
            return  # already there
        estate_ids, project_ids = await _blocks(session, year)
        await _programme(session, year)
        await _future_communities(session, year)
        await _spaces(session, year, estate_ids)
        await _participation(session, year, key, estate_ids, project_ids)


async def _blocks(session: AsyncSession, year: int) -> tuple[dict[str, uuid.UUID], dict[str, uuid.UUID]]:
    """The 12 blocks and their estates; returns estate ids by estate name and project ids by block."""
    ids: dict[str, uuid.UUID] = {}
    project_ids: dict[str, uuid.UUID] = {}
    for index, (block, estates_) in enumerate(DONE_BLOCKS + DUE_BLOCKS):
        done = index < len(DONE_BLOCKS)
        members = []
        for name, community, built, area, homes, buildings in estates_:
            estate = await estates.create_estate(session, actor=STAFF, data=EstateCreate(
                name=name, community_code=community, built_year=built, floor_area_m2=area, households=homes,
                buildings=buildings))
            ids[name] = estate.id
            members.append(estate.id)
        area = sum(e[3] for e in estates_)
        budget = area * YUAN_PER_M2 * 100
        project = await projects.create_project(session, actor=STAFF, data=ProjectCreate(
            name=f"{block}老旧小区综合改造", estate_ids=members, budget_fen=budget,
            planned_start=date(year, 3, 1), planned_end=date(year, 9, 30) if done else date(year, 12, 31),
            description="未来社区理念融入旧改：补齐一老一小服务短板",
            scope_items=[ScopeItemCreate(kind=k, description=d, budget_fen=budget * pct // 100)
                         for k, d, pct in SCOPE]))
        project_ids[block] = project.id
        marks = [await milestones.add_milestone(session, project_id=project.id, actor=STAFF, data=MilestoneCreate(
            name=m, planned_date=date(year, 4 + 2 * i, 28) if done else date(year, 5 + 2 * i, 28)))
            for i, m in enumerate(MILESTONES)]
        start = _at(year, 3, 1) if done else _at(year, 4, 1)
        await projects.transition_project(session, project_id=project.id, action="approve", actor=STAFF,
                                          now=start - timedelta(days=14))
        await projects.transition_project(session, project_id=project.id, action="start", actor=STAFF, now=start)
        levels = (100, 100, 100, 100) if done else DUE_PROGRESS[index - len(DONE_BLOCKS)]
        for i, (mark, pct) in enumerate(zip(marks, levels, strict=True)):
            for step in sorted({pct // 2, pct} - {0}):
                await milestones.report_progress(session, project_id=project.id, milestone_id=mark.id, actor=STAFF,
                                                 data=ProgressReport(progress_pct=step, note=f"{mark.name}进度{step}%"),
                                                 now=start + timedelta(days=20 + 30 * i + step // 5))
        if done:
            await _finish_and_inspect(session, project.id, year, index)
    return ids, project_ids


async def _finish_and_inspect(session: AsyncSession, project_id: uuid.UUID, year: int, index: int) -> None:
    finished = _at(year, 8 + index % 3, 10 + index)
    await projects.transition_project(session, project_id=project_id, action="complete", actor=STAFF, now=finished)
    first = finished + timedelta(days=7)
    if index == 0:  # 崇化三区块: defects found, rectified, passed at re-inspection
        defects = [DefectFound(description="2幢外墙局部渗水", severity="major"),
                   DefectFound(description="无障碍坡道扶手缺失")]
        found = await acceptance.record_inspection(session, project_id=project_id, actor=STAFF, now=first, data=(
            InspectionCreate(inspected_on=first.date(), inspector=INSPECTOR, defects=defects)))
        for defect in found.defects:
            await acceptance.rectify_defect(session, project_id=project_id, defect_id=defect.id, actor=STAFF,
                                            data=RectificationCreate(rectified_on=(first + timedelta(days=6)).date(),
                                                                     note="已整改"),
                                            now=first + timedelta(days=6))
        again = first + timedelta(days=10)
        await acceptance.record_inspection(session, project_id=project_id, actor=STAFF, now=again,
                                           data=InspectionCreate(inspected_on=again.date(), inspector=INSPECTOR))
    elif index == len(DONE_BLOCKS) - 1:  # 新塘区块: works done, defects still being rectified
        await acceptance.record_inspection(session, project_id=project_id, actor=STAFF, now=first,
                                           data=InspectionCreate(inspected_on=first.date(), inspector=INSPECTOR,
                                                                 defects=[DefectFound(description="停车场标线不清")]))
    else:
        await acceptance.record_inspection(session, project_id=project_id, actor=STAFF, now=first,
                                           data=InspectionCreate(inspected_on=first.date(), inspector=INSPECTOR))


async def _programme(session: AsyncSession, year: int) -> None:
    await programmes.create_programme(session, actor=STAFF, data=ProgrammeCreate(
        name=f"{year + 1}年片区化老旧小区改造提升", year=year + 1, community_codes=PROGRAMME_COMMUNITIES,
        description="加大成片化改造力度，推动旧改+未来深度融合：一年见成效，三年出风景"))


async def _future_communities(session: AsyncSession, year: int) -> None:
    for i, (code, name, level, people, reached) in enumerate(FUTURE_COMMUNITIES):
        applied = date(year - 2 + i % 3, 3 + i % 4, 10)
        app = await communities.apply(session, actor=STAFF, now=_at(applied.year, applied.month, applied.day),
                                      data=FutureCommunityCreate(
            name=name, community_code=code, level=level, batch=f"{applied.year}年第{1 + i % 2}批",
            applied_on=applied, beneficiaries=people,
            scenarios=["one_old_one_young", "neighbourhood", "education", "health", "services"]))
        month = ACCEPTED_IN_MONTH.get(code, 4)
        for step, action in enumerate(STEPS[reached]):
            when = _at(year, month, 10 + step) if action in ("request-inspection", "accept") else _at(
                applied.year, min(applied.month + 2 + 3 * step, 10), 1)
            await communities.transition(session, application_id=app.id, action=action, reason=None, actor=STAFF,
                                         now=when)
        if reached == "accepted":  # October: the 一老一小 scenario inspection (provincial)
            await communities.inspect_scenario(
                session, application_id=app.id, scenario="one_old_one_young", actor=STAFF, now=_at(year, 10, 20),
                data=ScenarioInspectionCreate(inspected_on=date(year, 10, 18), passed=True,
                                              note="通过省级一老一小服务场景验收"))


async def _spaces(session: AsyncSession, year: int, estate_ids: dict[str, uuid.UUID]) -> None:
    for i, (name, kind, community, estate, lat, lon, area, service_type, commissioned) in enumerate(SPACES):
        space = await spaces.register_space(session, actor=STAFF, now=_at(year, 2, 1 + i), data=SpaceCreate(
            name=name, kind=kind, community_code=community, latitude=lat, longitude=lon, area_m2=area,
            service_type=service_type, estate_id=estate_ids[estate] if estate else None,
            address=f"萧山区{_place(community)}{estate or ''}"))
        if commissioned:
            await spaces.commission(session, space_id=space.id, actor=STAFF, now=_at(year, 6 + i % 4, 15))


def _place(community_code: str) -> str:
    tree = xiaoshan()
    street = tree.street_of(community_code)
    return f"{street.name if street else ''}{tree.get(community_code).name}"


def _resident(ref: str, n: int) -> Principal:
    return principal(f"demo-resident-{n}", ["resident"], person_ref=ref)


async def _participation(session: AsyncSession, year: int, key: str, estate_ids: dict[str, uuid.UUID],
                         project_ids: dict[str, uuid.UUID]) -> None:
    people = iter(range(1, 10_000))
    # 振宁区块: 120 registered households; the demo people live in 振宁一区 / 二区.
    zhenning: list[tuple[uuid.UUID, str]] = []
    named = {0: demo_people.RESIDENT, 81: demo_people.SEEKER, 82: demo_people.GRADUATE}
    for n in range(120):
        estate = "振宁一区" if n < 80 else "振宁二区"
        building, unit = 1 + (n % 80) // 8, 101 + (n % 8)
        ref = named[n].ref(key) if n in named else _ref(next(people), key)
        home = await estates.add_household(session, estate_id=estate_ids[estate], actor=STAFF, data=HouseholdCreate(
            label=f"{building}幢{unit}", member_refs=[ref]))
        zhenning.append((home.id, ref))
    opened = _at(year, 10, 15)
    plan = await plans.create_plan(session, actor=STAFF, now=opened, data=PlanCreate(
        title="振宁区块加装电梯与停车改造方案", project_id=project_ids["振宁区块"],
        summary="拟在1-10幢加装电梯12部，挖潜停车位80个，增设充电桩20个；请各登记住户投票并提出意见。",
        voting_closes_on=date(year + 1, 1, 31)))
    for n, (_, ref) in enumerate(zhenning[1:71], start=1):  # 70 online votes; 王秀英 (n=0) has not voted yet
        choice = "for" if n % 7 else "against"
        await votes.cast_my_vote(session, plan_id=plan.id, choice=choice, principal=_resident(ref, n),
                                 now=opened + timedelta(hours=3 * n))
    await votes.record_offline_votes(session, plan_id=plan.id, actor=STAFF, now=_at(year, 10, 30), batch=OfflineBatch(
        channel="paper", votes=[OfflineVote(household_id=home, choice="for" if n % 5 else "abstain",
                                            cast_at=opened + timedelta(days=5, minutes=n))
                                for n, (home, _) in enumerate(zhenning[71:91])]))
    for n, text in ((3, "建议电梯井道避开北侧窗户"), (12, "希望增加老年人休息座椅"), (40, "充电桩请远离楼道")):
        await feedback.add_comment(session, plan_id=plan.id, body=text, principal=_resident(zhenning[n][1], n),
                                   now=opened + timedelta(days=2, hours=n))

    # 崇化三区块: decided at the start of the year, works accepted, residents rating the result.
    chonghua: list[tuple[uuid.UUID, str]] = []
    for n in range(60):
        ref = _ref(next(people), key)
        home = await estates.add_household(session, estate_id=estate_ids["崇化一苑"], actor=STAFF,
                                           data=HouseholdCreate(label=f"{1 + n // 10}幢{101 + n % 10}",
                                                                member_refs=[ref]))
        chonghua.append((home.id, ref))
    opened = _at(year, 1, 10)
    plan = await plans.create_plan(session, actor=STAFF, now=opened, data=PlanCreate(
        title="崇化三区块综合改造方案", project_id=project_ids["崇化三区块"],
        summary="雨污分流、外立面整治、无障碍与适老化改造、停车与绿化提升。"))
    for n, (_, ref) in enumerate(chonghua[:48]):
        choice = "against" if n % 12 == 5 else "abstain" if n % 24 == 11 else "for"
        await votes.cast_my_vote(session, plan_id=plan.id, choice=choice, principal=_resident(ref, 100 + n),
                                 now=opened + timedelta(hours=5 * n))
    await plans.transition_plan(session, plan_id=plan.id, action="close", reason=None, actor=STAFF,
                                now=_at(year, 2, 1))
    await plans.transition_plan(session, plan_id=plan.id, action="accept", actor=STAFF, now=_at(year, 2, 3),
                                reason="48户参与，赞成户数超过三分之二，按方案实施；渗水与停车意见已纳入施工方案。")
    for n, (_, ref) in enumerate(chonghua[:40]):
        await feedback.rate(session, plan_id=plan.id, score=5 if n % 3 else 4, principal=_resident(ref, 100 + n),
                            now=_at(year, 10, 21) + timedelta(hours=n))
