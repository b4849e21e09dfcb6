"""Turn a bundled OpenAPI document (every ``$ref`` local) into the typed `Spec` model.

`check_document` rejects what is not an OpenAPI 3.0/3.1 document; `build_spec` walks the
paths (and 3.1 webhooks), following references to parameters, request bodies, responses,
headers, links, examples, security schemes and path items, and names the pointer of any
structural mistake it meets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from assay.errors import AssayError
from assay.spec.bodies import build_request_body, build_responses
from assay.spec.model import (
    HTTP_METHODS,
    Operation,
    SecurityRequirement,
    SecurityScheme,
    Spec,
    Tag,
    escape_pointer_token,
)
from assay.spec.parameters import build_parameters, check_template
from assay.spec.references import check_local_refs, follow
from assay.spec.security import build_requirements, build_security_schemes, build_servers

__all__ = ["build_spec", "check_document"]

_VERSION = re.compile(r"^3\.[01](\.\d+)?(-[\w.]+)?$")
_SWAGGER = (
    "Swagger 2.0 is not supported; convert the document to OpenAPI 3 (for example with "
    "swagger2openapi) and load the result"
)


def check_document(document: Any, origin: str) -> str:
    """The document's OpenAPI version, or an `AssayError` saying why it is not one we read."""
    if not isinstance(document, dict):
        raise AssayError(
            f"{origin} is a {type(document).__name__}, not an OpenAPI document (an object "
            "with 'openapi', 'info' and 'paths')",
            hint="Point at the OpenAPI document itself.",
        )
    if "swagger" in document:
        raise AssayError(f"{origin}: {_SWAGGER}")
    if "openapi" not in document:
        raise AssayError(
            f"{origin} has no 'openapi' field, so it is not an OpenAPI 3 document",
            hint="Add openapi: 3.1.0 (or the 3.0.x version it follows) at the top.",
        )
    version = str(document["openapi"])
    if not _VERSION.match(version):
        raise AssayError(
            f"{origin} declares openapi {version!r}; assay reads OpenAPI 3.0.x and 3.1.x",
            hint="Set the version the document follows (3.0.3 or 3.1.0).",
        )
    _check_paths(document, version, origin)
    return version


def _check_paths(document: Mapping[str, Any], version: str, origin: str) -> None:
    paths = document.get("paths")
    if paths is None:
        if version.startswith("3.1") and ("webhooks" in document or "components" in document):
            return
        raise AssayError(
            f"{origin} has no 'paths'; an OpenAPI {version} document must have one",
            hint="Add paths: {} for an API without operations (OpenAPI 3.1 may instead have "
            "only webhooks or components).",
        )
    if not isinstance(paths, dict):
        raise AssayError("'paths' must be an object (a map of path templates)", pointer="#/paths")


@dataclass(frozen=True)
class _Context:
    raw: Mapping[str, Any]
    schemes: Mapping[str, SecurityScheme]
    security: tuple[SecurityRequirement, ...]


def _operation(
    ctx: _Context, path: str, item: Mapping[str, Any], item_pointer: str, method: str
) -> Operation:
    node = item[method]
    pointer = f"{item_pointer}/{method}"
    if not isinstance(node, dict):
        raise AssayError("an operation must be an object", pointer=pointer)
    parameters = build_parameters(ctx.raw, item, item_pointer, node, pointer)
    if item_pointer.startswith("#/paths/"):
        check_template(path, parameters, pointer)
    security = (
        build_requirements(node["security"], f"{pointer}/security", ctx.schemes)
        if "security" in node
        else ctx.security
    )
    tags = node.get("tags")
    return Operation(
        method=method,
        path=path,
        pointer=pointer,
        operation_id=node.get("operationId"),
        summary=node.get("summary"),
        description=node.get("description"),
        tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
        parameters=parameters,
        request_body=build_request_body(ctx.raw, node.get("requestBody"), f"{pointer}/requestBody"),
        responses=build_responses(ctx.raw, node.get("responses"), pointer),
        security=security,
        deprecated=bool(node.get("deprecated", False)),
        servers=build_servers(node.get("servers") or item.get("servers")),
        extensions={k: v for k, v in node.items() if k.startswith("x-")},
    )


def _operations(ctx: _Context, section: str) -> Iterator[Operation]:
    items = ctx.raw.get(section)
    if not isinstance(items, dict):
        return
    for path, value in items.items():
        if path.startswith("x-"):
            continue
        site = f"#/{section}/{escape_pointer_token(path)}"
        item, item_pointer = follow(ctx.raw, value, site)
        if not isinstance(item, dict):
            raise AssayError("a path item must be an object", pointer=item_pointer)
        for method in HTTP_METHODS:
            if method in item:
                yield _operation(ctx, path, item, item_pointer, method)


def _tags(raw: Mapping[str, Any]) -> tuple[Tag, ...]:
    tags = raw.get("tags")
    if not isinstance(tags, list):
        return ()
    return tuple(
        Tag(name=str(t["name"]), description=t.get("description"))
        for t in tags
        if isinstance(t, dict) and "name" in t
    )


def build_spec(raw: dict[str, Any], source: str) -> Spec:
    """The model of a bundled document that `check_document` accepted."""
    version = check_document(raw, source)
    check_local_refs(raw)
    schemes = build_security_schemes(raw)
    security = build_requirements(raw.get("security"), "#/security", schemes)
    ctx = _Context(raw, schemes, security)
    info: dict[str, Any] = raw["info"] if isinstance(raw.get("info"), dict) else {}
    dialect = raw.get("jsonSchemaDialect")
    return Spec(
        openapi=version,
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        operations=tuple(_operations(ctx, "paths")),
        servers=build_servers(raw.get("servers")),
        security_schemes=schemes,
        raw=raw,
        source=source,
        webhooks=tuple(_operations(ctx, "webhooks")),
        security=security,
        tags=_tags(raw),
        description=info.get("description"),
        json_schema_dialect=dialect if isinstance(dialect, str) else None,
        extensions={k: v for k, v in raw.items() if k.startswith("x-")},
    )
