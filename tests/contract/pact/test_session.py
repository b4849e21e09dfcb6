"""Pact files across a session and across pytest-xdist workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.client import APITestClient
from assay.contract.pact import PactBuilder, read_pact
from assay.contract.pact.session import PactSession, _locked
from assay.errors import AssayError


def _called(pacts: object, consumer: str, description: str) -> None:
    builder: PactBuilder = pacts(consumer, "inventory")  # type: ignore[operator]
    builder.upon_receiving(description).with_request("GET", "/ping").will_respond_with(204)
    with APITestClient(builder.app, spec=None) as client:
        client.get("/ping")


def test_xdist_workers_merge_into_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    (tmp_path / "orders-inventory.json").write_text(
        '{"consumer": {"name": "orders"}, "provider": {"name": "inventory"}, "interactions": []}'
    )
    for worker in ("first", "second"):
        pacts = PactSession(tmp_path).open()
        _called(pacts, "orders", f"a ping from the {worker} worker")
        assert pacts.close(write=True) == []
    descriptions = [
        i.description for i in read_pact(tmp_path / "orders-inventory.json").interactions
    ]
    assert descriptions == ["a ping from the first worker", "a ping from the second worker"]
    assert not list(tmp_path.glob("*.lock"))


def test_the_pact_directory_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_PACT_DIR", str(tmp_path / "elsewhere"))
    pacts = PactSession(tmp_path / "default").open()
    _called(pacts, "orders", "a ping")
    pacts.close(write=True)
    assert (tmp_path / "elsewhere" / "orders-inventory.json").exists()


def test_a_lock_held_too_long_is_a_clear_error(tmp_path: Path) -> None:
    lock = tmp_path / "x.json.lock"
    lock.write_text("")
    with pytest.raises(AssayError, match="has been held"), _locked(lock, timeout=0.05):
        pass
