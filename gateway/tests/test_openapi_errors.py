"""The merged OpenAPI tells the truth about errors: each operation lists the errors it can get, as
application/problem+json with one ProblemDetails schema, and the errors the platform really sends match it."""

import importlib

import pytest
from jsonschema import Draft202012Validator

from gateway.app import create_app
from gateway.openapi.merge import merge
from gateway.settings import Settings
from gateway.tests.support import bearer, serving
from services.renovation.app import create_app as renovation_app
from services.renovation.settings import Settings as RenovationSettings
from shared.errors import PROBLEM_JSON

PROBLEM_REF = "#/components/schemas/ProblemDetails"
SERVICES = (("renovation", "renovation"), ("jobs", "jobs"), ("community", "community"),
            ("chronic-care", "chronic_care"))
STAFF = bearer("renovation")
ESTATE = {"name": "振宁花苑", "community_code": "330109005001", "built_year": 1996, "floor_area_m2": 52000.0,
          "households": 620, "buildings": 12}


@pytest.fixture(scope="module")
def merged() -> dict:
    docs = {area: importlib.import_module(f"services.{package}.app").create_app().openapi()
            for area, package in SERVICES}
    settings = Settings(database_url="sqlite+aiosqlite:///:memory:")
    return merge(create_app(settings).api.openapi(), docs, settings)


def operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def is_proxied(path: str) -> bool:
    return any(path.startswith(f"/api/v1/{area}/") for area, _ in SERVICES)


def test_every_error_response_is_problem_json_with_one_schema(merged):
    schemas = merged["components"]["schemas"]
    assert not [name for name in schemas if "ValidationError" in name or name.endswith(".ProblemDetails")]
    problem = schemas["ProblemDetails"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert {"instance", "request_id", "errors"} <= set(problem["properties"])
    assert schemas["FieldError"]["required"] == ["field", "message"]
    for path, method, operation in operations(merged):
        for code, response in operation["responses"].items():
            if code[0] in "45":
                assert response["content"] == {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}}, (path, method, code)
                assert response["description"] not in ("", "Validation Error"), (path, method, code)


def test_each_operation_lists_the_errors_it_can_get(merged):
    proxied = [(path, method, set(op["responses"])) for path, method, op in operations(merged) if is_proxied(path)]
    assert len(proxied) > 200
    for path, method, codes in proxied:
        assert {"422", "429", "503"} <= codes, (path, method)
        if not path.endswith(("/healthz", "/readyz")):
            assert {"401", "403"} <= codes, (path, method)  # the gateway's, and the service's own check
        if "{" in path:
            assert "404" in codes, (path, method)
        if method in ("post", "put", "patch", "delete"):
            assert {"409", "413"} <= codes, (path, method)
    responses = {(p, m): set(op["responses"]) for p, m, op in operations(merged)}
    assert "404" in responses["/api/v1/jobs/seekers/me", "get"]  # not registered yet
    assert "404" in responses["/api/v1/chronic-care/readings", "post"]  # names a patient that may not exist
    assert responses["/healthz", "get"] == {"200"}
    assert responses["/readyz", "get"] == {"200", "503"}
    assert responses["/api/v1/api-keys/{key_id}/revoke", "post"] >= {"401", "403", "404", "409", "422", "429"}
    assert responses["/api/v1/auth/token", "post"] >= {"401", "422", "429"}


def test_a_service_documents_its_own_errors_too():
    doc = renovation_app().openapi()
    create = doc["paths"]["/estates/{estate_id}/households"]["post"]["responses"]
    assert set(create) == {"201", "401", "403", "404", "409", "422", "503"}
    assert set(doc["paths"]["/readyz"]["get"]["responses"]) == {"200", "422", "503"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]


async def test_the_errors_sent_are_the_ones_documented(database_url_for, event_prefix, make_gateway):
    url = await database_url_for("renovation", "postgresql")
    app = renovation_app(RenovationSettings(database_url=url, event_prefix=event_prefix, event_bus="rabbitmq"))
    async with serving(app) as (service,), make_gateway(routes={"renovation": service.url}) as client:
        doc = (await client.get("/openapi.json")).json()
        problem = Draft202012Validator({**doc["components"]["schemas"]["ProblemDetails"],
                                        "components": doc["components"]})
        estate = (await client.post("/api/v1/renovation/estates", json=ESTATE, headers=STAFF)).json()
        households = f"/api/v1/renovation/estates/{estate['id']}/households"
        assert (await client.post(households, json={"label": "1-101"}, headers=STAFF)).status_code == 201
        nowhere = households.replace(estate["id"], "00000000-0000-0000-0000-000000000000")
        as_json = {**STAFF, "Content-Type": "application/json"}
        sent = {  # status -> what a client sent to POST /estates/{estate_id}/households
            401: await client.post(households, json={"label": "1-102"}),
            403: await client.post(households, json={"label": "1-102"}, headers=bearer("resident")),
            404: await client.post(nowhere, json={"label": "1-102"}, headers=STAFF),
            409: await client.post(households, json={"label": "1-101"}, headers=STAFF),
            413: await client.post(households, content=b"x" * (10 * 1024 * 1024 + 1), headers=as_json),
            422: await client.post(households, content=b'{"label": "\xc3"}', headers=as_json),  # not UTF-8
        }
        documented = doc["paths"]["/api/v1/renovation/estates/{estate_id}/households"]["post"]["responses"]
        for status, response in sent.items():
            assert response.status_code == status, (status, response.text)
            assert str(status) in documented
            assert response.headers["content-type"] == PROBLEM_JSON
            assert not list(problem.iter_errors(response.json())), response.json()
        assert sent[422].json()["errors"] == [{"field": "body", "message": "There was an error parsing the body"}]
