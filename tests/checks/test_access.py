"""Access checks: function-level authorization, existence leaks, token scopes, mass assignment."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import pytest
from fastapi import FastAPI, HTTPException, Security
from fastapi.security import OAuth2PasswordBearer
from tests.checks.bench import Bench, Probe
from tests.corpus.apps._auth import (
    PASSWORD,
    access_probe,
    assignment_probe,
    bearer,
    notes_app,
)

from assay.checks.access import matrix_table


@pytest.fixture
def benches() -> Iterator[list[Bench]]:
    opened: list[Bench] = []
    yield opened
    for bench in opened:
        bench.close()


def _bench(benches: list[Bench], *flaws: str) -> Bench:
    bench = Bench(notes_app(*flaws))
    benches.append(bench)
    return bench


def test_an_identity_served_despite_a_missing_scope_is_found(benches: list[Bench]) -> None:
    probe = access_probe("GET /reports", "ana", "lacks the scope(s) reports:read")
    [found] = _bench(benches, "no_scope_check").fired("authorization_not_enforced", probe)
    assert found.signature == "ana"
    assert found.evidence["cwe"].startswith("CWE-285")
    assert _bench(benches).fired("authorization_not_enforced", probe) == []


_SCHEME = OAuth2PasswordBearer("/token", scopes={"w": "write"}, auto_error=False)
Writer = Annotated[str | None, Security(_SCHEME, scopes=["w"])]


def _precondition_app() -> Bench:
    app = FastAPI()

    @app.put("/things/{thing}", operation_id="put_thing")
    def put_thing(thing: int, token: Writer) -> None:
        raise HTTPException(428, "If-Match is required")

    return Bench(app)


@pytest.mark.parametrize(("baseline", "fires"), [(428, True), (404, False), (None, False)])
def test_the_same_precondition_refusal_as_an_allowed_identity_is_found(
    benches: list[Bench], baseline: int | None, fires: bool
) -> None:
    # 409/412/428 come from the handler: the identity got past authorization.
    bench = _precondition_app()
    benches.append(bench)
    facts = {
        "step": "access",
        "identity": "ana",
        "reason": "lacks the scope(s) w",
        "baseline": {"status": baseline} if baseline else None,
    }
    probe = Probe("PUT /things/{thing}", path={"thing": 1}, phase="auth", scenario=facts)
    assert bool(bench.fired("authorization_not_enforced", probe)) is fires


def _existence(bench: Bench) -> list[object]:
    existing = {"status": 403, "curl": "", "id": {"note_id": 1}}
    probes = (
        Probe("POST /notes", headers=bearer("root"), body={"title": "minutes"}),
        Probe(
            "GET /notes/{note_id}/admin",
            path={"note_id": 987654321},
            headers=bearer("ana"),
            phase="auth",
            scenario={"step": "existence", "identity": "ana", "existing": existing},
        ),
    )
    return list(bench.fired("existence_disclosed", *probes))


def test_403_for_existing_and_404_for_missing_items_is_found(benches: list[Bench]) -> None:
    assert len(_existence(_bench(benches, "existence_leak"))) == 1
    assert _existence(_bench(benches)) == []


def _token_probe(scope: str) -> Probe:
    return Probe(
        "POST /token",
        body={"grant_type": "password", "username": "ana", "password": PASSWORD, "scope": scope},
        media_type="application/x-www-form-urlencoded",
        phase="auth",
        scenario={"step": "token_scopes", "identity": "ana", "held": ["notes:read"]},
    )


def test_a_token_with_unheld_scopes_is_found(benches: list[Bench]) -> None:
    [found] = _bench(benches, "grant_any_scope").fired(
        "token_grants_unheld_scopes", _token_probe("admin notes:read")
    )
    assert found.evidence["extra_scopes"] == ["admin"]
    assert _bench(benches).fired("token_grants_unheld_scopes", _token_probe("notes:read")) == []


def test_a_field_that_sticks_is_mass_assignment(benches: list[Bench]) -> None:
    probe = assignment_probe(
        "POST /signup", {"email": "a@b.cd", "role": "admin"}, {"role": "admin"}
    )
    [found] = _bench(benches, "mass_role").fired("mass_assignment", probe)
    assert found.evidence["fields"] == {"role": "admin"}
    assert _bench(benches).fired("mass_assignment", probe) == []


def test_a_value_the_server_sets_anyway_is_not_mass_assignment(benches: list[Bench]) -> None:
    # The clean server answers role "customer" whatever is sent; sending "customer"
    # and getting it back proves nothing, because the baseline had it too.
    probe = Probe(
        "POST /signup",
        headers=bearer("root"),
        body={"email": "a@b.cd", "role": "customer"},
        phase="auth",
        scenario={
            "step": "mass_assignment",
            "injected": {"role": "customer"},
            "before": {"role": "customer"},
        },
    )
    assert _bench(benches).fired("mass_assignment", probe) == []


def test_the_matrix_renders_as_a_table() -> None:
    table = matrix_table({"GET /a": {"ana": "deny / 403", "root": "allow / 200"}})
    assert table.splitlines() == [
        "| operation | ana | root |",
        "|---|---|---|",
        "| GET /a | deny / 403 | allow / 200 |",
    ]


def test_login_names_in_a_public_answer_are_found_and_private_ones_are_not() -> None:
    from tests.corpus.apps import auth_public_user_directory as team

    for leaks, expected in ((True, 1), (False, 0)):
        app = team.defective() if leaks else team.clean()
        bench = Bench(app, team.SETTINGS)
        try:
            found = bench.fired("public_operation_exposes_users", Probe("GET /directory"))
            assert len(found) == expected
            # Sent with credentials, or to an operation that declares security: not judged.
            private = Probe("GET /me", headers={"Authorization": "Bearer nope"})
            assert bench.fired("public_operation_exposes_users", private) == []
        finally:
            bench.close()
    # A bench without identities knows no login names:
    plain = Bench(team.defective())
    try:
        assert plain.fired("public_operation_exposes_users", Probe("GET /directory")) == []
    finally:
        plain.close()
