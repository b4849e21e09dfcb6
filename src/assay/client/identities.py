"""Identities: named credential sets requests are sent as.

An `Identity` is a name plus an httpx2 `Auth` flow that puts its credential on each
request. Token-based identities log in through an OAuth2 token URL (password or
client-credentials grant) on first use, refresh before the token expires (with the
refresh token when the server gave one, else by logging in again), and log in again
once when a request is answered 401 — so long runs never lock themselves out. Requests
of one identity sent at the same time (`APITestClient.send_together`) share one login:
the first renews the credential, the others wait for it and use the new one.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx2

from assay.errors import AssayError

__all__ = ["Identity", "Login", "TokenState"]

Clock = Callable[[], float]
Flow = Generator[httpx2.Request, httpx2.Response, None]


class _HeaderAuth(httpx2.Auth):
    def __init__(self, header: str, value: str) -> None:
        self._header, self.value = header, value

    def auth_flow(self, request: httpx2.Request) -> Flow:
        request.headers[self._header] = self.value
        yield request


def _add_cookies(request: httpx2.Request, cookies: Mapping[str, str]) -> None:
    pairs = "; ".join(f"{name}={value}" for name, value in cookies.items())
    existing = request.headers.get("cookie")
    request.headers["cookie"] = f"{existing}; {pairs}" if existing else pairs


class _CookieAuth(httpx2.Auth):
    def __init__(self, cookies: Mapping[str, str]) -> None:
        self._cookies = dict(cookies)

    def auth_flow(self, request: httpx2.Request) -> Flow:
        _add_cookies(request, self._cookies)
        yield request


class _QueryAuth(httpx2.Auth):
    def __init__(self, name: str, value: str) -> None:
        self._name, self._value = name, value

    def auth_flow(self, request: httpx2.Request) -> Flow:
        request.url = request.url.copy_merge_params({self._name: self._value})
        yield request


@dataclass(slots=True)
class TokenState:
    """What a token-based identity currently holds."""

    access_token: str | None = None
    refresh_token: str | None = None
    expires_at: float | None = None
    logins: int = 0
    refreshes: int = 0
    proven: bool = False
    """The current token got an answer other than 401 at least once.

    A 401 then means the server stopped accepting it (revoked, restarted), so one new
    login is worth it; a 401 to a token never accepted is about the operation (another
    scheme, a wrong scope), and logging in again on every such answer would hammer the
    token endpoint into rate-limiting the identity.
    """

    def fresh(self, now: float) -> bool:
        if self.access_token is None:
            return False
        return self.expires_at is None or now < self.expires_at


_CHALLENGE_ERROR = re.compile(r'error\s*=\s*"?([A-Za-z_]+)', re.IGNORECASE)


def _token_refused(response: httpx2.Response) -> bool:
    """Whether a 401 may mean the token itself is no longer accepted (RFC 6750).

    A challenge naming another error (``invalid_request``: the credentials are of the
    wrong kind or missing; ``insufficient_scope``) is about the request, not the token.
    """
    found = _CHALLENGE_ERROR.search(response.headers.get("WWW-Authenticate", ""))
    return found is None or found.group(1).lower() == "invalid_token"


_MAX_RATE_LIMIT_WAIT = 90.0
"""Seconds an identity waits in all for a rate-limited token endpoint before giving up."""


def _retry_after(response: httpx2.Response) -> float:
    """The delay a 429 asks for (Retry-After in seconds), 1 s when it says nothing usable."""
    try:
        return max(float(response.headers.get("Retry-After", "1")), 0.1)
    except ValueError:
        return 1.0


def _jwt_expiry(token: str) -> float | None:
    """The `exp` claim of a JWT, read without verifying it (only to plan a refresh)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    padded = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) else None


@dataclass(frozen=True, slots=True)
class Login:
    """Where and how an identity logs in: for probes that log in on their own.

    ``kind`` is ``token`` (an OAuth2 password grant to a token URL) or ``cookie`` (a
    login form answered with a session cookie). `body` builds the login request's
    fields for any username and password (probes try unknown users and wrong ones).
    """

    url: str
    kind: Literal["token", "cookie"]
    username: str
    password: str
    username_field: str = "username"
    password_field: str = "password"
    form: bool = True
    extra: Mapping[str, str] = field(default_factory=dict)

    def body(self, username: str, password: str) -> dict[str, str]:
        """The login request's fields with `username` and `password`."""
        return {**self.extra, self.username_field: username, self.password_field: password}


