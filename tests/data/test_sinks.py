"""create(): through the API with APITestClient (in process), a callable, a session; cleanup."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Header
from pydantic import BaseModel

from assay import APISink, APITestClient, AssayError, Builder, Builders, Sequence
from assay.data.sinks import RecordedCleanup, as_sink

from .catalog_app import NewProduct, NewTag, StockCount, make_app


@pytest.fixture
def api() -> Iterator[APITestClient]:
    with APITestClient(make_app()) as client:
        yield client


def _products(**options: Any) -> Builder[NewProduct]:
    return Builder.from_model(
        NewProduct, fields={"sku": Sequence(lambda n: f"LAMP-{n}")}, **options
    )


def test_create_posts_to_the_operation_and_registers_the_location(api: APITestClient) -> None:
    cleanup = RecordedCleanup()
    products = _products(sink=APISink(api, "createProduct", cleanup=cleanup))
    created = products.create(price=1299)
    assert created["sku"] == "LAMP-1"
    assert created["price"] == 1299
    assert cleanup.registered == ["/products/LAMP-1"]
    assert [p["sku"] for p in products.create_batch(2)] == ["LAMP-2", "LAMP-3"]


def test_an_operation_named_by_method_and_path_works_too(api: APITestClient) -> None:
    sink = APISink(api, "POST /products")
    assert _products().create(sink=sink)["sku"] == "LAMP-1"


def test_path_parameters_come_from_the_fields_of_the_same_name(api: APITestClient) -> None:
    _products(sink=APISink(api, "createProduct")).create()
    schema = {
        "type": "object",
        "properties": {
            "sku": {"type": "string"},
            "warehouse": {"type": "string", "enum": ["east", "west"]},
            "on_hand": {"type": "integer", "minimum": 0, "maximum": 50},
        },
        "required": ["sku", "warehouse", "on_hand"],
    }
    stock = Builder.from_schema(schema, sink=APISink(api, "setStock"))
    stock.create(sku="LAMP-1", warehouse="east", on_hand=7)
    assert StockCount(**api.get("/products/LAMP-1/stock/east").json()).on_hand == 7


def test_without_a_location_the_item_url_is_registered(api: APITestClient) -> None:
    cleanup = RecordedCleanup()
    tags = Builder.from_model(NewTag, sink=APISink(api, "createTag", cleanup=cleanup))
    tag = tags.create()
    assert cleanup.registered == [f"/tags/{tag['id']}"]


def test_a_refused_create_is_an_error_with_the_status_and_body(api: APITestClient) -> None:
    products = Builder.from_model(NewProduct, sink=APISink(api, "createProduct"))
    products.create(sku="DESK")
    with pytest.raises(AssayError, match=r"POST /products answered 409: .*duplicate sku"):
        products.create(sku="DESK")


def test_an_unknown_operation_is_refused(api: APITestClient) -> None:
    with pytest.raises(AssayError, match="no operation with operationId 'createProducts'"):
        APISink(api, "createProducts")
    with pytest.raises(AssayError, match="no operation 'POST /nowhere'"):
        APISink(api, "POST /nowhere")


def test_create_without_a_sink_says_how_to_give_one() -> None:
    with pytest.raises(AssayError, match="has no sink to create through"):
        _products().create()


def test_a_callable_sink_receives_the_built_object() -> None:
    saved: list[NewProduct] = []

    def save(product: NewProduct) -> str:
        saved.append(product)
        return product.sku

    assert _products(sink=save).create() == "LAMP-1"
    assert isinstance(saved[0], NewProduct)
    with pytest.raises(AssayError, match="cannot persist built objects"):
        as_sink(42)


def test_needs_are_created_first_in_order() -> None:
    log: list[str] = []
    stock = Builder.from_schema(
        {"type": "object", "properties": {"sku": {"type": "string"}}, "required": ["sku"]},
        sink=lambda row: log.append(f"stock {row['sku']}"),
    )
    products = _products(sink=lambda p: log.append(f"product {p.sku}")).needing(
        stock, lambda product: [{"sku": product["sku"]}, {"sku": product["sku"] + "-B"}]
    )
    products.create()
    assert log == ["stock LAMP-1", "stock LAMP-1-B", "product LAMP-1"]


def test_spec_components_create_through_the_post_that_takes_them(api: APITestClient) -> None:
    builders = Builders(5, client=api)
    spec_builders = builders.from_spec()
    assert "NewProduct" in spec_builders
    assert len(spec_builders) == len(list(spec_builders))
    created = spec_builders["NewProduct"].create(sku="CHAIR-9")
    assert created["sku"] == "CHAIR-9"
    assert isinstance(builders.cleanup, RecordedCleanup)
    assert builders.cleanup.registered == ["/products/CHAIR-9"]
    assert spec_builders["NewProduct"] is spec_builders["NewProduct"]
    with pytest.raises(AssayError, match="has no sink"):
        spec_builders["StockCount"].create()
    with pytest.raises(AssayError, match=r"no component schema 'Nope'.*NewProduct"):
        spec_builders["Nope"]


class NewNote(BaseModel):
    text: str


def _keyed_app() -> FastAPI:
    app = FastAPI()
    keys: list[str] = []

    @app.post("/notes", status_code=201, operation_id="createNote")
    def create_note(
        note: NewNote, draft: bool = False, idempotency_key: str = Header(...)
    ) -> dict[str, Any]:
        keys.append(idempotency_key)
        return {"text": note.text, "draft": draft, "key": idempotency_key}

    app.state.keys = keys
    return app


def test_query_and_header_parameters_come_from_fields_and_keys_are_fresh() -> None:
    app = _keyed_app()
    with APITestClient(app) as client:
        sink = APISink(client, "createNote")
        first = sink({"text": "a", "draft": True})
        second = sink({"text": "b"})
        given = sink({"text": "c", "idempotency-key": "mine"})
    assert (first["draft"], second["draft"]) == (True, False)
    assert len(set(app.state.keys)) == 3
    assert given["key"] == "mine"
