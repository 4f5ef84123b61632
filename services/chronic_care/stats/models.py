from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.chronic_care.db import Base


class FigureCount(Base):
    """A figure's change in one station and month: period figures sum the months of the period, state figures
    (patients, controlled patients) sum every month up to the period's end. Written in the same transaction as
    the change it counts, so the overview never scans the clinical tables."""

    __tablename__ = "figure_counts"

    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # first day of the month (UTC)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class DrugMonth(Base):
    """Which drugs a station dispensed in a month (for the distinct drug kinds of any run of months)."""

    __tablename__ = "drug_months"

    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    drug_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drugs.id"), primary_key=True)
    dispensings: Mapped[int] = mapped_column(Integer, default=0)
    out_of_catalogue: Mapped[int] = mapped_column(Integer, default=0)
