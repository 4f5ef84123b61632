"""The merged OpenAPI validates and lists every service's paths; /docs works offline; health and metrics."""

import pytest
from openapi_spec_validator import validate

from gateway.tests.support import bearer, serving, stub_service
from services.renovation.app import create_app as renovation_app
from services.renovation.settings import Settings as RenovationSettings
from shared.testing_servers import free_port


@pytest.fixture
async def renovation_url(database_url_for):
    url = await database_url_for("renovation", "sqlite")
    async with serving(renovation_app(RenovationSettings(database_url=url, event_bus="memory"))) as (service,):
        yield service


async def test_merged_openapi_validates_and_lists_every_services_paths(make_gateway, renovation_url):
    renovation_doc = renovation_app().openapi()
    stub = stub_service("jobs")
    async with serving(stub) as (jobs,), make_gateway(routes={"renovation": renovation_url.url,
                                                              "jobs": jobs.url}) as client:
        r = await client.get("/openapi.json")
        assert r.status_code == 200
        doc = r.json()
        validate(doc)
        paths = set(doc["paths"])
        for path in renovation_doc["paths"]:
            assert f"/api/v1/renovation{path}" in paths, path
        for path in stub.openapi()["paths"]:
            assert f"/api/v1/jobs{path}" in paths, path
        for own in ("/api/v1/auth/token", "/api/v1/api-keys", "/api/v1/dashboard/overview", "/healthz", "/readyz"):
            assert own in paths, own
        schemas = doc["components"]["schemas"]
        assert "renovation.EstateCreate" in schemas and "EstateCreate" not in schemas
        create = doc["paths"]["/api/v1/renovation/estates"]["post"]
        assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"] == \
            "#/components/schemas/renovation.EstateCreate"
        assert create["operationId"].startswith("renovation__")
        assert {"bearerAuth", "apiKey", "password"} <= set(doc["components"]["securitySchemes"])
        assert {"bearerAuth": []} in create["security"] and "429" in create["responses"]
        assert "security" not in doc["paths"]["/api/v1/auth/token"]["post"]
        op_ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()
                  if isinstance(op, dict) and "operationId" in op]
        assert len(op_ids) == len(set(op_ids))


async def test_an_unreachable_service_is_left_out_and_named(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(
            routes={"jobs": jobs.url, "community": f"http://127.0.0.1:{free_port()}"}) as client:
        doc = (await client.get("/openapi.json")).json()
        validate(doc)
        assert doc["x-minsheng-unavailable"] == ["community"]
        assert any(p.startswith("/api/v1/jobs/") for p in doc["paths"])


async def test_docs_are_served_from_the_gateway_itself(make_gateway):
    async with make_gateway() as client:
        page = await client.get("/docs")
        assert page.status_code == 200
        assert "/docs/static/swagger-ui-bundle.js" in page.text and "/openapi.json" in page.text
        assert "cdn" not in page.text.lower()
        assert "'unsafe-inline'" in page.headers["content-security-policy"]
        js = await client.get("/docs/static/swagger-ui-bundle.js")
        assert js.status_code == 200 and len(js.content) > 100_000
        assert (await client.get("/docs/static/swagger-ui.css")).status_code == 200
        assert (await client.get("/docs/oauth2-redirect")).status_code == 200


async def test_readiness_aggregates_the_upstreams(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,):
        dead = f"http://127.0.0.1:{free_port()}"
        async with make_gateway(routes={"jobs": jobs.url}) as client:
            assert (await client.get("/healthz")).json() == {"status": "ok", "service": "gateway"}
            r = await client.get("/readyz")
            assert r.status_code == 200 and r.json()["status"] == "ready"
            assert r.json()["areas"]["jobs"]["replicas"][jobs.url] == {"ready": True, "breaker": "closed"}
        async with make_gateway(routes={"jobs": jobs.url, "community": dead}) as client:
            r = await client.get("/readyz")
            assert r.status_code == 503 and r.json()["errors"] == [{"field": "community", "message": "unavailable"}]
        async with make_gateway(routes={"jobs": jobs.url, "community": dead}, ready_requires_upstreams=False) as client:
            r = await client.get("/readyz")
            assert r.status_code == 200 and r.json()["status"] == "degraded"
            assert r.json()["areas"]["community"]["status"] == "unavailable"


async def test_metrics_show_per_route_latency_and_upstream_status(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url}) as client:
        await client.get("/api/v1/jobs/echo/m", headers=bearer("jobs"))
        await client.get("/api/v1/auth/me", headers=bearer("jobs"))
        await client.get("/readyz")
        text = (await client.get("/metrics")).text
        assert 'http_request_duration_seconds_count{method="GET",route="/api/v1/jobs/{path}"} 1.0' in text
        assert 'http_request_duration_seconds_count{method="GET",route="/api/v1/auth/me"} 1.0' in text
        assert 'http_requests_total{method="GET",route="/api/v1/jobs/{path}",status="200"} 1.0' in text
        assert 'gateway_upstream_requests_total{area="jobs",outcome="ok"}' in text
        assert f'gateway_upstream_up{{area="jobs",replica="{jobs.url}"}} 1.0' in text
        assert f'gateway_upstream_breaker_state{{area="jobs",replica="{jobs.url}"}} 0.0' in text


async def test_cors_for_configured_web_origins(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(
            routes={"jobs": jobs.url}, cors_origins="https://screen.xiaoshan.gov.cn") as client:
        pre = await client.options("/api/v1/jobs/echo/c", headers={
            "Origin": "https://screen.xiaoshan.gov.cn", "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization"})
        assert pre.status_code == 200
        assert pre.headers["access-control-allow-origin"] == "https://screen.xiaoshan.gov.cn"
        r = await client.get("/api/v1/jobs/echo/c", headers={**bearer("jobs"),
                                                              "Origin": "https://screen.xiaoshan.gov.cn"})
        assert r.headers["access-control-allow-origin"] == "https://screen.xiaoshan.gov.cn"
        assert "x-request-id" in r.headers["access-control-expose-headers"].lower()
        other = await client.options("/api/v1/jobs/echo/c", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers


def test_the_four_services_documents_merge_into_one_valid_document():
    """Built in-process from each service's app: every path of every service, one valid OpenAPI 3.1."""
    import importlib

    from gateway.app import create_app
    from gateway.openapi.merge import merge
    from gateway.settings import Settings

    docs = {}
    for area, package in (("renovation", "renovation"), ("jobs", "jobs"), ("community", "community"),
                          ("chronic-care", "chronic_care")):
        if importlib.util.find_spec(f"services.{package}.app") is None:
            continue  # a service still being written
        docs[area] = importlib.import_module(f"services.{package}.app").create_app().openapi()
    settings = Settings(database_url="sqlite+aiosqlite:///:memory:")
    doc = merge(create_app(settings).api.openapi(), docs, settings)
    validate(doc)
    for area, service_doc in docs.items():
        for path in service_doc["paths"]:
            assert f"/api/v1/{area}{path}" in doc["paths"], (area, path)
