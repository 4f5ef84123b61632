"""The gateway's pure rules: breaker states, the retry budget, who may write where, header filtering."""

from hypothesis import given
from hypothesis import strategies as st

from gateway.auth.policy import refusal
from gateway.keys.rules import hash_key, new_key, parse_key
from gateway.proxy.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from gateway.proxy.headers import client_response_headers, upstream_request_headers
from gateway.proxy.retry import RetryBudget, may_repeat
from gateway.settings import Settings
from gateway.tests.support import FakeClock
from shared.auth import Principal


def test_breaker_lets_one_probe_through_when_half_open():
    clock = FakeClock()
    breaker = CircuitBreaker(threshold=2, open_seconds=5, clock=clock)
    breaker.record_failure()
    assert breaker.state == CLOSED and breaker.allow()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state == CLOSED  # a success in between resets the count
    breaker.record_failure()
    assert breaker.state == OPEN and not breaker.allow() and breaker.seconds_until_retry == 5
    clock.advance(5)
    assert breaker.allow() and breaker.state == HALF_OPEN
    assert not breaker.allow()  # only one probe at a time
    breaker.release()
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state == CLOSED and breaker.allow() and breaker.allow()


@given(st.lists(st.booleans(), max_size=50))
def test_breaker_is_open_exactly_after_threshold_consecutive_failures(outcomes):
    breaker = CircuitBreaker(threshold=3, open_seconds=1e9, clock=lambda: 0.0)
    run = 0
    for ok in outcomes:
        if breaker.state == OPEN:
            break
        if ok:
            breaker.record_success()
            run = 0
        else:
            breaker.record_failure()
            run += 1
        assert (breaker.state == OPEN) == (run >= 3)


def test_retry_budget_earns_retries_from_traffic_and_time():
    clock = FakeClock()
    budget = RetryBudget(ratio=0.5, floor_per_second=1.0, clock=clock)
    assert budget.try_withdraw()  # the floor's initial balance of one second
    assert not budget.try_withdraw()
    budget.deposit()
    budget.deposit()
    assert budget.try_withdraw() and not budget.try_withdraw()
    clock.advance(2)
    assert budget.try_withdraw() and budget.try_withdraw() and not budget.try_withdraw()


def test_what_may_be_sent_twice():
    assert may_repeat("GET", has_idempotency_key=False)
    assert may_repeat("PUT", has_idempotency_key=False)
    assert not may_repeat("POST", has_idempotency_key=False)
    assert not may_repeat("PATCH", has_idempotency_key=True)
    assert may_repeat("POST", has_idempotency_key=True)


def user(*roles):
    return Principal("u", frozenset(roles))


def test_who_writes_where():
    assert refusal(user("doctor"), "chronic-care", "POST") is None
    assert refusal(user("doctor"), "jobs", "POST") is not None
    assert refusal(user("doctor"), "jobs", "GET") is None  # the service decides what it shows
    assert refusal(user("jobs-approver"), "jobs", "POST") is None
    assert refusal(user("auditor"), "renovation", "DELETE") == "auditors read and write nothing"
    assert refusal(user("admin"), "jobs", "POST") is None
    assert refusal(user("resident"), "renovation", "PUT") is None
    assert refusal(user(), "renovation", "POST") == "your account has no role"
    key = Principal("k", frozenset({"integration"}), frozenset({"community:alerts:vendor:anju"}), kind="api_key")
    assert refusal(key, "community", "POST") is None
    assert refusal(key, "chronic-care", "GET") is not None
    care = Principal("k", frozenset({"integration"}), frozenset({"chronic_care:readings"}), kind="api_key")
    assert refusal(care, "chronic-care", "POST") is None


def test_keys_parse_and_hash():
    raw, prefix = new_key()
    assert parse_key(raw) == prefix and len(hash_key(raw)) == 64
    assert parse_key(raw + "!") is None and parse_key("msk_x_y") is None


def test_headers_crossing_the_gateway():
    out = dict(upstream_request_headers(
        [(b"host", b"gw"), (b"connection", b"close, x-hop"), (b"x-hop", b"1"), (b"x-minsheng-identity", b"forged"),
         (b"accept", b"application/json"), (b"x-forwarded-for", b"198.51.100.1")],
        identity=b"tok", request_id="r1", client_ip="10.1.1.1", forwarded_for=b"198.51.100.1"))
    assert out == {b"accept": b"application/json", b"x-minsheng-identity": b"tok", b"x-request-id": b"r1",
                   b"x-forwarded-for": b"198.51.100.1, 10.1.1.1"}
    back = dict(client_response_headers(((b"Content-Type", b"text/plain"), (b"Transfer-Encoding", b"chunked"),
                                          (b"Server", b"uvicorn"), (b"X-Request-ID", b"other")), request_id=b"r1"))
    assert back[b"content-type"] == b"text/plain" and back[b"x-request-id"] == b"r1"
    assert b"transfer-encoding" not in back and b"server" not in back


def test_route_table_is_configuration():
    settings = Settings(upstream_jobs="http://a:1, http://b:2/", upstream_community="",
                        routes='{"housing-fund": "http://c:3"}')
    table = settings.route_table()
    assert table["jobs"] == ("http://a:1", "http://b:2")
    assert "community" not in table and table["housing-fund"] == ("http://c:3",)
    import pytest

    with pytest.raises(ValueError, match="http"):
        Settings(upstream_jobs="ftp://x")
