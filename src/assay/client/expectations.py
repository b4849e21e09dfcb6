"""Fluent assertions on a response: ``resp.expect.status(201).header("Location")``.

Every failure raises a `Finding` (an `AssertionError`) whose message says what was
expected, what came back, the request as a `curl` line, the response (truncated) and,
when the client knows the spec, the spec pointer of the documented responses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from assay.client.conformance import conformance_finding, responses_pointer
from assay.client.curl import describe_response, to_curl
from assay.client.jsonpath import MISSING, JSONPath
from assay.errors import AssayError, Finding, Reproduction, Severity

if TYPE_CHECKING:
    from assay.client.messages import APITestResponse

__all__ = ["Expectations"]

_ANY = object()


def _status_matches(status: int, expected: int | str) -> bool:
    if isinstance(expected, int):
        return status == expected
    text = expected.upper()
    if len(text) == 3 and text.endswith("XX") and text[0].isdigit():
        return status // 100 == int(text[0])
    return str(status) == text


def _describe_expected(expected: Any) -> str:
    if isinstance(expected, type):
        return f"a value of type {expected.__name__}"
    if isinstance(expected, re.Pattern):
        return f"text matching /{expected.pattern}/"
    if callable(expected):
        return f"a value accepted by {getattr(expected, '__name__', repr(expected))}"
    return repr(expected)


def _value_matches(actual: Any, expected: Any) -> bool:
    if expected is _ANY:
        return True
    if isinstance(expected, type):
        # bool is an int in Python, not in JSON.
        if expected is int and isinstance(actual, bool):
            return False
        return isinstance(actual, expected)
    if isinstance(expected, re.Pattern):
        return isinstance(actual, str) and expected.search(actual) is not None
    if callable(expected):
        return bool(expected(actual))
    return bool(actual == expected)


def _contains(actual: Any, subset: Any) -> bool:
    if isinstance(subset, Mapping):
        return isinstance(actual, Mapping) and all(
            key in actual and _contains(actual[key], value) for key, value in subset.items()
        )
    if isinstance(subset, list):
        return isinstance(actual, list) and all(
            any(_contains(item, wanted) for item in actual) for wanted in subset
        )
    return bool(actual == subset)


class Expectations:
    """Chained checks on one response; each returns `self` so they compose."""

    def __init__(self, response: APITestResponse) -> None:
        self._response = response

    def _fail(self, title: str, explanation: str = "") -> Finding:
        response = self._response
        raw = response.raw
        curl = to_curl(raw.request)
        parts = [title]
        if explanation:
            parts.append(explanation)
        parts.append(f"Request:\n    {curl}")
        parts.append(f"Response: {describe_response(raw, elapsed_ms=response.elapsed_ms)}")
        operation = response.operation
        if operation is not None:
            parts.append(f"Spec: {responses_pointer(operation)}")
        return Finding(
            title,
            check="expectation",
            severity=Severity.MEDIUM,
            operation=operation.label if operation else None,
            detail="\n\n".join(parts[1:]),
            evidence={"status": raw.status_code},
            reproduction=Reproduction(curl=curl),
        )

    def status(self, *expected: int | str) -> Expectations:
        """The status is one of `expected` (codes like 201, or ranges like ``"2XX"``)."""
        if not expected:
            raise AssayError("status() needs at least one expected status, e.g. status(200)")
        actual = self._response.status_code
        if not any(_status_matches(actual, e) for e in expected):
            wanted = " or ".join(str(e) for e in expected)
            raise self._fail(f"Expected status {wanted}, got {actual}.")
        return self

    def header(self, name: str, expected: Any = _ANY) -> Expectations:
        """The header is present; with `expected`: equal, matching a regex, or accepted."""
        value = self._response.headers.get(name)
        if value is None:
            present = ", ".join(sorted(self._response.headers.keys())) or "none"
            raise self._fail(f"Expected header {name!r}, it is missing.", f"Headers: {present}")
        if not _value_matches(value, expected):
            raise self._fail(
                f"Expected header {name!r} to be {_describe_expected(expected)}, got {value!r}."
            )
        return self

    def no_header(self, name: str) -> Expectations:
        """The header is absent (e.g. ``Server`` or ``X-Powered-By`` leaks)."""
        value = self._response.headers.get(name)
        if value is not None:
            raise self._fail(f"Expected no header {name!r}, got {value!r}.")
        return self

    def content_type(self, expected: str) -> Expectations:
        """The media type (parameters such as charset ignored) is `expected`."""
        actual = self._response.headers.get("content-type", "")
        if actual.split(";", 1)[0].strip().lower() != expected.lower():
            raise self._fail(f"Expected content type {expected!r}, got {actual or 'none'!r}.")
        return self

    def _document(self) -> Any:
        try:
            return json.loads(self._response.content)
        except ValueError:
            raise self._fail("Expected a JSON body, the body is not JSON.") from None

    def json_path(self, path: str, expected: Any = _ANY) -> Expectations:
        """The value at `path` exists; with `expected`: equal, of a type, matching, accepted.

        A path with ``[*]`` checks every match (and needs at least one).
        """
        compiled = JSONPath(path)
        found = compiled.find(self._document())
        if not found:
            raise self._fail(f"Expected a value at {path}, there is none.")
        for value in found if compiled.is_multi else found[:1]:
            if not _value_matches(value, expected):
                raise self._fail(
                    f"Expected {path} to be {_describe_expected(expected)}, got {value!r}."
                )
        return self

    def no_json_path(self, path: str) -> Expectations:
        """Nothing is at `path` (a field that must not leak)."""
        value = JSONPath(path).one(self._document())
        if value is not MISSING:
            raise self._fail(f"Expected nothing at {path}, got {value!r}.")
        return self

    def json(self, expected: Any) -> Expectations:
        """The whole JSON body equals `expected`."""
        document = self._document()
        if document != expected:
            raise self._fail("The JSON body is not the expected one.", f"Expected: {expected!r}")
        return self

    def json_contains(self, subset: Any) -> Expectations:
        """Every key/value of `subset` is in the body (recursively; list items anywhere)."""
        if not _contains(self._document(), subset):
            raise self._fail(
                "The JSON body does not contain the expected part.", f"Part: {subset!r}"
            )
        return self

    def body_contains(self, text: str) -> Expectations:
        if text not in self._response.text:
            raise self._fail(f"Expected the body to contain {text!r}.")
        return self

    def elapsed_below(self, milliseconds: float) -> Expectations:
        """The exchange took less than `milliseconds` (in-process: the app's own time)."""
        elapsed = self._response.elapsed_ms
        if elapsed >= milliseconds:
            raise self._fail(
                f"Expected an answer within {milliseconds} ms, it took {elapsed:.1f} ms."
            )
        return self

    def matches(self, predicate: Callable[[APITestResponse], bool], what: str) -> Expectations:
        """A custom condition; `what` describes it for the failure message."""
        if not predicate(self._response):
            raise self._fail(f"Expected {what}.")
        return self

    def matches_schema(self) -> Expectations:
        """The response is one the spec documents: status, content type, body and headers."""
        binding = self._response.binding
        operation = self._response.operation
        if binding is None:
            raise AssayError(
                "matches_schema() needs a spec: create the client with spec=… or with an app "
                "that serves its OpenAPI document"
            )
        if operation is None:
            raise self._fail(
                f"The spec documents no operation for {self._response.raw.request.method} "
                f"{self._response.raw.request.url.path}."
            )
        violations = binding.check(operation, self._response.raw)
        if violations:
            raise conformance_finding(operation, self._response.raw, violations)
        return self

    def problem(self, status: int | None = None, **fields: Any) -> Expectations:
        """An RFC 9457 problem document (``application/problem+json``) with these fields."""
        self.content_type("application/problem+json")
        if status is not None:
            self.status(status).json_path("$.status", status)
        for key, value in fields.items():
            self.json_path(f"$['{key}']", value)
        return self

    def each(self, checks: Iterable[Callable[[Expectations], Expectations]]) -> Expectations:
        for check in checks:
            check(self)
        return self