class _TokenAuth(httpx2.Auth):
    """Bearer tokens from an OAuth2 token URL, refreshed before they expire."""

    requires_response_body = True

    def __init__(
        self,
        identity: str,
        token_url: str,
        grant: Mapping[str, str],
        *,
        client_auth: tuple[str, str] | None,
        clock: Clock,
        margin: float,
    ) -> None:
        self._identity = identity
        self._token_url = token_url
        self._grant = dict(grant)
        self._client_auth = client_auth
        self._clock = clock
        self._margin = margin
        self.state = TokenState()
        self._renewing = threading.Lock()
        self.sleep: Callable[[float], None] = time.sleep
        self.max_wait = _MAX_RATE_LIMIT_WAIT

    def fresh(self) -> _TokenAuth:
        """The same credentials with a session of their own (a separate login)."""
        return _TokenAuth(
            self._identity,
            self._token_url,
            self._grant,
            client_auth=self._client_auth,
            clock=self._clock,
            margin=self._margin,
        )

    def login(self) -> Login | None:
        """The password grant this identity logs in with (None for client credentials)."""
        if self._grant.get("grant_type") != "password":
            return None
        extra = {k: v for k, v in self._grant.items() if k not in ("username", "password")}
        return Login(
            self._token_url, "token", self._grant["username"], self._grant["password"], extra=extra
        )

    def auth_flow(self, request: httpx2.Request) -> Flow:
        renewed = False
        if not self.state.fresh(self._clock()):
            yield from self._renew_once(request, self.state.access_token, forget=False)
            renewed = True
        sent = self.state.access_token
        request.headers["Authorization"] = f"Bearer {sent}"
        response = yield request
        if response.status_code != 401:
            self.state.proven = True
        elif not renewed and _token_refused(response) and self._stale(sent):
            # The server stopped accepting a token it accepted before: log in again once
            # (or take the token a request sent at the same time just got).
            yield from self._renew_once(request, sent, forget=True)
            request.headers["Authorization"] = f"Bearer {self.state.access_token}"
            response = yield request
            self.state.proven = response.status_code != 401

    def _stale(self, sent: str | None) -> bool:
        """Whether a 401 to the token `sent` calls for another token."""
        return self.state.proven or self.state.access_token != sent

    def _renew_once(self, request: httpx2.Request, stale: str | None, *, forget: bool) -> Flow:
        """Renew the token `stale`, unless a request sent at the same time already did."""
        with self._renewing:
            if self.state.access_token != stale:
                return
            if forget:
                self.state.access_token = None
                self.state.refresh_token = None
            yield from self._renew(request)

    def _renew(self, request: httpx2.Request) -> Flow:
        if self.state.refresh_token is not None:
            form = {"grant_type": "refresh_token", "refresh_token": self.state.refresh_token}
            response = yield self._token_request(request, form)
            if response.status_code == 200:
                self._store(response, refreshed=True)
                return
        response = yield self._token_request(request, self._grant)
        waited = 0.0
        while response.status_code == 429 and waited < self.max_wait:
            # The token endpoint rate-limits logins (perhaps because a test run fuzzed
            # it): wait as asked, within bounds, rather than give up on the identity.
            delay = min(_retry_after(response), self.max_wait - waited)
            self.sleep(delay)
            waited += delay
            response = yield self._token_request(request, self._grant)
        if response.status_code != 200:
            raise AssayError(
                f"identity {self._identity!r} could not get a token from {self._token_url}: "
                f"the server answered {response.status_code} {_snippet(response)}",
                hint="Check the identity's credentials and token_url in the configuration.",
            )
        self._store(response, refreshed=False)

    def _token_request(self, request: httpx2.Request, form: Mapping[str, str]) -> httpx2.Request:
        url = request.url.join(self._token_url)
        headers = {"Accept": "application/json"}
        if self._client_auth is not None:
            user, secret = self._client_auth
            raw = base64.b64encode(f"{user}:{secret}".encode()).decode()
            headers["Authorization"] = f"Basic {raw}"
        token_request = httpx2.Request("POST", url, data=dict(form), headers=headers)
        token_request.extensions["assay.identity"] = self._identity
        return token_request

    def _store(self, response: httpx2.Response, *, refreshed: bool) -> None:
        try:
            payload = response.json()
            token = payload["access_token"]
        except (ValueError, KeyError, TypeError):
            raise AssayError(
                f"identity {self._identity!r}: the token response from {self._token_url} has "
                f"no access_token: {_snippet(response)}",
                hint="The token URL must answer with an OAuth2 JSON token response.",
            ) from None
        now = self._clock()
        expires_in = payload.get("expires_in")
        expiry = now + float(expires_in) if isinstance(expires_in, int | float) else None
        expiry = expiry if expiry is not None else _jwt_expiry(str(token))
        lifetime = (expiry - now) if expiry is not None else None
        margin = min(self._margin, lifetime / 10) if lifetime else 0.0
        self.state.access_token = str(token)
        self.state.proven = False
        self.state.refresh_token = payload.get("refresh_token") or self.state.refresh_token
        self.state.expires_at = expiry - margin if expiry is not None else None
        if refreshed:
            self.state.refreshes += 1
        else:
            self.state.logins += 1


