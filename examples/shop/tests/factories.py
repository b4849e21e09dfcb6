"""Test data for every shop domain, written with assay's public builder API.

The worked example to copy: one builder per request body the shop takes, built from
the service's own pydantic models (so every value is valid and realistic: SKUs, prices
in minor units, currencies, warehouses, references), with the few fields a test cares
about pinned (``Sequence`` for unique keys, known-good payment tokens), traits for the
states tests ask for (``payment(trait="declined")``), and an order that creates the
product, stock and batch each of its lines needs before it is placed::

    shop = ShopFactories(seed=1, post=poster)    # poster(url, body) -> created JSON
    order = shop.order.create(trait="two_lines")   # products, stock, batches, then the order

``build()`` never needs a service: unit tests use the same factories for bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assay import Builder, Builders, Lazy, Many, Sequence
from shop.allocation.entrypoints.schemas import AllocationRequest, NewBatch
from shop.inventory.entrypoints.schemas import (
    LineIn,
    NewProductV1,
    NewProductV2,
    ReservationRequest,
    StockImport,
    StockRow,
)
from shop.orders.entrypoints.schemas import OrderLineIn, PlaceOrderIn
from shop.payments.entrypoints.schemas import PaymentCreateV1, PaymentCreateV2, RefundCreateV1

Post = Callable[[str, dict[str, Any]], Any]
"""Sends a JSON body to a URL of the shop as whoever may create it; returns the resource."""

WAREHOUSES = ("east", "west")


class ShopFactories:
    """The shop's builders, seeded from one seed; with `post`, ``create()`` goes through it.

    Attributes: `product` (v2 body) and `product_v1`, `stock` (an import of stock rows),
    `reservation` (inventory's, for a service), `batch`, `allocation`, `payment` (v1,
    flat money) and `payment_v2` (a money object), `refund`, `order_line` and `order`.
    """

    def __init__(self, seed: int = 0, post: Post | None = None) -> None:
        self.builders = Builders(seed)
        self._post = post
        add = self.builders.register
        self.product = add("product", _products(NewProductV2).with_sink(self._to("/v2/products")))
        v1 = _products(NewProductV1, money="flat").with_sink(self._to("/v1/products"))
        self.product_v1 = add("product_v1", v1)
        self.stock = add("stock", _stock().with_sink(self._to("/v1/stock/imports")))
        self.reservation = add("reservation", _reservations())
        self.batch = add("batch", _batches().with_sink(self._to("/v1/batches")))
        self.allocation = add("allocation", _allocations())
        self.payment = add("payment", _payments().with_sink(self._to("/v1/payments")))
        v2_payments = _payments(PaymentCreateV2, money="object").with_sink(self._to("/v2/payments"))
        self.payment_v2 = add("payment_v2", v2_payments)
        self.refund = add("refund", Builder.from_model(RefundCreateV1, fields={"reason": ""}))
        self.order_line = add("order_line", _order_lines())
        self.order = add("order", self._orders().with_sink(self._to("/v2/orders")))

    def _to(self, url: str) -> Callable[[Any], Any]:
        def send(body: Any) -> Any:
            if self._post is None:
                raise RuntimeError("ShopFactories(post=...) is needed to create resources")
            return self._post(url, body.model_dump(mode="json", exclude_unset=True))

        return send

    def _orders(self) -> Builder[PlaceOrderIn]:
        """An order whose lines' products, stock and batches are created first."""
        return (
            Builder.from_model(
                PlaceOrderIn,
                fields={"lines": Many(self.order_line, 1), "payment_method": "tok_visa"},
                traits={
                    "two_lines": {"lines": Many(self.order_line, 2)},
                    "declined": {"payment_method": "tok_declined"},
                },
            )
            .needing(self.product, lambda order: [{"sku": line["sku"]} for line in order["lines"]])
            .needing(self.stock, lambda order: {"rows": _stock_rows(order)})
            .needing(self.batch, lambda order: [_batch_for(line) for line in order["lines"]])
        )


def _products(model: Any, money: str = "object") -> Builder[Any]:
    fields: dict[str, Any] = {"sku": Sequence(lambda n: f"LAMP-{n}"), "attributes": {}}
    in_dollars: Mapping[str, Any] = {"currency": "USD"}
    if money == "object":
        fields["price"] = {"currency": "EUR"}
        in_dollars = {"price": {"currency": "USD"}}
    else:
        fields["currency"] = "EUR"
    return Builder.from_model(model, fields=fields, traits={"in_dollars": in_dollars})


def _stock() -> Builder[StockImport]:
    rows = Builder.from_model(StockRow, fields={"warehouse": "east", "quantity": 10})
    return Builder.from_model(StockImport, fields={"rows": Many(rows, 1)})


def _reservations() -> Builder[ReservationRequest]:
    lines = Builder.from_model(
        LineIn, fields={"sku": Sequence(lambda n: f"LAMP-{n}"), "quantity": 1}
    )
    return Builder.from_model(
        ReservationRequest,
        fields={
            "order_id": Sequence(lambda n: f"order-{n}"),
            "lines": Many(lines, 1),
            "ttl_seconds": 900,
        },
    )


def _batches() -> Builder[NewBatch]:
    return Builder.from_model(
        NewBatch,
        fields={"reference": Sequence(lambda n: f"batch-{n:03d}"), "eta": None},
        traits={"shipping": {"eta": "2026-03-01"}, "sold_out": {"quantity": 0}},
    )


def _allocations() -> Builder[AllocationRequest]:
    return Builder.from_model(
        AllocationRequest,
        fields={"order_id": Sequence(lambda n: f"order-{n}"), "quantity": 1},
    )


def _payments(model: Any = PaymentCreateV1, money: str = "flat") -> Builder[Any]:
    fields: dict[str, Any] = {
        "customer": Sequence(lambda n: f"customer-{n}"),
        "order_id": None,
        "payment_method": "tok_visa",
        "capture": False,
    }
    if money == "object":
        fields["amount"] = {"currency": "EUR"}
    else:
        fields["currency"] = "EUR"
    return Builder.from_model(
        model,
        fields=fields,
        traits={
            "captured": {"capture": True},
            "declined": {"payment_method": "tok_declined"},
            "for_order": {"order_id": Lazy(lambda p: f"order-for-{p['customer']}")},
        },
    )


def _order_lines() -> Builder[OrderLineIn]:
    return Builder.from_model(OrderLineIn, fields={"sku": Sequence(lambda n: f"CHAIR-{n}")})


def _stock_rows(order: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {"sku": line["sku"], "warehouse": WAREHOUSES[0], "quantity": line["qty"] * 2}
        for line in order["lines"]
    ]


def _batch_for(line: Mapping[str, Any]) -> dict[str, Any]:
    return {"sku": line["sku"], "quantity": line["qty"] * 2}
