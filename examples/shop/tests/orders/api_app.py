"""A tiny app serving the orders routers (SQL persistence, fake peers) with identity."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jwt
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from shop.identity import IdentitySettings, SeedUser, build_identity_router
from shop.identity.keys import SigningKey
from shop.orders.adapters.unit_of_work import SqlOrdersUnitOfWork
from shop.orders.entrypoints.routes import build_v1_router, build_v2_router
from shop.orders.service_layer.environment import OrdersEnvironment
from shop.orders.service_layer.handlers import Orders
from shop.orders.service_layer.ports import Downstream
from shop.orders.service_layer.saga import OrderSaga
from shop.platform.database import make_session_factory
from shop.platform.problems import install_problem_handlers

from .fakes import FakeDownstream

PASSWORD = "correct horse battery staple"
USERS = {"ada": ("customer",), "bob": ("customer",), "grace": ("staff",)}


def wire_orders(engine: Engine, downstream: FakeDownstream, env: OrdersEnvironment) -> Orders:
    sessions = make_session_factory(engine)

    def uow() -> SqlOrdersUnitOfWork:
        return SqlOrdersUnitOfWork(sessions)

    ports = Downstream(downstream, downstream, downstream)
    return Orders(uow, OrderSaga(uow, ports, env), downstream, env)


def make_app(orders: Orders, signing_key: SigningKey) -> FastAPI:
    identity = IdentitySettings(
        signing_keys=(signing_key.private_pem(),),
        password_cost=4,
        seed_users=tuple(
            SeedUser(f"{name}@example.com", PASSWORD, roles) for name, roles in USERS.items()
        ),
    )
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(build_identity_router(identity))
    app.include_router(build_v1_router(orders))
    app.include_router(build_v2_router(orders))
    return app


@dataclass
class Caller:
    subject: str
    headers: dict[str, str]

    def post_headers(self, key: str) -> dict[str, str]:
        return {**self.headers, "Idempotency-Key": key}


def sign_in(client: TestClient, name: str) -> Caller:
    response = client.post(
        "/v1/token",
        data={"grant_type": "password", "username": f"{name}@example.com", "password": PASSWORD},
    )
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return Caller(str(claims["sub"]), {"Authorization": f"Bearer {token}"})


def open_client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        yield client
