"""Session checks: cookie flags, and the expiry check on the session probe's steps."""

from __future__ import annotations

from fastapi import FastAPI, Response
from tests.checks.bench import Probe
from tests.checks.conftest import MakeBench
from tests.corpus.apps._security import facts


def _login_app(*cookies: str) -> FastAPI:
    app = FastAPI()

    @app.post("/login")
    def login() -> Response:
        response = Response(status_code=204)
        for cookie in cookies:
            response.headers.append("set-cookie", cookie)
        return response

    return app


LOGIN = Probe("POST /login", phase="security", scenario=facts("sessions", "login"))


def _missing(bench: MakeBench, *cookies: str) -> list[str]:
    found = bench(_login_app(*cookies)).fired("session_cookie_flags", LOGIN)
    return [str(f.signature) for f in found]


def test_a_cookie_without_httponly_and_samesite_is_one_finding(bench: MakeBench) -> None:
    assert _missing(bench, "sid=abc; Path=/") == ["HttpOnly,SameSite"]


def test_a_well_flagged_cookie_is_fine(bench: MakeBench) -> None:
    assert _missing(bench, "sid=abc; Path=/; HttpOnly; SameSite=Lax") == []


def test_secure_is_demanded_with_samesite_none(bench: MakeBench) -> None:
    assert _missing(bench, "sid=abc; HttpOnly; SameSite=None") == ["Secure"]


def test_csrf_cookies_and_deletions_are_not_judged(bench: MakeBench) -> None:
    readable = "csrftoken=xyz; Path=/; SameSite=Strict"
    deleted = 'old=""; Max-Age=0; Path=/'
    assert _missing(bench, readable, deleted) == []


def _me(status: int) -> FastAPI:
    app = FastAPI()

    @app.get("/me")
    def me() -> Response:
        return Response(status_code=status)

    return app


def test_a_session_working_after_its_idle_timeout_is_a_finding(bench: MakeBench) -> None:
    step = facts("sessions", "after_idle", timeout=1.0, waited=1.5)
    probe = Probe("GET /me", phase="security", scenario=step)
    assert [f.signature for f in bench(_me(200)).fired("session_expiry_not_enforced", probe)] == [
        "idle"
    ]
    assert bench(_me(401)).fired("session_expiry_not_enforced", probe) == []


def test_a_planted_session_id_that_works_after_login_is_fixation(bench: MakeBench) -> None:
    from tests.corpus.apps import sec_session_fixation as module

    defective, clean = bench(module.defective()), bench(module.clean())
    assert [f.signature for f in defective.fired("session_fixation", *module.PROBES)] == [
        "fixation"
    ]
    assert clean.fired("session_fixation", *module.PROBES) == []


def test_a_cookie_that_outlives_its_logout(bench: MakeBench) -> None:
    from tests.corpus.apps import sec_session_survives_logout as module

    defective, clean = bench(module.defective()), bench(module.clean())
    (found,) = defective.fired("session_survives_logout", *module.PROBES)
    assert found.evidence["cwe"] == "CWE-613"
    assert clean.fired("session_survives_logout", *module.PROBES) == []
