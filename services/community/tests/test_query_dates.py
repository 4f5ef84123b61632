"""Dates in query strings: ISO 8601 only. A number (read by pydantic as a Unix time) is a 422 naming it; a
date-time without an offset is local time (it was a 500)."""

import pytest

from services.community.tests.helpers import STAFF


@pytest.mark.parametrize(("path", "param", "good"), [
    ("/courses", "starts_from", "2026-11-29T08:00:00+08:00"),
    ("/childcare/slots", "starts_from", "2026-11-29"),
    ("/courses", "starts_before", "2026-11-29T08:00"),
    ("/meal-orders", "meal_date", "2026-11-29"),
    ("/alerts", "received_from", "2026-11-29T00:00:00Z"),
])
async def test_a_number_is_not_a_date(make_client, path, param, good):
    async with make_client() as client:
        assert (await client.get(path, params={param: good}, headers=STAFF)).status_code == 200
        for junk in ("0", "0.5", "1732838400", "29/11/2026"):
            r = await client.get(path, params={param: junk}, headers=STAFF)
            assert r.status_code == 422, (path, junk, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
            assert param in r.text
