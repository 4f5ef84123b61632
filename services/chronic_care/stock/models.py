from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.chronic_care.db import Base
from services.chronic_care.drugs.models import Drug
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class StationDrug(UUIDPrimaryKey, Timestamps, Base):
    """A drug a station knows: in its own catalogue (dispensed on the spot) or got once through an
    out-of-catalogue order; with the stock it holds."""

    __tablename__ = "station_drugs"
    __table_args__ = (
        UniqueConstraint("station_id", "drug_id"),
        CheckConstraint("stock_quantity >= 0", name="stock_not_negative"),
    )

    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"), index=True)
    drug_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drugs.id"), index=True)
    in_catalogue: Mapped[bool] = mapped_column(Boolean, default=False)
    catalogued_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    catalogued_via: Mapped[str | None] = mapped_column(String(30), nullable=True)  # direct | out_of_catalogue_order
    first_ordered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    stock_quantity: Mapped[int] = mapped_column(Integer, default=0)
    low_stock_level: Mapped[int] = mapped_column(Integer, default=10)
    drug: Mapped[Drug] = relationship(lazy="joined")


class StockMovement(UUIDPrimaryKey, Base):
    """Every change of a station's stock, with its reason: the ledger the stock figure can be checked against."""

    __tablename__ = "stock_movements"

    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"), index=True)
    drug_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drugs.id"))
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))  # receipt | delivery | dispense
    ref_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
