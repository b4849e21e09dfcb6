"""Real ``shop serve`` processes on free 127.0.0.1 ports, sharing a database and a key.

The processes run in assay's `Environment` (the ``assay_environment`` fixture): ports
are chosen before anything starts, each process is told where every service runs
(``SHOP_SERVICES``), waits until ``/healthz`` answers, and its log joins the report of a
failed test. `ShopCluster` only says which process serves which services.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from assay import Environment, Service
from shop.identity.keys import SigningKey


class ShopCluster:
    """Shop processes, each serving some services, in an assay `Environment`."""

    def __init__(self, environment: Environment) -> None:
        self.environment = environment
        self.serves: dict[str, tuple[str, ...]] = {}

    def add(self, name: str, serves: str, **env: str) -> str:
        """Add the process ``name`` (``shop serve <serves>``); returns its URL."""
        self.serves[name] = tuple(serves.split(","))

        def variables(urls: Mapping[str, str]) -> dict[str, str]:
            return {"SHOP_SERVICES": json.dumps(self.routes(urls)), **env}

        command = [sys.executable, "-m", "shop.cli", "serve", serves, "--port", "{port}"]
        service = Service(name, command=command, env=variables, health=("/healthz",))
        return self.environment.add(service)

    def routes(self, urls: Mapping[str, str]) -> dict[str, list[str]]:
        """Each shop service → the URLs of the processes serving it."""
        routes: dict[str, list[str]] = {}
        for process, services in self.serves.items():
            for service in services:
                routes.setdefault(service, []).append(urls[process])
        return routes

    def start(self, *names: str) -> None:
        """Start the processes one after the other, each healthy before the next."""
        for name in names or tuple(self.serves):
            self.environment.start(name)

    def stop(self, name: str) -> None:
        self.environment.stop(name)

    def url(self, name: str) -> str:
        return self.environment.url(name)

    def log(self, name: str) -> str:
        """The whole log of the process ``name``."""
        return self.environment[name].log.read_text(errors="replace")

    def migrate(self) -> None:
        """``shop migrate`` on the cluster's database (what an operator runs first)."""
        subprocess.run(
            [sys.executable, "-m", "shop.cli", "migrate"],
            env=self.environment.env,
            check=True,
            timeout=120,
            capture_output=True,
        )


@pytest.fixture(scope="session")
def signing_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "signing-key.pem"
    path.write_text(SigningKey.generate().private_pem(), encoding="ascii")
    return path


def cluster_env(workdir: Path, key_file: Path) -> dict[str, str]:
    """The environment every process of one cluster shares (no stray SHOP_* variable)."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith("SHOP_")}
    return {
        **keep,
        "SHOP_DATABASE_URL": f"sqlite:///{workdir / 'shop.db'}",
        "SHOP_SIGNING_KEY_FILE": str(key_file),
        "SHOP_PASSWORD_COST": "4",
        "SHOP_OUTBOX_INTERVAL": "0.1",
        "SHOP_CLIENT_TIMEOUT": "5",
        "SHOP_LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def cluster(assay_environment: Environment, tmp_path: Path, signing_key_file: Path) -> ShopCluster:
    assay_environment.inherit = False
    assay_environment.env.update(cluster_env(tmp_path, signing_key_file))
    return ShopCluster(assay_environment)
