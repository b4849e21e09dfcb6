"""Service API keys of the shop: accepted where declared, refused everywhere else."""

from __future__ import annotations

from assay import APITestClient, Identity


def test_the_service_key_reads_reservations(api: APITestClient) -> None:
    status = api.as_identity("orders-service").get("/v1/reservations/unknown").status_code
    assert status == 404  # authenticated and authorized; the reservation does not exist


def test_a_wrong_key_is_refused_with_a_challenge(api: APITestClient) -> None:
    wrong = Identity.api_key("intruder", "svc_wrong_key")
    response = api.as_identity(wrong).get("/v1/reservations/unknown")
    response.expect.status(401)
    assert response.headers["www-authenticate"].startswith("ApiKey")


def test_no_key_is_refused(api: APITestClient) -> None:
    api.get("/v1/reservations/unknown").expect.status(401)


def test_the_key_is_not_a_bearer_token(api: APITestClient) -> None:
    key = Identity.bearer("key-as-token", "svc_orders_demo_key_do_not_use_in_production")
    api.as_identity(key).get("/v1/orders").expect.status(401)


def test_the_service_key_cannot_act_as_a_user(api: APITestClient) -> None:
    api.as_identity("orders-service").get("/v1/orders").expect.status(401)
