"""Signing in with a password (development issuer): the user's roles go into a short-lived JWT."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.tokens import IssuedToken, issue_user_token
from gateway.settings import Settings
from gateway.users.models import User
from gateway.users.passwords import DUMMY_HASH, verify_password
from shared.errors import Unauthorized


async def sign_in(session: AsyncSession, *, username: str, password: str, settings: Settings) -> IssuedToken:
    user = await session.scalar(select(User).where(User.username == username))
    # The hash is checked even for an unknown user, so that timing does not tell which usernames exist.
    # scrypt takes tens of milliseconds: in a thread, so that the proxy keeps serving meanwhile.
    ok = await asyncio.to_thread(verify_password, password, user.password_hash if user else DUMMY_HASH)
    if user is None or not ok or not user.active:
        raise Unauthorized("wrong username or password", headers={"WWW-Authenticate": 'Bearer realm="minsheng"'})
    return issue_user_token(subject=user.username, roles=list(user.roles), person_ref=user.person_ref,
                            street_code=user.street_code, secret=settings.jwt_secret.get_secret_value(),
                            issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                            minutes=settings.access_token_minutes)
