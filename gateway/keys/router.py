from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from gateway.auth.deps import Admin
from gateway.keys import service
from gateway.keys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPage, ApiKeyRead, ApiKeyRotate
from shared.database import utcnow
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/api/v1/api-keys", tags=["API keys"])


def _created(created: service.CreatedKey) -> ApiKeyCreated:
    return ApiKeyCreated(**ApiKeyRead.model_validate(created.record).model_dump(), key=created.key)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreated,
             summary="Create a key for a third party (admin); the key is in this response only")
async def create_key(body: ApiKeyCreate, request: Request, response: Response, caller: Admin):
    async with request.app.state.gateway.session_factory() as session:
        created = await service.create_key(session, name=body.name, scopes=body.scopes, roles=body.roles,
                                           rate_limit=body.rate_limit, expires_at=body.expires_at,
                                           actor=caller.principal.subject)
    response.headers["Cache-Control"] = "no-store"
    return _created(created)


@router.get("", response_model=ApiKeyPage, summary="Keys (never the keys themselves)")
async def list_keys(request: Request, _: Admin, include_revoked: bool = False,
                    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
                    cursor: Annotated[str | None, Query(max_length=500)] = None):
    async with request.app.state.gateway.session_factory() as session:
        items, next_cursor = await service.list_keys(session, include_revoked=include_revoked, limit=limit,
                                                     cursor=cursor)
    return ApiKeyPage(items=[ApiKeyRead.model_validate(i) for i in items], next_cursor=next_cursor)


@router.get("/{key_id}", response_model=ApiKeyRead)
async def get_key(key_id: uuid.UUID, request: Request, _: Admin):
    async with request.app.state.gateway.session_factory() as session:
        return await service.get_key(session, key_id=key_id)


@router.post("/{key_id}/revoke", response_model=ApiKeyRead, summary="Revoke a key: refused from now on")
async def revoke_key(key_id: uuid.UUID, request: Request, caller: Admin):
    gateway = request.app.state.gateway
    async with gateway.session_factory() as session:
        record = await service.revoke_key(session, key_id=key_id, actor=caller.principal.subject, now=utcnow())
    gateway.authenticator.forget_key(key_id)
    return record


@router.post("/{key_id}/rotate", status_code=status.HTTP_201_CREATED, response_model=ApiKeyCreated,
             summary="A new key with the same rights; the old one stops now or after a grace period")
async def rotate_key(key_id: uuid.UUID, request: Request, response: Response, caller: Admin,
                     body: ApiKeyRotate | None = None):
    gateway = request.app.state.gateway
    async with gateway.session_factory() as session:
        created = await service.rotate_key(session, key_id=key_id, grace_seconds=body.grace_seconds if body else 0,
                                           actor=caller.principal.subject, now=utcnow())
    gateway.authenticator.forget_key(key_id)
    response.headers["Cache-Control"] = "no-store"
    return _created(created)