class _CookieLoginAuth(httpx2.Auth):
    """Logs in once by posting credentials to a login URL, then sends its cookies."""

    def __init__(
        self, identity: str, login_url: str, credentials: Mapping[str, str], *, form: bool
    ):
        self._identity = identity
        self._login_url = login_url
        self._credentials = dict(credentials)
        self._form = form
        self.cookies: dict[str, str] = {}
        self.proven = False
        self._renewing = threading.Lock()

    def fresh(self) -> _CookieLoginAuth:
        """The same credentials with a session of their own (a separate login)."""
        return _CookieLoginAuth(self._identity, self._login_url, self._credentials, form=self._form)

    def login(self) -> Login:
        """The login form this identity posts."""
        (user_field, username), (password_field, password) = self._credentials.items()
        return Login(
            self._login_url,
            "cookie",
            username,
            password,
            username_field=user_field,
            password_field=password_field,
            form=self._form,
        )

    def auth_flow(self, request: httpx2.Request) -> Flow:
        renewed = False
        if not self.cookies:
            yield from self._login_once(request, self.cookies)
            renewed = True
        sent = self.cookies
        _add_cookies(request, sent)
        response = yield request
        if response.status_code != 401:
            self.proven = True
        elif not renewed and (self.proven or self.cookies is not sent):
            # A session that worked before was dropped (expired, logged out): log in once
            # (or take the session a request sent at the same time just got).
            yield from self._login_once(request, sent)
            del request.headers["cookie"]
            _add_cookies(request, self.cookies)
            response = yield request
            self.proven = response.status_code != 401

    def _login_once(self, request: httpx2.Request, stale: dict[str, str]) -> Flow:
        """Log in again, unless a request sent at the same time already did."""
        with self._renewing:
            if self.cookies is stale:
                yield from self._login(request)

    def _login(self, request: httpx2.Request) -> Flow:
        url = request.url.join(self._login_url)
        body: dict[str, Any] = {"data": self._credentials} if self._form else {}
        if not self._form:
            body = {"json": self._credentials}
        login = httpx2.Request("POST", url, **body)
        login.extensions["assay.identity"] = self._identity
        response = yield login
        jar = httpx2.Cookies()
        jar.extract_cookies(response)
        if response.status_code >= 400 or not jar:
            raise AssayError(
                f"identity {self._identity!r} could not log in at {self._login_url}: the server "
                f"answered {response.status_code} and set {len(jar)} cookie(s)",
                hint="Check the login URL, the credentials and the field names in the "
                "configuration.",
            )
        self.cookies = {cookie.name: cookie.value or "" for cookie in jar.jar}
        self.proven = False


