"""Password (and client secret) hashing with scrypt, a memory-hard KDF.

Hashes are self-describing (``scrypt$<log2 n>$<r>$<p>$<salt>$<hash>``) so the cost can be
raised later while old hashes keep verifying. Comparison is constant-time, and unknown
users are checked against a dummy hash of the same cost, so a failed login takes the
same time whether or not the account exists.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

_SALT_BYTES = 16
_KEY_BYTES = 32
_BLOCK_SIZE = 8
_PARALLELISM = 1


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(secret: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    n = 1 << log2_n
    return hashlib.scrypt(
        secret.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=256 * r * n + (1 << 20),
        dklen=_KEY_BYTES,
    )


@dataclass
class PasswordHasher:
    """Hashes and verifies secrets; ``log2_n`` is scrypt's cost (15 → 32 MiB, ~0.1 s)."""

    log2_n: int = 15
    _dummy: str = field(default="", init=False, repr=False)

    def hash(self, secret: str) -> str:
        """A fresh salted hash of ``secret``."""
        salt = secrets.token_bytes(_SALT_BYTES)
        digest = _scrypt(secret, salt, self.log2_n, _BLOCK_SIZE, _PARALLELISM)
        parts = ("scrypt", str(self.log2_n), str(_BLOCK_SIZE), str(_PARALLELISM))
        return "$".join((*parts, _b64(salt), _b64(digest)))

    def verify(self, secret: str, encoded: str | None) -> bool:
        """True when ``secret`` matches ``encoded``; ``None`` burns the same time and fails."""
        if encoded is None:
            self.verify(secret, self._dummy_hash())
            return False
        try:
            scheme, log2_n, r, p, salt, digest = encoded.split("$")
            if scheme != "scrypt":
                return False
            actual = _scrypt(secret, _unb64(salt), int(log2_n), int(r), int(p))
        except ValueError:
            return False
        return hmac.compare_digest(actual, _unb64(digest))

    def _dummy_hash(self) -> str:
        if not self._dummy:
            self._dummy = self.hash(secrets.token_urlsafe(16))
        return self._dummy


def fingerprint(token: str) -> str:
    """SHA-256 of a high-entropy token (refresh token, session id, API key).

    Such tokens are 256-bit random values, so a fast hash is enough to make a leaked
    table useless; slow KDFs are for human-chosen secrets.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_secret(a: str, b: str) -> bool:
    """Constant-time string comparison."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
