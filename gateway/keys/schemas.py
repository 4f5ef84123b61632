from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gateway.keys.rules import KEY_ROLES, SCOPE_SHAPE
from gateway.ratelimit import parse_limit
from shared.pagination import Page


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="Who holds it, e.g. 安居守护设备厂商")
    scopes: list[str] = Field(min_length=1, max_length=20,
                              description="`<service>:<what>`, e.g. `community:alerts:vendor:anju`; the key "
                                          "reaches only the services its scopes name")
    roles: list[str] = Field(default_factory=lambda: ["integration"], min_length=1, max_length=2)
    rate_limit: str | None = Field(None, max_length=32, description="e.g. `120/minute`; default: the gateway's")
    expires_at: datetime | None = None

    @field_validator("scopes")
    @classmethod
    def _scopes(cls, value: list[str]) -> list[str]:
        for scope in value:
            if not SCOPE_SHAPE.match(scope):
                raise ValueError(f"{scope!r} is not of the form service:what")
        return value

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        bad = [r for r in value if r not in KEY_ROLES]
        if bad:
            raise ValueError(f"a key may hold only {', '.join(sorted(KEY_ROLES))}; not {', '.join(bad)}")
        return value

    @field_validator("rate_limit")
    @classmethod
    def _limit(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            parse_limit(value)
        except ValueError as exc:
            raise ValueError("must look like 120/minute") from exc
        return value

    @field_validator("expires_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("must carry a time zone (UTC: a trailing Z)")
        return value


class ApiKeyRotate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grace_seconds: int = Field(0, ge=0, le=7 * 24 * 3600,
                               description="How long the old key keeps working (0: it stops at once)")


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    roles: list[str]
    rate_limit: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str | None
    replaced_by: uuid.UUID | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The key itself. Shown this once: only its hash is kept.")


ApiKeyPage = Page[ApiKeyRead]
