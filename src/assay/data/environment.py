"""The environment manager: services under test as real processes on free local ports.

    with Environment(Service("orders", app="orders.main:create_app", factory=True)) as env:
        env.start()
        url = env.url("orders")          # http://127.0.0.1:<free port>

A `Service` is a command (``{port}`` and ``{host}`` are filled in) or an ASGI app run
with ``python -m uvicorn``. Every service gets a port when it is added, so the URLs are
known before anything starts and one service's environment can name another's
(``env=lambda urls: {"PAYMENTS_URL": urls["payments"]}``). `Environment.start` launches
the processes, then waits until each answers its health path (``/readyz``, else
``/healthz``, within ``timeout`` seconds); one that exits or never becomes ready is an
`AssayError` quoting the last lines of its log. `close` terminates every process (and
kills it when it does not stop).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assay.errors import AssayError

__all__ = ["Environment", "Service", "ServiceProcess", "free_port"]

HOST = "127.0.0.1"
LOG_LINES = 40
EnvSource = Mapping[str, str] | Callable[[Mapping[str, str]], Mapping[str, str]]


def free_port(host: str = HOST) -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class Service:
    """How to start one service: a command, or an ASGI app for uvicorn.

    ``command`` is an argument list in which ``{port}`` and ``{host}`` are replaced;
    ``app`` (``"module:app"``, or a factory with ``factory=True``) runs as
    ``python -m uvicorn app --host 127.0.0.1 --port <port>``. ``env`` is added to the
    environment's variables: a mapping, or a callable given every service's URL by name.
    ``health`` lists the paths tried in turn (a 404 moves to the next one).
    """

    name: str
    command: Sequence[str] = ()
    app: str | None = None
    factory: bool = False
    env: EnvSource = field(default_factory=dict)
    health: Sequence[str] = ("/readyz", "/healthz")
    timeout: float = 30.0
    cwd: str | Path | None = None

    def argv(self, port: int) -> list[str]:
        """The command line for ``port``."""
        if self.app is not None:
            argv = [sys.executable, "-m", "uvicorn", self.app, "--host", HOST, "--port", str(port)]
            return [*argv, "--factory"] if self.factory else argv
        if not self.command:
            raise AssayError(
                f"service {self.name!r} has neither a command nor an app",
                hint="Pass command=[...] (with {port}) or app='module:app'.",
            )
        return [part.format(port=port, host=HOST) for part in self.command]


class ServiceProcess:
    """A started service: its `url`, its process and its log file."""

    def __init__(self, service: Service, port: int, process: subprocess.Popen[bytes], log: Path):
        self.service = service
        self.name = service.name
        self.port = port
        self.url = f"http://{HOST}:{port}"
        self.process = process
        self.log = log

    @property
    def running(self) -> bool:
        """True while the process has not exited."""
        return self.process.poll() is None

    def logs(self, lines: int = LOG_LINES) -> str:
        """The last ``lines`` lines of the process's stdout and stderr."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the process; kill it if it is still there after ``timeout`` seconds."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)

    def wait_ready(self) -> None:
        """Poll the health paths until one answers 2xx; `AssayError` when it cannot."""
        deadline = time.monotonic() + self.service.timeout
        last, pause = "no answer yet", 0.05
        while time.monotonic() < deadline:
            if not self.running:
                self._fail(f"exited with status {self.process.returncode} before it was ready")
            ready, last = _probe(self.url, self.service.health)
            if ready:
                return
            time.sleep(pause)
            pause = min(pause * 1.5, 0.5)  # quick at first, then no flood of health logs
        self._fail(f"was not ready within {self.service.timeout:g} s ({last})")

    def _fail(self, what: str) -> None:
        self.stop()
        raise AssayError(
            f"service {self.name!r} at {self.url} {what}; its last log lines:\n"
            f"{self.logs() or '(no output)'}\n",
            hint=f"Run `{' '.join(self.service.argv(self.port))}` yourself to see why; "
            "raise Service(timeout=...) if it is only slow to start.",
        )


