"""Limits at the edge, through the gateway to the real services on PostgreSQL: every odd input is a 4xx
problem+json naming what was wrong (never a 5xx), and slow clients do not hold the gateway."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlparse

import pytest

from shared.demo_people import GUALI
from shared.identity import make_id_number

GOOD_ID = make_id_number("330109", __import__("datetime").date(1985, 5, 5), 71)


def seeker(**changes) -> dict:
    return {"id_number": GOOD_ID, "name": "限值测试", "street_code": GUALI, **changes}


def problem(answer, status: int, mentions: str | None = None) -> None:
    assert answer.status_code == status, answer.text[:500]
    assert answer.headers["content-type"].startswith("application/problem+json")
    if mentions:
        assert mentions in answer.text, answer.text[:500]


def test_a_body_over_the_limit_is_413(platform):
    answer = platform.api("jobs", "POST", "jobs/seekers", content=b'{"name": "' + b"x" * (11 * 1024 * 1024) + b'"}',
                          headers={"content-type": "application/json"})
    problem(answer, 413)


def test_deeply_nested_json_is_refused(platform):
    deep = "[" * 50_000 + "]" * 50_000
    answer = platform.api("jobs", "POST", "jobs/seekers", content=deep.encode(),
                          headers={"content-type": "application/json"})
    assert 400 <= answer.status_code < 500, answer.text[:300]


@pytest.mark.parametrize("limit", ["201", "0", "-1", "1" + "0" * 40, "abc"])
def test_page_size_is_bounded(platform, limit):
    problem(platform.api("jobs", "GET", "jobs/seekers", params={"limit": limit}), 422, "limit")


@pytest.mark.parametrize(("field", "value"), [
    ("name", "长" * 10_000),             # string length
    ("name", "王\x00五"),                 # NUL: PostgreSQL text cannot hold it
    ("desired_salary_min_fen", 10**30),  # beyond any integer column
    ("desired_salary_min_fen", -1),
    ("id_number", "110101199003077777"),  # a wrong check digit
    ("phone", "1" * 25),
])
def test_odd_values_are_422_naming_the_field(platform, field, value):
    problem(platform.api("jobs", "POST", "jobs/seekers", json=seeker(**{field: value})), 422, field)


@pytest.mark.parametrize("raw", [b'"\\ud800"', b'"a\\u0000b"'])  # a lone surrogate; a NUL, as JSON escapes
def test_escaped_oddities_are_422_naming_the_field(platform, raw):
    body = b'{"id_number": "%s", "name": %s, "street_code": "%s"}' % (GOOD_ID.encode(), raw, GUALI.encode())
    answer = platform.api("jobs", "POST", "jobs/seekers", content=body, headers={"content-type": "application/json"})
    problem(answer, 422, "name")


@pytest.mark.parametrize("query", ["limit=%00", "street_code=33%00"])
def test_a_nul_in_the_query_is_422(platform, query):
    problem(platform.api("jobs", "GET", f"jobs/seekers?{query}"), 422)


def test_nothing_was_created_by_the_refused_requests(platform):
    found = platform.api("jobs", "GET", "jobs/seekers", params={"limit": 200}).json()["items"]
    assert not [s for s in found if s.get("name") in ("限值测试",) or "\x00" in (s.get("name") or "")]


def test_a_wrong_content_type_is_refused(platform):
    answer = platform.api("jobs", "POST", "jobs/seekers", content=b"<seeker/>",
                          headers={"content-type": "application/xml"})
    assert 400 <= answer.status_code < 500


def test_slow_clients_do_not_hold_the_gateway(platform):
    """Slowloris: connections that send half a request and stall; the others are still served at once."""
    address = urlparse(platform.url)
    stalled = []
    try:
        for _ in range(100):
            conn = socket.create_connection((address.hostname, address.port), timeout=5)
            conn.sendall(b"POST /api/v1/jobs/seekers HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{")
            stalled.append(conn)
        started = time.monotonic()
        answer = platform.api("jobs", "GET", "jobs/seekers", params={"limit": 1})
        assert answer.status_code == 200
        assert time.monotonic() - started < 2
    finally:
        for conn in stalled:
            conn.close()


@pytest.mark.parametrize("path", ["jobs/seekers", "jobs/seekers/not-a-uuid", "auth/me"])
def test_answers_carry_the_security_headers_and_no_stack_trace(platform, path):
    answer = platform.api("jobs", "GET", path)
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert "Traceback" not in answer.text and "sqlalchemy" not in answer.text.lower()


def test_a_boolean_is_no_amount_of_money(platform):
    # Found by schemathesis (jobs role): `false` was taken as 0 fen for a vacancy's salary.
    vacancy = platform.api("jobs", "GET", "jobs/vacancies", params={"limit": 1}).json()["items"][0]
    answer = platform.api("jobs", "PATCH", f"jobs/vacancies/{vacancy['id']}", json={"salary_max_fen": False})
    problem(answer, 422, "salary_max_fen")
    after = platform.api("jobs", "GET", f"jobs/vacancies/{vacancy['id']}").json()
    assert after["salary_max_fen"] == vacancy["salary_max_fen"]
