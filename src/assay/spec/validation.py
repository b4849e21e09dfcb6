"""Check requests and responses against the spec, cheaply enough for every exchange.

`SpecValidator` compiles each schema once (jsonschema-rs, cached per pointer and
direction), asks ``is_valid`` first and only computes errors for an invalid instance.
It is conservative: what it cannot decode with certainty it does not check, because a
false positive is a bug. Each problem is a `Violation` with a kind, a one-line message
that says what was expected, and the pointers into the spec and into the data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assay.spec.conversion import Direction
from assay.spec.decoding import ValueDecoder
from assay.spec.model import Header, MediaType, Operation, Parameter, RequestBody, Response, Spec
from assay.spec.schemas import SchemaSet

__all__ = ["SpecValidator", "Violation"]

_NO_BODY_STATUSES = frozenset({204, 304})


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a request or response breaks the spec.

    `kind` is one of ``status-undocumented``, ``content-type``, ``body-not-json``,
    ``body-schema``, ``header-missing``, ``header-schema`` (responses),
    ``parameter-missing``, ``parameter-schema``, ``request-body-missing``,
    ``request-content-type``, ``request-body-not-json``, ``request-body-schema``
    (requests) or ``schema`` (`SpecValidator.validate_instance`).
    """

    kind: str
    message: str
    schema_pointer: str
    data_pointer: str = ""


def _is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}


def _listing(content: Mapping[str, MediaType]) -> str:
    return ", ".join(content) or "no content"


