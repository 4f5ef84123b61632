from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.jobs.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Vacancy(UUIDPrimaryKey, Timestamps, Base):
    """A post an employer offers; ``public_welfare`` marks a public-welfare post (公益性岗位), the fallback."""

    __tablename__ = "vacancies"
    # The open vacancies' ids alone: matching joins a seeker's skill rows to them without reading the table.
    __table_args__ = (Index("ix_vacancies_status_street", "status", "street_code"),
                      Index("ix_vacancies_open", "id", postgresql_where=text("status = 'open'"),
                            sqlite_where=text("status = 'open'")))

    employer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employers.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    salary_min_fen: Mapped[int] = mapped_column(BigInteger)  # monthly
    salary_max_fen: Mapped[int] = mapped_column(BigInteger)
    street_code: Mapped[str] = mapped_column(String(12))
    community_code: Mapped[str | None] = mapped_column(String(15), nullable=True)
    location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    headcount: Mapped[int] = mapped_column(Integer)
    filled: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    public_welfare: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    skill_rows: Mapped[list[VacancySkill]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                          order_by="VacancySkill.skill")

    @property
    def skills(self) -> list[str]:
        return [row.skill for row in self.skill_rows]

    @property
    def openings(self) -> int:
        return max(self.headcount - self.filled, 0)


class VacancySkill(Base):
    __tablename__ = "vacancy_skills"
    # (skill, vacancy_id) covers matching's lookup by skill: no visit to the table's rows.
    __table_args__ = (Index("ix_vacancy_skills_skill_vacancy", "skill", "vacancy_id"),)

    vacancy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True)
    skill: Mapped[str] = mapped_column(String(40), primary_key=True)
