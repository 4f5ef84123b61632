"""Every table of the service, imported so that Alembic sees the whole metadata."""

from services.renovation.db import Base, InboxMessage, OutboxMessage
from services.renovation.projects.models import Project, ProjectTransition

__all__ = ["Base", "InboxMessage", "OutboxMessage", "Project", "ProjectTransition"]
