"""Fluent assertions: each passes on a matching response and fails with a readable message."""

from __future__ import annotations

import re

import pytest

from assay.client import APITestClient
from assay.errors import AssayError, Finding


def test_chain_passes_on_a_matching_response(client: APITestClient) -> None:
    response = client.post("/notes", json={"title": "groceries"})
    response.expect.status(201).header("Location", re.compile(r"^/notes/\d+$")).json_path(
        "$.id", int
    ).json_path("$.title", "groceries").json_contains({"title": "groceries"}).content_type(
        "application/json"
    ).no_header("X-Powered-By").no_json_path("$.password")


def test_status_failure_message_shows_curl_response_and_expectation(client: APITestClient) -> None:
    response = client.post("/notes", json={"wrong": 1})
    with pytest.raises(Finding) as caught:
        response.expect.status(201)
    text = str(caught.value)
    assert text.startswith("[expectation] Expected status 201, got 422.")
    assert "curl -X POST http://testserver/notes" in text
    assert "--data-binary '{\"wrong\":1}'" in text
    assert "Response: 422 Unprocessable" in text
    assert '"missing"' in text  # the response body is shown
    assert isinstance(caught.value, AssertionError)


def test_status_ranges(client: APITestClient) -> None:
    client.get("/notes/1").expect.status("2XX")
    with pytest.raises(Finding, match="Expected status 2XX or 201, got 404"):
        client.get("/notes/99").expect.status("2XX", 201)


def test_header_failures(client: APITestClient) -> None:
    response = client.get("/notes/1")
    with pytest.raises(Finding, match=r"Expected header 'ETag', it is missing\."):
        response.expect.header("ETag")
    with pytest.raises(Finding, match=r"Expected header 'content-type' to be 'text/html'"):
        response.expect.header("content-type", "text/html")
    with pytest.raises(Finding, match="Expected no header 'content-type'"):
        response.expect.no_header("content-type")


def test_json_path_failures(client: APITestClient) -> None:
    response = client.get("/notes/1")
    with pytest.raises(Finding, match=r"Expected a value at \$\.owner, there is none\."):
        response.expect.json_path("$.owner")
    with pytest.raises(Finding, match=r"Expected \$\.id to be a value of type str, got 1\."):
        response.expect.json_path("$.id", str)
    with pytest.raises(Finding, match=r"Expected \$\.title to be 'other', got 'first'\."):
        response.expect.json_path("$.title", "other")
    with pytest.raises(Finding, match=r"Expected \$\.id to be a value accepted by <lambda>"):
        response.expect.json_path("$.id", lambda v: v > 5)


def test_json_path_star_checks_every_match(client: APITestClient) -> None:
    response = client.get("/search", params={"tags": ["a", "b"]})
    response.expect.json_path("$.tags[*]", str)
    with pytest.raises(Finding, match=r"Expected \$\.tags\[\*\] to be 'a', got 'b'"):
        response.expect.json_path("$.tags[*]", "a")


def test_booleans_are_not_integers(client: APITestClient) -> None:
    response = client.post("/login")
    response.expect.json_path("$.ok", bool)
    with pytest.raises(Finding, match="type int, got True"):
        response.expect.json_path("$.ok", int)


def test_non_json_body(client: APITestClient) -> None:
    response = client.get("/docs")
    with pytest.raises(Finding, match="Expected a JSON body, the body is not JSON"):
        response.expect.json_path("$.id")


def test_bad_json_path_is_misuse(client: APITestClient) -> None:
    with pytest.raises(AssayError, match="must start with"):
        client.get("/notes/1").expect.json_path("id")


def test_problem_details(client: APITestClient) -> None:
    with pytest.raises(Finding, match="Expected content type 'application/problem\\+json'"):
        client.get("/notes/99").expect.problem(404)


def test_matches_schema_needs_a_spec(client: APITestClient) -> None:
    with pytest.raises(AssayError, match="needs a spec"):
        client.get("/notes/1").expect.matches_schema()


def test_elapsed_below(client: APITestClient) -> None:
    response = client.get("/notes/1")
    response.expect.elapsed_below(10_000)
    with pytest.raises(Finding, match="Expected an answer within 0 ms"):
        response.expect.elapsed_below(0)
