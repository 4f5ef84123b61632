from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.chronic_care.db import Base
from shared.database import Timestamps, UUIDPrimaryKey


class Drug(UUIDPrimaryKey, Timestamps, Base):
    """An entry of the district's drug catalogue (what the "health brain" platform can supply)."""

    __tablename__ = "drugs"
    __table_args__ = (UniqueConstraint("generic_name", "form", "strength"),)

    code: Mapped[str] = mapped_column(String(40), unique=True)
    generic_name: Mapped[str] = mapped_column(String(200), index=True)
    form: Mapped[str] = mapped_column(String(40))
    strength: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str] = mapped_column(String(20))
