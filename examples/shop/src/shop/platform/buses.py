"""Choosing the message bus from settings; broker clients are imported only when chosen."""

from __future__ import annotations

from shop.platform.events import Handler, InMemoryBus, Message, MessageBus
from shop.platform.settings import ShopSettings


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
    """A bus connected on first use, so building an app (or its spec) touches no broker."""

    def __init__(self, settings: ShopSettings) -> None:
        self.settings = settings
        self._bus: MessageBus | None = None

    @property
    def bus(self) -> MessageBus:
        """The connected bus (connecting now if needed)."""
        if self._bus is None:
            self._bus = make_bus(self.settings)
        return self._bus

    def publish(self, topic: str, message: Message) -> None:
        self.bus.publish(topic, message)

    def subscribe(self, topic: str, handler: Handler) -> None:
        self.bus.subscribe(topic, handler)

    def ping(self) -> bool:
        try:
            return self.bus.ping()
        except Exception:
            return False

    def close(self) -> None:
        if self._bus is not None:
            close_bus(self._bus)
            self._bus = None
