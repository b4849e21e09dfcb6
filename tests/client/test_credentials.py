"""AuthTestHelper: tokens, fresh logins and clear errors when something is not configured."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.corpus.apps._auth import minter, notes_app, password_identity

from assay import APITestClient, AuthTestHelper, Identity
from assay.errors import AssayError


@pytest.fixture
def client() -> Iterator[APITestClient]:
    identities = [password_identity("ana"), Identity.api_key("svc", "k")]
    with APITestClient(notes_app(), identities=identities, validate=False) as opened:
        yield opened


def test_minted_and_broken_tokens_meet_the_service(client: APITestClient) -> None:
    auth = AuthTestHelper(client, minter())
    good = auth.token(sub="ana", scope="notes:read")
    assert client.as_identity(auth.with_token(good)).get("/notes").status_code == 200
    expired = auth.broken("expired", sub="ana", scope="notes:read")
    assert client.as_identity(auth.with_token(expired)).get("/notes").status_code == 401
    assert "alg_none" in auth.variants(sub="ana")


def test_a_fresh_login_leaves_the_identity_alone(client: APITestClient) -> None:
    auth = AuthTestHelper(client)
    session = auth.login("ana")
    assert client.as_identity(session).get("/notes").status_code == 200
    assert session.token_state is not None
    assert session.token_state.logins == 1
    own = client.identities["ana"].token_state
    assert own is not None
    assert own.logins == 0
    assert auth.password_grant("ana").json()["token_type"] == "bearer"


def test_misuse_is_explained(client: APITestClient) -> None:
    auth = AuthTestHelper(client)
    with pytest.raises(AssayError, match="no key to mint"):
        auth.token()
    with pytest.raises(AssayError, match="no token variant"):
        AuthTestHelper(client, minter()).broken("nonsense")
    with pytest.raises(AssayError, match="does not log in"):
        auth.login("svc")
    with pytest.raises(AssayError, match="password grant"):
        auth.password_grant("svc")
    with pytest.raises(AssayError, match="without a refresh token"):
        auth.refresh_reuse("ana")  # the notes API issues no refresh tokens
