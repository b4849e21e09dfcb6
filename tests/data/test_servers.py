"""Server addresses: the defaults, the variables that override them, reachability."""

from __future__ import annotations

import socket

import pytest

from assay.data.servers import POSTGRES, REDIS, Server, required


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_defaults_and_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSAY_REDIS_URL", raising=False)
    assert REDIS.address == ("127.0.0.1", 6379)
    assert POSTGRES.url.startswith("postgresql+psycopg://postgres@127.0.0.1:5432")
    monkeypatch.setenv("ASSAY_REDIS_URL", "redis://10.0.0.9:7000/1")
    assert REDIS.address == ("10.0.0.9", 7000)


def test_a_closed_port_is_unreachable_and_says_what_to_do() -> None:
    port = _closed_port()
    server = Server("Thing", "ASSAY_THING_URL", f"thing://127.0.0.1:{port}")
    assert not server.reachable(timeout=0.5)
    assert server.unavailable() == (
        f"Thing is not running at 127.0.0.1:{port} (set ASSAY_THING_URL for another "
        "address; under CI=true this is a failure)"
    )


def test_a_listening_port_is_reachable() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert Server("Thing", "ASSAY_THING_URL", f"thing://127.0.0.1:{port}").reachable()


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("TRUE", True), ("", False)])
def test_ci_makes_servers_required(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv("CI", value)
    assert required() is expected
