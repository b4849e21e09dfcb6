"""Structural mistakes in a document: each is an AssayError that names its pointer."""

from __future__ import annotations

from typing import Any

import pytest

from assay.errors import AssayError
from assay.spec import load


def _document(paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, **extra}


def _error(document: dict[str, Any]) -> str:
    with pytest.raises(AssayError) as info:
        load(document)
    return str(info.value)


OK = {"200": {"description": "ok"}}


def test_broken_ref_names_where_it_was_used() -> None:
    document = _document(
        {
            "/orders": {
                "post": {"requestBody": {"$ref": "#/components/schemas/Ordr"}, "responses": OK}
            }
        },
        components={"schemas": {"Order": {"type": "object"}}},
    )
    assert (
        "#/paths/~1orders/post/requestBody: $ref '#/components/schemas/Ordr' does not exist"
        in _error(document)
    )


def test_broken_ref_deep_in_a_schema() -> None:
    document = _document(
        {},
        components={
            "schemas": {"A": {"properties": {"b": {"items": {"$ref": "#/components/schemas/B"}}}}}
        },
    )
    text = _error(document)
    assert text.startswith(
        "#/components/schemas/A/properties/b/items: $ref '#/components/schemas/B' does not exist"
    )


def test_several_broken_refs_are_counted() -> None:
    document = _document(
        {}, components={"schemas": {"A": {"$ref": "#/nope1"}, "B": {"$ref": "#/nope2"}}}
    )
    assert "$ref '#/nope1' does not exist (and 1 more broken $refs)" in _error(document)


def test_ref_cycle_without_a_definition() -> None:
    document = _document(
        {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/A"}], "responses": OK}}},
        components={
            "parameters": {
                "A": {"$ref": "#/components/parameters/B"},
                "B": {"$ref": "#/components/parameters/A"},
            }
        },
    )
    text = _error(document)
    assert text.startswith(
        "#/paths/~1a/get/parameters/0: $ref '#/components/parameters/A' refers back"
    )


def test_parameter_without_in() -> None:
    document = _document({"/a": {"get": {"parameters": [{"name": "q"}], "responses": OK}}})
    assert _error(document).startswith(
        "#/paths/~1a/get/parameters/0: parameter has no 'in'. Add in: path, query, header or "
        "cookie."
    )


def test_parameter_without_name() -> None:
    document = _document({"/a": {"get": {"parameters": [{"in": "query"}], "responses": OK}}})
    assert _error(document).startswith("#/paths/~1a/get/parameters/0: parameter has no 'name'")


def test_invalid_parameter_location() -> None:
    document = _document(
        {"/a": {"post": {"parameters": [{"name": "b", "in": "body"}], "responses": OK}}}
    )
    text = _error(document)
    assert text.startswith(
        "#/paths/~1a/post/parameters/0: parameter 'in' is 'body'; expected one of path, query, "
        "header, cookie"
    )
    assert "requestBody in OpenAPI 3" in text


def test_referenced_parameter_error_names_the_definition() -> None:
    document = _document(
        {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/Q"}], "responses": OK}}},
        components={"parameters": {"Q": {"name": "q", "in": "form"}}},
    )
    assert _error(document).startswith("#/components/parameters/Q: parameter 'in' is 'form'")


def test_undeclared_path_parameter() -> None:
    document = _document({"/orders/{orderId}": {"get": {"responses": OK}}})
    text = _error(document)
    assert text.startswith(
        "#/paths/~1orders~1{orderId}/get: path parameter 'orderId' appears in the template "
        "/orders/{orderId} but is not declared"
    )


def test_path_parameter_declared_on_the_path_item_is_enough() -> None:
    item = {
        "parameters": [{"name": "orderId", "in": "path", "required": True}],
        "get": {"responses": OK},
    }
    spec = load(_document({"/orders/{orderId}": item}))
    assert spec.operations[0].parameter("orderId") is not None


@pytest.mark.parametrize("code", ["20", "abc", "600", "2XXX", "99"])
def test_invalid_response_code(code: str) -> None:
    document = _document({"/a": {"get": {"responses": {code: {"description": "?"}}}}})
    assert _error(document).startswith(
        f"#/paths/~1a/get/responses/{code}: response code '{code}' is not an HTTP status "
        "(100-599), a range such as '4XX', or 'default'"
    )


@pytest.mark.parametrize("code", ["200", "2XX", "4xx", "default", "x-extension"])
def test_valid_response_codes(code: str) -> None:
    spec = load(_document({"/a": {"get": {"responses": {code: {"description": "?"}}}}}))
    assert spec.operations[0].responses.keys() <= {code}


def test_parameter_with_two_content_types() -> None:
    content = {"application/json": {}, "text/plain": {}}
    document = _document(
        {
            "/a": {
                "get": {
                    "parameters": [{"name": "q", "in": "query", "content": content}],
                    "responses": OK,
                }
            }
        }
    )
    assert _error(document).startswith(
        "#/paths/~1a/get/parameters/0/content: parameter 'content' has 2 media types"
    )


def test_parameters_not_a_list() -> None:
    document = _document({"/a": {"get": {"parameters": {"name": "q"}, "responses": OK}}})
    assert _error(document).startswith("#/paths/~1a/get/parameters: 'parameters' must be a list")


def test_paths_not_an_object() -> None:
    assert _error(_document([])).startswith("#/paths: 'paths' must be an object")  # type: ignore[arg-type]


def test_percent_encoded_ref_resolves() -> None:
    item = {
        "get": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": OK,
        }
    }
    document = _document(
        {"/a/{id}": item},
        components={"schemas": {"Id": {"$ref": "#/paths/~1a~1%7Bid%7D/get/parameters/0/schema"}}},
    )
    spec = load(document)
    assert spec.resolve(spec.raw["components"]["schemas"]["Id"]) == {"type": "integer"}
