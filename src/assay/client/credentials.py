"""`AuthTestHelper`: tokens, logins and refresh flows for hand-written auth tests.

The ``auth`` pytest fixture gives one, bound to the ``api`` client, its identities and
the ``[auth.tokens]`` key of the configuration. It mints valid and broken JWTs
(`TokenMinter`), sends requests with any token, logs configured identities in afresh
(never touching the session the rest of the tests use) and walks refresh-token flows:
rotation, reuse of a rotated token, and what still works after a logout.

```python
def test_expired_tokens_are_refused(api, auth):
    api.as_identity(auth.with_token(auth.broken("expired"))).get("/v1/orders").expect.status(401)

def test_a_reused_refresh_token_revokes_the_family(auth):
    flow = auth.refresh_reuse("ana")
    assert flow.rotated and flow.reuse_status == 400 and flow.after_reuse_status == 400
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assay.client.identities import Identity, Login
from assay.client.tokens import TokenMinter, keyless_variants, public_pem_from_jwks
from assay.errors import AssayError

if TYPE_CHECKING:
    from assay.client.client import APITestClient
    from assay.client.messages import APITestResponse

__all__ = ["AuthTestHelper", "RefreshFlow"]


@dataclass(frozen=True, slots=True)
class RefreshFlow:
    """What a refresh-token flow showed (`AuthTestHelper.refresh_reuse`).

    ``rotated``: the refresh gave a new refresh token; ``reuse_status``: the answer to
    the old (rotated) refresh token sent again — must be a refusal; ``after_reuse_status``:
    the answer to the new refresh token after that reuse — a refusal when the server
    revokes the whole family, as it should.
    """

    first: Mapping[str, Any]
    refreshed: Mapping[str, Any]
    rotated: bool
    reuse_status: int
    after_reuse_status: int


class AuthTestHelper:
    """Tokens, logins and refresh flows against the client's service."""

    def __init__(self, client: APITestClient, minter: TokenMinter | None = None) -> None:
        self.client = client
        self._minter = minter

    @property
    def minter(self) -> TokenMinter:
        """The configured `TokenMinter`; an `AssayError` when no key is configured."""
        if self._minter is None:
            raise AssayError(
                "no key to mint tokens with",
                hint="Add [auth.tokens] to assay.toml (key_env = 'VARIABLE', or "
                "private_key_file = 'key.pem'), or use keyless(token) to break a token the "
                "service issued.",
            )
        return self._minter

    def token(self, **claims: Any) -> str:
        """A valid token with `claims` (``sub=…``, ``scope=…``, ``role=…``)."""
        return self.minter.mint(**claims)

    def broken(self, variant: str, **claims: Any) -> str:
        """One broken variant (``expired``, ``alg_none``, ``wrong_audience``…) of `token`."""
        variants = self.minter.variants(**claims)
        if variant not in variants:
            raise AssayError(
                f"no token variant called {variant!r}",
                hint=f"Known variants: {', '.join(sorted(variants))}.",
            )
        return variants[variant]

    def variants(self, **claims: Any) -> dict[str, str]:
        """Every broken variant of ``token(**claims)``, by name."""
        return self.minter.variants(**claims)

    def keyless(self, token: str, *, jwks_path: str | None = None) -> dict[str, str]:
        """Broken copies of a token the service issued (no signing key needed).

        With `jwks_path`, also the RS→HS confusion variant signed with its public key.
        """
        public = self.public_key(jwks_path) if jwks_path else None
        return keyless_variants(token, public_pem=public)

    def public_key(self, jwks_path: str = "/.well-known/jwks.json") -> str | None:
        """The service's public key (PEM) from its JWKS document."""
        document = self.client.request("GET", jwks_path, validate=False).json()
        return public_pem_from_jwks(document) if isinstance(document, Mapping) else None

    def with_token(self, token: str, name: str = "token-under-test") -> Identity:
        """An identity sending exactly `token` (``api.as_identity(auth.with_token(t))``)."""
        return Identity.bearer(name, token)

    def login(self, name: str) -> Identity:
        """A fresh login of the configured identity `name`, apart from its own session."""
        found = self.client.identities.get(name)
        copy = found.disposable(f"{name}~auth") if found is not None else None
        if copy is None:
            raise AssayError(
                f"identity {name!r} does not log in (unknown, or fixed credentials)",
                hint="Use an identity configured with oauth2_password or cookie_login.",
            )
        return copy

    def password_grant(self, name: str, **extra: str) -> APITestResponse:
        """The token response of one password-grant login of identity `name`."""
        login = self._login(name)
        form = {**login.body(login.username, login.password), **extra}
        return self.client.request("POST", login.url, data=form, validate=False)

    def refresh(self, refresh_token: str, token_url: str, **extra: str) -> APITestResponse:
        """Send a refresh-token grant."""
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token, **extra}
        return self.client.request("POST", token_url, data=form, validate=False)

    def refresh_reuse(self, name: str) -> RefreshFlow:
        """Log in, refresh once, reuse the rotated refresh token, then try the new one."""
        login = self._login(name)
        first = _token_body(self.password_grant(name), name)
        refreshed = _token_body(self.refresh(first["refresh_token"], login.url), name)
        reuse = self.refresh(first["refresh_token"], login.url)
        after = self.refresh(str(refreshed.get("refresh_token", "")), login.url)
        return RefreshFlow(
            first,
            refreshed,
            refreshed.get("refresh_token") not in (None, first["refresh_token"]),
            reuse.status_code,
            after.status_code,
        )

    def _login(self, name: str) -> Login:
        found = self.client.identities.get(name)
        login = found.login if found is not None else None
        if login is None or login.kind != "token":
            raise AssayError(
                f"identity {name!r} does not log in with the OAuth2 password grant",
                hint="Configure it with oauth2_password in assay.toml.",
            )
        return login


def _token_body(response: APITestResponse, name: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict) or "refresh_token" not in body:
        raise AssayError(
            f"identity {name!r}: the token endpoint answered {response.status_code} without "
            "a refresh token",
            hint="Refresh flows need a token endpoint that issues refresh tokens.",
        )
    return body
