"""Unit of work + transactional outbox + relay + idempotent consumers, on real SQLite."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select

from shop.platform.database import SessionFactory
from shop.platform.events import IdempotentConsumer, InMemoryBus, Message
from shop.platform.outbox import OutboxRelay, wakes_held
from shop.platform.records import OutboxRecord, ProcessedMessage
from shop.platform.unit_of_work import SqlUnitOfWork

from .fake_service import Widget, WidgetCreated


def _place(session_factory: SessionFactory, n: int, *, commit: bool = True) -> None:
    with SqlUnitOfWork(session_factory) as uow:
        uow.session.add(Widget(id=n, name=f"w{n}"))
        uow.emit("widgets.events", WidgetCreated(widget_id=n))
        if commit:
            uow.commit()


def _count(session_factory: SessionFactory, model: type) -> int:
    with session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_commit_writes_rows_and_outbox_messages_together(session_factory: SessionFactory) -> None:
    _place(session_factory, 1)
    with session_factory() as session:
        record = session.scalars(select(OutboxRecord)).one()
        assert session.get(Widget, 1) is not None
    assert record.topic == "widgets.events"
    assert '"name":"WidgetCreated"' in record.body
    assert '"widget_id":1' in record.body
    assert record.sent_at is None


def test_leaving_without_commit_discards_rows_and_events(session_factory: SessionFactory) -> None:
    _place(session_factory, 1, commit=False)
    assert _count(session_factory, Widget) == 0
    assert _count(session_factory, OutboxRecord) == 0


def test_an_exception_rolls_back_rows_and_events(session_factory: SessionFactory) -> None:
    def place_then_fail() -> None:
        with SqlUnitOfWork(session_factory) as uow:
            uow.session.add(Widget(id=1, name="w"))
            uow.emit("widgets.events", WidgetCreated(widget_id=1))
            uow.session.flush()
            raise RuntimeError("domain rule broken")

    with pytest.raises(RuntimeError):
        place_then_fail()
    assert _count(session_factory, OutboxRecord) == 0


def test_outbox_survives_a_bus_outage_then_relays_in_order(
    session_factory: SessionFactory, bus: InMemoryBus, relay: OutboxRelay
) -> None:
    for n in (1, 2, 3):
        _place(session_factory, n)
    bus.available = False
    assert relay.relay_pending() == 0
    assert relay.pending_count() == 3
    bus.available = True
    assert relay.relay_pending() == 3
    assert [m["payload"]["widget_id"] for _, m in bus.published] == [1, 2, 3]
    assert relay.pending_count() == 0
    assert relay.relay_pending() == 0  # nothing is sent twice


def test_a_batch_is_marked_sent_in_one_statement(
    session_factory: SessionFactory, bus: InMemoryBus, relay: OutboxRelay
) -> None:
    for n in (1, 2, 3):
        _place(session_factory, n)
    updates: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE"):
            updates.append(statement)

    engine = session_factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert relay.relay_pending() == 3
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(updates) == 1
    assert relay.pending_count() == 0


def test_a_bus_failure_mid_batch_keeps_the_published_and_counts_the_failed_attempt(
    session_factory: SessionFactory, bus: InMemoryBus, relay: OutboxRelay
) -> None:
    for n in (1, 2, 3):
        _place(session_factory, n)
    calls: list[int] = []

    def fail_second(message: Message) -> None:
        calls.append(message["payload"]["widget_id"])
        if len(calls) == 2:
            raise ConnectionError("broker hiccup")

    bus.subscribe("widgets.events", fail_second)
    assert relay.relay_pending() == 1
    with session_factory() as session:
        rows = session.execute(select(OutboxRecord).order_by(OutboxRecord.id)).scalars().all()
        state = [(row.sent_at is not None, row.attempts) for row in rows]
    assert state == [(True, 0), (False, 1), (False, 0)]
    assert relay.relay_pending() == 2
    assert calls == [1, 2, 2, 3]


def test_a_failing_subscriber_gets_the_message_again(
    session_factory: SessionFactory, bus: InMemoryBus, relay: OutboxRelay
) -> None:
    calls: list[Message] = []

    def flaky(message: Message) -> None:
        calls.append(message)
        if len(calls) == 1:
            raise ConnectionError("downstream hiccup")

    bus.subscribe("widgets.events", flaky)
    _place(session_factory, 1)
    assert relay.relay_pending() == 0
    assert relay.relay_pending() == 1
    assert [m["id"] for m in calls] == [calls[0]["id"]] * 2


def test_idempotent_consumer_handles_a_redelivered_message_once(
    session_factory: SessionFactory, bus: InMemoryBus, relay: OutboxRelay
) -> None:
    seen: list[int] = []

    def record(message: Message, uow: SqlUnitOfWork) -> None:
        seen.append(message["payload"]["widget_id"])
        uow.session.add(Widget(id=100 + len(seen), name="audit"))

    consumer = IdempotentConsumer(lambda: SqlUnitOfWork(session_factory), "audit", record)
    bus.subscribe("widgets.events", consumer)
    _place(session_factory, 1)
    relay.relay_pending()
    message = bus.published[0][1]
    consumer(message)
    consumer(dict(message))
    assert seen == [1]
    assert _count(session_factory, ProcessedMessage) == 1
    assert _count(session_factory, Widget) == 2  # the placed one and one audit row


def test_idempotent_consumer_failure_leaves_no_record(session_factory: SessionFactory) -> None:
    attempts: list[str] = []

    def fail_once(message: Message, uow: SqlUnitOfWork) -> None:
        attempts.append(message["id"])
        if len(attempts) == 1:
            raise RuntimeError("transient")

    consumer = IdempotentConsumer(lambda: SqlUnitOfWork(session_factory), "c", fail_once)
    message = WidgetCreated(widget_id=5).to_message()
    with pytest.raises(RuntimeError):
        consumer(message)
    assert _count(session_factory, ProcessedMessage) == 0
    consumer(message)
    consumer(message)
    assert attempts == [message["id"]] * 2


def test_commit_wakes_the_background_relay(session_factory: SessionFactory) -> None:
    bus = InMemoryBus()
    delivered = threading.Event()
    bus.subscribe("widgets.events", lambda message: delivered.set())
    relay = OutboxRelay(session_factory, bus, interval=60.0)
    relay.start()
    try:
        with SqlUnitOfWork(session_factory, on_commit=relay.wake) as uow:
            uow.emit("widgets.events", WidgetCreated(widget_id=9))
            uow.commit()
        assert delivered.wait(5.0), "the relay did not publish after the commit woke it"
    finally:
        relay.stop()
    assert relay.pending_count() == 0


def test_wakes_inside_wakes_held_wake_the_relay_once_at_the_end(
    session_factory: SessionFactory, bus: InMemoryBus
) -> None:
    woken: list[str] = []

    class Relay(OutboxRelay):
        def wake(self) -> None:
            super().wake()
            woken.append("asked")

    relay = Relay(session_factory, bus)
    with wakes_held():
        for n in (1, 2):
            with SqlUnitOfWork(session_factory, on_commit=relay.wake) as uow:
                uow.emit("widgets.events", WidgetCreated(widget_id=n))
                uow.commit()
        with wakes_held():  # nested: gathered by the outer block
            relay.wake()
        assert not relay._wake.is_set()
    assert relay._wake.is_set()
    assert woken == ["asked"] * 4  # three gathered, one real wake at the end


def test_wakes_held_wakes_even_when_the_block_fails(
    session_factory: SessionFactory, bus: InMemoryBus
) -> None:
    relay = OutboxRelay(session_factory, bus)

    def saga() -> None:
        with wakes_held():
            relay.wake()
            raise RuntimeError("the saga broke")

    with pytest.raises(RuntimeError):
        saga()
    assert relay._wake.is_set()


def test_without_wakes_held_a_wake_is_immediate(
    session_factory: SessionFactory, bus: InMemoryBus
) -> None:
    relay = OutboxRelay(session_factory, bus)
    relay.wake()
    assert relay._wake.is_set()


def test_event_message_shape() -> None:
    event = WidgetCreated(widget_id=3)
    message = event.to_message()
    assert set(message) == {"id", "name", "occurred_at", "payload"}
    assert message["name"] == "WidgetCreated" == event.name
    assert message["payload"] == {"widget_id": 3}
    assert len(message["id"]) == 32
    assert message["occurred_at"].endswith("+00:00")
    assert WidgetCreated(widget_id=3).event_id != event.event_id


def test_a_process_relays_only_the_topics_of_its_services(
    session_factory: SessionFactory, bus: InMemoryBus
) -> None:
    with SqlUnitOfWork(session_factory) as uow:
        for topic in ("widgets.events", "orders", "widgets", "widgetsmith.events"):
            uow.emit(topic, WidgetCreated(widget_id=1))
        uow.commit()
    relay = OutboxRelay(session_factory, bus, services=["widgets"])
    assert relay.pending_count() == 2
    assert relay.relay_pending() == 2
    assert [topic for topic, _ in bus.published] == ["widgets.events", "widgets"]
    assert OutboxRelay(session_factory, bus).pending_count() == 2  # left for their owners
