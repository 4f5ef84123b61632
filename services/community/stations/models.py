from __future__ import annotations

import uuid

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.community.db import Base
from shared.database import Timestamps, UUIDPrimaryKey


class Station(UUIDPrimaryKey, Timestamps, Base):
    """A service station (驿站): the five-in-one station, a canteen, childcare, a children's home..."""

    __tablename__ = "stations"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str | None] = mapped_column(String(12), nullable=True, index=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    latitude: Mapped[float] = mapped_column(Float, index=True)
    longitude: Mapped[float] = mapped_column(Float)
    # [{"days": [1..7], "opens": "08:00", "closes": "17:30"}], local time; empty = by appointment.
    opening_hours: Mapped[list[dict]] = mapped_column(JSON, default=list)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)  # the station's desk, not a person's
    area_m2: Mapped[float | None] = mapped_column(Float, nullable=True)
    meal_price_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)  # canteens: price of one meal
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    # The renovation space it was opened in, when it came from one (unique: an event opens one station).
    source_space_id: Mapped[uuid.UUID | None] = mapped_column(unique=True, nullable=True)
    service_links: Mapped[list[StationService]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                               order_by="StationService.service")

    @property
    def services(self) -> list[str]:
        return [link.service for link in self.service_links]


class StationService(Base):
    """A service a station offers (the five-in-one station offers five)."""

    __tablename__ = "station_services"

    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    service: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)
