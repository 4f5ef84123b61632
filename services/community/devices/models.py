from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.community.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Device(UUIDPrimaryKey, Timestamps, Base):
    """A home-safety device (安居守护四件套: smoke, gas, emergency button, door sensor) in a household."""

    __tablename__ = "devices"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str] = mapped_column(String(12), index=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    serial_no: Mapped[str] = mapped_column(String(64), unique=True)
    vendor_code: Mapped[str] = mapped_column(String(40), index=True)
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)  # active | retired
    last_alert_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
