"""The message bus on NATS JetStream (``SHOP_BUS=nats``).

One stream ``<NAMESPACE>`` captures the subjects ``<namespace>.>``; a topic ``t`` is the
subject ``<namespace>.t``. Publishing sets ``Nats-Msg-Id`` to the message id, so the
server drops duplicates the outbox may send. Each handler is a durable queue consumer
(named like on Redis), acknowledged after the handler returned; a failure is NAKed and
redelivered after ``retry_after`` seconds. nats-py is asyncio: the bus runs its own
event loop in a daemon thread and offers the synchronous ``MessageBus`` interface.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.client import JetStreamContext

from shop.platform.bus_redis import consumer_name
from shop.platform.events import BusUnavailable, Handler, Message

logger = logging.getLogger("shop.bus.nats")
T = TypeVar("T")


class NatsJetStreamBus:
    """``MessageBus`` over JetStream durable push consumers."""

    def __init__(
        self,
        url: str,
        *,
        namespace: str = "shop",
        timeout: float = 5.0,
        retry_after: float = 2.0,
    ) -> None:
        self.url = url
        self.namespace = namespace
        self.timeout = timeout
        self.retry_after = retry_after
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="nats")
        self._thread.start()
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        try:
            self._run(self._connect())
        except Exception:
            self.close()
            raise

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result(self.timeout + 1.0)

    async def _connect(self) -> None:
        self._nc = await nats.connect(
            self.url, connect_timeout=self.timeout, max_reconnect_attempts=-1
        )
        self._js = self._nc.jetstream(timeout=self.timeout)
        stream = self.namespace.upper()
        try:
            await self._js.stream_info(stream)
        except nats.js.errors.NotFoundError:
            await self._js.add_stream(name=stream, subjects=[f"{self.namespace}.>"])

    def subject(self, topic: str) -> str:
        return f"{self.namespace}.{topic}"

    def publish(self, topic: str, message: Message) -> None:
        if self._js is None:
            raise BusUnavailable("not connected to NATS")
        data = json.dumps(message, separators=(",", ":")).encode()
        headers = {"Nats-Msg-Id": str(message.get("id", ""))}
        try:
            self._run(self._js.publish(self.subject(topic), data, headers=headers))
        except Exception as exc:
            raise BusUnavailable(f"NATS refused the message: {exc}") from exc

    def subscribe(self, topic: str, handler: Handler) -> None:
        if self._js is None:
            raise BusUnavailable("not connected to NATS")
        durable = re.sub(r"[^A-Za-z0-9_-]", "_", consumer_name(handler))
        js = self._js

        async def deliver(msg: Msg) -> None:
            try:
                await self._loop.run_in_executor(None, handler, json.loads(msg.data))
            except Exception:
                logger.exception("%s failed on %s; redelivering", durable, msg.subject)
                await msg.nak(delay=self.retry_after)
                return
            await msg.ack()

        self._run(
            js.subscribe(
                self.subject(topic), queue=durable, durable=durable, cb=deliver, manual_ack=True
            )
        )

    def drop_stream(self) -> None:
        """Delete the namespace's stream and everything in it (tests, resets)."""
        if self._js is not None:
            self._run(self._js.delete_stream(self.namespace.upper()))

    def ping(self) -> bool:
        nc = self._nc
        if nc is None or not nc.is_connected:
            return False
        try:
            self._run(nc.flush(timeout=2))
        except Exception:
            return False
        return True

    def close(self) -> None:
        nc = self._nc
        if nc is not None and not nc.is_closed:
            try:
                self._run(nc.drain())
            except Exception:
                logger.warning("draining the NATS connection failed", exc_info=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5.0)
        if not self._loop.is_running():
            self._loop.close()
