"""The resilience phase on a small in-process service whose dependency runs on 127.0.0.1."""

from __future__ import annotations

import socket

import pytest
from tests.events import RecordedEvents
from tests.resilience.caller import GOOD, NO_TIMEOUT, STORM, CallPolicy, caller_app

from assay.config import DependencyConfig, ResilienceConfig
from assay.data.environment import free_port
from assay.engine import RunSettings, run_engine
from assay.errors import AssayError

BUDGET = 1.0


def _settings(listen: int, upstream: str, **options: object) -> RunSettings:
    dependency = DependencyConfig(name="payments", listen=f"127.0.0.1:{listen}", upstream=upstream)
    config = ResilienceConfig.model_validate(
        {"dependencies": [dependency], "budget": BUDGET, **options}
    )
    return RunSettings(seed=3, max_examples=5, phases=("resilience",), resilience=config)


def _found(upstream: str, policy: CallPolicy, **options: object) -> set[tuple[str, str | None]]:
    listen = free_port()
    app = caller_app(f"http://127.0.0.1:{listen}", policy)
    result = run_engine(app, settings=_settings(listen, upstream, **options))
    assert not result.internal_errors
    assert result.stopped is None
    return {(f.check, f.operation) for f in result.findings}


def test_a_dependency_without_a_timeout_is_found(upstream: str) -> None:
    found = _found(upstream, NO_TIMEOUT, faults=["hang"])
    assert found == {("downstream_timeout_missing", "POST /orders")}


def test_a_retry_storm_with_fresh_keys_is_found(upstream: str) -> None:
    found = _found(upstream, STORM, faults=["unavailable", "reset"])
    assert found == {("retry_storm", "POST /orders"), ("retry_key_changed", "POST /orders")}


def test_a_careful_caller_gives_no_finding(upstream: str) -> None:
    assert _found(upstream, GOOD) == set()


def test_without_dependencies_the_phase_says_why_it_skipped(upstream: str) -> None:
    events = RecordedEvents()
    settings = RunSettings(seed=3, max_examples=5, phases=("resilience",))
    result = run_engine(caller_app(upstream), settings=settings, sinks=[events])
    assert result.findings == []
    assert (
        events.skipped("resilience")
        == "no [[resilience.dependencies]] configured (see docs/resilience.md)"
    )


def test_a_service_that_never_calls_the_dependency_is_skipped_with_the_reason(
    upstream: str,
) -> None:
    events = RecordedEvents()
    app = caller_app(upstream, GOOD)  # calls the dependency directly, never the proxy
    run_engine(app, settings=_settings(free_port(), upstream), sinks=[events])
    assert (
        events.skipped("resilience")
        == "no operation called payments in the scenarios (nothing to fail)"
    )


def test_a_taken_listen_port_stops_the_run_with_a_clear_error(upstream: str) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        app = caller_app(f"http://127.0.0.1:{port}")
        with pytest.raises(AssayError, match=f"cannot listen on 127.0.0.1:{port}"):
            run_engine(app, settings=_settings(port, upstream))


def test_a_503_while_the_dependency_fails_is_no_server_error(upstream: str) -> None:
    refusing = CallPolicy(unavailable=503)
    assert _found(upstream, refusing, faults=["unavailable"]) == set()
