"""/healthz is dependency-free; /readyz reports database, bus and downstream services."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.testclient import TestClient

from shop.bootstrap import create_app
from shop.platform.database import make_engine, ping
from shop.platform.events import InMemoryBus
from shop.platform.settings import ShopSettings

from .fake_service import SERVICE
from .live_server import free_port, live_server


def test_liveness_and_readiness_when_all_is_up(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "bus": "ok"}}


def test_readyz_is_503_naming_the_database_when_it_is_down(
    app: FastAPI, client: TestClient
) -> None:
    unreachable = make_engine(f"postgresql://postgres@127.0.0.1:{free_port()}/shop")
    try:
        app.state.shop.extra_checks["database"] = lambda: ping(unreachable)
        response = client.get("/readyz")
    finally:
        unreachable.dispose()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    body = response.json()
    assert body["failed"] == ["database"]
    assert body["checks"] == {"database": "failed", "bus": "ok"}
    assert "postgres" not in response.text
    assert client.get("/healthz").status_code == 200  # liveness does not depend on it


def test_readyz_reports_a_bus_outage(app: FastAPI, client: TestClient) -> None:
    bus = InMemoryBus()
    bus.available = False
    app.state.shop.extra_checks["bus"] = bus.ping
    assert client.get("/readyz").json()["failed"] == ["bus"]


def test_readyz_checks_downstream_services_through_their_clients() -> None:
    down = f"http://127.0.0.1:{free_port()}"
    with live_server(FastAPI()) as up_url:
        # a bare app has no /healthz: 404 counts as not healthy
        settings = ShopSettings(
            password_cost=4, services={"payments": (down,), "allocation": (up_url,)}
        )
        with TestClient(create_app(settings, services=[SERVICE])) as client:
            body = client.get("/readyz").json()
    assert body["status"] == 503
    assert body["failed"] == ["service:allocation", "service:payments"]


def test_readyz_is_ready_when_the_downstream_service_is_up() -> None:
    healthy = FastAPI()

    @healthy.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    with live_server(healthy) as url:
        settings = ShopSettings(password_cost=4, services={"payments": (url,)})
        with TestClient(create_app(settings, services=[SERVICE])) as client:
            response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["service:payments"] == "ok"


def test_readyz_reports_an_unreachable_broker_and_events_wait_in_the_outbox() -> None:
    settings = ShopSettings(
        password_cost=4, bus="redis", redis_url=f"redis://127.0.0.1:{free_port()}/0"
    )
    app = create_app(settings, services=[SERVICE])
    with TestClient(app) as client:
        assert client.post("/v1/widgets", json={"name": "queued"}).status_code == 201
        ready = client.get("/readyz")
        relay = app.state.shop.context.relay
        assert relay.relay_pending() == 0
        assert relay.pending_count() == 1
    assert ready.status_code == 503
    assert ready.json()["failed"] == ["bus"]
