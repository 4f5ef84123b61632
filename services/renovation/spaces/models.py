from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from services.renovation.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Space(UUIDPrimaryKey, Timestamps, Base):
    """An idle space (架空层, 楼廊, idle state-owned asset, commercial space) to host a service scenario."""

    __tablename__ = "spaces"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str] = mapped_column(String(12), index=True)
    estate_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("estates.id", ondelete="SET NULL"), nullable=True,
                                                        index=True)
    address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    area_m2: Mapped[float] = mapped_column(Numeric(10, 2, asdecimal=False))
    status: Mapped[str] = mapped_column(String(14), default="identified", index=True)
    service_type: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    allocated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    allocated_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    commissioned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    commissioned_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
