"""`FaultProxy` against a stub dependency on 127.0.0.1: forwarding, each fault, the log."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx2
import pytest

from assay.errors import AssayError
from assay.resilience import FailFirst, FaultProxy, Hang, Latency, Refuse, Reset, Status


@pytest.fixture
def proxy(upstream: str) -> Iterator[FaultProxy]:
    with FaultProxy(upstream, max_hold=5.0) as started:
        yield started


@pytest.fixture
def client(proxy: FaultProxy) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=proxy.url, timeout=5.0) as made:
        yield made


def test_it_forwards_requests_and_answers_unchanged(
    proxy: FaultProxy, client: httpx2.Client
) -> None:
    read = client.get("/stock?sku=LAMP", headers={"X-Request-ID": "trace-1"})
    assert read.json() == {"method": "GET", "path": "/stock?sku=LAMP"}
    created = client.post("/charges", json={"amount": 5}, headers={"Idempotency-Key": "k-1"})
    assert created.status_code == 201
    assert created.json()["body"] == '{"amount":5}'  # a chunked answer, framed again
    assert created.headers["x-seen-key"] == "k-1"
    first, second = proxy.calls.all()
    assert (first.method, first.path, first.status, first.outcome) == (
        "GET",
        "/stock?sku=LAMP",
        200,
        "forwarded",
    )
    assert first.header("X-Request-ID") == "trace-1"
    assert (second.idempotency_key, second.body_size, second.fault) == ("k-1", 12, "pass-through")


def test_an_injected_status_is_answered_without_forwarding(
    proxy: FaultProxy, client: httpx2.Client
) -> None:
    proxy.apply(Status(503, retry_after=2))
    answer = client.post("/charges", json={"amount": 5})
    assert (answer.status_code, answer.headers["retry-after"]) == (503, "2")
    [call] = proxy.calls.all()
    assert (call.status, call.outcome, call.fault) == (503, "injected", "status 503")


def test_a_scoped_fault_applies_to_its_requests_only(
    proxy: FaultProxy, client: httpx2.Client
) -> None:
    proxy.apply(Status(418).on("POST", "/charges*"))
    assert client.post("/charges/1/refunds", json={}).status_code == 418
    assert client.get("/charges/1").status_code == 200
    assert client.post("/orders", json={}).status_code == 201


def test_fail_first_fails_n_requests_then_lets_the_next_fault_decide(
    proxy: FaultProxy, client: httpx2.Client
) -> None:
    proxy.apply(FailFirst(2, Status(500)), Latency(0.05))
    statuses = [client.get("/x").status_code for _ in range(3)]
    assert statuses == [500, 500, 200]
    latest = proxy.calls.all()[-1]
    assert latest.fault == "latency 0.05s"
    assert latest.duration is not None
    assert latest.duration >= 0.05


def test_a_reset_breaks_the_connection(proxy: FaultProxy, client: httpx2.Client) -> None:
    proxy.apply(Reset())
    with pytest.raises(httpx2.ReadError):
        client.post("/charges", json={"amount": 5})
    [call] = proxy.calls.all()
    assert (call.outcome, call.status, call.body_size) == ("reset", None, 12)


def test_a_refusal_closes_the_connection_without_an_answer(
    proxy: FaultProxy, client: httpx2.Client
) -> None:
    proxy.apply(Refuse())
    with pytest.raises((httpx2.RemoteProtocolError, httpx2.ReadError)):  # closed before read
        client.get("/x")
    proxy.apply(Refuse().on("GET", "/x"))
    with pytest.raises(httpx2.RemoteProtocolError):
        client.get("/x")
    assert client.get("/y").status_code == 200
    assert [c.outcome for c in proxy.calls.all()] == ["refused", "refused", "forwarded"]
    assert proxy.calls.all()[0].describe() == "a connection, closed at once (refuse)"


def test_a_hang_is_let_go_when_the_caller_gives_up(
    proxy: FaultProxy, client: httpx2.Client
) -> None:
    proxy.apply(Hang())
    with pytest.raises(httpx2.ReadTimeout):
        client.get("/x", timeout=0.2)
    proxy.apply()
    assert client.get("/y").status_code == 200  # the proxy serves on meanwhile
    for _ in range(500):  # let go as soon as it sees the caller gone, well before max_hold
        if not proxy.held:
            break
        threading.Event().wait(0.01)
    hung = proxy.calls.all()[0]
    assert (hung.fault, hung.outcome, proxy.held) == ("hang", "held", 0)


def test_a_hang_ends_after_its_hold(proxy: FaultProxy, client: httpx2.Client) -> None:
    proxy.apply(Hang(hold=0.1))
    with pytest.raises(httpx2.RemoteProtocolError):
        client.get("/x")
    [call] = proxy.calls.all()
    assert call.outcome == "held"
    assert call.duration is not None
    assert call.duration >= 0.1


def test_release_lets_go_of_every_hanging_call(proxy: FaultProxy) -> None:
    proxy.apply(Hang())
    errors: list[BaseException] = []

    def call() -> None:
        try:
            httpx2.get(proxy.url + "/x", timeout=10.0)
        except httpx2.HTTPError as exc:
            errors.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    while not proxy.held:
        thread.join(0.01)
    proxy.release()
    thread.join(10.0)
    assert [type(e) for e in errors] == [httpx2.RemoteProtocolError]
    assert proxy.held == 0


def test_the_faults_block_restores_pass_through(proxy: FaultProxy, client: httpx2.Client) -> None:
    with proxy.faults(Status(503)):
        assert client.get("/x").status_code == 503
    assert client.get("/x").status_code == 200


def test_an_unreachable_upstream_is_a_502_of_the_proxy() -> None:
    with (
        FaultProxy(f"http://127.0.0.1:{_closed_port()}") as proxy,
        httpx2.Client(base_url=proxy.url) as client,
    ):
        answer = client.get("/x")
    assert answer.status_code == 502
    assert "assay fault proxy" in answer.json()["detail"]
    assert proxy.calls.all()[0].outcome == "upstream unreachable"


def test_a_malformed_request_gets_a_400(proxy: FaultProxy) -> None:
    host, port = proxy.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(b"NONSENSE\r\nno colon here\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 400")


def test_the_call_log_is_bounded(upstream: str) -> None:
    with FaultProxy(upstream, max_calls=2) as proxy, httpx2.Client(base_url=proxy.url) as client:
        for n in range(3):
            client.get(f"/{n}")
        assert [c.path for c in proxy.calls.all()] == ["/1", "/2"]
        assert [c.index for c in proxy.calls.all()] == [1, 2]


def test_a_port_in_use_is_a_clear_error(upstream: str) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(
            AssayError, match=rf"cannot listen on 127\.0\.0\.1:{port}: address already in use"
        ):
            FaultProxy(upstream, listen=f"127.0.0.1:{port}").start()


@pytest.mark.parametrize(
    ("upstream", "message"),
    [
        ("http://example.com:80", "forwards to this machine only"),
        ("https://127.0.0.1:8000", "is not an http://host:port URL"),
        ("http://127.0.0.1", "is not an http://host:port URL"),
        ("http://127.0.0.1:8000/api", "has a path"),
    ],
)
def test_only_local_upstreams_are_taken(upstream: str, message: str) -> None:
    with pytest.raises(AssayError, match=message):
        FaultProxy(upstream)


def test_the_proxy_listens_on_this_machine_only(upstream: str) -> None:
    with pytest.raises(AssayError, match="listens on this machine only"):
        FaultProxy(upstream, listen="0.0.0.0:9000")
    assert FaultProxy(upstream, listen=9000).url == "http://127.0.0.1:9000"


def test_apply_takes_faults_only(proxy: FaultProxy) -> None:
    with pytest.raises(AssayError, match="takes faults"):
        proxy.apply("hang")  # type: ignore[arg-type]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
