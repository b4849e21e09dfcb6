"""Builder: determinism, constraints over many seeds, overrides, traits, sequences, declarations."""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
import pytest

from assay import AssayError, Builder, Lazy, Many, Related, Sequence

from .models import Address, Customer, EvenOnly, Order, OrderLine, Payment, Status


def _valid(model: Any, value: Any) -> bool:
    schema = model.model_json_schema()
    return bool(jsonschema_rs.Draft202012Validator(schema).is_valid(value))


def test_the_same_seed_builds_the_same_objects_and_another_seed_others() -> None:
    first = Builder.from_model(Order, seed=7).build_batch(3)
    again = Builder.from_model(Order, seed=7).build_batch(3)
    other = Builder.from_model(Order, seed=8).build_batch(3)
    assert first == again
    assert first != other
    assert len({order.id for order in first}) == 3


@pytest.mark.parametrize("model", [Customer, Order, Payment])
def test_every_constraint_holds_over_many_seeds(model: Any) -> None:
    for seed in range(60):
        data = Builder.from_model(model, seed=seed).data()
        assert _valid(model, data), (seed, data)
        model.model_validate(data)


def test_values_look_real_by_field_name() -> None:
    customer = Builder.from_model(Customer, seed=1).build()
    assert re.fullmatch(r"[a-z]+\.[a-z]+\d+@example\.com", customer.email)
    assert customer.first_name[0].isupper()
    assert customer.first_name.isalpha()
    assert re.fullmatch(r"[A-Z]{2}", customer.address.country_code)
    line = Builder.from_model(OrderLine, seed=1).build()
    assert line.sku.startswith("SKU-")
    assert 1 <= line.quantity <= 10
    order = Builder.from_model(Order, seed=1).build()
    assert order.currency in {"EUR", "USD", "GBP", "JPY", "CHF", "CAD", "SEK"}


def test_build_returns_model_instances_and_data_returns_dicts() -> None:
    builder = Builder.from_model(Order, seed=3)
    assert isinstance(builder.build(), Order)
    assert isinstance(builder(), Order)
    data = builder.data()
    assert isinstance(data, dict)
    assert isinstance(data["customer"], dict)


def test_overrides_plain_nested_with_double_underscore_and_as_a_dict() -> None:
    builder = Builder.from_model(Customer, seed=2)
    assert builder.build(first_name="Zoë").first_name == "Zoë"
    assert builder.build(address__city="Oslo").address.city == "Oslo"
    moved = builder.build(address={"city": "Oslo", "country_code": "NO"})
    assert (moved.address.city, moved.address.country_code) == ("Oslo", "NO")
    assert moved.address.street  # the rest is still generated
    assert builder.build(phone=None).phone is None


def test_a_dict_replaces_a_free_form_map_instead_of_merging() -> None:
    schema = {
        "type": "object",
        "properties": {
            "attributes": {"type": "object", "additionalProperties": {"type": "string"}}
        },
        "required": ["attributes"],
    }
    builder = Builder.from_schema(schema)
    assert all(builder.build(attributes={})["attributes"] == {} for _ in range(5))
    assert builder.build(attributes={"colour": "red"})["attributes"] == {"colour": "red"}


def test_an_override_that_breaks_a_constraint_names_the_field_and_the_keyword() -> None:
    lines = Builder.from_model(OrderLine)
    with pytest.raises(AssayError) as caught:
        lines.build(quantity=-1)
    message = str(caught.value)
    assert "field quantity = -1 (from an override)" in message
    assert "`minimum`" in message
    assert "less than the minimum of 1" in message
    with pytest.raises(AssayError, match=r"lines\.0\.sku = 'lamp' .* breaks `pattern`"):
        Builder.from_model(Order).build(lines=[{"sku": "lamp", "quantity": 1, "unit_price": 1}])


def test_valid_overrides_raise_nothing() -> None:
    line = Builder.from_model(OrderLine).build(quantity=1000, unit_price=0)
    assert (line.quantity, line.unit_price) == (1000, 0)


