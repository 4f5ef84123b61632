from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from services.community.db import Base
from shared.database import UTCDateTime


class FeedEvent(Base):
    """One change for the live one-screen feed, written in the transaction of the change itself, so every
    replica's streams see it (they read this table) and nothing is shown that did not commit. References and
    statuses only: no names, addresses or phone numbers."""

    __tablename__ = "feed_events"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    street_code: Mapped[str | None] = mapped_column(String(12), nullable=True)
    community_code: Mapped[str | None] = mapped_column(String(12), nullable=True, index=True)
    data: Mapped[dict] = mapped_column(JSON)
