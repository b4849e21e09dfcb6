"""assay's configuration: ``assay.toml`` or ``[tool.assay]`` in pyproject.toml.

```toml
app = "shop.bootstrap:app"          # or url = "http://127.0.0.1:8000"
spec = "openapi.json"               # optional; default: the target's own document
seed = 1234                         # optional; default: random, printed
validate_responses = true
timeout = 10.0

[[identities]]
name = "ana"
roles = ["customer"]
oauth2_password = { token_url = "/v1/token", username = "ana@example.com",
                    password_env = "ANA_PASSWORD" }

[[identities]]
name = "ben"
bearer = { token_env = "BEN_TOKEN" }
```

Every secret is given as a value (``password``) or as the name of an environment
variable (``password_env``). Variables are read when the identities are built, so a
configuration that names an unset variable only fails when that identity is used.
Mistakes (an unknown key, a wrong type, two credential forms for one identity) are
an `AssayError` that names the file and the key.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from assay.errors import AssayError

if TYPE_CHECKING:
    from assay.client.identities import Identity
    from assay.client.tokens import TokenMinter

__all__ = [
    "ApiKeyCredentials",
    "AssayConfig",
    "AuthConfig",
    "BasicCredentials",
    "BearerCredentials",
    "ClientCredentials",
    "CookieCredentials",
    "CookieLoginCredentials",
    "DependencyConfig",
    "IdentityConfig",
    "PasswordCredentials",
    "ResilienceConfig",
    "SecurityConfig",
    "TokenConfig",
    "build_identities",
    "find_config_file",
    "load_config",
]

CONFIG_FILE = "assay.toml"
PYPROJECT = "pyproject.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _secret(owner: str, section: str, field: str, value: str | None, env: str | None) -> str:
    """The secret given as ``field`` or through the variable named by ``field_env``."""
    if value is not None:
        return value
    if env is None:
        raise AssayError(
            f"identity {owner!r}: {section} needs `{field}` or `{field}_env`",
            hint=f'add {field}_env = "VARIABLE" and export VARIABLE, or give {field} directly',
        )
    found = os.environ.get(env)
    if found is None:
        raise AssayError(
            f"identity {owner!r}: environment variable {env} is not set ({section}.{field}_env)",
            hint=f"export {env}=… before running, or put the value in `{field}`",
        )
    return found


class BearerCredentials(_Section):
    """A fixed bearer token: ``Authorization: Bearer <token>``."""

    token: str | None = None
    token_env: str | None = None


class ApiKeyCredentials(_Section):
    """An API key sent in a header, a query parameter or a cookie."""

    key: str | None = None
    key_env: str | None = None
    name: str = "X-API-Key"
    location: Literal["header", "query", "cookie"] = "header"


class BasicCredentials(_Section):
    """HTTP basic authentication."""

    username: str
    password: str | None = None
    password_env: str | None = None


class CookieCredentials(_Section):
    """Fixed cookies (a session you obtained elsewhere); values or variable names."""

    cookies: dict[str, str] = Field(default_factory=dict)
    cookies_env: dict[str, str] = Field(default_factory=dict)


class CookieLoginCredentials(_Section):
    """A login form (or JSON) endpoint that answers with a session cookie."""

    login_url: str
    username: str
    password: str | None = None
    password_env: str | None = None
    form: bool = True
    username_field: str = "username"
    password_field: str = "password"


class PasswordCredentials(_Section):
    """OAuth2 resource-owner password grant; the token is refreshed before it expires."""

    token_url: str
    username: str
    password: str | None = None
    password_env: str | None = None
    scopes: list[str] = Field(default_factory=list)
    client_id: str | None = None
    client_secret: str | None = None
    client_secret_env: str | None = None


class ClientCredentials(_Section):
    """OAuth2 client-credentials grant (a service account)."""

    token_url: str
    client_id: str
    client_secret: str | None = None
    client_secret_env: str | None = None
    scopes: list[str] = Field(default_factory=list)


_FORMS = (
    "bearer",
    "api_key",
    "basic",
    "cookie",
    "cookie_login",
    "oauth2_password",
    "oauth2_client_credentials",
)


class IdentityConfig(_Section):
    """One named identity: at most one credential form (none means anonymous)."""

    name: str = Field(min_length=1)
    roles: list[str] = Field(default_factory=list)
    scopes: list[str] = Field(default_factory=list)
    bearer: BearerCredentials | None = None
    api_key: ApiKeyCredentials | None = None
    basic: BasicCredentials | None = None
    cookie: CookieCredentials | None = None
    cookie_login: CookieLoginCredentials | None = None
    oauth2_password: PasswordCredentials | None = None
    oauth2_client_credentials: ClientCredentials | None = None

    @model_validator(mode="after")
    def _one_form(self) -> IdentityConfig:
        given = [form for form in _FORMS if getattr(self, form) is not None]
        if len(given) > 1:
            raise ValueError(
                f"identity {self.name!r} has {len(given)} credential forms ({', '.join(given)}); "
                "give exactly one"
            )
        return self

    @property
    def form(self) -> str | None:
        """The credential form in use, or None for an anonymous identity."""
        return next((form for form in _FORMS if getattr(self, form) is not None), None)


class SecurityConfig(_Section):
    """``[security]``: what the security phase's probes compare the service with.

    ``cors_origins`` are the origins allowed to call the API from a browser (none:
    only what the service itself answers with, consistently). ``rate_limited`` names
    operations (operationId or ``METHOD /path``) that must answer a burst with 429,
    besides the login and token endpoints; ``burst`` bounds the requests of one burst.
    ``session_idle_timeout`` / ``session_absolute_timeout`` (seconds) are checked when
    at most 10 s: a cookie session must stop working after them.
    """

    cors_origins: list[str] = Field(default_factory=list)
    rate_limited: list[str] = Field(default_factory=list)
    burst: int = Field(default=30, ge=2, le=100)
    session_idle_timeout: float | None = Field(default=None, gt=0)
    session_absolute_timeout: float | None = Field(default=None, gt=0)


class TokenConfig(_Section):
    """``[auth.tokens]``: the key the auth phase signs test JWTs with (see `TokenMinter`).

    The HMAC secret as ``key`` / ``key_env``, or a PEM private key in
    ``private_key_file`` (relative to the configuration file); ``issuer``, ``audience``
    and ``kid`` as the service expects them, so that only the broken part of each
    variant differs from a token it accepts.
    """

    key: str | None = None
    key_env: str | None = None
    private_key_file: str | None = None
    algorithm: str = "HS256"
    issuer: str | None = None
    audience: str | None = None
    kid: str | None = None


class AuthConfig(_Section):
    """``[auth]``: what the auth phase compares the service with.

    ``policy`` maps a role to the operations (operationId or ``METHOD /path``; ``*``
    for every one) its identities may call; an operation the policy names for no role
    of an identity must refuse that identity. ``policy_file`` names a TOML file of the
    same table (relative to the configuration file), merged under ``policy``.
    ``tokens`` lets the phase mint its own tokens (expired, wrong audience…) besides
    breaking the ones the service issues.
    """

    policy: dict[str, list[str]] = Field(default_factory=dict)
    policy_file: str | None = None
    tokens: TokenConfig | None = None

    def roles_policy(self) -> dict[str, list[str]]:
        """``policy_file``'s roles, then ``policy``'s (which win for a role in both)."""
        if self.policy_file is None:
            return dict(self.policy)
        loaded = _read_toml(Path(self.policy_file))
        roles = loaded.get("policy", loaded)
        bad = [k for k, v in roles.items() if not isinstance(v, list)]
        if bad:
            raise AssayError(
                f"{self.policy_file}: the policy of role(s) {', '.join(map(repr, bad))} is "
                "not a list of operations",
                hint='Write role = ["operationId", "METHOD /path", …] (or ["*"]).',
            )
        return {**{str(k): [str(o) for o in v] for k, v in roles.items()}, **self.policy}

    def minter(self) -> TokenMinter | None:
        """The `TokenMinter` of ``tokens`` (None when no key is configured)."""
        from assay.client.tokens import TokenMinter

        t = self.tokens
        if t is None:
            return None
        options: dict[str, Any] = {"issuer": t.issuer, "audience": t.audience, "kid": t.kid}
        if t.private_key_file is not None:
            return TokenMinter.from_pem(t.private_key_file, t.algorithm, **options)
        key = _secret("[auth.tokens]", "tokens", "key", t.key, t.key_env)
        return TokenMinter(key, t.algorithm, **options)


_LOOPBACK = r"(127\.0\.0\.1|localhost|\[::1\])"
_LISTEN = re.compile(rf"{_LOOPBACK}:(\d{{1,5}})")
_UPSTREAM = re.compile(rf"http://{_LOOPBACK}:(\d{{1,5}})/?")
FaultName = Literal["unavailable", "error", "reset", "refuse", "hang"]
DEFAULT_FAULTS: tuple[FaultName, ...] = ("unavailable", "hang", "reset")


class DependencyConfig(_Section):
    """One ``[[resilience.dependencies]]``: a dependency the resilience phase puts a
    fault proxy in front of.

    ``listen`` is where the service under test was told the dependency is (the proxy
    listens there during the phase); ``upstream`` is where the dependency really runs.
    Both on this machine: fault traffic never leaves it.
    """

    name: str = Field(min_length=1)
    listen: str
    upstream: str

    @field_validator("listen")
    @classmethod
    def _local_listen(cls, value: str) -> str:
        match = _LISTEN.fullmatch(value.strip())
        if match is None or not 0 < int(match.group(2)) < 65536:
            raise ValueError(
                f'{value!r} is not a local address: write it as "127.0.0.1:PORT" (the '
                "proxy listens on this machine only)"
            )
        return value.strip()

    @field_validator("upstream")
    @classmethod
    def _local_upstream(cls, value: str) -> str:
        match = _UPSTREAM.fullmatch(value.strip())
        if match is None or not 0 < int(match.group(2)) < 65536:
            raise ValueError(
                f'{value!r} is not a local base URL: write it as "http://127.0.0.1:PORT" '
                "(fault traffic goes to this machine only)"
            )
        return value.strip()


class ResilienceConfig(_Section):
    """``[resilience]``: the dependencies the resilience phase fails, and its bounds.

    ``budget`` (seconds): with a dependency hung, the service must answer within it.
    ``max_calls``: the calls one request may make to a failing dependency (the first
    included); ``min_backoff`` (seconds): three or more retries all closer together
    than this are a retry storm too. ``faults`` are applied in this order to each
    operation found calling a dependency, at most ``max_operations`` operations.
    ``correlation_header`` ties a dependency's calls to the request that caused them.
    """

    dependencies: list[DependencyConfig] = Field(default_factory=list)
    budget: float = Field(default=10.0, gt=0, le=300)
    max_calls: int = Field(default=4, ge=1, le=100)
    min_backoff: float = Field(default=0.05, ge=0, le=60)
    faults: list[FaultName] = Field(default_factory=lambda: list(DEFAULT_FAULTS), min_length=1)
    max_operations: int = Field(default=3, ge=1, le=50)
    correlation_header: str = Field(default="X-Request-ID", min_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> ResilienceConfig:
        for attribute in ("name", "listen"):
            values = [getattr(d, attribute) for d in self.dependencies]
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise ValueError(
                    f"each dependency needs its own {attribute}; repeated: {', '.join(repeated)}"
                )
        return self


class AssayConfig(_Section):
    """The whole configuration; every field has a default so an empty file is valid."""

    app: str | None = None
    url: str | None = None
    spec: str | None = None
    seed: int | None = Field(default=None, ge=0)
    validate_responses: bool = True
    timeout: float = Field(default=10.0, gt=0)
    identities: list[IdentityConfig] = Field(default_factory=list)
    security: SecurityConfig = Field(default_factory=SecurityConfig)
    auth: AuthConfig = Field(default_factory=AuthConfig)
    resilience: ResilienceConfig = Field(default_factory=ResilienceConfig)
    source: Path | None = Field(default=None, exclude=True)
    """The file this configuration was read from (None: defaults)."""

    @model_validator(mode="after")
    def _unique_names(self) -> AssayConfig:
        names = [identity.name for identity in self.identities]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"identity names must be unique; repeated: {', '.join(duplicates)}")
        if self.app and self.url:
            raise ValueError("give either `app` (in-process) or `url` (live service), not both")
        return self

    def resolve_path(self, value: str) -> str:
        """A relative file path in the configuration, taken from the file's folder."""
        if self.source is None or "://" in value or Path(value).is_absolute():
            return value
        return str(self.source.parent / value)


