from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.jobs.db import Base


class SeekerTally(Base):
    """How many seekers there are per street, stage and (UTC) year of registration: +1 at registration, -1/+1
    at each stage change, in the transaction of the change. The overview's stage counts and registrations of
    a year sum a few hundred of these instead of scanning every seeker."""

    __tablename__ = "seeker_tallies"

    street_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    registered_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    seekers: Mapped[int] = mapped_column(Integer, default=0)
