"""The message bus on Redis Streams (``SHOP_BUS=redis``).

A topic is the stream ``<namespace>:<topic>``; a message is one entry with a ``message``
field holding the JSON. Every subscribed handler is its own consumer group (named by
the handler's ``consumer`` attribute, e.g. an ``IdempotentConsumer``, or its qualified
name), so each handler sees each message once across all instances of its service.
A handler that raises leaves the entry pending; it is delivered again after
``retry_after`` seconds.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from typing import Any

import redis

from shop.platform.events import BusUnavailable, Handler, Message

logger = logging.getLogger("shop.bus.redis")


def consumer_name(handler: Handler) -> str:
    """The durable name of a handler: its ``consumer`` attribute or qualified name."""
    named = getattr(handler, "consumer", None)
    if isinstance(named, str) and named:
        return named
    module = getattr(handler, "__module__", None) or type(handler).__module__
    qualname = getattr(handler, "__qualname__", None) or type(handler).__qualname__
    return f"{module}.{qualname}"


class RedisStreamsBus:
    """``MessageBus`` over Redis Streams consumer groups; one reader thread per handler."""

    def __init__(
        self,
        url: str,
        *,
        namespace: str = "shop",
        block_seconds: float = 1.0,
        retry_after: float = 5.0,
        max_length: int = 100_000,
    ) -> None:
        self.namespace = namespace
        self.block_ms = int(block_seconds * 1000)
        self.retry_after_ms = int(retry_after * 1000)
        self.max_length = max_length
        self._redis: redis.Redis = redis.Redis.from_url(
            url, socket_connect_timeout=2.0, socket_timeout=block_seconds + 5.0
        )
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._consumer = f"{os.uname().nodename}-{os.getpid()}-{uuid.uuid4().hex[:6]}"

    def stream(self, topic: str) -> str:
        return f"{self.namespace}:{topic}"

    def publish(self, topic: str, message: Message) -> None:
        try:
            self._redis.xadd(
                self.stream(topic),
                {"message": json.dumps(message, separators=(",", ":"))},
                maxlen=self.max_length,
                approximate=True,
            )
        except redis.RedisError as exc:
            raise BusUnavailable(f"Redis refused the message: {exc}") from exc

    def subscribe(self, topic: str, handler: Handler) -> None:
        """Start consuming ``topic`` for ``handler`` (the group is created when Redis is up)."""
        stream, group = self.stream(topic), f"{self.namespace}:{consumer_name(handler)}"
        thread = threading.Thread(
            target=self._consume, args=(stream, group, handler), daemon=True, name=group
        )
        self._threads.append(thread)
        thread.start()

    def _ensure_group(self, stream: str, group: str) -> None:
        try:
            self._redis.xgroup_create(stream, group, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _consume(self, stream: str, group: str, handler: Handler) -> None:
        grouped = False
        while not self._stop.is_set():
            try:
                if not grouped:
                    self._ensure_group(stream, group)
                    grouped = True
                self._reclaim(stream, group, handler)
                batches: Any = self._redis.xreadgroup(
                    group, self._consumer, {stream: ">"}, count=50, block=self.block_ms
                )
            except redis.RedisError as exc:
                logger.warning("reading %s as %s failed: %s", stream, group, exc)
                self._stop.wait(1.0)
                continue
            for _stream, entries in batches or []:
                self._handle(stream, group, handler, entries)

    def _reclaim(self, stream: str, group: str, handler: Handler) -> None:
        claimed: Any = self._redis.xautoclaim(
            stream, group, self._consumer, min_idle_time=self.retry_after_ms, count=50
        )
        if claimed and claimed[1]:
            self._handle(stream, group, handler, claimed[1])

    def _handle(self, stream: str, group: str, handler: Handler, entries: Any) -> None:
        for entry_id, fields in entries:
            if not fields:
                continue
            try:
                handler(json.loads(fields[b"message"]))
            except Exception:
                logger.exception("%s failed on %s %s; it stays pending", group, stream, entry_id)
                continue
            self._redis.xack(stream, group, entry_id)

    def ping(self) -> bool:
        try:
            return bool(self._redis.ping())
        except redis.RedisError:
            return False

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.block_ms / 1000 + 2.0)
        self._threads.clear()
        self._redis.close()
