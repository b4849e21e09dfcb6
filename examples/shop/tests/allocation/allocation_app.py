"""The test app: allocation's routers on the platform's problem handlers, with identity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine, event

from shop.allocation.entrypoints.service import SERVICE
from shop.identity import IdentitySettings, SeedApiKey, SeedUser, build_identity_router
from shop.identity.router import identity_runtime
from shop.platform.database import Base, make_engine, make_session_factory
from shop.platform.defects import Defects
from shop.platform.events import InMemoryBus
from shop.platform.outbox import OutboxRelay
from shop.platform.problems import install_problem_handlers
from shop.platform.services import ServiceContext
from shop.platform.settings import ShopSettings

PASSWORD = "correct horse battery staple"
ORDERS_KEY = "svc_orders_0123456789abcdefghijklmnop"


@dataclass
class StatementCounter:
    count: int = 0
    active: bool = False

    def __call__(self, *_: Any) -> None:
        if self.active:
            self.count += 1


@dataclass
class AllocationApp:
    app: FastAPI
    engine: Engine
    context: ServiceContext
    counter: StatementCounter


def identity_settings(signing_key_pem: str) -> IdentitySettings:
    return IdentitySettings(
        signing_keys=(signing_key_pem,),
        password_cost=4,
        seed_users=(
            SeedUser("ada@example.com", PASSWORD, ("customer",)),
            SeedUser("grace@example.com", PASSWORD, ("staff",)),
        ),
        seed_api_keys=(SeedApiKey("orders", ORDERS_KEY, ("allocation:read", "allocation:write")),),
    )


def make_app(
    identity: IdentitySettings, defects: Iterable[str] = (), url: str = "sqlite://"
) -> AllocationApp:
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
        local_services=frozenset({"allocation"}),
    )
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(identity_router)
    for router in SERVICE.build_routers(context):
        app.include_router(router)
    Base.metadata.create_all(engine)
    return AllocationApp(app, engine, context, counter)
