"""`ValueFactory`: every value validates, over many seeds and many kinds of schema."""

from __future__ import annotations

import re
from typing import Any

import pytest

from assay.generation.values import UnsatisfiableSchema, ValueFactory
from assay.spec import SpecValidator

from .conftest import fixture_specs, spec_of

SEEDS = range(12)

SCHEMAS_31: dict[str, Any] = {
    "Money": {"type": "integer", "minimum": 1, "maximum": 10_000_000, "multipleOf": 5},
    "Ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
    "Step": {"type": "number", "minimum": 0.5, "maximum": 3, "multipleOf": 0.25},
    "Sku": {"type": "string", "pattern": "^SKU-[A-Z]{2}[0-9]{3,5}$"},
    "Code": {"type": "string", "pattern": "^(EU|US)-(\\d{2}|x{3})-[a-f0-9]+$", "maxLength": 12},
    "Word": {"type": "string", "pattern": "[a-z]+", "minLength": 5, "maxLength": 8},
    "Back": {"type": "string", "pattern": "^(ab|cd)-\\1$"},
    "Short": {"type": "string", "minLength": 3, "maxLength": 3},
    "Maybe": {"type": ["string", "null"], "maxLength": 4},
    "Dates": {
        "type": "object",
        "required": ["day", "at", "time", "id", "mail", "site", "ip4", "ip6", "host", "b64"],
        "properties": {
            "day": {"type": "string", "format": "date"},
            "at": {"type": "string", "format": "date-time"},
            "time": {"type": "string", "format": "time"},
            "id": {"type": "string", "format": "uuid"},
            "mail": {"type": "string", "format": "email"},
            "site": {"type": "string", "format": "uri", "maxLength": 2083, "minLength": 1},
            "ip4": {"type": "string", "format": "ipv4"},
            "ip6": {"type": "string", "format": "ipv6"},
            "host": {"type": "string", "format": "hostname"},
            "b64": {"type": "string", "format": "byte"},
            "secret": {"type": "string", "format": "password"},
        },
    },
    "Status": {"enum": ["new", "paid", "shipped"]},
    "Fixed": {"const": 42},
    "Tags": {
        "type": "array",
        "items": {"type": "string", "maxLength": 6},
        "minItems": 2,
        "maxItems": 4,
        "uniqueItems": True,
    },
    "Line": {
        "type": "object",
        "required": ["sku", "qty"],
        "properties": {
            "sku": {"$ref": "#/components/schemas/Sku"},
            "qty": {"type": "integer", "minimum": 1, "maximum": 99},
            "id": {"type": "integer", "readOnly": True},
        },
        "additionalProperties": False,
    },
    "Order": {
        "type": "object",
        "required": ["lines", "currency", "customer"],
        "properties": {
            "lines": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Line"},
                "minItems": 1,
            },
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "customer": {"$ref": "#/components/schemas/Customer"},
            "note": {"anyOf": [{"type": "string", "maxLength": 50}, {"type": "null"}]},
            "status": {"$ref": "#/components/schemas/Status"},
        },
    },
    "Customer": {
        "allOf": [
            {"$ref": "#/components/schemas/Named"},
            {
                "type": "object",
                "required": ["email"],
                "properties": {"email": {"type": "string", "format": "email"}},
            },
        ]
    },
    "Named": {
        "type": "object",
        "required": ["first_name", "last_name"],
        "properties": {
            "first_name": {"type": "string", "minLength": 1, "maxLength": 40},
            "last_name": {"type": "string", "minLength": 1, "maxLength": 40},
            "phone": {"type": "string"},
            "country_code": {"type": "string", "minLength": 2, "maxLength": 2},
        },
    },
    "Tree": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
        },
    },
    "Cat": {
        "type": "object",
        "required": ["kind", "lives"],
        "properties": {
            "kind": {"const": "cat"},
            "lives": {"type": "integer", "minimum": 1, "maximum": 9},
        },
    },
    "Dog": {
        "type": "object",
        "required": ["kind", "bark"],
        "properties": {"kind": {"const": "dog"}, "bark": {"type": "boolean"}},
    },
    "Pet": {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
        },
    },
    "Either": {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "integer", "maximum": 10}]},
    "Dict": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
    "Anything": {},
    "Pair": {
        "type": "array",
        "prefixItems": [{"type": "string"}, {"type": "integer"}],
        "minItems": 2,
    },
}

