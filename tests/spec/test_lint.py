"""Each lint rule fires on a document that breaks it and stays silent on one that does not."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from assay.spec import Problem, lint, load

CLEAN: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Clean", "version": "1"},
    "paths": {
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "summary": "Get an item",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                        "example": 3,
                    },
                    {
                        "name": "tags",
                        "in": "query",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "integer"}},
                        "example": "1,2",
                    },
                ],
                "responses": {
                    "200": {
                        "description": "the item",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Item"},
                                "examples": {"one": {"value": {"id": 1, "name": "pen"}}},
                            },
                            "application/xml": {
                                "schema": {"$ref": "#/components/schemas/Item"},
                                "example": "<item><id>1</id></item>",
                            },
                        },
                    },
                    "default": {"description": "error"},
                },
            }
        },
        "/items": {
            "post": {
                "operationId": "createItem",
                "summary": "Create an item",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Item"},
                            "example": {"name": "pen"},
                        }
                    }
                },
                "responses": {"201": {"description": "created"}, "422": {"description": "invalid"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer", "readOnly": True, "example": 1},
                    "name": {"type": "string", "example": "pen"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                },
                "example": {"id": 1, "name": "pen"},
            },
            "Kind": {"type": "string", "enum": ["a", "b"], "nullable": True, "example": None},
        }
    },
}


def _lint(change: Callable[[dict[str, Any]], None] | None = None) -> list[Problem]:
    document = copy.deepcopy(CLEAN)
    if change is not None:
        change(document)
    return lint(load(document))


def _get(document: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"]["/items/{id}"]["get"]
    return operation


def test_clean_document_has_no_problems() -> None:
    assert _lint() == []


def test_operation_id_missing() -> None:
    problems = _lint(lambda d: _get(d).pop("operationId"))
    assert problems == [
        Problem(
            "operation-id-missing",
            "warning",
            "#/paths/~1items~1{id}/get",
            "GET /items/{id} has no operationId; add one so tests, links and reports can name it",
        )
    ]


def test_operation_id_duplicate() -> None:
    def change(document: dict[str, Any]) -> None:
        document["paths"]["/items"]["post"]["operationId"] = "getItem"

    [problem] = _lint(change)
    assert (problem.code, problem.level, problem.pointer) == (
        "operation-id-duplicate",
        "error",
        "#/paths/~1items/post",
    )
    assert problem.message.startswith(
        "operationId 'getItem' of POST /items is also used by GET /items/{id}"
    )


def test_summary_missing() -> None:
    [problem] = _lint(lambda d: _get(d).pop("summary"))
    assert (problem.code, problem.level) == ("summary-missing", "warning")


def test_no_success_response() -> None:
    [problem] = _lint(lambda d: _get(d)["responses"].pop("200"))
    assert (problem.code, problem.pointer) == (
        "no-success-response",
        "#/paths/~1items~1{id}/get/responses",
    )


def test_success_ranges_count() -> None:
    def change(document: dict[str, Any]) -> None:
        responses = _get(document)["responses"]
        responses["3XX"] = {"description": "redirect"}
        responses.pop("200")

    assert _lint(change) == []


def test_no_error_response() -> None:
    [problem] = _lint(lambda d: _get(d)["responses"].pop("default"))
    assert problem.code == "no-error-response"
    assert "document how it fails" in problem.message


def test_no_error_response_is_fine_without_input_or_credentials() -> None:
    def change(document: dict[str, Any]) -> None:
        operation = _get(document)
        operation["responses"].pop("default")
        operation["parameters"] = []
        document["paths"] = {"/healthz": {"get": operation}}

    assert "no-error-response" not in {p.code for p in _lint(change)}


def test_path_parameter_not_required() -> None:
    [problem] = _lint(lambda d: _get(d)["parameters"][0].pop("required"))
    assert problem == Problem(
        "path-parameter-optional",
        "error",
        "#/paths/~1items~1{id}/get/parameters/0",
        "path parameter 'id' of GET /items/{id} is not required; path parameters must say "
        "required: true",
    )


def test_path_parameter_not_in_template() -> None:
    def change(document: dict[str, Any]) -> None:
        _get(document)["parameters"].append(
            {"name": "other", "in": "path", "required": True, "schema": {"type": "string"}}
        )

    [problem] = _lint(change)
    assert (problem.code, problem.pointer) == (
        "path-parameter-unused",
        "#/paths/~1items~1{id}/get/parameters/2",
    )


@pytest.mark.parametrize(
    ("change", "pointer", "detail"),
    [
        (
            lambda d: _get(d)["parameters"][0].update(example="three"),
            "#/paths/~1items~1{id}/get/parameters/0/example",
            '"three" is not of type "integer"',
        ),
        (
            lambda d: _get(d)["parameters"][1].update(example="1,x"),
            "#/paths/~1items~1{id}/get/parameters/1/example",
            '"1,x" is not of type "array"',
        ),
        (
            lambda d: _get(d)["responses"]["200"]["content"]["application/json"]["examples"][
                "one"
            ].update(value={"name": "pen"}),
            "#/paths/~1items~1{id}/get/responses/200/content/application~1json/examples/one",
            '"id" is a required property',
        ),
        (
            lambda d: d["paths"]["/items"]["post"]["requestBody"]["content"][
                "application/json"
            ].update(example={"name": 5}),
            "#/paths/~1items/post/requestBody/content/application~1json/example",
            '5 is not of type "string" at /name',
        ),
        (
            lambda d: d["components"]["schemas"]["Item"]["properties"]["name"].update(example=5),
            "#/components/schemas/Item/properties/name/example",
            '5 is not of type "string"',
        ),
        (
            lambda d: d["components"]["schemas"]["Item"].update(example={"id": "x", "name": "a"}),
            "#/components/schemas/Item/example",
            '"x" is not of type "integer" at /id',
        ),
        (
            lambda d: d["components"]["schemas"]["Kind"].update(example="c"),
            "#/components/schemas/Kind/example",
            '"c" is not one of "a", "b" or null',
        ),
    ],
)
def test_example_invalid(
    change: Callable[[dict[str, Any]], None], pointer: str, detail: str
) -> None:
    [problem] = _lint(change)
    assert (problem.code, problem.level, problem.pointer) == ("example-invalid", "error", pointer)
    assert problem.message.startswith(f"the example does not match its schema: {detail}")


def test_31_schema_examples_list() -> None:
    def change(document: dict[str, Any]) -> None:
        document["openapi"] = "3.1.0"
        kind = document["components"]["schemas"]["Kind"]
        kind.pop("nullable")
        kind.pop("example")
        kind["type"] = ["string", "null"]
        kind["enum"] = ["a", "b", None]
        kind["examples"] = ["a", None, "z"]

    [problem] = _lint(change)
    assert problem.pointer == "#/components/schemas/Kind/examples/2"


def test_unused_schema() -> None:
    def change(document: dict[str, Any]) -> None:
        document["components"]["schemas"]["Orphan"] = {"type": "object"}
        document["components"]["schemas"]["OrphanChild"] = {"$ref": "#/components/schemas/Orphan"}

    problems = _lint(change)
    assert [(p.code, p.level, p.pointer) for p in problems] == [
        ("schema-unused", "warning", "#/components/schemas/Orphan"),
        ("schema-unused", "warning", "#/components/schemas/OrphanChild"),
    ]


def test_schema_used_only_through_a_discriminator_mapping_is_used() -> None:
    def change(document: dict[str, Any]) -> None:
        schemas = document["components"]["schemas"]
        schemas["Item"]["discriminator"] = {
            "propertyName": "name",
            "mapping": {"special": "#/components/schemas/Special"},
        }
        schemas["Special"] = {"type": "object"}

    assert _lint(change) == []


def test_problem_str() -> None:
    problem = Problem("summary-missing", "warning", "#/paths/~1a/get", "no summary")
    assert str(problem) == "warning: #/paths/~1a/get: no summary [summary-missing]"
