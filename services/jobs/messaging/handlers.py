"""Events the jobs service consumes: none so far. Jobs is a producer: placement, benefit stop and the
zero-employment household's clearance all happen inside this service, in the same transaction, and leave as
events (``jobs.seeker.placed``, ``jobs.household.cleared``...) for the other areas."""

from services.jobs.db import InboxMessage
from shared.events.consumer import EventConsumer

consumer = EventConsumer("jobs", InboxMessage)
