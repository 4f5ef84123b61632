"""Events the chronic-care service consumes: each handler calls a use case (the consumer's inbox makes a
redelivered event a no-op; the use cases are idempotent by their source id as well)."""

from services.chronic_care.db import InboxMessage
from services.chronic_care.patients import service as patients
from shared.events.consumer import EventConsumer
from shared.events.contracts.community import AlertRaisedV1, VisitCompletedV1

consumer = EventConsumer("chronic_care", InboxMessage)


@consumer.on(AlertRaisedV1)
async def on_alert_raised(session, event: AlertRaisedV1, envelope) -> None:
    # Only the emergency button speaks of the person's health; smoke, gas and door alerts are not ours.
    if event.device_type == "emergency_button":
        await patients.emergency_alert(session, alert_id=event.alert_id, person_refs=event.person_refs,
                                       raised_at=event.raised_at)


@consumer.on(VisitCompletedV1)
async def on_visit_completed(session, event: VisitCompletedV1, envelope) -> None:
    await patients.community_visit(session, visit_id=event.visit_id, person_ref=event.person_ref,
                                   outcome=event.outcome, source_event_id=event.source_event_id,
                                   completed_at=event.completed_at)