SCHEMAS_30: dict[str, Any] = {
    "Nullable": {"type": "string", "nullable": True, "maxLength": 3},
    "Bounded": {
        "type": "integer",
        "minimum": 0,
        "exclusiveMinimum": True,
        "maximum": 10,
        "exclusiveMaximum": True,
    },
    "Animal": {
        "type": "object",
        "required": ["petType"],
        "properties": {"petType": {"type": "string"}},
        "discriminator": {"propertyName": "petType"},
    },
    "Lizard": {
        "allOf": [
            {"$ref": "#/components/schemas/Animal"},
            {
                "type": "object",
                "required": ["scales"],
                "properties": {"scales": {"type": "integer", "format": "int32"}},
            },
        ]
    },
    "Snake": {
        "allOf": [
            {"$ref": "#/components/schemas/Animal"},
            {"type": "object", "required": ["venom"], "properties": {"venom": {"type": "boolean"}}},
        ]
    },
    "Reptile": {
        "oneOf": [{"$ref": "#/components/schemas/Lizard"}, {"$ref": "#/components/schemas/Snake"}],
        "discriminator": {"propertyName": "petType"},
    },
    "Enumerated": {"type": "string", "enum": ["a", "b"], "nullable": True},
    "Account": {
        "type": "object",
        "required": ["id", "login"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "login": {"type": "string", "minLength": 3},
            "password": {"type": "string", "writeOnly": True, "format": "password"},
        },
    },
}


@pytest.mark.parametrize(
    ("schemas", "version"), [(SCHEMAS_31, "3.1.0"), (SCHEMAS_30, "3.0.3")], ids=["3.1", "3.0"]
)
def test_every_value_validates_over_many_seeds(schemas: dict[str, Any], version: str) -> None:
    spec = spec_of(schemas, version=version)
    validator = SpecValidator(spec)
    for seed in SEEDS:
        factory = ValueFactory(spec, seed)
        for name in schemas:
            value = factory.valid({"$ref": f"#/components/schemas/{name}"}, name=name)
            problems = validator.validate_instance(
                f"#/components/schemas/{name}", value, direction="request"
            )
            assert not problems, (seed, name, value, problems)


def test_the_fixture_documents_get_valid_parameters_and_bodies() -> None:
    for spec in fixture_specs():
        validator = SpecValidator(spec)
        for seed in SEEDS:
            factory = ValueFactory(spec, seed)
            for operation in spec:
                for param in operation.parameters:
                    value = factory.for_parameter(param)
                    assert not validator.validate_instance(
                        param.schema_pointer, value, direction="request"
                    )
                body = operation.request_body
                for media in body.content.values() if body else ():
                    value = factory.for_body(media)
                    assert not validator.validate_instance(
                        media.schema_pointer, value, direction="request"
                    )


def test_same_seed_same_values_and_forks_are_independent() -> None:
    spec = spec_of(SCHEMAS_31)
    order = {"$ref": "#/components/schemas/Order"}
    first = [ValueFactory(spec, 7).valid(order) for _ in range(3)]
    again = [ValueFactory(spec, 7).valid(order) for _ in range(3)]
    assert first == again
    assert ValueFactory(spec, 8).valid(order) != first[0]
    base = ValueFactory(spec, 7)
    forked = base.fork("POST /orders").valid(order)
    base.valid(order)  # using the parent does not change what a fork makes
    assert ValueFactory(spec, 7).fork("POST /orders").valid(order) == forked


def test_read_only_properties_are_left_out_of_requests() -> None:
    spec = spec_of(SCHEMAS_30, version="3.0.3")
    for seed in SEEDS:
        account = ValueFactory(spec, seed).valid({"$ref": "#/components/schemas/Account"})
        assert "id" not in account
        assert "login" in account


def test_discriminators_name_the_branch() -> None:
    spec = spec_of(SCHEMAS_30, version="3.0.3")
    kinds = set()
    for seed in SEEDS:
        reptile = ValueFactory(spec, seed).valid({"$ref": "#/components/schemas/Reptile"})
        kinds.add(reptile["petType"])
        assert ("scales" in reptile) == (reptile["petType"] == "Lizard")
    assert kinds == {"Lizard", "Snake"}


def test_recursion_is_bounded() -> None:
    spec = spec_of(SCHEMAS_31)

    def depth(tree: dict[str, Any]) -> int:
        return 1 + max((depth(c) for c in tree.get("children", [])), default=0)

    for seed in SEEDS:
        tree = ValueFactory(spec, seed).valid({"$ref": "#/components/schemas/Tree"})
        assert depth(tree) <= 6


