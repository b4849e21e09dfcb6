"""SpecValidator: each violation kind fires when it should and stays silent when it should not."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from assay.spec import Operation, Spec, load
from assay.spec.validation import SpecValidator, Violation

ORDER_30: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Orders", "version": "1"},
    "paths": {
        "/orders": {
            "post": {
                "operationId": "createOrder",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Order"}},
                        "application/x-www-form-urlencoded": {
                            "schema": {"$ref": "#/components/schemas/Order"}
                        },
                    },
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "headers": {
                            "Location": {"required": True, "schema": {"type": "string"}},
                            "X-Rate-Limit": {"schema": {"type": "integer", "minimum": 0}},
                            "Content-Type": {"required": True, "schema": {"type": "string"}},
                            "Content-Length": {"required": True, "schema": {"type": "integer"}},
                        },
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Order"}}
                        },
                    },
                    "204": {
                        "description": "nothing",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "4XX": {
                        "description": "client error",
                        "content": {
                            "application/problem+json": {
                                "schema": {"$ref": "#/components/schemas/Problem"}
                            }
                        },
                    },
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Order": {
                "type": "object",
                "required": ["id", "item", "quantity", "secret"],
                "properties": {
                    "id": {"type": "integer", "format": "int64", "readOnly": True},
                    "item": {"type": "string", "minLength": 1},
                    "quantity": {"type": "integer", "format": "int32", "minimum": 1},
                    "offset": {"type": "integer", "format": "int32"},
                    "price": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                    "note": {"type": "string", "nullable": True},
                    "coupon": {
                        "nullable": True,
                        "allOf": [{"$ref": "#/components/schemas/Coupon"}],
                    },
                    "placed": {"type": "string", "format": "date-time"},
                    "secret": {"$ref": "#/components/schemas/Secret"},
                    "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
                    "kind": {"type": "string", "enum": ["a", "b"], "nullable": True},
                },
            },
            "Secret": {"type": "string", "writeOnly": True},
            "Coupon": {
                "type": "object",
                "required": ["code"],
                "properties": {"code": {"type": "string"}},
            },
            "Line": {"type": "object", "properties": {"price": {"type": "number"}}},
            "Problem": {
                "type": "object",
                "required": ["title"],
                "properties": {"title": {"type": "string"}},
            },
        }
    },
}

GOOD_ORDER = {"id": 1, "item": "pen", "quantity": 2}
RESPONSE_HEADERS = {
    "Location": "/orders/1",
    "Content-Type": "application/json",
    "Content-Length": "40",
}


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load(ORDER_30)


@pytest.fixture(scope="module")
def validator(spec: Spec) -> SpecValidator:
    return SpecValidator(spec)


@pytest.fixture(scope="module")
def create(spec: Spec) -> Operation:
    return spec.operation("createOrder")


def _response(
    validator: SpecValidator,
    op: Operation,
    body: Any,
    *,
    status: int = 201,
    headers: dict[str, str] | None = None,
) -> list[Violation]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return validator.validate_response(op, status, headers or RESPONSE_HEADERS, raw)


def _kinds(violations: list[Violation]) -> list[str]:
    return [v.kind for v in violations]


# Status and content type --------------------------------------------------------------


def test_conforming_response_has_no_violations(validator: SpecValidator, create: Operation) -> None:
    assert _response(validator, create, GOOD_ORDER) == []


def test_undocumented_status(validator: SpecValidator, create: Operation) -> None:
    violations = _response(validator, create, GOOD_ORDER, status=500)
    assert violations == [
        Violation(
            "status-undocumented",
            "status 500 is not documented for POST /orders; the spec documents 201, 204, 4XX",
            "#/paths/~1orders/post/responses",
        )
    ]


def test_status_range_and_default_are_documented(
    validator: SpecValidator, create: Operation
) -> None:
    headers = {"content-type": "application/problem+json"}
    assert _response(validator, create, {"title": "bad"}, status=409, headers=headers) == []


def test_operation_without_responses_accepts_any_status(validator: SpecValidator) -> None:
    spec = load(
        {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {}}}}
    )
    assert SpecValidator(spec).validate_response(spec.operations[0], 418, {}, b"x") == []


def test_undocumented_content_type(validator: SpecValidator, create: Operation) -> None:
    headers = {**RESPONSE_HEADERS, "Content-Type": "text/html"}
    violations = _response(validator, create, b"<html>", headers=headers)
    assert violations == [
        Violation(
            "content-type",
            "Content-Type 'text/html' is not documented for status 201; expected application/json",
            "#/paths/~1orders/post/responses/201/content",
        )
    ]


def test_missing_content_type_with_a_body(validator: SpecValidator, create: Operation) -> None:
    headers = {"Location": "/orders/1", "Content-Length": "3"}
    violations = _response(validator, create, GOOD_ORDER, headers=headers)
    assert _kinds(violations) == ["content-type"]
    assert "has a body but no Content-Type header" in violations[0].message


def test_content_type_parameters_are_ignored(validator: SpecValidator, create: Operation) -> None:
    headers = {**RESPONSE_HEADERS, "Content-Type": "application/json; charset=utf-8"}
    assert _response(validator, create, GOOD_ORDER, headers=headers) == []


@pytest.mark.parametrize("status", [204, 201])
def test_empty_bodies_are_not_checked(
    validator: SpecValidator, create: Operation, status: int
) -> None:
    headers = {"Location": "/x", "Content-Length": "0"}
    assert validator.validate_response(create, status, headers, b"") == []


# Body ---------------------------------------------------------------------------------


def test_body_not_json(validator: SpecValidator, create: Operation) -> None:
    violations = _response(validator, create, b"{oops")
    assert _kinds(violations) == ["body-not-json"]
    assert violations[0].message.startswith("the 201 response body is not valid JSON (")
    assert violations[0].schema_pointer == (
        "#/paths/~1orders/post/responses/201/content/application~1json/schema"
    )


def test_body_schema_with_pointers(validator: SpecValidator, create: Operation) -> None:
    body = {**GOOD_ORDER, "lines": [{"price": 1}, {"price": "free"}]}
    assert _response(validator, create, body) == [
        Violation(
            "body-schema",
            '"free" is not of type "number"',
            "#/components/schemas/Line/properties/price",
            "/lines/1/price",
        )
    ]


def test_required_property_missing(validator: SpecValidator, create: Operation) -> None:
    violations = _response(validator, create, {"id": 1, "quantity": 2})
    assert violations == [
        Violation("body-schema", '"item" is a required property', "#/components/schemas/Order", "")
    ]


def test_write_only_property_is_not_required_in_a_response(
    validator: SpecValidator, create: Operation
) -> None:
    assert "secret" not in GOOD_ORDER
    assert _response(validator, create, GOOD_ORDER) == []


def test_read_only_property_is_not_required_in_a_request(
    validator: SpecValidator, create: Operation
) -> None:
    body = json.dumps({"item": "pen", "quantity": 1, "secret": "s"}).encode()
    assert _request(validator, create, body=body) == []
    missing_secret = json.dumps({"item": "pen", "quantity": 1}).encode()
    assert _kinds(_request(validator, create, body=missing_secret)) == ["request-body-schema"]


def test_read_only_property_is_still_required_in_a_response(
    validator: SpecValidator, create: Operation
) -> None:
    violations = _response(validator, create, {"item": "pen", "quantity": 2})
    assert [v.message for v in violations] == ['"id" is a required property']


def test_nullable_30(validator: SpecValidator, create: Operation) -> None:
    body = {**GOOD_ORDER, "note": None, "coupon": None, "kind": None}
    assert _response(validator, create, body) == []


def test_nullable_30_still_checks_the_value(validator: SpecValidator, create: Operation) -> None:
    violations = _response(validator, create, {**GOOD_ORDER, "note": 5, "coupon": {}, "kind": "c"})
    assert sorted((v.data_pointer, v.schema_pointer) for v in violations) == [
        ("/coupon", "#/components/schemas/Coupon"),
        ("/kind", "#/components/schemas/Order/properties/kind"),
        ("/note", "#/components/schemas/Order/properties/note"),
    ]
    coupon = next(v for v in violations if v.data_pointer == "/coupon")
    assert coupon.message == '"code" is a required property'


def test_boolean_exclusive_minimum_30(validator: SpecValidator, create: Operation) -> None:
    assert _response(validator, create, {**GOOD_ORDER, "price": 0.5}) == []
    violations = _response(validator, create, {**GOOD_ORDER, "price": 0})
    assert [v.message for v in violations] == ["0 is less than or equal to the minimum of 0"]


@pytest.mark.parametrize(
    ("value", "ok"),
    [(2**31 - 1, True), (2**31, False), (-(2**31), True), (-(2**31) - 1, False)],
)
def test_int32_range(validator: SpecValidator, create: Operation, value: int, ok: bool) -> None:
    violations = _response(validator, create, {**GOOD_ORDER, "offset": value})
    assert (violations == []) is ok
    if not ok:
        assert "outside the int32 range" in violations[0].message


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2024-05-01T12:00:00Z", True),
        ("2024-05-01T12:00:00.123456+02:00", True),
        ("2024-05-01T12:00:00", True),  # a naive datetime, as FastAPI writes it
        ("yesterday", False),
        ("2024-13-01T00:00:00Z", False),
    ],
)
def test_date_time_format(
    validator: SpecValidator, create: Operation, value: str, ok: bool
) -> None:
    violations = _response(validator, create, {**GOOD_ORDER, "placed": value})
    assert (violations == []) is ok


# Headers ------------------------------------------------------------------------------


def test_missing_required_header(validator: SpecValidator, create: Operation) -> None:
    headers = {"Content-Type": "application/json", "Content-Length": "10"}
    violations = _response(validator, create, GOOD_ORDER, headers=headers)
    assert violations == [
        Violation(
            "header-missing",
            "required header 'Location' is missing from the 201 response",
            "#/paths/~1orders/post/responses/201/headers/Location",
        )
    ]


def test_header_names_are_case_insensitive(validator: SpecValidator, create: Operation) -> None:
    headers = httpx2.Headers(
        {"location": "/o/1", "content-type": "application/json", "CONTENT-LENGTH": "1"}
    )
    assert validator.validate_response(create, 201, headers, json.dumps(GOOD_ORDER).encode()) == []


def test_declared_content_length_is_not_missing_when_streamed(
    validator: SpecValidator, create: Operation
) -> None:
    headers = {
        "Location": "/o/1",
        "Content-Type": "application/json",
        "Transfer-Encoding": "chunked",
    }
    assert _response(validator, create, GOOD_ORDER, headers=headers) == []


def test_header_schema(validator: SpecValidator, create: Operation) -> None:
    headers = {**RESPONSE_HEADERS, "X-Rate-Limit": "-1"}
    assert _response(validator, create, GOOD_ORDER, headers=headers) == [
        Violation(
            "header-schema",
            "header 'X-Rate-Limit': -1 is less than the minimum of 0",
            "#/paths/~1orders/post/responses/201/headers/X-Rate-Limit/schema",
        )
    ]
    assert (
        _response(validator, create, GOOD_ORDER, headers={**RESPONSE_HEADERS, "X-Rate-Limit": "5"})
        == []
    )


# Requests -----------------------------------------------------------------------------


def _request(
    validator: SpecValidator,
    op: Operation,
    *,
    body: bytes | None = None,
    content_type: str | None = "application/json",
    path: dict[str, str] | None = None,
    query: dict[str, str | list[str]] | None = None,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
) -> list[Violation]:
    return validator.validate_request(
        op,
        path=path or {},
        query=query or {},
        headers=headers or {},
        cookies=cookies or {},
        body=body,
        content_type=content_type,
    )


def test_request_body_missing(validator: SpecValidator, create: Operation) -> None:
    assert _request(validator, create) == [
        Violation(
            "request-body-missing",
            "POST /orders requires a request body (application/json, "
            "application/x-www-form-urlencoded)",
            "#/paths/~1orders/post/requestBody",
        )
    ]


def test_request_content_type_not_accepted(validator: SpecValidator, create: Operation) -> None:
    violations = _request(validator, create, body=b"x", content_type="text/plain")
    assert _kinds(violations) == ["request-content-type"]
    assert violations[0].message.startswith(
        "Content-Type 'text/plain' is not accepted by POST /orders"
    )


def test_request_body_not_json(validator: SpecValidator, create: Operation) -> None:
    assert _kinds(_request(validator, create, body=b"{")) == ["request-body-not-json"]


def test_request_body_schema(validator: SpecValidator, create: Operation) -> None:
    body = json.dumps({"item": "", "quantity": 0, "secret": "s"}).encode()
    violations = _request(validator, create, body=body)
    assert sorted(v.data_pointer for v in violations) == ["/item", "/quantity"]
    assert {v.kind for v in violations} == {"request-body-schema"}


def test_form_body(validator: SpecValidator, create: Operation) -> None:
    form = "application/x-www-form-urlencoded"
    ok = _request(validator, create, body=b"item=pen&quantity=3&secret=s", content_type=form)
    assert ok == []
    bad = _request(validator, create, body=b"item=pen&quantity=many&secret=s", content_type=form)
    assert [(v.kind, v.data_pointer) for v in bad] == [("request-body-schema", "/quantity")]


def test_optional_request_body_may_be_absent() -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/notes": {
                "post": {
                    "requestBody": {
                        "content": {"application/json": {"schema": {"type": "object"}}}
                    },
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }
    spec = load(document)
    validator = SpecValidator(spec)
    op = spec.operations[0]
    assert _request(validator, op, body=None, content_type=None) == []
    # without a Content-Type, the only declared media type is assumed
    assert _kinds(_request(validator, op, body=b"[1]", content_type=None)) == [
        "request-body-schema"
    ]


def test_wildcard_response_media_type_validates_json(validator: SpecValidator) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"*/*": {"schema": {"type": "integer"}}},
                        }
                    }
                }
            }
        },
    }
    spec = load(document)
    check = SpecValidator(spec).validate_response
    op = spec.operations[0]
    assert check(op, 200, {"content-type": "application/json"}, b"1") == []
    assert _kinds(check(op, 200, {"content-type": "application/json"}, b'"one"')) == ["body-schema"]
    assert check(op, 200, {"content-type": "text/plain"}, b"one") == []  # not JSON: not parsed
