"""The app factory: one shop process serving all services or any subset of them.

    app = create_app()                                   # everything in one process
    app = create_app(settings, services=["allocation"])  # one service; peers over HTTP

One process: services call each other through in-process facades. Several processes:
``settings.services`` maps each remote service to its base URLs and calls go through
``ServiceClient`` (timeouts, retries, circuit breaker, round-robin). Every process mounts
identity on the shared database with the same signing key. Nothing happens at import:
engines, buses and threads are created by ``create_app`` and started by its lifespan.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Response
from starlette.concurrency import run_in_threadpool

from shop.identity import (
    IdentityRuntime,
    IdentitySettings,
    RateLimitPolicy,
    SeedApiKey,
    SeedClient,
    SeedUser,
    build_identity_router,
    identity_runtime,
)
from shop.identity.scopes import SCOPES
from shop.platform.breaker import CircuitBreaker
from shop.platform.buses import DeferredBus
from shop.platform.clients import RetryPolicy, ServiceClient
from shop.platform.database import make_engine, make_session_factory, ping
from shop.platform.defects import Defects
from shop.platform.health import ReadinessCheck, build_health_router
from shop.platform.http import (
    CORS_ANY_ORIGIN,
    OMIT_SECURITY_HEADERS,
    ErrorBoundaryMiddleware,
    HttpMetrics,
    ObservabilityMiddleware,
    RequestIdMiddleware,
    SecurityHeadersMiddleware,
    install_cors,
)
from shop.platform.openapi import shop_openapi
from shop.platform.outbox import OutboxRelay
from shop.platform.problems import LEAK_ERRORS, install_problem_handlers
from shop.platform.schema import create_schema, upgrade_schema
from shop.platform.services import SERVICE_NAMES, ServiceContext, ServiceModule
from shop.platform.settings import ShopSettings
from shop.platform.versioning import VersioningMiddleware

logger = logging.getLogger("shop.bootstrap")

ALL: tuple[str, ...] = SERVICE_NAMES
VERSION = "2.0.0"
SERVICE_SCOPES = tuple(sorted(scope for scope in SCOPES if scope != "admin"))
DEMO_CLIENT = ("shop-demo-client", "shop-demo-client-secret")
DEMO_USERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ana@example.com", ("customer",)),
    ("ben@example.com", ("customer",)),
    ("staff@example.com", ("staff",)),
    ("admin@example.com", ("admin",)),
)


def load_service(name: str) -> ServiceModule:
    """The ``SERVICE`` of ``shop.<name>.entrypoints.service``."""
    if name not in SERVICE_NAMES:
        raise ValueError(f"unknown service {name!r}; services: {', '.join(SERVICE_NAMES)}")
    module = importlib.import_module(f"shop.{name}.entrypoints.service")
    service = getattr(module, "SERVICE", None)
    if not isinstance(service, ServiceModule):
        raise TypeError(f"shop.{name}.entrypoints.service.SERVICE is not a ServiceModule")
    return service


def parse_services(spec: str) -> tuple[str, ...]:
    """``"all"`` or ``"inventory,orders"`` → service names (validated)."""
    names = tuple(part.strip() for part in spec.split(",") if part.strip())
    if not names or names == ("all",):
        return ALL
    unknown = [name for name in names if name not in SERVICE_NAMES]
    if unknown:
        raise ValueError(
            f"unknown service(s) {', '.join(unknown)}; choose from all, {', '.join(ALL)}"
        )
    return names


def resolve_services(services: Collection[str | ServiceModule] | str) -> list[ServiceModule]:
    """Service modules for names (``"all"`` or a comma list) or ready ``ServiceModule``s."""
    items = parse_services(services) if isinstance(services, str) else services
    return [item if isinstance(item, ServiceModule) else load_service(item) for item in items]


def register_all_defects() -> None:
    """Import every service package so all defect names are known to validation."""
    for name in SERVICE_NAMES:
        try:
            load_service(name)
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith(f"shop.{name}"):
                raise
            logger.debug("service %s is not available: %s", name, exc)


def identity_settings(settings: ShopSettings, context_engine: Any) -> IdentitySettings:
    """Identity on the process's engine, with the demo accounts and service keys."""
    users = tuple(SeedUser(email, settings.demo_password, roles) for email, roles in DEMO_USERS)
    keys = tuple(
        SeedApiKey(service, key, SERVICE_SCOPES)
        for service, key in sorted(settings.service_api_keys.items())
    )
    read_scopes = tuple(scope for scope in SERVICE_SCOPES if scope.endswith(":read"))
    return IdentitySettings(
        issuer=settings.issuer,
        audience=settings.audience,
        signing_keys=settings.signing_keys(),
        engine=context_engine,
        create_tables=False,
        seed_users=users if settings.seed_demo_users else (),
        seed_clients=(SeedClient(*DEMO_CLIENT, read_scopes),) if settings.seed_demo_users else (),
        seed_api_keys=keys,
        password_cost=settings.password_cost,
        login_limit_per_identity=RateLimitPolicy(
            settings.login_limit_per_identity, settings.login_window_seconds
        ),
        login_limit_per_client=RateLimitPolicy(
            settings.login_limit_per_client, settings.login_window_seconds
        ),
        redis_url=settings.redis_url if settings.rate_limits_in_redis else None,
    )


def caller_key(settings: ShopSettings, local: Collection[str]) -> str | None:
    """The API key this process presents to others (orders' when it runs here)."""
    for name in ("orders", *SERVICE_NAMES):
        if name in local and name in settings.service_api_keys:
            return settings.service_api_keys[name]
    return None


