from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.chronic_care.db import Base
from services.chronic_care.drugs.models import Drug
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Refill(UUIDPrimaryKey, Timestamps, Base):
    """A patient's request for a drug, and, for a drug outside the station's catalogue, its order on the
    district platform. Each step is timed (columns for the figures, ``steps`` for the whole story)."""

    __tablename__ = "refills"
    __table_args__ = (
        UniqueConstraint("requested_by", "idempotency_key"),
        Index("ix_refills_station_status", "station_id", "status"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    drug_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drugs.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    dispensed_quantity: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str] = mapped_column(String(20))  # in_catalogue | out_of_catalogue
    status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    requested_by: Mapped[str] = mapped_column(String(120))
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    approved_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    rejected_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    delivered_quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    first_dispensed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    dispensed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    drug: Mapped[Drug] = relationship(lazy="joined")
    steps: Mapped[list[RefillStep]] = relationship(order_by="RefillStep.at", lazy="selectin",
                                                   cascade="all, delete-orphan")
    dispensations: Mapped[list[Dispensation]] = relationship(order_by="Dispensation.dispensed_at", lazy="selectin",
                                                             cascade="all, delete-orphan")


class RefillStep(UUIDPrimaryKey, Base):
    __tablename__ = "refill_steps"

    refill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("refills.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24), nullable=True)
    to_status: Mapped[str] = mapped_column(String(24))
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Dispensation(UUIDPrimaryKey, Base):
    """One dispensing service (配药服务人次): what was issued to the patient at the station."""

    __tablename__ = "dispensations"
    __table_args__ = (Index("ix_dispensations_station_at", "station_id", "dispensed_at"),)

    refill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("refills.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    drug_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drugs.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    partial: Mapped[bool] = mapped_column(Boolean)
    out_of_catalogue: Mapped[bool] = mapped_column(Boolean)
    dispensed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    dispensed_by: Mapped[str] = mapped_column(String(120))
