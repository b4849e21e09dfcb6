"""What is and is not a change: $ref moves, recursion, 3.0 vs 3.1, matching, direction."""

from __future__ import annotations

import copy
from typing import Any

from assay.contract.diff import Level
from assay.spec import from_dict

from .conftest import Diff, changes_between, document, fired

OK = {"description": "OK"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _crud(order: dict[str, Any], **components: Any) -> dict[str, Any]:
    """POST /orders taking `order`, GET /orders/{id} returning it."""
    paths = {
        "/orders": {
            "post": {
                "requestBody": {"required": True, **_json(order)},
                "responses": {"201": {**OK, **_json(order)}},
            }
        },
        "/orders/{id}": {
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {**OK, **_json(order)}, "404": OK},
            }
        },
    }
    return document(paths, components={"schemas": components}) if components else document(paths)


ORDER = {
    "type": "object",
    "required": ["sku", "qty"],
    "properties": {
        "sku": {"type": "string", "pattern": "^[A-Z]+$"},
        "qty": {"type": "integer", "minimum": 1, "maximum": 100},
        "note": {"type": "string", "maxLength": 200},
        "lines": {
            "type": "array",
            "items": {"type": "object", "properties": {"sku": {"type": "string"}}},
        },
    },
}


def test_identical_documents_have_no_changes() -> None:
    doc = _crud({"$ref": "#/components/schemas/Order"}, Order=ORDER)
    assert fired(doc, copy.deepcopy(doc)) == []
    spec = from_dict(doc)
    from assay.contract.diff import diff_specs

    assert diff_specs(spec, spec) == []


def test_inline_schema_moved_to_a_component_is_no_change() -> None:
    assert fired(_crud(ORDER), _crud({"$ref": "#/components/schemas/Order"}, Order=ORDER)) == []


def test_component_renamed_and_split_is_no_change() -> None:
    line = ORDER["properties"]["lines"]["items"]  # type: ignore[index]
    split = copy.deepcopy(ORDER)
    split["properties"]["lines"]["items"] = {"$ref": "#/components/schemas/Line"}
    old = _crud({"$ref": "#/components/schemas/Order"}, Order=ORDER)
    new = _crud({"$ref": "#/components/schemas/OrderV2"}, OrderV2=split, Line=line)
    assert fired(old, new) == []


def test_single_all_of_wrapper_is_no_change() -> None:
    old = _crud({"$ref": "#/components/schemas/Order"}, Order=ORDER)
    new = _crud(
        {"allOf": [{"$ref": "#/components/schemas/Order"}], "description": "x"}, Order=ORDER
    )
    assert fired(old, new) == []


def test_a_shared_component_change_is_reported_at_every_use(diff: Diff) -> None:
    changed = copy.deepcopy(ORDER)
    changed["properties"]["qty"]["maximum"] = 10
    old = _crud({"$ref": "#/components/schemas/Order"}, Order=ORDER)
    new = _crud({"$ref": "#/components/schemas/Order"}, Order=changed)
    found = {(c.operation, c.rule, c.level) for c in diff(old, new)}
    assert found == {
        ("POST /orders", "request-property-max-decreased", Level.ERR),
        ("POST /orders", "response-property-max-decreased", Level.INFO),
        ("GET /orders/{id}", "response-property-max-decreased", Level.INFO),
    }


def test_direction_decides_the_level(diff: Diff) -> None:
    widened = copy.deepcopy(ORDER)
    widened["properties"]["qty"]["maximum"] = 1000
    found = {(c.operation, c.rule, c.level) for c in diff(_crud(ORDER), _crud(widened))}
    assert ("POST /orders", "request-property-max-increased", Level.INFO) in found
    assert ("GET /orders/{id}", "response-property-max-increased", Level.ERR) in found


def test_pointers_name_the_property_on_both_sides(diff: Diff) -> None:
    changed = copy.deepcopy(ORDER)
    changed["properties"]["qty"]["maximum"] = 10
    first = diff(_crud(ORDER), _crud(changed))[0]
    where = "#/paths/~1orders/post/requestBody/content/application~1json/schema/properties/qty"
    assert (first.old_pointer, first.new_pointer) == (where, where)
    assert first.message == (
        "POST /orders request body (application/json) property 'qty': maximum decreased "
        "from 100 to 10"
    )


NODE = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        "parent": {"$ref": "#/components/schemas/Node"},
    },
}


def test_recursive_schemas_terminate_and_report_once(diff: Diff) -> None:
    old = _crud({"$ref": "#/components/schemas/Node"}, Node=NODE)
    assert fired(old, copy.deepcopy(old)) == []
    deeper = copy.deepcopy(NODE)
    deeper["required"] = ["name"]
    new = _crud({"$ref": "#/components/schemas/Node"}, Node=deeper)
    post = [c for c in diff(old, new) if c.operation == "POST /orders"]
    assert [c.rule for c in post] == [
        "request-property-became-required",
        "response-property-became-required",
    ]


PET = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
CAT = {
    "allOf": [
        {"$ref": "#/components/schemas/Pet"},
        {"type": "object", "properties": {"meows": {"type": "boolean"}}},
    ]
}
FLAT_CAT = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "meows": {"type": "boolean"}},
}


