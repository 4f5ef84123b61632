"""Events the community service consumes: each handler calls a use case (the consumer's inbox makes a
redelivered event a no-op; the use cases are idempotent by their source id as well)."""

from services.community.db import InboxMessage
from services.community.stations import service as stations
from services.community.visits import service as visits
from shared.events.consumer import EventConsumer
from shared.events.contracts.chronic_care import ReadingFlaggedV1
from shared.events.contracts.renovation import SpaceCommissionedV1

consumer = EventConsumer("community", InboxMessage)


@consumer.on(SpaceCommissionedV1)
async def on_space_commissioned(session, event: SpaceCommissionedV1, envelope) -> None:
    """A space renovation put into service becomes a station of the 15-minute circle."""
    await stations.open_from_space(session, space_id=event.space_id, name=event.name,
                                   service_type=event.service_type, street_code=event.street_code,
                                   community_code=event.community_code, address=event.address,
                                   latitude=event.latitude, longitude=event.longitude, area_m2=event.area_m2)


@consumer.on(ReadingFlaggedV1)
async def on_reading_flagged(session, event: ReadingFlaggedV1, envelope) -> None:
    """An abnormal reading in chronic care: a home visit for that person (no health details travel)."""
    await visits.request_visit(session, person_ref=event.person_ref, reason="reading_flagged",
                               priority=event.severity, source=envelope.type, by="event:chronic_care",
                               now=event.flagged_at, source_event_id=envelope.id, street_code=event.street_code,
                               community_code=event.community_code)
