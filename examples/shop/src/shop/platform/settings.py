"""``ShopSettings``: the whole configuration of a shop process, from ``SHOP_*`` variables.

Construct it directly in tests (``ShopSettings(database_url="sqlite://")``) or read the
environment with ``ShopSettings.from_env()``. Every field ``x`` reads ``SHOP_X``; lists
take commas or a JSON array, mappings take JSON (``SHOP_SERVICES='{"payments":
["http://127.0.0.1:8003"]}'``) and ``SHOP_SERVICE_API_KEYS`` also ``name=key,name=key``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEMO_SERVICE_API_KEYS: dict[str, str] = {
    name: f"svc_{name}_demo_key_do_not_use_in_production"
    for name in ("inventory", "allocation", "payments", "orders")
}
"""Service keys of the demo set-up; set ``SHOP_SERVICE_API_KEYS`` for anything real."""

DEMO_PASSWORD = "shop-demo-password"


def _split(value: object) -> object:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


class ShopSettings(BaseModel):
    """Configuration of one shop process (all services or a subset)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    database_url: str = Field(
        default="sqlite://", description="SQLAlchemy URL; default: a private scratch SQLite file."
    )
    bus: Literal["memory", "redis", "nats"] = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"
    nats_url: str = "nats://127.0.0.1:4222"
    bus_namespace: str = Field(
        default="shop", description="Prefix of streams, subjects and groups."
    )
    cors_origins: tuple[str, ...] = ()
    defects: tuple[str, ...] = ()
    services: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="Remote services: name → base URLs (multi-process)."
    )
    signing_key_file: str | None = None
    issuer: str = "https://shop.example"
    audience: str = "shop-api"
    service_api_keys: dict[str, str] = Field(default_factory=lambda: dict(DEMO_SERVICE_API_KEYS))
    seed_demo_users: bool = True
    demo_password: str = DEMO_PASSWORD
    password_cost: int = Field(default=15, ge=4, le=20)
    login_limit_per_identity: int = Field(default=5, ge=1)
    login_limit_per_client: int = Field(default=30, ge=1)
    login_window_seconds: int = Field(default=60, ge=1)
    rate_limits_in_redis: bool = False
    create_tables: bool = True
    migrate: bool = False
    outbox_interval: float = Field(default=0.5, gt=0)
    client_timeout: float = Field(default=5.0, gt=0)
    client_retries: int = Field(default=2, ge=0, le=5)
    breaker_threshold: int = Field(default=5, ge=1)
    breaker_cooldown: float = Field(default=30.0, gt=0)
    public_url: str | None = None
    log_json: bool = True
    log_level: str = "INFO"

    @field_validator("cors_origins", "defects", mode="before")
    @classmethod
    def _list(cls, value: object) -> object:
        return _split(value)

    @field_validator("services", mode="before")
    @classmethod
    def _services(cls, value: object) -> object:
        mapping = json.loads(value) if isinstance(value, str) else value
        if isinstance(mapping, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in mapping.items()}
        return mapping

    @field_validator("service_api_keys", mode="before")
    @classmethod
    def _keys(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip().startswith("{"):
            pairs = (item.split("=", 1) for item in value.split(",") if "=" in item)
            return {name.strip(): key.strip() for name, key in pairs}
        return json.loads(value) if isinstance(value, str) else value

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> ShopSettings:
        """Settings from ``SHOP_<FIELD>`` variables, then ``overrides``."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            key = "SHOP_" + name.upper()
            if key in env:
                values[name] = env[key]
        values.update(overrides)
        return cls(**values)

    def signing_keys(self) -> tuple[str, ...]:
        """The PEM signing key from ``signing_key_file`` (none: identity generates one)."""
        if not self.signing_key_file:
            return ()
        with open(self.signing_key_file, encoding="ascii") as pem:
            return (pem.read(),)
