"""Idempotency keys: one stored outcome per (caller, key), replayed on a retry.

A retry with the same key and the same request gets the stored outcome back (status
included) without running the command again; the same key with a different request is
refused. The record is written in the transaction that performs the command, under a
unique (scope, key) constraint, so two concurrent duplicates cannot both commit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Protocol


class IdempotencyMismatch(Exception):
    """The key was used before for a different request (answered as 422)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"Idempotency-Key {key!r} was already used for a different request.")
        self.key = key


class DuplicateRequest(Exception):
    """A concurrent request with the same key committed first (the caller retries once)."""


def fingerprint(*parts: object) -> str:
    """A stable digest of a request: its operation and canonical JSON payload."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class IdempotencyClaim:
    """The key a request carries: whose it is (``scope``) and what was asked."""

    scope: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class StoredOutcome:
    """What a command answered: HTTP status, representation kind and snapshot."""

    status: int
    kind: str
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class IdempotencyRecord:
    scope: str
    key: str
    fingerprint: str
    outcome: StoredOutcome

    def replay(self, claim: IdempotencyClaim) -> StoredOutcome:
        """The stored outcome when ``claim`` repeats the original request."""
        if claim.fingerprint != self.fingerprint:
            raise IdempotencyMismatch(claim.key)
        return self.outcome


class IdempotencyRepository(Protocol):
    def get(self, scope: str, key: str) -> IdempotencyRecord | None: ...

    def add(self, record: IdempotencyRecord) -> None: ...