def test_inheritance_flattened_is_no_change() -> None:
    old = _crud({"$ref": "#/components/schemas/Cat"}, Pet=PET, Cat=CAT)
    assert fired(old, _crud({"$ref": "#/components/schemas/Cat"}, Cat=FLAT_CAT)) == []
    assert fired(_crud(FLAT_CAT), old) == []


def test_inheritance_flattened_with_a_change_reports_only_the_change() -> None:
    old = _crud({"$ref": "#/components/schemas/Cat"}, Pet=PET, Cat=CAT)
    flat = copy.deepcopy(FLAT_CAT)
    flat["required"] = ["name", "meows"]
    assert set(fired(old, _crud(flat))) == {
        "request-property-became-required",
        "response-property-became-required",
    }


def test_one_of_branches_behind_renamed_refs_are_no_change() -> None:
    union = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"},
        },
    }
    renamed = {
        "oneOf": [
            {"$ref": "#/components/schemas/Kitty"},
            {"$ref": "#/components/schemas/Dog"},
            {"type": "null"},
        ],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"cat": "#/components/schemas/Kitty", "dog": "#/components/schemas/Dog"},
        },
    }
    dog = {"type": "object", "properties": {"kind": {"type": "string"}}}
    old = _crud(union, Cat=FLAT_CAT, Dog=dog)
    new = _crud(renamed, Kitty=FLAT_CAT, Dog=dog)
    assert set(fired(old, new)) == {
        "request-body-one-of-branch-added",
        "response-body-one-of-branch-added",
    }


def test_a_component_used_twice_in_one_body_is_reported_at_both(diff: Diff) -> None:
    address = {"type": "object", "properties": {"zip": {"type": "string"}}}
    body = {
        "type": "object",
        "properties": {
            "billing": {"$ref": "#/components/schemas/Address"},
            "shipping": {"$ref": "#/components/schemas/Address"},
        },
    }
    tighter = {"type": "object", "properties": {"zip": {"type": "string", "maxLength": 5}}}
    old = _crud({"$ref": "#/components/schemas/Body"}, Body=body, Address=address)
    new = _crud({"$ref": "#/components/schemas/Body"}, Body=body, Address=tighter)
    post = [c for c in diff(old, new) if c.rule == "request-property-max-length-added"]
    assert [c.message.split("'")[1] for c in post] == ["billing.zip", "shipping.zip"]


def test_mutually_recursive_schemas_renamed_are_no_change() -> None:
    a = {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}}
    b = {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}}
    a2 = {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B2"}}}
    b2 = {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A2"}}}
    old = _crud({"$ref": "#/components/schemas/A"}, A=a, B=b)
    new = _crud({"$ref": "#/components/schemas/A2"}, A2=a2, B2=b2)
    assert fired(old, new) == []


def test_openapi_30_nullable_equals_31_type_list() -> None:
    old_schema = {
        "type": "object",
        "properties": {
            "note": {"type": "string", "nullable": True},
            "qty": {"type": "integer", "maximum": 10, "exclusiveMaximum": True},
        },
    }
    new_schema = {
        "type": "object",
        "properties": {
            "note": {"type": ["string", "null"]},
            "qty": {"type": "integer", "exclusiveMaximum": 10},
        },
    }
    old = {**_crud(old_schema), "openapi": "3.0.3"}
    assert fired(old, _crud(new_schema)) == ["openapi-version-changed"]


def test_fastapi_optional_any_of_null_equals_nullable() -> None:
    old = _crud({"type": "object", "properties": {"note": {"type": ["string", "null"]}}})
    new = _crud(
        {
            "type": "object",
            "properties": {
                "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Note"}
            },
        }
    )
    assert fired(old, new) == []


def test_path_parameter_names_do_not_split_an_operation(diff: Diff) -> None:
    new = _crud(ORDER)
    item = new["paths"].pop("/orders/{id}")
    item["get"]["parameters"][0]["name"] = "order_id"
    new["paths"]["/orders/{order_id}"] = item
    assert fired(_crud(ORDER), new) == ["path-parameter-renamed"]


def test_media_type_parameters_and_header_case_are_no_change() -> None:
    old = document(
        {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            **OK,
                            "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                            **_json({"type": "object"}),
                        }
                    }
                }
            }
        }
    )
    new = copy.deepcopy(old)
    response = new["paths"]["/a"]["get"]["responses"]["200"]
    response["headers"] = {"x-rate": response["headers"]["X-Rate"]}
    response["content"] = {
        "application/json; charset=utf-8": response["content"]["application/json"]
    }
    assert fired(old, new) == []


