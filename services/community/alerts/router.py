from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from services.community.access import AnyCaller, Reader, Session
from services.community.alerts import service
from services.community.alerts.schemas import AlertCreate, AlertPage, AlertReceipt
from services.community.escalation.policy import Policy
from shared.clock import Now
from shared.query_types import IsoDateTime

router = APIRouter(tags=["home-safety alerts"])


@router.post("/devices/{device_id}/alerts", status_code=status.HTTP_201_CREATED, response_model=AlertReceipt,
             summary="A device vendor posts an alert (API key scoped to that device or vendor)",
             description="Opens a work order, or joins the device's open incident (`repeat`: true, no second "
                         "order). A retry with the same `vendor_alert_id` returns the first receipt with 200.")
async def post_alert(device_id: uuid.UUID, body: AlertCreate, response: Response, session: Session,
                     principal: AnyCaller, policy: Policy, now: Now):
    receipt = await service.raise_alert(session, device_id=device_id, data=body, actor=principal, policy=policy,
                                        now=now)
    if receipt["replayed"]:
        response.status_code = status.HTTP_200_OK
    return receipt


@router.get("/alerts", response_model=AlertPage, summary="Alerts as received, newest first")
async def list_alerts(session: Session, _: Reader, work_order_id: uuid.UUID | None = None,
                      device_id: uuid.UUID | None = None,
                      community_code: Annotated[str | None, Query(min_length=12, max_length=12)] = None,
                      received_from: IsoDateTime | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                      cursor: Annotated[str | None, Query(max_length=500)] = None):
    items, next_cursor = await service.list_alerts(session, work_order_id=work_order_id, device_id=device_id,
                                                   community_code=community_code, received_from=received_from,
                                                   limit=limit, cursor=cursor)
    return AlertPage(items=items, next_cursor=next_cursor)
