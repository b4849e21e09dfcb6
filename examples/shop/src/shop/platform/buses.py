"""Choosing the message bus from settings; broker clients are imported only when chosen."""

from __future__ import annotations

import logging
import threading

from shop.platform.events import Handler, InMemoryBus, Message, MessageBus
from shop.platform.settings import ShopSettings

logger = logging.getLogger("shop.bus")


def make_bus(settings: ShopSettings) -> MessageBus:
    """The bus named by ``settings.bus``: ``memory``, ``redis`` or ``nats``."""
    if settings.bus == "redis":
        from shop.platform.bus_redis import RedisStreamsBus

        return RedisStreamsBus(settings.redis_url, namespace=settings.bus_namespace)
    if settings.bus == "nats":
        from shop.platform.bus_nats import NatsJetStreamBus

        return NatsJetStreamBus(settings.nats_url, namespace=settings.bus_namespace)
    return InMemoryBus()


def close_bus(bus: MessageBus) -> None:
    """Release the bus's connections and threads, when it has any."""
    close = getattr(bus, "close", None)
    if callable(close):
        close()


class DeferredBus:
    """A bus connected on first use, so building an app (or its spec) touches no broker.

    Subscriptions are remembered: made when the broker is first reached (a publish, a
    readiness probe) and made again on a new connection. A broker that is down at
    start-up therefore delays consumption instead of stopping the process.
    """

    def __init__(self, settings: ShopSettings) -> None:
        self.settings = settings
        self._bus: MessageBus | None = None
        self._subscriptions: list[tuple[str, Handler]] = []
        self._connecting = threading.Lock()

    @property
    def bus(self) -> MessageBus:
        """The connected bus (connecting now if needed; a failure is retried next time)."""
        if self._bus is None:
            with self._connecting:
                if self._bus is None:
                    self._bus = self._connect()
        return self._bus

    def _connect(self) -> MessageBus:
        bus = make_bus(self.settings)
        try:
            for topic, handler in self._subscriptions:
                bus.subscribe(topic, handler)
        except Exception:
            close_bus(bus)
            raise
        return bus

    def publish(self, topic: str, message: Message) -> None:
        self.bus.publish(topic, message)

    def subscribe(self, topic: str, handler: Handler) -> None:
        with self._connecting:
            self._subscriptions.append((topic, handler))
            connected = self._bus
        if connected is not None:
            connected.subscribe(topic, handler)
            return
        try:
            self.bus  # noqa: B018 - connecting makes the remembered subscriptions
        except Exception as exc:
            logger.warning("bus unavailable (%s); consuming %s once it is reachable", exc, topic)

    def ping(self) -> bool:
        try:
            return self.bus.ping()
        except Exception:
            return False

    def close(self) -> None:
        with self._connecting:
            if self._bus is not None:
                close_bus(self._bus)
                self._bus = None
