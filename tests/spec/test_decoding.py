"""Parameters of every location and style are decoded before they are checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assay.spec import Operation, Spec, load
from assay.spec.validation import SpecValidator, Violation


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load(Path(__file__).parent / "documents" / "petstore-30.yaml")


@pytest.fixture(scope="module")
def validator(spec: Spec) -> SpecValidator:
    return SpecValidator(spec)


def _check(validator: SpecValidator, op: Operation, **parts: Any) -> list[Violation]:
    return validator.validate_request(
        op,
        path=parts.get("path", {}),
        query=parts.get("query", {}),
        headers=parts.get("headers", {}),
        cookies=parts.get("cookies", {}),
        body=None,
        content_type=None,
    )


@pytest.fixture
def list_pets(spec: Spec) -> Operation:
    return spec.operation("listPets")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"limit": "10"},
        {"tags": "a|b|c"},
        {"filter[color]": "red"},
        {"where": '{"age": 3}'},
    ],
)
def test_valid_query_parameters(validator: SpecValidator, list_pets: Operation, query: Any) -> None:
    assert _check(validator, list_pets, query=query) == []


def test_query_integer_is_checked(validator: SpecValidator, list_pets: Operation) -> None:
    assert _check(validator, list_pets, query={"limit": "ten"}) == [
        Violation(
            "parameter-schema",
            'query parameter \'limit\': "ten" is not of type "integer"',
            "#/paths/~1pets/get/parameters/0/schema",
        )
    ]
    violations = _check(validator, list_pets, query={"limit": "51"})
    assert [v.message for v in violations] == [
        "query parameter 'limit': 51 is greater than the maximum of 50"
    ]


def test_query_list_value_uses_the_first_for_a_scalar(
    validator: SpecValidator, list_pets: Operation
) -> None:
    assert _check(validator, list_pets, query={"limit": ["5", "6"]}) == []


def test_deep_object(validator: SpecValidator, list_pets: Operation) -> None:
    spec_with_int = _check(validator, list_pets, query={"filter[color]": "red", "other": "x"})
    assert spec_with_int == []


def test_content_parameter_must_be_json(validator: SpecValidator, list_pets: Operation) -> None:
    violations = _check(validator, list_pets, query={"where": '{"age": "old"}'})
    assert [(v.kind, v.data_pointer) for v in violations] == [("parameter-schema", "/age")]
    assert (
        violations[0].schema_pointer
        == "#/paths/~1pets/get/parameters/3/content/application~1json/schema/properties/age"
    )


def test_header_parameter(validator: SpecValidator, list_pets: Operation) -> None:
    good = {"X-Request-Id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}
    assert _check(validator, list_pets, headers=good) == []
    violations = _check(validator, list_pets, headers={"x-request-id": "not-a-uuid"})
    assert [v.message for v in violations] == [
        'header parameter \'X-Request-Id\': "not-a-uuid" is not a "uuid"'
    ]


def test_cookie_parameter(validator: SpecValidator, list_pets: Operation) -> None:
    assert _check(validator, list_pets, cookies={"session": "abc"}) == []


def test_path_parameters_missing(validator: SpecValidator, spec: Spec) -> None:
    violations = _check(validator, spec.operation("deletePet"))
    assert violations == [
        Violation(
            "parameter-missing",
            "required path parameter 'petId' is missing",
            "#/paths/~1pets~1{petId}/parameters/0",
        )
    ]


def test_path_simple_int64(validator: SpecValidator, spec: Spec) -> None:
    op = spec.operation("deletePet")
    assert _check(validator, op, path={"petId": "42"}) == []
    violations = _check(validator, op, path={"petId": str(2**64)})
    assert [v.kind for v in violations] == ["parameter-schema"]
    assert "int64" in violations[0].message


def test_path_matrix(validator: SpecValidator, spec: Spec) -> None:
    op = spec.operation("getPet")
    assert _check(validator, op, path={"petId": ";petId=5"}) == []
    violations = _check(validator, op, path={"petId": ";petId=five"})
    assert [v.kind for v in violations] == ["parameter-schema"]


def test_path_label_exploded_array(validator: SpecValidator, spec: Spec) -> None:
    op = spec.operation("getLabels")
    assert _check(validator, op, path={"fields": ".a.b.c"}) == []


def _document(parameter: dict[str, Any]) -> Spec:
    return load(
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/items/{id}": {
                    "get": {
                        "parameters": [
                            {
                                "name": "id",
                                "in": "path",
                                "required": True,
                                "schema": {"type": "string"},
                            },
                            parameter,
                        ],
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            },
        }
    )


@pytest.mark.parametrize(
    ("parameter", "parts", "ok"),
    [
        (
            {"in": "query", "schema": {"type": "array", "items": {"type": "integer"}}},
            {"query": {"p": ["1", "2"]}},
            True,
        ),
        (
            {"in": "query", "schema": {"type": "array", "items": {"type": "integer"}}},
            {"query": {"p": ["1", "x"]}},
            False,
        ),
        (
            {
                "in": "query",
                "explode": False,
                "schema": {"type": "array", "items": {"type": "integer"}},
            },
            {"query": {"p": "1,2"}},
            True,
        ),
        (
            {
                "in": "query",
                "style": "spaceDelimited",
                "explode": False,
                "schema": {"type": "array", "items": {"type": "integer"}},
            },
            {"query": {"p": "1 2"}},
            True,
        ),
        (
            {"in": "query", "schema": {"type": "array", "maxItems": 1}},
            {"query": {"p": ["a", "b"]}},
            False,
        ),
        (
            {"in": "query", "schema": {"type": "object", "properties": {"a": {"type": "integer"}}}},
            {"query": {"a": "1"}},
            True,
        ),
        (
            {"in": "query", "schema": {"type": "object", "properties": {"a": {"type": "integer"}}}},
            {"query": {"a": "x"}},
            False,
        ),
        ({"in": "query", "schema": {"type": "boolean"}}, {"query": {"p": "true"}}, True),
        ({"in": "query", "schema": {"type": "boolean"}}, {"query": {"p": "yes"}}, False),
        ({"in": "query", "schema": {"type": ["integer", "null"]}}, {"query": {"p": "3"}}, True),
        (
            {"in": "query", "schema": {"anyOf": [{"type": "integer"}, {"type": "null"}]}},
            {"query": {"p": "3"}},
            True,
        ),
        ({"in": "query", "schema": {"enum": [1, 2]}}, {"query": {"p": "2"}}, True),
        ({"in": "query", "schema": {"enum": [1, 2]}}, {"query": {"p": "3"}}, False),
        (
            {"in": "query", "allowEmptyValue": True, "schema": {"type": "integer"}},
            {"query": {"p": ""}},
            True,
        ),
        ({"in": "query", "required": True, "schema": {"type": "integer"}}, {}, False),
        (
            {"in": "header", "schema": {"type": "array", "items": {"type": "integer"}}},
            {"headers": {"P": "1, 2"}},
            True,
        ),
        (
            {
                "in": "header",
                "explode": True,
                "schema": {"type": "object", "properties": {"a": {"type": "integer"}}},
            },
            {"headers": {"p": "a=1,b=2"}},
            True,
        ),
        (
            {
                "in": "header",
                "schema": {"type": "object", "properties": {"a": {"type": "integer"}}},
            },
            {"headers": {"p": "a,x"}},
            False,
        ),
        (
            {
                "in": "cookie",
                "explode": False,
                "schema": {"type": "array", "items": {"type": "integer"}},
            },
            {"cookies": {"p": "1,2"}},
            True,
        ),
        (
            {"in": "cookie", "schema": {"type": "array", "items": {"type": "integer"}}},
            {"cookies": {"p": "anything"}},
            True,
        ),
        ({"in": "cookie", "required": True, "schema": {"type": "string"}}, {}, False),
    ],
)
def test_styles(parameter: dict[str, Any], parts: dict[str, Any], ok: bool) -> None:
    spec = _document({"name": "p", **parameter})
    violations = _check(SpecValidator(spec), spec.operations[0], path={"id": "x"}, **parts)
    assert (violations == []) is ok, violations