def find_config_file(start: Path | str | None = None) -> Path | None:
    """The nearest ``assay.toml``, or ``pyproject.toml`` with ``[tool.assay]``, upwards.

    The search stops at the first folder holding a pyproject.toml (the project root),
    so an unrelated configuration higher up is never picked up.
    """
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = candidate / PYPROJECT
        if pyproject.is_file():
            return pyproject if "assay" in _read_toml(pyproject).get("tool", {}) else None
    return None


def load_config(path: Path | str | None = None, *, start: Path | str | None = None) -> AssayConfig:
    """Read the configuration from ``path``, or from the file found upwards from ``start``."""
    file = Path(path) if path is not None else find_config_file(start)
    if file is None:
        return AssayConfig()
    if not file.is_file():
        raise AssayError(
            f"configuration file {file} does not exist",
            hint="check the path given to --config / --assay-config",
        )
    document = _read_toml(file)
    section = document.get("tool", {}).get("assay", {}) if file.name == PYPROJECT else document
    return parse_config(section, source=file)


def parse_config(data: Mapping[str, Any], *, source: Path | None = None) -> AssayConfig:
    """Validate a configuration mapping; errors name the key and the file."""
    where = f"{source}" if source else "assay configuration"
    prefix = "[tool.assay] " if source is not None and source.name == PYPROJECT else ""
    try:
        return AssayConfig.model_validate({**data, "source": source})
    except ValidationError as exc:
        problems = "; ".join(
            f"{prefix}{_location(error['loc'])}: {_reason(error)}" for error in exc.errors()
        )
        raise AssayError(
            f"{where}: {problems}",
            hint="see docs/configuration.md for every key and the credential forms",
        ) from None


