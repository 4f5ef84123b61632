"""One OpenAPI document for the whole surface: the gateway's own operations plus every service's, with paths
prefixed ``/api/v1/<area>``, components renamed ``<area>.<Name>`` (two services may both have a ``Page``),
operation ids and tags made unique per area, the gateway's security schemes on every operation, and every
error an operation can get (the gateway's and the service's) as problem+json (``shared.problem_docs``)."""

from __future__ import annotations

import copy

from gateway.settings import Settings
from shared.problem_docs import METHODS, SHARED_SCHEMAS, WRITES, declare, document_problems

_REF = "#/components/"
PUBLIC_PATHS = frozenset({"/api/v1/auth/token", "/healthz", "/readyz", "/metrics", "/openapi.json"})
# What the gateway itself answers before (or instead of) a service; every one problem+json.
GATEWAY_RESPONSES = {
    401: "Not signed in, or the token or API key was refused",
    403: "Your roles or scopes do not allow this",
    429: "Rate limit reached; see Retry-After",
}
PROXY_RESPONSES = {
    **GATEWAY_RESPONSES,
    409: "A request with this Idempotency-Key is still in progress, or the resource's state does not allow this",
    413: "The request body is too large",
    422: "Invalid input (an Idempotency-Key of the wrong length or reused for another request included); "
         "`errors` names each offending field",
    503: "The area's service is unavailable; other areas keep serving. See Retry-After",
}


def security_schemes(settings: Settings) -> dict:
    schemes: dict[str, dict] = {
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                   "description": "Third-party integrations: a key created by an administrator, with scopes."},
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
    }
    if settings.local_issuer_enabled:
        schemes["password"] = {"type": "oauth2", "description": "Development sign-in (demo users)",
                               "flows": {"password": {"tokenUrl": "/api/v1/auth/token", "scopes": {}}}}
    if settings.oidc_issuer:
        schemes["oidc"] = {"type": "openIdConnect",
                           "openIdConnectUrl": settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration"}
    return schemes


def _rename_refs(node, area: str):
    """Every ``$ref`` into components points at the area's renamed component."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_REF):
                kind, _, name = value[len(_REF):].partition("/")
                shared = kind == "schemas" and name in SHARED_SCHEMAS  # one ProblemDetails for every area
                out[key] = value if shared else f"{_REF}{kind}/{area}.{name}"
            else:
                out[key] = _rename_refs(value, area)
        return out
    if isinstance(node, list):
        return [_rename_refs(v, area) for v in node]
    return node


def _as_openapi_31(node):
    """FastAPI describes event streams with OpenAPI 3.2's ``itemSchema``; the merged document is 3.1, so the
    item schema moves to an extension and the stream is a string (what 3.1 can say of it)."""
    if isinstance(node, dict):
        if "itemSchema" in node and "schema" not in node:
            node = {**{k: v for k, v in node.items() if k != "itemSchema"}, "x-item-schema": node["itemSchema"],
                    "schema": {"type": "string", "description": "a stream of events (text/event-stream)"}}
        return {k: _as_openapi_31(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_openapi_31(v) for v in node]
    return node


def _secure(operation: dict, requirement: list[dict], responses: dict[int, str]) -> None:
    operation.setdefault("security", requirement)
    declare(operation, responses, responses)


def _proxied(method: str) -> dict[int, str]:
    """A proxied request reads a body (413) on writes; only a POST carries an Idempotency-Key (409, 422)."""
    drop = set() if method == "post" else {409, 422}
    if method not in WRITES:
        drop.add(413)
    return {code: text for code, text in PROXY_RESPONSES.items() if code not in drop}


def merge(gateway_doc: dict, services: dict[str, dict | None], settings: Settings) -> dict:
    doc = copy.deepcopy(gateway_doc)
    doc["info"] = {
        "title": "Minsheng 民生 API",
        "version": gateway_doc.get("info", {}).get("version", "1.0.0"),
        "description": "One REST surface for the four areas of Xiaoshan district's livelihood platform. "
                       "Sign in at /api/v1/auth/token (or use an API key); every area lives under /api/v1/<area>.",
    }
    schemes = security_schemes(settings)
    requirement = [{name: []} for name in schemes]
    components = doc.setdefault("components", {})
    components["securitySchemes"] = schemes
    tags = list(doc.get("tags", []))
    for path, item in doc.get("paths", {}).items():
        for method, operation in item.items():
            if method in METHODS and path.startswith("/api/v1/"):
                if path in PUBLIC_PATHS:
                    declare(operation, [429])  # sign-in attempts are limited too
                else:
                    _secure(operation, requirement, GATEWAY_RESPONSES)
    unavailable = []
    for area, service_doc in services.items():
        if service_doc is None:
            unavailable.append(area)
            continue
        renamed = _as_openapi_31(_rename_refs(service_doc, area))
        for kind, items in renamed.get("components", {}).items():
            if kind == "securitySchemes":
                continue  # services trust the gateway's identity header, not these
            target = components.setdefault(kind, {})
            for name, value in items.items():
                if not (kind == "schemas" and name in SHARED_SCHEMAS):
                    target[f"{area}.{name}"] = value
        for path, item in renamed.get("paths", {}).items():
            new_item = {}
            for method, operation in item.items():
                if method in METHODS:
                    operation = dict(operation)
                    if "operationId" in operation:
                        operation["operationId"] = f"{area}__{operation['operationId']}"
                    operation["tags"] = [f"{area} · {t}" for t in operation.get("tags", [])] or [area]
                    _secure(operation, requirement, _proxied(method))
                new_item[method] = operation
            doc.setdefault("paths", {})[f"/api/v1/{area}{path if path != '/' else ''}"] = new_item
        for tag in renamed.get("tags", []):
            tags.append({**tag, "name": f"{area} · {tag['name']}"})
    if tags:
        doc["tags"] = tags
    if unavailable:
        doc["x-minsheng-unavailable"] = unavailable
    return document_problems(doc)  # the gateway's own operations; any service document that did not say
