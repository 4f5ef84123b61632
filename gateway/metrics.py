"""Prometheus metrics of the gateway: per-route latency (its own routes and each area's proxied traffic),
upstream outcomes, each replica's breaker state and each area's admission (in flight, queued, shed)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

from shared.observability import Metrics

_STATE_VALUE = {"closed": 0, "half_open": 1, "open": 2}


class GatewayMetrics(Metrics):
    def __init__(self):
        super().__init__("gateway")
        self.upstream_requests = Counter("gateway_upstream_requests_total", "Upstream calls by outcome",
                                         ["area", "outcome"], registry=self.registry)
        self.breaker_state = Gauge("gateway_upstream_breaker_state", "0 closed, 1 half-open, 2 open",
                                   ["area", "replica"], registry=self.registry)
        self.upstream_up = Gauge("gateway_upstream_up", "1 when the replica's last readiness check passed",
                                 ["area", "replica"], registry=self.registry)
        self.rate_limited = Counter("gateway_rate_limited_total", "Requests refused by a rate limit", ["limit"],
                                    registry=self.registry)
        self.shed = Counter("gateway_shed_total", "Proxied requests refused by admission (503)", ["area", "reason"],
                            registry=self.registry)
        self.in_flight = Gauge("gateway_in_flight", "Proxied requests holding an admission slot", ["area"],
                               registry=self.registry)
        self.queued = Gauge("gateway_admission_queued", "Proxied requests waiting for an admission slot", ["area"],
                            registry=self.registry)
        self._children: dict[tuple, object] = {}

    # Label lookups take a lock and build a key: the hot path keeps the children it has used.
    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        pair = self._children.get(key)
        if pair is None:
            pair = (self.requests.labels(method, route, str(status)), self.latency.labels(method, route))
            self._children[key] = pair
        pair[0].inc()
        pair[1].observe(seconds)

    def upstream_outcome(self, area: str, outcome: str) -> None:
        self._count(self.upstream_requests, area, outcome)

    def shed_request(self, area: str, reason: str) -> None:
        self._count(self.shed, area, reason)

    def _count(self, counter: Counter, *labels: str) -> None:
        key = (counter, *labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = counter.labels(*labels)
        child.inc()

    def watch_admission(self, gates) -> None:
        """The gauges read the gates when scraped: nothing on the hot path."""
        for area, gate in gates.items():
            self.in_flight.labels(area).set_function(lambda g=gate: g.in_flight)
            self.queued.labels(area).set_function(lambda g=gate: g.waiting)

    def set_breakers(self, upstreams) -> None:
        for area, upstream in upstreams.items():
            for replica in upstream.replicas:
                self.breaker_state.labels(area, replica.base_url).set(_STATE_VALUE[replica.breaker.state])

    def set_readiness(self, area: str, replica: str, up: bool) -> None:
        self.upstream_up.labels(area, replica).set(1 if up else 0)
