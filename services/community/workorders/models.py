from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.community.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey

OPEN_SQL = "status IN ('raised', 'acknowledged', 'dispatched', 'on_site')"


class WorkOrder(UUIDPrimaryKey, Timestamps, Base):
    """An incident opened by a device alert and closed in a loop:
    raised → acknowledged → dispatched → on_site → resolved → reviewed, each step timed."""

    __tablename__ = "work_orders"
    __table_args__ = (
        # One open incident per device and category: a repeat alert joins it (the alert use case locks the
        # device row first; this index is the last line of defence).
        Index("uq_work_orders_device_category_open", "device_id", "category", unique=True,
              postgresql_where=text(OPEN_SQL), sqlite_where=text(OPEN_SQL)),
        # The escalation sweep's query: raised orders by deadline.
        Index("ix_work_orders_status_ack_due", "status", "ack_due_at"),
    )

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str] = mapped_column(String(12), index=True)
    device_type: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(12))  # emergency | maintenance
    severity: Mapped[str] = mapped_column(String(10), index=True)
    status: Mapped[str] = mapped_column(String(15), index=True)
    assignee: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    ack_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    responder: Mapped[str | None] = mapped_column(String(120), nullable=True)
    on_site_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(30), nullable=True)
    resolution_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    review_rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    review_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Kept as numbers when the step happens, so the overview averages them with one aggregate.
    seconds_to_acknowledge: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seconds_to_resolve: Mapped[int | None] = mapped_column(Integer, nullable=True)
    alert_count: Mapped[int] = mapped_column(Integer, default=1)
    last_alert_at: Mapped[datetime] = mapped_column(UTCDateTime())
    steps: Mapped[list[WorkOrderStep]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                      order_by="WorkOrderStep.at")
    escalations: Mapped[list[WorkOrderEscalation]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                                  order_by="WorkOrderEscalation.level")


class WorkOrderStep(UUIDPrimaryKey, Base):
    """One move of the loop: who, when, and how long the order spent in the stage it left."""

    __tablename__ = "work_order_steps"

    work_order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("work_orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(15), nullable=True)
    to_status: Mapped[str] = mapped_column(String(15))
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    seconds_in_previous: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str | None] = mapped_column(String(1000), nullable=True)


class WorkOrderEscalation(UUIDPrimaryKey, Base):
    """A missed acknowledgement deadline: the order moved up the duty chain."""

    __tablename__ = "work_order_escalations"

    work_order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("work_orders.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    from_assignee: Mapped[str | None] = mapped_column(String(120), nullable=True)
    to_assignee: Mapped[str] = mapped_column(String(120))
    deadline_missed: Mapped[datetime] = mapped_column(UTCDateTime())
    at: Mapped[datetime] = mapped_column(UTCDateTime())
