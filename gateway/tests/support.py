"""Test support: real upstreams on free ports (uvicorn in this process), a stub service, tokens, a fake clock."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import uvicorn
from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from gateway.auth.tokens import issue_user_token
from gateway.settings import Settings
from shared.auth import Principal, authenticated, require_roles
from shared.errors import install_problem_handlers
from shared.settings import DEV_JWT_SECRET, PlatformSettings
from shared.testing_servers import free_port


class FakeClock:
    """A monotonic clock the test moves by hand (breakers, budgets): time passes without sleeping."""

    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Server:
    def __init__(self, app, port: int | None = None, *, lifespan: str = "on"):
        self.app = app
        self.lifespan = lifespan
        self.port = port or free_port()
        self.server: uvicorn.Server | None = None
        self.task: asyncio.Task | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> Server:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False,
                                lifespan=self.lifespan, timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        # _serve, not serve: serve() would take over the process's signal handlers.
        self.task = asyncio.create_task(self.server._serve())
        deadline = time.monotonic() + 30
        while not self.server.started:
            if self.task.done():
                self.task.result()
            if time.monotonic() > deadline:
                raise RuntimeError("upstream did not start")
            await asyncio.sleep(0.01)
        return self

    async def stop(self) -> None:
        if self.server is not None and self.task is not None and not self.task.done():
            self.server.should_exit = True
            await self.task
        self.server = self.task = None


@asynccontextmanager
async def serving(*apps) -> AsyncIterator[list[Server]]:
    servers = [Server(app) for app in apps]
    try:
        for server in servers:
            await server.start()
        yield servers
    finally:
        for server in servers:
            await server.stop()


def stub_service(name: str, *, figures: dict | None = None, internal_secret: str | None = None) -> FastAPI:
    """A stand-in service: echoes what reached it (with the identity it verified), and has knobs for faults."""
    app = FastAPI(title=f"stub {name}")
    app.state.settings = PlatformSettings(**({"internal_token_secret": internal_secret} if internal_secret else {}))
    app.state.calls = Counter()
    app.state.fail_next = 0  # answer 503 this many times
    app.state.hang = asyncio.Event()  # set() releases hung requests
    app.state.hang_stats = False  # make /stats/overview hang too
    app.state.received = []
    app.state.streams_ended = 0
    install_problem_handlers(app)

    def record(request: Request) -> None:
        app.state.calls[(request.method, request.url.path)] += 1
        app.state.received.append(request.headers)

    @app.get("/echo/{rest:path}")
    async def echo(rest: str, request: Request, principal: Principal = Depends(authenticated)):
        record(request)
        if app.state.fail_next > 0:
            app.state.fail_next -= 1
            return JSONResponse({"detail": "busy"}, status_code=503)
        return {"service": name, "path": request.url.path, "query": request.url.query,
                "principal": {"subject": principal.subject, "roles": sorted(principal.roles),
                              "scopes": sorted(principal.scopes), "kind": principal.kind,
                              "person_ref": principal.person_ref},
                "headers": {k: v for k, v in request.headers.items()}}

    @app.post("/things", status_code=201)
    async def create_thing(request: Request, principal: Principal = Depends(authenticated)):
        record(request)
        if app.state.fail_next > 0:
            app.state.fail_next -= 1
            return JSONResponse({"detail": "busy"}, status_code=503)
        body = await request.json()
        number = app.state.calls[("POST", "/things")]
        return JSONResponse({"number": number, "body": body, "by": principal.subject}, status_code=201,
                            headers={"location": f"/things/{number}"})

    @app.get("/hang")
    async def hang(request: Request, _: Principal = Depends(authenticated)):
        record(request)
        await app.state.hang.wait()
        return {"late": True}

    @app.get("/stats/overview")
    async def overview(request: Request,
                       _: Principal = Depends(require_roles("auditor", name.replace("-", "_"), "renovation",
                                                            "jobs", "community", "doctor"))):
        record(request)
        if app.state.hang_stats:
            await app.state.hang.wait()
        if app.state.fail_next > 0:
            app.state.fail_next -= 1
            return JSONResponse({"detail": "busy"}, status_code=503)
        return {"area": name, "generated_at": datetime.now(UTC).isoformat(),
                "figures": figures or {"things": 3}, "year": request.query_params.get("year")}

    @app.get("/events")
    async def events(_: Principal = Depends(authenticated)):
        async def stream():
            try:
                yield b"data: one\n\n"
                await app.state.hang.wait()
                yield b"event: update\ndata: two\n\n"
            finally:
                app.state.streams_ended += 1

        return StreamingResponse(stream(), media_type="text/event-stream")

    @app.get("/readyz")
    async def readyz():
        return {"status": "ready"}

    @app.get("/bytes")
    async def raw_bytes(_: Principal = Depends(authenticated)):
        return Response(b"\x00\x01binary", media_type="application/octet-stream",
                        headers={"x-custom": "kept", "connection": "x-secret-hop", "x-secret-hop": "dropped"})

    return app


def bearer(role: str, *, subject: str | None = None, person_ref: str | None = None, street_code: str | None = None,
           settings: Settings | None = None, minutes: int = 30, now: float | None = None) -> dict[str, str]:
    """Authorization for a user of ``role`` signed by the development issuer (as /auth/token would)."""
    s = settings or Settings()
    issued = issue_user_token(subject=subject or f"{role}-user", roles=[role], person_ref=person_ref,
                              street_code=street_code, secret=DEV_JWT_SECRET if settings is None
                              else s.jwt_secret.get_secret_value(), issuer=s.jwt_issuer, audience=s.jwt_audience,
                              minutes=minutes, now=now)
    return {"Authorization": f"Bearer {issued.token}"}