def test_values_look_real_by_field_name() -> None:
    spec = spec_of(SCHEMAS_31)
    factory = ValueFactory(spec, 3)
    string = {"type": "string"}
    assert re.fullmatch(r"[^@\s]+@example\.com", factory.valid(string, name="email"))
    assert factory.valid(string, name="currency") in {
        "EUR",
        "USD",
        "GBP",
        "JPY",
        "CHF",
        "CAD",
        "SEK",
    }
    assert factory.valid(string, name="countryCode").isupper()
    assert factory.valid({"type": "string", "format": "uuid"}, name="id").count("-") == 4
    price = factory.valid({"type": "integer", "minimum": 0}, name="price")
    assert isinstance(price, int)
    assert price >= 100
    assert isinstance(factory.valid({"type": "number"}, name="price"), float)
    assert 1 <= factory.valid({"type": "integer", "minimum": 1}, name="quantity") <= 10
    assert factory.valid(string, name="first_name")[0].isupper()


def test_more_names_people_dates_regions_and_references() -> None:
    factory = ValueFactory(spec_of(SCHEMAS_31), 5)
    string = {"type": "string"}
    assert re.fullmatch(r"[a-z]+\.[a-z]+\d+@example\.com", factory.valid(string, name="email"))
    assert re.fullmatch(r"[0-9a-f-]{36}", factory.valid(string, name="order_uuid"))
    assert re.fullmatch(r"(19[5-9]\d|200[0-5])-\d\d-\d\d", factory.valid(string, name="birthday"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:]{8}Z", factory.valid(string, name="timestamp"))
    assert factory.valid(string, name="region").isalpha()
    assert re.fullmatch(r"REF-\d{5}", factory.valid(string, name="reference"))


def test_a_patterned_field_gets_the_realistic_value_when_it_matches() -> None:
    factory = ValueFactory(spec_of(SCHEMAS_31), 2)
    sku = {"type": "string", "pattern": "^[A-Z0-9][A-Z0-9-]{0,62}$"}
    assert all(factory.valid(sku, name="sku").startswith("SKU-") for _ in range(5))
    currency = {"type": "string", "pattern": "^[A-Z]{3}$"}
    assert factory.valid(currency, name="currency") in {
        "EUR",
        "USD",
        "GBP",
        "JPY",
        "CHF",
        "CAD",
        "SEK",
    }
    email = {"type": "string", "pattern": "^[^@]+@[^@]+$", "maxLength": 254}
    assert factory.valid(email, name="email").endswith("@example.com")


def test_a_pattern_the_realistic_value_breaks_is_still_sampled() -> None:
    factory = ValueFactory(spec_of(SCHEMAS_31), 2)
    lower = {"type": "string", "pattern": "^[a-z]{4}$"}
    for _ in range(5):
        assert re.fullmatch("[a-z]{4}", factory.valid(lower, name="sku"))
    short = {"type": "string", "pattern": "^[A-Z]+$", "maxLength": 2}
    assert len(factory.valid(short, name="currency")) <= 2


def test_a_contradictory_schema_is_reported() -> None:
    spec = spec_of({"Never": {"type": "integer", "minimum": 5, "maximum": 1}})
    with pytest.raises(UnsatisfiableSchema):
        ValueFactory(spec, 0).valid({"$ref": "#/components/schemas/Never"})


def test_wild_values_still_validate() -> None:
    spec = spec_of(SCHEMAS_31)
    validator = SpecValidator(spec)
    for seed in SEEDS:
        factory = ValueFactory(spec, seed, wild=True)
        for name in SCHEMAS_31:
            value = factory.valid({"$ref": f"#/components/schemas/{name}"})
            assert not validator.validate_instance(
                f"#/components/schemas/{name}", value, direction="request"
            )


def test_the_checker_names_the_failed_keyword_and_where() -> None:
    from assay.generation.checker import Problem, SchemaChecker

    spec = spec_of(
        {"Line": {"type": "object", "properties": {"qty": {"type": "integer", "minimum": 1}}}}
    )
    checker = SchemaChecker(spec)
    schema = {"$ref": "#/components/schemas/Line"}
    assert checker.problems(schema, {"qty": 0}) == [
        Problem(("qty",), "minimum", "0 is less than the minimum of 1")
    ]
    assert checker.problems(schema, {"qty": 1}) == []
