from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.community.alerts.rules import AlertKind
from services.community.escalation.rules import Severity
from shared.pagination import Page


class AlertCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: AlertKind = Field("alarm", description="alarm, no_activity (door sensor), low_battery, offline, tamper, "
                                                 "or test (recorded, opens nothing)")
    occurred_at: AwareDatetime | None = Field(None, description="When the device raised it; now if omitted")
    vendor_alert_id: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$",
                                        description="The vendor's id: a retry with the same id records nothing new")


class AlertReceipt(BaseModel):
    """What the device's platform learns back: nothing about the household."""

    alert_id: uuid.UUID
    work_order_id: uuid.UUID | None
    opened_work_order: bool
    repeat: bool = Field(description="True: joined the device's open incident instead of opening another")
    replayed: bool = Field(False, description="True: a retry of an alert already recorded; nothing new recorded")
    severity: Severity | None


class AlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    device_id: uuid.UUID
    household_id: uuid.UUID
    work_order_id: uuid.UUID | None
    street_code: str
    community_code: str
    device_type: str
    kind: AlertKind
    severity: Severity | None
    occurred_at: datetime
    received_at: datetime
    vendor_alert_id: str | None
    repeat: bool


AlertPage = Page[AlertRead]
