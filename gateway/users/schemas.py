from __future__ import annotations

from pydantic import BaseModel


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class Me(BaseModel):
    subject: str
    kind: str
    roles: list[str]
    scopes: list[str]
    street_code: str | None
    person_ref: str | None
