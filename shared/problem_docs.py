"""The error responses an OpenAPI document promises: every one ``application/problem+json`` with the
``ProblemDetails`` schema (the body ``shared.errors.problem_response`` writes), derived in one place instead of
hundreds of ``responses=`` in route decorators.

From the request's shape (any FastAPI document, the gateway's too): 422 for parameters or a body (validation,
domain rules), 404 when the operation names another resource (a path id, an ``*_id`` field), 409 on writes to
an existing resource (an illegal transition). From a service's routes (``install_problem_docs``): 422 always
(the NUL guard reads any query string), 409 on every write (a uniqueness clash too), 404 on the caller's own
``/me`` record, 401/403 where a ``Principal`` is required, and whatever a dependency declares with ``@raises``.
FastAPI's 422 ``HTTPValidationError``, a body we never send, is replaced.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from shared.auth import Principal
from shared.errors import PROBLEM_BASE, PROBLEM_JSON

PROBLEM_SCHEMA = "ProblemDetails"
FIELD_ERROR_SCHEMA = "FieldError"
SHARED_SCHEMAS = frozenset({PROBLEM_SCHEMA, FIELD_ERROR_SCHEMA})
_FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")
_REF = "#/components/schemas/"
WRITES = frozenset({"post", "put", "patch", "delete"})
METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

DESCRIPTIONS = {
    401: "Not signed in, or the credentials were refused",
    403: "Your roles, scopes or street do not allow this",
    404: "A resource the request names does not exist (or is not yours to see)",
    409: "The resource's state does not allow this (an illegal transition or a uniqueness clash)",
    413: "The request body is too large",
    422: "Invalid input; `errors` names each offending field",
    429: "Rate limit reached; see Retry-After",
    503: "Temporarily unavailable; nothing was changed, retry after Retry-After",
}

COMPONENTS = {
    FIELD_ERROR_SCHEMA: {
        "type": "object", "title": FIELD_ERROR_SCHEMA, "required": ["field", "message"],
        "properties": {
            "field": {"type": "string", "description": "The offending field, dotted (e.g. `address.street_code`)"},
            "message": {"type": "string"},
        },
    },
    PROBLEM_SCHEMA: {
        "type": "object", "title": PROBLEM_SCHEMA, "description": "An error, as RFC 9457 problem details.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "description": f"Stable error kind, e.g. `{PROBLEM_BASE}not-found`"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "instance": {"type": "string", "description": "The request path"},
            "request_id": {"type": "string", "description": "Quote it when reporting a problem"},
            "errors": {"type": "array", "items": {"$ref": _REF + FIELD_ERROR_SCHEMA}},
        },
    },
}


def raises(*statuses: int):
    """Declares the error statuses a FastAPI dependency can answer with (read by ``install_problem_docs``)."""

    def mark(call):
        call.problem_statuses = statuses
        return call

    return mark


def problem_content() -> dict:
    return {PROBLEM_JSON: {"schema": {"$ref": _REF + PROBLEM_SCHEMA}}}


def declare(operation: dict, statuses: Iterable[int], descriptions: dict[int, str] | None = None) -> None:
    """Adds each status (keeping a description the operation already gives) and makes every error response
    problem+json."""
    responses = operation.setdefault("responses", {})
    if _is_fastapi_validation(responses.get("422")):
        del responses["422"]
    for status in statuses:
        text = (descriptions or {}).get(status) or DESCRIPTIONS.get(status) or HTTPStatus(status).phrase
        responses.setdefault(str(status), {"description": text})
    for code, response in responses.items():
        if code[0] in "45" and "$ref" not in response:
            response["content"] = problem_content()
    operation["responses"] = dict(sorted(responses.items()))


def shape_errors(path: str, method: str, operation: dict, doc: dict) -> set[int]:
    """What the request's shape says it can be refused with."""
    statuses = {422} if operation.get("parameters") or operation.get("requestBody") else set()
    if _names_a_resource(path, operation, doc):
        statuses.add(404)
    if method in WRITES and "{" in path:  # a transition of an existing resource
        statuses.add(409)
    return statuses


