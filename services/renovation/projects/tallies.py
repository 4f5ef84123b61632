"""Keeps ``ProjectTally`` in step with the projects: every use case that changes a project's street, status,
finishing year, area or budget moves its contribution from the old key to the new one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation import tallies
from services.renovation.projects.models import Project, ProjectTally


@dataclass(frozen=True)
class Contribution:
    street_code: str
    status: str
    year: int
    area_dm2: int
    budget_fen: int


def contribution(project: Project) -> Contribution:
    finish = project.actual_end or project.planned_end
    return Contribution(project.street_code, project.status, finish.year, round(project.area_m2 * 100),
                        project.budget_fen)


async def move(session: AsyncSession, before: Contribution | None, after: Contribution) -> None:
    if before == after:
        return
    if before is not None:
        await _add(session, before, -1)
    await _add(session, after, 1)


async def _add(session: AsyncSession, c: Contribution, sign: int) -> None:
    await tallies.add(session, ProjectTally, keys={"street_code": c.street_code, "status": c.status, "year": c.year},
                      increments={"projects": sign, "area_dm2": sign * c.area_dm2, "budget_fen": sign * c.budget_fen})
