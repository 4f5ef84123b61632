"""The envelope every event travels in, and how contracts become envelopes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shared.observability import current_request_id


class EventEnvelope(BaseModel):
    """``type`` is ``<service>.<aggregate>.<past-tense verb>``; ``version`` its major version."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    type: str = Field(pattern=r"^[a-z_]+\.[a-z_]+\.[a-z_]+$")
    version: int = Field(ge=1)
    source: str
    occurred_at: datetime
    correlation_id: str | None = None
    causation_id: str | None = None
    data: dict[str, Any]

    @property
    def routing_key(self) -> str:
        return routing_key(self.type, self.version)

    @property
    def producer(self) -> str:
        return self.type.split(".", 1)[0]


def routing_key(event_type: str, version: int) -> str:
    return f"{event_type}.v{version}"


class EventContract(BaseModel):
    """Base of every event's data model. Subclasses set ``event_type`` and ``version`` and are registered.

    Within a major version, changes are additive (new optional fields); consumers ignore unknown fields.
    Contracts carry references (``person_ref``, ids, codes, numbers), never names, ID numbers or health details.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)
    event_type: ClassVar[str]
    version: ClassVar[int] = 1

    def envelope(
        self, *, correlation_id: str | None = None, causation_id: str | None = None,
        event_id: uuid.UUID | None = None,
    ) -> EventEnvelope:
        return EventEnvelope(
            id=event_id or uuid.uuid4(),
            type=self.event_type,
            version=self.version,
            source=self.event_type.split(".", 1)[0],
            occurred_at=datetime.now(UTC),
            correlation_id=correlation_id or current_request_id(),
            causation_id=causation_id,
            data=self.model_dump(mode="json"),
        )
