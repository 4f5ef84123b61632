from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from services.community.db import Base
from shared.database import Timestamps, UUIDPrimaryKey


class DutyChain(UUIDPrimaryKey, Timestamps, Base):
    """Who is asked, in order, to acknowledge a community's work orders (staff subjects or duty posts)."""

    __tablename__ = "duty_chains"

    community_code: Mapped[str] = mapped_column(String(12), unique=True)
    levels: Mapped[list[str]] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(120))
