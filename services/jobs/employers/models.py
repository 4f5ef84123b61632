from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.jobs.db import Base
from shared.database import Timestamps, UUIDPrimaryKey


class Employer(UUIDPrimaryKey, Timestamps, Base):
    """An enterprise: it offers vacancies and receives relief (减、返、缓)."""

    __tablename__ = "employers"

    name: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)  # 统一社会信用代码 (GB 32100)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    industry: Mapped[str | None] = mapped_column(String(60), nullable=True)
    size: Mapped[str] = mapped_column(String(10), default="small")  # micro | small | medium | large
