"""Text the database cannot store is refused at the edge of every service: PostgreSQL text cannot hold U+0000,
and a lone surrogate (JSON allows the escape "\\ud800") cannot be encoded as UTF-8; either in a JSON body, a query
or a path would otherwise fail deep in the database as a 500. A 422 names the field instead."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, unquote

from shared.errors import problem_response

BODYLESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MESSAGE = "must not contain NUL (U+0000) or unpaired surrogates"


def _unstorable(text: str) -> bool:
    return _UNSTORABLE.search(text) is not None


def _nul_field(value: Any, path: str = "") -> str | None:
    """The dotted path of the first string (or key) holding a NUL, if any."""
    if isinstance(value, str):
        return (path or "body") if _unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if _unstorable(str(key)):
                return here
            if found := _nul_field(item, here):
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := _nul_field(item, f"{path}.{index}" if path else str(index)):
                return found
    return None


def _nul_in_url(scope) -> str | None:
    if "\x00" in unquote(scope.get("raw_path", b"").decode("latin-1")) or "\x00" in scope.get("path", ""):
        return "path"
    for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return name.replace("\x00", "") or "query"
    return None


class NulGuardMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if field := _nul_in_url(scope):
            await self._refuse(scope, receive, send, field)
            return
        if scope["method"] in BODYLESS:
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if b"\\u" in body or b"\x00" in body:  # only escapes (or a raw NUL) can carry such text
            try:
                field = _nul_field(json.loads(body))
            except (ValueError, RecursionError):
                field = None  # not JSON: the route's own parsing answers
            if field:
                await self._refuse(scope, receive, send, field)
                return
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope, receive, send, field: str) -> None:
        message = MESSAGE
        response = problem_response(422, "invalid-input", "Invalid input", f"{field}: {message}",
                                    instance=scope.get("path"), errors=[{"field": field, "message": message}])
        await response(scope, receive, send)
