"""``/openapi.json`` (merged) and ``/docs`` (Swagger UI served from the gateway itself: no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.staticfiles import StaticFiles

ASSETS = Path(__file__).resolve().parent.parent / "static" / "swagger-ui"
STATIC_PREFIX = "/docs/static"
# Swagger UI's page has an inline bootstrap script and inline styles; everything else is from this origin.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'")

router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
async def openapi(request: Request) -> Response:
    body = await request.app.state.gateway.openapi.document()
    return Response(body, media_type="application/json")


@router.get("/docs")
async def docs() -> Response:
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title="Minsheng 民生 API", oauth2_redirect_url="/docs/oauth2-redirect",
        swagger_js_url=f"{STATIC_PREFIX}/swagger-ui-bundle.js", swagger_css_url=f"{STATIC_PREFIX}/swagger-ui.css",
        swagger_favicon_url=f"{STATIC_PREFIX}/favicon-32x32.png",
        swagger_ui_parameters={"persistAuthorization": True, "docExpansion": "none", "filter": True},
    )


@router.get("/docs/oauth2-redirect")
async def oauth2_redirect() -> Response:
    return get_swagger_ui_oauth2_redirect_html()


def static_files() -> StaticFiles:
    return StaticFiles(directory=ASSETS)
