"""Use cases of area-wide (片区化) programmes."""

from __future__ import annotations

import uuid

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.access import ensure_street
from services.renovation.estates.models import Estate
from services.renovation.programmes.models import Programme, ProgrammeCommunity
from services.renovation.programmes.schemas import ProgrammeCreate, ProgrammeDetail, ProgrammeRead, ProgrammeSummary
from services.renovation.projects.models import Project, ProjectEstate
from services.renovation.projects.rules import RENOVATED, STATUSES
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import FieldError, NotFound
from shared.locations import check_community, street_of
from shared.pagination import paginate


async def create_programme(session: AsyncSession, *, data: ProgrammeCreate, actor: Principal) -> Programme:
    codes = list(dict.fromkeys(data.community_codes))
    for code in codes:
        check_community(code, field="community_codes")
    links = [ProgrammeCommunity(community_code=c, street_code=street_of(c)) for c in codes]
    for link in links:
        ensure_street(actor, link.street_code)
    async with unit_of_work(session):
        programme = Programme(name=data.name, year=data.year, description=data.description, communities=links)
        session.add(programme)
    return programme


async def get_programme(session: AsyncSession, *, programme_id: uuid.UUID) -> Programme:
    programme = await session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(f"programme {programme_id} not found", [FieldError("programme_id", "no such programme")])
    return programme


async def list_programmes(session: AsyncSession, *, year: int | None, limit: int,
                          cursor: str | None) -> tuple[list[Programme], str | None]:
    stmt = select(Programme)
    if year:
        stmt = stmt.where(Programme.year == year)
    return await paginate(session, stmt, sort_column=Programme.created_at, id_column=Programme.id, limit=limit,
                          cursor=cursor)


async def programme_detail(session: AsyncSession, *, programme_id: uuid.UUID) -> ProgrammeDetail:
    programme = await get_programme(session, programme_id=programme_id)
    in_programme = Project.programme_id == programme.id
    done = case((Project.status.in_(RENOVATED), 100), else_=Project.progress_pct)
    total, area, budget, progress = (await session.execute(
        select(func.count(), func.coalesce(func.sum(Project.area_m2), 0),
               func.coalesce(func.sum(Project.budget_fen), 0), func.avg(done)).where(in_programme))).one()
    by_status = dict.fromkeys(STATUSES, 0)
    for status, n in (await session.execute(select(Project.status, func.count()).where(in_programme)
                                            .group_by(Project.status))).all():
        by_status[status] = n
    covered = await session.scalar(
        select(func.count(func.distinct(Estate.community_code)))
        .join(ProjectEstate, ProjectEstate.estate_id == Estate.id).join(Project, Project.id == ProjectEstate.project_id)
        .where(in_programme, Estate.community_code.in_(programme.community_codes))) or 0
    return ProgrammeDetail(
        **ProgrammeRead.model_validate(programme).model_dump(),
        summary=ProgrammeSummary(projects=total, projects_by_status=by_status, area_m2=float(area),
                                 budget_fen=int(budget), progress_pct=round(float(progress or 0)),
                                 communities=len(programme.community_codes), communities_with_projects=covered))
