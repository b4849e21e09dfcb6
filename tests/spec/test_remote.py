"""Loading from a URL: a real server on 127.0.0.1, and each way fetching can fail."""

from __future__ import annotations

import time

import pytest

from assay.errors import AssayError
from assay.spec import from_url, load


def test_json_document(http_server: str) -> None:
    spec = load(f"{http_server}/openapi.json")
    assert spec.title == "Minimal"
    assert spec.source == f"{http_server}/openapi.json"


def test_yaml_document(http_server: str) -> None:
    assert load(f"{http_server}/petstore-30.yaml").title == "Petstore"


def test_relative_refs_are_read_from_the_same_server(http_server: str) -> None:
    spec = from_url(f"{http_server}/cross/openapi.yaml")
    order = spec.operation("createOrder")
    assert order.parameter("limit") is not None
    schemas = spec.raw["components"]["schemas"]
    assert {"Order_2", "Customer", "Line", "Node", "Problem"} <= set(schemas)


def test_missing_referenced_file_on_the_server(http_server: str) -> None:
    with pytest.raises(AssayError) as info:
        load(f"{http_server}/broken/missing-ref-file.yaml")
    text = str(info.value)
    assert text.startswith(
        "#/paths/~1a/get/responses/200/content/application~1json/schema: a $ref points to "
        f"{http_server}/broken/nowhere.yaml, which could not be loaded: GET "
        f"{http_server}/broken/nowhere.yaml answered 404 Not Found"
    )


def test_not_found(http_server: str) -> None:
    with pytest.raises(AssayError) as info:
        load(f"{http_server}/missing.json")
    text = str(info.value)
    assert (
        f"GET {http_server}/missing.json answered 404 Not Found; expected 200 with the "
        "OpenAPI document" in text
    )
    assert "/openapi.json" in text


def test_html_instead_of_a_document(http_server: str) -> None:
    with pytest.raises(AssayError) as info:
        load(f"{http_server}/page.html")
    text = str(info.value)
    assert f"GET {http_server}/page.html did not return an OpenAPI document" in text
    assert "(text/html, 45 bytes, starting '<!doctype html><html><body>docs</body></')" in text
    assert "is not a JSON or YAML object" in text


def test_json_that_is_not_an_object(http_server: str) -> None:
    with pytest.raises(AssayError, match="did not return an OpenAPI document"):
        load(f"{http_server}/list.json")


def test_connection_refused(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/openapi.json"
    with pytest.raises(AssayError) as info:
        load(url)
    text = str(info.value)
    assert f"could not load the spec from {url}: the connection was refused" in text
    assert "Start the server, check the host and port" in text


def test_dns_failure() -> None:
    url = "http://assay-no-such-host.invalid/openapi.json"
    with pytest.raises(AssayError) as info:
        load(url, timeout=5)
    text = str(info.value)
    assert (
        f"could not load the spec from {url}: the host name 'assay-no-such-host.invalid' "
        "could not be resolved" in text
    )


def test_slow_server_times_out(silent_port: int) -> None:
    url = f"http://127.0.0.1:{silent_port}/openapi.json"
    started = time.perf_counter()
    with pytest.raises(AssayError) as info:
        load(url, timeout=0.5)
    assert time.perf_counter() - started < 5
    text = str(info.value)
    assert (
        f"could not get an answer from {url} within 0.5 s (timeout) while loading the spec" in text
    )
    assert "pass a larger timeout=" in text


def test_invalid_url() -> None:
    with pytest.raises(AssayError, match=r"is not a valid URL|does not use http"):
        from_url("http://[::1")
