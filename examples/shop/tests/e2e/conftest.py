"""Real ``shop serve`` processes on free 127.0.0.1 ports, sharing a database and a key."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest

from shop.identity.keys import SigningKey


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ShopProcess:
    services: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@dataclass
class Cluster:
    """Starts processes one by one (each waits until healthy) and stops them all."""

    base_env: dict[str, str]
    workdir: Path
    processes: list[ShopProcess] = field(default_factory=list)

    def start(self, services: str, port: int, env: Mapping[str, str] | None = None) -> ShopProcess:
        log = self.workdir / f"{services.replace(',', '+')}-{port}.log"
        handle = log.open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "shop.cli", "serve", services, "--port", str(port)],
            env={**self.base_env, **(env or {})},
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        handle.close()
        started = ShopProcess(services, f"http://127.0.0.1:{port}", process, log)
        self.processes.append(started)
        self._wait_healthy(started)
        return started

    def migrate(self) -> None:
        """``shop migrate`` on the cluster's database (what an operator runs first)."""
        subprocess.run(
            [sys.executable, "-m", "shop.cli", "migrate"],
            env=self.base_env,
            check=True,
            timeout=120,
            capture_output=True,
        )

    def _wait_healthy(self, started: ShopProcess, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if started.process.poll() is not None:
                raise RuntimeError(f"shop serve {started.services} exited:\n{started.output()}")
            try:
                if httpx2.get(started.url + "/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx2.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"shop serve {started.services} did not start:\n{started.output()}")

    def stop(self, started: ShopProcess) -> None:
        if started.process.poll() is None:
            started.process.terminate()
            try:
                started.process.wait(10)
            except subprocess.TimeoutExpired:
                started.process.kill()
                started.process.wait(5)

    def stop_all(self) -> None:
        for started in reversed(self.processes):
            self.stop(started)


@pytest.fixture(scope="session")
def signing_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "signing-key.pem"
    path.write_text(SigningKey.generate().private_pem(), encoding="ascii")
    return path


def cluster_env(workdir: Path, key_file: Path, services: Mapping[str, list[str]]) -> dict[str, str]:
    """The environment every process of one cluster shares."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith("SHOP_")}
    return {
        **keep,
        "SHOP_DATABASE_URL": f"sqlite:///{workdir / 'shop.db'}",
        "SHOP_SIGNING_KEY_FILE": str(key_file),
        "SHOP_SERVICES": json.dumps(services),
        "SHOP_PASSWORD_COST": "4",
        "SHOP_OUTBOX_INTERVAL": "0.1",
        "SHOP_CLIENT_TIMEOUT": "5",
        "SHOP_LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def cluster(tmp_path: Path, signing_key_file: Path) -> Iterator[Cluster]:
    made = Cluster(cluster_env(tmp_path, signing_key_file, {}), tmp_path)
    yield made
    made.stop_all()