def test_global_security_applies_to_every_operation(diff: Diff) -> None:
    schemes = {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
    old = {**_crud(ORDER), "components": schemes}
    new = {**old, "security": [{"bearer": []}]}
    found = [(c.rule, c.operation) for c in diff(old, new)]
    assert found == [
        ("operation-security-added", "POST /orders"),
        ("operation-security-added", "GET /orders/{id}"),
    ]


def test_read_only_properties_are_not_part_of_requests() -> None:
    with_id = copy.deepcopy(ORDER)
    with_id["properties"]["id"] = {"type": "string", "readOnly": True}
    with_id["required"] = ["sku", "qty", "id"]
    # a new readOnly, required property: nothing for requests, a new field in responses
    rules = fired(_crud(ORDER), _crud(with_id))
    assert set(rules) == {"response-property-added"}


def test_sunset_header_counts_as_a_sunset() -> None:
    old = document({"/a": {"get": {"responses": {"200": OK}}}})
    new = document(
        {
            "/a": {
                "get": {
                    "deprecated": True,
                    "responses": {
                        "200": {**OK, "headers": {"Sunset": {"schema": {"type": "string"}}}}
                    },
                }
            }
        }
    )
    assert fired(old, new) == ["operation-deprecated", "response-header-added"]


def test_removed_after_the_sunset_is_only_a_warning() -> None:
    gone = document({"/b": {"get": {"responses": {"200": OK}}}})
    for sunset, rule in (
        ("2026-01-01", "deprecated-operation-removed"),
        ("2027-01-01", "operation-removed-before-sunset"),
    ):
        old = document(
            {
                "/a": {"get": {"deprecated": True, "x-sunset": sunset, "responses": {"200": OK}}},
                "/b": {"get": {"responses": {"200": OK}}},
            }
        )
        assert fired(old, gone) == [rule]


def test_changes_are_listed_in_document_order_with_operations(diff: Diff) -> None:
    changed = copy.deepcopy(ORDER)
    del changed["properties"]["note"]
    changes = changes_between(_crud(ORDER), _crud(changed))
    assert [c.operation for c in changes] == ["POST /orders", "POST /orders", "GET /orders/{id}"]
    assert [c.rule for c in changes] == [
        "request-property-removed",
        "response-optional-property-removed",
        "response-optional-property-removed",
    ]


ODD_SCHEMAS: list[Any] = [
    True,
    False,
    {},
    {"properties": []},
    {"required": "sku"},
    {"enum": 3},
    {"items": True},
    {"type": 5},
    {"oneOf": {}},
    {"discriminator": "kind"},
    {"additionalProperties": "yes"},
    {"maximum": "10", "minLength": 2.5},
    {"type": ["string", "integer", "null"], "format": 7},
    {"allOf": [True, {"required": ["x"]}]},
    {"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/Order"}]},
]


def test_odd_schemas_never_crash_the_walk() -> None:
    for old in ODD_SCHEMAS:
        for new in ODD_SCHEMAS:
            changes_between(
                _crud(old, Order=ORDER), _crud(new, Order=ORDER)
            )  # no exception is the assertion


def _hook(payload: dict[str, Any]) -> dict[str, Any]:
    op = {"requestBody": _json(payload), "responses": {"200": OK}}
    return document(webhooks={"shipped": {"post": op}})


def test_webhook_payloads_are_compared_as_data_subscribers_receive(diff: Diff) -> None:
    old = {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string"}, "status": {"type": "string", "enum": ["sent"]}},
    }
    new = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "status": {"type": "string", "enum": ["sent", "lost"]},
        },
    }
    found = [(c.rule, c.level, c.operation) for c in diff(_hook(old), _hook(new))]
    assert found == [
        ("response-property-became-optional", Level.ERR, "WEBHOOK shipped"),
        ("response-property-enum-value-added", Level.ERR, "WEBHOOK shipped"),
    ]
    assert fired(_hook(old), _hook(old)) == []


def test_accept_entries_match_operations_whatever_the_path_parameter_names() -> None:
    from assay.contract.diff import compare
    from assay.contract.diff.acceptance import parse_acceptances

    changed = copy.deepcopy(ORDER)
    changed["properties"]["qty"]["maximum"] = 1000
    entries = parse_acceptances(
        [
            {
                "rule": "response-property-max-increased",
                "operation": "get /orders/{order_id}",
                "reason": "intended",
            }
        ]
    )
    report = compare(from_dict(_crud(ORDER)), from_dict(_crud(changed)), accept=entries)
    assert [c.operation for c in report.accepted] == ["GET /orders/{id}"]
    assert report.unused == ()


def test_tuple_positions_and_pattern_properties_are_compared(diff: Diff) -> None:
    old = {
        "type": "object",
        "properties": {
            "point": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}]},
            "labels": {"type": "object", "patternProperties": {"^x-": {"type": "string"}}},
        },
    }
    new = copy.deepcopy(old)
    new["properties"]["point"]["prefixItems"][1] = {"type": "integer"}
    new["properties"]["labels"]["patternProperties"]["^x-"]["maxLength"] = 10
    post = [
        (c.rule, c.message.split(":")[0])
        for c in diff(_crud(old), _crud(new))
        if c.operation == "POST /orders" and c.rule.startswith("request")
    ]
    assert post == [
        (
            "request-property-type-narrowed",
            "POST /orders request body (application/json) property 'point[1]'",
        ),
        (
            "request-property-max-length-added",
            "POST /orders request body (application/json) property 'labels.<^x->'",
        ),
    ]
