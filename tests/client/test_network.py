"""Live-URL failures give one clear paragraph: refused, timeout, reset, DNS, TLS."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from assay.client import APITestClient, ConnectionProblem


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Server:
    """A TCP server on 127.0.0.1 with a chosen bad behaviour."""

    def __init__(self, behaviour: str) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = int(self.sock.getsockname()[1])
        self.behaviour = behaviour
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        self.connections.append(conn)
        if self.behaviour == "reset":
            conn.recv(65536)
            conn.close()
        elif self.behaviour == "plain-http":
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")

    def close(self) -> None:
        for conn in self.connections:
            conn.close()
        self.sock.close()
        self.thread.join(timeout=2)


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[_Server]:
    srv = _Server(request.param)
    yield srv
    srv.close()


def test_connection_refused() -> None:
    port = _closed_port()
    api = APITestClient(base_url=f"http://127.0.0.1:{port}", spec=None)
    with api, pytest.raises(ConnectionProblem) as caught:
        api.get("/health")
    assert caught.value.kind == "refused"
    assert str(caught.value) == (
        f"GET http://127.0.0.1:{port}/health: the connection was refused — nothing is "
        "listening there. Start the service, or check the host and port of the URL."
    )


@pytest.mark.parametrize("server", ["hang"], indirect=True)
def test_server_that_never_answers_times_out(server: _Server) -> None:
    api = APITestClient(base_url=f"http://127.0.0.1:{server.port}", spec=None, timeout=0.3)
    expected = r"could not get an answer from the server within 0\.3 s\. Check that the service"
    with api, pytest.raises(ConnectionProblem, match=expected):
        api.get("/slow")


@pytest.mark.parametrize("server", ["reset"], indirect=True)
def test_server_that_closes_the_connection(server: _Server) -> None:
    api = APITestClient(base_url=f"http://127.0.0.1:{server.port}", spec=None)
    with api, pytest.raises(ConnectionProblem, match="closed the connection without a complete"):
        api.get("/")


@pytest.mark.parametrize("server", ["plain-http"], indirect=True)
def test_tls_to_a_plain_server(server: _Server) -> None:
    api = APITestClient(base_url=f"https://127.0.0.1:{server.port}", spec=None)
    with api, pytest.raises(ConnectionProblem, match="TLS handshake failed") as caught:
        api.get("/")
    assert caught.value.kind == "tls"


def test_unknown_host() -> None:
    api = APITestClient(base_url="http://no-such-host.invalid", spec=None, timeout=5)
    with api, pytest.raises(ConnectionProblem, match="host name could not be resolved"):
        api.get("/")


def test_a_reset_connection_is_named_a_reset() -> None:
    import httpx2

    from assay.client.network import explain_transport_error

    request = httpx2.Request("POST", "http://127.0.0.1:9/items")
    error = httpx2.ReadError("[Errno 104] Connection reset by peer", request=request)
    problem = explain_transport_error(error, 10.0)
    assert problem.kind == "reset"
    assert "the server reset the connection" in problem.message
    other = explain_transport_error(httpx2.ReadError("odd", request=request), 10.0)
    assert other.kind == "transport"
