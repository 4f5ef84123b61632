from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from gateway.auth.deps import CurrentCaller, TooManyRequests
from gateway.users import service
from gateway.users.schemas import Me, TokenOut
from shared.errors import NotFound

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


async def login_limit(request: Request) -> None:
    gateway = request.app.state.gateway
    if gateway.login_limit is None:
        return
    ip = request.client.host if request.client else "unknown"
    ok, wait = await gateway.limiter.hit(gateway.login_limit, "login", ip)
    if not ok:
        gateway.metrics.rate_limited.labels("login").inc()
        raise TooManyRequests(f"too many sign-in attempts; retry in {wait} s", headers={"Retry-After": str(wait)})


@router.post("/token", response_model=TokenOut, dependencies=[Depends(login_limit)],
             summary="Sign in (OAuth2 password grant): a bearer token for the other endpoints",
             responses={401: {"description": "wrong username or password"}, 404: {"description": "issuer off"}})
async def token(request: Request, response: Response, username: Annotated[str, Form(min_length=1, max_length=64)],
                password: Annotated[str, Form(min_length=1, max_length=256)],
                grant_type: Annotated[str | None, Form(pattern="^password$")] = None):
    gateway = request.app.state.gateway
    if not gateway.settings.local_issuer_enabled:
        raise NotFound("the local token issuer is off here: sign in with the identity provider")
    async with gateway.session_factory() as session:
        issued = await service.sign_in(session, username=username, password=password, settings=gateway.settings)
    response.headers["Cache-Control"] = "no-store"
    return TokenOut(access_token=issued.token, expires_in=issued.expires_in)


@router.get("/me", response_model=Me, summary="Who the gateway takes the caller to be")
async def me(caller: CurrentCaller):
    p = caller.principal
    return Me(subject=p.subject, kind=p.kind, roles=sorted(p.roles), scopes=sorted(p.scopes),
              street_code=p.street_code, person_ref=p.person_ref)

