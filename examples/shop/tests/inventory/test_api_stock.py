"""Stock API tests: bulk import (JSON, CSV, limits), export by Accept, query counts."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package
from .conftest import Api
from .inventory_app import InventoryApp

JSON = "application/json"


def _csv(rows: list[tuple[str, str, object]]) -> str:
    lines = ["sku,warehouse,quantity"] + [f"{s},{w},{q}" for s, w, q in rows]
    return "\r\n".join(lines) + "\r\n"


def _import(api: Api, content: str | bytes, media: str) -> Any:
    headers = api.staff | {"Content-Type": media}
    return api.client.post("/v1/stock/imports", content=content, headers=headers)


def test_json_and_csv_imports_set_counts(api: Api) -> None:
    api.create("LAMP-1")
    api.create("DESK-1")
    body = api.shop.stock.data(rows=[{"sku": "LAMP-1", "warehouse": "east", "quantity": 4}])
    response = api.client.post("/v1/stock/imports", json=body, headers=api.staff)
    assert response.status_code == 200
    assert response.json() == {"imported": 1}
    csv_response = _import(api, _csv([("DESK-1", "west", 2), ("LAMP-1", "east", 9)]), "text/csv")
    assert csv_response.json() == {"imported": 2}
    lamp = api.client.get("/v1/products/LAMP-1", headers=api.staff).json()
    assert lamp["stock"][0]["on_hand"] == 9


def test_ten_thousand_rows_are_accepted(api: Api) -> None:
    api.create("BULK-1")
    rows = [{"sku": "BULK-1", "warehouse": f"w{i}", "quantity": i} for i in range(10_000)]
    response = api.client.post("/v1/stock/imports", json={"rows": rows}, headers=api.staff)
    assert response.status_code == 200
    assert response.json() == {"imported": 10_000}
    export = api.client.get("/v1/stock", headers=api.staff | {"Accept": "application/json"})
    assert len(export.json()["items"]) == 10_000


def test_more_than_ten_thousand_rows_is_413(api: Api) -> None:
    api.create("BULK-1")
    rows = [{"sku": "BULK-1", "warehouse": f"w{i}", "quantity": 1} for i in range(10_001)]
    response = api.client.post("/v1/stock/imports", json={"rows": rows}, headers=api.staff)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    csv_rows = [("BULK-1", f"w{i}", 1) for i in range(10_001)]
    assert _import(api, _csv(csv_rows), "text/csv").status_code == 413
    huge = b'{"rows": [' + b" " * (5 * 1024 * 1024) + b"]}"
    assert _import(api, huge, "application/json").status_code == 413


def test_import_errors_are_problems_and_import_nothing(api: Api) -> None:
    api.create("LAMP-1")
    cases = [
        (_csv([("LAMP-1", "east", 1), ("GHOST", "east", 1)]), "text/csv", 422),
        (_csv([("LAMP-1", "east", "many")]), "text/csv", 422),
        (_csv([("LAMP-1", "east", -1)]), "text/csv", 422),
        (_csv([("LAMP-1", "east", 10**9 + 1)]), "text/csv", 422),
        (_csv([("LAMP-1", "east", 10**30)]), "text/csv", 422),
        ("sku;warehouse\n", "text/csv", 422),
        (
            '{"rows": [{"sku": "LAMP-1", "warehouse": "east", "quantity": -1}]}',
            "application/json",
            422,
        ),
        ("{not json", JSON, 400),
        ("rows", "text/plain", 415),
        (b"\xff\xfe", "text/csv", 400),
    ]
    for content, media, expected in cases:
        response = _import(api, content, media)
        assert response.status_code == expected, (content, response.text)
    lamp = api.client.get("/v1/products/LAMP-1", headers=api.staff).json()
    assert lamp["stock"] == []


def test_export_negotiates_json_and_csv(api: Api) -> None:
    api.create("LAMP-1")
    api.stock("LAMP-1", "east", 3)
    api.stock("LAMP-1", "west", 1)
    as_json = api.client.get("/v1/stock", headers=api.staff)
    assert as_json.headers["content-type"] == "application/json"
    assert [i["warehouse"] for i in as_json.json()["items"]] == ["east", "west"]
    as_csv = api.client.get("/v2/stock?warehouse=west", headers=api.staff | {"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(as_csv.text))) == [
        ["sku", "warehouse", "on_hand", "reserved", "available"],
        ["LAMP-1", "west", "1", "0", "1"],
    ]
    preferred = api.client.get(
        "/v1/stock", headers=api.staff | {"Accept": "application/json;q=0.5, text/*"}
    )
    assert preferred.headers["content-type"].startswith("text/csv")


def test_export_refuses_unsupported_media_with_406(api: Api) -> None:
    for accept in ("application/xml", "text/csv;q=0, application/json;q=0"):
        response = api.client.get("/v1/stock", headers=api.staff | {"Accept": accept})
        assert response.status_code == 406
        assert json.loads(response.text)["status"] == 406


def test_product_list_query_count_is_constant(api: Api, inventory: InventoryApp) -> None:
    shop = ShopFactories(seed=5, post=api.post)
    for n, product in enumerate(shop.product_v1.create_batch(30)):
        api.stock(product["sku"], "east", n)
        api.stock(product["sku"], "west", n)

    def count(limit: int) -> int:
        def list_page() -> None:
            response = api.client.get(f"/v1/products?limit={limit}", headers=api.staff)
            assert len(response.json()["items"]) == limit

        return inventory.counter.measure(list_page)

    assert count(1) == count(5) == count(30)
