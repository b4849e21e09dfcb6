"""The orders HTTP API: placement outcomes, idempotency, access control, cancel, lists."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from shop.orders.service_layer.defects import FOREIGN_ORDER_READABLE

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package
from .api_app import Caller
from .conftest import Switches
from .fakes import FakeDownstream, out_of_stock, unavailable

SHOP = ShopFactories(seed=4)


def line(sku: str, qty: int) -> Any:
    """One order line's body."""
    return SHOP.order_line.data(sku=sku, qty=qty)


LINES = [line("LAMP", 2), line("SOFA", 1)]
"""The fake downstream's catalogue prices these: LAMP 1299, SOFA 50000."""


def place(
    client: TestClient, who: Caller, key: str = "k1", version: str = "v1", **body: Any
) -> Any:
    """Place an order body from the factory (`trait=` and field overrides pass through)."""
    payload = SHOP.order.data(**({"lines": LINES} | body))
    return client.post(f"/{version}/orders", json=payload, headers=who.post_headers(key))


def test_placing_an_order_answers_201_with_location_etag_and_log(
    client: TestClient, ada: Caller
) -> None:
    response = place(client, ada)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"/v1/orders/{body['id']}"
    assert response.headers["ETag"]
    assert (body["status"], body["customer"], body["total_minor"]) == (
        "confirmed",
        ada.subject,
        2 * 1299 + 50000,
    )
    assert [step["step"] for step in body["steps"]] == [
        "reserve",
        "allocate",
        "allocate",
        "charge",
        "confirm",
    ]


def test_v2_represents_money_as_objects(client: TestClient, ada: Caller) -> None:
    body = place(client, ada, version="v2").json()
    assert body["total"] == {"amount": 52598, "currency": "EUR"}
    assert body["lines"][0]["unit_price"] == {"amount": 1299, "currency": "EUR"}


def test_a_repeated_key_replays_and_a_reused_key_is_refused(
    client: TestClient, ada: Caller, downstream: FakeDownstream
) -> None:
    first = place(client, ada)
    again = place(client, ada)
    assert (again.status_code, again.json()) == (201, first.json())
    assert downstream.calls.count("charge") == 1
    other = place(client, ada, lines=[line("LAMP", 1)])
    assert other.status_code == 422
    assert other.json()["errors"][0]["pointer"] == "/header/Idempotency-Key"


def test_out_of_stock_is_a_409_naming_the_order_and_undoing_everything(
    client: TestClient, ada: Caller, downstream: FakeDownstream
) -> None:
    downstream.fail["allocate:SOFA"] = out_of_stock
    response = place(client, ada)
    assert response.status_code == 409
    problem = response.json()
    assert problem["reason"] == "out_of_stock"
    order = client.get(f"/v1/orders/{problem['order_id']}", headers=ada.headers).json()
    assert order["status"] == "failed"
    assert {step["state"] for step in order["steps"]} == {"compensated", "failed"}
    assert downstream.reserved == {}
    assert place(client, ada).status_code == 409  # replayed, not re-run


def test_a_declined_payment_is_a_402(client: TestClient, ada: Caller) -> None:
    response = place(client, ada, trait="declined")
    assert response.status_code == 402
    assert response.json()["type"].endswith("/order-failed")


def test_an_unavailable_peer_answers_202_pending(
    client: TestClient, ada: Caller, downstream: FakeDownstream
) -> None:
    downstream.fail["charge"] = unavailable
    response = place(client, ada)
    assert response.status_code == 202
    assert response.json()["status"] == "pending"


def test_unknown_products_are_a_422_with_pointers(client: TestClient, ada: Caller) -> None:
    response = place(client, ada, lines=[line("NOPE", 1)])
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/body/lines/0/sku"


def test_customers_see_only_their_own_orders(
    client: TestClient, ada: Caller, bob: Caller, staff: Caller
) -> None:
    order_id = place(client, ada).json()["id"]
    foreign = client.get(f"/v1/orders/{order_id}", headers=bob.headers)
    assert foreign.status_code == 404
    assert (foreign.json()["resource"], foreign.json()["id"]) == ("order", order_id)
    assert client.get(f"/v1/orders/{order_id}", headers=staff.headers).status_code == 200
    cancel = client.post(f"/v1/orders/{order_id}/cancel", headers=bob.headers)
    assert cancel.status_code == 404
    assert client.get("/v1/orders", headers=bob.headers).json()["items"] == []


def test_defect_foreign_order_readable(
    client: TestClient, ada: Caller, bob: Caller, defects: Switches
) -> None:
    defects.names.add(FOREIGN_ORDER_READABLE)
    order_id = place(client, ada).json()["id"]
    assert client.get(f"/v1/orders/{order_id}", headers=bob.headers).status_code == 200


def test_cancel_honours_if_match_and_compensates(
    client: TestClient, ada: Caller, downstream: FakeDownstream
) -> None:
    placed = place(client, ada)
    order_id = placed.json()["id"]
    stale = client.post(
        f"/v1/orders/{order_id}/cancel", headers={**ada.headers, "If-Match": '"999"'}
    )
    assert stale.status_code == 412
    cancelled = client.post(
        f"/v1/orders/{order_id}/cancel",
        headers={**ada.headers, "If-Match": placed.headers["ETag"]},
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert downstream.allocated == {}
    again = client.post(f"/v1/orders/{order_id}/cancel", headers=ada.headers)
    assert again.status_code == 409


def test_lists_page_with_cursors(client: TestClient, ada: Caller) -> None:
    for index in range(5):
        place(client, ada, key=f"k{index}", lines=[line("LAMP", index + 1)])
    totals: list[int] = []
    params: dict[str, Any] = {"limit": 2, "sort": "-total_minor"}
    while True:
        page = client.get("/v1/orders", params=params, headers=ada.headers).json()
        totals += [item["total_minor"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert totals == [1299 * n for n in (5, 4, 3, 2, 1)]


def test_every_operation_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        if "orders" not in path:
            continue
        for method, operation in item.items():
            assert operation["operationId"], (method, path)
            assert operation["security"], (method, path)
            assert {"401", "403", "422"} <= set(operation["responses"]), (method, path)


def test_a_placed_order_links_to_its_operations(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/v1/orders"]["post"]["responses"]
    assert set(responses["201"]["links"]) == {"GetOrder", "CancelOrder"}
    assert responses["202"]["links"]["GetOrder"]["operationId"] == "get_order_v1"
