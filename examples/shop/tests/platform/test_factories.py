"""The shop's test data factories: valid bodies for every domain, traits, what orders need."""

from __future__ import annotations

from typing import Any

from shop.allocation.entrypoints.schemas import NewBatch
from shop.inventory.entrypoints.schemas import NewProductV2, StockImport
from shop.orders.entrypoints.schemas import PlaceOrderIn
from shop.payments.entrypoints.schemas import PaymentCreateV1

from ..factories import ShopFactories  # noqa: TID252 - the tests are no installed package

NAMES = (
    "product",
    "product_v1",
    "stock",
    "reservation",
    "batch",
    "allocation",
    "payment",
    "payment_v2",
    "refund",
    "order",
)


def test_every_factory_builds_valid_bodies_over_many_seeds() -> None:
    for seed in range(15):
        shop = ShopFactories(seed)
        for name in NAMES:
            builder = getattr(shop, name)
            type(builder.build()).model_validate(builder.data())


def test_the_same_seed_gives_the_same_bodies() -> None:
    assert ShopFactories(4).order.data() == ShopFactories(4).order.data()
    assert ShopFactories(4).product.data() != ShopFactories(5).product.data()


def test_traits_set_the_states_tests_ask_for() -> None:
    shop = ShopFactories(1)
    assert isinstance(shop.payment.build(), PaymentCreateV1)
    assert shop.payment.build(trait="declined").payment_method == "tok_declined"
    captured = shop.payment.build(trait=("captured", "for_order"))
    assert captured.capture is True
    assert captured.order_id == f"order-for-{captured.customer}"
    assert shop.batch.build(trait="shipping").eta is not None
    assert shop.product.build(trait="in_dollars").price.currency == "USD"
    assert len(shop.order.build(trait="two_lines").lines) == 2


def test_an_order_creates_the_product_stock_and_batch_of_each_line_first() -> None:
    sent: list[tuple[str, dict[str, Any]]] = []
    shop = ShopFactories(2, post=lambda url, body: sent.append((url, body)) or body)
    order = shop.order.create(trait="two_lines")
    skus = [line["sku"] for line in order["lines"]]
    assert [url for url, _ in sent] == [
        "/v2/products",
        "/v2/products",
        "/v1/stock/imports",
        "/v1/batches",
        "/v1/batches",
        "/v2/orders",
    ]
    assert [NewProductV2.model_validate(body).sku for _, body in sent[:2]] == skus
    rows = StockImport.model_validate(sent[2][1]).rows
    assert [(row.sku, row.quantity) for row in rows] == [
        (line["sku"], line["qty"] * 2) for line in order["lines"]
    ]
    assert [NewBatch.model_validate(body).sku for _, body in sent[3:5]] == skus
    assert PlaceOrderIn.model_validate(sent[5][1]).payment_method == "tok_visa"