def make_clients(settings: ShopSettings, local: Collection[str]) -> dict[str, ServiceClient]:
    """A ``ServiceClient`` for every configured service that is not in this process."""
    key = caller_key(settings, local)
    return {
        name: ServiceClient(
            name,
            urls,
            api_key=key,
            timeout=settings.client_timeout,
            retry=RetryPolicy(attempts=settings.client_retries + 1),
            breaker=CircuitBreaker(settings.breaker_threshold, settings.breaker_cooldown),
        )
        for name, urls in settings.services.items()
        if name not in local and urls
    }


class ShopRuntime:
    """The running parts of one app: the shared context and the mounted services."""

    def __init__(self, context: ServiceContext, modules: list[ServiceModule]) -> None:
        self.context = context
        self.modules = modules
        self.metrics = HttpMetrics()
        self.extra_checks: dict[str, ReadinessCheck] = {}
        self.migrate = False

    def readiness_checks(self) -> dict[str, ReadinessCheck]:
        """Database, bus, every remote service, then any added check."""
        ctx = self.context
        checks: dict[str, ReadinessCheck] = {
            "database": lambda: ping(ctx.engine),
            "bus": ctx.bus.ping,
        }
        for name, client in sorted(ctx.clients.items()):
            checks[f"service:{name}"] = client.healthy
        checks.update(self.extra_checks)
        return checks

    def start(self) -> None:
        ctx = self.context
        if self.migrate:
            upgrade_schema(ctx.engine)
        elif ctx.settings.create_tables:
            create_schema(ctx.engine)
        ctx.identity.ensure_started()
        for module in self.modules:
            if module.on_start is not None:
                module.on_start(ctx)
        ctx.relay.start()
        logger.info("shop started: %s", ", ".join(m.name for m in self.modules) or "no service")

    def stop(self) -> None:
        ctx = self.context
        ctx.relay.stop()
        for module in reversed(self.modules):
            if module.on_stop is not None:
                module.on_stop(ctx)
        close = getattr(ctx.bus, "close", None)
        if callable(close):
            close()
        for client in ctx.clients.values():
            client.close()
        ctx.engine.dispose()


def build_context(
    settings: ShopSettings, modules: list[ServiceModule], identity: IdentityRuntime
) -> ServiceContext:
    local = frozenset(module.name for module in modules)
    session_factory = make_session_factory(identity.engine)
    bus = DeferredBus(settings)
    return ServiceContext(
        settings=settings,
        engine=identity.engine,
        session_factory=session_factory,
        bus=bus,
        defects=Defects.enabled(settings.defects),
        relay=OutboxRelay(session_factory, bus, interval=settings.outbox_interval, services=local),
        identity=identity,
        local_services=local,
        clients=make_clients(settings, local),
    )


def _lifespan(runtime: ShopRuntime) -> Callable[[FastAPI], Any]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(runtime.start)
        try:
            yield
        finally:
            await run_in_threadpool(runtime.stop)

    return lifespan


def _install_edge(app: FastAPI, settings: ShopSettings, runtime: ShopRuntime) -> None:
    defects = runtime.context.defects
    app.add_middleware(VersioningMiddleware)
    app.add_middleware(ErrorBoundaryMiddleware, disclose=defects.on(LEAK_ERRORS))
    install_cors(app, settings.cors_origins, any_origin=defects.on(CORS_ANY_ORIGIN))
    app.add_middleware(SecurityHeadersMiddleware, omit=defects.on(OMIT_SECURITY_HEADERS))
    app.add_middleware(ObservabilityMiddleware, metrics=runtime.metrics)
    app.add_middleware(RequestIdMiddleware)


def _add_operations_routes(app: FastAPI, runtime: ShopRuntime) -> None:
    app.include_router(build_health_router(runtime.readiness_checks))

    @app.get(
        "/metrics",
        tags=["operations"],
        summary="Prometheus metrics",
        operation_id="metrics",
        response_class=Response,
        responses={
            200: {
                "description": "Prometheus text exposition format 0.0.4.",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        },
    )
    def metrics() -> Response:
        """Request counts and latencies by route template (Prometheus text format)."""
        return runtime.metrics.exposition()


def _servers(settings: ShopSettings) -> list[dict[str, str]]:
    if settings.public_url:
        return [{"url": settings.public_url, "description": "This deployment."}]
    return [{"url": "/", "description": "The server that served this document."}]


def _document(app: FastAPI, settings: ShopSettings, modules: list[ServiceModule]) -> None:
    tags = [tag for module in modules for tag in module.tags_metadata]
    servers = _servers(settings)

    def openapi() -> dict[str, Any]:
        return shop_openapi(app, version=VERSION, tags=tags, servers=servers)

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    settings: ShopSettings | None = None,
    services: Collection[str | ServiceModule] | str = ALL,
    *,
    migrate: bool | None = None,
) -> FastAPI:
    """A FastAPI app serving ``services`` (default all) with the shop's platform around them.

    ``migrate`` runs the Alembic migrations at start instead of creating tables (default:
    ``settings.migrate``). ``app.state.shop`` is the ``ShopRuntime`` (context, metrics).
    """
    settings = settings or ShopSettings.from_env()
    register_all_defects()
    modules = resolve_services(services)
    identity_router = build_identity_router(
        identity_settings(settings, make_engine(settings.database_url))
    )
    context = build_context(settings, modules, identity_runtime(identity_router))
    runtime = ShopRuntime(context, modules)
    runtime.migrate = settings.migrate if migrate is None else migrate
    app = FastAPI(title="shop", version=VERSION, lifespan=_lifespan(runtime))
    app.state.shop = runtime
    app.include_router(identity_router)
    for module in modules:
        for router in module.build_routers(context):
            app.include_router(router)
    _add_operations_routes(app, runtime)
    _document(app, settings, modules)
    install_problem_handlers(app)
    _install_edge(app, settings, runtime)
    return app
