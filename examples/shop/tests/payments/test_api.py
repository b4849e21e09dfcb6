"""The payments HTTP API: idempotency, money, access control, problems, versions."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from shop.payments.service_layer.defects import (
    ERROR_DETAILS_EXPOSED,
    FOREIGN_PAYMENT_READABLE,
    REFUND_OVER_CAPTURE,
)

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package
from .api_app import ORDERS_KEY, Caller
from .conftest import Switches

SHOP = ShopFactories(seed=3)
"""Payment and refund bodies: every field a test does not pass is pinned, so two builds
with the same overrides are the same body (what the idempotency tests replay)."""


def create(client: TestClient, staff: Caller, customer: str, key: str = "k1", **body: Any) -> Any:
    overrides: dict[str, Any] = {"amount_minor": 1299, "currency": "EUR", "capture": True} | body
    payload = SHOP.payment.data(customer=customer, **overrides)
    return client.post("/v1/payments", json=payload, headers=staff.post_headers(key))


def test_create_answers_201_with_location_etag_and_flat_money(
    client: TestClient, staff: Caller, ada: Caller
) -> None:
    response = create(client, staff, ada.subject)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"/v1/payments/{body['id']}"
    assert response.headers["ETag"].startswith('"')
    assert (body["amount_minor"], body["currency"], body["status"]) == (1299, "EUR", "captured")


def test_v2_represents_money_as_objects(client: TestClient, staff: Caller, ada: Caller) -> None:
    payload = SHOP.payment_v2.data(customer=ada.subject, amount={"amount": 1299, "currency": "EUR"})
    response = client.post("/v2/payments", json=payload, headers=staff.post_headers("v2"))
    assert response.status_code == 201, response.text
    assert response.json()["amount"] == {"amount": 1299, "currency": "EUR"}
    read = client.get(f"/v2/payments/{response.json()['id']}", headers=ada.headers).json()
    assert read["captured"] == {"amount": 0, "currency": "EUR"}


def test_floats_and_unknown_currencies_are_refused(
    client: TestClient, staff: Caller, ada: Caller
) -> None:
    valid = SHOP.payment.data(customer=ada.subject, amount_minor=1299, capture=True)
    refused: list[dict[str, Any]] = [
        {"amount_minor": 12.99},
        {"amount_minor": 1299.0},
        {"amount_minor": "1299"},
        {"currency": "XXX"},
        {"amount_minor": 0},
    ]
    for broken in refused:  # a valid body, then broken: the builder refuses invalid overrides
        body = valid | broken
        response = client.post("/v1/payments", json=body, headers=staff.post_headers("k1"))
        assert response.status_code == 422
        assert response.headers["Content-Type"] == "application/problem+json"


def test_same_key_same_body_replays_status_and_body(
    client: TestClient, staff: Caller, ada: Caller
) -> None:
    first = create(client, staff, ada.subject)
    second = create(client, staff, ada.subject)
    assert (second.status_code, second.json()) == (first.status_code, first.json())
    page = client.get("/v1/payments", headers=staff.headers).json()
    assert len(page["items"]) == 1


def test_same_key_different_body_is_a_422_pointing_at_the_header(
    client: TestClient, staff: Caller, ada: Caller
) -> None:
    create(client, staff, ada.subject)
    response = create(client, staff, ada.subject, amount_minor=1)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/header/Idempotency-Key"


def test_the_idempotency_key_is_required(client: TestClient, staff: Caller, ada: Caller) -> None:
    body = SHOP.payment.data(customer=ada.subject, amount_minor=1)
    response = client.post("/v1/payments", json=body, headers=staff.headers)
    assert response.status_code == 422


def test_a_decline_is_a_402_problem_and_replays_as_one(
    client: TestClient, staff: Caller, ada: Caller
) -> None:
    first = create(client, staff, ada.subject, payment_method="tok_declined")
    assert first.status_code == 402
    assert first.json()["decline_reason"] == "card_declined"
    again = create(client, staff, ada.subject, payment_method="tok_declined")
    assert (again.status_code, again.json()["payment_id"]) == (402, first.json()["payment_id"])


def test_a_processor_failure_is_a_503_that_discloses_nothing(
    client: TestClient, staff: Caller, ada: Caller
) -> None:
    response = create(client, staff, ada.subject, payment_method="tok_processor_error")
    assert response.status_code == 503
    assert "Retry-After" in response.headers
    assert "internal" not in response.json()["detail"]


def test_defect_error_details_exposed(
    client: TestClient, staff: Caller, ada: Caller, defects: Switches
) -> None:
    defects.names.add(ERROR_DETAILS_EXPOSED)
    response = create(client, staff, ada.subject, payment_method="tok_processor_error")
    assert "processor.internal" in response.json()["detail"]


def refund(client: TestClient, staff: Caller, payment_id: str, amount: int, key: str) -> Any:
    return client.post(
        f"/v1/payments/{payment_id}/refunds",
        json=SHOP.refund.data(amount_minor=amount),
        headers=staff.post_headers(key),
    )


def test_partial_refunds_never_exceed_the_capture(
    client: TestClient, staff: Caller, ada: Caller
) -> None:
    payment_id = create(client, staff, ada.subject).json()["id"]
    assert refund(client, staff, payment_id, 1000, "r1").status_code == 201
    over = refund(client, staff, payment_id, 300, "r2")
    assert over.status_code == 409
    assert over.json()["type"].endswith("/refund-exceeds-captured")
    payment = client.get(f"/v1/payments/{payment_id}", headers=staff.headers).json()
    assert (payment["refunded_minor"], payment["status"]) == (1000, "partially_refunded")


def test_defect_refund_over_capture(
    client: TestClient, staff: Caller, ada: Caller, defects: Switches
) -> None:
    defects.names.add(REFUND_OVER_CAPTURE)
    payment_id = create(client, staff, ada.subject).json()["id"]
    assert refund(client, staff, payment_id, 5000, "r1").status_code == 201


def test_a_stale_if_match_is_a_412(client: TestClient, staff: Caller, ada: Caller) -> None:
    created = create(client, staff, ada.subject)
    payment_id, etag = created.json()["id"], created.headers["ETag"]
    refund(client, staff, payment_id, 1, "r1")
    response = client.post(
        f"/v1/payments/{payment_id}/refunds",
        json=SHOP.refund.data(amount_minor=1),
        headers={**staff.post_headers("r2"), "If-Match": etag},
    )
    assert response.status_code == 412


def test_customers_see_their_own_payments_only(
    client: TestClient, staff: Caller, ada: Caller, bob: Caller
) -> None:
    payment_id = create(client, staff, ada.subject).json()["id"]
    create(client, staff, bob.subject, key="k2")
    assert client.get(f"/v1/payments/{payment_id}", headers=ada.headers).status_code == 200
    foreign = client.get(f"/v1/payments/{payment_id}", headers=bob.headers)
    assert foreign.status_code == 404
    assert foreign.json()["resource"] == "payment"
    assert foreign.json()["id"] == payment_id
    listed = client.get("/v1/payments", params={"customer": ada.subject}, headers=bob.headers)
    assert [p["customer"] for p in listed.json()["items"]] == [bob.subject]


def test_defect_foreign_payment_readable(
    client: TestClient, staff: Caller, ada: Caller, bob: Caller, defects: Switches
) -> None:
    defects.names.add(FOREIGN_PAYMENT_READABLE)
    payment_id = create(client, staff, ada.subject).json()["id"]
    assert client.get(f"/v1/payments/{payment_id}", headers=bob.headers).status_code == 200


def test_customers_cannot_create_or_refund(client: TestClient, ada: Caller) -> None:
    body = SHOP.payment.data(customer=ada.subject, amount_minor=1)
    response = client.post("/v1/payments", json=body, headers=ada.post_headers("k"))
    assert response.status_code == 403


def test_lists_page_with_cursors_and_sort(client: TestClient, staff: Caller, ada: Caller) -> None:
    for index in range(5):
        create(client, staff, ada.subject, key=f"k{index}", amount_minor=100 + index)
    seen: list[int] = []
    params: dict[str, Any] = {"limit": 2, "sort": "amount_minor"}
    while True:
        page = client.get("/v1/payments", params=params, headers=staff.headers).json()
        seen += [item["amount_minor"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == [100, 101, 102, 103, 104]
    bad = client.get("/v1/payments", params={"cursor": "tampered"}, headers=staff.headers)
    assert bad.status_code == 400


def test_services_charge_and_refund_idempotently(client: TestClient, ada: Caller) -> None:
    headers = {"X-API-Key": ORDERS_KEY, "Idempotency-Key": "ord_1:charge"}
    body = {"order_id": "ord_1", "customer": ada.subject, "amount_minor": 500, "currency": "EUR"}
    first = client.post("/internal/payments/charges", json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = client.post("/internal/payments/charges", json=body, headers=headers)
    assert again.json() == first.json()
    payment_id = first.json()["payment_id"]
    headers["Idempotency-Key"] = "ord_1:refund"
    for _ in range(2):
        response = client.post(
            f"/internal/payments/{payment_id}/refunds", json={"amount_minor": 500}, headers=headers
        )
        assert response.status_code == 201
    assert client.post("/internal/payments/charges", json=body).status_code == 401


def test_every_operation_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        if "payments" not in path:
            continue
        for method, operation in item.items():
            assert operation["operationId"], (method, path)
            assert operation["security"], (method, path)
            assert {"401", "403", "422"} <= set(operation["responses"]), (method, path)


def test_a_created_payment_links_to_its_operations(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    links = spec["paths"]["/v2/payments"]["post"]["responses"]["201"]["links"]
    assert links["GetPayment"] == {
        "operationId": "get_payment_v2",
        "parameters": {"payment_id": "$response.body#/id"},
    }
