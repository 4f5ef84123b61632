"""The web console (一屏统览) as static files at ``/console/``: plain ES modules, no build step, no CDN.

Caching: the files keep their names across releases (no content hash in them), so every response is
``Cache-Control: no-cache`` with an ETag: the browser revalidates each file (a 304 costs a few bytes) and never
runs a module of an older release beside a newer one. Content types are fixed here rather than taken from the
machine's mime database, because a module script served as anything but JavaScript is refused by the browser.
Only the file kinds listed are served; anything else in the folder (notes, tests) is a 404.
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.datastructures import URL, Headers
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

from shared.areas import xiaoshan

CONSOLE_DIR = Path(__file__).resolve().parent.parent / "console"
PREFIX = "/console"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}
# The console talks only to this origin (the gateway's API); no inline script, no third-party anything.
SECURITY_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
}


class ConsoleFiles(StaticFiles):
    """StaticFiles with fixed content types, revalidation caching and the console's security headers."""

    def file_response(self, full_path: os.PathLike | str, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        media_type = CONTENT_TYPES.get(Path(full_path).suffix.lower())
        if media_type is None or Path(full_path).name.startswith("."):
            raise HTTPException(status_code=404)
        response = FileResponse(full_path, status_code=status_code, stat_result=stat_result, media_type=media_type)
        response.headers.update(SECURITY_HEADERS)
        if self.is_not_modified(response.headers, Headers(scope=scope)):
            # A 304's headers replace the cached ones: without the console's policy here, the gateway's default
            # (default-src 'none') would be stored and block the page on its next load.
            not_modified = NotModifiedResponse(response.headers)
            not_modified.headers.update(SECURITY_HEADERS)
            return not_modified
        return response


async def _to_console_root(request) -> RedirectResponse:
    # Relative module imports resolve against the page's URL: the page must live at /console/, not /console.
    url = URL(scope=request.scope).replace(path=PREFIX + "/")
    return RedirectResponse(url=str(url), status_code=308)


async def _areas(request) -> JSONResponse:
    # Street and community names for filters and cards, from the reference data every service validates with
    # (no personal data: served without sign-in, cached for an hour).
    tree = xiaoshan()
    body = [{"code": street.code, "name": street.name,
             "communities": [{"code": c.code, "name": c.name} for c in tree.children(street.code)]}
            for street in tree.streets()]
    return JSONResponse(body, headers={**SECURITY_HEADERS, "Cache-Control": "public, max-age=3600"})


def _routed_app(app):
    """The FastAPI app inside the gateway's outer ASGI app (``.api``) and any middleware (``.app``)."""
    for _ in range(10):
        if hasattr(app, "router"):
            return app
        app = getattr(app, "api", None) or getattr(app, "app", None)
        if app is None:
            break
    raise TypeError("mount_console needs the gateway's app")


def mount_console(app) -> None:
    """Serve ``console/`` at ``/console/`` (``/console`` redirects there). Call before any catch-all route."""
    app = _routed_app(app)
    if any(getattr(route, "name", None) == "console" for route in app.router.routes):
        return  # mounted already: calling it twice changes nothing
    # First in the table, so that no catch-all route of the gateway shadows them.
    app.router.routes.insert(0, Mount(PREFIX, app=ConsoleFiles(directory=CONSOLE_DIR, html=True), name="console"))
    app.router.routes.insert(0, Route(f"{PREFIX}/areas.json", _areas, methods=["GET"], include_in_schema=False))
    app.router.routes.insert(0, Route(PREFIX, _to_console_root, methods=["GET", "HEAD"], include_in_schema=False))
