"""Helpers for the generation tests: small specs, and judging a built request."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

import pytest

from assay.client.operations import build_call
from assay.client.parameters import serialize_path
from assay.generation.cases import Case
from assay.spec import Spec, SpecValidator, Violation, from_dict, from_file

DOCUMENTS = Path(__file__).resolve().parents[1] / "spec" / "documents"


def document(
    schemas: Mapping[str, Any],
    paths: Mapping[str, Any] | None = None,
    *,
    version: str = "3.1.0",
) -> dict[str, Any]:
    """An OpenAPI document with `schemas` in components (and `paths`, default none)."""
    return {
        "openapi": version,
        "info": {"title": "generation tests", "version": "1"},
        "paths": dict(paths or {}),
        "components": {"schemas": dict(schemas)},
    }


def spec_of(schemas: Mapping[str, Any], paths: Any = None, *, version: str = "3.1.0") -> Spec:
    return from_dict(document(schemas, paths, version=version))


def fixture_specs() -> list[Spec]:
    """The spec test suite's fixture documents that have operations."""
    names = ["petstore-30.yaml", "petstore-31.json"]
    return [from_file(DOCUMENTS / name) for name in names]


def _query(pairs: list[tuple[str, Any]]) -> dict[str, str | list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        text = "true" if value is True else "false" if value is False else str(value)
        grouped.setdefault(name, []).append(text)
    return {k: v[0] if len(v) == 1 else v for k, v in grouped.items()}


def _body(case: Case) -> tuple[bytes | None, str | None]:
    arguments = case.body_arguments()
    if "json" in arguments:
        return json.dumps(arguments["json"]).encode(), "application/json"
    if "content" in arguments:
        return arguments["content"], arguments["headers"]["Content-Type"]
    if "data" in arguments:
        return urlencode(arguments["data"]).encode(), "application/x-www-form-urlencoded"
    return None, None


def request_violations(validator: SpecValidator, case: Case) -> list[Violation]:
    """How the request `case` describes breaks the spec (as the validator reads it)."""
    call = build_call(
        case.operation,
        path=case.path_parameters,
        query=case.query,
        headers=case.headers,
        cookies=case.cookies,
    )
    by_name = {p.name: p for p in case.operation.parameters if p.location == "path"}
    path = {
        name: unquote(serialize_path(by_name[name], value))
        for name, value in case.path_parameters.items()
    }
    body, content_type = _body(case)
    if "files" in case.body_arguments():  # the validator does not read multipart bodies
        body, content_type = b"multipart", case.media_type
    return validator.validate_request(
        case.operation,
        path=path,
        query=_query(call.query),
        headers=call.headers,
        cookies=call.cookies,
        body=body,
        content_type=content_type,
    )


@pytest.fixture
def petstore() -> Spec:
    return from_file(DOCUMENTS / "petstore-30.yaml")
