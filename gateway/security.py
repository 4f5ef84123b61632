"""Security headers on the gateway's own responses (the proxy path adds the same ones itself)."""

from __future__ import annotations

from gateway.openapi.docs import DOCS_CSP
from gateway.proxy.headers import SECURITY_HEADERS

_DOCS_HEADERS = [(n, DOCS_CSP.encode()) if n == b"content-security-policy" else (n, v) for n, v in SECURITY_HEADERS]


class SecurityHeadersMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _DOCS_HEADERS if scope["path"].startswith("/docs") else SECURITY_HEADERS

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers.extend((n, v) for n, v in extra if n not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
