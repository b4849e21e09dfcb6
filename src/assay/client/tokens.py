"""JSON Web Tokens for tests: valid ones with any claims, and every broken variant.

`TokenMinter` signs tokens with a key from the configuration, a PEM file or its text
(HS256/384/512 with a shared secret, RS256 or ES256 with a private key) and knows the
service's public key when one is given (a PEM, or the service's JWKS) for the
algorithm-confusion variant. The broken variants a service must refuse are built
here, several by hand because PyJWT rightly refuses to make them: ``alg: none``, a
payload changed after signing, a signature that does not match, an HMAC signed with
the public key. `keyless_variants` breaks a token the service issued itself, for a
run that holds no signing key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.errors import AssayError

__all__ = ["TokenMinter", "decode_unverified", "keyless_variants", "public_pem_from_jwks"]

_HMAC = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
_ASYMMETRIC = frozenset({"RS256", "RS384", "RS512", "ES256", "ES384", "PS256"})
_UNKNOWN_KID = "assay-unknown-kid"
_FOREIGN_ISSUER = "https://issuer.invalid/assay"
_FOREIGN_AUDIENCE = "assay-other-audience"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64_json(value: Mapping[str, Any]) -> str:
    return _b64(json.dumps(dict(value), separators=(",", ":")).encode())


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The header and claims of a JWT, read without verifying it (None if not a JWT)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header, claims = json.loads(_unb64(parts[0])), json.loads(_unb64(parts[1]))
    except ValueError:
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return header, claims


def _hs_token(header: Mapping[str, Any], claims: Mapping[str, Any], secret: bytes, alg: str) -> str:
    signing_input = f"{_b64_json(header)}.{_b64_json(claims)}"
    digest = hmac.new(secret, signing_input.encode(), _HMAC[alg]).digest()
    return f"{signing_input}.{_b64(digest)}"


def _unsigned(claims: Mapping[str, Any], header: Mapping[str, Any] | None = None) -> str:
    head = {**dict(header or {}), "alg": "none", "typ": "JWT"}
    head.pop("kid", None)
    return f"{_b64_json(head)}.{_b64_json(claims)}."


def _flip_signature(token: str) -> str:
    head, body, signature = token.split(".")
    raw = bytearray(_unb64(signature) or b"\0")
    raw[len(raw) // 2] ^= 0x5A
    return f"{head}.{body}.{_b64(bytes(raw))}"


def _with_claims(token: str, changes: Mapping[str, Any]) -> str:
    """The token with its payload changed and its original signature kept."""
    head, _, signature = token.split(".")
    decoded = decode_unverified(token)
    claims = {**(decoded[1] if decoded else {}), **dict(changes)}
    return f"{head}.{_b64_json(claims)}.{signature}"


def _with_header(token: str, changes: Mapping[str, Any]) -> str:
    _, body, signature = token.split(".")
    decoded = decode_unverified(token)
    header = {**(decoded[0] if decoded else {}), **dict(changes)}
    return f"{_b64_json(header)}.{body}.{signature}"


def _tampered_claims(claims: Mapping[str, Any]) -> dict[str, Any]:
    """Privileges added: an admin role and scope on top of whatever the token held."""
    scope = str(claims.get("scope", "")).split()
    return {
        "scope": " ".join([*scope, "admin"]).strip(),
        "roles": ["admin"],
        "role": "admin",
        "is_admin": True,
    }


def keyless_variants(token: str, *, public_pem: str | None = None) -> dict[str, str]:
    """Broken copies of a token the service issued, made without its signing key.

    ``alg_none`` (the claims unsigned), ``bad_signature`` (one signature byte changed),
    ``tampered_claims`` (admin role and scope added, signature kept), ``unknown_kid``
    (the header names a key the service does not have) and, with the service's public
    key, ``algorithm_confusion`` (HS256 signed with the public key as the secret).
    """
    decoded = decode_unverified(token)
    if decoded is None:
        return {}
    header, claims = decoded
    variants = {
        "alg_none": _unsigned(claims, header),
        "bad_signature": _flip_signature(token),
        "tampered_claims": _with_claims(token, _tampered_claims(claims)),
        "unknown_kid": _with_header(token, {"kid": _UNKNOWN_KID}),
    }
    if public_pem is not None:
        head = {**header, "alg": "HS256", "typ": "JWT"}
        variants["algorithm_confusion"] = _hs_token(head, claims, public_pem.encode(), "HS256")
    return variants


def public_pem_from_jwks(jwks: Mapping[str, Any], kid: str | None = None) -> str | None:
    """The PEM of the public key in a JWKS document (the one named `kid`, else the first)."""
    import jwt
    from cryptography.hazmat.primitives import serialization

    keys = [k for k in jwks.get("keys", []) if isinstance(k, Mapping)]
    chosen = next((k for k in keys if kid is not None and k.get("kid") == kid), None)
    chosen = chosen or (keys[0] if keys else None)
    if chosen is None:
        return None
    try:
        key = jwt.PyJWK.from_dict(dict(chosen)).key
        raw = key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except (jwt.PyJWTError, AttributeError, ValueError, TypeError):
        return None
    return str(raw.decode())


@dataclass(slots=True)
class TokenMinter:
    """Signs JWTs for a service under test, valid or deliberately broken.

    ``key`` is the HMAC secret (HS*) or the PEM of the private key (RS*/ES*);
    ``public_key`` the service's public key PEM (derived from a private key when not
    given). Every token gets ``iss``/``aud`` when set, ``iat``, ``exp`` (``lifetime``
    seconds on) and a ``jti``; keyword claims of `mint` add to or override them.
    """

    key: str | bytes
    algorithm: str = "HS256"
    issuer: str | None = None
    audience: str | None = None
    kid: str | None = None
    subject: str = "assay-user"
    lifetime: float = 300.0
    public_key: str | None = None
    clock: Callable[[], float] = field(default=time.time)
    _signing_key: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.algorithm not in _HMAC and self.algorithm not in _ASYMMETRIC:
            known = ", ".join([*_HMAC, *sorted(_ASYMMETRIC)])
            raise AssayError(
                f"TokenMinter cannot sign with {self.algorithm!r}",
                hint=f"Use one of: {known}.",
            )
        if self.algorithm in _ASYMMETRIC:
            self._signing_key = _private_key(self.key)
            if self.public_key is None and self._signing_key is not None:
                self.public_key = _public_pem(self._signing_key)

    @classmethod
    def from_pem(cls, path: str | Path, algorithm: str = "RS256", **options: Any) -> TokenMinter:
        """A minter signing with the private key in a PEM file."""
        try:
            text = Path(path).read_text()
        except OSError as exc:
            raise AssayError(
                f"cannot read the signing key {path}: {exc.strerror}",
                hint="Give the path of a PEM private key (relative to assay.toml).",
            ) from None
        return cls(text, algorithm, **options)

    def claims(self, **overrides: Any) -> dict[str, Any]:
        """The claims a valid token carries, with `overrides` (None removes a claim)."""
        now = int(self.clock())
        base: dict[str, Any] = {
            "sub": self.subject,
            "iat": now,
            "exp": now + int(self.lifetime),
            "jti": uuid.uuid4().hex,
        }
        if self.issuer is not None:
            base["iss"] = self.issuer
        if self.audience is not None:
            base["aud"] = self.audience
        base.update(overrides)
        return {k: v for k, v in base.items() if v is not None}

    def encode(self, claims: Mapping[str, Any], *, headers: Mapping[str, Any] | None = None) -> str:
        """Sign exactly `claims` (nothing added)."""
        import jwt

        extra = dict(headers or {})
        if self.kid is not None:
            extra.setdefault("kid", self.kid)
        key = self._signing_key if self._signing_key is not None else self.key
        return jwt.encode(dict(claims), key, algorithm=self.algorithm, headers=extra or None)

    def mint(self, **claims: Any) -> str:
        """A valid token: the default claims plus `claims` (``role="admin"``, ``sub=…``)."""
        return self.encode(self.claims(**claims))

    def variants(self, **claims: Any) -> dict[str, str]:
        """Every broken variant of ``mint(**claims)``, by name; a service must refuse each."""
        now = int(self.clock())
        valid = self.mint(**claims)
        changes: dict[str, dict[str, Any]] = {
            "expired": {"iat": now - 7200, "exp": now - 3600},
            "not_yet_valid": {"nbf": now + 3600},
            "missing_exp": {"exp": None},
            "missing_sub": {"sub": None},
        }
        if self.issuer is not None:
            changes["wrong_issuer"] = {"iss": _FOREIGN_ISSUER}
            changes["missing_issuer"] = {"iss": None}
        if self.audience is not None:
            changes["wrong_audience"] = {"aud": _FOREIGN_AUDIENCE}
            changes["missing_audience"] = {"aud": None}
        found = {
            name: self.encode(self.claims(**{**claims, **change}))
            for name, change in changes.items()
        }
        found.update(keyless_variants(valid, public_pem=self.public_key))
        if self.algorithm in _HMAC:
            found.pop("algorithm_confusion", None)
        return found

    def deleted_user(self, subject: str, **claims: Any) -> str:
        """A valid token for a user that no longer exists (the service must refuse it)."""
        return self.mint(**{**claims, "sub": subject})


def _private_key(private_pem: str | bytes) -> Any:
    """The private key object of a PEM (loaded once: loading checks the key, slowly)."""
    from cryptography.hazmat.primitives import serialization

    data = private_pem.encode() if isinstance(private_pem, str) else private_pem
    try:
        return serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        return None


def _public_pem(key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return str(raw.decode())
