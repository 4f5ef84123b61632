from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base
from shared.database import Timestamps, UUIDPrimaryKey


class User(UUIDPrimaryKey, Timestamps, Base):
    """A person who signs in with a password (development issuer; production users come from OIDC)."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    person_ref: Mapped[str | None] = mapped_column(String(35), default=None)  # residents: their own
    street_code: Mapped[str | None] = mapped_column(String(12), default=None)  # staff bound to one street
    active: Mapped[bool] = mapped_column(default=True)
