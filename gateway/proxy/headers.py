"""Which headers cross the gateway: hop-by-hop ones never do, nor identity claims coming from outside."""

from __future__ import annotations

HOP_BY_HOP = frozenset({
    b"connection", b"keep-alive", b"proxy-authenticate", b"proxy-authorization", b"te", b"trailer", b"trailers",
    b"transfer-encoding", b"upgrade",
})
# Never forwarded to a service: the gateway's own view of these replaces what the client sent.
REQUEST_DROP = HOP_BY_HOP | {
    b"host", b"content-length", b"x-minsheng-identity", b"authorization", b"x-api-key", b"cookie",
    b"x-request-id", b"x-forwarded-for", b"forwarded", b"expect",
}
# Never passed back: framing is the gateway's, and so are the request id and server identity.
RESPONSE_DROP = HOP_BY_HOP | {b"content-length", b"date", b"server", b"x-request-id"}

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
]


def connection_listed(headers: list[tuple[bytes, bytes]]) -> frozenset[bytes]:
    """Headers the ``Connection`` header names are hop-by-hop too (RFC 9110 §7.6.1)."""
    named: set[bytes] = set()
    for name, value in headers:
        if name == b"connection":
            named.update(token.strip().lower() for token in value.split(b","))
    return frozenset(named)


def upstream_request_headers(headers: list[tuple[bytes, bytes]], *, identity: bytes, request_id: str,
                             client_ip: str, forwarded_for: bytes | None) -> list[tuple[bytes, bytes]]:
    extra = connection_listed(headers) if any(n == b"connection" for n, _ in headers) else frozenset()
    out = [(n, v) for n, v in headers if n not in REQUEST_DROP and n not in extra]
    out.append((b"x-minsheng-identity", identity))
    out.append((b"x-request-id", request_id.encode()))
    ip = client_ip.encode()
    out.append((b"x-forwarded-for", forwarded_for + b", " + ip if forwarded_for else ip))
    return out


def client_response_headers(raw: tuple[tuple[bytes, bytes], ...], *, request_id: bytes) -> list[tuple[bytes, bytes]]:
    named = connection_listed(list(raw)) if any(n.lower() == b"connection" for n, _ in raw) else frozenset()
    out = []
    for name, value in raw:
        lower = name.lower()
        if lower not in RESPONSE_DROP and lower not in named:
            out.append((lower, value))
    out.append((b"x-request-id", request_id))
    out.extend(SECURITY_HEADERS)
    return out
