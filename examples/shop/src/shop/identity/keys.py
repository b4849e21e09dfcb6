"""RSA signing keys: the active key signs, every key in the ring verifies and is published.

Key ids are RFC 7638 JWK thumbprints, so the same PEM always gets the same ``kid``.
Rotation adds a new active key and keeps the previous ones for verification until they
are retired (after the longest access-token lifetime).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

_KEY_BITS = 2048


def _b64uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class SigningKey:
    """One RSA key pair with its key id."""

    kid: str
    private_key: rsa.RSAPrivateKey

    @classmethod
    def from_private_key(cls, private_key: rsa.RSAPrivateKey) -> SigningKey:
        numbers = private_key.public_key().public_numbers()
        members = {"e": _b64uint(numbers.e), "kty": "RSA", "n": _b64uint(numbers.n)}
        canonical = json.dumps(members, separators=(",", ":"), sort_keys=True)
        digest = hashlib.sha256(canonical.encode("ascii")).digest()
        return cls(base64.urlsafe_b64encode(digest).decode("ascii").rstrip("="), private_key)

    @classmethod
    def from_pem(cls, pem: str) -> SigningKey:
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("signing keys must be RSA private keys (RS256)")
        return cls.from_private_key(key)

    @classmethod
    def generate(cls) -> SigningKey:
        return cls.from_private_key(rsa.generate_private_key(65537, _KEY_BITS))

    @property
    def public_key(self) -> rsa.RSAPublicKey:
        return self.private_key.public_key()

    def jwk(self) -> dict[str, str]:
        """The public JWK of this key (never any private member)."""
        numbers = self.public_key.public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": self.kid,
            "n": _b64uint(numbers.n),
            "e": _b64uint(numbers.e),
        }

    def private_pem(self) -> str:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")


class KeyRing:
    """The signing keys in use; thread-safe rotation."""

    def __init__(self, keys: list[SigningKey]) -> None:
        if not keys:
            raise ValueError("a key ring needs at least one key")
        self._keys = list(keys)
        self._lock = threading.Lock()

    @classmethod
    def from_pems(cls, pems: tuple[str, ...]) -> KeyRing:
        """The ring of ``pems`` (first one active), or of one fresh key when empty."""
        return cls([SigningKey.from_pem(pem) for pem in pems] or [SigningKey.generate()])

    @property
    def active(self) -> SigningKey:
        return self._keys[0]

    def find(self, kid: str) -> SigningKey | None:
        return next((key for key in self._keys if key.kid == kid), None)

    def rotate(self, new_key: SigningKey | None = None) -> SigningKey:
        """Make ``new_key`` (or a fresh key) active; older keys keep verifying."""
        key = new_key or SigningKey.generate()
        with self._lock:
            self._keys = [key, *(k for k in self._keys if k.kid != key.kid)]
        return key

    def retire(self, kid: str) -> None:
        """Stop accepting tokens signed by ``kid``; the active key cannot be retired."""
        with self._lock:
            if kid == self._keys[0].kid:
                raise ValueError("the active signing key cannot be retired")
            self._keys = [k for k in self._keys if k.kid != kid]

    def jwks(self) -> dict[str, Any]:
        """The JSON Web Key Set of every key in the ring."""
        return {"keys": [key.jwk() for key in self._keys]}