def test_an_unknown_field_is_refused_with_the_close_names() -> None:
    builder = Builder.from_model(Customer)
    with pytest.raises(AssayError, match=r"unknown field .emial.*Did you mean .email."):
        builder.build(emial="a@b")
    with pytest.raises(AssayError, match=r"unknown field .address\.town."):
        builder.build(address__town="Oslo")
    with pytest.raises(AssayError, match="its fields: unknown field 'nickname'"):
        Builder.from_model(Customer, fields={"nickname": "x"})


def test_a_schema_that_admits_extra_fields_takes_them() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer"}}}
    open_schema = {**schema, "additionalProperties": {"type": "string"}}
    assert Builder.from_schema(open_schema).build(extra="yes")["extra"] == "yes"
    with pytest.raises(AssayError, match="unknown field 'extra'"):
        Builder.from_schema(schema).build(extra="yes")


def test_an_unsatisfiable_schema_names_the_field() -> None:
    schema = {
        "type": "object",
        "properties": {
            "ok": {"type": "string"},
            "code": {"type": "string", "minLength": 5, "maxLength": 2},
        },
        "required": ["ok", "code"],
    }
    with pytest.raises(AssayError, match="no valid value exists for field 'code'"):
        Builder.from_schema(schema, name="Voucher").build()


def test_an_override_rescues_a_field_the_builder_cannot_fill() -> None:
    schema = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "minLength": 5, "maxLength": 2},
            "n": {"type": "integer"},
        },
        "required": ["n"],
    }
    built = Builder.from_schema(schema).build(n=3)
    assert built["n"] == 3
    assert "code" not in built


def test_traits_apply_by_name_and_compose_in_order() -> None:
    orders = Builder.from_model(
        Order,
        traits={
            "paid": {"status": "paid"},
            "refunded": {"status": "refunded", "refunded_at": "2026-01-02T10:00:00Z"},
            "in_dollars": {"currency": "USD"},
        },
    )
    assert orders.build(trait="paid").status is Status.paid
    both = orders.build(trait=("paid", "refunded", "in_dollars"))
    assert (both.status, both.currency) == (Status.refunded, "USD")
    assert both.refunded_at is not None
    assert orders.build(trait="paid", status="pending").status is Status.pending
    assert orders.traits == ("paid", "refunded", "in_dollars")


def test_an_unknown_trait_is_refused_with_the_known_ones() -> None:
    orders = Builder.from_model(Order).with_traits(paid={"status": "paid"})
    with pytest.raises(AssayError, match=r"has no trait .refund.*Its traits: paid"):
        orders.build(trait="refund")


def test_a_trait_that_breaks_a_constraint_is_named_as_the_origin() -> None:
    orders = Builder.from_model(Order).with_traits(broken={"total": -5})
    with pytest.raises(AssayError, match=r"total = -5 \(from trait 'broken'\)"):
        orders.build(trait="broken")


def test_sequences_count_builds_from_one_and_reset() -> None:
    lines = Builder.from_model(OrderLine, fields={"sku": Sequence(lambda n: f"SKU-{n:04d}")})
    assert [line.sku for line in lines.build_batch(3)] == ["SKU-0001", "SKU-0002", "SKU-0003"]
    lines.reset()
    assert lines.build().sku == "SKU-0001"


def test_lazy_fields_see_the_final_values_of_the_others() -> None:
    lines = Builder.from_model(OrderLine)
    orders = Builder.from_model(
        Order,
        fields={
            "lines": Many(lines, (1, 4)),
            "total": Lazy(lambda o: sum(li["quantity"] * li["unit_price"] for li in o["lines"])),
        },
    )
    for order in orders.build_batch(5):
        assert 1 <= len(order.lines) <= 4
        assert order.total == sum(li.quantity * li.unit_price for li in order.lines)
    fixed = orders.build(lines=[{"sku": "A-1", "quantity": 2, "unit_price": 150}])
    assert fixed.total == 300