def document_problems(doc: dict, extra: Callable[[str, str, dict], Iterable[int]] = lambda *_: ()) -> dict:
    """Declares every operation's errors (shape, plus ``extra(path, method, operation)``) and adds the
    components; FastAPI's unused validation schemas are dropped."""
    for path, item in doc.get("paths", {}).items():
        for method, operation in item.items():
            if method in METHODS:
                declare(operation, sorted(shape_errors(path, method, operation, doc) | set(extra(path, method,
                                                                                                    operation))))
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENTS)
    drop_unreferenced(doc, lambda name: name.rsplit(".", 1)[-1] in _FASTAPI_VALIDATION)
    return doc


def install_problem_docs(app: FastAPI) -> None:
    """``app.openapi()`` documents each route's errors: its shape's plus its dependencies'."""
    build = app.openapi
    documented: list[dict] = []

    def openapi() -> dict:
        doc = build()  # FastAPI's cached document, rebuilt when routes change
        if not documented or documented[0] is not doc:
            by_operation = {(path, method.lower()): statuses for path, method, statuses in _route_errors(app)}
            document_problems(doc, lambda path, method, _: by_operation.get((path, method), ()))
            documented[:] = [doc]
        return doc

    app.openapi = openapi


def drop_unreferenced(doc: dict, which: Callable[[str], bool]) -> None:
    schemas = doc.get("components", {}).get("schemas", {})
    candidates = [name for name in schemas if which(name)]
    while candidates:  # ValidationError is referenced only by HTTPValidationError: drop in rounds
        used = set(_refs(doc))
        unused = [name for name in candidates if _REF + name not in used]
        if not unused:
            return
        for name in unused:
            del schemas[name]
        candidates = [name for name in candidates if name not in unused]


def _route_errors(app: FastAPI) -> Iterator[tuple[str, str, set[int]]]:
    for route in iter_route_contexts(app.routes):  # routes of included routers as mounted (prefix, dependencies)
        if isinstance(route.original_route, APIRoute) and route.include_in_schema:
            # 422 even without parameters: the NUL guard reads every query string and body
            statuses = {422, *(status for call in _dependency_calls(route.dependant) for status in _raised_by(call))}
            if {"me", "mine"} & set(route.path_format.split("/")):
                statuses.add(404)  # the caller's own record, before they registered
            for method in route.methods:
                # any write may clash with a unique record (a second registration) besides transitions
                yield route.path_format, method, statuses | ({409} if method.lower() in WRITES else set())


def _dependency_calls(dependant) -> Iterator[Callable]:
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _dependency_calls(dependency)


def _raised_by(call: Callable) -> tuple[int, ...]:
    declared = getattr(call, "problem_statuses", None)
    if declared is not None:
        return declared
    try:
        returns = typing.get_type_hints(call).get("return")
    except Exception:  # an annotation we cannot resolve says nothing about errors
        return ()
    return (401, 403) if returns is Principal else ()


def _is_fastapi_validation(response: dict | None) -> bool:
    if not response:
        return False
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").rsplit("/", 1)[-1].rsplit(".", 1)[-1] == "HTTPValidationError"


def _names_a_resource(path: str, operation: dict, doc: dict) -> bool:
    if "{" in path:
        return True
    names = [p.get("name", "") for p in operation.get("parameters", []) if p.get("in") == "query"]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    names += list(_resolve(body, doc).get("properties", {}))
    return any(name.endswith(("_id", "_ids")) for name in names)


def _resolve(schema: dict, doc: dict) -> dict:
    ref = schema.get("$ref", "")
    if ref.startswith(_REF):
        return doc.get("components", {}).get("schemas", {}).get(ref[len(_REF):], {})
    return schema


def _refs(node) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)
