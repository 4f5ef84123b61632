from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.community.db import Base
from shared.database import UTCDateTime, UUIDPrimaryKey


class Alert(UUIDPrimaryKey, Base):
    """What a device said, when: every alert is kept, whether it opened a work order or joined one."""

    __tablename__ = "alerts"
    __table_args__ = (
        # A vendor retrying the same alert (same id of theirs) does not record it twice.
        UniqueConstraint("device_id", "vendor_alert_id", name="uq_alerts_device_vendor_alert"),
    )

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"))
    work_order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("work_orders.id", ondelete="SET NULL"),
                                                            nullable=True, index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str] = mapped_column(String(12))
    device_type: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str | None] = mapped_column(String(10), nullable=True)  # None: a test, no order
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    vendor_alert_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    posted_by: Mapped[str] = mapped_column(String(160))