def test_nested_builders_take_their_overrides_from_above() -> None:
    addresses = Builder.from_model(Address, fields={"country_code": "PT"})
    customers = Builder.from_model(Customer, fields={"address": addresses})
    customer = customers.build(address__city="Porto")
    assert (customer.address.city, customer.address.country_code) == ("Porto", "PT")
    lines = Builder.from_model(OrderLine, fields={"quantity": 1})
    orders = Builder.from_model(Order, fields={"lines": Many(lines, 3, {"unit_price": 99})})
    assert [(li.quantity, li.unit_price) for li in orders.build().lines] == [(1, 99)] * 3


def test_related_fields_take_an_attribute_of_another_built_resource() -> None:
    customers = Builder.from_model(Customer, seed=4)
    schema = {
        "type": "object",
        "properties": {
            "customer_id": {"type": "string", "format": "uuid"},
            "email": {"type": "string"},
        },
        "required": ["customer_id", "email"],
    }
    invoices = Builder.from_schema(
        schema,
        fields={"customer_id": Related(customers, "id"), "email": Related(customers, "email")},
    )
    invoice = invoices.build()
    assert re.fullmatch(r"[0-9a-f-]{36}", invoice["customer_id"])
    assert "@" in invoice["email"]


def test_related_overrides_may_depend_on_the_object_being_built() -> None:
    lines = Builder.from_model(OrderLine)
    schema = {
        "type": "object",
        "properties": {"sku": {"type": "string"}, "line_sku": {"type": "string"}},
        "required": ["sku", "line_sku"],
    }
    pairs = Builder.from_schema(
        schema,
        fields={"sku": "LAMP-1", "line_sku": Related(lines, "sku", lambda o: {"sku": o["sku"]})},
    )
    assert pairs.build()["line_sku"] == "LAMP-1"


def test_a_related_attribute_that_does_not_exist_is_named() -> None:
    schema = {"type": "object", "properties": {"owner": {"type": "string"}}, "required": ["owner"]}
    lines = Builder.from_model(OrderLine, sink=lambda line: line.model_dump())
    builder = Builder.from_schema(schema, fields={"owner": Related(lines, "skew")})
    with pytest.raises(AssayError, match=r"no field 'skew'.*quantity, sku, unit_price"):
        builder.create(sink=lambda data: data)


def test_discriminated_unions_and_arrays_are_built_valid() -> None:
    kinds = {Builder.from_model(Payment, seed=s).build().method.kind for s in range(20)}
    assert kinds == {"card", "transfer"}
    card = Builder.from_model(Payment).build(method={"kind": "card", "last4": "4242"})
    assert card.method.kind == "card"


def test_a_model_validator_stricter_than_the_schema_is_a_clear_error() -> None:
    with pytest.raises(AssayError, match=r"EvenOnly refused the built data: field number: .*even"):
        Builder.from_model(EvenOnly).build(number=3)
    assert Builder.from_model(EvenOnly).build(number=4).number == 4


def test_something_that_is_not_a_pydantic_model_is_refused() -> None:
    with pytest.raises(AssayError, match="is not a pydantic v2 model"):
        Builder.from_model(dict)


def test_a_non_object_schema_builds_values_but_takes_no_overrides() -> None:
    words = Builder.from_schema({"type": "string", "minLength": 3, "maxLength": 5})
    assert 3 <= len(words.build()) <= 5
    with pytest.raises(AssayError, match="is not an object"):
        words.build(anything=1)


def test_local_defs_and_openapi_30_nullable_resolve() -> None:
    schema = {
        "type": "object",
        "properties": {
            "home": {"$ref": "#/$defs/Place"},
            "note": {"type": "string", "nullable": True},
        },
        "required": ["home", "note"],
        "$defs": {
            "Place": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            }
        },
    }
    built = Builder.from_schema(schema, openapi30=True).build(note=None, home__city="Oslo")
    assert built == {"home": {"city": "Oslo"}, "note": None} or built["home"]["city"] == "Oslo"


def test_fields_lists_the_schema_properties() -> None:
    assert Builder.from_model(OrderLine).fields == ("sku", "quantity", "unit_price")
    assert "OrderLine" in repr(Builder.from_model(OrderLine))
