"""The examples phase: every spec example, then realistic factory-made requests."""

from __future__ import annotations

from typing import Any

from assay.generation.examples import example_cases
from assay.generation.values import ValueFactory
from assay.spec import SpecValidator, from_dict

from .conftest import fixture_specs, request_violations


def _document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "examples", "version": "1"},
        "paths": {
            "/items/{item_id}": {
                "put": {
                    "operationId": "putItem",
                    "parameters": [
                        {
                            "name": "item_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                            "example": 7,
                        },
                        {
                            "name": "mode",
                            "in": "query",
                            "schema": {
                                "type": "string",
                                "enum": ["fast", "safe"],
                                "default": "safe",
                            },
                            "examples": {"quick": {"value": "fast"}, "careful": {"value": "safe"}},
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "maximum": 5},
                            "example": 50,
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Item"},
                                "examples": {
                                    "lamp": {"value": {"name": "Lamp", "price": 1999}},
                                    "desk": {"value": {"name": "Desk", "price": 25000}},
                                },
                            }
                        },
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            },
            "/tags": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Tag"}}
                        }
                    },
                    "responses": {"201": {"description": "created"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Item": {
                    "type": "object",
                    "required": ["name", "price"],
                    "properties": {
                        "name": {"type": "string"},
                        "price": {"type": "integer", "minimum": 0},
                    },
                },
                "Tag": {
                    "type": "object",
                    "required": ["label", "color"],
                    "properties": {
                        "label": {"type": "string", "examples": ["urgent"]},
                        "color": {
                            "type": "string",
                            "pattern": "^#[0-9a-f]{6}$",
                            "example": "not a colour",
                        },
                        "weight": {"type": "integer", "default": 3},
                    },
                },
            }
        },
    }


def test_every_example_gets_a_case_and_the_factory_adds_realistic_ones() -> None:
    spec = from_dict(_document())
    operation = spec.operation("putItem")
    cases = list(example_cases(operation, spec, ValueFactory(spec, 1)))
    first = cases[0]
    assert first.note is not None
    assert first.note.startswith("spec examples")
    assert first.path_parameters["item_id"] == 7
    assert first.query["mode"] == "fast"
    assert first.body == {"name": "Lamp", "price": 1999}
    assert first.edge  # limit=50 breaks its own maximum: sent, but only a 5xx counts
    bodies = [c.body for c in cases]
    assert {"name": "Desk", "price": 25000} in bodies
    assert any(c.query.get("mode") == "safe" for c in cases)
    notes = [c.note for c in cases]
    assert "generated: required parameters" in notes
    assert "generated: every parameter" in notes
    assert all(c.phase == "examples" and c.kind == "positive" for c in cases)


def test_a_body_is_assembled_from_property_examples_while_it_stays_valid() -> None:
    spec = from_dict(_document())
    operation = spec.find("post", "/tags")
    assert operation is not None
    first = next(example_cases(operation, spec, ValueFactory(spec, 0)))
    assert first.body["label"] == "urgent"
    assert first.body["color"] != "not a colour"  # an invalid example is not swapped in
    assert first.body.get("weight", 3) == 3


def test_generated_cases_validate_and_are_deterministic() -> None:
    for spec in [*fixture_specs(), from_dict(_document())]:
        validator = SpecValidator(spec)
        for operation in spec:
            cases = list(example_cases(operation, spec, ValueFactory(spec, 4)))
            again = list(example_cases(operation, spec, ValueFactory(spec, 4)))
            assert [c.to_dict() for c in cases] == [c.to_dict() for c in again]
            assert len(cases) >= 1
            for case in cases:
                if not case.edge:
                    assert not request_violations(validator, case), case.note


def test_each_case_gets_its_own_idempotency_key() -> None:
    document = _document()
    operation = document["paths"]["/items/{item_id}"]["put"]
    operation["parameters"].append(
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": True,
            "schema": {"type": "string", "maxLength": 64},
        }
    )
    spec = from_dict(document)
    cases = list(example_cases(spec.operation("putItem"), spec, ValueFactory(spec, 1)))
    keys = [c.headers["Idempotency-Key"] for c in cases]
    assert len(set(keys)) == len(keys)  # a key used again with another body is refused
    assert keys == [
        c.headers["Idempotency-Key"]
        for c in example_cases(spec.operation("putItem"), spec, ValueFactory(spec, 1))
    ]
