"""OpenAPI schemas become JSON Schema 2020-12, at the same pointers."""

from __future__ import annotations

from typing import Any

import pytest

from assay.spec.conversion import NULLABLE_MARK, ONE_OF_MARK, SchemaConverter, quote_pointer
from assay.spec.formats import RANGE_KEYWORD


def _convert(
    schema: Any, *, openapi30: bool = True, direction: Any = "response", raw: Any = None
) -> Any:
    converter = SchemaConverter(raw or {}, openapi30=openapi30, direction=direction)
    return converter.convert(schema)


@pytest.mark.parametrize(
    ("schema", "converted"),
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        (
            {"type": "string", "enum": ["a"], "nullable": True},
            {"type": ["string", "null"], "enum": ["a", None]},
        ),
        ({"type": "string", "nullable": False}, {"type": "string"}),
        ({"nullable": True}, {}),
        (
            {"$ref": "#/components/schemas/A", "nullable": True},
            {"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/A"}], NULLABLE_MARK: True},
        ),
        (
            {"type": "number", "minimum": 1, "exclusiveMinimum": True},
            {"type": "number", "exclusiveMinimum": 1},
        ),
        (
            {"type": "number", "maximum": 1, "exclusiveMaximum": False},
            {"type": "number", "maximum": 1},
        ),
        (
            {"type": "integer", "format": "int32"},
            {"type": "integer", "format": "int32", RANGE_KEYWORD: "int32"},
        ),
        ({"type": "string", "example": "x"}, {"type": "string"}),
        (
            {"$ref": "#/components/schemas/A", "description": "dropped in 3.0"},
            {"$ref": "#/components/schemas/A"},
        ),
        ({"items": {"type": "string", "nullable": True}}, {"items": {"type": ["string", "null"]}}),
    ],
)
def test_openapi_30_keywords(schema: Any, converted: Any) -> None:
    assert _convert(schema) == converted


def test_31_ref_siblings_are_kept() -> None:
    schema = {"$ref": "#/components/schemas/A", "description": "kept"}
    assert _convert(schema, openapi30=False) == schema


def test_refs_are_quoted_as_uri_fragments() -> None:
    assert _convert({"$ref": "#/paths/~1a~1{id}/get"}) == {"$ref": "#/paths/~1a~1%7Bid%7D/get"}
    assert quote_pointer("#/paths/~1a~1%7Bid%7D") == "#/paths/~1a~1%7Bid%7D"


def test_discriminated_one_of_becomes_marked_any_of() -> None:
    schema = {"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "kind"}}
    converted = _convert(schema)
    assert converted["anyOf"] == [{"type": "object"}]
    assert converted[ONE_OF_MARK] is True
    assert "oneOf" not in converted


@pytest.mark.parametrize(
    ("direction", "required"), [("request", ["name", "secret"]), ("response", ["id", "name"])]
)
def test_read_only_and_write_only_relax_required(direction: Any, required: list[str]) -> None:
    raw = {"components": {"schemas": {"Id": {"type": "integer", "readOnly": True}}}}
    schema = {
        "type": "object",
        "required": ["id", "name", "secret"],
        "properties": {
            "id": {"$ref": "#/components/schemas/Id"},
            "name": {"type": "string"},
            "secret": {"allOf": [{"writeOnly": True}]},
        },
    }
    assert _convert(schema, raw=raw, direction=direction)["required"] == required


def test_convert_all_places_schemas_at_their_pointers() -> None:
    raw = {
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "default": {
                            "content": {"application/json": {"schema": {"$ref": "#/x-defs/A"}}}
                        }
                    }
                }
            }
        },
        "x-defs": {"A": {"type": "string", "nullable": True}},
        "components": {"schemas": {"B": {"type": "integer"}}},
    }
    document = SchemaConverter(raw, openapi30=True, direction="response").convert_all()
    schema = document["paths"]["/a"]["get"]["responses"]["default"]["content"]["application/json"][
        "schema"
    ]
    assert schema == {"$ref": "#/x-defs/A"}
    assert document["x-defs"]["A"] == {"type": ["string", "null"]}  # reached through the $ref
    assert document["components"]["schemas"]["B"] == {"type": "integer"}
