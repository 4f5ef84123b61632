from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.renovation.db import Base
from shared.database import Timestamps, UUIDPrimaryKey


class Programme(UUIDPrimaryKey, Timestamps, Base):
    """An area-wide (片区化) renovation programme: communities renovated together, projects grouped under it."""

    __tablename__ = "programmes"

    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer, index=True)  # the year it starts
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    communities: Mapped[list[ProgrammeCommunity]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ProgrammeCommunity.community_code")

    @property
    def community_codes(self) -> list[str]:
        return [c.community_code for c in self.communities]


class ProgrammeCommunity(Base):
    __tablename__ = "programme_communities"

    programme_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"),
                                                    primary_key=True)
    community_code: Mapped[str] = mapped_column(String(12), primary_key=True, index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
