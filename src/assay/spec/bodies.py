"""Build request bodies and responses: media types, encodings, headers and links."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from assay.errors import AssayError
from assay.spec.model import Header, Link, MediaType, RequestBody, Response, escape_pointer_token
from assay.spec.parameters import as_schema, resolved_examples
from assay.spec.references import follow

__all__ = ["build_request_body", "build_responses"]

_STATUS_KEY = re.compile(r"^(?:[1-5][0-9][0-9]|[1-5][xX][xX]|default)$")


def _child(pointer: str, *tokens: str) -> str:
    return pointer + "".join("/" + escape_pointer_token(t) for t in tokens)


def _mapping(value: Any, pointer: str, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AssayError(f"{what} must be an object (a map)", pointer=pointer)
    return value


def build_content(
    raw: Mapping[str, Any], node: Mapping[str, Any], pointer: str
) -> dict[str, MediaType]:
    """The ``content`` map of a body, response, parameter or header."""
    content = _mapping(node.get("content"), _child(pointer, "content"), "'content'")
    media: dict[str, MediaType] = {}
    for media_type, value in content.items():
        where = _child(pointer, "content", media_type)
        entry = value if isinstance(value, dict) else {}
        media[media_type] = MediaType(
            media_type=media_type,
            schema=as_schema(entry.get("schema")),
            pointer=where,
            example=entry.get("example"),
            examples=resolved_examples(raw, entry, where),
            encoding=_encoding(raw, entry, where),
        )
    return media


def _encoding(raw: Mapping[str, Any], entry: Mapping[str, Any], pointer: str) -> dict[str, Any]:
    """Encoding objects with their headers' references followed."""
    encoding = _mapping(entry.get("encoding"), _child(pointer, "encoding"), "'encoding'")
    result: dict[str, Any] = {}
    for prop, value in encoding.items():
        spec = dict(value) if isinstance(value, dict) else {}
        headers = spec.get("headers")
        if isinstance(headers, dict):
            where = _child(pointer, "encoding", prop, "headers")
            spec["headers"] = {n: follow(raw, h, _child(where, n))[0] for n, h in headers.items()}
        result[prop] = spec
    return result


def build_request_body(raw: Mapping[str, Any], node: Any, site: str) -> RequestBody | None:
    """The operation's request body, or None when it declares none."""
    if node is None:
        return None
    node, pointer = follow(raw, node, site)
    if not isinstance(node, dict):
        raise AssayError("requestBody must be an object", pointer=pointer)
    return RequestBody(
        required=bool(node.get("required", False)),
        content=build_content(raw, node, pointer),
        pointer=pointer,
        description=node.get("description"),
    )


def _header(raw: Mapping[str, Any], name: str, node: Any, site: str) -> Header:
    node, pointer = follow(raw, node, site)
    if not isinstance(node, dict):
        raise AssayError(f"header {name!r} must be an object", pointer=pointer)
    schema = as_schema(node.get("schema"))
    content = node.get("content")
    content_type = None
    if schema is None and isinstance(content, dict) and len(content) == 1:
        content_type, entry = next(iter(content.items()))
        schema = as_schema(entry.get("schema")) if isinstance(entry, dict) else None
    return Header(
        name=name,
        required=bool(node.get("required", False)),
        schema=schema,
        pointer=pointer,
        description=node.get("description"),
        deprecated=bool(node.get("deprecated", False)),
        content_type=content_type,
    )


def _link(raw: Mapping[str, Any], name: str, node: Any, site: str) -> Link:
    node, pointer = follow(raw, node, site)
    if not isinstance(node, dict):
        raise AssayError(f"link {name!r} must be an object", pointer=pointer)
    parameters = node.get("parameters")
    return Link(
        name=name,
        pointer=pointer,
        operation_id=node.get("operationId"),
        operation_ref=node.get("operationRef"),
        parameters=parameters if isinstance(parameters, dict) else {},
        request_body=node.get("requestBody"),
        description=node.get("description"),
    )


def _response(raw: Mapping[str, Any], status: str, node: Any, site: str) -> Response:
    node, pointer = follow(raw, node, site)
    if not isinstance(node, dict):
        raise AssayError(f"response {status!r} must be an object", pointer=pointer)
    headers = _mapping(node.get("headers"), _child(pointer, "headers"), "'headers'")
    links = _mapping(node.get("links"), _child(pointer, "links"), "'links'")
    return Response(
        status=status,
        description=str(node.get("description") or ""),
        content=build_content(raw, node, pointer),
        headers={n: _header(raw, n, h, _child(pointer, "headers", n)) for n, h in headers.items()},
        links={n: _link(raw, n, v, _child(pointer, "links", n)) for n, v in links.items()},
        pointer=pointer,
    )


def build_responses(raw: Mapping[str, Any], node: Any, op_pointer: str) -> dict[str, Response]:
    """The documented responses of an operation, keyed by status code, range or default."""
    where = _child(op_pointer, "responses")
    responses = _mapping(node, where, "'responses'")
    built: dict[str, Response] = {}
    for status, response in responses.items():
        if status.startswith("x-"):
            continue
        site = _child(where, status)
        if not _STATUS_KEY.match(status):
            raise AssayError(
                f"response code {status!r} is not an HTTP status (100-599), a range such as "
                "'4XX', or 'default'",
                pointer=site,
                hint="Use the numeric status as a string key, e.g. '201'.",
            )
        built[status] = _response(raw, status, response, site)
    return built
