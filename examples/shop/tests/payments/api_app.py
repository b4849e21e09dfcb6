"""A tiny app serving the payments routers with identity and the platform's problems."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jwt
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from shop.identity import IdentitySettings, SeedApiKey, SeedUser, build_identity_router
from shop.identity.keys import SigningKey
from shop.payments.adapters.gateway import SimulatedGateway
from shop.payments.adapters.unit_of_work import SqlPaymentsUnitOfWork
from shop.payments.entrypoints.routes import build_v1_router, build_v2_router
from shop.payments.entrypoints.routes_internal import build_internal_router
from shop.payments.entrypoints.runtime import PaymentsRuntime
from shop.payments.service_layer.environment import DefectSwitch, PaymentsEnvironment
from shop.platform.database import make_session_factory
from shop.platform.problems import install_problem_handlers

PASSWORD = "correct horse battery staple"
ORDERS_KEY = "svc_orders_0123456789abcdefghijklmnop"
USERS = {"ada": ("customer",), "bob": ("customer",), "grace": ("staff",)}


def make_app(engine: Engine, signing_key: SigningKey, defects: DefectSwitch) -> FastAPI:
    identity = IdentitySettings(
        signing_keys=(signing_key.private_pem(),),
        password_cost=4,
        seed_users=tuple(
            SeedUser(f"{name}@example.com", PASSWORD, roles) for name, roles in USERS.items()
        ),
        seed_api_keys=(SeedApiKey("orders", ORDERS_KEY, ("payments:write",)),),
    )
    sessions = make_session_factory(engine)
    runtime = PaymentsRuntime(
        lambda: SqlPaymentsUnitOfWork(sessions),
        PaymentsEnvironment(SimulatedGateway(), defects=defects),
    )
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(build_identity_router(identity))
    for router in (build_v1_router, build_v2_router, build_internal_router):
        app.include_router(router(runtime))
    return app


@dataclass
class Caller:
    """A signed-in user: their subject and the headers that authenticate them."""

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
