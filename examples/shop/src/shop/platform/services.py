"""The contract between a service package and the app factory.

Each service exposes ``shop.<name>.entrypoints.service.SERVICE``, a ``ServiceModule``::

    def build_routers(ctx: ServiceContext) -> list[APIRouter]:
        ctx.facades["inventory"] = InventoryFacade(ctx.uow)      # for in-process callers
        return [v1_router(ctx), v2_router(ctx), internal_router(ctx)]

    def on_start(ctx: ServiceContext) -> None:                    # tables exist now
        ctx.bus.subscribe("allocation.events", IdempotentConsumer(ctx.uow, "inventory", h))

    SERVICE = ServiceModule("inventory", build_routers, TAGS, on_start=on_start)

The factory calls every ``build_routers`` first, then (at start-up) every ``on_start``.
Look facades up when they are needed (``ctx.peer("inventory")``), not in ``build_routers``:
the peer may be built later or run in another process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Engine

from shop.identity import IdentityRuntime
from shop.platform.clients import ServiceClient
from shop.platform.database import SessionFactory
from shop.platform.defects import Defects
from shop.platform.events import MessageBus
from shop.platform.outbox import OutboxRelay
from shop.platform.settings import ShopSettings
from shop.platform.unit_of_work import SqlUnitOfWork

SERVICE_NAMES: tuple[str, ...] = ("inventory", "allocation", "payments", "orders")
"""Every shop service, in the order they are built and started."""


class PeerUnavailable(LookupError):
    """A service is neither mounted in this process nor configured in ``SHOP_SERVICES``."""


@dataclass
class ServiceContext:
    """Everything a service needs, shared by all services of one process."""

    settings: ShopSettings
    engine: Engine
    session_factory: SessionFactory
    bus: MessageBus
    defects: Defects
    relay: OutboxRelay
    identity: IdentityRuntime
    local_services: frozenset[str]
    clients: dict[str, ServiceClient] = field(default_factory=dict)
    facades: dict[str, object] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)

    def uow(self) -> SqlUnitOfWork:
        """A new unit of work whose committed events wake the outbox relay."""
        return SqlUnitOfWork(self.session_factory, on_commit=self.relay.wake)

    def is_local(self, service: str) -> bool:
        """True when ``service`` runs in this process (call its facade, not HTTP)."""
        return service in self.local_services

    def peer(self, service: str) -> object:
        """The in-process facade of ``service``, or else its ``ServiceClient``."""
        if service in self.facades:
            return self.facades[service]
        if service in self.clients:
            return self.clients[service]
        raise PeerUnavailable(
            f"service {service!r} is not in this process and has no URL in SHOP_SERVICES"
        )

    def client(self, service: str) -> ServiceClient:
        """The HTTP client of a remote ``service``."""
        try:
            return self.clients[service]
        except KeyError:
            raise PeerUnavailable(
                f"service {service!r} has no URL in SHOP_SERVICES (configured: "
                f"{', '.join(sorted(self.clients)) or 'none'})"
            ) from None


@dataclass(frozen=True)
class ServiceModule:
    """How the app factory mounts one service."""

    name: str
    build_routers: Callable[[ServiceContext], Sequence[APIRouter]]
    tags_metadata: list[dict[str, Any]] = field(default_factory=list)
    on_start: Callable[[ServiceContext], None] | None = None
    on_stop: Callable[[ServiceContext], None] | None = None
