from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.chronic_care.patients.rules import CONDITION_CODE
from shared.pagination import Page

_PHONE = r"^[0-9+\-]{5,20}$"


class ConditionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=3, max_length=8, description="ICD-10 code, e.g. I10 hypertension, E11 type-2 diabetes")
    diagnosed_on: date | None = None

    @field_validator("code")
    @classmethod
    def _icd10(cls, value: str) -> str:
        value = value.strip().upper()
        if not CONDITION_CODE.match(value):
            raise ValueError("must be an ICD-10 code such as I10 or E11.9")
        return value


class PatientCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_number: str = Field(min_length=18, max_length=18, description="Citizen ID number (GB 11643)")
    name: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(None, pattern=_PHONE)
    station_id: uuid.UUID
    family_doctor: str | None = Field(None, min_length=1, max_length=120,
                                      description="Subject of the family doctor; the registering doctor if omitted")
    conditions: list[ConditionIn] = Field(min_length=1, max_length=20)
    street_code: str | None = Field(None, min_length=9, max_length=12, description="Residence street; the station's "
                                    "if omitted")
    community_code: str | None = Field(None, min_length=12, max_length=12)
    health_data_consent: bool = Field(False, description="The patient (a guardian, under 14) has signed the consent "
                                      "to process their health data: recorded with the registration. Not needed "
                                      "when consent was recorded first at /consents")
    guardian_id_number: str | None = Field(None, min_length=18, max_length=18,
                                           description="The guardian who signed, for a patient under 14")


class PatientUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: str | None = Field(None, pattern=_PHONE)
    family_doctor: str | None = Field(None, min_length=1, max_length=120)
    conditions: list[ConditionIn] | None = Field(None, min_length=1, max_length=20)


class ConditionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    category: str
    diagnosed_on: date | None


class PatientRead(BaseModel):
    """ID number and phone are masked for every reader: ``POST /patients/{id}/reveal`` shows one."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    person_ref: str
    name: str
    id_number: str
    phone: str | None
    sex: Literal["M", "F"]
    birth_date: date
    station_id: uuid.UUID
    family_doctor: str
    street_code: str
    community_code: str | None
    conditions: list[ConditionRead]
    status: Literal["active", "inactive"]
    inactive_reason: str | None
    registered_at: datetime
    last_reading_at: datetime | None
    last_grade: str | None
    flagged_since: datetime | None


PatientPage = Page[PatientRead]
