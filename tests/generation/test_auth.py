"""The auth phase's generators: variants, expectations, mass-assignment candidates, safety."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pytest
from fastapi import FastAPI, HTTPException, Security
from fastapi.security import APIKeyQuery
from tests.corpus.apps._auth import identity, notes_app, password_identity, settings

from assay.client.identities import Identity
from assay.engine import RunSettings, run_engine
from assay.generation.auth.access import Harvest, expectation
from assay.generation.auth.assignment import candidates, injected_value
from assay.generation.auth.credentials import KeyMaterial, variant_cases
from assay.generation.auth.grants import granted_scopes
from assay.generation.auth.probes import protects_identities
from assay.generation.cases import ANONYMOUS, Case
from assay.spec import load

SPEC = load(notes_app())


def test_every_variant_goes_anonymously_or_with_fixed_credentials() -> None:
    base = Case(SPEC.operation("list_notes"), phase="auth")
    service = Identity.api_key("svc", "k")
    ana = identity("ana")
    cases = variant_cases(base, [ana, service], KeyMaterial(), ana.bearer_token)
    by_variant = {c.mutation: c for c in cases}
    assert "credentials: none" in by_variant
    assert "credentials: malformed_bearer" in by_variant
    assert "credentials: alg_none" in by_variant
    assert by_variant["credentials: other_scheme:apiKey:header"].identity == "svc"
    assert {c.identity for c in cases} == {ANONYMOUS, "svc"}
    assert all(c.kind == "negative" for c in cases)
    assert "Authorization" not in by_variant["credentials: none"].headers


def test_a_renewable_identity_never_sends_a_variant_itself() -> None:
    base = Case(SPEC.operation("list_notes"), phase="auth")
    cases = variant_cases(base, [password_identity("ana")], KeyMaterial(), None)
    assert {c.identity for c in cases} == {ANONYMOUS}


def test_expectations_follow_scopes_then_the_policy() -> None:
    reports = SPEC.operation("read_report")
    ana, root = identity("ana"), identity("root")
    denied = expectation(ana, reports, {})
    assert denied is not None
    assert not denied.allowed
    assert "reports:read" in denied.reason
    assert expectation(root, reports, {}) is None  # admin-like roles are not judged by scopes
    users = SPEC.operation("list_users")
    policy = {"customer": ["list_notes"], "admin": ["*"]}
    by_policy = expectation(ana, users, policy)
    assert by_policy is not None
    assert not by_policy.allowed
    allowed = expectation(root, users, policy)
    assert allowed is not None
    assert allowed.allowed
    assert expectation(Identity.api_key("svc", "k"), users, policy) is None


def test_ids_of_creations_fill_later_paths() -> None:
    harvest = Harvest()
    sent = {"title": "t"}
    harvest.keep(SPEC.operation("create_note"), 422, sent, {"id": 9})
    assert harvest.values == {}
    harvest.keep(SPEC.operation("create_note"), 201, sent, {"id": 7, "owner_id": "ana"})
    case = Case(SPEC.operation("inspect_note"))
    assert harvest.fill(case)
    assert case.path_parameters == {"note_id": 7}


def test_mass_assignment_candidates_are_read_only_or_response_only_fields() -> None:
    request = {"email": {"type": "string"}}
    answer = {
        "id": {"type": "integer"},
        "email": {"type": "string"},
        "role": {"type": "string"},
        "balance": {"type": "integer", "readOnly": True},
    }
    assert candidates(request, answer) == ["id", "role", "balance"]
    assert injected_value("role", answer["role"]) == "admin"
    assert injected_value("created_at", {"type": "string", "format": "date-time"}).startswith(
        "2001"
    )
    assert injected_value("tags", {"type": "array"}) is None


@pytest.mark.parametrize(
    ("method", "path", "protected"),
    [
        ("post", "/logout", True),
        ("delete", "/me", True),
        ("patch", "/users/{user_id}", True),
        ("post", "/v1/users/{id}/roles", True),
        ("get", "/users/me", False),
        ("delete", "/notes/{note_id}", False),
        ("post", "/notes", False),
    ],
)
def test_operations_that_could_lock_an_identity_out_are_never_sent_as_one(
    method: str, path: str, protected: bool
) -> None:
    from assay.spec.model import Operation

    operation = Operation(method, path, "#", None, None, None, (), (), None, {}, ())
    assert protects_identities(operation) is protected


def test_granted_scopes_come_from_the_answer_or_the_token() -> None:
    from tests.corpus.apps._auth import token

    assert granted_scopes({"scope": "a b"}) == {"a", "b"}
    assert granted_scopes({"access_token": token("ana")}) == {"notes:read", "notes:write"}
    assert granted_scopes("nope") == set()


def test_the_phase_is_silent_on_a_correct_api_and_uses_few_logins() -> None:
    users = ("ana", "ben", "root")
    result = run_engine(notes_app(), settings=RunSettings(seed=3, **settings(*users, login=True)))
    assert result.findings == []
    assert result.cases > 50
    logins = [i.token_state.logins for i in result.settings.identities if i.token_state]
    assert logins
    assert max(logins) == 1


def test_the_access_matrix_reaches_report_json_and_the_terminal() -> None:
    from rich.console import Console

    from assay.report.run_files import report_document
    from assay.report.terminal import render_summary

    options = settings("ana", "root", operations=("read_report", "list_notes"))
    result = run_engine(notes_app("no_scope_check"), settings=RunSettings(seed=1, **options))
    matrix = report_document(result)["access_matrix"]
    assert matrix["GET /reports"]["ana"] == "deny / 200"
    console = Console(record=True, width=200)
    render_summary(console, result)
    text = console.export_text()
    assert "access matrix: 1 operations by 2 identities" in text
    assert "deny / 200" in text


def _auth_run(app: FastAPI, groups: list[list[Case]]) -> Any:
    """The auth phase on `app` in-process, keeping every group the engine sent at once."""
    from assay.engine.runner import Engine, open_client

    options = RunSettings(seed=1, **settings("ana", "ben", "root"))
    client, label = open_client(app, options)
    with client:
        engine = Engine(client, options, target=label)
        together = engine.execute_together

        def keep(cases: Any) -> Any:
            groups.append(list(cases))
            return together(cases)

        engine.execute_together = keep  # type: ignore[method-assign]
        return engine.run()


def test_variants_and_refused_identities_go_to_an_in_process_app_as_groups() -> None:
    groups: list[list[Case]] = []
    result = _auth_run(notes_app(), groups)
    assert result.findings == []
    variants = [g for g in groups if all((c.mutation or "").startswith("credentials: ") for c in g)]
    assert variants
    assert max(len(g) for g in variants) > 1
    refused = [g for g in groups if all((c.scenario or {}).get("step") == "access" for c in g)]
    assert any(len(g) > 1 for g in refused)


def test_the_auth_phase_in_process_finds_the_same_whatever_order_the_app_takes_them_in() -> None:
    runs = [_auth_run(notes_app("no_scope_check", "alg_none", "admin_open"), []) for _ in range(3)]
    found = [sorted((f.check, f.operation, f.signature) for f in r.findings) for r in runs]
    assert found[0]
    assert found[1] == found[0]
    assert found[2] == found[0]
    assert runs[1].access_matrix == runs[0].access_matrix == runs[2].access_matrix


def test_findings_replay_alone_or_say_to_run_the_phase_again(tmp_path: Path) -> None:
    from assay.engine.replay import replay
    from assay.errors import AssayError
    from assay.report.run_files import write_report

    options = settings("ana", "root", operations=("read_report", "list_notes"))
    app = notes_app("no_scope_check", "alg_none")
    result = run_engine(app, settings=RunSettings(seed=1, **options))
    report = write_report(result, tmp_path)
    ids = {s.finding.check: s.id for s in result.stored}
    outcome = replay(f"{report}#{ids['invalid_credentials_accepted']}", target=app)
    assert outcome.still_failing is not None
    with pytest.raises(AssayError, match="auth phase's access probe"):
        replay(f"{report}#{ids['authorization_not_enforced']}", target=app)


_QUERY_KEY = APIKeyQuery(name="api_key", auto_error=False)
QueryKey = Annotated[str | None, Security(_QUERY_KEY)]


def _query_key_app(*, checks_the_key: bool) -> FastAPI:
    app = FastAPI()

    @app.get("/daily", operation_id="daily", responses={401: {"description": "No key"}})
    def daily(key: QueryKey) -> dict[str, int]:
        if key is None or (checks_the_key and key != "svc-key-123"):
            raise HTTPException(401, "invalid key", headers={"WWW-Authenticate": "ApiKey"})
        return {"orders": 3}

    return app


@pytest.mark.parametrize("checks_the_key", [False, True])
def test_an_invalid_api_key_in_the_query_is_sent_too(checks_the_key: bool) -> None:
    service = Identity.api_key("svc", "svc-key-123", parameter="api_key", location="query")
    options = RunSettings(seed=1, phases=("auth",), identities=(service,))
    result = run_engine(_query_key_app(checks_the_key=checks_the_key), settings=options)
    found = {(f.check, f.signature) for f in result.findings}
    expected = set() if checks_the_key else {("invalid_credentials_accepted", "invalid_api_key")}
    assert found == expected
