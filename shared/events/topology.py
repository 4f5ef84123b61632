"""Who consumes what: consumer service -> routing keys (``<type>.v<major>``).

Every app declares the whole topology at start-up, so a consumer's queue exists (and keeps messages) even
when its producer starts first. Adding a consumer of an event means adding its routing key here and a
handler in the consumer's ``messaging/handlers.py``.
"""

from __future__ import annotations

SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "renovation": (),
    "jobs": (),
    "community": (
        "renovation.space.commissioned.v1",
        "chronic_care.reading.flagged.v1",
    ),
    "chronic_care": (
        "community.alert.raised.v1",
        "community.visit.completed.v1",
    ),
}