class SpecValidator:
    """Validates exchanges against one `Spec`; create it once and reuse it."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._schemas = SchemaSet(spec.raw, openapi30=not spec.is_openapi_31)
        self._decoder = ValueDecoder(spec.raw)

    @property
    def skipped(self) -> Mapping[str, str]:
        """Schemas that could not be compiled (pointer → reason); they are not checked."""
        return self._schemas.skipped

    def validate_instance(
        self, schema_pointer: str, instance: object, *, direction: Direction = "response"
    ) -> list[Violation]:
        """How `instance` breaks the schema at `schema_pointer` (``#/components/schemas/X``)."""
        return [
            Violation("schema", e.message, e.schema_pointer, e.data_pointer)
            for e in self._schemas.errors(schema_pointer, instance, direction)
        ]

    def _candidates(
        self, kind: str, what: str, pointer: str, candidates: Sequence[Any], direction: Direction
    ) -> list[Violation]:
        """Violations when no candidate decoding of a value matches its schema."""
        if not candidates:
            return []
        if any(self._schemas.is_valid(pointer, c, direction) for c in candidates):
            return []
        return [
            Violation(kind, f"{what}: {e.message}", e.schema_pointer, e.data_pointer)
            for e in self._schemas.errors(pointer, candidates[0], direction)
        ]

    def _json_body(
        self, media: MediaType, body: bytes, prefix: str, what: str, direction: Direction
    ) -> list[Violation]:
        try:
            instance = json.loads(body)
        except ValueError as exc:
            return [
                Violation(
                    f"{prefix}body-not-json",
                    f"{what} is not valid JSON ({exc}); the spec documents {media.media_type}",
                    media.schema_pointer,
                )
            ]
        return [
            Violation(f"{prefix}body-schema", e.message, e.schema_pointer, e.data_pointer)
            for e in self._schemas.errors(media.schema_pointer, instance, direction)
        ]

    # Responses ---------------------------------------------------------------------------

    def validate_response(
        self, operation: Operation, status: int, headers: Mapping[str, str], body: bytes
    ) -> list[Violation]:
        """Everything in a response that the spec does not document."""
        response = operation.response_for(status)
        if response is None:
            if not operation.responses:
                return []
            documented = ", ".join(operation.responses)
            return [
                Violation(
                    "status-undocumented",
                    f"status {status} is not documented for {operation.label}; the spec "
                    f"documents {documented}",
                    f"{operation.pointer}/responses",
                )
            ]
        lowered = _lower(headers)
        violations = self._response_headers(response, status, lowered)
        violations.extend(self._response_body(response, status, lowered, body))
        return violations

    def _response_body(
        self, response: Response, status: int, headers: Mapping[str, str], body: bytes
    ) -> list[Violation]:
        if not body or not response.content or status in _NO_BODY_STATUSES:
            return []
        where = f"{response.pointer}/content"
        content_type = headers.get("content-type")
        if not content_type:
            return [
                Violation(
                    "content-type",
                    f"the {status} response has a body but no Content-Type header; expected "
                    f"{_listing(response.content)}",
                    where,
                )
            ]
        media = response.media(content_type)
        if media is None:
            return [
                Violation(
                    "content-type",
                    f"Content-Type {content_type!r} is not documented for status {status}; "
                    f"expected {_listing(response.content)}",
                    where,
                )
            ]
        if not media.schema or not _is_json(content_type):
            return []
        return self._json_body(media, body, "", f"the {status} response body", "response")

    def _response_headers(
        self, response: Response, status: int, headers: Mapping[str, str]
    ) -> list[Violation]:
        violations: list[Violation] = []
        for name, header in response.headers.items():
            low = name.lower()
            if low == "content-type":
                continue  # OpenAPI: a Content-Type header definition is ignored
            value = headers.get(low)
            if value is None:
                streamed = low == "content-length" and "transfer-encoding" in headers
                if header.required and not streamed:
                    violations.append(
                        Violation(
                            "header-missing",
                            f"required header {name!r} is missing from the {status} response",
                            header.pointer,
                        )
                    )
                continue
            if header.schema:
                violations.extend(self._header_value(header, value))
        return violations

    def _header_value(self, header: Header, value: str) -> list[Violation]:
        as_parameter = Parameter(
            name=header.name,
            location="header",
            required=header.required,
            schema=header.schema,
            style="simple",
            explode=False,
            pointer=header.pointer,
            content_type=header.content_type,
        )
        candidates = self._decoder.parameter(as_parameter, value)
        what = f"header {header.name!r}"
        return self._candidates(
            "header-schema", what, header.schema_pointer, candidates, "response"
        )

    # Requests ----------------------------------------------------------------------------

    def validate_request(
        self,
        operation: Operation,
        *,
        path: Mapping[str, str],
        query: Mapping[str, str | list[str]],
        headers: Mapping[str, str],
        cookies: Mapping[str, str],
        body: bytes | None,
        content_type: str | None,
    ) -> list[Violation]:
        """Everything in a request that the spec does not accept."""
        lowered = _lower(headers)
        violations: list[Violation] = []
        for param in operation.parameters:
            violations.extend(self._parameter(param, path, query, lowered, cookies))
        if operation.request_body is not None:
            violations.extend(
                self._request_body(operation, operation.request_body, body, content_type)
            )
        return violations

    def _parameter(
        self,
        param: Parameter,
        path: Mapping[str, str],
        query: Mapping[str, str | list[str]],
        headers: Mapping[str, str],
        cookies: Mapping[str, str],
    ) -> list[Violation]:
        value: Any = None
        if param.location == "query" and self._is_spread_object(param):
            value = self._decoder.query_object(param, query)
            candidates = [value]
        else:
            value = _lookup(param, path, query, headers, cookies)
            if value is None or not param.schema or (value == "" and param.allow_empty_value):
                candidates = []
            else:
                candidates = self._decoder.parameter(param, value)
        what = f"{param.location} parameter {param.name!r}"
        if value is None:
            if not param.required:
                return []
            return [Violation("parameter-missing", f"required {what} is missing", param.pointer)]
        return self._candidates(
            "parameter-schema", what, param.schema_pointer, candidates, "request"
        )

    def _is_spread_object(self, param: Parameter) -> bool:
        if param.content_type is not None or not param.schema:
            return False
        types = self._decoder.types(param.schema)
        spread = param.style == "deepObject" or (param.style == "form" and param.explode)
        return spread and "object" in types and "array" not in types

    def _request_body(
        self,
        operation: Operation,
        request_body: RequestBody,
        body: bytes | None,
        content_type: str | None,
    ) -> list[Violation]:
        if not body:
            if not request_body.required:
                return []
            return [
                Violation(
                    "request-body-missing",
                    f"{operation.label} requires a request body ({_listing(request_body.content)})",
                    request_body.pointer,
                )
            ]
        media = _request_media(request_body, content_type)
        if media is None:
            if content_type is None:
                return []
            return [
                Violation(
                    "request-content-type",
                    f"Content-Type {content_type!r} is not accepted by {operation.label}; "
                    f"expected {_listing(request_body.content)}",
                    f"{request_body.pointer}/content",
                )
            ]
        return self._request_content(media, body, content_type or media.media_type)

    def _request_content(self, media: MediaType, body: bytes, actual: str) -> list[Violation]:
        """Check a request body of a declared media type against its schema."""
        if not media.schema:
            return []
        if _is_json(actual):
            return self._json_body(media, body, "request-", "the request body", "request")
        if actual.split(";", 1)[0].strip().lower() == "application/x-www-form-urlencoded":
            form = self._decoder.form(body, media.schema, media.encoding)
            candidates = [] if form is None else [form]
            return self._candidates(
                "request-body-schema", "form field", media.schema_pointer, candidates, "request"
            )
        return []


def _request_media(request_body: RequestBody, content_type: str | None) -> MediaType | None:
    if content_type is not None:
        return request_body.media(content_type)
    if len(request_body.content) == 1:
        return next(iter(request_body.content.values()))
    return None


def _lookup(
    param: Parameter,
    path: Mapping[str, str],
    query: Mapping[str, str | list[str]],
    headers: Mapping[str, str],
    cookies: Mapping[str, str],
) -> str | list[str] | None:
    if param.location == "path":
        return path.get(param.name)
    if param.location == "query":
        return query.get(param.name)
    if param.location == "header":
        return headers.get(param.name.lower())
    return cookies.get(param.name)
