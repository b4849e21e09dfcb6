"""Which operations the security probes aim at."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Form
from pydantic import BaseModel

from assay.client.identities import Identity
from assay.generation.security.targets import (
    by_name,
    credential_targets,
    family,
    representatives,
)
from assay.spec import load


class Reset(BaseModel):
    email: str


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/v1/items", tags=["catalogue"])
    def items() -> list[str]:
        return []

    @app.get("/v1/items/{item_id}", tags=["catalogue"])
    def item(item_id: int) -> str:
        return ""

    @app.get("/v2/orders")
    def orders() -> list[str]:
        return []

    @app.get("/v2/orders/search")
    def search(q: str) -> list[str]:
        return []

    @app.post("/auth/token")
    def token(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> str:
        return ""

    @app.post("/auth/password-reset")
    def reset(body: Reset) -> str:
        return ""

    @app.post("/auth/token/revoke")
    def revoke(token: Annotated[str, Form()]) -> str:
        return ""

    return app


SPEC = load(_app())
OPS = list(SPEC.operations)


def _label(label: str) -> object:
    return next(op for op in OPS if op.label == label)


def test_families_are_tags_or_the_first_path_segment_after_a_version() -> None:
    assert family(_label("GET /v1/items/{item_id}")) == "catalogue"  # type: ignore[arg-type]
    assert family(_label("GET /v2/orders")) == "orders"  # type: ignore[arg-type]


def test_one_readable_representative_per_family() -> None:
    chosen = [op.label for op in representatives(OPS, [])]
    assert chosen == ["GET /v1/items", "GET /v2/orders"]


def test_authenticated_operations_represent_their_family_first() -> None:
    signed = [_label("GET /v1/items/{item_id}")]
    chosen = [op.label for op in representatives(OPS, signed)]  # type: ignore[list-item]
    assert "GET /v1/items/{item_id}" in chosen


def test_credential_targets_come_from_identities_and_names() -> None:
    ana = Identity.oauth2_password("ana", "/auth/token", "ana@example.com", "pw")
    targets = credential_targets(SPEC, OPS, [ana])
    assert [t.operation.label for t in targets] == ["POST /auth/token", "POST /auth/password-reset"]
    token, reset = targets
    assert token.login is not None
    assert token.fields("x", "y") == {"grant_type": "password", "username": "x", "password": "y"}
    assert reset.fields("x", "y") == {"email": "x"}


def test_named_operations_without_identities_are_found_by_their_fields() -> None:
    labels = [t.operation.label for t in credential_targets(SPEC, OPS, [])]
    assert labels == ["POST /auth/token", "POST /auth/password-reset"]


def test_configured_operations_by_id_or_label() -> None:
    assert [op.label for op in by_name(OPS, ["GET /v2/orders", "nope"])] == ["GET /v2/orders"]


def test_identities_describe_their_login() -> None:
    form = Identity.cookie_login("web", "/login", "ana", "pw", form=False, username_field="email")
    login = form.login
    assert login is not None
    assert (login.kind, login.form, login.body("u", "p")) == (
        "cookie",
        False,
        {"email": "u", "password": "p"},
    )
    assert Identity.bearer("b", "t").login is None
    assert Identity.oauth2_client_credentials("svc", "/token", "id", "secret").login is None
