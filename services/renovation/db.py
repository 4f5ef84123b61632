"""The renovation service's own database: its tables, outbox, inbox and audit log."""

from sqlalchemy.orm import DeclarativeBase

from shared.audit import AuditMixin
from shared.database import new_metadata
from shared.events.outbox import InboxMixin, Outbox, OutboxMixin


class Base(DeclarativeBase):
    metadata = new_metadata()


class OutboxMessage(OutboxMixin, Base):
    pass


class InboxMessage(InboxMixin, Base):
    pass


class AuditEntry(AuditMixin, Base):
    """Runs that anonymise households (residents' refs and comments); append-only on PostgreSQL."""


outbox = Outbox(OutboxMessage)
