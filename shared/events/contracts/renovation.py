"""Events the renovation service publishes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from shared.events.envelope import EventContract

ProjectStatus = Literal["planned", "approved", "in_progress", "completed", "accepted"]
ServiceType = Literal["childcare", "elderly_care", "health", "neighbourhood", "canteen"]


class ProjectStatusChangedV1(EventContract):
    event_type = "renovation.project.status_changed"
    project_id: uuid.UUID
    from_status: ProjectStatus
    to_status: ProjectStatus
    street_code: str
    area_m2: float
    changed_at: datetime


class ProjectAcceptedV1(EventContract):
    event_type = "renovation.project.accepted"
    project_id: uuid.UUID
    street_code: str
    area_m2: float
    estate_ids: list[uuid.UUID]
    accepted_at: datetime


class SpaceCommissionedV1(EventContract):
    """An idle space put into service: the community service opens a station there."""

    event_type = "renovation.space.commissioned"
    space_id: uuid.UUID
    name: str
    service_type: ServiceType
    street_code: str
    community_code: str | None = None
    address: str | None = None
    latitude: float
    longitude: float
    area_m2: float
    commissioned_at: datetime


class CommunityAcceptedV1(EventContract):
    """A future-community application passed its inspection."""

    event_type = "renovation.community.accepted"
    application_id: uuid.UUID
    community_code: str
    level: Literal["province", "city"]
    accepted_at: datetime
