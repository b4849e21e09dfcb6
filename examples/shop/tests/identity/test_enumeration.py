"""Failed logins look the same whether or not the account exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from shop.identity import IdentityRuntime, passwords

from .identity_app import PASSWORD, password_grant

_VOLATILE = {"date", "content-length"}


def _shape(response: Any) -> tuple[int, dict[str, str], bytes]:
    headers = {k: v for k, v in response.headers.items() if k not in _VOLATILE}
    return response.status_code, headers, response.content


def test_token_failures_are_identical(client: TestClient) -> None:
    unknown = password_grant(client, "nobody@example.com", PASSWORD)
    wrong = password_grant(client, "ada@example.com", "wrong password")
    disabled = password_grant(client, "gone@example.com", PASSWORD)
    assert _shape(unknown) == _shape(wrong) == _shape(disabled)
    assert password_grant(client).status_code == 200


def test_console_failures_are_identical(client: TestClient) -> None:
    def login(email: str, password: str) -> Any:
        return client.post("/v1/console/login", json={"email": email, "password": password})

    unknown = login("nobody@example.com", PASSWORD)
    wrong = login("grace@example.com", "wrong password")
    customer = login("ada@example.com", PASSWORD)
    assert _shape(unknown) == _shape(wrong) == _shape(customer)


@pytest.fixture
def kdf_calls(monkeypatch: pytest.MonkeyPatch, runtime: IdentityRuntime) -> list[int]:
    runtime.hasher.verify("warm-up", None)  # the dummy hash exists before counting
    calls: list[int] = []
    real: Callable[..., bytes] = passwords._scrypt

    def counting(*args: Any) -> bytes:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(passwords, "_scrypt", counting)
    return calls


@pytest.mark.parametrize(
    ("email", "password"),
    [("nobody@example.com", PASSWORD), ("ada@example.com", "wrong"), ("ada@example.com", PASSWORD)],
)
def test_every_login_runs_the_kdf_exactly_once(
    client: TestClient, kdf_calls: list[int], email: str, password: str
) -> None:
    password_grant(client, email, password)
    assert len(kdf_calls) == 1


def test_password_hashes_are_salted_and_verify() -> None:
    hasher = passwords.PasswordHasher(log2_n=4)
    first, second = hasher.hash("secret"), hasher.hash("secret")
    assert first != second
    assert first.startswith("scrypt$4$8$1$")
    assert hasher.verify("secret", first)
    assert not hasher.verify("Secret", first)
    assert not hasher.verify("secret", "md5$whatever")
    assert not hasher.verify("secret", None)
