from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from services.community.access import Reader, Session, Staff
from services.community.escalation import service
from services.community.escalation.policy import Policy
from services.community.escalation.schemas import DutyChainIn, DutyChainRead

router = APIRouter(prefix="/duty-chains", tags=["work orders"])
Community = Annotated[str, Path(min_length=12, max_length=12)]


@router.get("/{community_code}", response_model=DutyChainRead,
            summary="Who is asked to acknowledge a community's work orders, in order, and the time limits")
async def read_chain(community_code: Community, session: Session, _: Reader, policy: Policy):
    return await service.read_chain(session, community_code=community_code, policy=policy)


@router.put("/{community_code}", response_model=DutyChainRead)
async def set_chain(community_code: Community, body: DutyChainIn, session: Session, principal: Staff,
                    policy: Policy):
    return await service.set_chain(session, community_code=community_code, levels=body.levels, actor=principal,
                                   policy=policy)
