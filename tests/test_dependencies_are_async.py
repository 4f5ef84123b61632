"""Every route's dependencies are coroutines: FastAPI runs a plain ``def`` dependency in a thread pool, and the
hop cost an authenticated request ~0.3 ms of CPU for a token check that takes 0.04 ms (docs/benchmarks.md)."""

import importlib
import inspect

import pytest
from fastapi.routing import APIRoute

APPS = ["services.renovation.app", "services.jobs.app", "services.community.app", "services.chronic_care.app",
        "gateway.app"]


def _is_async(call) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)


def blocking_dependencies(dependant, where: str):
    for dependency in dependant.dependencies:
        if dependency.call is not None and not _is_async(dependency.call):
            yield f"{where}: {getattr(dependency.call, '__qualname__', dependency.call)}"
        yield from blocking_dependencies(dependency, where)


def offences_in(routes, prefix: str = ""):
    """Walk the routes as FastAPI keeps them: an included router (with its own dependencies) holds its routes."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield from blocking_dependencies(route.dependant, f"{sorted(route.methods)} {prefix}{route.path}")
        elif hasattr(route, "original_router"):
            context = route.include_context
            for depends in context.dependencies:
                if depends.dependency is not None and not _is_async(depends.dependency):
                    yield f"router {prefix}{context.prefix}: {depends.dependency.__qualname__}"
            yield from offences_in(route.original_router.routes, prefix + context.prefix)


def count_routes(routes) -> int:
    return sum(1 if isinstance(r, APIRoute) else count_routes(r.original_router.routes)
               if hasattr(r, "original_router") else 0 for r in routes)


@pytest.mark.parametrize("module", APPS)
def test_no_route_depends_on_a_function_that_runs_in_the_thread_pool(module):
    app = importlib.import_module(module).create_app()
    api = getattr(app, "api", app)  # the gateway wraps its FastAPI app
    assert count_routes(api.routes) > 5
    assert list(offences_in(api.routes)) == []