def _location(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _reason(error: Mapping[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _read_toml(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise AssayError(
            f"{file} is not valid TOML: {exc}", hint="fix the syntax at the position shown"
        ) from None
    except OSError as exc:
        raise AssayError(f"cannot read {file}: {exc.strerror}") from None


def build_identities(config: AssayConfig) -> list[Identity]:
    """The client `Identity` of every configured identity, secrets read from the environment."""
    return [build_identity(identity) for identity in config.identities]


def build_identity(config: IdentityConfig) -> Identity:
    """One `Identity` from its configuration (``roles``/``scopes`` describe what it holds)."""
    identity = _credentials(config)
    return dataclasses.replace(
        identity, roles=frozenset(config.roles), scopes=frozenset(config.scopes)
    )


def _credentials(config: IdentityConfig) -> Identity:
    from assay.client.identities import Identity

    name = config.name
    if config.bearer is not None:
        b = config.bearer
        return Identity.bearer(name, _secret(name, "bearer", "token", b.token, b.token_env))
    if config.api_key is not None:
        k = config.api_key
        key = _secret(name, "api_key", "key", k.key, k.key_env)
        return Identity.api_key(name, key, parameter=k.name, location=k.location)
    if config.basic is not None:
        a = config.basic
        password = _secret(name, "basic", "password", a.password, a.password_env)
        return Identity.basic(name, a.username, password)
    if config.cookie is not None:
        return Identity.cookie(name, _cookies(name, config.cookie))
    return _login_identity(config)


def _cookies(owner: str, cookie: CookieCredentials) -> dict[str, str]:
    values = dict(cookie.cookies)
    for cookie_name, env in cookie.cookies_env.items():
        values[cookie_name] = _secret(owner, "cookie", f"cookies.{cookie_name}", None, env)
    if not values:
        raise AssayError(
            f"identity {owner!r}: cookie has no cookies",
            hint='give cookies = { session = "…" } or cookies_env = { session = "VARIABLE" }',
        )
    return values


def _login_identity(config: IdentityConfig) -> Identity:
    from assay.client.identities import Identity

    name = config.name
    if config.cookie_login is not None:
        c = config.cookie_login
        password = _secret(name, "cookie_login", "password", c.password, c.password_env)
        return Identity.cookie_login(
            name,
            c.login_url,
            c.username,
            password,
            form=c.form,
            username_field=c.username_field,
            password_field=c.password_field,
        )
    if config.oauth2_password is not None:
        p = config.oauth2_password
        password = _secret(name, "oauth2_password", "password", p.password, p.password_env)
        secret = None
        if p.client_secret is not None or p.client_secret_env is not None:
            secret = _secret(
                name, "oauth2_password", "client_secret", p.client_secret, p.client_secret_env
            )
        return Identity.oauth2_password(
            name,
            p.token_url,
            p.username,
            password,
            scopes=p.scopes,
            client_id=p.client_id,
            client_secret=secret,
        )
    if config.oauth2_client_credentials is not None:
        g = config.oauth2_client_credentials
        section = "oauth2_client_credentials"
        secret = _secret(name, section, "client_secret", g.client_secret, g.client_secret_env)
        return Identity.oauth2_client_credentials(
            name, g.token_url, g.client_id, secret, scopes=g.scopes
        )
    return Identity(name)
