"""Compare a whole request or response with a pact's expectation, part by part.

* method and status: equal;
* path: equal, or the ``path`` rule;
* query (requests): the same names with the same values (or their rules); no extra names;
* headers: every expected header is present (names ignore case) with an equal value (or
  its rule); other headers are allowed. ``Content-Type`` compares media types and their
  parameters, ignoring case and spaces;
* body: when the pact has one, the actual JSON body is compared under the ``body`` rules
  (extra keys are allowed in responses, not in requests); a non-JSON body must be equal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from assay.contract.pact.matching import Mismatch, compare_body, compare_strings
from assay.contract.pact.model import PactRequest, PactResponse

__all__ = ["Received", "compare_request", "compare_response", "is_json_type"]


@dataclass(frozen=True, slots=True)
class Received:
    """An actual HTTP message: request fields are empty for a response and vice versa."""

    method: str = ""
    path: str = ""
    query: Mapping[str, list[str]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    status: int = 0

    @classmethod
    def request(
        cls, method: str, path: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> Received:
        parsed = parse_qs(query, keep_blank_values=True)
        lowered = {k.lower(): v for k, v in headers.items()}
        return cls(method.upper(), path, parsed, lowered, body)

    def describe(self) -> str:
        if self.status:
            return f"{self.status} response"
        query = "&".join(f"{k}={v}" for k, values in self.query.items() for v in values)
        return f"{self.method} {self.path}{'?' + query if query else ''}"


def is_json_type(content_type: str | None) -> bool:
    base = (content_type or "").split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _media_type(value: str) -> tuple[str, dict[str, str]]:
    base, *parameters = (part.strip() for part in value.split(";"))
    pairs = (p.partition("=") for p in parameters if p)
    return base.lower(), {k.strip().lower(): v.strip().strip('"').lower() for k, _, v in pairs}


def _content_type(where: str, expected: str, actual: str) -> list[Mismatch]:
    """Same media type, and the expected parameters (``charset``…) with equal values;
    parameters the pact does not mention may be added."""
    want, want_parameters = _media_type(expected)
    have, have_parameters = _media_type(actual)
    same = want == have and all(have_parameters.get(k) == v for k, v in want_parameters.items())
    return [] if same else [Mismatch(where, f"expected {expected!r}, got {actual!r}")]


def _header_values(value: str) -> list[str]:
    return [part.strip() for part in value.split(",")]


def _headers(
    expected: Mapping[str, str], actual: Mapping[str, str], rules: Mapping[str, Any]
) -> list[Mismatch]:
    lowered = {k.lower(): v for k, v in actual.items()}
    header_rules = {k.lower(): v for k, v in (rules.get("header") or {}).items()}
    found: list[Mismatch] = []
    for name, value in expected.items():
        where = f"header {name}"
        have = lowered.get(name.lower())
        if have is None:
            found.append(Mismatch(where, f"missing (expected {value!r})"))
            continue
        rule = header_rules.get(name.lower())
        if rule is not None:
            found.extend(compare_strings(where, [value], [have], rule))
        elif name.lower() == "content-type":
            found.extend(_content_type(where, value, have))
        else:
            found.extend(compare_strings(where, _header_values(value), _header_values(have), None))
    return found


def _query(
    expected: Mapping[str, list[str]], actual: Mapping[str, list[str]], rules: Mapping[str, Any]
) -> list[Mismatch]:
    query_rules = rules.get("query") or {}
    found: list[Mismatch] = []
    for name, values in expected.items():
        where = f"query parameter {name}"
        if name not in actual:
            found.append(Mismatch(where, f"missing (expected {values!r})"))
            continue
        found.extend(compare_strings(where, values, actual[name], query_rules.get(name)))
    for name in actual.keys() - expected.keys():
        found.append(Mismatch(f"query parameter {name}", "not expected by the pact"))
    return found


def _body(
    expected: PactRequest | PactResponse,
    actual: bytes,
    content_type: str | None,
    *,
    allow_extra_keys: bool,
) -> list[Mismatch]:
    has_body, rules = expected.has_body, expected.matching_rules
    expected_body = expected.body
    if not has_body:
        return []
    body_rules = rules.get("body") or {}
    if isinstance(expected_body, dict | list) or is_json_type(content_type):
        try:
            parsed = json.loads(actual) if actual else None
        except ValueError:
            return [Mismatch("body", f"is not JSON: {actual[:80]!r}")]
        return compare_body(expected_body, parsed, body_rules, allow_extra_keys=allow_extra_keys)
    text = actual.decode("utf-8", errors="replace")
    if "$" in body_rules:
        return compare_strings("body", [str(expected_body)], [text], body_rules["$"])
    if text == str(expected_body or ""):
        return []
    return [Mismatch("body", f"expected {expected_body!r}, got {text!r}")]


def compare_request(expected: PactRequest, actual: Received) -> list[Mismatch]:
    """How an actual request differs from the pact's (empty when it matches)."""
    rules = expected.matching_rules
    found: list[Mismatch] = []
    if expected.method.upper() != actual.method.upper():
        found.append(Mismatch("method", f"expected {expected.method}, got {actual.method}"))
    found.extend(compare_strings("path", [expected.path], [actual.path], rules.get("path")))
    found.extend(_query(expected.query, actual.query, rules))
    found.extend(_headers(expected.headers, actual.headers, rules))
    content_type = actual.headers.get("content-type")
    found.extend(_body(expected, actual.body, content_type, allow_extra_keys=False))
    return found


def compare_response(expected: PactResponse, actual: Received) -> list[Mismatch]:
    """How an actual response differs from the pact's (empty when it matches)."""
    rules = expected.matching_rules
    found: list[Mismatch] = []
    if expected.status != actual.status:
        found.append(Mismatch("status", f"expected {expected.status}, got {actual.status}"))
    found.extend(_headers(expected.headers, actual.headers, rules))
    content_type = {k.lower(): v for k, v in actual.headers.items()}.get("content-type")
    found.extend(_body(expected, actual.body, content_type, allow_extra_keys=True))
    return found
