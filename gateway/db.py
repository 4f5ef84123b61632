"""The gateway's own small database: users, API keys and Idempotency-Key records."""

from sqlalchemy.orm import DeclarativeBase

from shared.database import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()
