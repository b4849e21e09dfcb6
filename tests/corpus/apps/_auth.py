"""A notes API with OAuth2 bearer JWTs, for the auth corpus apps: each switches one flaw on.

Tokens are HS256 (or RS256 with ``rsa=True``) JWTs with ``iss``, ``aud``, ``exp`` and
``sub`` the API checks, and a ``scope`` claim the routes' OAuth2 scopes are checked
against. A flaw name in ``flaws`` turns one check off (or does one thing wrong); with
no flaw the API is correct and every probe of the auth phase must stay silent. The
published document is the same whatever the flaws.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
from typing import Annotated, Any

import jwt
from fastapi import Depends, FastAPI, Form, HTTPException, Request, Security
from fastapi.security import OAuth2PasswordBearer, SecurityScopes
from pydantic import BaseModel, Field
from tests.checks.bench import Probe
from tests.corpus.apps._hardening import hardened
from tests.corpus.apps._security import LoginGuard

from assay.client.identities import Identity
from assay.client.tokens import TokenMinter, decode_unverified
from assay.config import AuthConfig, TokenConfig

KEY = "corpus-notes-signing-key-0123456789abcdef"
ISSUER = "https://id.corpus.test"
AUDIENCE = "notes-api"
YEAR = 365 * 24 * 3600
SCOPES = {
    "notes:read": "Read notes.",
    "notes:write": "Write notes.",
    "reports:read": "Read reports.",
    "admin": "Administer.",
}
USERS = {
    "ana": ("customer", "notes:read notes:write"),
    "ben": ("customer", "notes:read notes:write"),
    "root": ("admin", "notes:read notes:write reports:read admin"),
}
PASSWORD = "corpus-password"
POLICY = {"admin": ["*"], "customer": ["list_notes", "create_note", "read_note"]}

oauth2 = OAuth2PasswordBearer("/token", scopes=SCOPES, auto_error=False)


@functools.cache
def rsa_private_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raw = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return raw.decode()


def public_jwk() -> dict[str, Any]:
    """The RS256 public key as a JWK (what the service publishes at its JWKS URL)."""
    import json

    from cryptography.hazmat.primitives import serialization

    public = serialization.load_pem_public_key((minter(rsa=True).public_key or "").encode())
    jwk: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public))
    return {**jwk, "kid": "corpus", "use": "sig", "alg": "RS256"}


@functools.cache
def minter(*, rsa: bool = False) -> TokenMinter:
    key, algorithm = (rsa_private_pem(), "RS256") if rsa else (KEY, "HS256")
    return TokenMinter(key, algorithm, issuer=ISSUER, audience=AUDIENCE, lifetime=YEAR)


def token(user: str, *, rsa: bool = False, **claims: Any) -> str:
    return minter(rsa=rsa).mint(**{"sub": user, "scope": USERS[user][1], **claims})


def identity(user: str, *, rsa: bool = False) -> Identity:
    role, scopes = USERS[user]
    return Identity.bearer(user, token(user, rsa=rsa), roles=[role], scopes=scopes.split())


def password_identity(user: str) -> Identity:
    """An identity that logs in at ``/token`` with the password grant."""
    role, scopes = USERS[user]
    found = Identity.oauth2_password(user, "/token", user, PASSWORD)
    return dataclasses.replace(found, roles=frozenset([role]), scopes=frozenset(scopes.split()))


def settings(
    *users: str, rsa: bool = False, policy: bool = False, login: bool = False, **extra: Any
) -> dict[str, Any]:
    """Run settings: the auth phase, identities, and the key to mint tokens with.

    Identities hold fixed bearer tokens, or log in at ``/token`` when `login`.
    """
    tokens = TokenConfig(key=KEY, issuer=ISSUER, audience=AUDIENCE) if not rsa else None
    make = password_identity if login else functools.partial(identity, rsa=rsa)
    return {
        "phases": ("auth",),
        "identities": tuple(make(u) for u in users or ("ana", "root")),
        "auth": AuthConfig(tokens=tokens, policy=POLICY if policy else {}),
        **extra,
    }


def credential_probe(operation: str, variant: str, bearer: str) -> Probe:
    """The credential-matrix case `variant` for `operation`, with its token."""
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    return Probe(
        operation,
        headers=headers,
        kind="negative",
        phase="auth",
        mutation=f"credentials: {variant}",
    )


def _verify(raw: str, flaws: frozenset[str], rsa: bool) -> dict[str, Any] | None:
    decoded = decode_unverified(raw)
    if decoded is None:
        return None
    header, claims = decoded
    if header.get("alg") == "none":
        return claims if "alg_none" in flaws else None
    if rsa and header.get("alg") == "HS256" and "confusion" in flaws:
        return _hmac_with_public_key(raw, claims)
    return _decode(raw, flaws, rsa)


def _hmac_with_public_key(raw: str, claims: dict[str, Any]) -> dict[str, Any] | None:
    public = minter(rsa=True).public_key or ""
    head, body, signature = raw.split(".")
    digest = hmac.new(public.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return claims if jwt.utils.base64url_encode(digest).decode() == signature else None


def _decode(raw: str, flaws: frozenset[str], rsa: bool) -> dict[str, Any] | None:
    key = (minter(rsa=True).public_key or "") if rsa else KEY
    options: Any = {
        "require": ["exp", "sub", "iss", "aud"],
        "verify_signature": "no_signature_check" not in flaws,
        "verify_exp": "no_exp_check" not in flaws,
        "verify_aud": "no_aud_check" not in flaws,
        "verify_iss": "no_iss_check" not in flaws,
    }
    try:
        claims: dict[str, Any] = jwt.decode(
            raw,
            key,
            algorithms=["RS256" if rsa else "HS256"],
            audience=AUDIENCE,
            issuer=ISSUER,
            options=options,
        )
    except jwt.PyJWTError:
        return None
    return claims if claims.get("sub") in USERS else None


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=80)


class Note(BaseModel):
    id: int
    title: str
    owner_id: str


class Report(BaseModel):
    notes: int


class SignupIn(BaseModel):
    email: str = Field(min_length=3, max_length=80)


class Account(BaseModel):
    id: int
    email: str
    role: str
    balance: int = Field(json_schema_extra={"readOnly": True})


class TokenOut(BaseModel):
    access_token: str
    token_type: str
    scope: str


_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not authenticated"},
    403: {"description": "Not allowed"},
    404: {"description": "No such note"},
}


def _unauthorized(flaws: frozenset[str]) -> HTTPException:
    headers = None if "no_challenge" in flaws else {"WWW-Authenticate": "Bearer"}
    return HTTPException(401, "Not authenticated", headers=headers)


def principal(
    request: Request, scopes: SecurityScopes, raw: Annotated[str | None, Depends(oauth2)]
) -> dict[str, Any]:
    """The caller's claims; 401 without a valid token, 403 without the route's scopes."""
    flaws: frozenset[str] = request.app.state.flaws
    if raw is None:
        if "no_auth" in flaws:
            return {"sub": "ana", "scope": ""}
        raise _unauthorized(flaws)
    claims = _verify(raw, flaws, request.app.state.rsa)
    if claims is None:
        raise _unauthorized(flaws)
    held = set(str(claims.get("scope", "")).split())
    if not set(scopes.scopes) <= held and "no_scope_check" not in flaws:
        raise HTTPException(403, "Missing scope")
    return claims


def role_of(claims: dict[str, Any]) -> str:
    return USERS.get(str(claims.get("sub")), ("nobody", ""))[0]


Reader = Annotated[dict[str, Any], Security(principal, scopes=["notes:read"])]
Writer = Annotated[dict[str, Any], Security(principal, scopes=["notes:write"])]
Signed = Annotated[dict[str, Any], Security(principal)]
Reports = Annotated[dict[str, Any], Security(principal, scopes=["reports:read"])]


def _app(flaws: frozenset[str], rsa: bool) -> FastAPI:
    app = hardened(FastAPI(title="notes"))
    app.state.flaws = flaws
    app.state.rsa = rsa
    app.state.notes = {}
    app.state.accounts = []
    guard = LoginGuard()

    @app.get("/notes", operation_id="list_notes", responses=_AUTH_ERRORS)
    def list_notes(user: Reader) -> list[Note]:
        return [n for n in app.state.notes.values() if n.owner_id == user["sub"]]

    @app.post("/notes", operation_id="create_note", status_code=201, responses=_AUTH_ERRORS)
    async def create_note(user: Writer, request: Request, note: NoteIn) -> Note:
        sent = await request.json()
        owner = sent.get("owner_id") if "mass_owner" in flaws else None
        made = Note(id=len(app.state.notes) + 1, title=note.title, owner_id=owner or user["sub"])
        app.state.notes[made.id] = made
        return made

    @app.patch("/notes/{note_id}", operation_id="rename_note", responses=_AUTH_ERRORS)
    async def rename_note(note_id: int, user: Writer, request: Request, note: NoteIn) -> Note:
        found: Note | None = app.state.notes.get(note_id)
        if found is None or found.owner_id != user["sub"]:
            raise HTTPException(404, "No such note")
        sent = await request.json()
        owner = sent.get("owner_id") if "mass_owner_update" in flaws else None
        changed = Note(id=note_id, title=note.title, owner_id=owner or found.owner_id)
        app.state.notes[note_id] = changed
        return changed

    @app.get("/notes/{note_id}/admin", operation_id="inspect_note", responses=_AUTH_ERRORS)
    def inspect_note(note_id: int, user: Signed) -> Note:
        if "existence_leak" in flaws and note_id not in app.state.notes:
            raise HTTPException(404, "No such note")
        if "admin" not in str(user.get("scope", "")).split():
            raise HTTPException(403, "Administrators only")
        if note_id not in app.state.notes:
            raise HTTPException(404, "No such note")
        found: Note = app.state.notes[note_id]
        return found

    @app.get("/reports", operation_id="read_report", responses=_AUTH_ERRORS)
    def read_report(user: Reports) -> Report:
        return Report(notes=len(app.state.notes))

    @app.get("/admin/users", operation_id="list_users", responses=_AUTH_ERRORS)
    def list_users(user: Signed) -> list[str]:
        if role_of(user) != "admin" and "admin_open" not in flaws:
            raise HTTPException(403, "Administrators only")
        return sorted(USERS)

    @app.post("/signup", operation_id="sign_up", status_code=201)
    async def sign_up(request: Request, body: SignupIn) -> Account:
        sent = await request.json()
        role = sent.get("role", "customer") if "mass_role" in flaws else "customer"
        balance = sent.get("balance", 0) if "mass_read_only" in flaws else 0
        account = Account(
            id=len(app.state.accounts) + 1, email=body.email, role=role, balance=balance
        )
        app.state.accounts.append(account)
        return account

    @app.get("/.well-known/jwks.json", operation_id="jwks")
    def jwks() -> dict[str, list[dict[str, Any]]]:
        return {"keys": [public_jwk()] if rsa else []}

    @app.post(
        "/token",
        operation_id="issue_token",
        responses={400: {"description": "Refused"}, 429: {"description": "Too many attempts"}},
    )
    def issue_token(
        grant_type: Annotated[str, Form(pattern="^password$")],
        username: Annotated[str, Form()],
        password: Annotated[str, Form()],
        scope: Annotated[str, Form()] = "",
    ) -> TokenOut:
        limits = guard.admit(username)
        if username not in USERS or password != PASSWORD:
            guard.failed(username)
            raise HTTPException(400, "invalid_grant", headers=limits)
        held = set(USERS[username][1].split())
        wanted = set(scope.split()) or held
        granted = wanted if "grant_any_scope" in flaws else wanted & held
        text = " ".join(sorted(granted))
        return TokenOut(
            access_token=token(username, rsa=rsa, scope=text), token_type="bearer", scope=text
        )

    return app


def notes_app(*flaws: str, rsa: bool = False) -> FastAPI:
    """The notes API with `flaws` switched on (none: a correct API)."""
    return _app(frozenset(flaws), rsa)


def variant_token(variant: str, *, rsa: bool = False) -> str:
    """Ana's token broken as the auth phase breaks it (`TokenMinter.variants`)."""
    from assay.client.tokens import keyless_variants

    if variant == "algorithm_confusion":
        public = minter(rsa=True).public_key
        return keyless_variants(token("ana", rsa=True), public_pem=public)[variant]
    return minter(rsa=rsa).variants(sub="ana", scope=USERS["ana"][1])[variant]


def bearer(user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(user)}"}


def access_probe(operation: str, user: str, reason: str, **values: Any) -> Probe:
    """An access-matrix case: `user` must be refused `operation` for `reason`."""
    facts = {"step": "access", "identity": user, "reason": reason, "baseline": None}
    return Probe(operation, headers=bearer(user), phase="auth", scenario=facts, **values)


def assignment_probe(
    operation: str, body: dict[str, Any], injected: dict[str, Any], **values: Any
) -> Probe:
    """A mass-assignment case: `body` carries the `injected` fields."""
    before = dict.fromkeys(injected)
    facts = {"step": "mass_assignment", "injected": injected, "before": before, "baseline": None}
    return Probe(
        operation, headers=bearer("root"), body=body, phase="auth", scenario=facts, **values
    )
