from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from services.community.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey

LIVE = "status IN ('ordered', 'served')"


class MealOrder(UUIDPrimaryKey, Timestamps, Base):
    """A meal ordered at a shared canteen (智慧共享食堂), priced and subsidised when ordered."""

    __tablename__ = "meal_orders"
    __table_args__ = (
        # One meal per person per sitting: the subsidy is per meal, not per tray.
        Index("uq_meal_orders_resident_sitting_live", "resident_id", "meal_date", "meal", unique=True,
              postgresql_where=text(LIVE), sqlite_where=text(LIVE)),
        Index("ix_meal_orders_station_date", "station_id", "meal_date"),
    )

    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id", ondelete="RESTRICT"))
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("residents.id", ondelete="RESTRICT"), index=True)
    person_ref: Mapped[str] = mapped_column(String(40))
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    meal_date: Mapped[date] = mapped_column(Date, index=True)  # local date
    meal: Mapped[str] = mapped_column(String(10))
    price_fen: Mapped[int] = mapped_column(Integer)
    subsidy_fen: Mapped[int] = mapped_column(Integer)
    payable_fen: Mapped[int] = mapped_column(Integer)
    subsidy_band: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), index=True)
    ordered_by: Mapped[str] = mapped_column(String(120))
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    served_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
