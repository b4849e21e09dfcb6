"""Configuration of the identity subsystem: one frozen value the app builds and passes in."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine


@dataclass(frozen=True)
class SeedUser:
    """A user created at start-up when no user with that email exists (demos, tests)."""

    email: str
    password: str
    roles: tuple[str, ...] = ("customer",)
    disabled: bool = False


@dataclass(frozen=True)
class SeedClient:
    """An OAuth2 confidential client for the ``client_credentials`` grant."""

    client_id: str
    secret: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class SeedApiKey:
    """A service-to-service API key (at least 24 characters; its first 12 are its prefix)."""

    service: str
    key: str
    scopes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.key) < 24:
            raise ValueError(f"API key of service {self.service!r} is shorter than 24 chars")


@dataclass(frozen=True)
class RateLimitPolicy:
    """At most ``limit`` requests in any sliding window of ``window_seconds``."""

    limit: int
    window_seconds: int


@dataclass(frozen=True)
class IdentitySettings:
    """Everything the identity subsystem needs; the defaults are safe and self-contained.

    Persistence: pass the app's ``engine`` to share its database (tables are named
    ``identity_*``); without one an engine is created from ``database_url`` when the
    router starts. ``signing_keys`` are RSA private keys in PEM; the first signs, all are
    published in the JWKS and accepted (rotation). None given: one is generated at start.
    ``clock`` returns epoch seconds and is injectable for tests.
    """

    issuer: str = "https://shop.example"
    audience: str = "shop-api"
    realm: str = "shop"
    access_token_ttl: int = 900
    refresh_token_ttl: int = 14 * 24 * 3600
    leeway: int = 0
    signing_keys: tuple[str, ...] = ()
    database_url: str = "sqlite+pysqlite:///:memory:"
    engine: Engine | None = None
    create_tables: bool = True
    seed_users: tuple[SeedUser, ...] = ()
    seed_clients: tuple[SeedClient, ...] = ()
    seed_api_keys: tuple[SeedApiKey, ...] = ()
    password_cost: int = 15
    console_idle_timeout: int = 15 * 60
    console_absolute_timeout: int = 8 * 3600
    login_limit_per_identity: RateLimitPolicy = RateLimitPolicy(limit=5, window_seconds=60)
    login_limit_per_client: RateLimitPolicy = RateLimitPolicy(limit=30, window_seconds=60)
    redis_url: str | None = None
    clock: Callable[[], float] = field(default=time.time, compare=False)

    @classmethod
    def from_env(
        cls, environ: dict[str, str] | None = None, **overrides: object
    ) -> IdentitySettings:
        """Settings from ``SHOP_IDENTITY_*`` variables (and ``SHOP_DATABASE_URL``)."""
        env = dict(os.environ if environ is None else environ)
        values: dict[str, object] = {}
        for name, key in (("issuer", "ISSUER"), ("audience", "AUDIENCE"), ("redis_url", "REDIS")):
            if f"SHOP_IDENTITY_{key}" in env:
                values[name] = env[f"SHOP_IDENTITY_{key}"]
        if "SHOP_DATABASE_URL" in env:
            values["database_url"] = env["SHOP_DATABASE_URL"]
        key_file = env.get("SHOP_IDENTITY_SIGNING_KEY_FILE")
        if key_file:
            with open(key_file, encoding="ascii") as pem:
                values["signing_keys"] = (pem.read(),)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
