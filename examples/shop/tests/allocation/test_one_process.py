"""Inventory and allocation mounted by the shop's app factory, called as the saga does:
in-process facades and service-key HTTP, over one database and one outbox."""

from __future__ import annotations

from starlette.testclient import TestClient

from shop.allocation.service_layer.facade import AllocationFacade
from shop.bootstrap import create_app
from shop.inventory.service_layer.facade import InventoryFacade
from shop.platform.settings import DEMO_SERVICE_API_KEYS, ShopSettings

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package


def test_facades_and_http_contract_in_the_shop_app() -> None:
    app = create_app(ShopSettings(password_cost=4), services=["inventory", "allocation"])
    key = {"X-API-Key": DEMO_SERVICE_API_KEYS["orders"]}
    shop = ShopFactories(seed=8)
    with TestClient(app, base_url="https://testserver") as client:
        facades = app.state.shop.context.facades
        inventory, allocation = facades["inventory"], facades["allocation"]
        assert isinstance(inventory, InventoryFacade)
        assert isinstance(allocation, AllocationFacade)
        token = client.post(
            "/v1/token",
            data={
                "grant_type": "password",
                "username": "staff@example.com",
                "password": "shop-demo-password",
            },
        ).json()["access_token"]
        staff = {"Authorization": f"Bearer {token}"}
        product = shop.product_v1.data(sku="LAMP-1", price=1299, currency="EUR")
        assert client.post("/v1/products", json=product, headers=staff).status_code == 201
        client.put("/v1/products/LAMP-1/stock/east", json={"on_hand": 3}, headers=staff)
        batch = shop.batch.data(reference="b-1", sku="LAMP-1", quantity=3)
        assert client.post("/v1/batches", json=batch, headers=staff).status_code == 201

        reservation_id = inventory.reserve("o-1", [("LAMP-1", 2)])
        assert allocation.allocate("o-1", "LAMP-1", 2) == "b-1"
        body = shop.reservation.data(order_id="o-2", lines=[{"sku": "LAMP-1", "quantity": 1}])
        over_http = client.post("/v1/reservations", json=body, headers=key)
        assert over_http.status_code == 201
        line = shop.allocation.data(order_id="o-2", sku="LAMP-1", quantity=1)
        assert (
            client.post("/v1/allocations", json=line, headers=key).json()["batch_reference"]
            == "b-1"
        )
        v1 = client.get("/v1/prices/LAMP-1", headers=key)
        assert v1.json() == {"sku": "LAMP-1", "amount": 1299, "currency": "EUR"}

        inventory.release(reservation_id)
        allocation.deallocate("o-1", "LAMP-1")
        assert client.delete("/v1/allocations/o-2/LAMP-1", headers=key).status_code == 204
        batch_now = client.get("/v1/batches/b-1", headers=staff).json()
        assert batch_now["available"] == 3
