"""Every route answers junk with a 4xx problem (never a 500) and changes nothing."""

import itertools
import re
import uuid

from services.jobs.tests.helpers import ADMIN, T0, at

JUNK_BODIES = [None, {}, {"unexpected": 1}, [], "text", {"seeker_id": "nope", "period": "2026-99", "amount_fen": -5,
                                                          "id_number": "x" * 30, "reason": "", "kind": "?"}]
PATH_VALUES = [str(uuid.uuid4()), "not-a-uuid", "0", "pr_" + "0" * 32]


async def test_no_route_answers_junk_with_a_server_error(make_client):
    async with make_client() as client:
        at(client, T0)
        paths = (await client.get("/openapi.json")).json()["paths"]
        seen = 0
        for path, methods in paths.items():
            params = re.findall(r"{(\w+)}", path)
            for method, value, body in itertools.product(methods, PATH_VALUES, JUNK_BODIES):
                if method not in ("get", "post", "patch", "put"):
                    continue
                url = path
                for name in params:
                    url = url.replace("{" + name + "}", value)
                query = {"limit": "0", "cursor": "@@", "street_code": "x", "year": "1"} if method == "get" else {}
                kwargs = {"params": query, "headers": ADMIN}
                if method != "get":
                    kwargs["json"] = body
                r = await client.request(method.upper(), url, **kwargs)
                seen += 1
                assert r.status_code < 500, (method, url, body, r.text)
                if r.status_code >= 400:
                    assert r.headers["content-type"] == "application/problem+json", (method, url)
        assert seen > 500
        figures = (await client.get("/stats/overview", headers=ADMIN)).json()["figures"]
        assert figures["seekers_registered"] == 0 and figures["relief_enterprise_times"] == 0
