"""``build_identity_router``: the identity subsystem as one router the app includes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from shop.identity.console_routes import add_console_routes
from shop.identity.problems import ProblemRoute
from shop.identity.runtime import IdentityRuntime, attach
from shop.identity.settings import IdentitySettings
from shop.identity.token_routes import add_token_routes


def _lifespan(runtime: IdentityRuntime) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        attach(app, runtime)
        await run_in_threadpool(runtime.ensure_started)
        yield
        runtime.close()

    return lifespan


def build_identity_router(settings: IdentitySettings) -> APIRouter:
    """The identity endpoints (token, revocation, logout, JWKS, staff console).

    Include it without a prefix (``app.include_router(build_identity_router(settings))``):
    the OAuth2 ``tokenUrl`` in the OpenAPI document is ``/v1/token``. Tables and seed
    accounts are created at app start-up, or on the first request that needs them.
    """
    runtime = IdentityRuntime(settings)
    route_class = type("IdentityRoute", (ProblemRoute,), {"shop_identity_runtime": runtime})
    router = APIRouter(route_class=route_class, lifespan=_lifespan(runtime))
    router.shop_identity_runtime = runtime  # type: ignore[attr-defined]
    add_token_routes(router)
    add_console_routes(router)
    return router


def identity_runtime(router: APIRouter) -> IdentityRuntime:
    """The runtime behind a router from ``build_identity_router`` (admin tasks, tests)."""
    runtime = getattr(router, "shop_identity_runtime", None)
    if not isinstance(runtime, IdentityRuntime):
        raise TypeError("not a router built by build_identity_router")
    return runtime
