"""Choosing the message bus from settings; broker clients are imported only when chosen."""

from __future__ import annotations

from shop.platform.events import InMemoryBus, MessageBus
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
