from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from services.community.db import Base


class MonthlyFigure(Base):
    """A running total per local month, street and metric (alerts, work orders raised / resolved and their
    seconds, meals ordered / served / subsidy), bumped in the transaction of the change it counts. The
    overview sums a few thousand of these instead of scanning hundreds of thousands of rows."""

    __tablename__ = "monthly_figures"

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the first day of the local (UTC+8) month
    street_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    metric: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
