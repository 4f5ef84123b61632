"""Event metrics an ops person reads: what was published, consumed, duplicated, dead-lettered, and the
outbox backlog (events committed but not yet with the broker)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class EventMetrics:
    def __init__(self, registry: CollectorRegistry):
        self.published = Counter("events_published_total", "Events published from the outbox", ["type"],
                                 registry=registry)
        self.publish_failures = Counter("events_publish_failures_total", "Relay batches that failed to publish",
                                        registry=registry)
        self.consumed = Counter(
            "events_consumed_total", "Deliveries by outcome (handled, duplicate, retry, dead)",
            ["consumer", "type", "outcome"], registry=registry,
        )
        self.outbox_backlog = Gauge("outbox_backlog", "Outbox rows not yet published", registry=registry)
        self.outbox_oldest_seconds = Gauge(
            "outbox_oldest_unpublished_seconds", "Age of the oldest unpublished outbox row", registry=registry
        )
