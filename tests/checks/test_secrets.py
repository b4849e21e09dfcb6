"""Sensitive data checks: precise shapes fire; echoes, examples, masks and issuers do not."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from fastapi import Body, FastAPI, Form, Header
from fastapi.responses import JSONResponse, PlainTextResponse
from tests.checks.bench import Bench, Probe
from tests.checks.conftest import MakeBench

from assay.checks.registry import Exchange
from assay.checks.secrets import card_number, luhn
from assay.client.identities import Identity

CHECKS = (
    "password_hash_exposed",
    "secret_exposed",
    "card_number_exposed",
    "internal_address_exposed",
)
THING = Probe("GET /thing")
BCRYPT = "$2b$12$Jz9yq2cM1wM5bCkq0cJ8Ye0xv0w3h9V5o8c2n1m4k7j6h5g4f3e2d"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEiLCJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"


def _answering(content: Any, status: int = 200) -> FastAPI:
    app = FastAPI()

    @app.get("/thing")
    def thing() -> Any:
        if isinstance(content, str):
            return PlainTextResponse(content, status_code=status)
        return JSONResponse(content, status_code=status)

    return app


@pytest.mark.parametrize(
    ("check", "content"),
    [
        ("password_hash_exposed", {"user": {"hash": BCRYPT}}),
        (
            "password_hash_exposed",
            {"h": "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"},
        ),
        ("password_hash_exposed", {"h": "scrypt$15$8$1$c2FsdHNhbHQ$ZGlnZXN0ZGlnZXN0ZGlnZXN0"}),
        ("password_hash_exposed", {"h": "pbkdf2_sha256$600000$salt1234$aGFzaGhhc2hoYXNoaGFzaA=="}),
        ("password_hash_exposed", {"password_hash": "5e884898da28047151d0e56f8dc6292773603d0d"}),
        ("secret_exposed", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n"),
        ("secret_exposed", {"aws": "AKIAZ7QXKD4WB3L2M9PQ"}),
        ("secret_exposed", {"gh": "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"}),
        ("secret_exposed", {"session": JWT}),
        ("secret_exposed", {"db": {"password": "hunter2-prod"}}),
        ("secret_exposed", {"client_secret": "f3a9c1d2e8b74b6c"}),
        ("card_number_exposed", {"card": "4539 1488 0343 6467"}),
        ("card_number_exposed", {"pan": "5105105105105100"}),
        ("card_number_exposed", {"card": 378282246310005}),
        ("card_number_exposed", "Charged card 4539-1488-0343-6467 today."),
    ],
)
def test_the_checks_fire_on_sensitive_data(bench: MakeBench, check: str, content: Any) -> None:
    (found,) = bench(_answering(content)).fired(check, THING)
    assert found.evidence["cwe"].startswith("CWE-")
    assert found.evidence["owasp"].startswith("API")


@pytest.mark.parametrize(
    "detail",
    [
        "upstream error: POST https://processor.internal:8443/v3/authorizations",
        "cannot reach http://10.0.3.7:8080/render",
        "connect to 192.168.12.4:5432 refused",
        "GET http://payments:8000/v1/charges failed",
        "pdf-renderer.billing.svc.cluster.local timed out",
    ],
)
def test_internal_addresses_in_errors_fire(bench: MakeBench, detail: str) -> None:
    app = _answering({"detail": detail}, status=503)
    (found,) = bench(app).fired("internal_address_exposed", THING)
    assert found.evidence["match"] in detail


@pytest.mark.parametrize(
    ("content", "status"),
    [
        ({"detail": "cannot reach http://10.0.3.7:8080/render"}, 200),
        ({"detail": "retry at http://127.0.0.1:8000/orders or http://localhost/x"}, 503),
        ({"detail": "see http://testserver/orders/1"}, 404),
        ({"type": "https://errors.pydantic.dev/2.5/v/missing", "version": "10.2.3"}, 422),
        ({"detail": "version 10.2.3.4-beta of the client is too old"}, 400),
    ],
)
def test_no_internal_address_finding(bench: MakeBench, content: Any, status: int) -> None:
    assert bench(_answering(content, status)).fired("internal_address_exposed", THING) == []


@pytest.mark.parametrize(
    "content",
    [
        {"user": {"id": 1, "email": "ana@example.com"}},
        {"hash": "$2b$12$short"},
        {"checksum": "5e884898da28047151d0e56f8dc6292773603d0d5e884898da28047151d0e56f"},
        {"aws": "AKIAIOSFODNN7EXAMPLE"},
        {"password": "********", "api_key": "sk_live_****dcQq", "secret": None},
        {"password": "", "client_secret": "<your secret>"},
        {"card": "**** **** **** 6467", "last4": "6467"},
        {"card": "4539 1488 0343 6468"},
        {"id": 4539148803436467, "order_number": "4539148803436467"},
        {"created_at_us": 1700000000000000, "reference": "1234567890123456"},
        {"phone": "+44 20 7946 0958", "isbn": "978-3-16-148410-0"},
        "Plain text with nothing secret in it.",
    ],
)
def test_no_sensitive_data_finding(bench: MakeBench, content: Any) -> None:
    for check in CHECKS:
        assert bench(_answering(content)).fired(check, THING) == [], check


def test_what_the_request_sent_is_no_leak(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get("/me")
    def me(authorization: str = Header(default="")) -> dict[str, str]:
        return {"token": authorization.removeprefix("Bearer ")}

    probe = Probe("GET /me", headers={"Authorization": f"Bearer {JWT}"})
    assert bench(app).fired("secret_exposed", probe) == []


def test_a_token_endpoint_returning_a_token_is_no_leak(bench: MakeBench) -> None:
    app = FastAPI()

    @app.post("/v1/token")
    def token(username: str = Body(embed=True)) -> dict[str, str]:
        return {"access_token": JWT, "token_type": "bearer", "client_secret": "s3cr3t-value"}

    probe = Probe("POST /v1/token", body={"username": "ana"})
    assert bench(app).fired("secret_exposed", probe) == []


def test_a_creation_returning_its_new_secret_once_is_no_leak(bench: MakeBench) -> None:
    app = FastAPI()

    @app.post("/webhooks", status_code=201)
    def register(url: str = Body(embed=True)) -> dict[str, str]:
        return {"url": url, "secret": "whsec_9fG72KpLmnWXbyzu"}

    @app.get("/webhooks")
    def listing() -> list[dict[str, str]]:
        return [{"url": "https://example.org/hook", "secret": "whsec_9fG72KpLmnWXbyzu"}]

    opened = bench(app)
    created = Probe("POST /webhooks", body={"url": "https://example.org/hook"})
    assert opened.fired("secret_exposed", created) == []
    (found,) = opened.fired("secret_exposed", Probe("GET /webhooks"))
    assert found.evidence["match"] == "whsec_…byzu"  # masked in the report


def test_a_documented_example_is_no_leak(bench: MakeBench) -> None:
    app = FastAPI()

    @app.get(
        "/example",
        responses={200: {"content": {"application/json": {"example": {"session": JWT}}}}},
    )
    def example() -> dict[str, str]:
        return {"session": JWT}

    assert bench(app).fired("secret_exposed", Probe("GET /example")) == []


def test_card_numbers_need_luhn_a_brand_and_its_length() -> None:
    assert luhn("4539148803436467")
    assert not luhn("4539148803436468")
    assert card_number("4539 1488 0343 6467") == "4539148803436467"
    assert card_number("378282246310005") == "378282246310005"
    assert card_number("9539148803436461") is None  # no brand starts with 9
    assert card_number("453914880343646") is None  # Visa is 13, 16 or 19 digits
    assert card_number("4444444444444448") is None  # too few distinct digits


def _reviews(*, authors_shown: bool) -> FastAPI:
    app = FastAPI()

    @app.post("/token")
    def token(username: str = Form(), password: str = Form()) -> dict[str, str]:
        return {"access_token": f"t-{username}", "token_type": "bearer"}

    @app.get("/reviews")
    def reviews() -> list[dict[str, str]]:
        authors = ["ana@example.com", "ben@example.com"] if authors_shown else ["Ana", "Ben"]
        return [{"author": author, "text": "Sturdy lamp."} for author in authors]

    return app


def _user(name: str, *roles: str) -> Identity:
    email = f"{name}@example.com"
    return Identity.oauth2_password(name, "/token", email, "pw", roles=frozenset(roles))


def _as(bench: Bench, identity: str) -> list[Any]:
    for user in (_user("ana", "customer"), _user("ben", "customer"), _user("root", "admin")):
        if user.name not in bench.client.identities:
            bench.client.add_identity(user)
    exchange = bench.send(Probe("GET /reviews"))
    response = bench.client.request("GET", "/reviews", identity=identity, validate=False)
    exchange = Exchange(replace(exchange.case, identity=identity), response, 1.0)
    return bench.run(exchange, ["foreign_personal_data"])


def test_another_users_email_in_an_answer_fires(bench: MakeBench) -> None:
    (found,) = _as(bench(_reviews(authors_shown=True)), "ana")
    assert "'ben'" in found.title
    assert found.evidence["cwe"] == "CWE-359"


def test_no_foreign_personal_data_for_privileged_or_clean_answers(bench: MakeBench) -> None:
    assert _as(bench(_reviews(authors_shown=True)), "root") == []
    assert _as(bench(_reviews(authors_shown=False)), "ana") == []
