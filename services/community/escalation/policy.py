"""The escalation policy the settings describe (kept out of the pure rules: it reads configuration)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.community.escalation.rules import EscalationPolicy
from services.community.settings import Settings


def policy_of(settings: Settings) -> EscalationPolicy:
    return EscalationPolicy(ack_limits=dict(settings.ack_limits_seconds),
                            default_chain=tuple(settings.default_duty_chain))


async def _policy(request: Request) -> EscalationPolicy:
    return policy_of(request.app.state.settings)


Policy = Annotated[EscalationPolicy, Depends(_policy)]
