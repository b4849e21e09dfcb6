"""Builders: seeds derived per builder name, registered builders by attribute, the client."""

from __future__ import annotations

import pytest

from assay import AssayError, Builder, Builders

from .models import Customer, Order, OrderLine


def test_each_builder_gets_its_own_seed_from_the_run_seed() -> None:
    first = Builders(11)
    again = Builders(11)
    assert first.model(Customer).build() == again.model(Customer).build()
    assert first.seed_for("Customer") != first.seed_for("Order")
    assert Builders(12).model(Customer).build() != Builders(11).model(Customer).build()


def test_adding_a_builder_does_not_change_another_builders_values() -> None:
    alone = Builders(3).model(OrderLine).build_batch(3)
    crowded = Builders(3)
    crowded.model(Order).build_batch(5)
    assert crowded.model(OrderLine).build_batch(3) == alone


def test_registered_builders_are_reached_as_attributes() -> None:
    builders = Builders(1)
    orders = builders.register(
        "order", Builder.from_model(Order).with_traits(paid={"status": "paid"})
    )
    assert builders.order is orders
    assert builders["order"] is orders
    assert builders.order(trait="paid").status == "paid"
    with pytest.raises(
        AttributeError, match=r"no builder registered as 'payment' \(registered: order\)"
    ):
        _ = builders.payment


def test_schemas_and_tables_are_seeded_the_same_way() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    assert (
        Builders(4).schema(schema, name="N").build() == Builders(4).schema(schema, name="N").build()
    )


def test_creating_through_the_api_without_a_client_says_what_to_do() -> None:
    with pytest.raises(AssayError, match="no client to create through"):
        Builders(1).from_spec()
