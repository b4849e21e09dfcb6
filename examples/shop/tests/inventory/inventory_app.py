"""The test app: the inventory's routers on the platform's problem handlers, with identity."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine, event

from shop.identity import IdentitySettings, SeedApiKey, SeedUser, build_identity_router
from shop.identity.router import identity_runtime
from shop.inventory.entrypoints.service import SERVICE
from shop.platform.database import Base, make_engine, make_session_factory
from shop.platform.defects import Defects
from shop.platform.events import InMemoryBus
from shop.platform.outbox import OutboxRelay
from shop.platform.problems import install_problem_handlers
from shop.platform.services import ServiceContext
from shop.platform.settings import ShopSettings

PASSWORD = "correct horse battery staple"
ORDERS_KEY = "svc_orders_0123456789abcdefghijklmnop"
T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@dataclass
class FakeClock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class StatementCounter:
    """Counts SQL statements sent on an engine while ``active``."""

    count: int = 0
    active: bool = False

    def __call__(self, *_: Any) -> None:
        if self.active:
            self.count += 1

    def measure(self, action: Callable[[], object]) -> int:
        self.count, self.active = 0, True
        try:
            action()
        finally:
            self.active = False
        return self.count


def identity_settings(signing_key_pem: str) -> IdentitySettings:
    return IdentitySettings(
        signing_keys=(signing_key_pem,),
        password_cost=4,
        seed_users=(
            SeedUser("ada@example.com", PASSWORD, ("customer",)),
            SeedUser("grace@example.com", PASSWORD, ("staff",)),
        ),
        seed_api_keys=(SeedApiKey("orders", ORDERS_KEY, ("inventory:read", "inventory:write")),),
    )


@dataclass
class InventoryApp:
    app: FastAPI
    engine: Engine
    context: ServiceContext
    counter: StatementCounter


def make_app(
    identity: IdentitySettings,
    clock: FakeClock,
    defects: Iterable[str] = (),
    url: str = "sqlite://",
) -> InventoryApp:
    engine = make_engine(url)
    counter = StatementCounter()
    event.listen(engine, "before_cursor_execute", counter)
    session_factory = make_session_factory(engine)
    bus = InMemoryBus()
    identity_router = build_identity_router(identity)
    context = ServiceContext(
        settings=ShopSettings(),
        engine=engine,
        session_factory=session_factory,
        bus=bus,
        defects=Defects.enabled(list(defects)),
        relay=OutboxRelay(session_factory, bus),
        identity=identity_runtime(identity_router),
        local_services=frozenset({"inventory"}),
        state={"clock": clock},
    )
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(identity_router)
    for router in SERVICE.build_routers(context):
        app.include_router(router)
    Base.metadata.create_all(engine)
    return InventoryApp(app, engine, context, counter)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
