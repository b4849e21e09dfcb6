"""The identity runtime: every component wired on one engine, found from any request.

``build_identity_router`` creates one ``IdentityRuntime``. Tables and seed accounts are
created on first use (or at app start-up through the router's lifespan), never at import.
Dependencies such as ``require_scopes`` find the runtime of the app serving the request:
from ``app.state.shop_identity`` (set at start-up or on first discovery) or by finding the
identity router among the app's routes.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from shop.identity.access_tokens import AccessTokens
from shop.identity.accounts import Accounts
from shop.identity.console_sessions import ConsoleSessions
from shop.identity.keys import KeyRing
from shop.identity.passwords import PasswordHasher
from shop.identity.rate_limits import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from shop.identity.refresh_tokens import RefreshTokens
from shop.identity.settings import IdentitySettings
from shop.identity.tables import identity_metadata
from shop.identity.throttle import LoginThrottle

STATE_ATTRIBUTE = "shop_identity"


def _engine_for(url: str) -> Engine:
    if url.startswith("sqlite") and (":memory:" in url or url.rstrip("/").endswith("sqlite:")):
        return _serialized_memory_engine(url)
    return create_engine(url, pool_pre_ping=True)


class _SerializedStaticPool(StaticPool):
    """One shared in-memory connection, lent to one thread at a time.

    Endpoints run in a thread pool; a plain ``StaticPool`` would let two requests
    interleave their transactions on the single connection. Here a checkout waits until
    the previous borrower has checked the connection back in.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._borrow = threading.Lock()

    def _do_get(self) -> Any:
        self._borrow.acquire()
        try:
            return super()._do_get()
        except BaseException:
            self._borrow.release()
            raise

    def _do_return_conn(self, record: Any) -> None:
        super()._do_return_conn(record)
        self._borrow.release()


def _serialized_memory_engine(url: str) -> Engine:
    return create_engine(
        url, poolclass=_SerializedStaticPool, connect_args={"check_same_thread": False}
    )


class IdentityRuntime:
    """Settings, keys, persistence and limiters of one mounted identity subsystem."""

    def __init__(self, settings: IdentitySettings) -> None:
        self.settings = settings
        self.owns_engine = settings.engine is None
        self.engine = settings.engine or _engine_for(settings.database_url)
        self.sessions: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)
        self.keys = KeyRing.from_pems(settings.signing_keys)
        self.hasher = PasswordHasher(settings.password_cost)
        self.accounts = Accounts(self.sessions, self.hasher, settings.clock)
        self.access_tokens = AccessTokens(settings, self.keys, self.sessions)
        self.refresh_tokens = RefreshTokens(
            self.sessions, settings.clock, settings.refresh_token_ttl
        )
        self.console = ConsoleSessions(
            self.sessions,
            settings.clock,
            settings.console_idle_timeout,
            settings.console_absolute_timeout,
        )
        self.limiter: RateLimiter = (
            RedisRateLimiter(settings.redis_url, settings.clock)
            if settings.redis_url
            else MemoryRateLimiter(settings.clock)
        )
        self.throttle = LoginThrottle(
            self.limiter, settings.login_limit_per_identity, settings.login_limit_per_client
        )
        self._started = False
        self._lock = threading.Lock()

    def ensure_started(self) -> IdentityRuntime:
        """Create the tables (when configured) and the seed accounts, once."""
        if self._started:
            return self
        with self._lock:
            if not self._started:
                if self.settings.create_tables:
                    identity_metadata.create_all(self.engine)
                self.accounts.seed(self.settings)
                self._started = True
        return self

    def close(self) -> None:
        """Release the engine if the runtime created it."""
        if self.owns_engine and not isinstance(self.engine.pool, StaticPool):
            self.engine.dispose()


def attach(app: FastAPI | Any, runtime: IdentityRuntime) -> None:
    """Make ``runtime`` the identity of ``app`` (done automatically; exposed for apps)."""
    setattr(app.state, STATE_ATTRIBUTE, runtime)


def _find_in_routes(routes: list[Any], seen: set[int]) -> IdentityRuntime | None:
    for route in routes:
        runtime = getattr(route, "shop_identity_runtime", None)
        if isinstance(runtime, IdentityRuntime):
            return runtime
        nested = getattr(route, "original_router", None) or getattr(route, "app", None)
        nested_routes = getattr(nested, "routes", None)
        if nested is not None and id(nested) not in seen and isinstance(nested_routes, list):
            seen.add(id(nested))
            runtime = getattr(nested, "shop_identity_runtime", None)
            found = runtime if isinstance(runtime, IdentityRuntime) else None
            found = found or _find_in_routes(nested_routes, seen)
            if found is not None:
                return found
    return None


def runtime_of(request: Request) -> IdentityRuntime:
    """The started identity runtime of the app serving ``request``."""
    app = request.app
    runtime = getattr(app.state, STATE_ATTRIBUTE, None)
    if not isinstance(runtime, IdentityRuntime):
        runtime = _find_in_routes(list(app.router.routes), set())
        if runtime is None:
            raise RuntimeError(
                "shop.identity is not mounted: include build_identity_router(settings) in the app"
            )
        attach(app, runtime)
    return runtime.ensure_started()
