"""Idempotency keys of order placement: one order per (customer, key).

The record is written with the new order in one transaction (unique on scope and key);
the final answer is added when the saga ends, so a retry replays it, status included.
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
    """A concurrent request with the same key committed first."""


def fingerprint(*parts: object) -> str:
    """A stable digest of a request: its operation and canonical JSON payload."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class IdempotencyClaim:
    scope: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class StoredOutcome:
    """The final answer to a placement: HTTP status and the order snapshot."""

    status: int
    snapshot: dict[str, Any]


@dataclass(frozen=True)
class PlacementRecord:
    scope: str
    key: str
    fingerprint: str
    order_id: str
    outcome: StoredOutcome | None = None

    def matches(self, claim: IdempotencyClaim) -> str:
        """The order id when ``claim`` repeats the original request."""
        if claim.fingerprint != self.fingerprint:
            raise IdempotencyMismatch(claim.key)
        return self.order_id


class PlacementRepository(Protocol):
    def get(self, scope: str, key: str) -> PlacementRecord | None: ...

    def add(self, record: PlacementRecord) -> None: ...

    def settle(self, scope: str, key: str, outcome: StoredOutcome) -> None:
        """Store the final answer of the placement under its key."""
        ...
