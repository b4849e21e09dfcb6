"""Redis and NATS namespaces: a prefix per test, nothing of it left after cleanup."""

from __future__ import annotations

import asyncio

import pytest

from assay.data.brokers import NatsNamespace, RedisNamespace, new_prefix


def test_prefixes_are_unique_and_safe_everywhere() -> None:
    first, second = new_prefix("gw-0"), new_prefix("gw-0")
    assert first != second
    assert first.startswith("assay_gw_0_")
    assert all(c.isalnum() or c == "_" for c in first)


def test_a_nats_stream_belongs_by_name_or_by_subjects() -> None:
    namespace = NatsNamespace("assay_gw0_abc")
    assert namespace.owns("ASSAY_GW0_ABC", ["anything.>"])
    assert namespace.owns("orders", ["assay_gw0_abc.orders", "assay_gw0_abc.lines"])
    assert not namespace.owns("orders", ["assay_gw0_abc.orders", "shop.orders"])
    assert not namespace.owns("ASSAY_GW0_ABD", ["assay_gw0_abd.>"])
    assert not namespace.owns("empty", [])
    assert namespace.stream("orders.v1") == "assay_gw0_abc_orders_v1"


@pytest.mark.redis
def test_redis_cleanup_deletes_only_the_namespace() -> None:
    mine, other = RedisNamespace.open("gw0"), RedisNamespace.open("gw0")
    mine.client.set(mine.key("cart"), "1")
    mine.client.xadd(mine.key("events"), {"n": "1"})
    other.client.set(other.key("cart"), "2")
    try:
        assert mine.keys() == [mine.key("cart"), mine.key("events")]
        assert mine.cleanup() == 2
        assert RedisNamespace(mine.prefix).keys() == []
        assert other.keys() == [other.key("cart")]
    finally:
        other.cleanup()


@pytest.mark.nats
def test_nats_cleanup_deletes_only_the_namespaces_streams() -> None:
    import nats

    mine, other = NatsNamespace.open("gw0"), NatsNamespace.open("gw0")

    async def make() -> None:
        connection = await nats.connect(mine.url)
        jetstream = connection.jetstream()
        await jetstream.add_stream(name=mine.prefix.upper(), subjects=[mine.subject("a.>")])
        await jetstream.add_stream(name="orders" + mine.prefix[-8:], subjects=[mine.subject("b")])
        await jetstream.add_stream(name=other.stream("x"), subjects=[other.subject(">")])
        await jetstream.publish(mine.subject("a.placed"), b"{}")
        await connection.close()

    asyncio.run(make())
    try:
        owned = sorted([mine.prefix.upper(), "orders" + mine.prefix[-8:]])
        assert mine.streams() == owned
        assert mine.cleanup() == owned
        assert mine.streams() == []
        assert other.streams() == [other.stream("x")]
    finally:
        other.cleanup()
