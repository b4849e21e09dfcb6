"""Broker isolation: a Redis key prefix and a NATS subject/stream prefix per test.

    redis = RedisNamespace.open("gw0")      # prefix "assay_gw0_1a2b3c4d"
    redis.client.set(redis.key("cart"), "…")
    redis.cleanup()                         # deletes every "assay_gw0_1a2b3c4d:*" key

    nats = NatsNamespace.open("gw0")
    subject = nats.subject("orders")        # "assay_gw0_1a2b3c4d.orders"
    nats.cleanup()                          # deletes the streams of the prefix

A prefix is unique per test (a worker id and a random part), so parallel workers and
parallel runs on one server never see each other's keys, messages or consumer groups.
Give the prefix to the code under test as its namespace (the shop's ``bus_namespace``).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, Any

from assay.data.servers import NATS, REDIS

if TYPE_CHECKING:
    import redis

__all__ = ["NatsNamespace", "RedisNamespace", "new_prefix"]


def new_prefix(owner: str = "main") -> str:
    """``assay_<owner>_<8 hex>``: valid in Redis keys, NATS subjects and stream names."""
    slug = "".join(c if c.isalnum() else "_" for c in owner.lower())[:16] or "main"
    return f"assay_{slug}_{uuid.uuid4().hex[:8]}"


class RedisNamespace:
    """One test's Redis keys: everything under ``<prefix>:``, deleted by `cleanup`."""

    def __init__(self, prefix: str, url: str | None = None) -> None:
        self.prefix = prefix
        self.url = url or REDIS.url
        self._client: redis.Redis | None = None

    @classmethod
    def open(cls, owner: str = "main", url: str | None = None) -> RedisNamespace:
        """A namespace with a fresh prefix for ``owner`` (an xdist worker id)."""
        return cls(new_prefix(owner), url)

    @property
    def client(self) -> redis.Redis:
        """A ``redis.Redis`` on `url` (created on first use, closed by `cleanup`)."""
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(self.url)
        return self._client

    def key(self, name: str) -> str:
        """The key ``name`` inside this namespace."""
        return f"{self.prefix}:{name}"

    def keys(self) -> list[str]:
        """Every key of this namespace, sorted."""
        found = self.client.scan_iter(match=f"{self.prefix}:*", count=500)
        return sorted(k.decode() if isinstance(k, bytes) else str(k) for k in found)

    def cleanup(self) -> int:
        """Delete every key of the namespace, close the client; the number deleted."""
        try:
            keys = self.keys()
            deleted = int(self.client.delete(*keys)) if keys else 0
        finally:
            if self._client is not None:
                self._client.close()
                self._client = None
        return deleted


class NatsNamespace:
    """One test's NATS subjects (``<prefix>.…``) and JetStream streams.

    `cleanup` deletes every stream named after the prefix (any case) or capturing only
    subjects under it.
    """

    def __init__(self, prefix: str, url: str | None = None, *, timeout: float = 5.0) -> None:
        self.prefix = prefix
        self.url = url or NATS.url
        self.timeout = timeout

    @classmethod
    def open(cls, owner: str = "main", url: str | None = None) -> NatsNamespace:
        """A namespace with a fresh prefix for ``owner`` (an xdist worker id)."""
        return cls(new_prefix(owner), url)

    def subject(self, name: str) -> str:
        """The subject ``name`` inside this namespace."""
        return f"{self.prefix}.{name}"

    def stream(self, name: str) -> str:
        """A stream name inside this namespace (stream names take no dots)."""
        return f"{self.prefix}_{name}".replace(".", "_")

    def owns(self, stream: str, subjects: list[str]) -> bool:
        """True when the stream belongs to this namespace (by name or subjects)."""
        if stream.lower().startswith(self.prefix.lower()):
            return True
        return bool(subjects) and all(s.startswith(self.prefix + ".") for s in subjects)

    def streams(self) -> list[str]:
        """The names of this namespace's streams, sorted."""
        return asyncio.run(self._streams(delete=False))

    def cleanup(self) -> list[str]:
        """Delete the namespace's streams; the names deleted."""
        return asyncio.run(self._streams(delete=True))

    async def _streams(self, *, delete: bool) -> list[str]:
        import nats

        connection = await nats.connect(
            self.url, connect_timeout=self.timeout, max_reconnect_attempts=0, allow_reconnect=False
        )
        try:
            jetstream = connection.jetstream(timeout=self.timeout)
            found = await _owned(jetstream, self)
            if delete:
                for name in found:
                    await jetstream.delete_stream(name)
            return found
        finally:
            await connection.close()


async def _owned(jetstream: Any, namespace: NatsNamespace) -> list[str]:
    infos = await jetstream.streams_info()
    names = [
        info.config.name
        for info in infos
        if namespace.owns(info.config.name, list(info.config.subjects or []))
    ]
    return sorted(names)
