"""Events the renovation service consumes (none yet): each handler calls a use case."""

from services.renovation.db import InboxMessage
from shared.events.consumer import EventConsumer

consumer = EventConsumer("renovation", InboxMessage)
