from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from services.community.access import Reader, Session
from services.community.feed import service
from services.community.feed.schemas import FeedPage
from services.community.feed.stream import live
from shared.errors import InvalidInput

router = APIRouter(prefix="/feed", tags=["live feed"])
Code = Annotated[str | None, Query(min_length=12, max_length=12)]
Street = Annotated[str | None, Query(min_length=9, max_length=9)]
RECONNECT_MS = 2000
MAX_SEQ = 2**62  # positions are 64-bit integers


@router.get("", response_model=FeedPage, summary="Feed messages after a position (for pollers and catch-up)")
async def read_feed(session: Session, _: Reader, after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
                    community_code: Code = None, street_code: Street = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100):
    rows = await service.read_after(session, after=after, community_code=community_code, street_code=street_code,
                                    limit=limit)
    return {"items": [service.as_message(r) for r in rows], "last_seq": rows[-1].seq if rows else after}


async def _resume_point(
    after: Annotated[int | None, Query(ge=0, le=MAX_SEQ,
                                       description="Replay from this position; omitted: from now on")] = None,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
) -> int | None:
    """EventSource sends Last-Event-ID when it reconnects: resume after it (it wins over ``after``)."""
    if last_event_id is None:
        return after
    if not last_event_id.isdigit() or int(last_event_id) > MAX_SEQ:
        raise InvalidInput("Last-Event-ID", "must be a feed position (a number)")
    return int(last_event_id)


@router.get("/stream", response_class=EventSourceResponse,
            summary="Server-sent events: new alerts and work-order changes as they happen",
            description="Each event's `id` is its feed position and `event` its kind; `data` is the message as "
                        "JSON. A stream ends after a while and the browser's EventSource reconnects by itself "
                        "with Last-Event-ID, missing nothing.")
async def stream(request: Request, _: Reader, start: Annotated[int | None, Depends(_resume_point)],
                 community_code: Code = None, street_code: Street = None) -> AsyncIterator[ServerSentEvent]:
    settings = request.app.state.settings
    factory = request.app.state.session_factory
    if start is None:  # from now on: fixed before the client hears anything, so nothing slips between
        async with factory() as session:
            start = await service.last_seq(session)
    yield ServerSentEvent(comment=f"minsheng community feed after {start}", retry=RECONNECT_MS)
    async for message in live(factory, after=start, community_code=community_code,
                              street_code=street_code, poll_seconds=settings.feed_poll_seconds,
                              duration_seconds=settings.feed_stream_seconds):
        yield ServerSentEvent(id=str(message["seq"]), event=message["kind"], data=message)
