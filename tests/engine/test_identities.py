"""Which identity sends an operation's cases."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Security
from fastapi.security import APIKeyHeader, HTTPBasic, OAuth2PasswordBearer, SecurityScopes

from assay.client import APITestClient, Identity
from assay.engine import Engine, RunSettings

oauth2 = OAuth2PasswordBearer("/token", scopes={"orders:read": "", "admin": ""}, auto_error=False)
api_key = APIKeyHeader(name="X-API-Key", auto_error=False)
basic = HTTPBasic(auto_error=False)


def scoped(scopes: SecurityScopes, token: Annotated[str | None, Security(oauth2)]) -> None:
    return None


OrdersReader = Annotated[None, Security(scoped, scopes=["orders:read"])]
Admin = Annotated[None, Security(scoped, scopes=["admin"])]
ServiceKey = Annotated[str | None, Security(api_key)]
Basic = Annotated[object, Security(basic)]


def make_app() -> FastAPI:
    app = FastAPI()

    @app.get("/public", operation_id="public")
    def public() -> dict[str, str]:
        return {}

    @app.get("/orders", operation_id="orders")
    def orders(auth: OrdersReader) -> dict[str, str]:
        return {}

    @app.get("/admin", operation_id="admin")
    def admin(auth: Admin) -> dict[str, str]:
        return {}

    @app.get("/internal", operation_id="internal")
    def internal(key: ServiceKey) -> dict[str, str]:
        return {}

    @app.get("/ops", operation_id="ops")
    def ops(credentials: Basic) -> dict[str, str]:
        return {}

    return app


def test_identities_are_matched_by_scheme_and_scope() -> None:
    identities = [
        Identity.bearer("ana", "t", scopes=["orders:read"]),
        Identity.bearer("root", "t", scopes=["orders:read", "admin"]),
        Identity.api_key("service", "k"),
        Identity.basic("ops", "u", "p"),
    ]
    with APITestClient(make_app(), identities=identities, validate=False) as client:
        engine = Engine(client, RunSettings(phases=()), target="app")
        chosen = {op.operation_id: engine.identity_for(op) for op in client.spec.operations}
    assert chosen == {
        "public": None,
        "orders": "ana",
        "admin": "root",
        "internal": "service",
        "ops": "ops",
    }


def test_without_a_fitting_identity_cases_go_without_credentials() -> None:
    with APITestClient(
        make_app(), identities=[Identity.basic("ops", "u", "p")], validate=False
    ) as client:
        engine = Engine(client, RunSettings(phases=()), target="app")
        assert engine.identity_for(client.spec.operation("orders")) is None
        assert engine.identity_for(client.spec.operation("ops")) == "ops"


def test_an_identity_with_custom_auth_is_used_when_nothing_else_fits() -> None:
    import httpx2

    custom = Identity("robot", httpx2.BasicAuth("r", "s"), kind="signed-request")
    with APITestClient(make_app(), identities=[custom], validate=False) as client:
        engine = Engine(client, RunSettings(phases=()), target="app")
        assert engine.identity_for(client.spec.operation("orders")) == "robot"


def test_an_anonymous_case_goes_without_credentials() -> None:
    from assay.generation.cases import ANONYMOUS, Case

    seen: list[str | None] = []
    app = make_app()

    @app.middleware("http")
    async def record(request, call_next):  # type: ignore[no-untyped-def]
        if request.url.path == "/orders":
            seen.append(request.headers.get("authorization"))
        return await call_next(request)

    identities = [Identity.bearer("ana", "t", scopes=["orders:read"])]
    with APITestClient(app, identities=identities, validate=False) as client:
        settings = RunSettings(phases=(), checks=("server_error",))
        engine = Engine(client, settings, target="app")
        operation = client.spec.operation("orders")
        engine.execute(Case(operation))
        engine.execute(Case(operation, identity=ANONYMOUS))
    assert seen == ["Bearer t", None]
