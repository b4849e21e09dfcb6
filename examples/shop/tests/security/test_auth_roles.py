"""Role and scope combinations of the shop: who may do what (the access matrix by hand)."""

from __future__ import annotations

import time

import pytest

from assay import APITestClient, AuthTestHelper
from assay.client.tokens import decode_unverified

BATCH = {"reference": "batch-auth-roles", "sku": "AUTH-ROLES-1", "quantity": 5, "eta": None}


@pytest.mark.parametrize(
    ("identity", "allowed"),
    [("ana", False), ("ben", False), ("staff", True), ("admin", True)],
)
def test_only_staff_and_admins_register_batches(
    api: APITestClient, identity: str, allowed: bool
) -> None:
    body = {**BATCH, "reference": f"batch-roles-{identity}"}
    status = api.as_identity(identity).post("/v1/batches", json=body).status_code
    assert (status != 403) is allowed, status


@pytest.mark.parametrize("identity", ["ana", "ben"])
def test_customers_may_not_change_a_batch_quantity(api: APITestClient, identity: str) -> None:
    response = api.as_identity(identity).patch(
        "/v1/batches/no-such-batch", json={"quantity": 1}, headers={"If-Match": '"1"'}
    )
    response.expect.status(403)
    assert "insufficient_scope" in response.headers["www-authenticate"]


def test_staff_get_past_authorization_on_the_same_request(api: APITestClient) -> None:
    status = (
        api.as_identity("staff")
        .patch("/v1/batches/no-such-batch", json={"quantity": 1}, headers={"If-Match": '"1"'})
        .status_code
    )
    assert status == 404


@pytest.mark.parametrize("identity", ["ana", "staff", "admin"])
def test_user_tokens_cannot_call_service_operations(api: APITestClient, identity: str) -> None:
    api.as_identity(identity).get("/v1/reservations/some-id").expect.status(401)


def test_a_token_request_cannot_widen_a_customers_scopes(api: APITestClient) -> None:
    response = api.post(
        "/v1/token",
        data={
            "grant_type": "password",
            "username": "ana@example.com",
            "password": "shop-demo-password",
            "scope": "orders:read admin allocation:write",
        },
    )
    assert response.status_code == 200
    assert response.json()["scope"] == "orders:read"


def test_a_validly_signed_token_with_tampered_roles_gains_nothing(
    api: APITestClient, auth: AuthTestHelper
) -> None:
    """The shop takes roles from its accounts, not from the token: claims cannot widen them."""
    issued = auth.password_grant("ana").json()["access_token"]
    decoded = decode_unverified(issued)
    assert decoded is not None
    claims = {k: v for k, v in decoded[1].items() if k in ("sub", "kind")}
    forged = auth.token(
        **claims, nbf=int(time.time()), roles=["admin"], scope="orders:read admin allocation:write"
    )
    as_forged = api.as_identity(auth.with_token(forged))
    as_forged.get("/v1/orders").expect.status(200)  # the token itself is valid
    response = as_forged.patch(
        "/v1/batches/no-such-batch", json={"quantity": 1}, headers={"If-Match": '"1"'}
    )
    response.expect.status(403)
