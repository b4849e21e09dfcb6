"""The environment manager: real uvicorn processes on free ports, wired to each other."""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import pytest

from assay.data.environment import Environment, Service, free_port
from assay.errors import AssayError

HERE = Path(__file__).resolve().parent


def service(
    name: str,
    env: dict[str, str] | None = None,
    health: tuple[str, ...] = ("/readyz", "/healthz"),
    timeout: float = 30.0,
    peer: str | None = None,
) -> Service:
    """The test service; ``peer`` names another service whose URL it gets as PEER_URL."""

    def variables(urls: Mapping[str, str]) -> dict[str, str]:
        wired = {"PEER_URL": urls[peer]} if peer else {}
        return {"PYTHONPATH": str(HERE), **(env or {}), **wired}

    return Service(
        name,
        app="service_app:create_app",
        factory=True,
        env=variables,
        health=health,
        timeout=timeout,
    )


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_services_start_see_each_other_and_stop(tmp_path: Path) -> None:
    with Environment(workdir=tmp_path) as environment:
        environment.add(service("front", peer="back"))
        back_url = environment.add(service("back", health=("/healthz",)))
        environment.start()
        front = environment["front"]
        assert front.url == environment.url("front") != back_url
        assert _get(front.url + "/peer") == {"peer": back_url}
        assert _get(back_url + "/healthz") == {"status": "ok"}
        assert "service starting" in front.logs()
        environment.stop("back")
        assert not environment.processes[1].running
        with pytest.raises(AssayError, match="not running"):
            environment["back"]
        environment.start("back")
        assert _get(back_url + "/healthz") == {"status": "ok"}
    assert not any(process.running for process in environment.processes)


@pytest.mark.slow
def test_healthz_is_used_when_there_is_no_readyz(tmp_path: Path) -> None:
    with Environment(service("plain", env={"SERVICE_NO_READYZ": "1"}), workdir=tmp_path) as env:
        env.start()
        assert env["plain"].running


@pytest.mark.slow
def test_a_service_that_never_gets_ready_is_an_error_with_its_log(tmp_path: Path) -> None:
    waiting = service("waiting", env={"SERVICE_READY": "0"}, timeout=10.0)
    with Environment(waiting, workdir=tmp_path) as env, pytest.raises(AssayError) as caught:
        env.start()
    message = str(caught.value)
    assert "service 'waiting'" in message
    assert "was not ready within 10 s (/readyz answered 503)" in message
    assert '"GET /readyz HTTP/1.1" 503' in message  # the log's last lines
    assert not env.processes[0].running


def test_a_service_that_exits_is_an_error_with_its_log(tmp_path: Path) -> None:
    crash = Service(
        "crash", command=[sys.executable, "-c", "import sys; print('no config'); sys.exit(3)"]
    )
    with Environment(crash, workdir=tmp_path) as env, pytest.raises(AssayError) as caught:
        env.start()
    assert "exited with status 3 before it was ready" in str(caught.value)
    assert "no config" in str(caught.value)


def test_commands_get_their_port_and_misuse_is_explained() -> None:
    port = free_port()
    assert Service("x", command=["serve", "--port", "{port}", "--host", "{host}"]).argv(port) == [
        "serve",
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
    ]
    assert Service("x", app="m:f", factory=True).argv(port)[-1] == "--factory"
    with pytest.raises(AssayError, match="neither a command nor an app"):
        Service("x").argv(port)
    environment = Environment(Service("x", command=["true"]))
    with pytest.raises(AssayError, match="already has a service named 'x'"):
        environment.add(Service("x", command=["true"]))
    with pytest.raises(AssayError, match=r"no service named 'y' \(it has: x\)"):
        environment.url("y")
