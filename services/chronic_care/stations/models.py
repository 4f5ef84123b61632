from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.chronic_care.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow


class Station(UUIDPrimaryKey, Timestamps, Base):
    """A village health station (村卫生室/智慧健康站) where patients are served without leaving the village."""

    __tablename__ = "stations"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str | None] = mapped_column(String(12), nullable=True)
    staff: Mapped[list[StationStaff]] = relationship(
        back_populates="station", order_by="StationStaff.subject", lazy="selectin", cascade="all, delete-orphan"
    )


class StationStaff(Base):
    """A doctor or nurse (the gateway's subject) working at a station: care staff of its patients."""

    __tablename__ = "station_staff"

    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    subject: Mapped[str] = mapped_column(String(120), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    station: Mapped[Station] = relationship(back_populates="staff")
