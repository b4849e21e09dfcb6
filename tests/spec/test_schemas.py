"""Compiled schemas: 3.1 type lists, recursion, caching, pointers back into the document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assay.spec import Spec, load
from assay.spec.schemas import SchemaSet
from assay.spec.validation import SpecValidator, Violation


@pytest.fixture(scope="module")
def spec31() -> Spec:
    return load(Path(__file__).parent / "documents" / "petstore-31.json")


@pytest.fixture(scope="module")
def validator31(spec31: Spec) -> SpecValidator:
    return SpecValidator(spec31)


PET = "#/components/schemas/Pet"


def test_31_type_list_admits_null(validator31: SpecValidator) -> None:
    assert validator31.validate_instance(PET, {"id": 1, "name": "a", "tag": None}) == []
    assert validator31.validate_instance(PET, {"id": 1, "name": "a", "tag": "t"}) == []


def test_31_type_list_still_checks(validator31: SpecValidator) -> None:
    assert validator31.validate_instance(PET, {"id": 1, "name": "a", "tag": 3}) == [
        Violation("schema", '3 is not of types "null", "string"', f"{PET}/properties/tag", "/tag")
    ]


def test_recursive_schemas_through_two_components(validator31: SpecValidator) -> None:
    pet = {
        "id": 1,
        "name": "a",
        "owner": {"pets": [{"id": 2, "name": "b", "children": [{"id": "x", "name": "c"}]}]},
    }
    violations = validator31.validate_instance(PET, pet)
    assert violations == [
        Violation(
            "schema",
            '"x" is not of type "integer"',
            f"{PET}/properties/id",
            "/owner/pets/0/children/0/id",
        )
    ]


def test_31_ref_siblings_apply(validator31: SpecValidator) -> None:
    # in 3.1 "description" beside $ref is fine; the $ref is still followed
    assert validator31.validate_instance(PET, {"id": 1, "name": "a", "owner": {"pets": 3}})


def test_validate_instance_on_a_webhook_body(validator31: SpecValidator, spec31: Spec) -> None:
    hook = spec31.webhooks[0]
    assert hook.request_body is not None
    pointer = hook.request_body.content["application/json"].schema_pointer
    assert validator31.validate_instance(pointer, {"id": 1, "name": "x"}, direction="request") == []
    assert validator31.validate_instance(pointer, {"id": 1}, direction="request")


def test_cross_file_recursive_schemas(documents: Path) -> None:
    spec = load(documents / "cross" / "openapi.yaml")
    validator = SpecValidator(spec)
    tree = spec.operation("getTree").responses["200"].content["application/json"]
    good = {"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]}
    assert validator.validate_instance(tree.schema_pointer, good) == []
    bad = {"value": 1, "children": [{"children": [{"value": "three"}]}]}
    [violation] = validator.validate_instance(tree.schema_pointer, bad)
    assert violation.data_pointer == "/children/0/children/0/value"
    assert violation.schema_pointer == "#/components/schemas/Node/properties/value"


def test_each_schema_compiles_once(spec31: Spec) -> None:
    schemas = SchemaSet(spec31.raw, openapi30=False)
    for _ in range(3):
        schemas.errors(PET, {"id": 1, "name": "a"}, "response")
    state = schemas._directions["response"]
    assert list(state.validators) == [PET]


def test_directions_are_separate(spec31: Spec) -> None:
    schemas = SchemaSet(spec31.raw, openapi30=False)
    schemas.is_valid(PET, {}, "request")
    assert set(schemas._directions) == {"request"}


def test_uncompilable_schema_is_skipped_not_reported() -> None:
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Bad": {"type": "string", "pattern": "(?<=a"}}},
    }
    validator = SpecValidator(load(document))
    assert validator.validate_instance("#/components/schemas/Bad", "anything") == []
    assert "#/components/schemas/Bad" in validator.skipped


def test_pointer_with_braces_and_slashes() -> None:
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a/{id}": {
                "get": {
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {"schemas": {"Id": {"$ref": "#/paths/~1a~1{id}/get/parameters/0/schema"}}},
    }
    validator = SpecValidator(load(document))
    [violation] = validator.validate_instance("#/components/schemas/Id", "x")
    assert violation.schema_pointer == "#/paths/~1a~1{id}/get/parameters/0/schema"


def test_discriminator_error_message_names_one_of() -> None:
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Pet": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/Cat"},
                        {"$ref": "#/components/schemas/Dog"},
                    ],
                    "discriminator": {"propertyName": "kind"},
                },
                "Cat": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {"kind": {"type": "string"}},
                },
                "Dog": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {"kind": {"type": "string"}, "bark": {"type": "boolean"}},
                },
            }
        },
    }
    validator = SpecValidator(load(document))
    pet = "#/components/schemas/Pet"
    # both branches accept a cat-shaped dog: the discriminator decides, so no oneOf error
    assert validator.validate_instance(pet, {"kind": "Cat"}) == []
    [violation] = validator.validate_instance(pet, 5)
    assert (
        violation.message == "5 is not valid under any of the schemas listed in the 'oneOf' keyword"
    )
    assert violation.schema_pointer == pet
    # the Cat branch accepts this dog too: lenient rather than a false alarm
    assert validator.validate_instance(pet, {"kind": "Dog", "bark": "loud"}) == []
