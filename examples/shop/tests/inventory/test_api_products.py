"""Product API tests: create, read, v1/v2 representations, ETag/If-Match, pagination."""

from __future__ import annotations

from typing import Any

from .conftest import Api


def test_create_and_get_product_v1_and_v2(api: Api) -> None:
    created = api.create("LAMP-1", attributes={"colour": "red"})
    assert created.headers["Location"] == "/v1/products/LAMP-1"
    api.stock("LAMP-1", "east", 5)
    v1 = api.client.get("/v1/products/LAMP-1", headers=api.customer)
    assert v1.status_code == 200
    assert v1.json()["price"] == 1299
    assert v1.json()["currency"] == "EUR"
    assert v1.json()["stock"] == [
        {"warehouse": "east", "on_hand": 5, "reserved": 0, "available": 5}
    ]
    v2 = api.client.get("/v2/products/LAMP-1", headers=api.customer)
    assert v2.json()["price"] == {"amount": 1299, "currency": "EUR"}
    assert "currency" not in v2.json()
    assert v1.headers["ETag"].startswith('"')


def test_v2_create_takes_a_money_object(api: Api) -> None:
    body = api.shop.product.data(sku="DESK", price={"amount": 50000, "currency": "USD"})
    response = api.client.post("/v2/products", json=body, headers=api.staff)
    assert response.status_code == 201
    assert response.json()["price"] == {"amount": 50000, "currency": "USD"}
    as_v1 = api.client.get("/v1/products/DESK", headers=api.staff).json()
    assert (as_v1["price"], as_v1["currency"]) == (50000, "USD")


def test_unknown_product_404_names_resource_and_id(api: Api) -> None:
    response = api.client.get("/v1/products/NOPE-1", headers=api.staff)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["resource"], body["id"]) == ("product", "NOPE-1")
    assert "NOPE-1" in body["detail"]


def test_duplicate_and_invalid_products(api: Api) -> None:
    api.create("LAMP-1")
    again = api.shop.product_v1.data(sku="LAMP-1", price=1)  # a valid body, then broken
    assert api.client.post("/v1/products", json=again, headers=api.staff).status_code == 409
    for bad in (
        {**again, "sku": "lower"},
        {**again, "price": -1},
        {**again, "price": 12.5},
        {**again, "currency": "euro"},
        {**again, "surprise": True},
    ):
        response = api.client.post("/v1/products", json=bad, headers=api.staff)
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["pointer"].startswith("/body")


def test_scopes_are_enforced(api: Api) -> None:
    body = api.shop.product_v1.data()
    assert api.client.post("/v1/products", json=body).status_code == 401
    assert api.client.post("/v1/products", json=body, headers=api.customer).status_code == 403
    assert api.client.get("/v1/products").status_code == 401


def _update(api: Api, headers: dict[str, str], **body: Any) -> Any:
    return api.client.patch("/v1/products/LAMP-1", json=body, headers=api.staff | headers)


def test_patch_needs_if_match_and_refuses_stale_etags(api: Api) -> None:
    etag = api.create("LAMP-1").headers["ETag"]
    assert _update(api, {}, name="New").status_code == 428
    assert _update(api, {"If-Match": '"stale"'}, name="New").status_code == 412
    changed = _update(api, {"If-Match": etag}, name="New")
    assert changed.status_code == 200
    assert changed.json()["name"] == "New"
    assert changed.headers["ETag"] != etag
    assert _update(api, {"If-Match": etag}, name="Lost update").status_code == 412
    current = api.client.get("/v1/products/LAMP-1", headers=api.staff)
    assert current.json()["name"] == "New"
    assert current.headers["ETag"] == changed.headers["ETag"]


def test_patch_price_alone_keeps_the_currency(api: Api) -> None:
    etag = api.create("LAMP-1", price=1000).headers["ETag"]
    changed = _update(api, {"If-Match": etag}, price=1500)
    assert (changed.json()["price"], changed.json()["currency"]) == (1500, "EUR")
    changed = _update(api, {"If-Match": changed.headers["ETag"]}, currency="GBP")
    assert (changed.json()["price"], changed.json()["currency"]) == (1500, "GBP")


