"""The real servers tests run against (PostgreSQL, Redis, NATS) and whether they are up.

Addresses come from ``ASSAY_POSTGRES_URL``, ``ASSAY_REDIS_URL`` and ``ASSAY_NATS_URL``
when set, else the defaults of the development machines and CI (127.0.0.1, the standard
ports, PostgreSQL user ``postgres`` with trust authentication). Under ``CI=true`` a
server that is down is a failure, never a skip (`required`).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["NATS", "POSTGRES", "REDIS", "Server", "required"]


@dataclass(frozen=True, slots=True)
class Server:
    """A server a test needs: its name, the variable that overrides it, its default URL."""

    name: str
    variable: str
    default_url: str

    @property
    def url(self) -> str:
        """The configured URL (the variable when set, else the default)."""
        return os.environ.get(self.variable) or self.default_url

    @property
    def address(self) -> tuple[str, int]:
        """Host and port of `url`."""
        parts = urlsplit(self.url)
        return parts.hostname or "127.0.0.1", parts.port or 0

    def reachable(self, timeout: float = 1.0) -> bool:
        """True when something accepts TCP connections at `address`."""
        try:
            with socket.create_connection(self.address, timeout=timeout):
                return True
        except OSError:
            return False

    def unavailable(self) -> str:
        """Why a test that needs this server cannot run, and what to do about it."""
        host, port = self.address
        return (
            f"{self.name} is not running at {host}:{port} (set {self.variable} for another "
            f"address; under CI=true this is a failure)"
        )


POSTGRES = Server(
    "PostgreSQL", "ASSAY_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432"
)
"""PostgreSQL, as a server URL without a database name."""
REDIS = Server("Redis", "ASSAY_REDIS_URL", "redis://127.0.0.1:6379/0")
NATS = Server("NATS", "ASSAY_NATS_URL", "nats://127.0.0.1:4222")


def required() -> bool:
    """True under ``CI=true``: a missing server fails the test instead of skipping it."""
    return os.environ.get("CI", "").lower() == "true"
