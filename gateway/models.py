"""Every model of the gateway, so that Alembic sees the whole metadata."""

from gateway.db import Base
from gateway.idempotency.models import IdempotencyRecord
from gateway.keys.models import ApiKey
from gateway.users.models import User

__all__ = ["ApiKey", "Base", "IdempotencyRecord", "User"]