def test_put_replaces_the_product(api: Api) -> None:
    etag = api.create("LAMP-1", attributes={"colour": "red"}).headers["ETag"]
    body = {"name": "Lamp", "price": 999, "currency": "GBP"}
    missing = api.client.put("/v1/products/LAMP-1", json=body, headers=api.staff)
    assert missing.status_code == 428
    headers = api.staff | {"If-Match": etag}
    replaced = api.client.put("/v1/products/LAMP-1", json=body, headers=headers)
    assert replaced.status_code == 200
    assert replaced.json()["attributes"] == {}
    assert (replaced.json()["price"], replaced.json()["currency"]) == (999, "GBP")


def test_v2_put_and_patch_take_money_objects(api: Api) -> None:
    body = api.shop.product.data(
        sku="DESK", name="Desk", price={"amount": 50000, "currency": "USD"}
    )
    created = api.client.post("/v2/products", json=body, headers=api.staff)
    assert created.headers["Location"] == "/v2/products/DESK"
    body = {"name": "Desk", "price": {"amount": 45000, "currency": "GBP"}}
    headers = api.staff | {"If-Match": created.headers["ETag"]}
    replaced = api.client.put("/v2/products/DESK", json=body, headers=headers)
    assert replaced.json()["price"] == {"amount": 45000, "currency": "GBP"}
    headers = api.staff | {"If-Match": replaced.headers["ETag"]}
    renamed = api.client.patch("/v2/products/DESK", json={"name": "Oak desk"}, headers=headers)
    assert (renamed.json()["name"], renamed.json()["price"]["amount"]) == ("Oak desk", 45000)
    headers = api.staff | {"If-Match": renamed.headers["ETag"]}
    repriced = api.client.patch(
        "/v2/products/DESK", json={"price": {"amount": 1, "currency": "EUR"}}, headers=headers
    )
    assert repriced.json()["price"] == {"amount": 1, "currency": "EUR"}
    half = api.client.patch("/v2/products/DESK", json={"price": {"amount": 2}}, headers=api.staff)
    assert half.status_code == 422  # v2 money is always a whole object


def test_stock_change_changes_the_etag(api: Api) -> None:
    etag = api.create("LAMP-1").headers["ETag"]
    api.stock("LAMP-1", "east", 3)
    assert _update(api, {"If-Match": etag}, name="x").status_code == 412


def _all_pages(api: Api, url: str, params: dict[str, Any]) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor = None
    while True:
        query = params | ({"cursor": cursor} if cursor else {})
        body = api.client.get(url, params=query, headers=api.staff).json()
        pages.append([item["sku"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def test_pagination_round_trip_with_sort_and_filters(api: Api) -> None:
    prices = {"A-1": 500, "B-1": 300, "C-1": 300, "D-1": 900, "E-1": 100}
    for sku, price in prices.items():
        api.create(sku, price=price, name=f"Lamp {sku}" if sku != "D-1" else "Desk")
    pages = _all_pages(api, "/v1/products", {"limit": 2, "sort": "-price"})
    assert pages == [["D-1", "A-1"], ["B-1", "C-1"], ["E-1"]]
    lamps = _all_pages(api, "/v2/products", {"limit": 1, "q": "lamp", "max_price": 400})
    assert lamps == [["B-1"], ["C-1"], ["E-1"]]
    by_name = _all_pages(api, "/v1/products", {"limit": 10, "sort": "name"})
    assert by_name == [["D-1", "A-1", "B-1", "C-1", "E-1"]]


def test_bad_sort_and_cursor_are_client_errors(api: Api) -> None:
    api.create("A-1")
    api.create("B-1")
    bad_sort = api.client.get("/v1/products?sort=secret", headers=api.staff)
    assert bad_sort.status_code == 422
    bad_cursor = api.client.get("/v1/products?cursor=abc", headers=api.staff)
    assert bad_cursor.status_code == 400
    cursor = api.client.get("/v1/products?limit=1", headers=api.staff).json()["next_cursor"]
    other = api.client.get(f"/v1/products?cursor={cursor}&sort=name,-price", headers=api.staff)
    assert other.status_code == 400
