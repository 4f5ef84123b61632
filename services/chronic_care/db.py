"""The chronic-care service's own database: its tables, outbox and inbox."""

from sqlalchemy.orm import DeclarativeBase

from shared.database import new_metadata
from shared.events.outbox import InboxMixin, Outbox, OutboxMixin


class Base(DeclarativeBase):
    metadata = new_metadata()


class OutboxMessage(OutboxMixin, Base):
    pass


class InboxMessage(InboxMixin, Base):
    pass


outbox = Outbox(OutboxMessage)