def _snippet(response: httpx2.Response, limit: int = 200) -> str:
    text = response.text
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True, slots=True)
class Identity:
    """A named set of credentials. Build one with the class methods."""

    name: str
    auth: httpx2.Auth | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    kind: str = "anonymous"

    def __post_init__(self) -> None:
        # Accept any iterable of names for roles and scopes.
        object.__setattr__(self, "roles", frozenset(self.roles))
        object.__setattr__(self, "scopes", frozenset(self.scopes))

    @classmethod
    def anonymous(cls, name: str = "anonymous") -> Identity:
        return cls(name)

    @classmethod
    def bearer(cls, name: str, token: str, **meta: Any) -> Identity:
        return cls(name, _HeaderAuth("Authorization", f"Bearer {token}"), kind="bearer", **meta)

    @classmethod
    def api_key(
        cls,
        name: str,
        key: str,
        *,
        parameter: str = "X-API-Key",
        location: Literal["header", "query", "cookie"] = "header",
        **meta: Any,
    ) -> Identity:
        auth: httpx2.Auth
        if location == "header":
            auth = _HeaderAuth(parameter, key)
        elif location == "query":
            auth = _QueryAuth(parameter, key)
        else:
            auth = _CookieAuth({parameter: key})
        return cls(name, auth, kind=f"apiKey:{location}", **meta)

    @classmethod
    def basic(cls, name: str, username: str, password: str, **meta: Any) -> Identity:
        return cls(name, httpx2.BasicAuth(username, password), kind="basic", **meta)

    @classmethod
    def cookie(cls, name: str, cookies: Mapping[str, str], **meta: Any) -> Identity:
        return cls(name, _CookieAuth(cookies), kind="cookie", **meta)

    @classmethod
    def cookie_login(
        cls,
        name: str,
        login_url: str,
        username: str,
        password: str,
        *,
        form: bool = True,
        username_field: str = "username",
        password_field: str = "password",
        **meta: Any,
    ) -> Identity:
        credentials = {username_field: username, password_field: password}
        auth = _CookieLoginAuth(name, login_url, credentials, form=form)
        return cls(name, auth, kind="cookie", **meta)

    @classmethod
    def oauth2_password(
        cls,
        name: str,
        token_url: str,
        username: str,
        password: str,
        *,
        scopes: tuple[str, ...] | list[str] = (),
        client_id: str | None = None,
        client_secret: str | None = None,
        clock: Clock = time.time,
        refresh_margin: float = 30.0,
        **meta: Any,
    ) -> Identity:
        grant = {"grant_type": "password", "username": username, "password": password}
        if scopes:
            grant["scope"] = " ".join(scopes)
        client_auth = (client_id, client_secret) if client_id and client_secret else None
        if client_id and not client_secret:
            grant["client_id"] = client_id
        auth = _TokenAuth(
            name, token_url, grant, client_auth=client_auth, clock=clock, margin=refresh_margin
        )
        return cls(name, auth, kind="oauth2", **meta)

    @classmethod
    def oauth2_client_credentials(
        cls,
        name: str,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scopes: tuple[str, ...] | list[str] = (),
        clock: Clock = time.time,
        refresh_margin: float = 30.0,
        **meta: Any,
    ) -> Identity:
        grant = {"grant_type": "client_credentials"}
        if scopes:
            grant["scope"] = " ".join(scopes)
        auth = _TokenAuth(
            name,
            token_url,
            grant,
            client_auth=(client_id, client_secret),
            clock=clock,
            margin=refresh_margin,
        )
        return cls(name, auth, kind="oauth2", **meta)

    def disposable(self, name: str | None = None) -> Identity | None:
        """A copy that logs in on its own, for requests that may end its session.

        Logging out, revoking a token or deleting a session with a disposable copy leaves
        this identity's own session intact. None for fixed credentials (a bearer token,
        an API key, cookies), which cannot be renewed.
        """
        if not isinstance(self.auth, _TokenAuth | _CookieLoginAuth):
            return None
        return Identity(
            name or f"{self.name}~disposable",
            self.auth.fresh(),
            roles=self.roles,
            scopes=self.scopes,
            kind=self.kind,
        )

    @property
    def login(self) -> Login | None:
        """How this identity logs in with a username and password (None: it does not)."""
        if isinstance(self.auth, _TokenAuth | _CookieLoginAuth):
            return self.auth.login()
        return None

    @property
    def bearer_token(self) -> str | None:
        """The bearer token this identity sends now (None before a login, or for other kinds)."""
        if isinstance(self.auth, _TokenAuth):
            return self.auth.state.access_token
        if isinstance(self.auth, _HeaderAuth) and self.kind == "bearer":
            return self.auth.value.removeprefix("Bearer ")
        return None

    @property
    def token_state(self) -> TokenState | None:
        """The token an OAuth2 identity holds (for tests of refresh behaviour)."""
        return self.auth.state if isinstance(self.auth, _TokenAuth) else None
