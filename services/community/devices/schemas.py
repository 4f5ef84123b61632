from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from services.community.devices.rules import VENDOR_CODE, DeviceType
from shared.pagination import Page


class DeviceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    household_id: uuid.UUID
    type: DeviceType
    serial_no: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    vendor_code: str = Field(pattern=VENDOR_CODE, description="The vendor whose platform posts its alerts")
    installed_at: AwareDatetime | None = None


class KitDevice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: DeviceType
    serial_no: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")


class KitCreate(BaseModel):
    """The home-safety kit (安居守护四件套) installed in one visit."""

    model_config = ConfigDict(extra="forbid")

    vendor_code: str = Field(pattern=VENDOR_CODE)
    devices: list[KitDevice] = Field(min_length=1, max_length=8)
    installed_at: AwareDatetime | None = None

    @field_validator("devices")
    @classmethod
    def _distinct_serials(cls, devices: list[KitDevice]) -> list[KitDevice]:
        if len({d.serial_no for d in devices}) != len(devices):
            raise ValueError("serial numbers repeat")
        return devices


class DeviceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    household_id: uuid.UUID
    street_code: str
    community_code: str
    type: DeviceType
    serial_no: str
    vendor_code: str
    installed_at: datetime
    status: str
    last_alert_at: datetime | None


DevicePage = Page[DeviceRead]
