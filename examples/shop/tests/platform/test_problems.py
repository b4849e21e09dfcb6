"""Every error is an RFC 9457 problem: 404, 405, 422 with pointers, 500 without leaks."""

from __future__ import annotations

from starlette.testclient import TestClient

from shop.platform.problems import (
    Conflict,
    NotFound,
    PreconditionFailed,
    Unprocessable,
    json_pointer,
    problem_responses,
)

PROBLEM = "application/problem+json"


def test_not_found_names_the_resource_and_id(client: TestClient) -> None:
    response = client.get("/v1/widgets/41")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["title"] == "Not found"
    assert body["status"] == 404
    assert "widget" in body["detail"]
    assert "41" in body["detail"]
    assert body["instance"] == "/v1/widgets/41"
    assert body["type"].endswith("/not-found")


def test_validation_errors_point_at_each_field(client: TestClient) -> None:
    response = client.post("/v1/widgets", json={"name": "", "tags": ["a", 1]})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    pointers = {error["pointer"] for error in body["errors"]}
    assert "/body/name" in pointers
    assert "/body/tags/1" in pointers
    assert all(error["location"] == "body" for error in body["errors"])
    assert "input" not in str(body["errors"])


def test_undecodable_json_is_a_422_problem(client: TestClient) -> None:
    response = client.post(
        "/v1/widgets", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_unknown_route_and_wrong_method_are_problems(client: TestClient) -> None:
    missing = client.get("/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    wrong = client.delete("/v1/widgets")
    assert wrong.status_code == 405
    assert wrong.headers["content-type"] == PROBLEM
    assert set(wrong.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_unexpected_exception_is_a_500_problem_that_discloses_nothing(
    client: TestClient,
) -> None:
    response = client.get("/v1/boom", headers={"X-Request-ID": "trace-500"})
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["x-request-id"] == "trace-500"
    assert response.headers["x-content-type-options"] == "nosniff"
    text = response.text
    for leak in ("SELECT", "/srv", "internal.py", "Traceback", "RuntimeError", "secret"):
        assert leak not in text
    assert response.json()["request_id"] == "trace-500"


def test_problem_subclasses_carry_status_and_members() -> None:
    assert NotFound("order", "o-1").body("/x")["status"] == 404
    assert Conflict("taken").status == 409
    assert PreconditionFailed("stale").status == 412
    problem = Unprocessable("bad", errors=[{"pointer": "/body/qty", "detail": "too big"}])
    assert problem.body("/x")["errors"] == [{"pointer": "/body/qty", "detail": "too big"}]
    assert json_pointer(("body", "a/b", "c~d", 0)) == "/body/a~1b/c~0d/0"


def test_documented_problems_reference_one_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
    response = spec["paths"]["/v1/widgets/{widget_id}"]["get"]["responses"]["404"]
    assert response["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
    responses = problem_responses(401, 404, 429)
    assert "WWW-Authenticate" in responses[401]["headers"]
    assert "Retry-After" in responses[429]["headers"]


def test_instance_is_a_valid_uri_reference_for_any_path(client: TestClient) -> None:
    response = client.get("/v2/widgets/%F0%9F%8E%89 x")
    assert response.status_code == 422
    assert response.json()["instance"] == "/v2/widgets/%F0%9F%8E%89%20x"
