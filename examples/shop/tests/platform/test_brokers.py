"""The Redis Streams and NATS JetStream buses against the real servers on 127.0.0.1.

assay's ``redis``/``nats`` markers skip a test whose server is down (fail under CI=true);
``redis_isolated``/``nats_isolated`` give each test a namespace of its own, cleaned after it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from assay import NatsNamespace, RedisNamespace
from shop.bootstrap import create_app
from shop.platform.database import SessionFactory
from shop.platform.events import IdempotentConsumer, Message, MessageBus
from shop.platform.outbox import OutboxRelay
from shop.platform.settings import ShopSettings
from shop.platform.unit_of_work import SqlUnitOfWork

from .fake_service import SERVICE, WidgetCreated
from .live_server import free_port


@pytest.fixture
def redis_bus(redis_isolated: RedisNamespace) -> Iterator[Any]:
    """The Redis Streams bus in the test's own namespace (assay deletes its keys)."""
    from shop.platform.bus_redis import RedisStreamsBus

    bus = RedisStreamsBus(
        redis_isolated.url, namespace=redis_isolated.prefix, block_seconds=0.2, retry_after=0.3
    )
    yield bus
    bus.close()


@pytest.fixture
def nats_bus(nats_isolated: NatsNamespace) -> Iterator[Any]:
    """The JetStream bus in the test's own namespace (assay deletes its stream)."""
    from shop.platform.bus_nats import NatsJetStreamBus

    bus = NatsJetStreamBus(
        nats_isolated.url, namespace=nats_isolated.prefix, timeout=3.0, retry_after=0.3
    )
    yield bus
    bus.close()


class Inbox:
    """Collects messages; ``wait(n)`` blocks (bounded) until n arrived."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._changed = threading.Condition()

    def __call__(self, message: Message) -> None:
        with self._changed:
            self.messages.append(message)
            self._changed.notify_all()

    def wait(self, count: int, timeout: float = 10.0) -> list[Message]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)


def _relay_then_consume(bus: MessageBus, session_factory: SessionFactory) -> None:
    inbox = Inbox()
    consumer = IdempotentConsumer(
        lambda: SqlUnitOfWork(session_factory), "audit", lambda m, uow: inbox(m)
    )
    bus.subscribe("widgets.events", consumer)
    for n in (1, 2, 3):
        with SqlUnitOfWork(session_factory) as uow:
            uow.emit("widgets.events", WidgetCreated(widget_id=n))
            uow.commit()
    relay = OutboxRelay(session_factory, bus)
    assert relay.relay_pending() == 3
    received = inbox.wait(3)
    assert [m["payload"]["widget_id"] for m in received] == [1, 2, 3]
    bus.publish("widgets.events", received[0])  # a redelivery of an old message
    assert relay.relay_pending() == 0
    more = Inbox()
    bus.subscribe("widgets.events", more)  # a second, independent consumer group
    bus.publish("widgets.events", WidgetCreated(widget_id=4).to_message())
    assert [m["payload"]["widget_id"] for m in inbox.wait(4)] == [1, 2, 3, 4]
    assert more.wait(1)


def _redelivers_after_failure(bus: MessageBus) -> None:
    attempts = Inbox()

    def flaky(message: Message) -> None:
        attempts(message)
        if len(attempts.messages) == 1:
            raise RuntimeError("transient failure")

    bus.subscribe("widgets.flaky", flaky)
    bus.publish("widgets.flaky", WidgetCreated(widget_id=7).to_message())
    got = attempts.wait(2)
    assert len(got) == 2
    assert got[0]["id"] == got[1]["id"]


@pytest.mark.redis
def test_redis_streams_relay_consume_and_deduplicate(
    redis_bus: Any, session_factory: SessionFactory
) -> None:
    assert redis_bus.ping()
    _relay_then_consume(redis_bus, session_factory)


@pytest.mark.redis
def test_redis_streams_redeliver_a_failed_message(redis_bus: Any) -> None:
    _redelivers_after_failure(redis_bus)


@pytest.mark.nats
def test_nats_jetstream_relay_consume_and_deduplicate(
    nats_bus: Any, session_factory: SessionFactory
) -> None:
    assert nats_bus.ping()
    _relay_then_consume(nats_bus, session_factory)


@pytest.mark.nats
def test_nats_jetstream_redelivers_a_failed_message(nats_bus: Any) -> None:
    _redelivers_after_failure(nats_bus)


def test_redis_outage_keeps_messages_in_the_outbox(session_factory: SessionFactory) -> None:
    from shop.platform.bus_redis import RedisStreamsBus

    bus = RedisStreamsBus(f"redis://127.0.0.1:{free_port()}/0", namespace="nowhere")
    try:
        assert not bus.ping()
        with SqlUnitOfWork(session_factory) as uow:
            uow.emit("widgets.events", WidgetCreated(widget_id=1))
            uow.commit()
        relay = OutboxRelay(session_factory, bus)
        assert relay.relay_pending() == 0
        assert relay.pending_count() == 1
    finally:
        bus.close()


def _app_round_trip(settings: ShopSettings) -> None:
    """A widget created over HTTP reaches the fake service's consumer through the broker."""
    app = create_app(settings, services=[SERVICE])
    with TestClient(app) as client:
        assert client.get("/readyz").json()["checks"]["bus"] == "ok"
        created = client.post("/v1/widgets", json={"name": "brokered"}).json()
        received = app.state.shop.context.state["received"]
        deadline = time.monotonic() + 10
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
    assert [m["payload"]["widget_id"] for m in received] == [created["id"]]


@pytest.mark.redis
def test_the_app_relays_events_through_redis(redis_bus: Any) -> None:
    settings = ShopSettings(
        password_cost=4, bus="redis", bus_namespace=redis_bus.namespace, outbox_interval=0.05
    )
    _app_round_trip(settings)


@pytest.mark.nats
def test_the_app_relays_events_through_nats(nats_bus: Any) -> None:
    settings = ShopSettings(
        password_cost=4, bus="nats", bus_namespace=nats_bus.namespace, outbox_interval=0.05
    )
    _app_round_trip(settings)


def test_subscriptions_wait_for_a_broker_that_is_down_at_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from shop.platform import buses
    from shop.platform.events import BusUnavailable, InMemoryBus

    attempts: list[InMemoryBus] = []

    def flaky_broker(settings: ShopSettings) -> InMemoryBus:
        if not attempts:
            attempts.append(InMemoryBus())
            raise BusUnavailable("broker still starting")
        attempts.append(InMemoryBus())
        return attempts[-1]

    monkeypatch.setattr(buses, "make_bus", flaky_broker)
    bus = buses.DeferredBus(ShopSettings())
    inbox = Inbox()
    bus.subscribe("widgets.events", inbox)  # the broker is down: remembered, no error
    assert not inbox.messages
    assert bus.ping()  # a later probe connects and makes the subscription
    bus.publish("widgets.events", WidgetCreated(widget_id=1).to_message())
    assert [m["payload"]["widget_id"] for m in inbox.messages] == [1]
    bus.close()
