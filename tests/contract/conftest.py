"""Fixtures of the contract tests: the orders app's spec, traffic files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.contract.apps import make_app

from assay.spec import Spec, from_dict


@pytest.fixture(scope="session")
def orders_spec() -> Spec:
    return from_dict(make_app().openapi(), source="orders")


def har_entry(
    method: str,
    url: str,
    status: int,
    body: Any = None,
    *,
    request_body: Any = None,
    content_type: str = "application/json",
) -> dict[str, Any]:
    """One HAR 1.2 entry with JSON bodies."""
    request: dict[str, Any] = {"method": method, "url": url, "headers": [], "queryString": []}
    if request_body is not None:
        request["postData"] = {"mimeType": "application/json", "text": json.dumps(request_body)}
    text = "" if body is None else json.dumps(body)
    return {
        "request": request,
        "response": {
            "status": status,
            "headers": [{"name": "Content-Type", "value": content_type}] if text else [],
            "content": {"mimeType": content_type, "text": text},
        },
    }


def write_har(path: Path, entries: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}), "utf-8")
    return path
