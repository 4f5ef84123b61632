"""How the gateway serves the console (gateway/console.py): content types a browser accepts for modules,
revalidation caching, the redirect to /console/, and nothing but the console's own kinds of file."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from gateway.console import mount_console


@pytest.fixture
async def client():
    app = FastAPI()
    mount_console(app)
    mount_console(app)  # idempotent: the second call changes nothing
    assert sum(getattr(r, "name", None) == "console" for r in app.router.routes) == 1
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
        yield c


async def test_the_page_and_its_modules_are_served_with_their_types_and_revalidated(client):
    page = await client.get("/console/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert '<html lang="zh-CN">' in page.text and 'type="module"' in page.text
    assert page.headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"

    module = await client.get("/console/js/main.js")
    assert module.headers["content-type"] == "text/javascript; charset=utf-8"
    assert (await client.get("/console/app.css")).headers["content-type"] == "text/css; charset=utf-8"
    assert (await client.get("/console/favicon.svg")).headers["content-type"] == "image/svg+xml"

    again = await client.get("/console/js/main.js", headers={"If-None-Match": module.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == "no-cache"
    # A 304 updates the cached headers: it carries the console's policy too, or a reload would be blocked.
    assert again.headers["content-security-policy"] == page.headers["content-security-policy"]


async def test_console_without_slash_redirects_to_the_page(client):
    r = await client.get("/console", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"].endswith("/console/")


async def test_only_the_consoles_files_are_served(client):
    assert (await client.get("/console/js/nothing-here.js")).status_code == 404
    assert (await client.get("/console/README.md")).status_code == 404  # there, but not a kind the console serves
    assert (await client.get("/console/../gateway/settings.py")).status_code == 404
    assert (await client.get("/console/%2e%2e/pyproject.toml")).status_code == 404
    assert (await client.post("/console/index.html")).status_code == 405


async def test_street_and_community_names_come_from_the_reference_data(client):
    streets = (await client.get("/console/areas.json")).json()
    ningwei = next(s for s in streets if s["code"] == "330109005")
    assert ningwei["name"] == "宁围街道"
    assert {"code": "330109005001", "name": "振宁社区"} in ningwei["communities"]