def _probe(url: str, paths: Sequence[str]) -> tuple[bool, str]:
    last = "no health path answered"
    for path in paths:
        try:
            with urllib.request.urlopen(url + path, timeout=2.0) as response:
                return 200 <= response.status < 300, f"{path} answered {response.status}"
        except urllib.error.HTTPError as exc:
            last = f"{path} answered {exc.code}"
            if exc.code != 404:
                return False, last
        except OSError as exc:
            return False, f"{path}: {exc}"
    return False, last


class Environment:
    """Several services, their ports, URLs and processes; a context manager.

    ``env`` is the environment every process shares (on top of this process's own,
    unless ``inherit=False``); ``workdir`` holds the log files (a temporary directory
    by default).
    """

    def __init__(
        self,
        *services: Service,
        env: Mapping[str, str] | None = None,
        workdir: str | Path | None = None,
        inherit: bool = True,
    ) -> None:
        self.env = dict(env or {})
        self.inherit = inherit
        self.workdir = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="assay-env-"))
        self._services: dict[str, Service] = {}
        self._ports: dict[str, int] = {}
        self._processes: dict[str, ServiceProcess] = {}
        self._started: list[ServiceProcess] = []
        for service in services:
            self.add(service)

    def add(self, service: Service, *, port: int | None = None) -> str:
        """Add a service (not started yet) and reserve its port; returns its URL."""
        if service.name in self._services:
            raise AssayError(
                f"the environment already has a service named {service.name!r}",
                hint="Give each service (each instance) a name of its own.",
            )
        self._services[service.name] = service
        self._ports[service.name] = port or free_port()
        return self.url(service.name)

    @property
    def urls(self) -> dict[str, str]:
        """Every service's base URL by name (started or not)."""
        return {name: f"http://{HOST}:{port}" for name, port in self._ports.items()}

    def url(self, name: str) -> str:
        """The base URL of the service ``name``."""
        self._service(name)
        return f"http://{HOST}:{self._ports[name]}"

    def __getitem__(self, name: str) -> ServiceProcess:
        process = self._processes.get(name)
        if process is None:
            self._service(name)
            raise AssayError(
                f"service {name!r} is not running", hint="Start it with environment.start()."
            )
        return process

    @property
    def processes(self) -> list[ServiceProcess]:
        """Every process started so far (running or stopped), in start order."""
        return list(self._started)

    def start(self, *names: str) -> Environment:
        """Start the named services (default: all) that are not running; wait for each."""
        chosen = names or tuple(self._services)
        started = [
            self._launch(self._service(name)) for name in chosen if name not in self._processes
        ]
        try:
            for process in started:
                process.wait_ready()
        except AssayError:
            for process in started:
                process.stop()
            raise
        return self

    def stop(self, name: str) -> None:
        """Stop one service (it can be started again)."""
        process = self._processes.pop(name, None)
        if process is not None:
            process.stop()

    def close(self) -> None:
        """Stop every process, the newest first."""
        for name in reversed(list(self._processes)):
            self.stop(name)

    def __enter__(self) -> Environment:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _service(self, name: str) -> Service:
        service = self._services.get(name)
        if service is None:
            known = ", ".join(self._services) or "none"
            raise AssayError(
                f"the environment has no service named {name!r} (it has: {known})",
                hint="Add it first: environment.add(Service(...)).",
            )
        return service

    def _launch(self, service: Service) -> ServiceProcess:
        port = self._ports[service.name]
        log = self.workdir / f"{service.name}-{port}.log"
        extra = service.env(self.urls) if callable(service.env) else service.env
        env = {**(os.environ if self.inherit else {}), **self.env, **extra}
        with log.open("wb") as handle:
            process = subprocess.Popen(
                service.argv(port),
                env=env,
                cwd=service.cwd,
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        running = ServiceProcess(service, port, process, log)
        self._processes[service.name] = running
        self._started.append(running)
        return running
