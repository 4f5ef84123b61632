from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from services.chronic_care.db import Base
from shared.database import UTCDateTime


class ThresholdSetting(Base):
    """A configured threshold set replacing the built-in default of (condition category, measure)."""

    __tablename__ = "threshold_settings"

    condition: Mapped[str] = mapped_column(String(10), primary_key=True)
    measure: Mapped[str] = mapped_column(String(20), primary_key=True)
    values: Mapped[dict] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
