"""The session and rate-limit probes end to end: the waits they take, and what they find."""

from __future__ import annotations

from tests.corpus.apps._security import LoginGuard, token_app, token_identity
from tests.corpus.apps._sessions import SETTINGS as SESSION_SETTINGS
from tests.corpus.apps._sessions import SessionFlaws, session_app

from assay.config import SecurityConfig
from assay.engine import RunSettings, run_engine


def _found(app: object, **settings: object) -> set[tuple[str, str | None]]:
    result = run_engine(app, settings=RunSettings(seed=1, phases=("security",), **settings))  # type: ignore[arg-type]
    assert not result.internal_errors
    return {(f.check, f.operation) for f in result.findings}


def test_a_limit_that_outlives_its_retry_after_is_found() -> None:
    stuck = token_app("identity", guard=LoginGuard(announce=1))
    assert ("rate_limit_never_lifts", "POST /token") in _found(
        stuck, identities=(token_identity(),)
    )


def test_a_limit_that_lifts_as_announced_is_fine() -> None:
    lifting = token_app("identity", guard=LoginGuard(window=1.0))
    assert _found(lifting, identities=(token_identity(),)) == set()


def test_an_idle_timeout_that_is_not_enforced_is_found() -> None:
    idle = SecurityConfig(session_idle_timeout=1.0)
    identities = SESSION_SETTINGS["identities"]
    forever = session_app("console", SessionFlaws())
    assert _found(forever, identities=identities, security=idle) == {
        ("session_expiry_not_enforced", "GET /me")
    }
    enforced = session_app("console", SessionFlaws(idle=1.0))
    assert _found(enforced, identities=identities, security=idle) == set()


def test_no_identity_that_logs_in_means_no_session_or_credential_probe() -> None:
    app = token_app("identity", guard=None)
    # Without identities the token endpoint is still found by its name and burst.
    assert _found(app) == {("missing_rate_limit", "POST /token")}
