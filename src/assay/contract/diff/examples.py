"""Whole documents from a rule's `Example` fragments (for the docs and the tests)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from assay.contract.diff.rules import Example

__all__ = ["example_documents", "place_schema"]


def _base() -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "Example", "version": "1.0.0"}, "paths": {}}


def _operation(fragment: Mapping[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": "createOrder", "responses": {"200": {"description": "OK"}}}
    op.update(copy.deepcopy(dict(fragment)))
    return {k: v for k, v in op.items() if v is not None}


def place_schema(place: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    """An operation whose schema at `place` (``request-property``, …) is `schema`."""
    value = copy.deepcopy(dict(schema))
    if place.endswith("-property"):
        value = {"type": "object", "properties": {"qty": value}}
    if place == "request-parameter":
        return _operation({"parameters": [{"name": "limit", "in": "query", "schema": value}]})
    if place.startswith("request"):
        body = {"content": {"application/json": {"schema": value}}}
        return _operation({"requestBody": body})
    response: dict[str, Any] = {"description": "OK"}
    if place == "response-header":
        response["headers"] = {"X-Rate": {"schema": value}}
    else:
        response["content"] = {"application/json": {"schema": value}}
    return _operation({"responses": {"200": response}})


def _document(example: Example, fragment: Mapping[str, Any]) -> dict[str, Any]:
    doc = _base()
    if example.scope == "document":
        doc.update(copy.deepcopy(dict(fragment)))
    elif example.scope == "operation":
        doc["paths"] = {"/orders": {"post": _operation(fragment)}}
    else:
        doc["paths"] = {"/orders": {"post": place_schema(example.place, fragment)}}
    return doc


def example_documents(example: Example) -> tuple[dict[str, Any], dict[str, Any]]:
    """The old and the new document of an example."""
    return _document(example, example.old), _document(example, example.new)
