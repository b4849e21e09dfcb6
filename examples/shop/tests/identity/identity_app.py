"""The test app: shop.identity mounted next to protected demo operations; shared values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import FastAPI
from starlette.testclient import TestClient

from shop.identity import (
    AUTH_RESPONSES,
    OPTIONAL_AUTH_OPENAPI,
    IdentityProblem,
    IdentitySettings,
    Principal,
    build_identity_router,
    identity_problem_handler,
    optional_principal,
    require_scopes,
    require_service,
)

PASSWORD = "correct horse battery staple"
SERVICE_KEY = "svc_allocation_0123456789abcdefghijklmnop"
CLIENT_SECRET = "reporting-secret-value"


@dataclass
class FakeClock:
    now: float

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_app(settings: IdentitySettings) -> FastAPI:
    app = FastAPI()
    app.include_router(build_identity_router(settings))
    app.add_exception_handler(IdentityProblem, identity_problem_handler)

    def view(principal: Principal | None) -> dict[str, Any]:
        if principal is None:
            return {"anonymous": True}
        return {
            "subject": principal.subject,
            "kind": principal.kind,
            "scopes": sorted(principal.scopes),
            "roles": sorted(principal.roles),
            "client_id": principal.client_id,
        }

    @app.get("/v1/orders", responses=AUTH_RESPONSES)
    def list_orders(p: Annotated[Principal, require_scopes("orders:read")]) -> dict[str, Any]:
        return view(p)

    @app.post("/v1/stock", responses=AUTH_RESPONSES)
    def change_stock(p: Annotated[Principal, require_scopes("inventory:write")]) -> dict[str, Any]:
        return view(p)

    @app.get("/v1/whoami", openapi_extra=OPTIONAL_AUTH_OPENAPI)
    def whoami(p: Annotated[Principal | None, optional_principal()]) -> dict[str, Any]:
        return view(p)

    @app.get("/internal/stock", responses=AUTH_RESPONSES)
    def internal(p: Annotated[Principal, require_service("inventory:read")]) -> dict[str, Any]:
        return view(p)

    @app.post("/internal/stock", responses=AUTH_RESPONSES)
    def internal_write(
        p: Annotated[Principal, require_service("inventory:write")],
    ) -> dict[str, Any]:
        return view(p)

    return app


def password_grant(
    client: TestClient, email: str = "ada@example.com", password: str = PASSWORD, **extra: str
) -> Any:
    return client.post(
        "/v1/token",
        data={"grant_type": "password", "username": email, "password": password, **extra},
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
